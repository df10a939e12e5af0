use signals::{handler, signal};

pub struct User;

#[signal]
pub async fn fetched(id: u64);

pub struct Cache;

#[handler]
impl Cache {
    #[receiver(signal = fetched, sender = User)]
    async fn refresh(&self, _id: u64) {}
}

fn main() {}
