//! napari's `thread_worker` example, in a terminal: a worker averages a
//! stack of random images and yields the running mean every 16 frames;
//! the main thread pumps a mailbox and draws a progress bar from what the
//! worker yields. On a timer, the main thread pauses the worker, sends it
//! a new frame budget, resumes it and lets it finish. A second worker
//! returns a value, and a third panics and shows `errored`. Ctrl-C quits
//! every worker and leaves.
//!
//! Run with `cargo run --example worker`.

// Frame and pixel counts, far below 2^23, become `f32` divisors.
#![allow(clippy::cast_precision_loss)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use signals::{Mailbox, Outcome, Stop, Worker, quit_all};

const WIDTH: usize = 64;
const FRAMES: u64 = 512;

/// A random image: a small xorshift generator, seeded per frame.
fn image(frame: u64) -> Vec<f32> {
    let mut state = frame.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..WIDTH * WIDTH)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // The top 24 bits, as a fraction of one.
            f32::from(u16::try_from(state >> 48).unwrap_or(0)) / 65_536.0
        })
        .collect()
}

/// What the averaging worker yields: the frames done, and the mean pixel
/// of the running average.
#[derive(Clone, Copy, Debug)]
struct Progress {
    frames: u64,
    mean: f32,
}

/// Averages frames until its budget is spent; a budget sent in replaces
/// the current one.
fn averager() -> Worker<Progress, u64, f32, String> {
    Worker::new(|co| {
        let mut budget = FRAMES;
        let mut average = vec![0.0_f32; WIDTH * WIDTH];
        let mut frame = 0;
        while frame < budget {
            for (pixel, value) in average.iter_mut().zip(image(frame)) {
                *pixel += (value - *pixel) / (frame + 1) as f32;
            }
            frame += 1;
            if frame % 16 == 0 {
                let mean = average.iter().sum::<f32>() / average.len() as f32;
                if let Some(new_budget) = co.yield_(Progress {
                    frames: frame,
                    mean,
                })? {
                    budget = new_budget;
                }
            }
        }
        Ok(average.iter().sum::<f32>() / average.len() as f32)
    })
}

fn main() {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    // Ctrl-C: every worker quits at its next checkpoint.
    ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
    })
    .expect("a Ctrl-C handler");

    let mailbox = Mailbox::new();
    let bar = Rc::new(
        ProgressBar::new(FRAMES).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} frames {msg}")
                .expect("a valid template"),
        ),
    );

    let worker = averager();
    let signals = worker.signals();
    // Every receiver below runs on this thread, when the mailbox is pumped:
    // the progress bar needs no lock.
    let progress = Rc::clone(&bar);
    signals
        .yielded
        .connect_queued(&mailbox, move |update: &Progress| {
            progress.set_position(update.frames);
            progress.set_message(format!("mean {:.4}", update.mean));
        });
    let paused = Rc::clone(&bar);
    signals
        .paused
        .connect_queued(&mailbox, move || paused.suspend(|| println!("paused")));
    let resumed = Rc::clone(&bar);
    signals
        .resumed
        .connect_queued(&mailbox, move || resumed.suspend(|| println!("resumed")));
    let returned = Rc::clone(&bar);
    signals
        .returned
        .connect_queued(&mailbox, move |mean: &f32| {
            returned.suspend(|| println!("averaged: mean pixel {mean:.4}"));
        });
    let aborted = Rc::clone(&bar);
    signals
        .aborted
        .connect_queued(&mailbox, move || aborted.suspend(|| println!("aborted")));
    let done = Rc::new(RefCell::new(false));
    let finished = Rc::clone(&done);
    signals
        .finished
        .connect_queued(&mailbox, move || *finished.borrow_mut() = true);

    // Owned by this thread: a failure nothing saw would be raised here,
    // while the mailbox is pumped.
    worker
        .start_with(&mailbox)
        .expect("a thread for the worker");
    // A timer on the main thread: pause after a while, send a new budget
    // while paused, resume.
    mailbox.run_for(Duration::from_millis(30));
    worker.pause();
    while !worker.is_paused() && worker.is_running() {
        mailbox.run_for(Duration::from_millis(5));
    }
    if worker.send(FRAMES / 2).is_ok() {
        bar.set_length(FRAMES / 2);
        bar.suspend(|| println!("budget cut to {} frames", FRAMES / 2));
    }
    worker.resume();
    while !*done.borrow() {
        if interrupted.load(Ordering::SeqCst) {
            bar.suspend(|| println!("interrupted: quitting every worker"));
            quit_all(Duration::from_secs(5));
        }
        mailbox.run_for(Duration::from_millis(20));
    }
    bar.finish();
    let outcome = worker.join(Duration::from_secs(5));
    println!("the averager ended: {outcome:?}");

    // A function worker: no yield, a value returned.
    let counter: Worker<(), (), u64, String> =
        Worker::new(|_| Ok((1..=1_000_u64).filter(|n| n % 7 == 0).count() as u64));
    counter.start().expect("a thread for the worker");
    if let Ok(Outcome::Returned(count)) = counter.join(Duration::from_secs(5)) {
        println!("multiples of 7 up to 1000: {count}");
    }

    // A worker that panics: `errored` shows it, on this thread.
    let failing: Worker<(), (), (), String> = Worker::new(|co| {
        co.checkpoint()?;
        let frames: Vec<u64> = Vec::new();
        if frames.is_empty() {
            return Err(Stop::Failed("no frames to read".to_owned()));
        }
        Ok(())
    });
    failing
        .signals()
        .errored
        .connect_queued(&mailbox, |error| println!("errored: {error}"));
    failing.start().expect("a thread for the worker");
    let _ = failing.join(Duration::from_secs(5));
    mailbox.process_pending();

    let panicking: Worker<(), (), (), String> = Worker::new(|_| panic!("frame 3 is corrupt"));
    panicking
        .signals()
        .errored
        .connect_queued(&mailbox, |error| println!("errored: {error}"));
    panicking.start().expect("a thread for the worker");
    let _ = panicking.join(Duration::from_secs(5));
    mailbox.process_pending();
}
