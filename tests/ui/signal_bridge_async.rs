use signals::signal;

#[signal(bridge)]
pub async fn paid(id: u64);

fn main() {}
