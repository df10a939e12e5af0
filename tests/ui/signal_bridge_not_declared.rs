use signals::{Bridge, signal};

#[signal]
pub fn opened(id: u64);

fn carry<S: Bridge>(_: S) {}

fn main() {
    carry(opened);
}
