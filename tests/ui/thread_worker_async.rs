use signals::{Stop, thread_worker};

#[thread_worker]
async fn fetch() -> Result<u32, Stop<String>> {
    Ok(1)
}

fn main() {}
