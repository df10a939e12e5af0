//! Safe reclamation for the runtime receiver lists: per-thread reader
//! slots.
//!
//! A send announces itself by setting its thread's slot to a non-zero
//! depth, with the signal it reads beside it, and back to zero when it
//! leaves: plain stores to a cache line that only its thread writes. It
//! never waits. A writer that unlinked something from a signal (an old
//! snapshot, a disconnected receiver) hands it to [`retire`], which drops it
//! as soon as no send of that signal can still read it:
//!
//! - at once, if no other thread has a slot, or if every other thread has
//!   acknowledged the retirement: a send acknowledges as it leaves, so a
//!   thread that is sending acknowledges within one send;
//! - otherwise after a process-wide barrier, once the slots show that no
//!   send of that signal is running;
//! - otherwise when the last send of that signal that was running leaves:
//!   it finds the garbage waiting for it and drops it.
//!
//! So a disconnected closure is dropped before `disconnect` returns, or as
//! soon as the sends of its signal that may still run it have finished:
//! never later. Sends of other signals do not hold it back, unless they nest
//! a send of its signal. A section names up to four signals; one that nests
//! sends of more counts as reading every signal until it ends.
//!
//! # Two strategies
//!
//! - **Light** (Linux, when `membarrier(2)` registers at start-up): a send's
//!   stores are plain, and a writer that needs to know which sends are
//!   running issues `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`, which
//!   runs a full memory barrier on every thread of the process that is
//!   running. A thread that is not running has passed a context switch,
//!   which is one too. The barrier interrupts running threads (microseconds
//!   each), so writers first give sending threads a microsecond to
//!   acknowledge: a thread that is sending answers within one send, and
//!   writers then need no barrier at all.
//! - **Fenced** (elsewhere, under miri and loom, or when `membarrier` is
//!   refused): a send's stores are sequentially consistent, and writers need
//!   no barrier.
//!
//! The strategy is chosen once, before `main` (an `.init_array` entry, as
//! `inventory` uses), while no send can be running, and never changes.
//!
//! # Why it is correct
//!
//! A send stores its slot's depth and then loads the snapshot pointer; a
//! writer swaps the snapshot pointer, then makes sure of what every other
//! thread did: either each thread acknowledged the retirement (it loaded the
//! retirement count after the swap, with acquire, so its later sends see the
//! new snapshot and its earlier ones have ended, published by the
//! acknowledgement's release), or the writer issued the barrier and then
//! loads every slot. With the barrier, the send's store comes before the
//! barrier on its thread, and the writer sees it, or after, and then the
//! send's snapshot load sees the swap. The fenced strategy gets the same
//! from the single total order of sequentially consistent accesses (under
//! loom: release stores and acquire loads with `SeqCst` fences, which loom
//! models). A section the writer saw open is over once its slot is seen at
//! depth zero (any later zero: the store is a release, the check an
//! acquire, so everything the section read happens before the drop) or has
//! acknowledged the retirement, which a send does only as it leaves.
//!
//! The signals beside the depth are stored before it, so a writer that
//! sees the depth sees them too, or those of a later section; it then loads
//! the depth again, and a section that ended meanwhile needs nothing. A
//! nested send of another signal adds that signal before its snapshot load,
//! ordered like the depth; the names are cleared with release stores after
//! the section ends, so a writer that reads a cleared name also sees the
//! end.
//!
//! Garbage that has to wait is first listed as waiting, then the retirement
//! count is bumped, then comes the barrier and the scan. A send that leaves
//! after the barrier therefore sees the new count and the waiting garbage,
//! and looks at it under the lock of the list: before the writer's scan
//! (which then sees the send's zero depth, through the lock) or after it
//! (and then it finds the garbage waiting for its own section, and drops
//! it). A send that left before the barrier is seen to have left.
//!
//! Nested sends on one thread share one section: only the outermost send
//! announces. A receiver that disconnects itself mid-send therefore finds
//! its own section open, and its closure is dropped when the outermost send
//! leaves. A thread that leaks a send (`mem::forget` of a `send_iter`
//! iterator) keeps its section open: what its signals retire afterwards is
//! never dropped, and its slot is never reused.

use core::cell::Cell;
use core::marker::PhantomData;
use core::ptr;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use core::sync::atomic::compiler_fence;

use crate::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use crate::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize};
use crate::sync::{Mutex, SeqCst};

