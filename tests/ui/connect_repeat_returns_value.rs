use signals::{ConnectOptions, signal};

#[signal]
pub fn asked(question: u32) -> bool;

fn main() {
    let options = ConnectOptions::new().repeat(2).unwrap();
    let _connection = asked.connect_with(&options, |_question| true);
}
