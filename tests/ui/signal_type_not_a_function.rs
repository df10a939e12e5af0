use signals::signal;

#[signal]
pub type Changed = Vec<String>;

fn main() {}
