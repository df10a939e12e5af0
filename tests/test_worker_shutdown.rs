//! Shutting workers down, alone in its test binary: `quit_all` stops every
//! worker of the process.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use signals::{Outcome, Worker, quit_all};

const PATIENCE: Duration = Duration::from_secs(20);

/// The threads of this process, where the system says (Linux); elsewhere
/// the joins above are the check.
fn threads() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
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
fn dropping_or_quitting_all_leaves_no_thread_behind() {
    // Dropped while running: it quits, and the drop waits for its end.
    let ended = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&ended);
    let worker: Worker<(), (), (), String> = Worker::new(move |co| {
        struct SetOnDrop(Arc<Mutex<bool>>);
        impl Drop for SetOnDrop {
            fn drop(&mut self) {
                *self.0.lock().unwrap() = true;
            }
        }
        let _guard = SetOnDrop(flag);
        loop {
            co.checkpoint()?;
        }
    });
    worker.start().unwrap();
    drop(worker);
    assert!(*ended.lock().unwrap());

    // `quit_all` stops every running worker, and their threads end.
    let before = threads();
    let workers: Vec<_> = (0..3).map(|_| looping()).collect();
    for worker in &workers {
        worker.start().unwrap();
    }
    assert!(quit_all(PATIENCE));
    for worker in &workers {
        assert!(!worker.is_running());
        assert_eq!(worker.join(PATIENCE), Ok(Outcome::Aborted));
    }
    assert_eq!(threads(), before, "a worker's thread outlived its join");
}
