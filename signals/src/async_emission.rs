//! The receivers of one async send, merged in call order like a sync
//! send's, from tables it may hold across `.await`s: the static tables, and
//! the runtime receivers it holds (see [`Held`]).

use core::iter::Peekable;
use core::sync::atomic::Ordering::Relaxed;
use core::sync::atomic::{AtomicBool, AtomicU64};

use crate::ReceiverInfo;
use crate::dispatch::StaticSlots;
use crate::list::{Held, Shared, Target};
use crate::signature::Signature;

/// Which receiver a call went to: a static one by its index in the
/// signal's descriptions, a runtime one by its place in [`Held`].
#[derive(Clone, Copy)]
pub(crate) enum Receiver {
    Static(u32),
    Runtime(usize),
}

pub(crate) struct AsyncEmission<'a, S: Signature, O: ?Sized + 'static> {
    way: Way<'a, S, O>,
    infos: &'a [ReceiverInfo],
    /// The runtime receivers, if the signal has any.
    held: Held<S>,
}

enum Way<'a, S: Signature, O: ?Sized + 'static> {
    /// Static receivers alone, all enabled, none counted: the common way,
    /// a walk over the table.
    Statics(StaticSlots<'a, S, O>),
    Merged(Merged<'a, S, O>),
}

/// Static and runtime receivers merged by priority, or static receivers
/// some of which may be disabled or are counted.
struct Merged<'a, S: Signature, O: ?Sized + 'static> {
    statics: Peekable<StaticSlots<'a, S, O>>,
    enabled: &'a [AtomicBool],
    /// The call counters of the static receivers, while the signal counts.
    calls: Option<&'a [AtomicU64]>,
    next_runtime: usize,
}

impl<'a, S: Signature, O: ?Sized + 'static> AsyncEmission<'a, S, O> {
    pub(crate) fn new(statics: StaticSlots<'a, S, O>, shared: Option<&Shared>) -> Self {
        let statics = statics.with_optional();
        let infos = statics.infos();
        let mut held = Held::none();
        let way = match shared {
            // Muted: no receiver at all, static ones included.
            Some(shared) if shared.is_muted() => Way::Statics(StaticSlots::empty()),
            Some(shared) if !shared.is_plain() || shared.is_active() => {
                let counting = shared.is_counting();
                if counting {
                    shared.count_send();
                }
                if shared.len() > 0 {
                    held = shared.hold();
                }
                Way::Merged(Merged {
                    enabled: statics.enabled(),
                    calls: counting.then(|| statics.calls()),
                    statics: statics.peekable(),
                    next_runtime: 0,
                })
            }
            _ => Way::Statics(statics),
        };
        Self { way, infos, held }
    }

    /// At least as many receivers as this emission will call.
    pub(crate) fn upper_bound(&self) -> usize {
        let statics = match &self.way {
            Way::Statics(statics) => statics.size_hint().0,
            Way::Merged(merged) => merged.statics.size_hint().0,
        };
        statics + self.held.len()
    }

    /// The next receiver to call, and which one it is.
    #[inline]
    pub(crate) fn next_target(&mut self) -> Option<(Target<'_, S, O>, Receiver)> {
        match &mut self.way {
            Way::Statics(statics) => {
                let (slot, index) = statics.next_indexed()?;
                #[cfg(feature = "tracing")]
                if let Some(info) = self.infos.get(index as usize) {
                    crate::trace::call(info);
                }
                Some((Target::from_slot(slot), Receiver::Static(index)))
            }
            Way::Merged(merged) => merged.next_target(&self.held, self.infos),
        }
    }

    /// The description of `receiver`, which this emission called.
    pub(crate) fn describe(&self, receiver: Receiver) -> &ReceiverInfo {
        match receiver {
            Receiver::Static(index) => &self.infos[index as usize],
            Receiver::Runtime(position) => self.held.at(position).info(),
        }
    }
}

impl<S: Signature, O: ?Sized + 'static> Merged<'_, S, O> {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    fn next_target<'h>(
        &mut self,
        held: &'h Held<S>,
        infos: &[ReceiverInfo],
    ) -> Option<(Target<'h, S, O>, Receiver)> {
        loop {
            let runtime = held.get(self.next_runtime);
            let static_first = match (self.statics.peek(), runtime) {
                (None, None) => return None,
                (Some((priority, _, _)), Some(entry)) => *priority >= entry.priority(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
            };
            if static_first {
                let (_, slot, index) = self.statics.next()?;
                let enabled = self
                    .enabled
                    .get(index as usize)
                    .is_none_or(|enabled| enabled.load(Relaxed));
                if !enabled {
                    continue;
                }
                if let Some(calls) = self.calls.and_then(|calls| calls.get(index as usize)) {
                    calls.fetch_add(1, Relaxed);
                }
                #[cfg(feature = "tracing")]
                if let Some(info) = infos.get(index as usize) {
                    crate::trace::call(info);
                }
                return Some((Target::from_slot(slot), Receiver::Static(index)));
            }
            let position = self.next_runtime;
            self.next_runtime += 1;
            let Some(entry) = held.get(position) else {
                continue;
            };
            if let Some(target) = entry.target::<O>() {
                if self.calls.is_some() {
                    entry.count_call();
                }
                #[cfg(feature = "tracing")]
                crate::trace::call(entry.info());
                return Some((target, Receiver::Runtime(position)));
            }
        }
    }
}
