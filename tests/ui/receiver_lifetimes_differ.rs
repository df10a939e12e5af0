use signals::{receiver, signal};

#[signal]
pub fn compared<'a>(left: &'a str, right: &'a str) -> bool;

// The signal ties both lifetimes; this receiver's type does not.
#[receiver(signal = compared)]
fn same_start(left: &str, right: &str) -> bool {
    left.chars().next() == right.chars().next()
}

fn main() {}
