//! Queued delivery: receivers that run on the thread that owns a
//! [`Mailbox`], whichever thread sent, as Qt's queued connections do.

use core::cell::RefCell;
use core::fmt;
use core::marker::PhantomData;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use crate::{InvalidOption, ScopedConnection};

/// What a send does when a mailbox already holds as many deliveries as its
/// capacity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Overflow {
    /// The send waits until the owner takes a delivery out (back-pressure:
    /// a fast producer runs at the owner's pace). A send from the owner's
    /// own thread never waits, since the owner could never take it out:
    /// its delivery is queued beyond the capacity.
    #[default]
    Block,
    /// The oldest delivery waiting is dropped to make room: a consumer that
    /// wants only the latest state (progress, positions) keeps up.
    DropOldest,
    /// The new delivery is dropped.
    DropNewest,
}

/// A queue of deliveries that its owner thread runs: each receiver
/// connected with a signal's `connect_queued(&mailbox, ..)` runs on the
/// thread that created the mailbox, whenever that thread pumps it
/// ([`process_pending`](Self::process_pending), [`run_until`](Self::run_until),
/// [`run`](Self::run)), whichever thread sent.
///
/// Such a receiver need not be `Send` or `Sync`: it never leaves its
/// thread, so it may hold an `Rc<RefCell<..>>`. Its arguments travel as
/// owned copies (a `&str` as a `String`, a `&T` as a clone of the `T`).
///
/// - **Order:** deliveries run in the order they were sent, across every
///   receiver of the mailbox.
/// - **Bounds:** a mailbox holds at most its capacity of deliveries (1,024
///   unless [`with_capacity`](Self::with_capacity) says otherwise); then its
///   [`Overflow`] policy applies. Dropped deliveries are counted
///   ([`dropped`](Self::dropped)).
/// - **Lifetime:** dropping the mailbox disconnects its receivers; sends
///   that were waiting for room return, and later sends queue nothing.
/// - **Waking an event loop:** [`on_arrival`](Self::on_arrival) registers a
///   callback, called on the sending thread after each delivery is queued:
///   with winit, `EventLoopProxy::send_event`; with egui,
///   `Context::request_repaint`; with glib, `MainContext::wakeup` (or a
///   source that pumps the mailbox).
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use signals::{Mailbox, signal};
///
/// #[signal]
/// pub type Progress = fn(done: u32, stage: &str);
///
/// let progress = std::sync::Arc::new(Progress::new());
/// let mailbox = Mailbox::new();
/// // Not `Send`: it stays on this thread, and so does the receiver.
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let log = Rc::clone(&seen);
/// progress.connect_queued(&mailbox, move |done, stage| {
///     log.borrow_mut().push(format!("{stage} {done}%"));
/// });
///
/// let worker = std::sync::Arc::clone(&progress);
/// std::thread::spawn(move || {
///     worker.send(50, "loading");
///     worker.send(100, "loading");
/// })
/// .join()
/// .unwrap();
///
/// assert!(seen.borrow().is_empty()); // nothing runs until this thread pumps
/// assert_eq!(mailbox.process_pending(), 2);
/// assert_eq!(*seen.borrow(), ["loading 50%", "loading 100%"]);
/// ```
pub struct Mailbox {
    inbox: Arc<Inbox>,
    local: Rc<Local>,
}

/// What senders share with the owner.
pub(crate) struct Inbox {
    state: Mutex<State>,
    /// Signalled when a delivery arrives, or the mailbox is closed.
    arrived: Condvar,
    /// Signalled when a delivery is taken out, or the mailbox is dropped.
    room: Condvar,
    capacity: usize,
    overflow: Overflow,
    owner: ThreadId,
    dropped: AtomicU64,
}

struct State {
    /// The connection of each delivery, in send order; each connection
    /// keeps its deliveries' arguments in a queue of its own, in the same
    /// order.
    order: VecDeque<u64>,
    /// Each connection's queue, to drop its oldest delivery for room.
    queues: HashMap<u64, Arc<dyn DropFront>>,
    wake: Option<Arc<dyn Fn() + Send + Sync>>,
    /// Set by [`Closer::close`]: `run` returns.
    closed: bool,
    /// Set when the mailbox is dropped: nothing more is queued.
    gone: bool,
    next_id: u64,
}

/// What the owner's thread alone holds: the receivers.
struct Local {
    handlers: RefCell<HashMap<u64, Box<dyn FnMut()>>>,
    connections: RefCell<Vec<ScopedConnection>>,
    /// `!Send`, `!Sync`: the receivers may not be.
    thread_bound: PhantomData<Rc<()>>,
}

trait DropFront: Send + Sync {
    fn drop_front(&self);
}

/// Closes a [`Mailbox`] from any thread: its [`run`](Mailbox::run)
/// returns once the deliveries queued before have run.
#[derive(Clone)]
pub struct Closer {
    inbox: Arc<Inbox>,
}

