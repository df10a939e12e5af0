use signals::{Co, thread_worker};

#[thread_worker]
fn count(limit: u32, _co: &mut Co<u32, (), String>) -> u32 {
    limit
}

fn main() {}
