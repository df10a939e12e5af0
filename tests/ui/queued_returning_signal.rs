use signals::{Mailbox, signal};

#[signal]
pub fn priced(item: &str) -> u32;

fn main() {
    let mailbox = Mailbox::new();
    priced.connect_queued(&mailbox, |item: &str| item.len() as u32);
}
