use signals::signal;

pub struct Cart;

#[signal]
pub async fn checked_out(cart: &mut Cart);

fn main() {}