impl Closer {
    /// Makes the mailbox's `run` return; deliveries still run when pumped.
    pub fn close(&self) {
        self.inbox.lock().closed = true;
        self.inbox.arrived.notify_all();
    }
}

impl fmt::Debug for Closer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Closer").finish_non_exhaustive()
    }
}

/// The default capacity of a mailbox.
const DEFAULT_CAPACITY: usize = 1024;

impl Mailbox {
    /// A mailbox owned by this thread, holding up to 1,024 deliveries,
    /// whose senders wait for room beyond that ([`Overflow::Block`]).
    #[must_use]
    pub fn new() -> Self {
        Self::build(DEFAULT_CAPACITY, Overflow::Block)
    }

    /// A mailbox owned by this thread, holding up to `capacity` deliveries,
    /// with `overflow` beyond that.
    ///
    /// # Errors
    ///
    /// [`InvalidOption`] if `capacity` is zero: no delivery could wait.
    pub fn with_capacity(capacity: usize, overflow: Overflow) -> Result<Self, InvalidOption> {
        if capacity == 0 {
            return Err(InvalidOption::new(
                "with_capacity",
                0,
                "a capacity of at least 1",
            ));
        }
        Ok(Self::build(capacity, overflow))
    }

    fn build(capacity: usize, overflow: Overflow) -> Self {
        Self {
            inbox: Arc::new(Inbox {
                state: Mutex::new(State {
                    order: VecDeque::new(),
                    queues: HashMap::new(),
                    wake: None,
                    closed: false,
                    gone: false,
                    next_id: 0,
                }),
                arrived: Condvar::new(),
                room: Condvar::new(),
                capacity,
                overflow,
                owner: thread::current().id(),
                dropped: AtomicU64::new(0),
            }),
            local: Rc::new(Local {
                handlers: RefCell::new(HashMap::new()),
                connections: RefCell::new(Vec::new()),
                thread_bound: PhantomData,
            }),
        }
    }

    /// Calls `wake` on the sending thread after each delivery is queued: to
    /// wake an event loop that sleeps, so that it pumps the mailbox.
    /// Replaces the previous callback.
    pub fn on_arrival(&self, wake: impl Fn() + Send + Sync + 'static) {
        self.inbox.lock().wake = Some(Arc::new(wake));
    }

    /// Runs the deliveries waiting now, in the order they were sent, and
    /// returns how many ran. Deliveries sent meanwhile (by these receivers,
    /// or by other threads) wait for the next pump.
    ///
    /// A receiver may pump the mailbox itself: that pump stops at the first
    /// delivery to a receiver that is running, which waits for its turn.
    #[allow(clippy::must_use_candidate)] // called to pump; the count is extra
    pub fn process_pending(&self) -> usize {
        let waiting = self.inbox.lock().order.len();
        let mut ran = 0;
        for _ in 0..waiting {
            let Some((id, mut handler)) = self.next_delivery() else {
                break;
            };
            handler();
            ran += 1;
            self.local.handlers.borrow_mut().insert(id, handler);
        }
        ran
    }

    /// The oldest delivery's receiver, taken out of the table while it
    /// runs (it may connect to this mailbox, or pump it); `None` if there
    /// is none, or if that receiver is running already.
    fn next_delivery(&self) -> Option<(u64, Box<dyn FnMut()>)> {
        let mut state = self.inbox.lock();
        let id = *state.order.front()?;
        let handler = self.local.handlers.borrow_mut().remove(&id)?;
        state.order.pop_front();
        drop(state);
        self.inbox.room.notify_one();
        Some((id, handler))
    }

    /// Runs deliveries as they arrive, waiting for them, until `done`
    /// returns `true` (asked after each pump) or the mailbox is closed
    /// ([`closer`](Self::closer)). Returns how many ran.
    #[allow(clippy::must_use_candidate)] // called to pump; the count is extra
    pub fn run_until(&self, mut done: impl FnMut() -> bool) -> usize {
        let mut ran = 0;
        loop {
            ran += self.process_pending();
            if done() {
                return ran;
            }
            let state = self.inbox.lock();
            if state.closed && state.order.is_empty() {
                return ran;
            }
            drop(self.inbox.wait_for_arrival(state, None));
        }
    }

    /// Runs deliveries as they arrive for at most `timeout`, or until the
    /// mailbox is closed. Returns how many ran.
    #[allow(clippy::must_use_candidate)] // called to pump; the count is extra
    pub fn run_for(&self, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        let mut ran = 0;
        loop {
            ran += self.process_pending();
            let now = Instant::now();
            let state = self.inbox.lock();
            if now >= deadline || (state.closed && state.order.is_empty()) {
                return ran;
            }
            drop(self.inbox.wait_for_arrival(state, Some(deadline - now)));
        }
    }

