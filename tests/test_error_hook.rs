//! The process-wide error hook, alone in its test binary: it sees the
//! failures of every signal, after the failing signal's own hook.

use std::sync::{Arc, Mutex};

use signals::{ConnectOptions, receiver, signal};

#[signal]
pub fn exported(rows: u32);

#[receiver(signal = exported)]
fn strict_export(rows: u32) {
    assert!(rows > 0, "nothing to export");
}

#[signal]
pub fn indexed(rows: u32) -> Result<u32, String>;

#[test]
fn the_process_hook_sees_every_signal_after_the_signal_hook() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let process_log = Arc::clone(&seen);
    assert!(
        signals::set_error_hook(move |failure| {
            // The other test of this binary fails on purpose too.
            if failure.signal() != "ticked" {
                let receiver = failure.receiver().name().rsplit("::").next().unwrap();
                process_log
                    .lock()
                    .unwrap()
                    .push(format!("process: {} {receiver}", failure.signal()));
            }
        })
        .is_none()
    );
    let signal_log = Arc::clone(&seen);
    // Set through the registry, by name, as configuration would.
    signals::lookup("exported")
        .unwrap()
        .set_error_hook(move |failure| {
            signal_log
                .lock()
                .unwrap()
                .push(format!("signal: {}", failure.panic_message().unwrap_or("")));
        });
    let _refusing = indexed
        .connect(|rows: u32| Err(format!("{rows} rows refused")))
        .scoped();

    assert_eq!(exported.send_robust(0).len(), 1);
    assert_eq!(indexed.send_robust(3).len(), 1);
    exported.send_robust(1).is_empty().then_some(()).unwrap();

    let seen_now = seen.lock().unwrap().clone();
    assert_eq!(
        seen_now,
        [
            "signal: nothing to export",
            "process: exported strict_export",
            "process: indexed {{closure}}",
        ]
    );

    // Once removed, hooks see nothing more; the failures are still returned.
    assert!(
        signals::lookup("exported")
            .unwrap()
            .clear_error_hook()
            .is_some()
    );
    assert!(signals::clear_error_hook().is_some());
    assert_eq!(exported.send_robust(0).len(), 1);
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[signal]
pub fn ticked(tick: u32);

#[test]
fn each_repeat_of_a_runtime_receiver_is_a_call_of_its_own() {
    let calls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&calls);
    let _thrice = ticked
        .connect_with(
            &ConnectOptions::new().repeat(3).unwrap(),
            move |tick: u32| {
                *counter.lock().unwrap() += 1;
                assert!(tick != 7, "seven");
            },
        )
        .scoped();
    assert_eq!(ticked.send_robust(7).len(), 3);
    assert_eq!(*calls.lock().unwrap(), 3);
}
