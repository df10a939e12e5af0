use signals::signal;

#[signal]
pub fn logged(level: u8, args: ...);

fn main() {}
