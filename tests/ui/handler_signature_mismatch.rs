use signals::{handler, signal};

#[signal]
pub fn ticked(step: u32);

pub struct Clock;

#[handler]
impl Clock {
    #[receiver(signal = ticked)]
    fn tick(&self, _step: &str) {}
}

fn main() {
    ticked.send(1);
}
