use signals::{receiver, signal};

#[signal]
pub fn booted();

#[receiver(prio = 1, signal = booted)]
fn greet() {}

fn main() {
    booted.send();
    greet();
}
