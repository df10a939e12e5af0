use signals::receiver;

pub struct Todo;

fn todo_done(_: &Todo) {}

#[receiver(signal = todo_done)]
fn log_done(_item: &Todo) {}

fn main() {}
