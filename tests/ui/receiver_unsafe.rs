use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted)]
unsafe fn greet() {}

fn main() {}
