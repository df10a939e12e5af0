//! What receivers may do while a send calls them: connect, disconnect
//! (themselves or others), send the same signal again; and what a panicking
//! receiver leaves behind.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use signals::{Connection, signal};

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, entry: impl Into<String>) {
        self.0.lock().unwrap().push(entry.into());
    }
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[test]
fn a_receiver_connected_during_a_send_is_called_from_the_next_send() {
    #[signal]
    fn opened(round: u32);

    let log = Log::default();
    let connected = Arc::new(AtomicU32::new(0));
    opened.connect({
        let log = log.clone();
        move |round| {
            log.push(format!("connector {round}"));
            if connected.fetch_add(1, Ordering::Relaxed) == 0 {
                let log = log.clone();
                opened.connect(move |round| log.push(format!("late {round}")));
            }
        }
    });
    opened.send(1);
    opened.send(2);
    assert_eq!(log.take(), ["connector 1", "connector 2", "late 2"]);
}

#[test]
fn a_receiver_can_disconnect_itself_and_a_later_receiver() {
    #[signal]
    fn closed(round: u32);

    let log = Log::default();
    let own: Arc<OnceLock<Connection>> = Arc::default();
    let later: Arc<OnceLock<Connection>> = Arc::default();
    let first = closed.connect({
        let (log, own, later) = (log.clone(), Arc::clone(&own), Arc::clone(&later));
        move |round| {
            log.push(format!("first {round}"));
            assert!(own.get().unwrap().disconnect());
            assert!(later.get().unwrap().disconnect());
        }
    });
    own.set(first).unwrap();
    let second = closed.connect({
        let log = log.clone();
        move |round| log.push(format!("second {round}"))
    });
    later.set(second).unwrap();
    closed.send(1);
    closed.send(2);
    assert_eq!(
        log.take(),
        ["first 1"],
        "the later receiver, disconnected during the send, was skipped"
    );
    assert!(closed.receivers().is_empty());
}

#[test]
fn a_receiver_can_send_the_same_signal_again() {
    #[signal]
    fn countdown(from: u32);

    let log = Log::default();
    let _connection = countdown
        .connect({
            let log = log.clone();
            move |from| {
                log.push(from.to_string());
                if from > 0 {
                    countdown.send(from - 1);
                }
            }
        })
        .scoped();
    countdown.send(3);
    assert_eq!(log.take(), ["3", "2", "1", "0"]);
}

#[test]
fn a_panicking_receiver_propagates_and_leaves_the_signal_usable() {
    #[signal]
    fn failed(code: u32);

    let log = Log::default();
    let _before = failed
        .connect({
            let log = log.clone();
            move |code| log.push(format!("before {code}"))
        })
        .scoped();
    let panicking = failed.connect(|code| assert!(code != 13, "unlucky"));
    let _after = failed
        .connect({
            let log = log.clone();
            move |code| log.push(format!("after {code}"))
        })
        .scoped();

    let result = catch_unwind(AssertUnwindSafe(|| failed.send(13)));
    assert!(result.is_err());
    assert_eq!(
        log.take(),
        ["before 13"],
        "receivers after the panic did not run"
    );

    // Nothing is poisoned: sending, connecting and disconnecting still work.
    failed.send(1);
    assert!(panicking.disconnect());
    let _extra = failed
        .connect({
            let log = log.clone();
            move |code| log.push(format!("extra {code}"))
        })
        .scoped();
    failed.send(2);
    assert_eq!(
        log.take(),
        ["before 1", "after 1", "before 2", "after 2", "extra 2"]
    );
}
