use signals::{handler, signal};

#[signal]
pub fn ticked(step: u32);

pub struct Counter {
    count: u32,
}

#[handler]
impl Counter {
    #[receiver(signal = ticked)]
    fn count(&mut self, _step: u32) {
        self.count += 1;
    }
}

fn main() {
    ticked.send(1);
    let _ = Counter { count: 0 }.count;
}
