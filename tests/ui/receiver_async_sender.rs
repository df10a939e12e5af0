use signals::{receiver, signal};

pub struct User;

#[signal]
pub async fn fetched(id: u64);

#[receiver(signal = fetched, sender = User)]
async fn for_user(_user: &User, _id: u64) {}

#[receiver(signal = fetched, repeat = 2)]
async fn twice(_id: u64) {}

fn main() {}
