use signals::signal;

#[signal]
pub fn changed<T>(item: &T);

fn main() {}
