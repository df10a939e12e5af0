use signals::handler;

pub struct Idle;

#[handler]
impl Idle {
    fn rest(&self) {}
}

fn main() {
    Idle.rest();
}
