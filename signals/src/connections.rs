//! The receivers connected at run time to one signal.
//!
//! Readers never lock and never write shared memory: a send pins the
//! current epoch (thread-local), reads the current snapshot, an immutable,
//! sorted array of pointers to entries, and checks each entry's state word
//! right before calling it. Writers (connect, disconnect) serialise on a
//! mutex that guards the list of owned entries, publish a new snapshot of
//! pointers (a copy of pointers, no reference counting) and hand the old
//! snapshot, and any removed entry, to the epoch collector, which frees them
//! once no pinned thread can still be reading them.

use core::any::{Any, TypeId};
use core::fmt;
use core::ptr;
use std::borrow::Cow;
use std::panic::Location;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use std::sync::{Arc, OnceLock, PoisonError, Weak};

use crossbeam_epoch::{self as epoch, Atomic, Guard, Owned};

use crate::connection::{Connection, Link};
use crate::dispatch::{Slot, StaticSlots};
use crate::signature::Signature;
use crate::sync::{AtomicU32, AtomicU64, Mutex};
use crate::{ConnectOptions, ReceiverInfo};

/// The runtime half of a signal: a `static` for each `#[signal]`, a field
/// of each value of a signal type.
#[doc(hidden)]
pub struct Connections<S: Signature> {
    /// Created on the first connect or mute: until then a send only checks
    /// that it is still empty.
    shared: OnceLock<Arc<Shared<S>>>,
}

pub(crate) struct Shared<S: Signature> {
    /// The live receivers in the low 32 bits, the mute guards in the high
    /// 32 bits: zero means that `send` takes the static path alone.
    state: AtomicU64,
    /// Null while no receiver was ever connected.
    snapshot: Atomic<Snapshot<S>>,
    /// The entries the snapshot points to, in the same order: the writers'
    /// copy, which owns them. Serialises connect and disconnect.
    writer: Mutex<Vec<Arc<Entry<S>>>>,
}

const MUTED: u64 = 1 << 32;

/// The connected receivers, by priority (highest first), then by connection
/// order. Never changed once published.
struct Snapshot<S: Signature> {
    entries: Box<[EntryRef<S>]>,
}

/// A pointer to an entry, as a snapshot holds it.
///
/// Invariant: an entry outlives every snapshot that points to it. While it
/// is connected, the writer's list owns it; when it is removed, the `Arc`
/// leaves the list and is dropped through the epoch collector, after the
/// snapshot without it was published. A snapshot is itself reachable only
/// under a guard, so any `EntryRef` read under a guard points to a live
/// entry for as long as that guard lives.
struct EntryRef<S: Signature>(ptr::NonNull<Entry<S>>);

// SAFETY: an `EntryRef` is a shared reference to an `Entry<S>` (see the
// invariant above), and `Entry<S>` is `Send + Sync`: its closures are.
unsafe impl<S: Signature> Send for EntryRef<S> {}
// SAFETY: as above.
unsafe impl<S: Signature> Sync for EntryRef<S> {}

impl<S: Signature> EntryRef<S> {
    fn new(entry: &Arc<Entry<S>>) -> Self {
        Self(ptr::NonNull::from(&**entry))
    }

    #[inline]
    fn get(&self) -> &Entry<S> {
        // SAFETY: by the invariant of `EntryRef`, the entry lives at least as
        // long as the snapshot this borrow comes from.
        unsafe { self.0.as_ref() }
    }
}

pub(crate) struct Entry<S: Signature> {
    /// Bit 0: disconnected. Above it: the number of `ConnectionBlock`s.
    state: AtomicU32,
    priority: i32,
    key: Option<Cow<'static, str>>,
    info: ReceiverInfo,
    callback: Callback<S>,
    shared: Weak<Shared<S>>,
}

const DISCONNECTED: u32 = 1;
const BLOCKED: u32 = 2;

