//! The figures the runtime's targets are checked against, measured so that
//! a noisy shared machine cannot tilt them: every case of a table runs once
//! per round, in a rotated order, and the table gives the median of the
//! rounds. Cases with two threads start both at a barrier, run them for the
//! same window, and report what each thread got done: a design that starves
//! its writer looks fast to its sender, so the writer's rate is printed
//! next to the sender's time.
//!
//! `cargo bench --bench rounds` prints tab-separated lines: table, case,
//! receivers, then the median value(s). `scripts/bench-report.sh` turns them
//! into BENCHMARKS.md. `ROUNDS=n` changes the number of rounds (default 21).

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use common::{Bus, Tick, Unprotected, boxed_receivers, each_bus};

/// How long one sample of a single-threaded case runs.
const SAMPLE: Duration = Duration::from_millis(4);
/// How long both threads of a two-thread case run in one round.
const WINDOW: Duration = Duration::from_millis(20);

type Case = (String, Box<dyn FnMut(u64)>);

/// Runs `iterations` of each case per round; returns the median ns per
/// iteration of each case, in the cases' order.
fn medians(cases: &mut [Case], rounds: usize) -> Vec<f64> {
    // Calibrate: iterations that take about `SAMPLE`.
    let iterations: Vec<u64> = cases
        .iter_mut()
        .map(|(_, run)| {
            let mut iterations = 1_000;
            loop {
                let started = Instant::now();
                run(iterations);
                let elapsed = started.elapsed();
                if elapsed >= SAMPLE / 4 {
                    let scale = SAMPLE.as_secs_f64() / elapsed.as_secs_f64();
                    #[allow(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        clippy::cast_precision_loss
                    )]
                    break ((iterations as f64 * scale) as u64).max(1);
                }
                iterations *= 4;
            }
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        for offset in 0..cases.len() {
            let index = (round + offset) % cases.len();
            let started = Instant::now();
            (cases[index].1)(iterations[index]);
            #[allow(clippy::cast_precision_loss)]
            samples[index].push(started.elapsed().as_nanos() as f64 / iterations[index] as f64);
        }
    }
    samples.into_iter().map(median).collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn emit_case<B: Bus + 'static>(cases: &mut Vec<Case>, count: usize) {
    let bus = B::new();
    let handles: Vec<B::Handle> = (0..count).map(|index| bus.connect(index)).collect();
    cases.push((
        B::NAME.to_owned(),
        Box::new(move |iterations| {
            let _ = &handles;
            for _ in 0..iterations {
                bus.emit(black_box(7));
            }
        }),
    ));
}

fn emit(rounds: usize) {
    for count in [1, 16] {
        let unprotected = Unprotected::new(count);
        let boxed = boxed_receivers(count);
        let mut cases: Vec<Case> = vec![
            (
                "floor: unprotected snapshot".to_owned(),
                Box::new(move |iterations| {
                    for _ in 0..iterations {
                        unprotected.emit(black_box(7));
                    }
                }),
            ),
            (
                "floor: Vec<Box<dyn Fn>>".to_owned(),
                Box::new(move |iterations| {
                    for _ in 0..iterations {
                        for receiver in black_box(&boxed) {
                            receiver(black_box(7));
                        }
                    }
                }),
            ),
        ];
        each_bus!(emit_case(&mut cases, count));
        let medians = medians(&mut cases, rounds);
        for ((name, _), median) in cases.iter().zip(medians) {
            println!("emit\t{name}\t{count}\t{median:.3}");
        }
    }
}

fn writer(rounds: usize) {
    fn pair_case<B: Bus + 'static>(cases: &mut Vec<Case>) {
        let bus = B::new();
        let handles: Vec<B::Handle> = (0..16).map(|index| bus.connect(index)).collect();
        cases.push((
            B::NAME.to_owned(),
            Box::new(move |iterations| {
                let _ = &handles;
                for _ in 0..iterations {
                    bus.disconnect(bus.connect(black_box(16)));
                }
            }),
        ));
    }
    fn combined_case<B: Bus + 'static>(cases: &mut Vec<Case>) {
        cases.push((
            B::NAME.to_owned(),
            Box::new(move |iterations| {
                for _ in 0..iterations {
                    let bus = B::new();
                    let handles: Vec<B::Handle> = (0..16).map(|index| bus.connect(index)).collect();
                    bus.emit(black_box(7));
                    for handle in handles {
                        bus.disconnect(handle);
                    }
                }
            }),
        ));
    }
    let mut cases = Vec::new();
    each_bus!(pair_case(&mut cases));
    let times = medians(&mut cases, rounds);
    for ((name, _), median) in cases.iter().zip(times) {
        println!("connect + disconnect\t{name}\t16\t{median:.3}");
    }
    let mut cases = Vec::new();
    each_bus!(combined_case(&mut cases));
    let times = medians(&mut cases, rounds);
    for ((name, _), median) in cases.iter().zip(times) {
        println!("combined\t{name}\t16\t{median:.3}");
    }
}

