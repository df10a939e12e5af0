//! AMLTK's scheduler events, with per-object signals and receiver
//! policies: the four scenarios of AMLTK's guide to callbacks, each on a
//! scheduler of its own, each followed by the picture AMLTK prints.
//!
//! - `repeat`: `on_start` submits one task per worker.
//! - `max_calls`: each result submits another task, three times at most.
//! - `when`: of two greetings, the one for the locale runs.
//! - `every`: over five runs, `every = 2` greets twice.
//!
//! Run with `cargo run --example scheduler`.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use signals::{ConnectOptions, InvalidOption, Signals, signal};

/// A unit of work: `f(x)`, run on a worker thread.
#[derive(Clone, Copy, Debug)]
pub struct Future {
    pub id: u32,
    pub function: fn(i64) -> i64,
    pub argument: i64,
}

#[signal]
pub type Event = fn();

#[signal]
pub type FutureEvent = fn(future: &Future);

#[signal]
pub type FutureResult = fn(future: &Future, result: i64);

/// AMLTK's `Scheduler`: its events are per-object signals, so that each
/// scheduler has its own receivers and counts.
#[derive(Default, Signals)]
pub struct SchedulerEvents {
    pub on_empty: Event,
    pub on_start: Event,
    pub on_finishing: Event,
    pub on_finished: Event,
    pub on_stop: Event,
    pub on_future_submitted: FutureEvent,
    pub on_future_done: FutureEvent,
    pub on_future_result: FutureResult,
}

/// Submits work to a running scheduler, from inside a receiver too.
#[derive(Clone)]
pub struct Submitter(Sender<Future>);

impl Submitter {
    pub fn submit(&self, function: fn(i64) -> i64, argument: i64) {
        // The scheduler outlives every receiver that holds a submitter.
        let _ = self.0.send(Future {
            id: 0,
            function,
            argument,
        });
    }
}

pub struct Scheduler {
    pub events: SchedulerEvents,
    workers: usize,
    submitter: Submitter,
    submissions: Receiver<Future>,
}

impl Scheduler {
    #[must_use]
    pub fn with_processes(workers: usize) -> Self {
        let (sender, submissions) = mpsc::channel();
        let scheduler = Self {
            events: SchedulerEvents::default(),
            workers,
            submitter: Submitter(sender),
            submissions,
        };
        scheduler.events.set_counting(true);
        scheduler
    }

    #[must_use]
    pub fn submitter(&self) -> Submitter {
        self.submitter.clone()
    }

    /// Runs until no work is left: `on_start`, then each submission on a
    /// worker, its results as they come, `on_empty`, and the end.
    pub fn run(&self) {
        let events = &self.events;
        events.on_start.send();
        let (done_sender, done) = mpsc::channel::<(Future, i64)>();
        let mut running = 0;
        let mut next_id = 1;
        loop {
            while running < self.workers {
                let Ok(mut future) = self.submissions.try_recv() else {
                    break;
                };
                future.id = next_id;
                next_id += 1;
                events.on_future_submitted.send(&future);
                let done_sender = done_sender.clone();
                thread::spawn(move || {
                    let result = (future.function)(future.argument);
                    let _ = done_sender.send((future, result));
                });
                running += 1;
            }
            if running == 0 {
                events.on_empty.send();
                break;
            }
            if let Ok((future, result)) = done.recv() {
                running -= 1;
                events.on_future_done.send(&future);
                events.on_future_result.send(&future, result);
            }
        }
        events.on_finishing.send();
        events.on_finished.send();
    }
}

fn double(x: i64) -> i64 {
    x * 2
}

fn square(x: i64) -> i64 {
    x * x
}

fn picture(title: &str, scheduler: &Scheduler) {
    println!("── {title} ──\n{}\n", scheduler.events.tree());
}

fn main() -> Result<(), InvalidOption> {
    // `repeat`: one task per worker at the start.
    let scheduler = Scheduler::with_processes(2);
    let submitter = scheduler.submitter();
    let start_workers = ConnectOptions::new().name("on_start").repeat(2)?;
    let _start = scheduler
        .events
        .on_start
        .connect_with(&start_workers, move || submitter.submit(double, 1));
    scheduler.run();
    picture("repeat = 2 on on_start", &scheduler);

    // `max_calls`: every result submits another task, three times at most.
    let scheduler = Scheduler::with_processes(2);
    let submitter = scheduler.submitter();
    let _start = scheduler.events.on_start.connect_with(
        &ConnectOptions::new().name("submit_calculations"),
        move || submitter.submit(square, 2),
    );
    let submitter = scheduler.submitter();
    let three_times = ConnectOptions::new().name("print_result").max_calls(3)?;
    let _results =
        scheduler
            .events
            .on_future_result
            .connect_with(&three_times, move |future, result| {
                println!("result of future {}: {result}", future.id);
                submitter.submit(square, 2);
            });
    scheduler.run();
    picture("max_calls = 3 on on_future_result", &scheduler);

    // `when`: the greeting for the locale.
    let locale = if std::env::var("LANG").is_ok_and(|lang| lang.starts_with("de")) {
        "German"
    } else {
        "English"
    };
    let scheduler = Scheduler::with_processes(1);
    let _hello = scheduler.events.on_start.connect_when(
        &ConnectOptions::new().name("print_hello"),
        move || locale == "English",
        || println!("hello"),
    );
    let _guten_tag = scheduler.events.on_start.connect_when(
        &ConnectOptions::new().name("print_guten_tag"),
        move || locale == "German",
        || println!("guten tag"),
    );
    scheduler.run();
    picture("when = the locale", &scheduler);

    // `every`: greets on the 2nd and the 4th of five runs.
    let scheduler = Scheduler::with_processes(1);
    let every_second = ConnectOptions::new().name("print_hello").every(2)?;
    let _hello = scheduler
        .events
        .on_start
        .connect_with(&every_second, || print!("hello "));
    for _ in 0..5 {
        scheduler.run();
    }
    println!();
    picture("every = 2 over five runs", &scheduler);
    Ok(())
}
