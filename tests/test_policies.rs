//! Receiver policies (AMLTK's `every`, `when`, `max_calls`, `repeat`,
//! `hidden`) on static receivers: each alone, combined, and under
//! concurrent sends.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use signals::{receiver, signal};

/// Each test has its own signal, so that tests running in parallel do not
/// share counters.
macro_rules! calls {
    ($name:ident) => {
        static $name: AtomicU32 = AtomicU32::new(0);
    };
}

fn info(receivers: &[signals::ReceiverInfo], name: &str) -> signals::ReceiverInfo {
    receivers
        .iter()
        .find(|receiver| receiver.name() == name)
        .cloned()
        .unwrap_or_else(|| panic!("no receiver {name}"))
}

#[signal]
pub fn ran(run: u32);

calls!(EVERY_SECOND);
#[receiver(signal = ran, every = 2)]
fn every_second(_run: u32) {
    EVERY_SECOND.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn every_fires_on_multiples() {
    // AMLTK's example: every = 2 over five runs calls twice, on runs 2 and 4.
    for run in 1..=5 {
        ran.send(run);
    }
    assert_eq!(EVERY_SECOND.load(Ordering::Relaxed), 2);
    let described = info(&ran.receivers(), "every_second");
    assert_eq!(described.policy().every(), 2);
    assert_eq!(described.calls(), Some(2));
    assert!(!described.is_exhausted());
}

#[signal]
pub fn result_ready(value: u32);

static SEEN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

#[receiver(signal = result_ready, max_calls = 3)]
fn first_three(value: u32) {
    SEEN.lock().unwrap().push(value);
}

#[test]
fn max_calls_leaves_the_receiver_inert_and_listed() {
    for value in 1..=5 {
        result_ready.send(value);
    }
    assert_eq!(*SEEN.lock().unwrap(), [1, 2, 3]);
    let described = info(&result_ready.receivers(), "first_three");
    assert_eq!(described.calls(), Some(3));
    assert!(described.is_exhausted());
    assert!(
        described
            .to_string()
            .contains("max_calls = 3, 3 calls, exhausted"),
        "{described}"
    );
}

#[signal]
pub fn started();

calls!(REPEATED);
#[receiver(signal = started, repeat = 3, max_calls = 2)]
fn repeated() {
    REPEATED.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn a_repeat_counts_once_towards_max_calls() {
    for _ in 0..4 {
        started.send();
    }
    // Two admitted sends, three calls each.
    assert_eq!(REPEATED.load(Ordering::Relaxed), 6);
    assert_eq!(info(&started.receivers(), "repeated").calls(), Some(2));
}

#[signal]
pub fn polled(attempt: u32);

static READY: AtomicBool = AtomicBool::new(false);
static WHEN_ASKED: AtomicU32 = AtomicU32::new(0);

fn is_ready(_attempt: u32) -> bool {
    WHEN_ASKED.fetch_add(1, Ordering::Relaxed);
    READY.load(Ordering::Relaxed)
}

static POLLED: Mutex<Vec<u32>> = Mutex::new(Vec::new());

#[receiver(signal = polled, every = 2, when = is_ready, max_calls = 1)]
fn when_ready(attempt: u32) {
    POLLED.lock().unwrap().push(attempt);
}

#[test]
fn the_order_is_count_every_when_max_calls() {
    // Sends 1..=4 while not ready: `every` lets 2 and 4 through to `when`,
    // which says no, and uses up nothing.
    for attempt in 1..=4 {
        polled.send(attempt);
    }
    assert_eq!(WHEN_ASKED.load(Ordering::Relaxed), 2);
    assert!(POLLED.lock().unwrap().is_empty());
    READY.store(true, Ordering::Relaxed);
    // 5 is not a multiple of 2; 6 is, and is the one call `max_calls` allows.
    for attempt in 5..=10 {
        polled.send(attempt);
    }
    assert_eq!(*POLLED.lock().unwrap(), [6]);
    let described = info(&polled.receivers(), "when_ready");
    assert_eq!(described.policy().when(), Some("is_ready"));
    assert!(described.is_exhausted());
}

#[signal]
pub fn failed();

calls!(PANICKED);
#[receiver(signal = failed, max_calls = 2)]
fn panics() {
    PANICKED.fetch_add(1, Ordering::Relaxed);
    panic!("receiver failed");
}

#[test]
fn a_call_that_panics_counts() {
    for _ in 0..3 {
        let sent = catch_unwind(AssertUnwindSafe(|| failed.send()));
        assert!(sent.is_err() || PANICKED.load(Ordering::Relaxed) == 2);
    }
    assert_eq!(PANICKED.load(Ordering::Relaxed), 2);
    assert!(info(&failed.receivers(), "panics").is_exhausted());
}

#[signal]
pub fn raced();

calls!(RACED);
#[receiver(signal = raced, max_calls = 3)]
fn three_times_only() {
    RACED.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn max_calls_is_exact_under_concurrent_sends() {
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..100 {
                    raced.send();
                }
            });
        }
    });
    assert_eq!(RACED.load(Ordering::Relaxed), 3);
}

