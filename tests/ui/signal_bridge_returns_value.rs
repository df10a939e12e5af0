use signals::signal;

#[signal(bridge)]
pub fn quote(id: u64) -> u64;

fn main() {}