/// What a section that read more signals than its slot can name reads, as
/// far as writers are concerned: no list is aligned to `usize::MAX`.
const EVERY_SIGNAL: usize = usize::MAX;

/// How many signals a section names before it counts as reading every one.
const NESTED: usize = 4;

/// Set in a slot's depth while its section names signals of nested sends,
/// so that the send that ends the section clears them without the others
/// having to look.
const NAMED_NESTED: usize = 1 << (usize::BITS - 1);

/// How long a writer waits for sending threads to acknowledge a retirement
/// before it issues the barrier: longer than a send, shorter than a barrier
/// that interrupts a running thread (microseconds on a virtual machine).
const ACKNOWLEDGE_WITHIN: Duration = Duration::from_micros(1);

/// Garbage that does not run user code (old snapshots) is batched up to
/// this many before a writer makes sure of it.
const BATCH: usize = 32;

/// One thread's announcement: a non-zero depth while it is inside a send.
///
/// Slots are leaked, never freed, and reused by later threads: a writer may
/// hold a reference to any slot at any time.
#[repr(C, align(128))]
struct Slot {
    /// How many sends the owner is inside: zero outside any. Written by the
    /// owner only; writers only tell zero from the rest. A send that opens
    /// or closes the section stores a constant (one, then zero), so that
    /// consecutive sends do not wait on each other's stores.
    depth: AtomicUsize,
    /// The signals the open section reads (the addresses of their lists):
    /// the outermost send's first, then those of nested sends of other
    /// signals, zero where unused; [`EVERY_SIGNAL`] in the last place once
    /// there are more.
    signals: [AtomicUsize; NESTED],
    /// Whether the owner announces with plain stores (the light strategy).
    /// Fixed when the slot is made: the strategy never changes.
    light: bool,
    /// The retirement count as of the owner's last acknowledgement; on a
    /// line of its own, which writers poll.
    acknowledged: Line<AtomicU64>,
    /// Owned by a live thread.
    in_use: AtomicBool,
    /// The next slot of the registry; set before the slot is published.
    next: AtomicPtr<Slot>,
}

#[repr(align(64))]
struct Line<T>(T);

/// The process-wide state: every slot, and the garbage that waits.
struct Global {
    /// The registry: a list that only ever grows, pushed lock-free.
    slots: AtomicPtr<Slot>,
    /// Bumped by every writer that needs sends to look at it: a send that
    /// sees it change acknowledges, and collects waiting garbage.
    retirements: Line<AtomicU64>,
    /// How many entries `pending.waiting` holds.
    waiting: AtomicUsize,
    pending: Mutex<Pending>,
}

struct Pending {
    waiting: Vec<Waiting>,
    /// Garbage that runs no user code, not yet made sure of.
    batch: Vec<Box<dyn Send>>,
    next_id: u64,
}

/// Garbage, and the sections it waits for: the slots that were inside a
/// send and had not acknowledged `retirement`. `None` until the writer has
/// scanned the slots. A section is over once its slot is seen at depth
/// zero, or acknowledging `retirement` (a send acknowledges as it leaves).
struct Waiting {
    id: u64,
    garbage: Vec<Box<dyn Send>>,
    retirement: u64,
    sections: Option<Vec<&'static Slot>>,
}

/// The initial state, spelled once for the `static` and for loom.
macro_rules! new_global {
    () => {
        Global {
            slots: AtomicPtr::new(ptr::null_mut()),
            retirements: Line(AtomicU64::new(0)),
            waiting: AtomicUsize::new(0),
            pending: Mutex::new(Pending {
                waiting: Vec::new(),
                batch: Vec::new(),
                next_id: 0,
            }),
        }
    };
}

#[cfg(not(loom))]
static GLOBAL: Global = new_global!();

#[cfg(not(loom))]
fn global() -> &'static Global {
    &GLOBAL
}

#[cfg(loom)]
fn global() -> &'static Global {
    loom::lazy_static! {
        static ref GLOBAL: Global = new_global!();
    }
    &GLOBAL
}

