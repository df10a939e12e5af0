use signals::signal;

#[signal]
pub struct TodoDone;

fn main() {}
