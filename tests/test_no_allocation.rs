//! `send`, `send_from` and the lazy `send_iter` allocate nothing once a
//! signal's tables are built (on its first use), counted by a global
//! allocator that counts this thread's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;

use signals::{receiver, signal};

struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is a const-initialised thread-local `Cell`, which never allocates.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller upholds `alloc`'s contract, which we pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller upholds `realloc`'s contract, which we pass on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

pub struct User;
pub struct Order {
    pub total: u64,
}

#[signal]
pub fn order_placed(order: &Order);

#[signal]
pub fn price_check(order: &Order) -> u64;

#[receiver(signal = order_placed)]
fn log_order(order: &Order) {
    black_box(order.total);
}

#[receiver(signal = order_placed, sender = User)]
fn notify_user(_user: &User, order: &Order) {
    black_box(order.total);
}

#[receiver(signal = order_placed, sender = User, priority = 1)]
fn count_user_order(order: &Order) {
    black_box(order.total);
}

#[receiver(signal = price_check)]
fn base_price(order: &Order) -> u64 {
    order.total
}

#[receiver(signal = price_check)]
fn shipping(_order: &Order) -> u64 {
    5
}

#[test]
fn sending_allocates_nothing() {
    let order = Order { total: 40 };
    // The first use of each signal builds its tables: that may allocate.
    order_placed.send(&order);
    order_placed.send_from(&User, &order);
    let _ = price_check.send(&order);

    assert_eq!(allocations_in(|| order_placed.send(&order)), 0);
    assert_eq!(allocations_in(|| order_placed.send_from(&User, &order)), 0);
    assert_eq!(allocations_in(|| order_placed.send_from(&7_u8, &order)), 0);
    let mut total = 0;
    assert_eq!(
        allocations_in(|| total = price_check.send_iter(&order).sum::<u64>()),
        0
    );
    assert_eq!(total, 45);
}

#[test]
fn the_counter_sees_allocations() {
    let order = Order { total: 1 };
    let _ = price_check.send(&order);
    // `send` on a signal with a return value collects into a `Vec`.
    assert_eq!(
        allocations_in(|| drop(black_box(price_check.send(&order)))),
        1
    );
}

#[signal]
pub fn item_shipped(order: &Order) -> u64;

#[receiver(signal = item_shipped)]
fn static_weight(order: &Order) -> u64 {
    order.total / 10
}

#[test]
fn sending_with_runtime_receivers_allocates_nothing() {
    let order = Order { total: 40 };
    let view = std::sync::Arc::new(3_u64);
    let _plain = item_shipped.connect(|order| order.total).scoped();
    let _from_user = item_shipped
        .connect_from(|_: &User, order: &Order| order.total * 2)
        .scoped();
    let _weak = item_shipped
        .connect_weak(&view, |view: &u64, order: &Order| order.total + view)
        .scoped();
    let _priority = item_shipped
        .connect_with(&signals::ConnectOptions::new().priority(9), |_| 1)
        .scoped();
    // Warm up: the first send builds the static tables and gives this
    // thread its reader slot.
    let _ = item_shipped.send(&order);

    let mut sum = 0;
    for _ in 0..1_000 {
        assert_eq!(
            allocations_in(|| sum += item_shipped.send_iter(&order).sum::<u64>()),
            0
        );
        assert_eq!(
            allocations_in(|| sum += item_shipped.send_from_iter(&User, &order).sum::<u64>()),
            0
        );
    }
    assert_eq!(sum, 1_000 * ((1 + 4 + 40 + 43) + (1 + 4 + 80 + 40 + 43)));
    order_placed.connect(|_| {});
    order_placed.send(&order);
    for _ in 0..1_000 {
        assert_eq!(allocations_in(|| order_placed.send(&order)), 0);
        assert_eq!(allocations_in(|| order_placed.send_from(&User, &order)), 0);
    }
}

/// Polls `future` to completion with a waker that does nothing: an
/// executor that allocates nothing of its own.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// Returns `Pending` once: each receiver below really suspends.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|_| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            std::task::Poll::Pending
        }
    })
    .await;
}

#[signal]
pub async fn order_shipped(order: &Order);

#[receiver(signal = order_shipped, priority = 2)]
fn ship_log(order: &Order) {
    black_box(order.total);
}

#[receiver(signal = order_shipped, priority = 1)]
async fn ship_notify(order: &Order) {
    yield_once().await;
    black_box(order.total);
}

#[receiver(signal = order_shipped)]
async fn ship_label(order: &Order) {
    let label = [order.total; 8];
    yield_once().await;
    black_box(label);
}

#[signal(async_inline = 16)]
pub async fn order_archived(order: &Order);

#[receiver(signal = order_archived)]
async fn archive(order: &Order) {
    let page = [order.total; 16];
    yield_once().await;
    black_box(page);
}

#[test]
fn async_sends_to_static_receivers_allocate_nothing() {
    let order = Order { total: 3 };
    block_on(order_shipped.send(&order));
    block_on(order_archived.send(&order));
    for _ in 0..1_000 {
        assert_eq!(allocations_in(|| block_on(order_shipped.send(&order))), 0);
        assert_eq!(
            allocations_in(|| drop(black_box(block_on(order_shipped.send_robust(&order))))),
            0
        );
        // A future larger than the slot is boxed for its call: one
        // allocation, and no other.
        assert_eq!(allocations_in(|| block_on(order_archived.send(&order))), 1);
    }
}
