use signals::signal;

#[signal]
pub type Renamed = fn(name: String);

fn main() {}
