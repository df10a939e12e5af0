use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(signal = booted)]
async fn greet() {}

fn main() {}