/// Gives the thread's slot back when the thread ends.
struct Owner(Cell<Option<&'static Slot>>);

impl Drop for Owner {
    fn drop(&mut self) {
        let Some(slot) = self.0.take() else { return };
        // The thread may still send from another thread-local's destructor:
        // it registers again then.
        let _ = LOCAL.try_with(|local| local.set(ptr::null()));
        // A section still open here belongs to a leaked guard: keep the slot
        // forever rather than let another thread reuse a slot inside a send.
        if slot.depth.load(Relaxed) == 0 {
            slot.in_use.store(false, Release);
        }
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// This thread's slot: no destructor, so reading it is one load.
    static LOCAL: Cell<*const Slot> = const { Cell::new(ptr::null()) };
    static OWNER: Owner = const { Owner(Cell::new(None)) };
}

#[cfg(loom)]
loom::thread_local! {
    static LOCAL: Cell<*const Slot> = Cell::new(ptr::null());
    static OWNER: Owner = Owner(Cell::new(None));
}

/// This thread's slot, if it has one.
fn own_slot() -> Option<&'static Slot> {
    let slot = LOCAL.try_with(Cell::get).unwrap_or(ptr::null());
    // SAFETY: `LOCAL` is null or points to a slot of the registry, and
    // slots are never freed.
    unsafe { slot.as_ref() }
}

impl Slot {
    /// Stores one of the owner's announcements (its depth, or a signal it
    /// reads) in `place`, ordered before the loads that follow it (see the
    /// module's proof).
    #[inline]
    fn announce(&self, place: &AtomicUsize, value: usize) {
        if self.light {
            place.store(value, Release);
            compiler_fence(core::sync::atomic::Ordering::SeqCst);
        } else {
            place.store_seq_cst(value);
        }
    }

    /// Whether the section open now may read `signal` (any signal for
    /// `None`), as far as a writer can tell.
    fn may_read(&self, signal: Option<usize>) -> bool {
        let names = self.signals.iter().any(|place| {
            let named = place.load_seq_cst();
            named != 0 && signal.is_none_or(|signal| named == signal || named == EVERY_SIGNAL)
        });
        // The names were read while a section was open (a later section's
        // names are stored after the earlier section ended), or the section
        // is over now.
        names && self.depth.load_seq_cst() != 0
    }

    /// Whether the section that was open when a writer looked, before
    /// `retirement`, is over.
    fn has_left(&self, retirement: u64) -> bool {
        self.depth.load(Acquire) == 0 || self.acknowledged.0.load(Acquire) >= retirement
    }
}

/// Proof that this thread is inside a send: everything unlinked after the
/// guard was taken stays allocated until it is dropped.
///
/// Not `Send`: the section belongs to the thread's slot.
pub(crate) struct ReadGuard {
    slot: &'static Slot,
    _not_send: PhantomData<*const ()>,
}

/// Enters a send of the signal whose list is at `signal` on this thread.
#[inline]
pub(crate) fn enter(signal: usize) -> ReadGuard {
    let slot = LOCAL.with(Cell::get);
    // SAFETY: `LOCAL` is null or points to a slot of the registry, and
    // slots are never freed.
    let slot = match unsafe { slot.as_ref() } {
        Some(slot) => slot,
        None => register(),
    };
    let depth = slot.depth.load(Relaxed); // only this thread writes it
    if depth == 0 {
        // Published by the depth, which writers load first; a release, so
        // that a writer that reads it from a later section also sees that
        // this one has ended.
        slot.signals[0].store(signal, Release);
        slot.announce(&slot.depth, 1);
    } else {
        slot.depth.store(depth + 1, Relaxed);
        if slot.signals[0].load(Relaxed) != signal {
            nest(slot, signal);
        }
    }
    ReadGuard {
        slot,
        _not_send: PhantomData,
    }
}

/// A send nested in a send of another signal: from now until the section
/// ends, writers of that signal wait for it too.
#[cold]
#[inline(never)]
fn nest(slot: &Slot, signal: usize) {
    slot.depth
        .store(slot.depth.load(Relaxed) | NAMED_NESTED, Relaxed);
    for place in &slot.signals[1..] {
        match place.load(Relaxed) {
            named if named == signal || named == EVERY_SIGNAL => return,
            0 => return slot.announce(place, signal),
            _ => {}
        }
    }
    slot.announce(&slot.signals[NESTED - 1], EVERY_SIGNAL);
}

impl Drop for ReadGuard {
    #[inline]
    fn drop(&mut self) {
        let slot = self.slot;
        // Not necessarily the guard taken last: iterators of `send_iter`
        // may be dropped in any order. The section ends with the last one.
        let depth = slot.depth.load(Relaxed);
        if depth == 1 {
            slot.announce(&slot.depth, 0);
        } else if depth & !NAMED_NESTED != 1 {
            slot.depth.store(depth - 1, Relaxed);
            return;
        } else {
            slot.announce(&slot.depth, 0);
            forget_nested(slot);
        }
        let retirements = global().retirements.0.load_seq_cst();
        if retirements != slot.acknowledged.0.load(Relaxed) {
            acknowledge(slot, retirements);
        }
    }
}

/// Clears the nested signals of a section that has ended: releases, so
/// that a writer that reads a zero also sees the end of the section.
#[cold]
#[inline(never)]
fn forget_nested(slot: &Slot) {
    for place in &slot.signals[1..] {
        place.store(0, Release);
    }
}

/// A send that left after a retirement: says so to writers, and drops the
/// garbage that waited for it.
#[cold]
#[inline(never)]
fn acknowledge(slot: &Slot, retirements: u64) {
    slot.acknowledged.0.store(retirements, Release);
    if global().waiting.load(Acquire) > 0 {
        collect(slot);
    }
}

/// Drops the garbage that waited for `own`'s section, just ended, and
/// that no other open section can read any more: one item at a time, so
/// that nothing is allocated and no destructor runs under the lock.
///
/// Only a thread the garbage waited for drops it, so that it is dropped
/// before the last of their sends returns, not by a bystander later.
fn collect(own: &Slot) {
    let global = global();
    loop {
        let mut pending = global.pending();
        let ready = pending.waiting.iter().position(|waiting| {
            waiting.sections.as_ref().is_some_and(|sections| {
                sections.iter().any(|slot| ptr::eq(*slot, own))
                    && sections
                        .iter()
                        .all(|slot| slot.has_left(waiting.retirement))
            })
        });
        let Some(ready) = ready else { return };
        let waiting = pending.waiting.swap_remove(ready);
        global.waiting.fetch_sub(1, Release);
        drop(pending);
        drop(waiting.garbage);
    }
}

/// Claims a free slot for this thread, or adds one to the registry.
#[cold]
#[inline(never)]
fn register() -> &'static Slot {
    let global = global();
    let mut current = global.slots.load(Acquire);
    // SAFETY: the registry only holds leaked slots, never freed.
    while let Some(slot) = unsafe { current.as_ref() } {
        if slot
            .in_use
            .compare_exchange(false, true, AcqRel, Relaxed)
            .is_ok()
        {
            return adopt(slot);
        }
        current = slot.next.load(Relaxed);
    }
    let slot: &'static Slot = Box::leak(Box::new(Slot {
        depth: AtomicUsize::new(0),
        signals: core::array::from_fn(|_| AtomicUsize::new(0)),
        light: barrier::is_light(),
        acknowledged: Line(AtomicU64::new(0)),
        in_use: AtomicBool::new(true),
        next: AtomicPtr::new(ptr::null_mut()),
    }));
    let mut head = global.slots.load(Relaxed);
    loop {
        slot.next.store(head, Relaxed);
        match global.slots.compare_exchange_weak(
            head,
            ptr::from_ref(slot).cast_mut(),
            AcqRel,
            Relaxed,
        ) {
            Ok(_) => return adopt(slot),
            Err(actual) => head = actual,
        }
    }
}