#[signal]
pub fn housekeeping();

#[receiver(signal = housekeeping, hidden)]
fn quiet() {}

#[test]
fn hidden_is_described() {
    let described = info(&housekeeping.receivers(), "quiet");
    assert!(described.policy().is_hidden());
    assert_eq!(described.policy().to_string(), "hidden");
}

pub struct User {
    pub name: String,
}

#[signal]
pub fn logged_in(first: bool);

static GREETED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn first_time(_user: &User, first: bool) -> bool {
    first
}

#[receiver(signal = logged_in, sender = User, when = first_time, max_calls = 2)]
fn greet(user: &User, _first: bool) {
    GREETED.lock().unwrap().push(user.name.clone());
}

#[test]
fn policies_on_a_receiver_that_takes_the_sender() {
    let ann = User { name: "ann".into() };
    logged_in.send_from(&ann, false);
    logged_in.send_from(&ann, true);
    logged_in.send(true); // no sender: not this receiver's send
    logged_in.send_from(&std::sync::Arc::new(User { name: "bob".into() }), true);
    logged_in.send_from(&ann, true);
    assert_eq!(*GREETED.lock().unwrap(), ["ann", "bob"]);
}

// Runtime receivers: the same policies through `ConnectOptions`.

#[signal]
pub fn ticked(tick: u32) -> u32;

#[test]
fn runtime_policies_skip_and_leave_no_result() {
    let options = signals::ConnectOptions::new()
        .name("every third, twice")
        .every(3)
        .and_then(|options| options.max_calls(2))
        .expect("valid policies");
    let connection = ticked.connect_with(&options, |tick| tick * 10);
    let results: Vec<Vec<u32>> = (1..=10).map(|tick| ticked.send(tick)).collect();
    assert_eq!(
        results,
        [
            vec![],
            vec![],
            vec![30],
            vec![],
            vec![],
            vec![60],
            vec![],
            vec![],
            vec![],
            vec![]
        ]
    );
    let listed = ticked.receivers();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].label(), Some("every third, twice"));
    assert_eq!(listed[0].path(), "every third, twice");
    assert_eq!(listed[0].calls(), Some(2));
    assert!(listed[0].is_exhausted());
    assert!(
        listed[0].to_string().starts_with(
            "every third, twice (runtime, every = 3, max_calls = 2, 2 calls, exhausted,"
        ),
        "{}",
        listed[0]
    );
    assert!(
        connection.is_connected(),
        "an exhausted receiver stays connected"
    );
}

#[test]
fn refused_runtime_values_are_typed_errors() {
    let every = signals::ConnectOptions::new().every(0).unwrap_err();
    assert_eq!((every.option(), every.value()), ("every", 0));
    let max = signals::ConnectOptions::new().max_calls(0).unwrap_err();
    assert_eq!(max.option(), "max_calls");
    assert_eq!(
        max.to_string(),
        "`max_calls(0)` is refused: max_calls(n) calls the receiver n times at most, with n at least 1"
    );
}

#[signal]
pub fn raced_at_run_time();

#[test]
fn runtime_max_calls_is_exact_under_concurrent_sends() {
    let calls = std::sync::Arc::new(AtomicU32::new(0));
    let counted = std::sync::Arc::clone(&calls);
    let options = signals::ConnectOptions::new()
        .max_calls(3)
        .expect("valid policy");
    let _connection = raced_at_run_time.connect_with(&options, move || {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..100 {
                    raced_at_run_time.send();
                }
            });
        }
    });
    assert_eq!(calls.load(Ordering::Relaxed), 3);
}

#[signal]
pub fn visited(page: u32);

