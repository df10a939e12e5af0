//! Sends that survive failing receivers: `send_robust` calls every
//! receiver whatever happens and reports each failure, `try_send` stops at
//! the first `Err`, and a signal's error hook sees every failure.

use std::error::Error;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use signals::{ConnectOptions, Failure, ReceiverError, receiver, signal};

/// The receivers of a signal, called in priority order, record their
/// names here; each test has its own signals.
fn record(log: &Mutex<Vec<&'static str>>, name: &'static str) {
    log.lock().unwrap().push(name);
}

#[signal]
pub fn first_fails(step: u32);

static FIRST_FAILS: Mutex<Vec<&str>> = Mutex::new(Vec::new());

#[receiver(signal = first_fails, priority = 3)]
fn first_fails_a(step: u32) {
    record(&FIRST_FAILS, "a");
    assert!(step != 1, "a refuses step {step}");
}

#[receiver(signal = first_fails, priority = 2)]
fn first_fails_b(step: u32) {
    record(&FIRST_FAILS, "b");
    assert!(step != 2, "b refuses step {step}");
}

#[receiver(signal = first_fails, priority = 1)]
fn first_fails_c(step: u32) {
    record(&FIRST_FAILS, "c");
    assert!(step != 3, "c refuses step {step}");
}

#[test]
fn a_failure_in_the_first_a_middle_or_the_last_receiver_stops_nobody() {
    for (step, failing) in [
        (1, "first_fails_a"),
        (2, "first_fails_b"),
        (3, "first_fails_c"),
    ] {
        FIRST_FAILS.lock().unwrap().clear();
        let failures = first_fails.send_robust(step);
        assert_eq!(*FIRST_FAILS.lock().unwrap(), ["a", "b", "c"]);
        assert_eq!(failures.len(), 1, "step {step}");
        let failure = &failures[0];
        assert_eq!(failure.signal(), "first_fails");
        assert_eq!(failure.receiver().name(), failing);
        let letter = &failing[failing.len() - 1..];
        let message = format!("{letter} refuses step {step}");
        assert_eq!(failure.panic_message(), Some(message.as_str()));
        assert_eq!(failure.failure(), &Failure::Panicked(message.clone()));
        assert_eq!(
            failure.to_string(),
            format!(
                "receiver `{}` of signal `first_fails` panicked: {message}",
                failure.receiver().path()
            )
        );
    }
    FIRST_FAILS.lock().unwrap().clear();
    assert!(first_fails.send_robust(0).is_empty());
    assert_eq!(*FIRST_FAILS.lock().unwrap(), ["a", "b", "c"]);
}

#[signal]
pub fn checked(step: u32);

#[receiver(signal = checked)]
fn refuses_two(step: u32) {
    assert!(step != 2, "two");
}

#[test]
fn a_panicking_send_leaves_the_signal_usable() {
    let caught = std::panic::catch_unwind(|| checked.send(2));
    assert!(caught.is_err());
    assert_eq!(checked.send_robust(2).len(), 1);
    checked.send(1);
}

#[signal]
pub fn measured(value: u32) -> u32;

#[receiver(signal = measured, priority = 2)]
fn doubled(value: u32) -> u32 {
    value * 2
}

#[receiver(signal = measured, priority = 1, when = is_even)]
fn halved(value: u32) -> u32 {
    assert!(value != 4, "four is not halved");
    value / 2
}

fn is_even(value: u32) -> bool {
    value % 2 == 0
}

#[test]
fn results_and_failures_come_in_call_order_and_skipped_receivers_give_none() {
    let results = measured.send_robust(6);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().ok(), Some(&12));
    assert_eq!(results[1].as_ref().ok(), Some(&3));

    // `halved` skips odd values: it gives no result at all.
    let results = measured.send_robust(3);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().ok(), Some(&6));

    let results = measured.send_robust(4);
    assert_eq!(results[0].as_ref().ok(), Some(&8));
    let failure = results[1].as_ref().unwrap_err();
    assert_eq!(failure.receiver().name(), "halved");
    assert_eq!(failure.panic_message(), Some("four is not halved"));
}

