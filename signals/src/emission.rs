//! One send: the static receivers and the runtime snapshot, merged in call
//! order, either as a loop (`send`) or as a cursor (`send_iter`).

use core::iter::Peekable;
use core::sync::atomic::Ordering::Relaxed;

use crate::ReceiverInfo;
use crate::dispatch::{Slot, StaticSlots};
use crate::list::{Item, Pinned, Shared, Target};
use crate::signature::Signature;

impl<S: Signature, O: ?Sized + 'static> Target<'_, S, O> {
    #[inline]
    pub(crate) fn from_slot(slot: Slot<S, O>) -> Self {
        match slot {
            Slot::Receiver(function) => Self::Static(function),
            Slot::SenderReceiver(function) => Self::StaticSender(function),
            Slot::AnySenderReceiver(function) => Self::StaticAnySender(function),
            Slot::Optional(function) => Self::StaticOptional(function),
            Slot::Async(function) => Self::StaticAsync(function),
        }
    }
}

/// Calls every static receiver in `statics`, none of them merged.
#[inline]
pub(crate) fn emit_static<S: Signature, O: ?Sized + 'static>(
    statics: StaticSlots<'_, S, O>,
    mut call: impl FnMut(Target<'_, S, O>),
) {
    #[cfg(feature = "tracing")]
    {
        let infos = statics.infos();
        for (_, slot, receiver) in statics {
            if let Some(info) = infos.get(receiver as usize) {
                crate::trace::call(info);
            }
            call(Target::from_slot(slot));
        }
    }
    #[cfg(not(feature = "tracing"))]
    match statics {
        // The loop of every plain `send`: over function pointers alone,
        // whatever the other kinds of table.
        StaticSlots::Unfiltered { functions, .. } => {
            for function in functions {
                call(Target::Static(*function));
            }
        }
        mut statics => {
            while let Some(slot) = statics.next_slot() {
                call(Target::from_slot(slot));
            }
        }
    }
}

/// Calls the receivers in `statics` and the runtime ones of `shared`,
/// merged in call order; `shared` is not muted. With `counting`, counts each
/// call: one body for both ways, so that counting costs each signal no more
/// code; the plain way passes `false`, and the inliner drops the counting.
///
/// The merge of [`Emission::next_target`], written as a loop: `send` is
/// the hot path, and a loop compiles to fewer instructions per receiver
/// than the cursor.
// Inlined into both ways, so that the plain one, with `counting` a
// constant `false`, keeps no trace of counting.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(crate) fn emit_merged<S: Signature, O: ?Sized + 'static>(
    shared: &Shared,
    statics: StaticSlots<'_, S, O>,
    mut call: impl FnMut(Target<'_, S, O>),
    counting: bool,
    filtering: bool,
) {
    let pinned = shared.pin::<S>();
    let items = pinned.items();
    let calls = statics.calls();
    let enabled = statics.enabled();
    // Whether a static receiver is called: not if it was disabled.
    let admitted = |receiver: u32| {
        !filtering
            || enabled
                .get(receiver as usize)
                .is_none_or(|enabled| enabled.load(Relaxed))
    };
    #[cfg(feature = "tracing")]
    let infos = statics.infos();
    let count_static = |receiver: u32| {
        if counting {
            if let Some(calls) = calls.get(receiver as usize) {
                calls.fetch_add(1, Relaxed);
            }
        }
        #[cfg(feature = "tracing")]
        if let Some(info) = infos.get(receiver as usize) {
            crate::trace::call(info);
        }
    };
    let mut statics = statics.peekable();
    if statics.peek().is_none() {
        // Runtime receivers only: signal types, runtime-only signals.
        for item in items {
            pinned.call_item::<O>(item, counting, &mut call);
        }
        return;
    }
    for item in items {
        // Static receivers of a higher or equal priority first.
        while let Some((_, slot, receiver)) =
            statics.next_if(|(priority, _, _)| *priority >= item.priority())
        {
            if admitted(receiver) {
                count_static(receiver);
                call(Target::from_slot(slot));
            }
        }
        pinned.call_item::<O>(item, counting, &mut call);
    }
    for (_, slot, receiver) in statics {
        if admitted(receiver) {
            count_static(receiver);
            call(Target::from_slot(slot));
        }
    }
}

