//! The receivers connected at run time to one signal: the writers' list,
//! the snapshot that sends read, and their reclamation.
//!
//! Writers (connect, disconnect) serialise on a mutex that guards the list
//! of owned entries, publish a new snapshot (a copy of pointers, no
//! reference counting) and hand what they unlinked to
//! [`reader::retire`](crate::reader::retire), which drops it as soon as no
//! send can still be reading it. A send enters a reader section, loads the
//! snapshot, and calls each closure through a pointer stored in the snapshot
//! itself, next to its entry: the loop touches the entries only when the
//! signal's `slow` count says something may have changed since the snapshot
//! was published (a receiver disconnected or blocked mid-send).

use core::any::{Any, TypeId};
use core::marker::PhantomData;
use core::ops::DerefMut;
use core::ptr::{self, NonNull};
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::{Arc, OnceLock, PoisonError, Weak};

use crate::__private::NoSender;
use crate::ReceiverInfo;
use crate::connection::{BlockCount, Connection, Link};
use crate::error_hook::ErrorHookSlot;
use crate::muted::{Mute, Muted};
use crate::options::Settings;
use crate::policy::PolicyState;
use crate::reader::{self, Garbage, ReadGuard};
use crate::sender::{AnySender, SenderPointer};
use crate::signature::Signature;
use crate::sync::Mutex;
use crate::sync::SeqCst;
use crate::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use crate::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64};

pub(crate) struct Shared {
    read: ReadSide,
    /// The entries the snapshot points to, in the same order: the writers'
    /// copy, which owns them. Serialises connect and disconnect.
    writer: Mutex<Vec<Arc<ErasedEntry>>>,
    /// Sends counted while the signal counts.
    sends: AtomicU64,
    /// Whether it has ever counted.
    counted: AtomicBool,
    /// How this signal's snapshots are built and freed: the one part of the
    /// list that knows the signal's closure types, set by the first
    /// connect. Everything else is compiled once for all signals, and a list
    /// made to be muted needs no knowledge of its signal at all.
    snapshots: OnceLock<&'static SnapshotKind>,
    /// What this signal's robust sends show each receiver failure to.
    error_hook: ErrorHookSlot,
}

/// What a send reads, on a cache line of its own: away from the `Arc`'s
/// counts and the mutex, which change without a new snapshot.
#[repr(align(64))]
struct ReadSide {
    /// The live receivers in the low 32 bits, the mute guards in the high
    /// 32 bits: zero means that `send` takes the static path alone.
    state: AtomicU64,
    /// The current snapshot's header, an `Item<S>` of the signal `S`, null
    /// while no receiver is connected.
    snapshot: AtomicPtr<()>,
    /// How many entries are blocked, or disconnected but not yet dropped:
    /// while it is not zero, a send checks each entry's state before
    /// calling it.
    slow: AtomicU32,
}

/// One mute guard, in `state`: they count in bits 32 to 62.
const MUTED: u64 = 1 << 32;
/// In `state`: the signal counts its sends and its receivers' calls, which
/// sends do on the way that merges runtime receivers in.
const COUNTING: u64 = 1 << 63;
/// In `state`: the signal has static receivers that the plain loop cannot
/// call (receivers with a policy that return a value).
const STATIC_OPTIONS: u64 = 1 << 62;
const MUTE_GUARDS: u64 = !(COUNTING | STATIC_OPTIONS | (MUTED - 1));

/// The snapshot functions of one signal `S`.
struct SnapshotKind {
    /// A new snapshot of the entries (each an `Entry<Callback<S>>`), as the
    /// pointer sends load.
    build: fn(&[Arc<ErasedEntry>]) -> *mut (),
    /// Frees a snapshot `build` made.
    ///
    /// # Safety
    ///
    /// The pointer came from `build`, nothing else owns it, and no send
    /// can read it any more.
    free: unsafe fn(*mut ()),
}

/// The connected receivers, by priority (highest first), then by connection
/// order. Never changed once published.
///
/// One allocation: a header item, whose `count` says how many items follow
/// it, then the items. A send reaches the first closure in two loads from
/// the signal (snapshot pointer, item), as it would through a plain
/// `Vec<Box<dyn Fn>>` behind a pointer.
///
/// Owned through a raw pointer, not a `Box`: a send may still hold
/// references into a snapshot that was just unlinked, and a `Box` would
/// claim it exclusively. It becomes a `Box` again only to be freed, when no
/// send can read it.
struct Snapshot<S: Signature>(PhantomData<S>);

