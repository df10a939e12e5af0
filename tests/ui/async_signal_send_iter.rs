use signals::signal;

#[signal]
pub async fn quoted(id: u64) -> u64;

fn main() {
    let _total: u64 = quoted.send_iter(1).sum();
}