    /// Runs deliveries as they arrive until the mailbox is closed through
    /// one of its [`Closer`]s, and the deliveries queued before have run.
    #[allow(clippy::must_use_candidate)] // called to pump; the count is extra
    pub fn run(&self) -> usize {
        self.run_until(|| false)
    }

    /// A handle that closes this mailbox from any thread.
    #[must_use]
    pub fn closer(&self) -> Closer {
        Closer {
            inbox: Arc::clone(&self.inbox),
        }
    }

    /// How many deliveries wait.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.inbox.lock().order.len()
    }

    /// How many deliveries the [`Overflow`] policy dropped.
    #[must_use]
    pub fn dropped(&self) -> u64 {
        self.inbox.dropped.load(Ordering::Relaxed)
    }

    /// How many deliveries it holds before its [`Overflow`] policy applies.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.inbox.capacity
    }

    /// Registers a queued receiver: `call` runs one delivery of it on this
    /// thread; the [`Poster`] queues deliveries from any thread.
    #[doc(hidden)]
    pub fn __queue<A: Send + 'static>(&self, mut call: impl FnMut(A) + 'static) -> Poster<A> {
        let queue = Arc::new(Queue(Mutex::new(VecDeque::new())));
        let id = {
            let mut state = self.inbox.lock();
            let id = state.next_id;
            state.next_id += 1;
            state
                .queues
                .insert(id, Arc::clone(&queue) as Arc<dyn DropFront>);
            id
        };
        let taken = Arc::clone(&queue);
        self.local.handlers.borrow_mut().insert(
            id,
            Box::new(move || {
                let arguments = taken.lock().pop_front();
                if let Some(arguments) = arguments {
                    call(arguments);
                }
            }),
        );
        Poster {
            inbox: Arc::clone(&self.inbox),
            queue,
            id,
        }
    }

    /// Keeps `connection` until the mailbox is dropped.
    #[doc(hidden)]
    pub fn __hold(&self, connection: ScopedConnection) {
        self.local.connections.borrow_mut().push(connection);
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailbox")
            .field("pending", &self.pending())
            .field("capacity", &self.inbox.capacity)
            .field("overflow", &self.inbox.overflow)
            .field("dropped", &self.dropped())
            .finish_non_exhaustive()
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        {
            let mut state = self.inbox.lock();
            state.gone = true;
            state.closed = true;
            state.order.clear();
            state.queues.clear();
            state.wake = None;
        }
        // Senders waiting for room return, queueing nothing.
        self.inbox.room.notify_all();
        // Disconnects every queued receiver, and drops them on this thread.
        self.local.connections.borrow_mut().clear();
        self.local.handlers.borrow_mut().clear();
    }
}

impl Inbox {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait_for_arrival<'s>(
        &self,
        state: MutexGuard<'s, State>,
        timeout: Option<Duration>,
    ) -> MutexGuard<'s, State> {
        let waiting = |state: &mut State| state.order.is_empty() && !state.closed;
        match timeout {
            None => self
                .arrived
                .wait_while(state, waiting)
                .unwrap_or_else(PoisonError::into_inner),
            Some(timeout) => {
                self.arrived
                    .wait_timeout_while(state, timeout, waiting)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        }
    }
}

/// One queued receiver's deliveries, oldest first.
struct Queue<A>(Mutex<VecDeque<A>>);

impl<A> Queue<A> {
    fn lock(&self) -> MutexGuard<'_, VecDeque<A>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<A: Send> DropFront for Queue<A> {
    fn drop_front(&self) {
        drop(self.lock().pop_front());
    }
}

/// Queues deliveries of one queued receiver, from any thread.
#[doc(hidden)]
pub struct Poster<A> {
    inbox: Arc<Inbox>,
    queue: Arc<Queue<A>>,
    id: u64,
}

impl<A: Send> Poster<A> {
    /// Queues one delivery with `arguments`, as the overflow policy allows.
    pub fn post(&self, arguments: A) {
        let mut state = self.inbox.lock();
        if self.inbox.overflow == Overflow::Block && thread::current().id() != self.inbox.owner {
            state = self
                .inbox
                .room
                .wait_while(state, |state| {
                    !state.gone && state.order.len() >= self.inbox.capacity
                })
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.gone {
            return;
        }
        if state.order.len() >= self.inbox.capacity {
            match self.inbox.overflow {
                // Only a send from the owner's thread gets here.
                Overflow::Block => {}
                Overflow::DropOldest => {
                    if let Some(oldest) = state.order.pop_front() {
                        if let Some(queue) = state.queues.get(&oldest) {
                            queue.drop_front();
                        }
                        self.inbox.dropped.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Overflow::DropNewest => {
                    self.inbox.dropped.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
        }
        // Under the mailbox's lock: the connection's queue and the order
        // stay in step.
        self.queue.lock().push_back(arguments);
        state.order.push_back(self.id);
        let wake = state.wake.clone();
        drop(state);
        self.inbox.arrived.notify_one();
        if let Some(wake) = wake {
            wake();
        }
    }
}