#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Refused(&'static str);

#[signal]
pub fn validated(input: &str) -> Result<usize, Refused>;

static VALIDATED: AtomicU32 = AtomicU32::new(0);

#[receiver(signal = validated, priority = 3)]
fn not_empty(input: &str) -> Result<usize, Refused> {
    VALIDATED.fetch_add(1, Ordering::Relaxed);
    if input.is_empty() {
        Err(Refused("empty"))
    } else {
        Ok(input.len())
    }
}

#[receiver(signal = validated, priority = 2)]
fn ascii(input: &str) -> Result<usize, Refused> {
    VALIDATED.fetch_add(1, Ordering::Relaxed);
    assert!(!input.starts_with('!'), "no shouting");
    if input.is_ascii() {
        Ok(0)
    } else {
        Err(Refused("not ascii"))
    }
}

#[receiver(signal = validated, priority = 1)]
fn counted(input: &str) -> Result<usize, Refused> {
    VALIDATED.fetch_add(1, Ordering::Relaxed);
    Ok(input.chars().count())
}

#[test]
fn an_err_is_a_failure_of_a_robust_send() {
    let results = validated.send_robust("é");
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().ok(), Some(&2));
    let failure = results[1].as_ref().unwrap_err();
    assert_eq!(failure.receiver().name(), "ascii");
    assert_eq!(failure.returned(), Some(&Refused("not ascii")));
    assert_eq!(failure.panic_message(), None);
    assert!(
        failure
            .to_string()
            .ends_with("returned an error: Refused(\"not ascii\")")
    );
    assert_eq!(results[2].as_ref().ok(), Some(&1));

    let results = validated.send_robust("!");
    let failure = results[1].as_ref().unwrap_err();
    assert_eq!(failure.panic_message(), Some("no shouting"));
    assert_eq!(results.len(), 3);
}

#[test]
fn try_send_stops_at_the_first_err_and_names_its_receiver() {
    let before = VALIDATED.load(Ordering::Relaxed);
    let error = validated.try_send("").unwrap_err();
    // `not_empty` refused: the two receivers after it were not called.
    assert_eq!(VALIDATED.load(Ordering::Relaxed) - before, 1);
    assert_eq!(error.receiver().name(), "not_empty");
    assert_eq!(error.signal(), "validated");
    assert_eq!(
        error.clone().into_failure(),
        Failure::Returned(Refused("empty"))
    );

    assert_eq!(validated.try_send("ok").unwrap(), [2, 0, 2]);
}

#[test]
fn a_receiver_error_converts_into_a_boxed_error() {
    fn check() -> Result<Vec<usize>, Box<dyn Error + Send + Sync>> {
        Ok(validated.try_send("")?)
    }
    let error = check().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("of signal `validated` returned an error")
    );
}

#[signal]
pub fn file_read(path: &str) -> std::io::Result<u64>;

#[receiver(signal = file_read)]
fn missing(path: &str) -> std::io::Result<u64> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        path.to_owned(),
    ))
}

#[test]
fn a_result_alias_is_a_result_too() {
    let error: ReceiverError<std::io::Error> = file_read.try_send("a.txt").unwrap_err();
    assert_eq!(
        error.returned().map(std::io::Error::kind),
        Some(std::io::ErrorKind::NotFound)
    );
    assert!(file_read.send_robust("a.txt")[0].is_err());
}

#[signal]
pub fn runtime_only(value: u32) -> u32;

