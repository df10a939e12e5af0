use signals::signal;

#[signal(async_inline = 512)]
pub fn fetched(id: u64);

fn main() {}
