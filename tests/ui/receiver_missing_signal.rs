use signals::receiver;

pub struct User;

#[receiver(sender = User)]
fn log_done() {}

fn main() {}
