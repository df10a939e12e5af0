use signals::signal;

pub struct Todo;

#[signal]
pub fn todo_done(item: &Todo) {
    println!("done");
}

fn main() {}
