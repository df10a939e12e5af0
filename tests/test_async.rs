//! Async signals: `#[signal] async fn`, static `async fn` receivers next to
//! sync ones in one call order, runtime async receivers, robust sends,
//! policies and cancellation. The scenarios run on
//! `futures_executor::block_on` and on tokio alike.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use signals::{ConnectOptions, Failure, receiver, signal};

pub struct Order {
    pub id: u32,
}

/// Returns `Pending` once, waking itself: an `.await` that really yields
/// to the executor.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// Runs `scenario` on both executors: each test body is async, and must
/// hold on either.
fn on_both<F: Future<Output = ()>>(scenario: impl Fn() -> F) {
    futures_executor::block_on(scenario());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(scenario());
}

// Mixed order: sync and async receivers keep their places.

#[signal]
pub async fn order_paid(order: &Order);

static PAID: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn paid(entry: String) {
    PAID.lock().unwrap().push(entry);
}

#[receiver(signal = order_paid, priority = 10)]
fn audit(order: &Order) {
    paid(format!("audit {}", order.id));
}

#[receiver(signal = order_paid, priority = 5)]
async fn email(order: &Order) {
    paid(format!("email start {}", order.id));
    yield_now().await;
    paid(format!("email end {}", order.id));
}

#[receiver(signal = order_paid, priority = 5)]
fn a_ledger(order: &Order) {
    paid(format!("ledger {}", order.id));
}

#[receiver(signal = order_paid)]
async fn index(order: &Order) {
    yield_now().await;
    paid(format!("index {}", order.id));
}

#[test]
fn sync_and_async_receivers_run_in_one_total_order() {
    on_both(|| async {
        PAID.lock().unwrap().clear();
        let log = Arc::new(Mutex::new(Vec::new()));
        let runtime_log = Arc::clone(&log);
        // Runtime receivers take their place by priority too: after the
        // static ones of equal priority.
        let _runtime = order_paid
            .connect_async_with(&ConnectOptions::new().priority(5), move |order: &Order| {
                let log = Arc::clone(&runtime_log);
                let id = order.id;
                Box::pin(async move {
                    yield_now().await;
                    paid(format!("runtime {id}"));
                    log.lock().unwrap().push(id);
                })
            })
            .scoped();
        order_paid.send(&Order { id: 7 }).await;
        assert_eq!(
            *PAID.lock().unwrap(),
            [
                "audit 7",
                // Priority 5: static receivers by path (`a_ledger` before
                // `email`), then the runtime one.
                "ledger 7",
                "email start 7",
                "email end 7",
                "runtime 7",
                "index 7",
            ]
        );
        assert_eq!(*log.lock().unwrap(), [7]);
    });
}

// Results.

pub struct Item {
    pub cents: u32,
}

#[signal]
pub async fn price_quote(item: &Item) -> u32;

#[receiver(signal = price_quote, priority = 2)]
async fn list_price(item: &Item) -> u32 {
    yield_now().await;
    item.cents
}

#[receiver(signal = price_quote, priority = 1)]
fn shipping(_item: &Item) -> u32 {
    500
}

#[receiver(signal = price_quote, when = is_heavy)]
async fn heavy_surcharge(item: &Item) -> u32 {
    yield_now().await;
    item.cents / 10
}

fn is_heavy(item: &Item) -> bool {
    item.cents > 10_000
}

#[test]
fn results_come_back_in_call_order_and_a_skipped_receiver_gives_none() {
    on_both(|| async {
        assert_eq!(price_quote.send(&Item { cents: 100 }).await, [100, 500]);
        assert_eq!(
            price_quote.send(&Item { cents: 20_000 }).await,
            [20_000, 500, 2_000]
        );
        let _runtime = price_quote
            .connect_async(|item: &Item| Box::pin(async move { item.cents * 2 }))
            .scoped();
        let _sync = price_quote.connect(|item: &Item| item.cents + 1).scoped();
        assert_eq!(
            price_quote.send(&Item { cents: 100 }).await,
            [100, 500, 200, 101]
        );
    });
}

// Failures.

#[signal]
pub async fn synced(step: u32);

static SYNCED: Mutex<Vec<&str>> = Mutex::new(Vec::new());

#[receiver(signal = synced, priority = 3)]
async fn first(step: u32) {
    SYNCED.lock().unwrap().push("first");
    yield_now().await;
    assert!(step != 1, "first refuses {step}");
}

#[receiver(signal = synced, priority = 2)]
fn middle(step: u32) {
    SYNCED.lock().unwrap().push("middle");
    assert!(step != 2, "middle refuses {step}");
}

