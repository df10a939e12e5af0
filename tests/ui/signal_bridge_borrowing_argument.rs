use signals::signal;

#[signal(bridge)]
pub fn logged(id: u64, line: &dyn std::fmt::Display);

fn main() {}