impl<S: Signature> Snapshot<S> {
    const KIND: &'static SnapshotKind = &SnapshotKind {
        build: Self::build,
        free: Self::free,
    };

    fn build(entries: &[Arc<ErasedEntry>]) -> *mut () {
        let mut items: Vec<Item<S>> = Vec::with_capacity(entries.len() + 1);
        items.push(Item {
            function: None,
            entry: NonNull::dangling(),
            priority: 0,
            count: u32::try_from(entries.len()).unwrap_or(u32::MAX),
        });
        for entry in entries {
            items.push(Item::new(entry));
        }
        Box::into_raw(items.into_boxed_slice()).cast::<()>()
    }

    unsafe fn free(header: *mut ()) {
        let header = header.cast::<Item<S>>();
        // SAFETY: `header` is the first item of the boxed slice that `build`
        // leaked, whose length is one more than its `count`; the caller
        // says that nothing else refers to it.
        unsafe {
            let len = (*header).count as usize + 1;
            drop(Box::from_raw(ptr::slice_from_raw_parts_mut(header, len)));
        }
    }
}

/// A snapshot unlinked from its signal, freed when dropped.
struct Unlinked {
    header: NonNull<()>,
    kind: &'static SnapshotKind,
}

// SAFETY: a snapshot owns its items, which are `Send` (see `Item`).
unsafe impl Send for Unlinked {}

impl Drop for Unlinked {
    fn drop(&mut self) {
        // SAFETY: an `Unlinked` is made only of a pointer swapped out of
        // the signal, which `build` made; it is dropped by `Shared::drop`
        // or by `reader::retire`, once no send can read it.
        unsafe { (self.kind.free)(self.header.as_ptr()) }
    }
}

/// One receiver as a snapshot holds it: what a send needs, contiguous.
///
/// Invariant: the entry outlives every snapshot that points to it. While it
/// is connected, the writers' list owns it; when it is removed, its `Arc`
/// goes to [`reader::retire`] with the snapshot it was unlinked from, and
/// is dropped only after every send that could have loaded a snapshot
/// pointing to it has left. A snapshot is itself read only inside a reader
/// section ([`Pinned`]), so any item read through a [`Pinned`] points to a
/// live entry, and to its live closure, for as long as the `Pinned` lives.
pub(crate) struct Item<S: Signature> {
    /// The closure of a plain receiver, owned by the entry; `None` for weak
    /// and sender-filtered receivers, which go through the entry.
    function: Option<NonNull<S::Dyn>>,
    /// Dangling in the header.
    entry: NonNull<Entry<Callback<S>>>,
    priority: i32,
    /// In the header: how many items follow it.
    count: u32,
}

// SAFETY: an `Item` is a pair of shared references, to an `Entry` and to a
// closure it owns (see the invariant above); both are `Send + Sync`:
// closures connected at run time must be.
unsafe impl<S: Signature> Send for Item<S> {}
// SAFETY: as above.
unsafe impl<S: Signature> Sync for Item<S> {}

impl<S: Signature> Item<S> {
    fn new(entry: &Arc<ErasedEntry>) -> Self {
        debug_assert!(entry.callback.is::<Callback<S>>());
        // SAFETY: every entry of a list is an `Entry<Callback<S>>` of its
        // signal `S`, unsized to `ErasedEntry` by `Shared::connect` (the only
        // way in, and `Connections<S>` the only caller); `Entry` is
        // `repr(C)`, so the sized and the unsized forms share a layout, and
        // dropping the metadata leaves a pointer to the concrete entry.
        let entry: &Entry<Callback<S>> = unsafe { &*Arc::as_ptr(entry).cast() };
        Self {
            function: match &entry.callback {
                Callback::Plain(function) if entry.header.policy.is_none() => {
                    Some(NonNull::from(&**function))
                }
                Callback::Plain(_)
                | Callback::Weak { .. }
                | Callback::When { .. }
                | Callback::Sender { .. } => None,
            },
            entry: NonNull::from(entry),
            priority: entry.header.priority,
            count: 0,
        }
    }

    pub(crate) fn priority(&self) -> i32 {
        self.priority
    }

    #[inline]
    pub(crate) fn entry(&self) -> &Entry<Callback<S>> {
        // SAFETY: by the invariant of `Item`, the entry lives at least as
        // long as the snapshot this borrow comes from.
        unsafe { self.entry.as_ref() }
    }

