use signals::{receiver, signal};

pub struct Todo;

#[signal]
pub fn todo_done(item: &Todo) {
    println!("done");
}

#[receiver(signal = todo_done)]
fn log_done(_item: &Todo) {}

fn main() {
    todo_done.send(&Todo);
    todo_done.connect(|_item| {});
}
