//! Heap allocations per operation for every contender of `benches/peers.rs`,
//! counted by a global allocator and printed as tab-separated lines keyed
//! like criterion's results: group, function, parameter, allocations.
//! `scripts/bench-report.sh` joins them with the times.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use common::{
    Bus, Crowd, Owner, WEIGHTS, boxed_receivers, each_bus, filtered, floor, read, send_static,
    static_8, weigh,
};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ROUNDS: u64 = 1_000;

/// Allocations per call of `operation`, after one call to warm up.
fn per_operation(mut operation: impl FnMut()) -> f64 {
    operation();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..ROUNDS {
        operation();
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let allocations = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / ROUNDS as f64;
    allocations
}

fn report(group: &str, function: &str, parameter: usize, allocations: f64) {
    println!("{group}\t{function}\t{parameter}\t{allocations}");
}

fn emit_bus<B: Bus>(count: usize) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..count).map(|index| bus.connect(index)).collect();
    report(
        "emit",
        B::NAME,
        count,
        per_operation(|| bus.emit(black_box(7))),
    );
}

/// Only the connect is counted: the signal has `existing` receivers each
/// time.
fn connect_bus<B: Bus>(existing: usize) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..existing).map(|index| bus.connect(index)).collect();
    let mut counted = 0;
    for _ in 0..ROUNDS {
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        let handle = bus.connect(existing);
        counted += ALLOCATIONS.load(Ordering::Relaxed) - before;
        bus.disconnect(handle);
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let allocations = counted as f64 / ROUNDS as f64;
    report("connect", B::NAME, existing, allocations);
}

/// Only the disconnect is counted: the signal has `existing + 1`
/// receivers each time.
fn disconnect_bus<B: Bus>(existing: usize) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..existing).map(|index| bus.connect(index)).collect();
    let mut counted = 0;
    for _ in 0..ROUNDS {
        let handle = bus.connect(existing);
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        bus.disconnect(handle);
        counted += ALLOCATIONS.load(Ordering::Relaxed) - before;
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let allocations = counted as f64 / ROUNDS as f64;
    report("disconnect", B::NAME, existing, allocations);
}

fn lifecycle<B: Bus>() {
    report(
        "lifecycle",
        &format!("construct: {}", B::NAME),
        0,
        per_operation(|| drop(black_box(B::new()))),
    );
    let combined = per_operation(|| {
        let bus = B::new();
        let handles: Vec<B::Handle> = (0..16).map(|index| bus.connect(index)).collect();
        bus.emit(black_box(7));
        for handle in handles {
            bus.disconnect(handle);
        }
    });
    report("lifecycle", &format!("combined: {}", B::NAME), 16, combined);
}

fn main() {
    if std::env::args().any(|arg| arg == "--list") {
        return;
    }
    for count in [1, 4, 16, 64] {
        report(
            "emit",
            "floor: direct calls",
            count,
            per_operation(|| {
                for index in 0..black_box(count) {
                    read(index, black_box(7));
                }
            }),
        );
        report(
            "emit",
            "floor: &[fn] loop",
            count,
            per_operation(|| {
                for receiver in black_box(floor(count)) {
                    receiver(black_box(7));
                }
            }),
        );
        let boxed = boxed_receivers(count);
        report(
            "emit",
            "floor: Vec<Box<dyn Fn>>",
            count,
            per_operation(|| {
                for receiver in &boxed {
                    receiver(black_box(7));
                }
            }),
        );
        report(
            "emit",
            "signals (static)",
            count,
            per_operation(|| send_static(count, black_box(7))),
        );
        each_bus!(emit_bus(count));
    }
    let _runtime: Vec<_> = (0..8)
        .map(|index| static_8.connect(move |value| read(index, value)))
        .collect();
    report(
        "emit special",
        "signals (8 static + 8 runtime)",
        16,
        per_operation(|| static_8.send(black_box(7))),
    );
    filtered.send_from(&Crowd, 7);
    report(
        "emit special",
        "signals send_from, 4 of 64 receivers",
        4,
        per_operation(|| filtered.send_from(&Owner, black_box(7))),
    );
    report("emit special", "floor: &[fn] loop", 4, 0.0);
    report(
        "emit special",
        "signals send_iter().sum()",
        16,
        per_operation(|| {
            black_box(weigh.send_iter(black_box(7)).sum::<u64>());
        }),
    );
    report(
        "emit special",
        "floor: &[fn -> u64] sum",
        16,
        per_operation(|| {
            black_box(
                WEIGHTS
                    .iter()
                    .map(|weight| weight(black_box(7)))
                    .sum::<u64>(),
            );
        }),
    );
    for existing in [1, 16, 64, 256] {
        each_bus!(connect_bus(existing));
        each_bus!(disconnect_bus(existing));
    }
    each_bus!(lifecycle());
}
