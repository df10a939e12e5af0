//! Safe reclamation for the runtime receiver lists: per-thread reader
//! slots.
//!
//! A send announces itself by making its thread's slot odd, with the
//! signal it reads beside it (two stores), and even again when it leaves;
//! it never writes anything another thread writes, and never waits. A
//! writer that unlinked something from a signal (an old snapshot, a
//! disconnected receiver) hands it to [`retire`], which looks at every slot
//! once:
//!
//! - no slot is inside a send of that signal: nothing can still read the
//!   garbage, which is dropped before `retire` returns;
//! - otherwise the garbage waits for exactly those sends (each slot's odd
//!   value), and the last of them to leave drops it.
//!
//! So a disconnected closure is dropped at once, or as soon as the sends of
//! its signal that may still be running it have finished: never later.
//! Sends of other signals do not hold it back, unless they nest a send of
//! its signal. A section names up to four signals; one that nests sends of
//! more counts as reading every signal until it ends.
//!
//! # Why it is correct
//!
//! A send stores its slot's odd value and then loads the snapshot pointer; a
//! writer swaps the snapshot pointer and then loads every slot. All four are
//! sequentially consistent (under loom: relaxed accesses with a `SeqCst`
//! fence between each pair, which loom models), so in their single total
//! order either the writer's load sees the send's odd value (and waits for
//! it), or the send's load comes after the swap and sees the new snapshot,
//! which does not hold the garbage. A slot's value only ever grows, so "the
//! slot no longer holds the odd value `v`" means that section is over; every
//! store of it is a release and every check an acquire, so everything the
//! section read happens before the drop.
//!
//! The signal beside the value is stored (release) before the odd value, so
//! a writer that sees the odd value sees the section's signal too, or a
//! later one; it then loads the value again, and a section whose value
//! changed meanwhile is over. A nested send of another signal adds that
//! signal with a sequentially consistent store before its snapshot load:
//! the same argument as for the odd value. The names are cleared with
//! release stores after the section ends, so a writer that reads a cleared
//! name also sees the end.
//!
//! A waiting writer sets the slot's `wanted` flag and then looks at the slot
//! again; a leaving send stores its even value and then reads `wanted`. The
//! same store-then-load pattern on both sides means at least one of them
//! sees the other: either the send collects the garbage as it leaves, or the
//! writer sees that the send is over and drops the garbage itself.
//!
//! Nested sends on one thread share one section: only the outermost send
//! stores. A receiver that disconnects itself mid-send therefore finds its
//! own slot odd, and its closure is dropped when the outermost send leaves.

use core::cell::Cell;
use core::marker::PhantomData;
use core::ptr;
use std::sync::PoisonError;

use crate::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use crate::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize};
use crate::sync::{Mutex, SeqCst};

/// One thread's announcement: odd while it is inside a send.
///
/// Slots are leaked, never freed, and reused by later threads: a writer may
/// hold a reference to any slot at any time.
#[repr(align(128))] // its own cache lines: only its owner writes `value`
struct Slot {
    /// Odd while the owner is inside a send; written by the owner only, and
    /// only ever incremented, so that a value names one section.
    value: AtomicU64,
    /// The signals the open section reads (the addresses of their lists):
    /// the outermost send's first, then those of nested sends of other
    /// signals, zero where unused; [`EVERY_SIGNAL`] in the last place once
    /// there are more. Written by the owner only: a release store of the
    /// first before the section's odd value, sequentially consistent stores
    /// of the others within the section, release stores of zero after it.
    signals: [AtomicUsize; NESTED],
    /// Set by a writer whose garbage waits for the current section.
    wanted: AtomicBool,
    /// Owned by a live thread.
    in_use: AtomicBool,
    /// The next slot of the registry; set before the slot is published.
    next: AtomicPtr<Slot>,
}

/// What a section that read more signals than its slot can name reads, as
/// far as writers are concerned: no list is aligned to `usize::MAX`.
const EVERY_SIGNAL: usize = usize::MAX;

/// How many signals a section names before it counts as reading every one.
const NESTED: usize = 4;

/// The process-wide state: every slot, and the garbage that waits.
struct Global {
    /// The registry: a list that only ever grows, pushed lock-free.
    slots: AtomicPtr<Slot>,
    /// Garbage waiting for sections to end.
    pending: Mutex<Vec<Waiting>>,
}

/// Garbage, and the sections it waits for: each slot, and the odd value it
/// held.
struct Waiting {
    garbage: Box<dyn Send>,
    sections: Vec<(&'static Slot, u64)>,
}

#[cfg(not(loom))]
static GLOBAL: Global = Global {
    slots: AtomicPtr::new(ptr::null_mut()),
    pending: Mutex::new(Vec::new()),
};

#[cfg(not(loom))]
fn global() -> &'static Global {
    &GLOBAL
}

