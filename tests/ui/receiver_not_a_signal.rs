use signals::receiver;

pub struct Todo;

#[receiver(signal = Todo)]
fn log_done(_item: &Todo) {}

fn main() {}
