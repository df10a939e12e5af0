use signals::{handler, signal};

#[signal]
pub fn asked(question: u32) -> bool;

pub struct Oracle;

#[handler]
impl Oracle {
    #[receiver(signal = asked, repeat = 2)]
    fn answer(&self, _question: u32) -> bool {
        true
    }
}

fn main() {
    asked.send(1);
}
