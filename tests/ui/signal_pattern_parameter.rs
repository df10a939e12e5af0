use signals::signal;

#[signal]
pub fn moved((x, y): (i32, i32));

fn main() {}
