use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted)]
struct Greeter;

fn main() {}
