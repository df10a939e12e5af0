//! What a signal can carry: shared and mutable references, `Copy` values,
//! several arguments or none, explicit lifetimes.

use std::cell::Cell;

use signals::{receiver, signal};

/// NiftyNet's iteration message: handlers add what they need to it.
#[derive(Default)]
pub struct IterationMessage {
    pub iteration: u32,
    pub ops_to_run: Vec<&'static str>,
}

#[signal]
pub fn iteration_started(message: &mut IterationMessage);

#[receiver(signal = iteration_started, priority = 1)]
fn add_training_op(message: &mut IterationMessage) {
    message.ops_to_run.push("train");
}

#[receiver(signal = iteration_started)]
fn add_summary_every_ten(message: &mut IterationMessage) {
    if message.iteration % 10 == 0 {
        message.ops_to_run.push("summary");
    }
}

#[test]
fn a_mutable_argument_is_reborrowed_for_each_receiver() {
    let mut message = IterationMessage {
        iteration: 10,
        ..IterationMessage::default()
    };
    iteration_started.send(&mut message);
    assert_eq!(message.ops_to_run, ["train", "summary"]);
    message.iteration = 11;
    iteration_started.send(&mut message);
    assert_eq!(message.ops_to_run, ["train", "summary", "train"]);
}

thread_local! {
    static LAST: Cell<(u32, f64, char)> = const { Cell::new((0, 0.0, ' ')) };
    static TICKS: Cell<u32> = const { Cell::new(0) };
}

#[signal]
pub fn measured(sensor: u32, value: f64, unit: char);

#[receiver(signal = measured)]
fn keep_last(sensor: u32, value: f64, unit: char) {
    LAST.with(|last| last.set((sensor, value, unit)));
}

#[test]
fn copy_values_by_value() {
    measured.send(7, 21.5, 'C');
    assert_eq!(LAST.with(Cell::get), (7, 21.5, 'C'));
}

#[signal]
pub fn tick();

#[receiver(signal = tick)]
fn count_tick() {
    TICKS.with(|ticks| ticks.set(ticks.get() + 1));
}

#[test]
fn zero_argument_signals() {
    tick.send();
    tick.send();
    assert_eq!(TICKS.with(Cell::get), 2);
}

#[signal]
pub fn compared<'a>(left: &'a str, right: &'a str) -> bool;

#[receiver(signal = compared)]
fn same_length<'a>(left: &'a str, right: &'a str) -> bool {
    left.len() == right.len()
}

// A receiver spells the signal's lifetimes as the signal does.
#[receiver(signal = compared)]
fn same_start<'a>(left: &'a str, right: &'a str) -> bool {
    left.chars().next() == right.chars().next()
}

#[test]
fn explicit_lifetimes_and_several_arguments() {
    assert_eq!(compared.send("ann", "abe"), [true, true]);
    assert_eq!(compared.send("ann", "bob"), [true, false]);
    assert!(!compared.send_iter("ann", "zoe").all(|same| same));
}

#[test]
fn a_signal_is_a_copyable_value() {
    let signal = tick;
    let copy = signal;
    assert_eq!(format!("{copy:?}"), "tick");
    assert_eq!(<tick as signals::Signal>::NAME, "tick");
    assert_eq!(
        <compared as signals::Signal>::SIGNATURE,
        "fn(left: &'a str, right: &'a str) -> bool"
    );
    assert_eq!(
        <iteration_started as signals::Signal>::SIGNATURE,
        "fn(message: &mut IterationMessage)"
    );
}
