use signals::{receiver, signal};

pub struct Todo;
pub struct User;

#[signal]
pub fn todo_done(item: &Todo);

#[receiver(signal = todo_done)]
fn log_done(_user: &User) {}

fn main() {}
