use signals::{receiver, signal};

#[signal]
pub fn saved(id: u64);

#[receiver(signal = saved)]
fn log<T: Default>(_id: u64) {}

fn main() {}