/// Makes `slot` this thread's.
fn adopt(slot: &'static Slot) -> &'static Slot {
    let global = global();
    // A writer that swapped a snapshot and then saw no other thread skips
    // the barrier: this thread's sends must see that swap. The fence orders
    // the claim (the slot's `in_use`, published by a read-modify-write)
    // before every later load; the writers' half of the argument is their
    // sequentially consistent swap, then their scan.
    crate::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
    // Every retirement counted so far is one this thread cannot hold back.
    let retirements = global.retirements.0.load(Acquire);
    slot.acknowledged.0.store(retirements, Release);
    LOCAL.with(|local| local.set(slot));
    // During thread teardown `OWNER` may be gone: the slot then stays in
    // use forever, which costs writers one more slot to look at.
    let _ = OWNER.try_with(|owner| owner.0.set(Some(slot)));
    slot
}

/// Whether sends on this platform announce themselves with plain stores,
/// relying on a process-wide barrier (see the module's documentation).
#[must_use]
pub fn light_reads() -> bool {
    barrier::is_light()
}

/// Whether garbage may run user code when dropped (a receiver's closure):
/// it is dropped as soon as possible. Other garbage (a snapshot) may wait
/// for a batch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Garbage {
    Closures,
    Memory,
}

/// Drops `garbage`, unlinked from the signal whose list is at `signal` with
/// a sequentially consistent store, once no send that may still read it is
/// running: before returning, if none is. Call it without holding a lock
/// that a destructor could take.
pub(crate) fn retire<G: Send + 'static>(signal: usize, kind: Garbage, garbage: G) {
    let own = own_slot();
    let garbage: Box<dyn Send> = Box::new(garbage);
    if !others_registered(own) {
        // Only this thread can be reading, and it sees its own slot.
        match own.filter(|slot| slot.may_read(Some(signal))) {
            Some(slot) => wait_for_own(slot, vec![garbage]),
            None => drop(garbage),
        }
        // A batch left from when other threads were sending: nothing can
        // read it unless this thread is inside a send.
        if own.is_none_or(|slot| !slot.may_read(None)) {
            drop(core::mem::take(&mut global().pending().batch));
        }
        return;
    }
    let mut parts: Vec<Part> = Vec::with_capacity(2);
    if barrier::is_light() {
        let mut pending = global().pending();
        if kind == Garbage::Memory {
            pending.batch.push(garbage);
            if pending.batch.len() < BATCH {
                return;
            }
        } else {
            parts.push((vec![garbage], Some(signal)));
        }
        if !pending.batch.is_empty() {
            parts.push((core::mem::take(&mut pending.batch), None));
        }
    } else {
        parts.push((vec![garbage], Some(signal)));
    }
    make_sure(own, parts);
}

