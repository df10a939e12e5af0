use signals::{handler, signal};

#[signal]
pub fn ticked(step: u32);

pub struct Config;

pub struct Clock;

#[handler(name = "clock", config = Config)]
impl Clock {
    #[receiver(signal = ticked)]
    fn tick(&self, _step: u32) {}
}

fn main() {
    ticked.send(1);
}