/// A send of a signal that is muted (it calls nobody), counts, or has
/// static receivers the plain loop cannot call. Out of
/// line, and given the table's recipe rather than the table: a send that
/// neither mutes nor counts carries none of it.
#[cold]
#[inline(never)]
pub(crate) fn emit_muted_or_counted<'s, S: Signature, O: ?Sized + 'static>(
    shared: &Shared,
    statics: impl FnOnce() -> StaticSlots<'s, S, O>,
    call: impl FnMut(Target<'_, S, O>),
) {
    if shared.is_muted() {
        return;
    }
    // Each way with its own constant, so that the inliner keeps only what
    // it does.
    if shared.is_counting() {
        shared.count_send();
        emit_merged(shared, statics().with_optional(), call, true, true);
    } else {
        emit_merged(shared, statics().with_optional(), call, false, true);
    }
}

/// The receivers of one send, merged from the static table and the runtime
/// snapshot in call order. A cursor rather than an iterator: each target
/// borrows the emission, whose reader section keeps the snapshot alive.
#[doc(hidden)]
pub struct Emission<'a, S: Signature, O: ?Sized + 'static> {
    cursor: Cursor<'a, S, O>,
    /// The signal's runtime list, if it has one: where its error hook is.
    shared: Option<&'a Shared>,
}

enum Cursor<'a, S: Signature, O: ?Sized + 'static> {
    /// No runtime receiver: the static ones alone, priorities unread.
    Statics(StaticSlots<'a, S, O>),
    /// Both, merged by priority.
    Merged {
        statics: Peekable<StaticSlots<'a, S, O>>,
        pinned: Pinned<'a, S>,
        next_runtime: usize,
        /// Whether each static receiver is enabled, when some may not be:
        /// `statics` hides it.
        enabled: Option<&'a [core::sync::atomic::AtomicBool]>,
        /// The static receivers' descriptions, which `statics` hides.
        infos: &'a [ReceiverInfo],
    },
    /// Both, merged by priority, each call counted.
    Counted {
        statics: StaticSlots<'a, S, O>,
        pinned: Pinned<'a, S>,
        next_runtime: usize,
    },
}

/// What [`Call::receiver`] is when the description was not asked for: a
/// send that does not report failures never reads it.
static UNDESCRIBED: ReceiverInfo = ReceiverInfo::new("", "", "", None, 0, "", 0);

/// One receiver to call, as a send that reports failures sees it.
pub(crate) struct Call<'e, S: Signature, O: ?Sized + 'static> {
    pub(crate) target: Target<'e, S, O>,
    /// The receiver's description; [`UNDESCRIBED`] unless it was asked
    /// for.
    pub(crate) receiver: &'e ReceiverInfo,
    /// How many times to call it: its `repeat`, for a runtime receiver of
    /// a signal that returns nothing (a static one repeats itself).
    pub(crate) times: u32,
}

impl<'a, S: Signature, O: ?Sized + 'static> Emission<'a, S, O> {
    pub(crate) fn new(statics: StaticSlots<'a, S, O>, shared: Option<&'a Shared>) -> Self {
        let statics = statics.with_optional();
        let cursor = match shared {
            // Muted: no receiver at all, static ones included.
            Some(shared) if shared.is_muted() => Cursor::Statics(StaticSlots::empty()),
            Some(shared) if shared.is_counting() => {
                shared.count_send();
                Cursor::Counted {
                    statics,
                    pinned: shared.pin::<S>(),
                    next_runtime: 0,
                }
            }
            Some(shared) if shared.is_active() => Cursor::Merged {
                infos: statics.infos(),
                enabled: (!shared.is_plain()).then(|| statics.enabled()),
                statics: statics.peekable(),
                pinned: shared.pin::<S>(),
                next_runtime: 0,
            },
            _ => Cursor::Statics(statics),
        };
        Self { cursor, shared }
    }

    /// The signal's runtime list, if it has one.
    pub(crate) fn shared(&self) -> Option<&'a Shared> {
        self.shared
    }

    /// The next receiver to call, if any.
    #[inline]
    pub fn next_target(&mut self) -> Option<Target<'_, S, O>> {
        self.next_call::<false>().map(|call| call.target)
    }

    /// The next receiver to call, with its description and its `repeat`.
    pub(crate) fn next_described(&mut self) -> Option<Call<'_, S, O>> {
        self.next_call::<true>()
    }

    /// The next receiver to call; with `DESCRIBE`, or to trace it, with its
    /// description and its `repeat` (otherwise `UNDESCRIBED` and 1).
    #[inline]
    fn next_call<const DESCRIBE: bool>(&mut self) -> Option<Call<'_, S, O>> {
        let describe = DESCRIBE || cfg!(feature = "tracing");
        let (statics, pinned, next_runtime, infos, enabled) = match &mut self.cursor {
            Cursor::Statics(statics) if !describe => {
                return statics.next_slot().map(|slot| Call {
                    target: Target::from_slot(slot),
                    receiver: &UNDESCRIBED,
                    times: 1,
                });
            }
            Cursor::Statics(statics) => {
                let infos = statics.infos();
                let (_, slot, receiver) = statics.next()?;
                return Some(static_call(slot, describe_static(infos, receiver)));
            }
            Cursor::Merged {
                statics,
                pinned,
                next_runtime,
                infos,
                enabled,
            } => (statics, &*pinned, next_runtime, *infos, *enabled),
            Cursor::Counted {
                statics,
                pinned,
                next_runtime,
            } => return next_counted::<S, O, DESCRIBE>(statics, pinned, next_runtime),
        };
        let disabled = |receiver: u32| {
            enabled.is_some_and(|enabled| {
                enabled
                    .get(receiver as usize)
                    .is_some_and(|enabled| !enabled.load(Relaxed))
            })
        };
        let described = |receiver: u32| {
            if describe {
                describe_static(infos, receiver)
            } else {
                &UNDESCRIBED
            }
        };
        loop {
            let Some(item) = pinned.items().get(*next_runtime) else {
                // No runtime receiver left: the static ones.
                let (_, slot, receiver) = statics.next()?;
                if disabled(receiver) {
                    continue;
                }
                return Some(static_call(slot, described(receiver)));
            };
            // Equal priority: static receivers first.
            if let Some((_, slot, receiver)) =
                statics.next_if(|(priority, _, _)| *priority >= item.priority())
            {
                if disabled(receiver) {
                    continue;
                }
                return Some(static_call(slot, described(receiver)));
            }
            *next_runtime += 1;
            if let Some(target) = pinned.target::<O>(item) {
                return Some(runtime_call::<S, O, DESCRIBE>(item, target));
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

/// The description of the static receiver at `receiver`, traced when the
/// `tracing` feature is on. `Dispatch` describes every receiver its tables
/// index.
#[inline]
fn describe_static(infos: &[ReceiverInfo], receiver: u32) -> &ReceiverInfo {
    let info = &infos[receiver as usize];
    #[cfg(feature = "tracing")]
    crate::trace::call(info);
    info
}

#[inline]
fn static_call<S: Signature, O: ?Sized + 'static>(
    slot: Slot<S, O>,
    receiver: &ReceiverInfo,
) -> Call<'_, S, O> {
    Call {
        target: Target::from_slot(slot),
        receiver,
        times: 1,
    }
}