#[receiver(signal = synced, priority = 1)]
async fn last(step: u32) {
    SYNCED.lock().unwrap().push("last");
    assert!(step != 3, "last refuses {step}");
    yield_now().await;
}

#[test]
fn a_robust_send_survives_a_failure_in_the_first_a_middle_or_the_last_receiver() {
    on_both(|| async {
        for (step, failing) in [(1, "first"), (2, "middle"), (3, "last")] {
            SYNCED.lock().unwrap().clear();
            let failures = synced.send_robust(step).await;
            assert_eq!(*SYNCED.lock().unwrap(), ["first", "middle", "last"]);
            assert_eq!(failures.len(), 1);
            assert_eq!(failures[0].receiver().name(), failing);
            assert_eq!(failures[0].signal(), "synced");
            let message = format!("{failing} refuses {step}");
            assert_eq!(failures[0].failure(), &Failure::Panicked(message));
        }
    });
}

#[signal]
pub async fn checked(step: u32);

#[receiver(signal = checked)]
async fn refuses_one(step: u32) {
    yield_now().await;
    assert!(step != 1, "one");
}

#[test]
fn a_panic_in_a_plain_send_propagates_and_the_signal_stays_usable() {
    let caught = std::panic::catch_unwind(|| futures_executor::block_on(checked.send(1)));
    assert!(caught.is_err());
    futures_executor::block_on(async {
        assert!(checked.send_robust(0).await.is_empty());
        assert_eq!(checked.send_robust(1).await.len(), 1);
    });
}

#[derive(Debug, PartialEq, Eq)]
pub struct Declined(u32);

#[signal]
pub async fn charged(cents: u32) -> Result<u32, Declined>;

static CHARGED: AtomicU32 = AtomicU32::new(0);

#[receiver(signal = charged, priority = 1)]
async fn card(cents: u32) -> Result<u32, Declined> {
    CHARGED.fetch_add(1, Ordering::Relaxed);
    yield_now().await;
    if cents > 100 {
        Err(Declined(cents))
    } else {
        Ok(cents)
    }
}

#[receiver(signal = charged)]
fn ledger(cents: u32) -> Result<u32, Declined> {
    CHARGED.fetch_add(1, Ordering::Relaxed);
    Ok(cents)
}

#[test]
fn try_send_stops_at_the_first_err_and_send_robust_reports_it() {
    on_both(|| async {
        let before = CHARGED.load(Ordering::Relaxed);
        let error = charged.try_send(500).await.unwrap_err();
        assert_eq!(CHARGED.load(Ordering::Relaxed) - before, 1);
        assert_eq!(error.receiver().name(), "card");
        assert_eq!(error.returned(), Some(&Declined(500)));
        assert_eq!(charged.try_send(50).await.unwrap(), [50, 50]);

        let results = charged.send_robust(500).await;
        assert_eq!(
            results[0].as_ref().unwrap_err().returned(),
            Some(&Declined(500))
        );
        assert_eq!(results[1].as_ref().ok(), Some(&500));
    });
}

// Cancellation.

#[signal]
pub async fn cancelled(id: u32);

static STARTED: AtomicU32 = AtomicU32::new(0);
static DROPPED: AtomicU32 = AtomicU32::new(0);
static AFTER: AtomicU32 = AtomicU32::new(0);

struct CountsDrop;

