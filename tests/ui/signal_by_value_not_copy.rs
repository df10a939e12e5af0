use signals::signal;

#[signal]
pub fn renamed(name: String);

fn main() {
    renamed.send(String::from("ann"));
}