/// Garbage, with the signal it was unlinked from, or `None` for a batch of
/// several signals' snapshots, which waits for a send of any signal.
type Part = (Vec<Box<dyn Send>>, Option<usize>);

/// Drops each part once no send of its signal can read it.
fn make_sure(own: Option<&'static Slot>, parts: Vec<Part>) {
    let global = global();
    let light = barrier::is_light();
    let retirement = global.retirements.0.fetch_add(1, AcqRel) + 1;
    if light && acknowledged_by_others(own, retirement) {
        for (garbage, signal) in parts {
            match own.filter(|slot| slot.may_read(signal)) {
                Some(slot) => wait_for_own(slot, garbage),
                None => drop(garbage),
            }
        }
        return;
    }
    let ids: Vec<(u64, Option<usize>)> = parts
        .into_iter()
        .map(|(garbage, signal)| (list_as_waiting(garbage), signal))
        .collect();
    let retirement = global.retirements.0.fetch_add(1, AcqRel) + 1;
    if light && !barrier::run() {
        // The kernel refused a barrier it had accepted to register: without
        // it nothing is known of the other threads, so the garbage can never
        // be proven unreachable. It stays listed, and is never dropped.
        return;
    }
    for (id, signal) in ids {
        // Under the lock: a send that collected before this scan is seen to
        // have left; one that collects after it finds the sections.
        let mut pending = global.pending();
        let sections = open_sections(signal, retirement);
        let Some(index) = pending.waiting.iter().position(|waiting| waiting.id == id) else {
            continue;
        };
        if sections.is_empty() {
            let waiting = pending.waiting.swap_remove(index);
            global.waiting.fetch_sub(1, Release);
            drop(pending);
            drop(waiting.garbage);
        } else {
            let waiting = &mut pending.waiting[index];
            waiting.retirement = retirement;
            waiting.sections = Some(sections);
        }
    }
}

/// Whether a thread other than this one has a slot.
fn others_registered(own: Option<&Slot>) -> bool {
    let mut current = global().slots.load_seq_cst();
    // SAFETY: the registry only holds leaked slots, never freed.
    while let Some(slot) = unsafe { current.as_ref() } {
        if own.is_none_or(|own| !ptr::eq(own, slot)) && slot.in_use.load_seq_cst() {
            return true;
        }
        current = slot.next.load(Relaxed);
    }
    false
}

/// Waits, briefly, for every other thread to acknowledge `retirement`.
fn acknowledged_by_others(own: Option<&Slot>, retirement: u64) -> bool {
    let started = Instant::now();
    loop {
        let mut all = true;
        let mut current = global().slots.load(Acquire);
        // SAFETY: the registry only holds leaked slots, never freed.
        while let Some(slot) = unsafe { current.as_ref() } {
            let other = own.is_none_or(|own| !ptr::eq(own, slot));
            if other && slot.in_use.load(Acquire) && slot.acknowledged.0.load(Acquire) < retirement
            {
                all = false;
                break;
            }
            current = slot.next.load(Relaxed);
        }
        if all {
            return true;
        }
        if started.elapsed() >= ACKNOWLEDGE_WITHIN {
            return false;
        }
        core::hint::spin_loop();
    }
}

