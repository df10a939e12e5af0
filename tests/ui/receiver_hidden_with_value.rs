use signals::{receiver, signal};

#[signal]
pub fn ran(run: u32);

#[receiver(signal = ran, hidden = true)]
fn quiet(_run: u32) {}

fn main() {
    ran.send(1);
    quiet(1);
}
