use std::any::Any;

use signals::{receiver, signal};

#[signal]
pub fn saved(id: u64);

#[receiver(signal = saved, sender = dyn Any)]
fn audit(_sender: &dyn Any, _id: u64) {}

fn main() {
    saved.send(1);
    audit(&1_u8, 1);
}