/// Lists `garbage` as waiting, before the slots are scanned; returns its id.
fn list_as_waiting(garbage: Vec<Box<dyn Send>>) -> u64 {
    let global = global();
    global.list(&mut global.pending(), garbage, 0, None)
}

/// Lists garbage that waits for this thread's open section, which this
/// thread's outermost send ends: it sees the retirement count change, and
/// collects.
fn wait_for_own(own: &'static Slot, garbage: Vec<Box<dyn Send>>) {
    let global = global();
    let mut pending = global.pending();
    let retirement = global.retirements.0.fetch_add(1, AcqRel) + 1;
    global.list(&mut pending, garbage, retirement, Some(vec![own]));
}

impl Global {
    fn pending(&self) -> impl core::ops::DerefMut<Target = Pending> + '_ {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a waiting entry to `pending`, which is `self.pending` locked;
    /// returns its id.
    fn list(
        &self,
        pending: &mut Pending,
        garbage: Vec<Box<dyn Send>>,
        retirement: u64,
        sections: Option<Vec<&'static Slot>>,
    ) -> u64 {
        let id = pending.next_id;
        pending.next_id += 1;
        pending.waiting.push(Waiting {
            id,
            garbage,
            retirement,
            sections,
        });
        self.waiting.fetch_add(1, AcqRel);
        id
    }
}

/// The slots inside a send now that may read `signal` (any signal for
/// `None`) and did not acknowledge `retirement`.
fn open_sections(signal: Option<usize>, retirement: u64) -> Vec<&'static Slot> {
    let mut open = Vec::new();
    let mut current = global().slots.load(Acquire);
    // SAFETY: the registry only holds leaked slots, never freed.
    while let Some(slot) = unsafe { current.as_ref() } {
        if slot.depth.load_seq_cst() != 0
            && slot.acknowledged.0.load(Acquire) < retirement
            && slot.may_read(signal)
        {
            open.push(slot);
        }
        current = slot.next.load(Relaxed);
    }
    open
}

/// The process-wide barrier of the light strategy.
#[cfg(all(target_os = "linux", not(miri), not(loom)))]
mod barrier {
    use core::sync::atomic::AtomicBool;
    use core::sync::atomic::Ordering::Relaxed;

    const MEMBARRIER_CMD_QUERY: libc::c_int = 0;
    const MEMBARRIER_CMD_PRIVATE_EXPEDITED: libc::c_int = 1 << 3;
    const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_int = 1 << 4;

    static LIGHT: AtomicBool = AtomicBool::new(false);

    /// Registers for the barrier before `main`, while the process has one
    /// thread: registering later, with threads running, takes the kernel
    /// tens of milliseconds.
    #[used]
    #[unsafe(link_section = ".init_array")]
    static REGISTER: extern "C" fn() = register;

    extern "C" fn register() {
        let supported = membarrier(MEMBARRIER_CMD_QUERY);
        let wanted = libc::c_long::from(
            MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
        );
        if supported >= 0
            && supported & wanted == wanted
            && membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0
        {
            LIGHT.store(true, Relaxed);
        }
    }

    fn membarrier(command: libc::c_int) -> libc::c_long {
        // SAFETY: `membarrier(2)` takes a command, flags and a CPU id, and
        // touches no memory of ours.
        unsafe { libc::syscall(libc::SYS_membarrier, command, 0, 0) }
    }

    /// Whether sends announce with plain stores: set before `main`, never
    /// changed afterwards.
    pub(super) fn is_light() -> bool {
        LIGHT.load(Relaxed)
    }

    /// A full memory barrier on every running thread of the process.
    pub(super) fn run() -> bool {
        membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0
    }
}

/// No process-wide barrier here: sends announce with sequentially
/// consistent stores.
#[cfg(not(all(target_os = "linux", not(miri), not(loom))))]
mod barrier {
    pub(super) fn is_light() -> bool {
        false
    }

    pub(super) fn run() -> bool {
        true
    }
}
