use signals::{Mailbox, signal};

pub struct Cart;

#[signal]
pub fn checked_out(cart: &mut Cart);

fn main() {
    let mailbox = Mailbox::new();
    checked_out.connect_queued(&mailbox, |_cart: &mut Cart| {});
}
