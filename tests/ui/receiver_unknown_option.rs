use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted, prio = 1)]
fn greet() {}

fn main() {}
