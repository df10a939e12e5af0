//! `send`, `send_from` and the lazy `send_iter` allocate nothing once a
//! signal's tables are built (on its first use), counted by a global
//! allocator that counts this thread's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
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