/// What a runtime receiver calls; built by the generated `connect` methods.
#[doc(hidden)]
pub enum Callback<S: Signature> {
    Plain(Box<S::Dyn>),
    /// A receiver of a weak target, dropped from the list once the target is.
    Weak {
        target: Weak<dyn Any + Send + Sync>,
        function: Box<S::WeakDyn>,
    },
    /// `Box<S::SenderDyn<O>>` for the sender type whose id is `sender`.
    Sender {
        sender: TypeId,
        function: Box<dyn Any + Send + Sync>,
    },
}

/// One receiver about to be called, as the generated code sees it.
#[doc(hidden)]
pub enum Target<'a, S: Signature, O: ?Sized + 'static> {
    Static(S::Fn),
    StaticSender(S::SenderFn<O>),
    Runtime(&'a S::Dyn),
    RuntimeSender(&'a S::SenderDyn<O>),
    Weak(&'a S::WeakDyn),
}

impl<S: Signature, O: ?Sized + 'static> Target<'_, S, O> {
    #[inline]
    fn from_slot(slot: Slot<S::Fn, S::SenderFn<O>>) -> Self {
        match slot {
            Slot::Receiver(function) => Self::Static(function),
            Slot::SenderReceiver(function) => Self::StaticSender(function),
        }
    }
}

impl<S: Signature> Connections<S> {
    /// No receivers.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            shared: OnceLock::new(),
        }
    }

    fn shared(&self) -> &Arc<Shared<S>> {
        self.shared.get_or_init(|| {
            Arc::new(Shared {
                state: AtomicU64::new(0),
                snapshot: Atomic::null(),
                writer: Mutex::new(Vec::new()),
            })
        })
    }

    /// Whether a send must look at anything beyond the static receivers:
    /// one load when nothing was ever connected, two afterwards.
    #[inline]
    fn active(&self) -> Option<&Shared<S>> {
        let shared = self.shared.get()?;
        (shared.state.load(Relaxed) != 0).then_some(&**shared)
    }

    /// Calls every receiver of a send from a sender of type `O`: the static
    /// ones in `statics` and the runtime ones, merged in call order.
    ///
    /// The merge of [`Emission::next_target`], written as a loop: `send`
    /// is the hot path, and the loop compiles to about 20 instructions per
    /// runtime receiver where the cursor takes 31.
    #[inline]
    pub fn emit<O: ?Sized + 'static>(
        &self,
        statics: StaticSlots<'_, S::Fn, S::SenderFn<O>>,
        mut call: impl FnMut(Target<'_, S, O>),
    ) {
        match self.active() {
            // The static path: a plain loop over function pointers.
            None => {
                let mut statics = statics;
                while let Some(slot) = statics.next_slot() {
                    call(Target::from_slot(slot));
                }
            }
            Some(shared) if shared.state.load(Relaxed) >= MUTED => {}
            Some(shared) => {
                let guard = epoch::pin();
                let entries = shared.entries(&guard);
                let mut statics = statics.peekable();
                if statics.peek().is_none() {
                    // Runtime receivers only: signal types, runtime-only signals.
                    for entry in entries {
                        if let Some(target) = entry.get().target::<O>() {
                            call(target);
                        }
                    }
                    return;
                }
                for entry in entries {
                    let entry = entry.get();
                    // Static receivers of a higher or equal priority first.
                    while let Some((_, slot)) =
                        statics.next_if(|(priority, _)| *priority >= entry.priority)
                    {
                        call(Target::from_slot(slot));
                    }
                    if let Some(target) = entry.target::<O>() {
                        call(target);
                    }
                }
                for (_, slot) in statics {
                    call(Target::from_slot(slot));
                }
            }
        }
    }

    /// The receivers of a send from a sender of type `O`, called one by
    /// one as the iterator is advanced.
    pub fn emission<'a, O: ?Sized + 'static>(
        &'a self,
        statics: StaticSlots<'a, S::Fn, S::SenderFn<O>>,
    ) -> Emission<'a, S, O> {
        Emission::new(statics, self.shared.get().map(|shared| &**shared))
    }

