use signals::signal;

pub struct Buffer;

#[signal]
pub fn filled(buffer: Option<&mut Buffer>);

fn main() {}
