use signals::{receiver, signal};

#[signal]
pub type Changed = fn(field: &str);

// A signal type has runtime receivers only: each value is its own signal.
#[receiver(signal = Changed)]
fn log(_field: &str) {}

fn main() {}
