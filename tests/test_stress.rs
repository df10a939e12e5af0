//! Threads connecting, disconnecting and sending at once, for a bounded
//! time, with exact accounting against one sequentially consistent clock:
//!
//! - every send is delivered exactly once to a receiver connected for the
//!   whole run, and to the static receiver;
//! - a runtime receiver gets every send that started after its `connect`
//!   returned and ended before its `disconnect` began, exactly once;
//! - no send that started after `disconnect` returned calls it;
//! - no send calls any receiver twice.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use signals::{receiver, signal};

#[signal]
pub fn tick(value: u64);

static STATIC_CALLS: AtomicU64 = AtomicU64::new(0);

#[receiver(signal = tick)]
fn count_statically(_value: u64) {
    STATIC_CALLS.fetch_add(1, SeqCst);
}

/// The clock every event reads or advances.
static CLOCK: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The send in progress on this thread: (sender thread, send index).
    static CURRENT_SEND: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

struct Send {
    id: (u64, u64),
    started: u64,
    ended: u64,
}

struct Temporary {
    connected: u64,
    disconnect_began: u64,
    disconnect_returned: u64,
    calls: Arc<Mutex<Vec<(u64, u64)>>>,
}

#[test]
fn concurrent_connects_disconnects_and_sends_deliver_exactly() {
    let permanent_calls = Arc::new(AtomicU64::new(0));
    let permanent = tick.connect({
        let calls = Arc::clone(&permanent_calls);
        move |_| {
            calls.fetch_add(1, SeqCst);
        }
    });
    let (sends, temporaries) = run(Duration::from_millis(400));
    permanent.disconnect();

    let total = u64::try_from(sends.len()).unwrap();
    assert!(total > 1_000, "only {total} sends ran");
    assert!(
        temporaries.len() > 100,
        "only {} receivers came and went",
        temporaries.len()
    );
    assert_eq!(
        permanent_calls.load(SeqCst),
        total,
        "lost or duplicated sends"
    );
    assert_eq!(STATIC_CALLS.load(SeqCst), total);
    let must_have_called = check_temporaries(&sends, &temporaries);
    assert_eq!(
        tick.receivers().len(),
        1,
        "only the static receiver is left"
    );
    eprintln!(
        "{total} sends, {} receivers connected and disconnected, {must_have_called} deliveries that had to happen",
        temporaries.len()
    );
}

/// Two threads send while two others connect and disconnect receivers, for
/// `duration` or until each has done its bounded share.
fn run(duration: Duration) -> (Vec<Send>, Vec<Temporary>) {
    let deadline = Instant::now() + duration;
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        let senders: Vec<_> = (1..=2)
            .map(|thread| {
                let stop = &stop;
                scope.spawn(move || send_until(stop, thread))
            })
            .collect();
        let connectors: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| connect_until(&stop)))
            .collect();
        while Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        stop.store(true, SeqCst);
        let sends = senders
            .into_iter()
            .flat_map(|sender| sender.join().unwrap())
            .collect();
        let temporaries = connectors
            .into_iter()
            .flat_map(|connector| connector.join().unwrap())
            .collect();
        (sends, temporaries)
    })
}

fn send_until(stop: &AtomicBool, thread: u64) -> Vec<Send> {
    let mut sends = Vec::new();
    let mut index = 0;
    while !stop.load(SeqCst) && index < 100_000 {
        index += 1;
        CURRENT_SEND.set((thread, index));
        let started = CLOCK.load(SeqCst);
        tick.send(index);
        let ended = CLOCK.load(SeqCst);
        sends.push(Send {
            id: (thread, index),
            started,
            ended,
        });
    }
    sends
}

fn connect_until(stop: &AtomicBool) -> Vec<Temporary> {
    let mut temporaries = Vec::new();
    while !stop.load(SeqCst) && temporaries.len() < 10_000 {
        let calls: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
        let connection = tick.connect({
            let calls = Arc::clone(&calls);
            move |_| calls.lock().unwrap().push(CURRENT_SEND.get())
        });
        let connected = CLOCK.fetch_add(1, SeqCst) + 1;
        thread::yield_now();
        let disconnect_began = CLOCK.fetch_add(1, SeqCst) + 1;
        assert!(connection.disconnect());
        let disconnect_returned = CLOCK.fetch_add(1, SeqCst) + 1;
        temporaries.push(Temporary {
            connected,
            disconnect_began,
            disconnect_returned,
            calls,
        });
    }
    temporaries
}

/// Checks each temporary receiver's calls; returns how many deliveries had
/// to happen.
fn check_temporaries(sends: &[Send], temporaries: &[Temporary]) -> usize {
    let mut by_start: Vec<&Send> = sends.iter().collect();
    by_start.sort_by_key(|send| send.started);
    let started: HashMap<(u64, u64), u64> =
        sends.iter().map(|send| (send.id, send.started)).collect();
    let mut must_have_called = 0;
    for temporary in temporaries {
        let calls = temporary.calls.lock().unwrap();
        let called: HashSet<(u64, u64)> = calls.iter().copied().collect();
        assert_eq!(
            called.len(),
            calls.len(),
            "a send called one receiver twice"
        );
        for id in &called {
            assert!(
                started[id] < temporary.disconnect_returned,
                "called by a send that started after disconnect returned"
            );
        }
        // Sends that started after `connect` returned and before the
        // disconnect began: those that also ended before it must have called.
        let first = by_start.partition_point(|send| send.started < temporary.connected);
        let last = by_start.partition_point(|send| send.started < temporary.disconnect_began);
        for send in &by_start[first..last] {
            if send.ended < temporary.disconnect_began {
                must_have_called += 1;
                assert!(called.contains(&send.id), "a send while connected was lost");
            }
        }
    }
    must_have_called
}
