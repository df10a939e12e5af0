use signals::{receiver, signal};

pub struct Todo;
pub struct User;
pub struct Admin;

#[signal]
pub fn todo_done(item: &Todo);

#[receiver(signal = todo_done, sender = User)]
fn notify(_owner: &Admin, _item: &Todo) {}

fn main() {}
