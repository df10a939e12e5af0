//! Receivers connected at run time, measured next to their floors:
//!
//! - `runtime/N`: N closures on a signal, next to a `Vec<Box<dyn Fn>>`
//!   loop over the same closures and N static receivers;
//! - `fast_path/4`: four static receivers, on a signal that never had a
//!   runtime receiver and on one whose runtime receiver was disconnected;
//! - `mixed/16`: 8 static and 8 runtime receivers, merged by priority;
//! - `threads/N`: one emit while another thread emits the same signal at
//!   once, next to the same emit alone.
//!
//! Run with `cargo bench --bench runtime`.

mod common;

use std::hint::black_box;

use common::measure_with_other_thread;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use signals::{Connection, receiver, signal};

/// The message every receiver reads.
pub struct Message {
    pub value: u64,
}

/// A signal type: each bench case gets its own signal.
#[signal]
pub type Emit = fn(message: &Message);

fn read(message: &Message) {
    black_box(message.value);
}

fn connect_closures(signal: &Emit, count: usize) -> Vec<Connection> {
    (0..count)
        .map(|index| {
            signal.connect(move |message| {
                black_box((index, message.value));
            })
        })
        .collect()
}

/// What most hand-rolled Rust event buses store.
type BoxedReceiver = Box<dyn Fn(&Message) + Send + Sync>;

fn boxed_closures(count: usize) -> Vec<BoxedReceiver> {
    (0..count)
        .map(|index| -> BoxedReceiver {
            Box::new(move |message| {
                black_box((index, message.value));
            })
        })
        .collect()
}

macro_rules! static_signal {
    ($signal:ident: $($receiver:ident)*) => {
        #[signal]
        pub fn $signal(message: &Message);
        $(
            #[receiver(signal = $signal)]
            fn $receiver(message: &Message) {
                read(message);
            }
        )*
    };
}

static_signal!(static_one: s1_0);
static_signal!(static_four: s4_0 s4_1 s4_2 s4_3);
static_signal!(
    static_sixteen: s16_0 s16_1 s16_2 s16_3 s16_4 s16_5 s16_6 s16_7
    s16_8 s16_9 s16_10 s16_11 s16_12 s16_13 s16_14 s16_15
);
static_signal!(fast_never: fn_0 fn_1 fn_2 fn_3);
static_signal!(fast_emptied: fe_0 fe_1 fe_2 fe_3);
static_signal!(mixed: m_0 m_1 m_2 m_3 m_4 m_5 m_6 m_7);
static_signal!(shared_runtime:);

fn runtime(c: &mut Criterion) {
    let mut group = c.benchmark_group("runtime");
    // Each static `send` is its own closure type, inlined as in user code.
    runtime_case(&mut group, 1, |message| static_one.send(message));
    runtime_case(&mut group, 4, |message| static_four.send(message));
    runtime_case(&mut group, 16, |message| static_sixteen.send(message));
    group.finish();
}

fn runtime_case(
    group: &mut BenchmarkGroup<'_, WallTime>,
    count: usize,
    send_static: impl Fn(&Message),
) {
    let message = Message { value: 42 };
    let floor = boxed_closures(count);
    group.bench_with_input(
        BenchmarkId::new("floor_boxed_dyn", count),
        &floor,
        |b, floor| {
            b.iter(|| {
                for receiver in black_box(floor) {
                    receiver(black_box(&message));
                }
            });
        },
    );
    let signal = Emit::new();
    let _connections = connect_closures(&signal, count);
    group.bench_with_input(
        BenchmarkId::new("signals_runtime", count),
        &signal,
        |b, signal| {
            b.iter(|| signal.send(black_box(&message)));
        },
    );
    send_static(&message);
    group.bench_with_input(BenchmarkId::new("signals_static", count), &count, |b, _| {
        b.iter(|| send_static(black_box(&message)));
    });
}

fn fast_path(c: &mut Criterion) {
    let message = Message { value: 42 };
    let mut group = c.benchmark_group("fast_path");
    fast_never.send(&message);
    group.bench_function("static_only_never_connected/4", |b| {
        b.iter(|| fast_never.send(black_box(&message)));
    });
    fast_emptied.connect(read).disconnect();
    group.bench_function("static_only_after_disconnect/4", |b| {
        b.iter(|| fast_emptied.send(black_box(&message)));
    });
    group.finish();
}

fn mixed_receivers(c: &mut Criterion) {
    let message = Message { value: 42 };
    let mut group = c.benchmark_group("mixed");
    let _connections: Vec<Connection> = (0..8)
        .map(|index| {
            mixed.connect(move |message| {
                black_box((index, message.value));
            })
        })
        .collect();
    group.bench_function("8_static_8_runtime/16", |b| {
        b.iter(|| mixed.send(black_box(&message)));
    });
    group.finish();
}

fn threads(c: &mut Criterion) {
    let message = Message { value: 42 };
    let mut group = c.benchmark_group("threads");
    let _connections: Vec<Connection> = (0..16)
        .map(|index| {
            shared_runtime.connect(move |message| {
                black_box((index, message.value));
            })
        })
        .collect();
    let runtime = || shared_runtime.send(black_box(&message));
    let statics = || static_sixteen.send(black_box(&message));
    group.bench_function("runtime_1_thread/16", |b| b.iter(runtime));
    measure_with_other_thread(
        &mut group,
        BenchmarkId::new("runtime_2_threads", 16),
        runtime,
        runtime,
    );
    group.bench_function("static_1_thread/16", |b| b.iter(statics));
    measure_with_other_thread(
        &mut group,
        BenchmarkId::new("static_2_threads", 16),
        statics,
        statics,
    );
    group.finish();
}

criterion_group!(benches, runtime, fast_path, mixed_receivers, threads);
criterion_main!(benches);
