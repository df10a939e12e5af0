// Shared by two bench binaries, each of which uses only part of it.
#![allow(dead_code)]

//! The contenders of the peer benchmarks (`benches/peers.rs`) and the
//! allocation counts (`benches/allocations.rs`), defined once.
//!
//! Every contender delivers a `u64` by value to receivers that read it:
//! `signals2` needs `Clone + 'static` arguments, so a reference would not
//! compare like with like.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::{Arc, Barrier, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId};

use signals::{Connection, receiver, signal};

/// What every receiver does with the value.
#[inline]
pub fn read(index: usize, value: u64) {
    black_box((index, value));
}

/// Runs `bench::<B>(args..)` for every contender that implements [`Bus`].
#[allow(unused_macros)] // not every bench binary uses it
macro_rules! each_bus {
    ($bench:ident($($arg:expr),*)) => {
        $bench::<$crate::common::Tick>($($arg),*);
        $bench::<$crate::common::Signals2>($($arg),*);
        $bench::<$crate::common::ListenerBag>($($arg),*);
        $bench::<$crate::common::RwLockBus>($($arg),*);
    };
}
#[allow(unused_imports)] // not every bench binary uses it
pub(crate) use each_bus;

/// A signal implementation that receivers connect to at run time.
pub trait Bus: Send + Sync {
    /// What disconnects one receiver.
    type Handle: Send;
    /// The name in the report.
    const NAME: &'static str;
    fn new() -> Self;
    /// Connects a receiver that calls `read(index, value)`.
    fn connect(&self, index: usize) -> Self::Handle;
    fn disconnect(&self, handle: Self::Handle);
    fn emit(&self, value: u64);
}

/// Per-object signal type of `signals`.
#[signal]
pub type Tick = fn(value: u64);

impl Bus for Tick {
    type Handle = Connection;
    const NAME: &'static str = "signals (runtime)";
    fn new() -> Self {
        Tick::new()
    }
    fn connect(&self, index: usize) -> Connection {
        Tick::connect(self, move |value| read(index, value))
    }
    fn disconnect(&self, handle: Connection) {
        handle.disconnect();
    }
    #[inline]
    fn emit(&self, value: u64) {
        self.send(value);
    }
}

/// The same signal type while it counts its sends and calls: a type of its
/// own, so that measuring it leaves `Tick`'s code as it is.
#[signal]
pub type CountedTick = fn(value: u64);

impl Bus for CountedTick {
    type Handle = Connection;
    const NAME: &'static str = "signals (runtime, counting)";
    fn new() -> Self {
        let tick = CountedTick::new();
        tick.set_counting(true);
        tick
    }
    fn connect(&self, index: usize) -> Connection {
        CountedTick::connect(self, move |value| read(index, value))
    }
    fn disconnect(&self, handle: Connection) {
        handle.disconnect();
    }
    #[inline]
    fn emit(&self, value: u64) {
        self.send(value);
    }
}

/// The Boost.Signals2 port.
pub struct Signals2(pub signals2::Signal<(u64,)>);

impl Bus for Signals2 {
    type Handle = signals2::Connection;
    const NAME: &'static str = "signals2";
    fn new() -> Self {
        Self(signals2::Signal::new())
    }
    fn connect(&self, index: usize) -> signals2::Connection {
        use signals2::Connect1;
        self.0.connect(move |value| read(index, value))
    }
    fn disconnect(&self, handle: signals2::Connection) {
        handle.disconnect();
    }
    #[inline]
    fn emit(&self, value: u64) {
        use signals2::Emit1;
        self.0.emit(value);
    }
}

/// `event-listener-primitives`: a handler map behind a mutex, collected
/// before each call.
pub type ListenerHandler = Arc<dyn Fn(&u64) + Send + Sync>;

pub struct ListenerBag(pub event_listener_primitives::Bag<ListenerHandler, u64>);

impl Bus for ListenerBag {
    type Handle = event_listener_primitives::HandlerId;
    const NAME: &'static str = "event-listener-primitives";
    fn new() -> Self {
        Self(event_listener_primitives::Bag::default())
    }
    fn connect(&self, index: usize) -> event_listener_primitives::HandlerId {
        self.0.add(Arc::new(move |value: &u64| read(index, *value)))
    }
    fn disconnect(&self, handle: event_listener_primitives::HandlerId) {
        drop(handle);
    }
    #[inline]
    fn emit(&self, value: u64) {
        self.0.call_simple(&value);
    }
}

