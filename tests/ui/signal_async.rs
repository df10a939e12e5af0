use signals::signal;

#[signal]
pub async fn fetched(id: u64);

fn main() {}
