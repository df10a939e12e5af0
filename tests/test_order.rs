//! Receivers run by priority, highest first, then by path
//! (`module::function`): never by declaration or link order.

use std::cell::RefCell;

use signals::{ReceiverInfo, receiver, signal};

thread_local! {
    static CALLS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

fn record(name: &'static str) {
    CALLS.with(|calls| calls.borrow_mut().push(name));
}

fn take() -> Vec<&'static str> {
    CALLS.with(RefCell::take)
}

#[signal]
pub fn started();

#[receiver(signal = started)]
fn zeta() {
    record("zeta");
}

#[receiver(signal = started, priority = -10)]
fn cleanup() {
    record("cleanup");
}

#[receiver(signal = started)]
fn alpha() {
    record("alpha");
}

#[receiver(signal = started, priority = 100)]
fn urgent() {
    record("urgent");
}

mod beta {
    use signals::receiver;

    #[receiver(signal = super::started)]
    fn handler() {
        super::record("beta::handler");
    }
}

#[test]
fn priority_first_then_path() {
    started.send();
    assert_eq!(
        take(),
        [
            "urgent",
            "alpha",
            "beta::handler",
            "zeta",
            "cleanup",
            "both"
        ]
    );
}

#[test]
fn introspection_shows_the_same_order() {
    let order: Vec<String> = started.receivers().iter().map(ReceiverInfo::path).collect();
    assert_eq!(
        order,
        [
            "test_order::urgent",
            "test_order::alpha",
            "test_order::beta::handler",
            "test_order::zeta",
            "test_order::cleanup",
            "test_order::both",
        ]
    );
    let priorities: Vec<i32> = started
        .receivers()
        .iter()
        .map(ReceiverInfo::priority)
        .collect();
    assert_eq!(priorities, [100, 0, 0, 0, -10, -20]);
}

#[signal]
pub fn stopped();

// One function, two signals, like Django's `@receiver([a, b])`.
#[receiver(signal = started, priority = -20)]
#[receiver(signal = stopped)]
fn both() {
    record("both");
}

#[test]
fn one_function_receives_several_signals_and_stays_callable() {
    stopped.send();
    assert_eq!(take(), ["both"]);
    both();
    assert_eq!(take(), ["both"]);
    started.send();
    assert_eq!(take().last(), Some(&"both"));
}