    /// Connects `callback` with `options`; `info` describes it.
    pub fn connect(
        &self,
        options: &ConnectOptions,
        info: ReceiverInfo,
        callback: Callback<S>,
    ) -> Connection {
        self.shared().connect(options, info, callback)
    }

    /// Disconnects the receiver connected with `key`; returns whether there
    /// was one.
    pub fn disconnect_key(&self, key: &str) -> bool {
        let Some(shared) = self.shared.get() else {
            return false;
        };
        let guard = epoch::pin();
        shared
            .entries(&guard)
            .iter()
            .map(EntryRef::get)
            .find(|entry| entry.key.as_deref() == Some(key) && entry.is_live())
            .is_some_and(Entry::disconnect)
    }

    /// Mutes the signal while the returned guard lives.
    pub fn mute(&self) -> Muted {
        let shared = Arc::clone(self.shared());
        shared.state.fetch_add(MUTED, Relaxed);
        Muted { signal: shared }
    }

    /// The runtime receivers, in call order. Receivers of targets that are
    /// gone are disconnected on the way.
    pub fn receivers(&self) -> Vec<ReceiverInfo> {
        let Some(shared) = self.shared.get() else {
            return Vec::new();
        };
        let guard = epoch::pin();
        let mut receivers = Vec::new();
        for entry in shared.entries(&guard).iter().map(EntryRef::get) {
            if entry.target_is_gone() {
                entry.disconnect();
            } else if entry.is_live() {
                receivers.push(entry.info.clone());
            }
        }
        receivers
    }

    /// How many receivers are connected (blocked ones included).
    #[must_use]
    pub fn len(&self) -> usize {
        self.shared.get().map_or(0, |shared| {
            let live = shared.state.load(Acquire) & (MUTED - 1);
            usize::try_from(live).unwrap_or(usize::MAX)
        })
    }

    /// Whether no receiver is connected at run time.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<S: Signature> Default for Connections<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Signature> fmt::Debug for Connections<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connections")
            .field("connected", &self.len())
            .finish_non_exhaustive()
    }
}

impl<S: Signature> Shared<S> {
    /// The current entries, valid while `guard` lives.
    fn entries<'g>(&self, guard: &'g Guard) -> &'g [EntryRef<S>] {
        let snapshot = self.snapshot.load(Acquire, guard);
        // SAFETY: a snapshot is only destroyed through `defer_destroy` after
        // it was replaced, so one loaded under `guard` lives as long as it.
        unsafe { snapshot.as_ref() }.map_or(&[], |snapshot| &snapshot.entries)
    }

    fn connect(
        self: &Arc<Self>,
        options: &ConnectOptions,
        info: ReceiverInfo,
        callback: Callback<S>,
    ) -> Connection {
        let mut info = info;
        info.set_priority_and_key(options.priority, options.key.clone());
        // Pinned before the lock: a pin may run deferred destructors (user
        // closures), which must never run while the lock is held.
        let guard = epoch::pin();
        let mut entries = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = &options.key {
            if let Some(existing) = entries
                .iter()
                .find(|entry| entry.key.as_ref() == Some(key) && entry.is_live())
            {
                let connection = existing.connection();
                drop(entries);
                // `callback` (a user closure) is dropped here, unlocked.
                return connection;
            }
        }
        let entry = Arc::new(Entry {
            state: AtomicU32::new(0),
            priority: options.priority,
            key: options.key.clone(),
            info,
            callback,
            shared: Arc::downgrade(self),
        });
        let connection = entry.connection();
        // After every entry of a higher or equal priority: connection order
        // within a priority.
        let position = entries.partition_point(|other| other.priority >= entry.priority);
        entries.insert(position, entry);
        self.state.fetch_add(1, Relaxed);
        self.publish(&entries, &guard);
        drop(entries);
        connection
    }

    /// Removes `entry`, already marked disconnected, from the list.
    fn remove(&self, entry: &Entry<S>) {
        let guard = epoch::pin();
        let mut entries = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(position) = entries
            .iter()
            .position(|other| ptr::eq(Arc::as_ptr(other), entry))
        else {
            return;
        };
        let removed = entries.remove(position);
        self.state.fetch_sub(1, Relaxed);
        self.publish(&entries, &guard);
        drop(entries);
        // Sends pinned before the new snapshot may still be running this
        // entry: it is dropped after them, with the snapshots that point to it.
        guard.defer(move || drop(removed));
    }

    /// Publishes a snapshot of `entries`; the writer lock is held.
    fn publish(&self, entries: &[Arc<Entry<S>>], guard: &Guard) {
        let snapshot = Owned::new(Snapshot {
            entries: entries.iter().map(EntryRef::new).collect(),
        });
        let old = self.snapshot.swap(snapshot, AcqRel, guard);
        if !old.is_null() {
            // SAFETY: `old` is no longer reachable from `self.snapshot`, so
            // only threads pinned now can still read it; the collector frees
            // it after they unpin. `Snapshot<S>` is `Send`: its `EntryRef`s
            // are.
            unsafe { guard.defer_destroy(old) };
        }
    }
}

