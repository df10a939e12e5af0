use signals::{receiver, signal};

pub struct User;

#[signal]
pub fn asked(question: u32) -> bool;

#[receiver(signal = asked, sender = User, every = 2)]
fn answer(_user: &User, _question: u32) -> bool {
    true
}

fn main() {
    asked.send_from(&User, 1);
    answer(&User, 1);
}
