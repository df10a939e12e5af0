use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted, priority = 1, priority = 2)]
fn greet() {}

fn main() {}