    #[inline]
    fn function(&self) -> Option<&S::Dyn> {
        // SAFETY: the closure is owned by the entry, which lives at least as
        // long as the snapshot this borrow comes from (invariant of `Item`).
        self.function.map(|function| unsafe { function.as_ref() })
    }
}

/// A snapshot and the reader section that keeps it alive.
pub(crate) struct Pinned<'a, S: Signature> {
    shared: &'a Shared,
    /// The snapshot's header, or null.
    snapshot: *const Item<S>,
    _guard: ReadGuard,
}

impl<S: Signature> Pinned<'_, S> {
    /// The receivers of the snapshot, in call order.
    #[inline]
    pub(crate) fn items(&self) -> &[Item<S>] {
        // SAFETY: the snapshot was loaded inside `_guard`'s section, so it
        // is freed neither while the guard lives (`reader::retire`) nor
        // while `Shared`, which `self` borrows, owns it. A non-null pointer
        // is a header followed by `count` items (`Snapshot::build`), built
        // for this signal `S` (`Connections<S>` owns the list).
        unsafe {
            match self.snapshot.as_ref() {
                None => &[],
                Some(header) => {
                    core::slice::from_raw_parts(self.snapshot.add(1), header.count as usize)
                }
            }
        }
    }

    /// Makes the calls of `item` for a send from a sender of type `O`:
    /// straight through the snapshot, unless the signal's `slow` count asks
    /// for the entry's state to be checked, or the entry has a policy. Only
    /// that second way knows `repeat`, so the first stays a single call.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn call_item<'i, O: ?Sized + 'static>(
        &self,
        item: &'i Item<S>,
        counting: bool,
        call: &mut impl FnMut(Target<'i, S, O>),
    ) {
        match item.function() {
            Some(function) if self.shared.read.slow.load(Relaxed) == 0 => {
                if counting {
                    item.entry().count_call();
                }
                #[cfg(feature = "tracing")]
                crate::trace::call(item.entry().info());
                call(Target::Runtime(function));
            }
            _ => {
                if let Some((target, times)) = entry_target::<S, O>(item.entry(), counting) {
                    #[cfg(feature = "tracing")]
                    crate::trace::call(item.entry().info());
                    for _ in 0..times {
                        call(target);
                    }
                }
            }
        }
    }

    /// The call `item` makes for a send from a sender of type `O`, if any:
    /// straight through the snapshot, unless the signal's `slow` count asks
    /// for the entry's state to be checked. For the lazy sends of a signal
    /// whose receivers return a value, which `repeat` is not for.
    // The hot path of every runtime send: it must not depend on the
    // inliner's mood (one build left a call per receiver here).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn target<'i, O: ?Sized + 'static>(
        &self,
        item: &'i Item<S>,
    ) -> Option<Target<'i, S, O>> {
        match item.function() {
            Some(function) if self.shared.read.slow.load(Relaxed) == 0 => {
                Some(Target::Runtime(function))
            }
            _ => item.entry().target::<O>(),
        }
    }
}

/// The runtime receivers of one async send of the signal `S`, in call
/// order, held for as long as it runs. An async send may move to another
/// thread at each `.await`, and a reader section belongs to its thread, so
/// it holds each entry instead: one `Vec` and a reference count each, paid
/// only by sends of a signal with runtime receivers.
pub(crate) struct Held<S: Signature> {
    entries: Vec<Arc<ErasedEntry>>,
    signal: PhantomData<fn() -> S>,
}

