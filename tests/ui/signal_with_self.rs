use signals::signal;

#[signal]
pub fn changed(&self);

fn main() {}
