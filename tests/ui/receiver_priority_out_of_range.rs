use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted, priority = 3000000000)]
fn greet() {}

fn main() {}
