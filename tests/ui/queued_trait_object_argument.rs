use signals::{Mailbox, signal};

pub trait Shape {}

#[signal]
pub fn drawn(shape: &dyn Shape);

fn main() {
    let mailbox = Mailbox::new();
    drawn.connect_queued(&mailbox, |_shape: &dyn Shape| {});
}