#[test]
fn only_the_sends_that_reach_a_filtered_receiver_count() {
    let seen = std::sync::Arc::new(Mutex::new(Vec::new()));
    let recorded = std::sync::Arc::clone(&seen);
    let options = signals::ConnectOptions::new()
        .every(2)
        .expect("valid policy");
    let _connection = visited.connect_from_with(&options, move |user: &User, page| {
        recorded
            .lock()
            .unwrap()
            .push(format!("{} {page}", user.name));
    });
    let ann = User { name: "ann".into() };
    for page in 1..=6 {
        visited.send(page); // no sender: not counted
        visited.send_from(&ann, page);
    }
    assert_eq!(*seen.lock().unwrap(), ["ann 2", "ann 4", "ann 6"]);
}

#[signal]
pub fn launched();

#[test]
fn runtime_repeat_counts_once_towards_max_calls() {
    let calls = std::sync::Arc::new(AtomicU32::new(0));
    let counted = std::sync::Arc::clone(&calls);
    let options = signals::ConnectOptions::new()
        .max_calls(2)
        .and_then(|options| options.repeat(3))
        .expect("valid policies");
    let _workers = launched.connect_with(&options, move || {
        counted.fetch_add(1, Ordering::Relaxed);
    });
    for _ in 0..4 {
        launched.send();
    }
    assert_eq!(calls.load(Ordering::Relaxed), 6);
    let listed = launched.receivers();
    assert_eq!(listed[0].policy().repeat(), 3);
    assert_eq!(listed[0].calls(), Some(2));
    assert!(listed[0].is_exhausted());
    let refused = signals::ConnectOptions::new().repeat(0).unwrap_err();
    assert_eq!(refused.option(), "repeat");
}

#[signal]
pub fn attempted(attempt: u32) -> u32;

#[test]
fn runtime_when_sees_the_arguments_and_uses_up_nothing_when_false() {
    let asked = std::sync::Arc::new(Mutex::new(Vec::new()));
    let recorded = std::sync::Arc::clone(&asked);
    let options = signals::ConnectOptions::new()
        .every(2)
        .and_then(|options| options.max_calls(2))
        .expect("valid policies");
    let _connection = attempted.connect_when(
        &options,
        move |attempt| {
            recorded.lock().unwrap().push(attempt);
            attempt > 4
        },
        |attempt| attempt * 100,
    );
    let results: Vec<Vec<u32>> = (1..=12).map(|attempt| attempted.send(attempt)).collect();
    // `every` lets the even attempts through to `when` (asked before
    // `max_calls`, as AMLTK does), which says yes from 6 on; `max_calls`
    // then allows two calls.
    assert_eq!(*asked.lock().unwrap(), [2, 4, 6, 8, 10, 12]);
    let answered: Vec<u32> = results.into_iter().flatten().collect();
    assert_eq!(answered, [600, 800]);
    let listed = attempted.receivers();
    assert!(
        listed[0]
            .policy()
            .when()
            .is_some_and(|when| when.contains("{{closure}}"))
    );
    assert_eq!(listed[0].calls(), Some(2));
    assert!(listed[0].is_exhausted());
}

#[signal]
pub fn started_twice(run: u32);

#[test]
fn runtime_when_with_repeat() {
    let calls = std::sync::Arc::new(AtomicU32::new(0));
    let counted = std::sync::Arc::clone(&calls);
    let options = signals::ConnectOptions::new()
        .repeat(2)
        .expect("valid policy");
    let _connection = started_twice.connect_when(
        &options,
        |run| run % 2 == 1,
        move |_| {
            counted.fetch_add(1, Ordering::Relaxed);
        },
    );
    for run in 1..=4 {
        started_twice.send(run);
    }
    assert_eq!(calls.load(Ordering::Relaxed), 4, "runs 1 and 3, twice each");
}

// A static receiver that returns a value may have a policy: the sends it
// skips give no result.

#[signal]
pub fn graded(attempt: u32) -> u32;

#[receiver(signal = graded)]
fn always(attempt: u32) -> u32 {
    attempt
}

fn passed(attempt: u32) -> bool {
    attempt % 3 == 0
}

#[receiver(signal = graded, when = passed, max_calls = 2, priority = 1)]
fn bonus(attempt: u32) -> u32 {
    attempt * 100
}

#[test]
fn a_static_receiver_with_a_policy_may_return_a_value() {
    let results: Vec<Vec<u32>> = (1..=9).map(|attempt| graded.send(attempt)).collect();
    assert_eq!(
        results,
        [
            vec![1],
            vec![2],
            vec![300, 3],
            vec![4],
            vec![5],
            vec![600, 6],
            vec![7],
            vec![8],
            vec![9],
        ]
    );
    let lazily: Vec<u32> = graded.send_iter(12).collect();
    assert_eq!(lazily, [12], "max_calls used up");
    assert!(info(&graded.receivers(), "bonus").is_exhausted());
}
