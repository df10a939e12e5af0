//! Background workers: events in order on the right threads, pause,
//! resume, quit and send, errors, joins with timeouts, and shutdown.
//! Bounded in time: threads are synchronised with channels and joins,
//! never with sleeps.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use signals::{Mailbox, Outcome, Stop, Worker, WorkerError, WorkerStateError};

const PATIENCE: Duration = Duration::from_secs(20);

/// Records every event of `worker` in order, on whatever thread.
fn record<Y, S, R, E>(worker: &Worker<Y, S, R, E>) -> Arc<Mutex<Vec<String>>>
where
    Y: std::fmt::Debug + Send + Sync + 'static,
    S: Send + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
    E: std::fmt::Debug + Send + Sync + 'static,
{
    let log = Arc::new(Mutex::new(Vec::new()));
    let signals = worker.signals();
    let push = |log: &Arc<Mutex<Vec<String>>>, line: String| log.lock().unwrap().push(line);
    for (name, event) in [
        ("started", &signals.started),
        ("paused", &signals.paused),
        ("resumed", &signals.resumed),
        ("aborted", &signals.aborted),
        ("finished", &signals.finished),
    ] {
        let log = Arc::clone(&log);
        event.connect(move || push(&log, name.to_owned()));
    }
    let yielded = Arc::clone(&log);
    signals
        .yielded
        .connect(move |value| push(&yielded, format!("yielded {value:?}")));
    let returned = Arc::clone(&log);
    signals
        .returned
        .connect(move |value| push(&returned, format!("returned {value:?}")));
    let errored = Arc::clone(&log);
    signals
        .errored
        .connect(move |error| push(&errored, format!("errored {error}")));
    log
}

#[test]
fn events_come_in_order_and_the_body_returns() {
    let worker: Worker<u32, (), u32, String> = Worker::new(|co| {
        for i in 1..=3 {
            co.yield_(i)?;
        }
        Ok(6)
    });
    let log = record(&worker);
    assert!(!worker.is_running());
    worker.start().unwrap();
    assert_eq!(worker.join(PATIENCE), Ok(Outcome::Returned(6)));
    assert_eq!(
        *log.lock().unwrap(),
        [
            "started",
            "yielded 1",
            "yielded 2",
            "yielded 3",
            "returned 6",
            "finished"
        ]
    );
    assert!(!worker.is_running());
}

#[test]
fn queued_receivers_run_on_the_owner_thread() {
    let mailbox = Mailbox::new();
    let owner = thread::current().id();
    let worker: Worker<u32, (), (), String> = Worker::new(|co| {
        co.yield_(1)?;
        Ok(())
    });
    let threads = Arc::new(Mutex::new(Vec::new()));
    let direct = Arc::clone(&threads);
    worker.signals().yielded.connect(move |_| {
        direct
            .lock()
            .unwrap()
            .push(("direct", thread::current().id()));
    });
    let queued = Arc::clone(&threads);
    worker.signals().finished.connect_queued(&mailbox, move || {
        queued
            .lock()
            .unwrap()
            .push(("queued", thread::current().id()));
    });
    worker.start().unwrap();
    worker.join(PATIENCE).unwrap();
    assert_eq!(mailbox.process_pending(), 1);
    let threads = threads.lock().unwrap();
    assert_eq!(threads[0].0, "direct");
    assert_ne!(threads[0].1, owner);
    assert_eq!(threads[1], ("queued", owner));
}

/// A worker that yields forever, taking what is sent in, until quit.
fn looping() -> Worker<u64, u64, u64, String> {
    Worker::new(|co| {
        let mut total = 0;
        loop {
            if let Some(add) = co.yield_(total)? {
                total += add;
            }
        }
    })
}

