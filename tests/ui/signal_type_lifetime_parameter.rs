use signals::signal;

#[signal]
pub type Changed<'a> = fn(value: &'a str);

fn main() {}
