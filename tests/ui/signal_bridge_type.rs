use signals::signal;

#[signal(bridge)]
pub type Progress = fn(done: u32);

fn main() {}
