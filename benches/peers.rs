//! `signals` next to the floors and to peer crates, in one run: emit,
//! connect, disconnect, construct/destruct and the combined operation. Two
//! threads at once are measured by `benches/rounds.rs`, which starts both
//! at a barrier and reports what each got done. `scripts/bench-report.sh`
//! runs these and the allocation counts and writes the markdown table.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{
    Bus, Crowd, Owner, Unprotected, WEIGHTS, boxed_receivers, each_bus, filtered, floor, read,
    send_static, static_8, weigh,
};
use criterion::measurement::WallTime;
use criterion::{Bencher, BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};

const EMIT_COUNTS: [usize; 4] = [1, 4, 16, 64];
const EXISTING: [usize; 4] = [1, 16, 64, 256];

fn emit(c: &mut Criterion) {
    let mut group = c.benchmark_group("emit");
    for count in EMIT_COUNTS {
        group.bench_with_input(
            BenchmarkId::new("floor: direct calls", count),
            &count,
            |b, &count| {
                b.iter(|| {
                    for index in 0..black_box(count) {
                        read(index, black_box(7));
                    }
                });
            },
        );
        group.bench_with_input(
            BenchmarkId::new("floor: &[fn] loop", count),
            &floor(count),
            |b, floor| {
                b.iter(|| {
                    for receiver in black_box(*floor) {
                        receiver(black_box(7));
                    }
                });
            },
        );
        let boxed = boxed_receivers(count);
        group.bench_with_input(
            BenchmarkId::new("floor: Vec<Box<dyn Fn>>", count),
            &boxed,
            |b, boxed| {
                b.iter(|| {
                    for receiver in black_box(boxed) {
                        receiver(black_box(7));
                    }
                });
            },
        );
        let unprotected = Unprotected::new(count);
        group.bench_with_input(
            BenchmarkId::new("floor: unprotected snapshot", count),
            &unprotected,
            |b, unprotected| {
                b.iter(|| unprotected.emit(black_box(7)));
            },
        );
        send_static(count, 7);
        group.bench_with_input(
            BenchmarkId::new("signals (static)", count),
            &count,
            |b, &count| {
                b.iter(|| send_static(count, black_box(7)));
            },
        );
        each_bus!(emit_bus(&mut group, count));
    }
    group.finish();

    let mut group = c.benchmark_group("emit special");
    // One signal with 8 static and 8 runtime receivers, merged by priority.
    let _runtime: Vec<_> = (0..8)
        .map(|index| static_8.connect(move |value| read(index, value)))
        .collect();
    group.bench_function(
        BenchmarkId::new("signals (8 static + 8 runtime)", 16),
        |b| {
            b.iter(|| static_8.send(black_box(7)));
        },
    );
    // 4 receivers for this sender among 60 for another.
    filtered.send_from(&Owner, 7);
    filtered.send_from(&Crowd, 7);
    group.bench_function(
        BenchmarkId::new("signals send_from, 4 of 64 receivers", 4),
        |b| {
            b.iter(|| filtered.send_from(&Owner, black_box(7)));
        },
    );
    group.bench_function(BenchmarkId::new("floor: &[fn] loop", 4), |b| {
        b.iter(|| {
            for receiver in black_box(floor(4)) {
                receiver(black_box(7));
            }
        });
    });
    // A return value folded without allocating.
    let _ = weigh.send(7);
    group.bench_function(BenchmarkId::new("signals send_iter().sum()", 16), |b| {
        b.iter(|| weigh.send_iter(black_box(7)).sum::<u64>());
    });
    group.bench_function(BenchmarkId::new("floor: &[fn -> u64] sum", 16), |b| {
        b.iter(|| {
            black_box(WEIGHTS)
                .iter()
                .map(|weight| weight(black_box(7)))
                .sum::<u64>()
        });
    });
    group.finish();
}

fn emit_bus<B: Bus>(group: &mut BenchmarkGroup<'_, WallTime>, count: usize) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..count).map(|index| bus.connect(index)).collect();
    bus.emit(7);
    group.bench_with_input(BenchmarkId::new(B::NAME, count), &count, |b, _| {
        b.iter(|| bus.emit(black_box(7)));
    });
}

fn connect_disconnect(c: &mut Criterion) {
    let mut group = c.benchmark_group("connect");
    timer_overhead(&mut group);
    for existing in EXISTING {
        each_bus!(connect_bus(&mut group, existing));
    }
    group.finish();
    let mut group = c.benchmark_group("disconnect");
    for existing in EXISTING {
        each_bus!(disconnect_bus(&mut group, existing));
    }
    group.finish();
}

/// Connecting one receiver to a signal that has `existing` already. Each
/// connect is timed on its own and undone off the clock, so that the count
/// stays put; the report subtracts the cost of reading the clock, measured
/// as `timer overhead`.
fn connect_bus<B: Bus>(group: &mut BenchmarkGroup<'_, WallTime>, existing: usize) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..existing).map(|index| bus.connect(index)).collect();
    group.bench_with_input(BenchmarkId::new(B::NAME, existing), &existing, |b, _| {
        time_each(b, || {
            let began = Instant::now();
            let handle = bus.connect(black_box(existing));
            let elapsed = began.elapsed();
            bus.disconnect(handle);
            elapsed
        });
    });
}

/// Disconnecting one of `existing + 1` receivers, timed on its own; the
/// connect before it is off the clock.
fn disconnect_bus<B: Bus>(group: &mut BenchmarkGroup<'_, WallTime>, existing: usize) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..existing).map(|index| bus.connect(index)).collect();
    group.bench_with_input(BenchmarkId::new(B::NAME, existing), &existing, |b, _| {
        time_each(b, || {
            let handle = bus.connect(existing);
            let began = Instant::now();
            bus.disconnect(black_box(handle));
            began.elapsed()
        });
    });
}

/// Sums the time `one` reports, once per iteration: `one` times its own
/// operation and does the rest off the clock.
fn time_each(b: &mut Bencher<'_>, mut one: impl FnMut() -> Duration) {
    b.iter_custom(|iters| (0..iters).map(|_| one()).sum());
}

/// What reading the clock around one operation costs, to subtract.
fn timer_overhead(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.bench_with_input(BenchmarkId::new("timer overhead", 0), &0, |b, _| {
        time_each(b, || {
            let began = Instant::now();
            black_box(());
            began.elapsed()
        });
    });
}

fn lifecycle(c: &mut Criterion) {
    let mut group = c.benchmark_group("lifecycle");
    each_bus!(construct(&mut group));
    each_bus!(combined(&mut group));
    group.finish();
}

/// Construct and destruct a signal.
fn construct<B: Bus>(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.bench_function(
        BenchmarkId::new(format!("construct: {}", B::NAME), 0),
        |b| {
            b.iter(|| drop(black_box(B::new())));
        },
    );
}

/// Construct, connect 16, emit once, disconnect all, destruct: no design
/// can hide costs in deferred work here.
fn combined<B: Bus>(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.bench_function(
        BenchmarkId::new(format!("combined: {}", B::NAME), 16),
        |b| {
            b.iter(|| {
                let bus = B::new();
                let handles: Vec<B::Handle> = (0..16).map(|index| bus.connect(index)).collect();
                bus.emit(black_box(7));
                for handle in handles {
                    bus.disconnect(handle);
                }
                drop(bus);
            });
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = emit, connect_disconnect, lifecycle
}
criterion_main!(benches);