/// One round of two threads started at a barrier and run for `WINDOW`:
/// what each got done, as (ns per operation on the measured thread,
/// operations per second on the other).
fn two_threads(measured: &(dyn Fn() + Sync), other: &(dyn Fn() + Sync)) -> (f64, f64) {
    let stop = AtomicBool::new(false);
    let start = Barrier::new(2);
    let others = AtomicU64::new(0);
    let (count, elapsed) = thread::scope(|scope| {
        scope.spawn(|| {
            start.wait();
            let mut done = 0_u64;
            while !stop.load(Ordering::Relaxed) {
                other();
                done += 1;
            }
            others.store(done, Ordering::Relaxed);
        });
        start.wait();
        let started = Instant::now();
        let mut count = 0_u64;
        while started.elapsed() < WINDOW {
            for _ in 0..64 {
                measured();
            }
            count += 64;
        }
        let elapsed = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        (count, elapsed)
    });
    #[allow(clippy::cast_precision_loss)]
    let per_operation = elapsed.as_nanos() as f64 / count as f64;
    #[allow(clippy::cast_precision_loss)]
    let other_rate = others.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64();
    (per_operation, other_rate)
}

type ThreadCase = (String, Box<dyn Fn() -> (f64, f64)>);

fn thread_medians(cases: &[ThreadCase], rounds: usize) -> Vec<(f64, f64)> {
    let mut samples = vec![(Vec::new(), Vec::new()); cases.len()];
    for round in 0..rounds {
        for offset in 0..cases.len() {
            let index = (round + offset) % cases.len();
            let (time, rate) = (cases[index].1)();
            samples[index].0.push(time);
            samples[index].1.push(rate);
        }
    }
    samples
        .into_iter()
        .map(|(times, rates)| (median(times), median(rates)))
        .collect()
}

/// The same emit with the other thread spinning idle: the baseline of the
/// two-thread emit, in the same rounds, so that the ratio is not a
/// comparison of two moments of a shared machine.
fn alone_emit<B: Bus + 'static>(count: usize) -> ThreadCase {
    let bus = Arc::new(B::new());
    let handles: Vec<B::Handle> = (0..count).map(|index| bus.connect(index)).collect();
    (
        format!("alone: {}", B::NAME),
        Box::new(move || {
            let _ = &handles;
            two_threads(&|| bus.emit(black_box(7)), &core::hint::spin_loop)
        }),
    )
}

fn both_emit<B: Bus + 'static>(cases: &mut Vec<ThreadCase>, count: usize) {
    let bus = Arc::new(B::new());
    let handles: Vec<B::Handle> = (0..count).map(|index| bus.connect(index)).collect();
    cases.push((
        B::NAME.to_owned(),
        Box::new(move || {
            let _ = &handles;
            two_threads(&|| bus.emit(black_box(7)), &|| bus.emit(black_box(7)))
        }),
    ));
}

fn emit_while_connecting<B: Bus + 'static>(cases: &mut Vec<ThreadCase>, count: usize) {
    let bus = Arc::new(B::new());
    let handles: Vec<B::Handle> = (0..count).map(|index| bus.connect(index)).collect();
    cases.push((
        B::NAME.to_owned(),
        Box::new(move || {
            let _ = &handles;
            two_threads(&|| bus.emit(black_box(7)), &|| {
                bus.disconnect(bus.connect(count));
            })
        }),
    ));
}

fn threads(rounds: usize) {
    for count in [1, 16] {
        let boxed = Arc::new(boxed_receivers(count));
        let floor: ThreadCase = (
            "floor: Vec<Box<dyn Fn>>".to_owned(),
            Box::new(move || {
                let emit = || {
                    for receiver in black_box(&*boxed) {
                        receiver(black_box(7));
                    }
                };
                two_threads(&emit, &emit)
            }),
        );
        let mut cases = vec![floor, alone_emit::<Tick>(count)];
        each_bus!(both_emit(&mut cases, count));
        for ((name, _), (time, _)) in cases.iter().zip(thread_medians(&cases, rounds)) {
            println!("2 threads emit\t{name}\t{count}\t{time:.3}");
        }
        let mut cases = Vec::new();
        each_bus!(emit_while_connecting(&mut cases, count));
        for ((name, _), (time, rate)) in cases.iter().zip(thread_medians(&cases, rounds)) {
            println!("emit while another thread connects\t{name}\t{count}\t{time:.3}\t{rate:.0}");
        }
    }
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // else either, and a listing run wants no work.
    if arguments.iter().any(|argument| argument == "--list") {
        return;
    }
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(21);
    let only: Vec<&String> = arguments
        .iter()
        .filter(|argument| !argument.starts_with("--"))
        .collect();
    let wanted = |table: &str| only.is_empty() || only.iter().any(|name| *name == table);
    println!(
        "strategy\t{}\t0\t0",
        if signals::__private::light_reads() {
            "light: plain stores, membarrier"
        } else {
            "fenced: sequentially consistent stores"
        }
    );
    if wanted("emit") {
        emit(rounds);
    }
    if wanted("writer") {
        writer(rounds);
    }
    if wanted("threads") {
        threads(rounds);
    }
}
