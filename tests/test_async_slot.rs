//! The slot in which an async send runs each static receiver's future:
//! every future is built, polled and dropped exactly once, in place,
//! whether it finishes, panics, is cancelled with the send, or is too
//! large for the slot and boxed. Runs under miri (`scripts/miri.sh`).

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll, Waker};

use signals::{receiver, signal};

fn poll_once<F: Future + ?Sized>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = poll_once(future.as_mut()) {
            return output;
        }
    }
}

async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|_| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            Poll::Pending
        }
    })
    .await;
}

/// Counts its drops in the counter it points to.
struct Dropped(&'static AtomicU32);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[signal]
pub async fn small(step: u32) -> u32;

#[signal(async_inline = 8)]
pub async fn large(step: u32) -> u32;

static SMALL_DROPS: AtomicU32 = AtomicU32::new(0);
static LARGE_DROPS: AtomicU32 = AtomicU32::new(0);

/// Finishes, panics (step 1) or never finishes (step 2); holds a value
/// with a destructor across its `.await`, and a reference into its own
/// state, as an `async fn` may.
async fn receiver_body(step: u32, drops: &'static AtomicU32) -> u32 {
    let guard = Dropped(drops);
    let own = [step; 4];
    let inside = &own;
    yield_once().await;
    assert!(step != 1, "step one");
    if step == 2 {
        std::future::pending::<()>().await;
    }
    drop(guard);
    inside.iter().sum()
}

#[receiver(signal = small)]
async fn in_place(step: u32) -> u32 {
    receiver_body(step, &SMALL_DROPS).await
}

#[receiver(signal = large)]
async fn boxed(step: u32) -> u32 {
    let padding = [step; 8];
    let sum = receiver_body(step, &LARGE_DROPS).await;
    sum + padding[0] - step
}

/// A send, boxed so that both signals' sends have one type.
type Send = std::pin::Pin<Box<dyn Future<Output = Vec<u32>>>>;

fn check(send: fn(u32) -> Send, drops: &AtomicU32) {
    let start = drops.load(Ordering::SeqCst);
    // Finishes: dropped once, at the end.
    assert_eq!(block_on(send(3)), [12]);
    assert_eq!(drops.load(Ordering::SeqCst) - start, 1);
    // Cancelled while pending: dropped once, with the send.
    {
        let mut sending = send(2);
        assert!(poll_once(sending.as_mut()).is_pending());
        assert!(poll_once(sending.as_mut()).is_pending());
        assert_eq!(drops.load(Ordering::SeqCst) - start, 1);
    }
    assert_eq!(drops.load(Ordering::SeqCst) - start, 2);
    // Panics: unwinds out of the send, and is dropped once.
    let panicked = std::panic::catch_unwind(|| block_on(send(1)));
    assert!(panicked.is_err());
    assert_eq!(drops.load(Ordering::SeqCst) - start, 3);
}

#[test]
fn a_future_in_place_is_dropped_exactly_once() {
    check(|step| Box::pin(small.send(step)), &SMALL_DROPS);
}

#[test]
fn a_boxed_future_is_dropped_exactly_once() {
    check(|step| Box::pin(large.send(step)), &LARGE_DROPS);
}

#[signal]
pub async fn robust(step: u32) -> u32;

static ROBUST_DROPS: AtomicU32 = AtomicU32::new(0);

#[receiver(signal = robust, priority = 1)]
async fn failing(step: u32) -> u32 {
    receiver_body(step, &ROBUST_DROPS).await
}

#[receiver(signal = robust)]
async fn after_failing(step: u32) -> u32 {
    yield_once().await;
    step
}

#[test]
fn a_robust_send_drops_a_panicked_future_and_goes_on() {
    let results = block_on(robust.send_robust(1));
    assert_eq!(ROBUST_DROPS.load(Ordering::SeqCst), 1);
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0].as_ref().unwrap_err().panic_message(),
        Some("step one")
    );
    assert_eq!(results[1].as_ref().ok(), Some(&1));
}

#[signal]
pub async fn runtime_only(step: u32) -> u32;

#[test]
fn runtime_async_receivers_are_awaited_and_dropped() {
    static RUNTIME_DROPS: AtomicU32 = AtomicU32::new(0);
    let _runtime = runtime_only
        .connect_async(|step: u32| Box::pin(receiver_body(step, &RUNTIME_DROPS)))
        .scoped();
    assert_eq!(block_on(runtime_only.send(5)), [20]);
    assert_eq!(RUNTIME_DROPS.load(Ordering::SeqCst), 1);
    {
        let mut sending = pin!(runtime_only.send(2));
        assert!(poll_once(sending.as_mut()).is_pending());
    }
    assert_eq!(RUNTIME_DROPS.load(Ordering::SeqCst), 2);
}

#[signal]
pub async fn together(step: u32) -> u32;

static TOGETHER_DROPS: AtomicU32 = AtomicU32::new(0);

#[receiver(signal = together, priority = 1)]
async fn together_first(step: u32) -> u32 {
    receiver_body(step, &TOGETHER_DROPS).await
}

#[receiver(signal = together)]
async fn together_second(step: u32) -> u32 {
    receiver_body(step + 1, &TOGETHER_DROPS).await
}

#[test]
fn a_concurrent_send_drops_each_future_exactly_once() {
    assert_eq!(block_on(together.send_concurrent(3)), [12, 16]);
    assert_eq!(TOGETHER_DROPS.load(Ordering::SeqCst), 2);
    {
        // The first never finishes; the second does, and is dropped then.
        let mut sending = pin!(together.send_concurrent(2));
        assert!(poll_once(sending.as_mut()).is_pending());
        assert!(poll_once(sending.as_mut()).is_pending());
        assert_eq!(TOGETHER_DROPS.load(Ordering::SeqCst), 3);
    }
    assert_eq!(TOGETHER_DROPS.load(Ordering::SeqCst), 4);
    // The second panics: the first, pending, is dropped with the send.
    let panicked = std::panic::catch_unwind(|| block_on(together.send_concurrent(0)));
    assert!(panicked.is_err());
    assert_eq!(TOGETHER_DROPS.load(Ordering::SeqCst), 6);
}