impl<S: Signature> Drop for Shared<S> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: no send or writer can be using the snapshot
        // (a send borrows the `Connections` that owns this `Arc`).
        unsafe {
            let snapshot = self.snapshot.load(Relaxed, epoch::unprotected());
            if !snapshot.is_null() {
                drop(snapshot.into_owned());
            }
        }
    }
}

impl<S: Signature> Entry<S> {
    fn connection(self: &Arc<Self>) -> Connection {
        let link: Weak<dyn Link> = Arc::downgrade(self) as Weak<Self>;
        Connection::new(link)
    }

    fn is_live(&self) -> bool {
        self.state.load(Acquire) & DISCONNECTED == 0
    }

    fn target_is_gone(&self) -> bool {
        matches!(&self.callback, Callback::Weak { target, .. } if target.strong_count() == 0)
    }

    /// The call this entry makes for a send from a sender of type `O`, if
    /// any.
    #[inline]
    fn target<O: ?Sized + 'static>(&self) -> Option<Target<'_, S, O>> {
        if self.state.load(Acquire) != 0 {
            return None; // disconnected or blocked
        }
        match &self.callback {
            Callback::Plain(function) => Some(Target::Runtime(&**function)),
            Callback::Weak { target, function } => {
                if target.strong_count() == 0 {
                    self.disconnect();
                    None
                } else {
                    Some(Target::Weak(&**function))
                }
            }
            Callback::Sender { sender, function } => {
                if *sender == TypeId::of::<O>() {
                    function
                        .downcast_ref::<Box<S::SenderDyn<O>>>()
                        .map(|function| Target::RuntimeSender(&**function))
                } else {
                    None
                }
            }
        }
    }
}

impl<S: Signature> Link for Entry<S> {
    fn disconnect(&self) -> bool {
        let previous = self.state.fetch_or(DISCONNECTED, AcqRel);
        if previous & DISCONNECTED != 0 {
            return false;
        }
        if let Some(shared) = self.shared.upgrade() {
            shared.remove(self);
        }
        true
    }

    fn is_connected(&self) -> bool {
        self.is_live() && self.shared.strong_count() > 0
    }

    fn block(&self) {
        self.state.fetch_add(BLOCKED, AcqRel);
    }

    fn unblock(&self) {
        self.state.fetch_sub(BLOCKED, Release);
    }
}

impl<S: Signature> Callback<S> {
    /// A receiver called by every send.
    #[must_use]
    pub fn plain(function: Box<S::Dyn>) -> Self {
        Self::Plain(function)
    }

