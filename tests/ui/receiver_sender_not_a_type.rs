use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted, sender = 5)]
fn greet() {}

fn main() {}
