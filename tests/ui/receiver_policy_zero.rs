use signals::{receiver, signal};

#[signal]
pub fn ran(run: u32);

#[receiver(signal = ran, every = 0)]
fn never(_run: u32) {}

fn main() {
    ran.send(1);
    never(1);
}