/// The call of the runtime receiver `item`, whose target is `target`.
#[inline]
fn runtime_call<'e, S: Signature, O: ?Sized + 'static, const DESCRIBE: bool>(
    item: &'e Item<S>,
    target: Target<'e, S, O>,
) -> Call<'e, S, O> {
    #[cfg(feature = "tracing")]
    crate::trace::call(item.entry().info());
    if !DESCRIBE {
        return Call {
            target,
            receiver: &UNDESCRIBED,
            times: 1,
        };
    }
    let entry = item.entry();
    Call {
        target,
        receiver: entry.info(),
        // A receiver with a `when` is repeated by the generated code.
        times: match target {
            Target::RuntimeWhen(..) => 1,
            _ => entry.repeat(),
        },
    }
}

/// The next receiver of a counted emission, its call counted.
fn next_counted<'p, 's: 'p, S: Signature, O: ?Sized + 'static, const DESCRIBE: bool>(
    statics: &mut StaticSlots<'s, S, O>,
    pinned: &'p Pinned<'_, S>,
    next_runtime: &mut usize,
) -> Option<Call<'p, S, O>> {
    let describe = DESCRIBE || cfg!(feature = "tracing");
    loop {
        let item = pinned.items().get(*next_runtime);
        let static_first = match (statics.peek_priority(), item) {
            (None, None) => return None,
            (Some(priority), Some(item)) => priority >= item.priority(),
            (Some(_), None) => true,
            (None, Some(_)) => false,
        };
        if static_first {
            let infos = statics.infos();
            let (_, slot, receiver, enabled) = statics.next_counted()?;
            if !enabled {
                continue;
            }
            let described = if describe {
                describe_static(infos, receiver)
            } else {
                &UNDESCRIBED
            };
            return Some(static_call(slot, described));
        }
        let item = item?;
        *next_runtime += 1;
        if let Some(target) = pinned.target::<O>(item) {
            item.entry().count_call();
            return Some(runtime_call::<S, O, DESCRIBE>(item, target));
        }
    }
}

/// The results of a send, computed as the iterator is advanced.
#[doc(hidden)]
pub struct Responses<'a, S: Signature, O: ?Sized + 'static, C> {
    pub(crate) emission: Emission<'a, S, O>,
    pub(crate) call: C,
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
