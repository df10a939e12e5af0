//! `send(..).await` of an async signal with 1, 4, 16 and 64 static `async
//! fn` receivers, next to the floor: the same `async fn`s awaited by hand,
//! one after another, polled by the same executor (a no-op waker). The
//! target: at most 5 ns per receiver over the floor.
//!
//! Run with `cargo bench --bench async_send`.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use common::{await_by_hand, send_async};

fn async_send(c: &mut Criterion) {
    let mut group = c.benchmark_group("async_send");
    for receivers in [1, 4, 16, 64] {
        // The first send builds the signal's tables.
        send_async(receivers, 0);
        group.bench_with_input(
            BenchmarkId::new("by_hand", receivers),
            &receivers,
            |b, &receivers| b.iter(|| await_by_hand(receivers, black_box(7))),
        );
        group.bench_with_input(
            BenchmarkId::new("signals", receivers),
            &receivers,
            |b, &receivers| b.iter(|| send_async(receivers, black_box(7))),
        );
    }
    group.finish();
}

criterion_group!(benches, async_send);
criterion_main!(benches);
