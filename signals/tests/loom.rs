//! A loom model of the connection list: every interleaving of connects,
//! disconnects and sends on a few threads, within loom's preemption bound.
//!
//! ```sh
//! RUSTFLAGS="--cfg loom" cargo test -p signals --test loom --release
//! ```
//!
//! (`scripts/loom.sh` runs exactly that.) The reader slots that protect the
//! snapshots, and the reclamation of what writers unlink, are modelled too:
//! under loom their sequentially consistent accesses become release and
//! acquire accesses with `SeqCst` fences, which loom models.
#![cfg(loom)]

use loom::sync::Arc;
use loom::sync::atomic::AtomicUsize;
use loom::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};
use loom::thread;
use signals::signal;

#[signal]
type Tick = fn(value: usize);

/// The connection list exists before the threads start: its lazy creation
/// uses `std`'s `OnceLock`, which loom cannot schedule around.
fn tick() -> Arc<Tick> {
    let tick = Tick::new();
    drop(tick.mute());
    Arc::new(tick)
}

fn counter(tick: &Tick) -> (Arc<AtomicUsize>, signals::Connection) {
    let calls = Arc::new(AtomicUsize::new(0));
    let connection = tick.connect({
        let calls = Arc::clone(&calls);
        move |_| {
            calls.fetch_add(1, Relaxed);
        }
    });
    (calls, connection)
}

#[test]
fn a_send_that_starts_after_disconnect_returns_does_not_call() {
    loom::model(|| {
        let tick = tick();
        let (calls, connection) = counter(&tick);
        let disconnected = Arc::new(AtomicUsize::new(0));
        let sender = thread::spawn({
            let (tick, calls, disconnected) = (
                Arc::clone(&tick),
                Arc::clone(&calls),
                Arc::clone(&disconnected),
            );
            move || {
                tick.send(1);
                if disconnected.load(Acquire) == 1 {
                    let before = calls.load(Relaxed);
                    tick.send(2);
                    assert_eq!(
                        calls.load(Relaxed),
                        before,
                        "called after disconnect returned"
                    );
                }
            }
        });
        assert!(connection.disconnect());
        disconnected.store(1, Release);
        sender.join().unwrap();
        assert!(calls.load(Relaxed) <= 1);
        assert!(tick.receivers().is_empty());
    });
}

#[test]
fn a_receiver_connected_during_a_send_is_called_from_the_next_send() {
    loom::model(|| {
        let tick = tick();
        let (first_calls, _first) = counter(&tick);
        let connector = thread::spawn({
            let tick = Arc::clone(&tick);
            move || counter(&tick)
        });
        tick.send(1);
        let (late_calls, _late) = connector.join().unwrap();
        assert_eq!(first_calls.load(Relaxed), 1);
        let during = late_calls.load(Relaxed);
        assert!(during <= 1);
        tick.send(2);
        assert_eq!(first_calls.load(Relaxed), 2);
        assert_eq!(
            late_calls.load(Relaxed),
            during + 1,
            "connected before this send"
        );
        assert_eq!(tick.receivers().len(), 2);
    });
}

#[test]
fn racing_disconnects_succeed_once() {
    loom::model(|| {
        let tick = tick();
        let (_calls, connection) = counter(&tick);
        let other = thread::spawn({
            let connection = connection.clone();
            move || connection.disconnect()
        });
        let mine = connection.disconnect();
        let theirs = other.join().unwrap();
        assert!(mine ^ theirs, "exactly one disconnect wins");
        assert!(tick.receivers().is_empty());
    });
}

#[test]
fn sends_racing_with_connect_and_disconnect_never_lose_a_permanent_receiver() {
    loom::model(|| {
        let tick = tick();
        let (permanent, _keep) = counter(&tick);
        let churn = thread::spawn({
            let tick = Arc::clone(&tick);
            move || {
                let (_calls, connection) = counter(&tick);
                connection.disconnect();
            }
        });
        tick.send(1);
        tick.send(2);
        churn.join().unwrap();
        assert_eq!(permanent.load(SeqCst), 2);
        assert_eq!(tick.receivers().len(), 1);
    });
}

/// Sets `dropped` when the closure that owns it is dropped.
struct DropFlag(Arc<AtomicUsize>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.fetch_add(1, Release);
    }
}

#[test]
fn a_disconnected_closure_is_dropped_once_no_send_can_run_it() {
    loom::model(|| {
        let tick = tick();
        let dropped = Arc::new(AtomicUsize::new(0));
        let flag = DropFlag(Arc::clone(&dropped));
        let connection = tick.connect({
            let dropped = Arc::clone(&dropped);
            move |_| {
                let _ = &flag;
                assert_eq!(dropped.load(Acquire), 0, "called after it was dropped");
            }
        });
        let sender = thread::spawn({
            let tick = Arc::clone(&tick);
            move || tick.send(1)
        });
        assert!(connection.disconnect());
        sender.join().unwrap();
        // Whichever interleaving: dropped by the disconnect, or by the send
        // as it left, with nothing else happening in between.
        assert_eq!(dropped.load(Acquire), 1);
    });
}

#[test]
fn a_receiver_that_disconnects_itself_while_another_thread_sends() {
    loom::model(|| {
        let tick = tick();
        let dropped = Arc::new(AtomicUsize::new(0));
        let flag = DropFlag(Arc::clone(&dropped));
        let handle: Arc<std::sync::OnceLock<signals::Connection>> = Arc::default();
        let connection = tick.connect({
            let (dropped, handle) = (Arc::clone(&dropped), Arc::clone(&handle));
            move |_| {
                let _ = &flag;
                assert_eq!(dropped.load(Acquire), 0, "called after it was dropped");
                if let Some(connection) = handle.get() {
                    connection.disconnect();
                }
            }
        });
        handle.set(connection).unwrap();
        let sender = thread::spawn({
            let tick = Arc::clone(&tick);
            move || tick.send(1)
        });
        tick.send(2);
        sender.join().unwrap();
        assert_eq!(dropped.load(Acquire), 1);
        assert!(tick.receivers().is_empty());
    });
}
