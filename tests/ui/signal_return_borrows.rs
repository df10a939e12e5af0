use signals::signal;

pub struct Todo {
    pub title: String,
}

#[signal]
pub fn titled(item: &Todo) -> &str;

fn main() {}
