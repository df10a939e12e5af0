use signals::{Signals, signal};

#[signal]
pub type Event = fn();

#[derive(Signals)]
pub struct Scheduler(Event);

fn main() {}
