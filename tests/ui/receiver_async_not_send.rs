use std::rc::Rc;

use signals::{receiver, signal};

#[signal]
pub async fn fetched(id: u64);

async fn pause() {}

#[receiver(signal = fetched)]
async fn cache(id: u64) {
    let local = Rc::new(id);
    pause().await;
    drop(local);
}

fn main() {}
