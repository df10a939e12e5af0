//! Emits with a chosen contender N times, for `scripts/instructions.sh`,
//! which runs this under callgrind at two values of N and divides the
//! difference in instructions by the difference in emits: instructions per
//! emit, which stay put on a noisy machine where timings scatter.
//!
//! `cargo bench --bench instructions -- CONTENDER/RECEIVERS N`; without
//! arguments it lists the cases (so that `cargo bench` runs it harmlessly).

mod common;

use std::hint::black_box;

use common::{
    Bus, CountedTick, ListenerBag, RwLockBus, Signals2, Tick, Unprotected, await_by_hand,
    boxed_receivers, floor, send_async, static_1, static_4, static_16, static_64,
};

const CONTENDERS: &[&str] = &[
    "fn_slice",
    "static",
    "static_counted",
    "boxed_dyn",
    "unprotected",
    "runtime",
    "runtime_counted",
    "signals2",
    "event_listener_primitives",
    "rwlock",
    "async_by_hand",
    "async_static",
];

fn emit_bus<B: Bus>(receivers: usize, count: u64) {
    let bus = B::new();
    let _handles: Vec<B::Handle> = (0..receivers).map(|index| bus.connect(index)).collect();
    for _ in 0..count {
        bus.emit(black_box(7));
    }
}

/// Runs `send` `count` times between `set_counting(true)` and
/// `set_counting(false)`.
fn counted(set_counting: impl Fn(bool), send: impl Fn(), count: u64) {
    set_counting(true);
    for _ in 0..count {
        send();
    }
    set_counting(false);
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let (Some(case), Some(count)) = (
        args.first(),
        args.get(1).and_then(|count| count.parse::<u64>().ok()),
    ) else {
        println!(
            "usage: instructions CONTENDER/RECEIVERS N; contenders: {}; receivers: 1 4 16 64",
            CONTENDERS.join(" ")
        );
        return;
    };
    let (contender, receivers) = case.split_once('/').unwrap_or((case, "1"));
    let receivers: usize = receivers.parse().unwrap_or(1);
    match contender {
        "fn_slice" => {
            for _ in 0..count {
                for receiver in black_box(floor(receivers)) {
                    receiver(black_box(7));
                }
            }
        }
        // One loop per signal, so that the count is not matched per emit.
        "static" => match receivers {
            1 => (0..count).for_each(|_| static_1.send(black_box(7))),
            4 => (0..count).for_each(|_| static_4.send(black_box(7))),
            16 => (0..count).for_each(|_| static_16.send(black_box(7))),
            _ => (0..count).for_each(|_| static_64.send(black_box(7))),
        },
        // The same sends while the signal counts its sends and calls.
        "static_counted" => match receivers {
            1 => counted(
                |on| static_1.set_counting(on),
                || static_1.send(black_box(7)),
                count,
            ),
            4 => counted(
                |on| static_4.set_counting(on),
                || static_4.send(black_box(7)),
                count,
            ),
            16 => counted(
                |on| static_16.set_counting(on),
                || static_16.send(black_box(7)),
                count,
            ),
            _ => counted(
                |on| static_64.set_counting(on),
                || static_64.send(black_box(7)),
                count,
            ),
        },
        "boxed_dyn" => {
            let boxed = boxed_receivers(receivers);
            for _ in 0..count {
                for receiver in black_box(&boxed) {
                    receiver(black_box(7));
                }
            }
        }
        "unprotected" => {
            let unprotected = Unprotected::new(receivers);
            for _ in 0..count {
                unprotected.emit(black_box(7));
            }
        }
        "runtime" => emit_bus::<Tick>(receivers, count),
        "runtime_counted" => emit_bus::<CountedTick>(receivers, count),
        "signals2" => emit_bus::<Signals2>(receivers, count),
        "event_listener_primitives" => emit_bus::<ListenerBag>(receivers, count),
        "rwlock" => emit_bus::<RwLockBus>(receivers, count),
        // Sends to `async fn` receivers that are ready at once, and the
        // same functions awaited by hand, on a no-op waker.
        "async_by_hand" => (0..count).for_each(|_| await_by_hand(receivers, black_box(7))),
        "async_static" => (0..count).for_each(|_| send_async(receivers, black_box(7))),
        _ => println!(
            "unknown contender {contender}; contenders: {}",
            CONTENDERS.join(" ")
        ),
    }
}
