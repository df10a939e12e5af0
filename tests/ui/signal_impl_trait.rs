use signals::signal;

#[signal]
pub fn printed(item: &impl std::fmt::Display);

fn main() {}