    /// A receiver called only by sends from a sender of type `O`.
    #[must_use]
    pub fn sender<O: ?Sized + 'static>(function: Box<S::SenderDyn<O>>) -> Self {
        Self::Sender {
            sender: TypeId::of::<O>(),
            function: Box::new(function),
        }
    }

    /// A receiver called while `target` lives; `function` returns `None`
    /// once it is gone.
    #[must_use]
    pub fn weak<T: Send + Sync + 'static>(target: &Arc<T>, function: Box<S::WeakDyn>) -> Self {
        let target: Arc<dyn Any + Send + Sync> = Arc::clone(target) as _;
        Self::Weak {
            target: Arc::downgrade(&target),
            function,
        }
    }
}

/// A runtime receiver's description: the closure's type name, and the place
/// of the `connect` call.
#[doc(hidden)]
#[must_use]
#[track_caller]
pub fn runtime_info<F: ?Sized>(_receiver: &F, sender: Option<&'static str>) -> ReceiverInfo {
    let location = Location::caller();
    ReceiverInfo::runtime(
        core::any::type_name::<F>(),
        sender,
        location.file(),
        location.line(),
    )
}

/// Every receiver of a signal, static and runtime, in call order.
#[doc(hidden)]
#[must_use]
pub fn receivers<S: Signature>(
    statics: &[ReceiverInfo],
    connections: &Connections<S>,
) -> Vec<ReceiverInfo> {
    let runtime = connections.receivers();
    let mut merged = Vec::with_capacity(statics.len() + runtime.len());
    let mut runtime = runtime.into_iter().peekable();
    for info in statics {
        while let Some(next) = runtime.next_if(|next| next.priority() > info.priority()) {
            merged.push(next);
        }
        merged.push(info.clone());
    }
    merged.extend(runtime);
    merged
}

/// Mutes a signal while it lives: its sends call no receiver, static or
/// runtime. Guards nest.
///
/// ```
/// use signals::{receiver, signal};
/// # use std::sync::atomic::{AtomicU32, Ordering};
/// # static CALLS: AtomicU32 = AtomicU32::new(0);
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// #[receiver(signal = saved)]
/// fn count(_id: u64) { CALLS.fetch_add(1, Ordering::Relaxed); }
///
/// {
///     let _muted = saved.mute();
///     saved.send(1); // nothing is called
/// }
/// saved.send(2);
/// assert_eq!(CALLS.load(Ordering::Relaxed), 1);
/// ```
///
/// The guard does not borrow the signal, so the object that owns a signal
/// can change itself while its signal is muted.
#[must_use = "the signal is muted only while the guard lives"]
pub struct Muted {
    signal: Arc<dyn Mute>,
}

/// What a [`Muted`] guard undoes.
trait Mute: Send + Sync {
    fn unmute(&self);
}

impl<S: Signature> Mute for Shared<S> {
    fn unmute(&self) {
        self.state.fetch_sub(MUTED, Relaxed);
    }
}

impl Drop for Muted {
    fn drop(&mut self) {
        self.signal.unmute();
    }
}

impl fmt::Debug for Muted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Muted").finish_non_exhaustive()
    }
}

/// The receivers of one send, merged from the static table and the runtime
/// snapshot in call order. A cursor rather than an iterator: each target
/// borrows the emission, whose guard keeps the runtime entries alive.
#[doc(hidden)]
pub struct Emission<'a, S: Signature, O: ?Sized + 'static> {
    cursor: Cursor<'a, S, O>,
    /// Kept for as long as the emission lives: it keeps the epoch pinned,
    /// and with it the runtime entries of a merged cursor.
    _guard: Option<Guard>,
}

