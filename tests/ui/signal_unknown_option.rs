use signals::signal;

#[signal(name = "done")]
pub fn todo_done();

fn main() {}