#[test]
fn runtime_receivers_are_named_by_their_label() {
    let _named = runtime_only
        .connect_with(&ConnectOptions::new().name("strict"), |value: u32| {
            assert!(value < 10, "too large");
            value
        })
        .scoped();
    let _plain = runtime_only.connect(|value: u32| value + 1).scoped();
    let results = runtime_only.send_robust(20);
    let failure = results[0].as_ref().unwrap_err();
    assert_eq!(failure.receiver().label(), Some("strict"));
    assert!(failure.to_string().contains("panicked: too large"));
    assert_eq!(results[1].as_ref().ok(), Some(&21));
}

pub struct Upload;

#[signal]
pub fn uploaded(bytes: u64);

static UPLOADED: Mutex<Vec<&str>> = Mutex::new(Vec::new());

#[receiver(signal = uploaded, sender = Upload, priority = 1)]
fn from_upload(_upload: &Upload, bytes: u64) {
    record(&UPLOADED, "from_upload");
    assert!(bytes > 0, "empty upload");
}

#[receiver(signal = uploaded)]
fn any_upload(_bytes: u64) {
    record(&UPLOADED, "any_upload");
}

#[test]
fn a_robust_send_from_a_sender_reaches_its_receivers() {
    let failures = uploaded.send_from_robust(&Upload, 0);
    assert_eq!(*UPLOADED.lock().unwrap(), ["from_upload", "any_upload"]);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].receiver().sender(), Some("Upload"));
    // A plain send does not reach the filtered receiver.
    assert!(uploaded.send_robust(0).is_empty());
}

#[signal]
pub fn with_hook(value: u32) -> Result<u32, String>;

#[test]
fn a_signal_hook_sees_every_failure_of_a_robust_send() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    assert!(
        with_hook
            .set_error_hook(move |failure| log.lock().unwrap().push(failure.to_string()))
            .is_none()
    );
    let _failing = with_hook
        .connect(|value: u32| {
            assert!(value != 1, "one");
            Err(format!("refused {value}"))
        })
        .scoped();
    let _fine = with_hook.connect(Ok).scoped();

    let results = with_hook.send_robust(1);
    assert!(results[0].is_err());
    assert_eq!(results[1], Ok(1));
    let _ = with_hook.send_robust(2);
    let _ = with_hook.try_send(3);
    // A plain send propagates, and reports nothing.
    let _ = with_hook.send(4);

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen[0].ends_with("panicked: one"));
    assert!(seen[1].ends_with("returned an error: \"refused 2\""));
    assert!(seen[2].ends_with("returned an error: \"refused 3\""));
    drop(seen);
    assert!(with_hook.clear_error_hook().is_some());
}

#[signal]
pub type Progress = fn(done: u32);

#[test]
fn a_signal_type_sends_robustly_too() {
    let progress = Progress::new();
    let calls = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&calls);
    let _failing = progress
        .connect(|done| assert!(done < 100, "overflow"))
        .scoped();
    let _counting = progress
        .connect(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        })
        .scoped();
    let failures = progress.send_robust(100);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].signal(), "Progress");
    assert_eq!(calls.load(Ordering::Relaxed), 1);
}

/// An error type without `Debug`: its signals compile, and hooks see its
/// name.
pub struct Opaque(u32);

#[signal]
pub fn opaque_checked(value: u32) -> Result<u32, Opaque>;

#[test]
fn an_error_type_without_debug_is_shown_by_its_name() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    opaque_checked.set_error_hook(move |failure| log.lock().unwrap().push(failure.to_string()));
    let _refusing = opaque_checked.connect(|value| Err(Opaque(value))).scoped();
    let results = opaque_checked.send_robust(4);
    let error = results[0].as_ref().err().unwrap();
    assert_eq!(error.returned().map(|opaque| opaque.0), Some(4));
    assert!(opaque_checked.try_send(5).is_err());
    let seen = seen.lock().unwrap();
    assert!(
        seen[0].ends_with("returned an error: <test_robust::Opaque>"),
        "{seen:?}"
    );
    assert_eq!(seen.len(), 2);
}