impl<S: Signature> Held<S> {
    /// No receivers.
    pub(crate) const fn none() -> Self {
        Self {
            entries: Vec::new(),
            signal: PhantomData,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entry at `index`, which exists.
    pub(crate) fn at(&self, index: usize) -> &Entry<Callback<S>> {
        Self::typed(&self.entries[index])
    }

    pub(crate) fn get(&self, index: usize) -> Option<&Entry<Callback<S>>> {
        self.entries.get(index).map(Self::typed)
    }

    fn typed(entry: &Arc<ErasedEntry>) -> &Entry<Callback<S>> {
        debug_assert!(entry.callback.is::<Callback<S>>());
        // SAFETY: as in `Item::new`: every entry of the list of `S` is an
        // `Entry<Callback<S>>` unsized to `ErasedEntry`, and `Entry` is
        // `repr(C)`. The `Arc` keeps it alive while `self` is borrowed.
        unsafe { &*Arc::as_ptr(entry).cast::<Entry<Callback<S>>>() }
    }
}

/// One connected receiver: what the list needs of it, then its callback.
/// `repr(C)`, so that an `Entry<Callback<S>>` and the `ErasedEntry` it is
/// unsized to share a layout.
#[repr(C)]
pub(crate) struct Entry<C: ?Sized> {
    header: EntryHeader,
    callback: C,
}

/// An entry of any signal, as the list keeps it: its callback is a
/// `Callback<S>` of the list's signal.
type ErasedEntry = Entry<dyn Any + Send + Sync>;

struct EntryHeader {
    /// Bit 0: disconnected. Above it: the number of `ConnectionBlock`s.
    state: AtomicU32,
    priority: i32,
    key: Option<Cow<'static, str>>,
    info: ReceiverInfo,
    /// The target of a weak receiver, which dies with it.
    target: Option<Weak<dyn Any + Send + Sync>>,
    /// The counters of `every` and `max_calls`, if either is set.
    policy: Option<PolicyState>,
    /// Calls counted while the signal counts.
    calls: AtomicU64,
    shared: Weak<Shared>,
    /// The entry itself, as its connections hold it.
    link: Weak<dyn Link>,
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
    /// A receiver called only when `when` says so, with the arguments of
    /// the send: the policy's steps around it are split between the list
    /// (counting the send, `every`) and the generated code (`when`,
    /// `max_calls`, `repeat`), which has the arguments.
    When {
        when: Box<S::WhenDyn>,
        function: Box<S::Dyn>,
    },
    /// `Arc<S::SenderDyn<O>>` for the sender type whose id is `sender`,
    /// and for each pointer type `W` to `O` a `Box<S::SenderDyn<W>>`
    /// calling it, with the id of `W`.
    Sender {
        sender: TypeId,
        function: Box<dyn Any + Send + Sync>,
        pointers: Box<[(TypeId, Box<dyn Any + Send + Sync>)]>,
    },
}

/// One receiver about to be called, as the generated code sees it.
#[doc(hidden)]
pub enum Target<'a, S: Signature, O: ?Sized + 'static> {
    Static(S::Fn),
    /// A static receiver with a policy: `None` for a send it skips.
    StaticOptional(S::OptionFn),
    /// A static `async fn` receiver of an async signal.
    StaticAsync(S::AsyncFn),
    StaticSender(S::SenderFn<O>),
    StaticAnySender(S::SenderFn<AnySender>),
    Runtime(&'a S::Dyn),
    RuntimeSender(&'a S::SenderDyn<O>),
    RuntimeAnySender(&'a S::SenderDyn<AnySender>),
    Weak(&'a S::WeakDyn),
    /// A receiver to call if its predicate holds and its policy then
    /// gives it a call.
    RuntimeWhen(&'a S::WhenDyn, &'a PolicyState, &'a S::Dyn),
}

impl<S: Signature, O: ?Sized + 'static> Clone for Target<'_, S, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Signature, O: ?Sized + 'static> Copy for Target<'_, S, O> {}

/// What writers unlinked, dropped by [`reader::retire`] once no send can
/// still read it.
struct Retired {
    snapshot: Option<Unlinked>,
    /// Each one counted in `slow` when it was disconnected.
    removed: Vec<Arc<ErasedEntry>>,
    shared: Weak<Shared>,
}

impl Drop for Retired {
    fn drop(&mut self) {
        drop(self.snapshot.take());
        let removed = core::mem::take(&mut self.removed);
        let count = u32::try_from(removed.len()).unwrap_or(u32::MAX);
        drop(removed);
        if count > 0 {
            if let Some(shared) = self.shared.upgrade() {
                shared.read.slow.fetch_sub(count, Release);
            }
        }
    }
}

impl Shared {
    /// An empty list. Its signal is known from its first connect.
    pub(crate) fn new() -> Self {
        Self {
            read: ReadSide {
                state: AtomicU64::new(0),
                snapshot: AtomicPtr::new(ptr::null_mut()),
                slow: AtomicU32::new(0),
            },
            writer: Mutex::new(Vec::new()),
            sends: AtomicU64::new(0),
            counted: AtomicBool::new(false),
            snapshots: OnceLock::new(),
            error_hook: ErrorHookSlot::new(),
        }
    }

    /// The error hook of this signal.
    pub(crate) fn error_hook(&self) -> &ErrorHookSlot {
        &self.error_hook
    }

    /// Whether a send must look beyond the static receivers.
    #[inline]
    pub(crate) fn is_active(&self) -> bool {
        self.read.state.load(Relaxed) != 0
    }

    #[inline]
    pub(crate) fn is_muted(&self) -> bool {
        self.read.state.load(Relaxed) & MUTE_GUARDS != 0
    }

    /// Neither muted nor counting: a send merges and calls, nothing more.
    /// Both live above the receiver count, so one comparison tells.
    #[inline]
    pub(crate) fn is_plain(&self) -> bool {
        self.read.state.load(Relaxed) < MUTED
    }

    #[inline]
    pub(crate) fn is_counting(&self) -> bool {
        self.read.state.load(Relaxed) & COUNTING != 0
    }

    /// Sends take the way that reads the static table with the receivers
    /// the plain loop cannot call.
    pub(crate) fn set_static_options(&self) {
        self.read.state.fetch_or(STATIC_OPTIONS, Relaxed);
    }

    /// Counts the sends and the calls of this signal from now on, or stops.
    pub(crate) fn set_counting(&self, on: bool) {
        if on {
            self.counted.store(true, Relaxed);
            self.read.state.fetch_or(COUNTING, Relaxed);
        } else {
            self.read.state.fetch_and(!COUNTING, Relaxed);
        }
    }

    /// Whether the signal has counted at some point: its counts mean
    /// something.
    pub(crate) fn has_counted(&self) -> bool {
        self.counted.load(Relaxed)
    }

    /// Counts one send.
    pub(crate) fn count_send(&self) {
        self.sends.fetch_add(1, Relaxed);
    }

    /// The sends counted so far, if the signal has counted.
    pub(crate) fn sends(&self) -> Option<u64> {
        self.has_counted().then(|| self.sends.load(Relaxed))
    }

    /// How many receivers are connected (blocked ones included).
    pub(crate) fn len(&self) -> usize {
        let live = self.read.state.load(Acquire) & (MUTED - 1);
        usize::try_from(live).unwrap_or(usize::MAX)
    }

    /// What the reader sections know this list by.
    fn address(&self) -> usize {
        ptr::from_ref(self).addr()
    }

    /// Enters a reader section and loads the current snapshot, a snapshot
    /// of the signal `S` whose list this is.
    #[inline]
    pub(crate) fn pin<S: Signature>(&self) -> Pinned<'_, S> {
        let guard = reader::enter(self.address());
        // After the guard's store: see `reader`'s proof.
        let snapshot = self.read.snapshot.load_seq_cst();
        Pinned {
            shared: self,
            snapshot: snapshot.cast_const().cast::<Item<S>>(),
            _guard: guard,
        }
    }

    /// The runtime receivers of the signal `S` as they are now, held for
    /// an async send.
    pub(crate) fn hold<S: Signature>(&self) -> Held<S> {
        Held {
            entries: self.lock().clone(),
            signal: PhantomData,
        }
    }

    fn lock(&self) -> impl DerefMut<Target = Vec<Arc<ErasedEntry>>> + '_ {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Connects `callback`; the list is the list of the signal `S`.
    pub(crate) fn connect<S: Signature>(
        self: &Arc<Self>,
        options: &Settings,
        info: ReceiverInfo,
        callback: Callback<S>,
    ) -> Connection {
        self.snapshots.get_or_init(|| Snapshot::<S>::KIND);
        let mut info = info;
        info.set_runtime_options(options);
        let policy = (options.policy.needs_counters() || matches!(callback, Callback::When { .. }))
            .then(|| PolicyState::new(options.policy));
        let target = match &callback {
            Callback::Weak { target, .. } => Some(Weak::clone(target)),
            Callback::Plain(_) | Callback::When { .. } | Callback::Sender { .. } => None,
        };
        let entry = Arc::new_cyclic(|link: &Weak<Entry<Callback<S>>>| Entry {
            header: EntryHeader {
                state: AtomicU32::new(0),
                priority: options.priority,
                key: options.key.clone(),
                info,
                target,
                policy,
                calls: AtomicU64::new(0),
                shared: Arc::downgrade(self),
                link: Weak::clone(link) as Weak<dyn Link>,
            },
            callback,
        });
        self.insert(options.key.as_ref(), entry)
    }

    /// Inserts `entry` and returns its connection, unless a live receiver
    /// holds its `key`: then that one's connection.
    fn insert(
        self: &Arc<Self>,
        key: Option<&Cow<'static, str>>,
        entry: Arc<ErasedEntry>,
    ) -> Connection {
        let mut entries = self.lock();
        let mut removed = Vec::new();
        if let Some(key) = key {
            if let Some(position) = entries
                .iter()
                .position(|other| other.header.key.as_ref() == Some(key) && other.header.is_live())
            {
                let existing = &entries[position].header;
                if !existing.target_is_gone() {
                    let connection = existing.connection();
                    drop(entries);
                    // `entry` (a user closure) is dropped here, unlocked.
                    drop(entry);
                    return connection;
                }
                // A weak receiver whose target is gone holds its key no more.
                if existing.mark_disconnected() {
                    self.read.slow.fetch_add(1, Release);
                    removed.push(entries.remove(position));
                    self.read.state.fetch_sub(1, Relaxed);
                }
            }
        }
        let connection = entry.header.connection();
        // After every entry of a higher or equal priority: connection order
        // within a priority.
        let position =
            entries.partition_point(|other| other.header.priority >= entry.header.priority);
        entries.insert(position, entry);
        self.read.state.fetch_add(1, Relaxed);
        let snapshot = self.publish(&entries);
        drop(entries);
        self.retire(snapshot, removed);
        connection
    }

    /// Removes the entry of `header`, which this thread just marked
    /// disconnected.
    fn remove(self: &Arc<Self>, header: &EntryHeader) {
        // Before the snapshot changes: a send in progress on this thread
        // checks the entries it has not reached yet.
        self.read.slow.fetch_add(1, Release);
        let mut entries = self.lock();
        let Some(position) = entries
            .iter()
            .position(|other| ptr::eq(ptr::from_ref(&other.header), header))
        else {
            drop(entries);
            self.read.slow.fetch_sub(1, Release);
            return;
        };
        let removed = entries.remove(position);
        self.read.state.fetch_sub(1, Relaxed);
        let snapshot = self.publish(&entries);
        drop(entries);
        self.retire(snapshot, vec![removed]);
    }

    /// Disconnects every runtime receiver; returns how many were connected.
    pub(crate) fn disconnect_all(self: &Arc<Self>) -> usize {
        let mut entries = self.lock();
        let mut removed = Vec::with_capacity(entries.len());
        entries.retain(|entry| {
            // An entry another thread is disconnecting is left to it.
            if entry.header.mark_disconnected() {
                removed.push(Arc::clone(entry));
                false
            } else {
                true
            }
        });
        let count = removed.len();
        let count_u32 = u32::try_from(count).unwrap_or(u32::MAX);
        self.read.slow.fetch_add(count_u32, Release);
        self.read.state.fetch_sub(u64::from(count_u32), Relaxed);
        let snapshot = self.publish(&entries);
        drop(entries);
        self.retire(snapshot, removed);
        count
    }

    /// Disconnects the receiver connected with `key`.
    pub(crate) fn disconnect_key(&self, key: &str) -> bool {
        let entry = self
            .lock()
            .iter()
            .find(|entry| entry.header.key.as_deref() == Some(key) && entry.header.is_live())
            .map(Arc::clone);
        entry.is_some_and(|entry| entry.header.disconnect())
    }

    /// The runtime receivers, in call order. Receivers of targets that are
    /// gone are disconnected on the way.
    pub(crate) fn receivers(&self) -> Vec<ReceiverInfo> {
        // The writers' copy, in the same order as the snapshot: no reader
        // section, and no knowledge of the signal's types, is needed.
        let entries: Vec<Arc<ErasedEntry>> = self.lock().clone();
        let mut receivers = Vec::new();
        for entry in &entries {
            let header = &entry.header;
            if header.target_is_gone() {
                header.disconnect();
            } else if header.is_live() {
                let info = header.info.clone();
                receivers.push(match &header.policy {
                    Some(policy) => info.counted(policy),
                    None if self.has_counted() => info.with_calls(header.calls.load(Relaxed)),
                    None => info,
                });
            }
        }
        receivers
    }

    pub(crate) fn mute(self: &Arc<Self>) -> Muted {
        self.read.state.fetch_add(MUTED, Relaxed);
        let signal: Weak<dyn Mute> = Arc::downgrade(self) as Weak<Self>;
        Muted::new(signal)
    }

    /// Publishes a snapshot of `entries`, with the writer lock held;
    /// returns the one it replaces.
    fn publish(&self, entries: &[Arc<ErasedEntry>]) -> Option<Unlinked> {
        // Unset until the first connect: then no snapshot was ever built,
        // and `entries` is empty.
        let kind = *self.snapshots.get()?;
        let snapshot = if entries.is_empty() {
            ptr::null_mut()
        } else {
            (kind.build)(entries)
        };
        let old = self.read.snapshot.swap_seq_cst(snapshot);
        // The swap took the old snapshot out of `self`: nothing else owns
        // it. Sends may still read it until `retire` says otherwise.
        NonNull::new(old).map(|header| Unlinked { header, kind })
    }

    fn retire(self: &Arc<Self>, snapshot: Option<Unlinked>, removed: Vec<Arc<ErasedEntry>>) {
        if snapshot.is_none() && removed.is_empty() {
            return;
        }
        let kind = if removed.is_empty() {
            Garbage::Memory
        } else {
            Garbage::Closures
        };
        reader::retire(
            self.address(),
            kind,
            Retired {
                snapshot,
                removed,
                shared: Arc::downgrade(self),
            },
        );
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // The signal is gone, so no send can be reading its snapshot: a send
        // borrows the signal that owns this `Arc`.
        let snapshot = self.read.snapshot.swap(ptr::null_mut(), Relaxed);
        // A snapshot exists only once a connect has set `snapshots`.
        if let (Some(header), Some(&kind)) = (NonNull::new(snapshot), self.snapshots.get()) {
            drop(Unlinked { header, kind });
        }
    }
}

impl Mute for Shared {
    fn unmute(&self) {
        self.read.state.fetch_sub(MUTED, Relaxed);
    }
}

impl BlockCount for Shared {
    fn unblocked(&self) {
        self.read.slow.fetch_sub(1, Release);
    }
}

impl EntryHeader {
    fn connection(&self) -> Connection {
        Connection::new(Weak::clone(&self.link))
    }

    fn is_live(&self) -> bool {
        self.state.load(Acquire) & DISCONNECTED == 0
    }

    /// Marks the entry disconnected; returns whether this call did.
    fn mark_disconnected(&self) -> bool {
        self.state.fetch_or(DISCONNECTED, AcqRel) & DISCONNECTED == 0
    }

    fn target_is_gone(&self) -> bool {
        self.target
            .as_ref()
            .is_some_and(|target| target.strong_count() == 0)
    }

    fn disconnect(&self) -> bool {
        if !self.mark_disconnected() {
            return false;
        }
        if let Some(shared) = self.shared.upgrade() {
            shared.remove(self);
        }
        true
    }

    fn is_connected(&self) -> bool {
        self.is_live() && self.shared.strong_count() > 0 && !self.target_is_gone()
    }

    fn block(&self) -> Option<Weak<dyn BlockCount>> {
        self.state.fetch_add(BLOCKED, AcqRel);
        let shared = self.shared.upgrade()?;
        shared.read.slow.fetch_add(1, Release);
        let count: Weak<dyn BlockCount> = Arc::downgrade(&shared) as Weak<Shared>;
        Some(count)
    }

    fn unblock(&self) {
        self.state.fetch_sub(BLOCKED, Release);
    }
}

/// The target of an entry that is checked before each send (disconnected
/// or blocked, or with a policy), and how many times to call it. Cold, and
/// out of line, so that the loop of the plain calls keeps its registers.
#[cold]
#[inline(never)]
fn entry_target<S: Signature, O: ?Sized + 'static>(
    entry: &Entry<Callback<S>>,
    counting: bool,
) -> Option<(Target<'_, S, O>, u32)> {
    let target = entry.target::<O>()?;
    if counting {
        entry.count_call();
    }
    // A receiver with a `when` is repeated by the generated code, once the
    // predicate has let it through.
    let times = match target {
        Target::RuntimeWhen(..) => 1,
        _ => entry.repeat(),
    };
    Some((target, times))
}

impl<C: ?Sized> Entry<C> {
    /// The receiver's description.
    pub(crate) fn info(&self) -> &ReceiverInfo {
        &self.header.info
    }

    pub(crate) fn priority(&self) -> i32 {
        self.header.priority
    }

    /// Counts one call, while its signal counts.
    pub(crate) fn count_call(&self) {
        self.header.calls.fetch_add(1, Relaxed);
    }

    /// How many times each admitted send calls it.
    pub(crate) fn repeat(&self) -> u32 {
        self.header.policy.as_ref().map_or(1, PolicyState::repeat)
    }
}

impl<S: Signature> Entry<Callback<S>> {
    /// The call this entry makes for a send from a sender of type `O`, if
    /// any: none for a send its policy skips.
    #[inline]
    pub(crate) fn target<O: ?Sized + 'static>(&self) -> Option<Target<'_, S, O>> {
        if self.header.state.load(Acquire) != 0 {
            return None; // disconnected or blocked
        }
        let target = self.callback_target::<O>()?;
        match (&self.header.policy, target) {
            // Only the sends that reach the receiver count. With a `when`,
            // the generated code asks the predicate, then claims the call.
            (Some(policy), Target::RuntimeWhen(..)) if !policy.arrive() => None,
            (_, Target::RuntimeWhen(..)) => Some(target),
            (Some(policy), _) if !(policy.arrive() && policy.claim()) => None,
            (_, target) => Some(target),
        }
    }

    #[inline]
    fn callback_target<O: ?Sized + 'static>(&self) -> Option<Target<'_, S, O>> {
        match &self.callback {
            Callback::Plain(function) => Some(Target::Runtime(&**function)),
            // `connect` gives every entry with a `when` its counters.
            Callback::When { when, function } => self
                .header
                .policy
                .as_ref()
                .map(|policy| Target::RuntimeWhen(&**when, policy, &**function)),
            Callback::Weak { target, function } => {
                if target.strong_count() == 0 {
                    self.header.disconnect();
                    None
                } else {
                    Some(Target::Weak(&**function))
                }
            }
            Callback::Sender {
                sender,
                function,
                pointers,
            } => {
                let wanted = TypeId::of::<O>();
                if *sender == wanted {
                    function
                        .downcast_ref::<Arc<S::SenderDyn<O>>>()
                        .map(|function| Target::RuntimeSender(&**function))
                } else if *sender == TypeId::of::<AnySender>() && wanted != TypeId::of::<NoSender>()
                {
                    function
                        .downcast_ref::<Arc<S::SenderDyn<AnySender>>>()
                        .map(|function| Target::RuntimeAnySender(&**function))
                } else {
                    pointers
                        .iter()
                        .find(|(pointer, _)| *pointer == wanted)
                        .and_then(|(_, function)| function.downcast_ref::<Box<S::SenderDyn<O>>>())
                        .map(|function| Target::RuntimeSender(&**function))
                }
            }
        }
    }
}

/// Each method in one place, on the header: compiled once for all signals.
impl<C: Send + Sync + 'static> Link for Entry<C> {
    fn disconnect(&self) -> bool {
        self.header.disconnect()
    }

    fn is_connected(&self) -> bool {
        self.header.is_connected()
    }

    fn block(&self) -> Option<Weak<dyn BlockCount>> {
        self.header.block()
    }

    fn unblock(&self) {
        self.header.unblock();
    }
}

/// `function` as a receiver of sends from `W`, with the id of `W`.
fn through<S: Signature, W: SenderPointer<O>, O: ?Sized + 'static>(
    function: &Arc<S::SenderDyn<O>>,
) -> (TypeId, Box<dyn Any + Send + Sync>) {
    let through: Box<S::SenderDyn<W>> = S::__through_dyn::<W, O>(Arc::clone(function));
    (TypeId::of::<W>(), Box::new(through))
}

impl<S: Signature> Callback<S> {
    /// A receiver called by every send.
    #[must_use]
    pub fn plain(function: Box<S::Dyn>) -> Self {
        Self::Plain(function)
    }

    /// A receiver called only when `when` holds for the send's arguments.
    #[must_use]
    pub fn when(when: Box<S::WhenDyn>, function: Box<S::Dyn>) -> Self {
        Self::When { when, function }
    }

    /// A receiver called only by sends from a sender of type `O`, or from
    /// an `Arc`, `Rc`, `Box` or `&'static` of it; with `O = AnySender`, by
    /// every send that has a sender.
    #[must_use]
    pub fn sender<O: ?Sized + 'static>(function: Arc<S::SenderDyn<O>>) -> Self {
        let sender = TypeId::of::<O>();
        let pointers: Box<[(TypeId, Box<dyn Any + Send + Sync>)]> =
            if sender == TypeId::of::<AnySender>() {
                Box::new([])
            } else {
                Box::new([
                    through::<S, Arc<O>, O>(&function),
                    through::<S, Rc<O>, O>(&function),
                    through::<S, Box<O>, O>(&function),
                    through::<S, &'static O, O>(&function),
                ])
            };
        Self::Sender {
            sender,
            function: Box::new(function),
            pointers,
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
