use signals::{receiver, signal};

#[signal]
pub fn ran(run: u32);

fn is_ready() -> bool {
    true
}

#[receiver(signal = ran, when = is_ready)]
fn when_ready(_run: u32) {}

fn main() {
    ran.send(1);
    when_ready(1);
}