impl Drop for CountsDrop {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

#[receiver(signal = cancelled, priority = 1)]
async fn never_ready(_id: u32) {
    let _guard = CountsDrop;
    STARTED.fetch_add(1, Ordering::Relaxed);
    std::future::pending::<()>().await;
}

#[receiver(signal = cancelled)]
fn after(_id: u32) {
    AFTER.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn dropping_the_send_drops_the_running_receiver_and_calls_no_further_one() {
    let mut context = Context::from_waker(Waker::noop());
    {
        let mut sending = pin!(cancelled.send(1));
        assert!(sending.as_mut().poll(&mut context).is_pending());
        assert!(sending.as_mut().poll(&mut context).is_pending());
        assert_eq!(STARTED.load(Ordering::Relaxed), 1);
        assert_eq!(DROPPED.load(Ordering::Relaxed), 0);
    }
    assert_eq!(DROPPED.load(Ordering::Relaxed), 1);
    assert_eq!(AFTER.load(Ordering::Relaxed), 0);
    // The signal is as usable as before.
    let mut again = pin!(cancelled.send(2));
    assert!(again.as_mut().poll(&mut context).is_pending());
    assert_eq!(STARTED.load(Ordering::Relaxed), 2);
}

#[test]
fn a_send_future_does_nothing_until_polled() {
    let sending = cancelled.send(3);
    drop(sending);
    assert_eq!(AFTER.load(Ordering::Relaxed), 0);
}

// Context of the caller's task.

#[signal]
pub async fn request_handled(path: &str);

tokio::task_local! {
    static REQUEST_ID: std::cell::Cell<u32>;
}

#[receiver(signal = request_handled, priority = 1)]
async fn tag(_path: &str) {
    yield_now().await;
    REQUEST_ID.with(|id| id.set(id.get() + 1));
}

#[receiver(signal = request_handled)]
fn check(_path: &str) {
    REQUEST_ID.with(|id| assert_eq!(id.get(), 42));
}

#[tokio::test]
async fn a_task_local_is_visible_across_receivers_and_after_the_send() {
    REQUEST_ID
        .scope(std::cell::Cell::new(41), async {
            assert!(request_handled.send_robust("/").await.is_empty());
            assert_eq!(REQUEST_ID.with(std::cell::Cell::get), 42);
        })
        .await;
}

// Threads: the send's future is `Send`, and runs on a multi-threaded
// runtime like any other.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_runs_as_a_task_of_its_own() {
    let handles: Vec<_> = (0..8)
        .map(|id| {
            tokio::spawn(async move {
                let item = Item { cents: id };
                price_quote.send(&item).await
            })
        })
        .collect();
    for (id, handle) in (0..8).zip(handles) {
        assert_eq!(handle.await.unwrap()[..2], [id, 500]);
    }
}

// Policies, muting and counting apply as they do to sync sends.

#[signal]
pub async fn tick(n: u32) -> u32;

#[receiver(signal = tick, every = 2)]
async fn every_other(n: u32) -> u32 {
    yield_now().await;
    n
}

#[receiver(signal = tick, max_calls = 1)]
async fn once(n: u32) -> u32 {
    yield_now().await;
    n * 100
}

#[test]
fn policies_mute_and_counting_apply_to_async_receivers() {
    futures_executor::block_on(async {
        tick.set_counting(true);
        assert_eq!(tick.send(1).await, [100]);
        assert_eq!(tick.send(2).await, [2]);
        assert_eq!(tick.send(3).await, Vec::<u32>::new());
        {
            let _muted = tick.mute();
            assert_eq!(tick.send(4).await, Vec::<u32>::new());
        }
        // A muted send reached nobody: `every` counts the sends that do.
        assert_eq!(tick.send(5).await, [5]);
        assert_eq!(tick.sends(), Some(4));
        let every_other = tick
            .receivers()
            .into_iter()
            .find(|info| info.name() == "every_other")
            .unwrap();
        assert_eq!(every_other.calls(), Some(2));
        assert!(every_other.is_async());
        assert!(
            tick.tree()
                .to_string()
                .contains("├── async test_async::every_other(n: u32) -> u32")
        );
    });
}

// A future larger than the slot is boxed for that call, and works alike.

#[signal(async_inline = 32)]
pub async fn compressed(size: usize) -> usize;

#[receiver(signal = compressed)]
async fn with_buffer(size: usize) -> usize {
    let buffer = [7_u8; 512];
    yield_now().await;
    buffer
        .iter()
        .take(size)
        .map(|byte| usize::from(*byte))
        .sum()
}

#[test]
fn a_future_larger_than_the_slot_is_boxed() {
    on_both(|| async {
        assert_eq!(compressed.send(3).await, [21]);
    });
}

// Disconnecting during a send.

#[signal]
pub async fn closing(step: u32);

#[test]
fn a_receiver_disconnected_during_a_send_is_not_called_by_it() {
    futures_executor::block_on(async {
        let later = Arc::new(AtomicU32::new(0));
        let calls = Arc::clone(&later);
        let second = closing
            .connect_with(&ConnectOptions::new().key("second"), move |_| {
                calls.fetch_add(1, Ordering::Relaxed);
            })
            .scoped();
        let _first = closing
            .connect_async_with(&ConnectOptions::new().priority(1), |_: u32| {
                Box::pin(async {
                    yield_now().await;
                    closing.disconnect_key("second");
                })
            })
            .scoped();
        closing.send(1).await;
        assert_eq!(later.load(Ordering::Relaxed), 0);
        drop(second);
    });
}

// An argument whose type binds lifetimes of its own keeps them.

#[signal]
pub async fn formatted(format: &(dyn Fn(&str) -> String + Sync), name: &str) -> String;

#[receiver(signal = formatted)]
fn sync_format(format: &(dyn Fn(&str) -> String + Sync), name: &str) -> String {
    format(name)
}

#[receiver(signal = formatted)]
async fn async_format(format: &(dyn Fn(&str) -> String + Sync), name: &str) -> String {
    yield_now().await;
    format(name).to_uppercase()
}

#[test]
fn arguments_that_bind_their_own_lifetimes_pass_through() {
    let greet = |name: &str| format!("hello {name}");
    let sent = futures_executor::block_on(formatted.send(&greet, "ada"));
    assert_eq!(sent, ["HELLO ADA", "hello ada"]);
}

// The concurrent send.

#[signal]
pub async fn handshake(round: u32) -> &'static str;

static GREETED: AtomicU32 = AtomicU32::new(0);
/// The drops of the futures of `stalled`'s receivers.
static HANDSHAKE_DROPS: AtomicU32 = AtomicU32::new(0);

struct CountsHandshakeDrop;

impl Drop for CountsHandshakeDrop {
    fn drop(&mut self) {
        HANDSHAKE_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

/// Called first, finishes last: it waits for `answer` to have run in the
/// same round.
#[receiver(signal = handshake, priority = 1)]
async fn greet(round: u32) -> &'static str {
    std::future::poll_fn(|cx| {
        if GREETED.load(Ordering::SeqCst) >= round {
            Poll::Ready("greeted")
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

#[receiver(signal = handshake)]
async fn answer(round: u32) -> &'static str {
    yield_now().await;
    GREETED.store(round, Ordering::SeqCst);
    "answered"
}

/// Polls `future` `times` times with a no-op waker.
fn poll_times<F: Future>(future: std::pin::Pin<&mut F>, times: usize) -> Poll<F::Output> {
    let mut future = future;
    let mut context = Context::from_waker(Waker::noop());
    for _ in 1..times {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Poll::Ready(output);
        }
    }
    future.as_mut().poll(&mut context)
}

#[test]
fn a_concurrent_send_runs_receivers_together_and_keeps_call_order() {
    // One after another, `greet` waits for `answer`, which never starts.
    {
        let mut sequential = pin!(handshake.send(1));
        assert!(poll_times(sequential.as_mut(), 100).is_pending());
    }
    // Together, both finish, `answer` first; the results keep call order.
    let mut concurrent = pin!(handshake.send_concurrent(1));
    assert_eq!(
        poll_times(concurrent.as_mut(), 100),
        Poll::Ready(vec!["greeted", "answered"])
    );
    on_both(|| async {
        let round = GREETED.load(Ordering::SeqCst) + 1;
        assert_eq!(
            handshake.send_concurrent(round).await,
            ["greeted", "answered"]
        );
    });
}

#[signal]
pub async fn stalled(id: u32);

static STALLED_STARTS: AtomicU32 = AtomicU32::new(0);

#[receiver(signal = stalled, priority = 1)]
async fn stalled_first(_id: u32) {
    let _guard = CountsHandshakeDrop;
    STALLED_STARTS.fetch_add(1, Ordering::SeqCst);
    std::future::pending::<()>().await;
}

#[receiver(signal = stalled)]
async fn stalled_second(_id: u32) {
    let _guard = CountsHandshakeDrop;
    STALLED_STARTS.fetch_add(1, Ordering::SeqCst);
    std::future::pending::<()>().await;
}

#[test]
fn dropping_a_concurrent_send_drops_every_receivers_future() {
    {
        let mut sending = pin!(stalled.send_concurrent(1));
        assert!(poll_times(sending.as_mut(), 3).is_pending());
        // Both started at once, neither dropped.
        assert_eq!(STALLED_STARTS.load(Ordering::SeqCst), 2);
        assert_eq!(HANDSHAKE_DROPS.load(Ordering::SeqCst), 0);
    }
    assert_eq!(HANDSHAKE_DROPS.load(Ordering::SeqCst), 2);
}

#[test]
fn a_concurrent_send_includes_sync_and_runtime_receivers() {
    futures_executor::block_on(async {
        let _runtime = price_quote
            .connect_async_with(&ConnectOptions::new().priority(3), |item: &Item| {
                Box::pin(async move {
                    yield_now().await;
                    item.cents + 1
                })
            })
            .scoped();
        let item = Item { cents: 20_000 };
        assert_eq!(
            price_quote.send_concurrent(&item).await,
            price_quote.send(&item).await
        );
    });
}

/// An error type without `Debug`.
pub struct Unprintable;

#[signal]
pub async fn unprintable(step: u32) -> Result<u32, Unprintable>;

#[test]
fn an_async_signal_may_return_errors_without_debug() {
    let _refusing = unprintable.connect(|_| Err(Unprintable)).scoped();
    futures_executor::block_on(async {
        assert!(unprintable.try_send(1).await.is_err());
        assert!(unprintable.send_robust(1).await[0].is_err());
    });
}
