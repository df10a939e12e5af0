use signals::{receiver, signal};

#[signal]
pub fn asked(question: u32) -> bool;

#[receiver(signal = asked, every = 2)]
fn answer(_question: &str) -> bool {
    true
}

fn main() {
    asked.send(1);
    answer("x");
}