#[cfg(loom)]
fn global() -> &'static Global {
    loom::lazy_static! {
        static ref GLOBAL: Global = Global {
            slots: AtomicPtr::new(ptr::null_mut()),
            pending: Mutex::new(Vec::new()),
        };
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
        // forever rather than let another thread reuse an odd slot.
        if slot.value.load(Relaxed) % 2 == 0 {
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

/// Proof that this thread is inside a send: everything unlinked after the
/// guard was taken stays allocated until it is dropped.
///
/// Not `Send`: the section belongs to the thread's slot.
pub(crate) struct ReadGuard {
    slot: &'static Slot,
    /// Whether this guard opened the section (the outermost send).
    outermost: bool,
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
    let value = slot.value.load(Relaxed); // only this thread writes it
    let outermost = value % 2 == 0;
    if outermost {
        // Published by the odd value, which writers load first; a release,
        // so that a writer that reads it from a later section also sees
        // that this one has ended.
        slot.signals[0].store(signal, Release);
        // Ordered before the snapshot load that follows (see the module's
        // proof).
        slot.value.store_seq_cst(value + 1);
    } else if slot.signals[0].load(Relaxed) != signal {
        nest(slot, signal);
    }
    ReadGuard {
        slot,
        outermost,
        _not_send: PhantomData,
    }
}

/// A send nested in a send of another signal: from now until the section
/// ends, writers of that signal wait for it too. Ordered before the nested
/// send's snapshot load, as the odd value is for the outermost one.
#[cold]
#[inline(never)]
fn nest(slot: &Slot, signal: usize) {
    for place in &slot.signals[1..] {
        match place.load(Relaxed) {
            named if named == signal || named == EVERY_SIGNAL => return,
            0 => {
                place.store_seq_cst(signal);
                return;
            }
            _ => {}
        }
    }
    slot.signals[NESTED - 1].store_seq_cst(EVERY_SIGNAL);
}

impl Drop for ReadGuard {
    #[inline]
    fn drop(&mut self) {
        if !self.outermost {
            return;
        }
        let value = self.slot.value.load(Relaxed);
        self.slot.value.store_seq_cst(value + 1);
        if self.slot.signals[1].load(Relaxed) != 0 {
            forget_nested(self.slot);
        }
        if self.slot.wanted.load_seq_cst() {
            collect(self.slot);
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
            .compare_exchange(false, true, Acquire, Relaxed)
            .is_ok()
        {
            return adopt(slot);
        }
        current = slot.next.load(Relaxed);
    }
    let slot: &'static Slot = Box::leak(Box::new(Slot {
        value: AtomicU64::new(0),
        signals: core::array::from_fn(|_| AtomicUsize::new(0)),
        wanted: AtomicBool::new(false),
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
    LOCAL.with(|local| local.set(slot));
    // During thread teardown `OWNER` may be gone: the slot then stays in
    // use forever, which costs writers one more slot to look at.
    let _ = OWNER.try_with(|owner| owner.0.set(Some(slot)));
    slot
}

/// Drops `garbage`, unlinked from the signal whose list is at `signal`,
/// once no send that may still read it is running: now, if none is. Call it
/// after unlinking `garbage` with a sequentially consistent store, and
/// without holding a lock a destructor could take.
pub(crate) fn retire<G: Send + 'static>(signal: usize, garbage: G) {
    let Some(sections) = open_sections(signal) else {
        drop(garbage);
        return;
    };
    let global = global();
    let mut pending = global
        .pending
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    // Ask each section to collect as it leaves, then look again: a section
    // that ended meanwhile either saw the request or is seen to be over.
    for (slot, _) in &sections {
        slot.wanted.store_seq_cst(true);
    }
    let sections: Vec<(&'static Slot, u64)> = sections
        .into_iter()
        .filter(|(slot, value)| slot.value.load_seq_cst() == *value)
        .collect();
    if sections.is_empty() {
        drop(pending);
        drop(garbage);
        return;
    }
    pending.push(Waiting {
        garbage: Box::new(garbage),
        sections,
    });
}

/// The sections open right now that may read `signal`, or `None`.
fn open_sections(signal: usize) -> Option<Vec<(&'static Slot, u64)>> {
    let mut open = Vec::new();
    let mut current = global().slots.load(Acquire);
    // SAFETY: the registry only holds leaked slots, never freed.
    while let Some(slot) = unsafe { current.as_ref() } {
        let value = slot.value.load_seq_cst();
        if value % 2 == 1 {
            let reads = slot.signals.iter().any(|place| {
                let named = place.load_seq_cst();
                named == signal || named == EVERY_SIGNAL
            });
            // Each name was read while the section was still open, or the
            // section is over: nothing to wait for then.
            if reads && slot.value.load_seq_cst() == value {
                open.push((slot, value));
            }
        }
        current = slot.next.load(Relaxed);
    }
    (!open.is_empty()).then_some(open)
}

/// Drops the garbage that no open section can read any more, one item at a
/// time so that nothing is allocated and no destructor runs under the lock.
#[cold]
#[inline(never)]
fn collect(own: &Slot) {
    own.wanted.store(false, Relaxed);
    let global = global();
    loop {
        let mut pending = global
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let ready = pending.iter().position(|waiting| {
            waiting
                .sections
                .iter()
                .all(|(slot, value)| slot.value.load(Acquire) != *value)
        });
        let Some(ready) = ready else { return };
        let waiting = pending.swap_remove(ready);
        drop(pending);
        drop(waiting.garbage);
    }
}
