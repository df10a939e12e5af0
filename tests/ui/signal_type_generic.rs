use signals::signal;

#[signal]
pub type Changed<T> = fn(value: &T);

fn main() {}