#[test]
fn pause_blocks_at_a_checkpoint_and_quit_stops_a_paused_worker() {
    let worker = looping();
    let log = record(&worker);
    let (paused_tx, paused_rx) = mpsc::channel();
    worker.signals().paused.connect(move || {
        let _ = paused_tx.send(());
    });
    worker.start().unwrap();
    worker.pause();
    paused_rx.recv_timeout(PATIENCE).unwrap();
    assert!(worker.is_paused());
    // Sent while paused: taken by the checkpoint that resumes.
    worker.send(5).unwrap();
    worker.send(7).unwrap(); // the latest wins
    let (resumed_tx, resumed_rx) = mpsc::channel();
    let totals = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&totals);
    worker.signals().yielded.connect(move |total| {
        seen.lock().unwrap().push(*total);
        if *total == 7 {
            let _ = resumed_tx.send(());
        }
    });
    worker.resume();
    resumed_rx.recv_timeout(PATIENCE).unwrap();
    worker.pause();
    paused_rx.recv_timeout(PATIENCE).unwrap();
    worker.quit();
    assert_eq!(worker.join(PATIENCE), Ok(Outcome::Aborted));
    let log = log.lock().unwrap();
    assert_eq!(log.first().map(String::as_str), Some("started"));
    assert_eq!(log.last().map(String::as_str), Some("finished"));
    assert_eq!(log[log.len() - 2], "aborted");
    assert!(!log.iter().any(|line| line.starts_with("returned")));
    assert_eq!(log.iter().filter(|line| *line == "paused").count(), 2);
    assert!(log.contains(&"resumed".to_owned()));
}

#[test]
fn errors_and_panics_go_to_errored_and_to_join() {
    let failing: Worker<(), (), (), String> =
        Worker::new(|_| Err(Stop::Failed("no disk".to_owned())));
    let log = record(&failing);
    failing.start().unwrap();
    assert_eq!(
        failing.join(PATIENCE),
        Ok(Outcome::Errored(WorkerError::Failed("no disk".to_owned())))
    );
    assert_eq!(
        *log.lock().unwrap(),
        [
            "started",
            "errored the worker failed: \"no disk\"",
            "finished"
        ]
    );

    // Nobody listens to `errored`: `join` still returns it.
    let panicking: Worker<(), (), (), String> = Worker::new(|_| panic!("out of range"));
    panicking.start().unwrap();
    assert_eq!(
        panicking.join(PATIENCE),
        Ok(Outcome::Errored(WorkerError::Panicked(
            "out of range".to_owned()
        )))
    );
}

#[test]
fn controls_outside_a_run_are_no_ops_or_typed_errors() {
    let worker = looping();
    worker.pause();
    worker.resume();
    worker.toggle_pause();
    worker.quit();
    assert_eq!(worker.send(1), Err(1));
    assert_eq!(worker.join(PATIENCE), Err(WorkerStateError::NotStarted));
    // `quit` before `start` is kept: the first checkpoint stops it.
    worker.start().unwrap();
    assert_eq!(worker.start(), Err(WorkerStateError::AlreadyStarted));
    assert_eq!(worker.join(PATIENCE), Ok(Outcome::Aborted));
    assert_eq!(worker.join(PATIENCE), Err(WorkerStateError::AlreadyJoined));
    assert_eq!(worker.send(1), Err(1));
    worker.pause();
    assert!(!worker.is_paused());
}

#[test]
fn a_join_past_its_timeout_leaves_the_worker_joinable() {
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Mutex::new(release_rx);
    let worker: Worker<(), (), u8, String> = Worker::new(move |_| {
        // No checkpoint: it waits for the test.
        release_rx.lock().unwrap().recv().unwrap();
        Ok(3)
    });
    worker.start().unwrap();
    assert_eq!(
        worker.join(Duration::from_millis(10)),
        Err(WorkerStateError::TimedOut)
    );
    assert!(worker.is_running());
    release_tx.send(()).unwrap();
    assert_eq!(worker.join(PATIENCE), Ok(Outcome::Returned(3)));
}

