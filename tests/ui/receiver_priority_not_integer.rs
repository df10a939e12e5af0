use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted, priority = "high")]
fn greet() {}

fn main() {}
