//! `send` with 1, 4 and 16 static receivers, next to the floor: the same
//! functions called directly (inlined), and called through a hand-written
//! loop over an opaque slice of `fn` pointers, which is what link-time
//! registration can at best compile to.
//!
//! Run with `cargo bench --bench emit`.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use signals::{receiver, signal};

/// The message every receiver reads.
pub struct Message {
    pub value: u64,
}

/// Declares a signal with one receiver per listed name, and an array of the
/// same functions for the hand-written floor.
macro_rules! signal_with_receivers {
    ($signal:ident, $floor:ident: $($receiver:ident)+) => {
        #[signal]
        pub fn $signal(message: &Message);

        $(
            #[receiver(signal = $signal)]
            fn $receiver(message: &Message) {
                black_box(message.value);
            }
        )+

        const $floor: &[fn(&Message)] = &[$($receiver),+];
    };
}

signal_with_receivers!(one, ONE: one_0);
signal_with_receivers!(four, FOUR: four_0 four_1 four_2 four_3);
signal_with_receivers!(
    sixteen, SIXTEEN:
    sixteen_0 sixteen_1 sixteen_2 sixteen_3 sixteen_4 sixteen_5 sixteen_6 sixteen_7
    sixteen_8 sixteen_9 sixteen_10 sixteen_11 sixteen_12 sixteen_13 sixteen_14 sixteen_15
);

fn direct_calls(count: usize, message: &Message) {
    // What the compiler makes of calls written out by hand: inlined bodies.
    for _ in 0..count {
        black_box(message.value);
    }
}

fn fn_slice_loop(receivers: &[fn(&Message)], message: &Message) {
    for receiver in receivers {
        receiver(message);
    }
}

fn emit(c: &mut Criterion) {
    let mut group = c.benchmark_group("emit");
    // Each `send` is passed as its own closure type, so it is inlined into
    // the measured loop exactly as a call written in user code would be.
    bench_case(&mut group, ONE, |message| one.send(message));
    bench_case(&mut group, FOUR, |message| four.send(message));
    bench_case(&mut group, SIXTEEN, |message| sixteen.send(message));
    group.finish();
}

fn bench_case(
    group: &mut BenchmarkGroup<'_, WallTime>,
    floor: &'static [fn(&Message)],
    send: impl Fn(&Message),
) {
    let message = Message { value: 42 };
    let count = floor.len();
    // The tables are built on the first send, once per signal: not measured.
    send(&message);
    group.bench_with_input(
        BenchmarkId::new("floor_direct", count),
        &count,
        |b, &count| {
            b.iter(|| direct_calls(black_box(count), black_box(&message)));
        },
    );
    group.bench_with_input(
        BenchmarkId::new("floor_fn_slice", count),
        &floor,
        |b, floor| {
            b.iter(|| fn_slice_loop(black_box(floor), black_box(&message)));
        },
    );
    group.bench_with_input(BenchmarkId::new("signals_static", count), &count, |b, _| {
        b.iter(|| send(black_box(&message)));
    });
}

criterion_group!(benches, emit);
criterion_main!(benches);