#[test]
fn pause_resume_and_quit_race_without_losing_the_end() {
    for round in 0..50 {
        let worker = Arc::new(looping());
        let log = record(&worker);
        worker.start().unwrap();
        let controller = Arc::clone(&worker);
        let racer = thread::spawn(move || {
            for step in 0..20 {
                match (round + step) % 4 {
                    0 => controller.pause(),
                    1 => controller.resume(),
                    2 => controller.toggle_pause(),
                    _ => drop(controller.send(1)),
                }
            }
            controller.quit();
        });
        racer.join().unwrap();
        assert_eq!(worker.join(PATIENCE), Ok(Outcome::Aborted));
        let log = log.lock().unwrap();
        assert_eq!(log.first().map(String::as_str), Some("started"));
        assert_eq!(log.last().map(String::as_str), Some("finished"));
        assert_eq!(log.iter().filter(|line| *line == "finished").count(), 1);
    }
}

#[test]
fn a_failure_nobody_saw_is_raised_when_the_worker_is_dropped() {
    let worker: Worker<(), (), (), String> = Worker::new(|_| Err(Stop::Failed("lost".to_owned())));
    let (finished_tx, finished_rx) = mpsc::channel();
    worker.signals().finished.connect(move || {
        let _ = finished_tx.send(());
    });
    worker.start().unwrap();
    finished_rx.recv_timeout(PATIENCE).unwrap();
    let raised = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(worker)));
    let payload = raised.unwrap_err();
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap();
    assert!(message.contains("nothing saw it"), "{message}");

    // Seen by a receiver of `errored`: dropping raises nothing.
    let seen: Worker<(), (), (), String> = Worker::new(|_| Err(Stop::Failed("seen".to_owned())));
    seen.signals().errored.connect(|_| {});
    seen.start().unwrap();
    drop(seen);
}

#[signals::thread_worker]
fn summed(limit: u64, co: &mut signals::Co<u64, u64, String>) -> Result<u64, Stop<String>> {
    let mut total = 0;
    for n in 1..=limit {
        total += n;
        if let Some(extra) = co.yield_(total)? {
            total += extra;
        }
    }
    Ok(total)
}

#[signals::thread_worker]
fn answer() -> Result<u32, Stop<String>> {
    Ok(42)
}

#[test]
fn thread_worker_makes_a_function_return_an_unstarted_worker() {
    let worker = summed(4);
    let log = record(&worker);
    assert!(!worker.is_running());
    worker.start().unwrap();
    assert_eq!(worker.join(PATIENCE), Ok(Outcome::Returned(10)));
    assert_eq!(
        *log.lock().unwrap(),
        [
            "started",
            "yielded 1",
            "yielded 3",
            "yielded 6",
            "yielded 10",
            "returned 10",
            "finished"
        ]
    );
    let function = answer();
    function.start().unwrap();
    assert_eq!(function.join(PATIENCE), Ok(Outcome::Returned(42)));
}

#[test]
fn finished_comes_last_even_after_a_panicking_receiver() {
    let worker: Worker<(), (), u8, String> = Worker::new(|_| Ok(1));
    worker
        .signals()
        .returned
        .connect(|_| panic!("a receiver fails"));
    let log = record(&worker);
    worker.start().unwrap();
    assert_eq!(worker.join(PATIENCE), Ok(Outcome::Returned(1)));
    assert_eq!(
        log.lock().unwrap().last().map(String::as_str),
        Some("finished")
    );
}

#[test]
fn a_failure_nobody_saw_is_raised_while_the_owner_pumps() {
    let mailbox = Mailbox::new();
    let worker: Worker<(), (), (), String> = Worker::new(|_| panic!("disk gone"));
    let (finished_tx, finished_rx) = mpsc::channel();
    worker.signals().finished.connect(move || {
        let _ = finished_tx.send(());
    });
    worker.start_with(&mailbox).unwrap();
    finished_rx.recv_timeout(PATIENCE).unwrap();
    let raised = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        mailbox.process_pending();
    }));
    let payload = raised.unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(message.contains("nothing saw it: disk gone"), "{message}");
    // Raised once: joining returns it, and dropping raises nothing more.
    assert_eq!(
        worker.join(PATIENCE),
        Ok(Outcome::Errored(WorkerError::Panicked(
            "disk gone".to_owned()
        )))
    );
    assert_eq!(
        worker.start_with(&mailbox),
        Err(WorkerStateError::AlreadyStarted)
    );
}