/// What most hand-rolled Rust event buses do: a read lock held while the
/// receivers run.
pub type SharedReceiver = Arc<dyn Fn(u64) + Send + Sync>;

#[derive(Default)]
pub struct RwLockBus {
    receivers: RwLock<(u64, Vec<(u64, SharedReceiver)>)>,
}

impl Bus for RwLockBus {
    type Handle = u64;
    const NAME: &'static str = "RwLock<Vec<Arc<dyn Fn>>>";
    fn new() -> Self {
        Self::default()
    }
    fn connect(&self, index: usize) -> u64 {
        let mut receivers = self.receivers.write().unwrap();
        receivers.0 += 1;
        let id = receivers.0;
        receivers
            .1
            .push((id, Arc::new(move |value| read(index, value))));
        id
    }
    fn disconnect(&self, handle: u64) {
        self.receivers
            .write()
            .unwrap()
            .1
            .retain(|(id, _)| *id != handle);
    }
    #[inline]
    fn emit(&self, value: u64) {
        for (_, receiver) in &self.receivers.read().unwrap().1 {
            receiver(value);
        }
    }
}

/// The floor for closures: a plain `Vec<Box<dyn Fn>>`, built once.
pub type BoxedReceiver = Box<dyn Fn(u64) + Send + Sync>;

#[must_use]
pub fn boxed_receivers(count: usize) -> Vec<BoxedReceiver> {
    (0..count)
        .map(|index| -> BoxedReceiver { Box::new(move |value| read(index, value)) })
        .collect()
}

/// The floor for a protected send: boxed closures reached through a
/// snapshot pointer loaded with `Acquire`, and no protection at all. Unsound
/// as a signal (nothing stops a writer from freeing the snapshot under a
/// send), so it has no writer: it prices what a send costs before any
/// reclamation scheme.
pub struct Unprotected {
    snapshot: AtomicPtr<Vec<BoxedReceiver>>,
}

impl Unprotected {
    #[must_use]
    pub fn new(count: usize) -> Self {
        Self {
            snapshot: AtomicPtr::new(Box::into_raw(Box::new(boxed_receivers(count)))),
        }
    }

    #[inline]
    pub fn emit(&self, value: u64) {
        let snapshot = self.snapshot.load(Ordering::Acquire);
        // SAFETY: the snapshot is set once in `new` and freed only in `drop`,
        // which cannot run while `&self` is borrowed.
        for receiver in unsafe { &*snapshot } {
            receiver(value);
        }
    }
}

impl Drop for Unprotected {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::into_raw` in `new`, and
        // `&mut self` means no emit is running.
        drop(unsafe { Box::from_raw(*self.snapshot.get_mut()) });
    }
}

/// Declares a `#[signal]` with one static receiver per name, and the same
/// functions as an array, for the `fn`-slice floor.
macro_rules! static_signal {
    ($signal:ident, $floor:ident: $($receiver:ident)*) => {
        #[signal]
        pub fn $signal(value: u64);
        $(
            #[receiver(signal = $signal)]
            fn $receiver(value: u64) {
                read(0, value);
            }
        )*
        pub const $floor: &[fn(u64)] = &[$($receiver),*];
    };
}

static_signal!(static_1, FLOOR_1: a0);
static_signal!(static_4, FLOOR_4: b0 b1 b2 b3);
static_signal!(static_8, FLOOR_8: e0 e1 e2 e3 e4 e5 e6 e7);
static_signal!(static_16, FLOOR_16: c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 c10 c11 c12 c13 c14 c15);
static_signal!(static_64, FLOOR_64: d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 d10 d11 d12 d13 d14 d15 d16 d17 d18 d19 d20 d21 d22 d23 d24 d25 d26 d27 d28 d29 d30 d31 d32 d33 d34 d35 d36 d37 d38 d39 d40 d41 d42 d43 d44 d45 d46 d47 d48 d49 d50 d51 d52 d53 d54 d55 d56 d57 d58 d59 d60 d61 d62 d63);

/// Static receivers as a `fn` slice, by count.
#[must_use]
pub fn floor(count: usize) -> &'static [fn(u64)] {
    match count {
        1 => FLOOR_1,
        4 => FLOOR_4,
        16 => FLOOR_16,
        _ => FLOOR_64,
    }
}

