use signals::{receiver, signal};

#[signal]
pub fn ran(run: u32);

#[receiver(signal = ran, max_calls = "three")]
fn limited(_run: u32) {}

fn main() {
    ran.send(1);
    limited(1);
}
