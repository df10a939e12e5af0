use signals::{receiver, signal};

pub struct Todo;
pub struct User;

#[signal]
pub fn todo_done(item: &Todo);

#[receiver(signal = todo_done, sender = User)]
fn notify(_owner: &User, _item: &Todo, _extra: u32) {}

fn main() {}