/// The static signal with `count` receivers.
#[inline]
pub fn send_static(count: usize, value: u64) {
    match count {
        1 => static_1.send(value),
        4 => static_4.send(value),
        16 => static_16.send(value),
        _ => static_64.send(value),
    }
}

/// The sender of the filtered sends, and the one with many receivers.
pub struct Owner;
pub struct Crowd;

#[signal]
pub fn filtered(value: u64);

#[receiver(signal = filtered, sender = Owner)]
fn owner_0(value: u64) {
    read(0, value);
}
#[receiver(signal = filtered, sender = Owner)]
fn owner_1(value: u64) {
    read(1, value);
}
#[receiver(signal = filtered, sender = Owner)]
fn owner_2(value: u64) {
    read(2, value);
}
#[receiver(signal = filtered, sender = Owner)]
fn owner_3(value: u64) {
    read(3, value);
}

#[receiver(signal = filtered, sender = Crowd)]
fn crowd_0(value: u64) {
    read(0, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_1(value: u64) {
    read(1, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_2(value: u64) {
    read(2, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_3(value: u64) {
    read(3, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_4(value: u64) {
    read(4, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_5(value: u64) {
    read(5, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_6(value: u64) {
    read(6, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_7(value: u64) {
    read(7, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_8(value: u64) {
    read(8, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_9(value: u64) {
    read(9, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_10(value: u64) {
    read(10, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_11(value: u64) {
    read(11, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_12(value: u64) {
    read(12, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_13(value: u64) {
    read(13, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_14(value: u64) {
    read(14, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_15(value: u64) {
    read(15, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_16(value: u64) {
    read(16, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_17(value: u64) {
    read(17, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_18(value: u64) {
    read(18, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_19(value: u64) {
    read(19, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_20(value: u64) {
    read(20, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_21(value: u64) {
    read(21, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_22(value: u64) {
    read(22, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_23(value: u64) {
    read(23, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_24(value: u64) {
    read(24, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_25(value: u64) {
    read(25, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_26(value: u64) {
    read(26, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_27(value: u64) {
    read(27, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_28(value: u64) {
    read(28, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_29(value: u64) {
    read(29, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_30(value: u64) {
    read(30, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_31(value: u64) {
    read(31, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_32(value: u64) {
    read(32, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_33(value: u64) {
    read(33, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_34(value: u64) {
    read(34, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_35(value: u64) {
    read(35, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_36(value: u64) {
    read(36, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_37(value: u64) {
    read(37, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_38(value: u64) {
    read(38, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_39(value: u64) {
    read(39, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_40(value: u64) {
    read(40, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_41(value: u64) {
    read(41, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_42(value: u64) {
    read(42, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_43(value: u64) {
    read(43, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_44(value: u64) {
    read(44, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_45(value: u64) {
    read(45, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_46(value: u64) {
    read(46, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_47(value: u64) {
    read(47, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_48(value: u64) {
    read(48, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_49(value: u64) {
    read(49, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_50(value: u64) {
    read(50, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_51(value: u64) {
    read(51, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_52(value: u64) {
    read(52, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_53(value: u64) {
    read(53, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_54(value: u64) {
    read(54, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_55(value: u64) {
    read(55, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_56(value: u64) {
    read(56, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_57(value: u64) {
    read(57, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_58(value: u64) {
    read(58, value);
}
#[receiver(signal = filtered, sender = Crowd)]
fn crowd_59(value: u64) {
    read(59, value);
}

/// A signal with a return value, folded.
#[signal]
pub fn weigh(value: u64) -> u64;

#[receiver(signal = weigh)]
fn weigh_0(value: u64) -> u64 {
    value.wrapping_mul(1)
}
#[receiver(signal = weigh)]
fn weigh_1(value: u64) -> u64 {
    value.wrapping_mul(2)
}
#[receiver(signal = weigh)]
fn weigh_2(value: u64) -> u64 {
    value.wrapping_mul(3)
}
#[receiver(signal = weigh)]
fn weigh_3(value: u64) -> u64 {
    value.wrapping_mul(4)
}
#[receiver(signal = weigh)]
fn weigh_4(value: u64) -> u64 {
    value.wrapping_mul(5)
}
#[receiver(signal = weigh)]
fn weigh_5(value: u64) -> u64 {
    value.wrapping_mul(6)
}
#[receiver(signal = weigh)]
fn weigh_6(value: u64) -> u64 {
    value.wrapping_mul(7)
}
#[receiver(signal = weigh)]
fn weigh_7(value: u64) -> u64 {
    value.wrapping_mul(8)
}
#[receiver(signal = weigh)]
fn weigh_8(value: u64) -> u64 {
    value.wrapping_mul(9)
}
#[receiver(signal = weigh)]
fn weigh_9(value: u64) -> u64 {
    value.wrapping_mul(10)
}
#[receiver(signal = weigh)]
fn weigh_10(value: u64) -> u64 {
    value.wrapping_mul(11)
}
#[receiver(signal = weigh)]
fn weigh_11(value: u64) -> u64 {
    value.wrapping_mul(12)
}
#[receiver(signal = weigh)]
fn weigh_12(value: u64) -> u64 {
    value.wrapping_mul(13)
}
#[receiver(signal = weigh)]
fn weigh_13(value: u64) -> u64 {
    value.wrapping_mul(14)
}
#[receiver(signal = weigh)]
fn weigh_14(value: u64) -> u64 {
    value.wrapping_mul(15)
}
#[receiver(signal = weigh)]
fn weigh_15(value: u64) -> u64 {
    value.wrapping_mul(16)
}

pub const WEIGHTS: &[fn(u64) -> u64] = &[
    weigh_0, weigh_1, weigh_2, weigh_3, weigh_4, weigh_5, weigh_6, weigh_7, weigh_8, weigh_9,
    weigh_10, weigh_11, weigh_12, weigh_13, weigh_14, weigh_15,
];

/// Times `measured` on this thread while `other` runs in a loop on another.
pub fn measure_with_other_thread(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: BenchmarkId,
    measured: impl Fn() + Sync,
    other: impl Fn() + Sync,
) {
    group.bench_function(id, |b| {
        b.iter_custom(|iters| {
            let stop = AtomicBool::new(false);
            let start = Barrier::new(2);
            thread::scope(|scope| {
                scope.spawn(|| {
                    start.wait();
                    while !stop.load(Ordering::Relaxed) {
                        other();
                    }
                });
                start.wait();
                let began = Instant::now();
                for _ in 0..iters {
                    measured();
                }
                let elapsed: Duration = began.elapsed();
                stop.store(true, Ordering::Relaxed);
                elapsed
            })
        });
    });
}

/// Polls `future` to completion with a waker that does nothing: the
/// executor of the async benches, the same for every contender.
#[inline]
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// Declares an async `#[signal]` with one static `async fn` receiver per
/// name, and the floor: an `async fn` that awaits the same functions one
/// after another.
macro_rules! async_signal {
    ($signal:ident, $by_hand:ident: $($receiver:ident)*) => {
        #[signal]
        pub async fn $signal(value: u64);
        $(
            // Ready at once: what is measured is the send around it.
            #[allow(clippy::unused_async)]
            #[receiver(signal = $signal)]
            async fn $receiver(value: u64) {
                read(0, value);
            }
        )*
        pub async fn $by_hand(value: u64) {
            $($receiver(value).await;)*
        }
    };
}

async_signal!(async_1, by_hand_1: f0);
async_signal!(async_4, by_hand_4: g0 g1 g2 g3);
async_signal!(async_16, by_hand_16: h0 h1 h2 h3 h4 h5 h6 h7 h8 h9 h10 h11 h12 h13 h14 h15);
async_signal!(async_64, by_hand_64: i0 i1 i2 i3 i4 i5 i6 i7 i8 i9 i10 i11 i12 i13 i14 i15 i16 i17 i18 i19 i20 i21 i22 i23 i24 i25 i26 i27 i28 i29 i30 i31 i32 i33 i34 i35 i36 i37 i38 i39 i40 i41 i42 i43 i44 i45 i46 i47 i48 i49 i50 i51 i52 i53 i54 i55 i56 i57 i58 i59 i60 i61 i62 i63);

/// `send(value).await` of the async signal with `count` receivers.
#[inline]
pub fn send_async(count: usize, value: u64) {
    match count {
        1 => block_on(async_1.send(value)),
        4 => block_on(async_4.send(value)),
        16 => block_on(async_16.send(value)),
        _ => block_on(async_64.send(value)),
    }
}

/// The same `async fn`s awaited by hand.
#[inline]
pub fn await_by_hand(count: usize, value: u64) {
    match count {
        1 => block_on(by_hand_1(value)),
        4 => block_on(by_hand_4(value)),
        16 => block_on(by_hand_16(value)),
        _ => block_on(by_hand_64(value)),
    }
}
