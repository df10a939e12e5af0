//! Signals are `Send + Sync` values: several threads may send at once, and
//! the first sends race to build the tables, which happens exactly once.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use signals::{Signal, receiver, signal};

pub struct Worker {
    pub id: u64,
}

static UNFILTERED: AtomicU64 = AtomicU64::new(0);
static FROM_WORKERS: AtomicU64 = AtomicU64::new(0);

#[signal]
pub fn job_finished(job: u64);

#[receiver(signal = job_finished)]
fn count_job(job: u64) {
    UNFILTERED.fetch_add(job, Ordering::Relaxed);
}

#[receiver(signal = job_finished, sender = Worker)]
fn count_worker_job(worker: &Worker, job: u64) {
    FROM_WORKERS.fetch_add(worker.id * job, Ordering::Relaxed);
}

fn assert_send_sync<T: Send + Sync + 'static>(_: T) {}

#[test]
fn signals_and_their_receiver_lists_are_send_and_sync() {
    assert_send_sync(job_finished);
    assert_send_sync(job_finished.receivers());
    assert_send_sync(<job_finished as Signal>::NAME);
}

#[test]
fn threads_sending_at_once_deliver_every_emission_exactly_once() {
    const THREADS: u64 = 4;
    const SENDS: u64 = 20_000;
    let start = Barrier::new(usize::try_from(THREADS).unwrap());
    thread::scope(|scope| {
        for id in 1..=THREADS {
            let start = &start;
            scope.spawn(move || {
                let worker = Worker { id };
                // All threads make their first send together: the tables
                // are built by one of them while the others wait.
                start.wait();
                for job in 1..=SENDS {
                    job_finished.send(job);
                    job_finished.send_from(&worker, job);
                }
            });
        }
    });
    let per_thread = SENDS * (SENDS + 1) / 2;
    assert_eq!(UNFILTERED.load(Ordering::Relaxed), 2 * THREADS * per_thread);
    let worker_ids: u64 = (1..=THREADS).sum();
    assert_eq!(
        FROM_WORKERS.load(Ordering::Relaxed),
        worker_ids * per_thread
    );
}
