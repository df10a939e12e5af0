use signals::{handler, signal};

#[signal]
pub fn ticked(step: u32);

pub struct Clock;

#[handler(name = "clock")]
impl Clock {
    #[receiver(signal = ticked)]
    fn tick(&self, _step: u32) {}
}

fn main() {
    ticked.send(1);
}