enum Cursor<'a, S: Signature, O: ?Sized + 'static> {
    /// No runtime receiver: the static ones alone, priorities unread.
    Statics(StaticSlots<'a, S::Fn, S::SenderFn<O>>),
    /// Both, merged by priority.
    Merged {
        statics: core::iter::Peekable<StaticSlots<'a, S::Fn, S::SenderFn<O>>>,
        /// The runtime entries, in the snapshot the emission's guard
        /// protects.
        runtime: *const [EntryRef<S>],
        next_runtime: usize,
    },
}

impl<'a, S: Signature, O: ?Sized + 'static> Emission<'a, S, O> {
    fn new(statics: StaticSlots<'a, S::Fn, S::SenderFn<O>>, shared: Option<&'a Shared<S>>) -> Self {
        let state = shared.map_or(0, |shared| shared.state.load(Relaxed));
        match shared {
            // Muted: no receiver at all, static ones included.
            Some(_) if state >= MUTED => Self {
                cursor: Cursor::Statics(StaticSlots::empty()),
                _guard: None,
            },
            Some(shared) if state != 0 => {
                let guard = epoch::pin();
                let runtime = ptr::from_ref(shared.entries(&guard));
                Self {
                    cursor: Cursor::Merged {
                        statics: statics.peekable(),
                        runtime,
                        next_runtime: 0,
                    },
                    _guard: Some(guard),
                }
            }
            _ => Self {
                cursor: Cursor::Statics(statics),
                _guard: None,
            },
        }
    }

    /// The next receiver to call, if any.
    #[inline]
    pub fn next_target(&mut self) -> Option<Target<'_, S, O>> {
        let (statics, runtime, next_runtime) = match &mut self.cursor {
            Cursor::Statics(statics) => return statics.next_slot().map(Target::from_slot),
            Cursor::Merged {
                statics,
                runtime,
                next_runtime,
            } => (statics, *runtime, next_runtime),
        };
        // SAFETY: `runtime` was read from a snapshot loaded under
        // `self._guard`, which stays pinned as long as `self` lives: a
        // replaced snapshot is freed only after every guard that was pinned
        // when it was replaced is dropped. The returned targets borrow
        // `self`, so they cannot outlive the guard.
        let runtime: &[EntryRef<S>] = unsafe { &*runtime };
        loop {
            let Some(entry) = runtime.get(*next_runtime).map(EntryRef::get) else {
                // No runtime receiver left: the static ones.
                let (_, slot) = statics.next()?;
                return Some(Target::from_slot(slot));
            };
            // Equal priority: static receivers first.
            if let Some((_, slot)) = statics.next_if(|(priority, _)| *priority >= entry.priority) {
                return Some(Target::from_slot(slot));
            }
            *next_runtime += 1;
            if let Some(target) = entry.target::<O>() {
                return Some(target);
            }
        }
    }

    /// The results of calling each receiver with `call`, as an iterator:
    /// `call` returns `None` for a receiver that produced no result (a weak
    /// receiver whose target is gone).
    pub fn responses<R, C>(self, call: C) -> Responses<'a, S, O, C>
    where
        C: FnMut(Target<'_, S, O>) -> Option<R>,
    {
        Responses {
            emission: self,
            call,
        }
    }
}

/// The results of a send, computed as the iterator is advanced.
#[doc(hidden)]
pub struct Responses<'a, S: Signature, O: ?Sized + 'static, C> {
    emission: Emission<'a, S, O>,
    call: C,
}

impl<S: Signature, O: ?Sized + 'static, R, C> Iterator for Responses<'_, S, O, C>
where
    C: FnMut(Target<'_, S, O>) -> Option<R>,
{
    type Item = R;

    fn next(&mut self) -> Option<R> {
        loop {
            let target = self.emission.next_target()?;
            if let Some(response) = (self.call)(target) {
                return Some(response);
            }
        }
    }

    /// A plain loop over the static table when there is nothing to merge:
    /// `sum`, `count`, `collect` and other folds take it.
    fn fold<B, F>(mut self, init: B, mut fold: F) -> B
    where
        F: FnMut(B, R) -> B,
    {
        let mut accumulator = init;
        if let Cursor::Statics(statics) = &mut self.emission.cursor {
            while let Some(slot) = statics.next_slot() {
                if let Some(response) = (self.call)(Target::from_slot(slot)) {
                    accumulator = fold(accumulator, response);
                }
            }
            return accumulator;
        }
        // `for` drives `next`, not this `fold`.
        for response in self {
            accumulator = fold(accumulator, response);
        }
        accumulator
    }
}
