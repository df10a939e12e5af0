use core::any::{Any, TypeId};
use core::slice;
use core::sync::atomic::Ordering::Relaxed;
use core::sync::atomic::{AtomicBool, AtomicU64};

use crate::policy::PolicyState;
use crate::sender::AnySender;
use crate::signature::Signature;
use crate::static_receiver::{ReceiverFn, SenderFilter, StaticReceiver};
use crate::{ReceiverInfo, Signal};

/// The receivers of one signal, collected from the link-time registry once
/// and sorted: the tables `send` and `send_from` loop over.
#[doc(hidden)]
pub struct Dispatch<S: Signal> {
    unfiltered: Box<[S::Fn]>,
    /// With receivers of a policy that return a value, the table of a plain
    /// `send` that includes them; empty otherwise. Such a signal's sends
    /// take the way that reads it ([`Connections::set_static_options`]).
    with_optional: Box<[Ranked<PlainSlot<S>>]>,
    /// What a send reads beyond the function pointers: behind one pointer,
    /// so that the table a send carries stays three words.
    rest: Rest,
    /// With receivers of `sender = AnySender`: the receivers of a send from
    /// a sender no receiver filters on, which replaces `unfiltered` there.
    /// A plain `send` has no sender, so it calls none of them.
    any_sender: Option<PlainSlots<S>>,
    by_sender: Box<[SenderTable]>,
    /// The policy counters of each receiver in `rest.infos`, if it has one.
    policies: Box<[Option<&'static PolicyState>]>,
}

/// The parts of a signal's tables that a send reads only to merge runtime
/// receivers in, or to count.
#[doc(hidden)]
pub struct Rest {
    /// Every static receiver, in call order.
    infos: Vec<ReceiverInfo>,
    /// The priority of each receiver in `unfiltered`.
    unfiltered_priorities: Vec<i32>,
    /// The index in `receivers` of each receiver in `unfiltered`.
    unfiltered_receivers: Vec<u32>,
    /// The calls of each receiver in `receivers` while the signal counts.
    calls: Vec<AtomicU64>,
    /// Whether each receiver in `receivers` is enabled. A signal with a
    /// disabled receiver takes the way that reads this.
    enabled: Vec<AtomicBool>,
}

/// The tables of a signal type, or of a muted send: empty.
static NO_REST: Rest = Rest {
    enabled: Vec::new(),
    infos: Vec::new(),
    unfiltered_priorities: Vec::new(),
    unfiltered_receivers: Vec::new(),
    calls: Vec::new(),
};

/// A table entry: a receiver's slot, its priority, and its index in the
/// signal's receivers.
#[doc(hidden)]
pub struct Ranked<T> {
    priority: i32,
    receiver: u32,
    slot: T,
}

pub(crate) struct SenderTable {
    sender: TypeId,
    /// The `SenderSlots<S, W>` of this table's sender type `W`.
    slots: Box<dyn Any + Send + Sync>,
}

/// The table of the sender type `W` for the signal `S`, with each
/// receiver's priority.
type SenderSlots<S, W> = Box<[Ranked<Slot<S, W>>]>;

/// One entry of a sender's table.
#[doc(hidden)]
pub enum Slot<S: Signature, O: ?Sized + 'static> {
    /// A receiver that does not take the sender.
    Receiver(S::Fn),
    /// A receiver filtered on the sender type `O`, or on the type it points
    /// to, that takes it first.
    SenderReceiver(S::SenderFn<O>),
    /// A receiver of every sender, which takes it as an [`AnySender`].
    AnySenderReceiver(S::SenderFn<AnySender>),
    /// A receiver with a policy that returns a value.
    Optional(S::OptionFn),
    /// An `async fn` receiver of an async signal.
    Async(S::AsyncFn),
}

impl<S: Signature, O: ?Sized + 'static> Clone for Slot<S, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Signature, O: ?Sized + 'static> Copy for Slot<S, O> {}

/// The table of a send from a sender no receiver filters on, when some
/// receiver takes any sender, with each receiver's priority.
type PlainSlots<S> = Box<[Ranked<PlainSlot<S>>]>;

/// One entry of the table of a send from a sender no receiver filters on.
#[doc(hidden)]
pub enum PlainSlot<S: Signature> {
    Receiver(S::Fn),
    AnySenderReceiver(S::SenderFn<AnySender>),
    Optional(S::OptionFn),
    Async(S::AsyncFn),
}

impl<S: Signature> Clone for PlainSlot<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Signature> Copy for PlainSlot<S> {}

impl<S: Signature> PlainSlot<S> {
    #[inline]
    fn slot<O: ?Sized + 'static>(self) -> Slot<S, O> {
        match self {
            Self::Receiver(function) => Slot::Receiver(function),
            Self::AnySenderReceiver(function) => Slot::AnySenderReceiver(function),
            Self::Optional(function) => Slot::Optional(function),
            Self::Async(function) => Slot::Async(function),
        }
    }
}

impl<S: Signal> Dispatch<S> {
    /// Sorts the registered receivers into their call order and builds one
    /// table for `send` and one per sender type for `send_from`: the types
    /// receivers filter on, and the pointers to them that `send_from` sees
    /// through.
    ///
    /// Written with plain loops, and with the sorting done on the
    /// receivers' descriptions: this runs once per signal, and every
    /// closure or iterator adapter over `S` would be compiled once per
    /// signal.
    pub fn collect(registered: impl IntoIterator<Item = &'static StaticReceiver<S>>) -> Self {
        let mut sorted: Vec<&'static StaticReceiver<S>> = Vec::new();
        for receiver in registered {
            sorted.push(receiver);
        }
        let mut infos: Vec<&'static ReceiverInfo> = Vec::with_capacity(sorted.len());
        for receiver in &sorted {
            infos.push(&receiver.info);
        }
        let order = call_order(&infos);
        let registered = sorted;
        let mut sorted = Vec::with_capacity(order.len());
        for &index in &order {
            sorted.push(registered[index]);
        }

        let mut unfiltered = Vec::new();
        let mut unfiltered_priorities = Vec::new();
        let mut unfiltered_receivers = Vec::new();
        let mut plain: Vec<Ranked<PlainSlot<S>>> = Vec::new();
        let mut with_optional: Vec<Ranked<PlainSlot<S>>> = Vec::new();
        let mut any_sender = false;
        let mut optional = false;
        for (index, receiver) in (0_u32..).zip(&sorted) {
            let priority = receiver.info.priority();
            let ranked = |slot| Ranked {
                priority,
                receiver: index,
                slot,
            };
            match &receiver.function {
                ReceiverFn::Unfiltered(function) => {
                    unfiltered.push(*function);
                    unfiltered_priorities.push(priority);
                    unfiltered_receivers.push(index);
                    plain.push(ranked(PlainSlot::Receiver(*function)));
                    with_optional.push(ranked(PlainSlot::Receiver(*function)));
                }
                ReceiverFn::Optional(function) => {
                    if let Some(function) = function() {
                        optional = true;
                        plain.push(ranked(PlainSlot::Optional(function)));
                        with_optional.push(ranked(PlainSlot::Optional(function)));
                    }
                }
                // Only async sends call it, and they read `with_optional`.
                ReceiverFn::Async(function) => {
                    plain.push(ranked(PlainSlot::Async(*function)));
                    with_optional.push(ranked(PlainSlot::Async(*function)));
                }
                ReceiverFn::Filtered(filter) => {
                    if let Some(slot) = filter.any_sender_slot() {
                        any_sender = true;
                        plain.push(ranked(slot));
                    }
                }
            }
        }

        let mut by_sender: Vec<SenderTable> = Vec::new();
        let mut policies = Vec::with_capacity(sorted.len());
        for receiver in &sorted {
            if let ReceiverFn::Filtered(filter) = &receiver.function {
                (filter.build_tables)(&sorted, &mut by_sender);
            }
            policies.push(receiver.policy);
        }

        if optional {
            // The plain loop cannot skip a result: sends of this signal
            // take the way that reads `with_optional`.
            S::__connections().set_static_options();
        }
        Self {
            unfiltered: unfiltered.into_boxed_slice(),
            with_optional: with_optional.into_boxed_slice(),
            rest: Rest::new(&infos, &order, unfiltered_priorities, unfiltered_receivers),
            any_sender: if any_sender {
                Some(plain.into_boxed_slice())
            } else {
                None
            },
            by_sender: by_sender.into_boxed_slice(),
            policies: policies.into_boxed_slice(),
        }
    }

    /// The receivers of a plain `send`, in call order.
    #[inline]
    #[must_use]
    pub fn unfiltered<O: ?Sized + 'static>(&self) -> StaticSlots<'_, S, O> {
        StaticSlots::Unfiltered {
            functions: self.unfiltered.iter(),
            rest: &self.rest,
            with_optional: &self.with_optional,
        }
    }

    /// The receivers a send from a sender of type `O` calls, in call order.
    #[inline]
    #[must_use]
    pub fn slots_from<O: ?Sized + 'static>(&self, _sender: &O) -> StaticSlots<'_, S, O> {
        let sender = TypeId::of::<O>();
        let table = self
            .by_sender
            .iter()
            .find(|table| table.sender == sender)
            .and_then(|table| table.slots.downcast_ref::<SenderSlots<S, O>>());
        match (table, &self.any_sender) {
            (Some(slots), _) => StaticSlots::Filtered {
                slots: slots.iter(),
                rest: &self.rest,
            },
            (None, Some(slots)) => StaticSlots::Plain {
                slots: slots.iter(),
                rest: &self.rest,
            },
            (None, None) => self.unfiltered(),
        }
    }

    /// Every static receiver, in call order, with its calls as they are
    /// now: those its policy counted, or, if the signal has `counted`, those
    /// counted since.
    #[must_use]
    pub fn receivers(&self, counted: bool) -> Vec<ReceiverInfo> {
        let mut receivers = described_now(
            &self.rest.infos,
            &self.policies,
            counted.then_some(&*self.rest.calls),
        );
        for (receiver, enabled) in receivers.iter_mut().zip(&self.rest.enabled) {
            if !enabled.load(Relaxed) {
                receiver.set_disabled();
            }
        }
        receivers
    }

    /// The parts of the tables the registry works on without the signal's
    /// types.
    pub(crate) fn rest(&self) -> &Rest {
        &self.rest
    }
}

impl Rest {
    /// The shared part of a signal's tables, built outside the generic
    /// code: the descriptions in call `order`, and a counter and an enabled
    /// flag per receiver.
    fn new(
        infos: &[&ReceiverInfo],
        order: &[usize],
        unfiltered_priorities: Vec<i32>,
        unfiltered_receivers: Vec<u32>,
    ) -> Self {
        Self {
            infos: in_order(infos, order),
            unfiltered_priorities,
            unfiltered_receivers,
            calls: (0..order.len()).map(|_| AtomicU64::new(0)).collect(),
            enabled: (0..order.len()).map(|_| AtomicBool::new(true)).collect(),
        }
    }

    /// Enables or disables the static receivers named `name` (a name, or
    /// the end of a path at a `::`); returns how many there were.
    pub(crate) fn set_enabled(&self, name: &str, on: bool) -> Result<usize, UnknownReceiver> {
        let matching = self.matching(name)?;
        for &index in &matching {
            self.enabled[index].store(on, Relaxed);
        }
        Ok(matching.len())
    }

    /// Enables exactly the static receivers named in `names`: each flag
    /// is stored once, so a concurrent send sees each receiver either as
    /// before or as after.
    pub(crate) fn enable_only<N: AsRef<str>>(
        &self,
        names: impl IntoIterator<Item = N>,
    ) -> Result<(), UnknownReceiver> {
        let mut chosen = vec![false; self.enabled.len()];
        for name in names {
            for index in self.matching(name.as_ref())? {
                chosen[index] = true;
            }
        }
        for (enabled, on) in self.enabled.iter().zip(chosen) {
            enabled.store(on, Relaxed);
        }
        Ok(())
    }

    /// The indices of the static receivers named `name`.
    fn matching(&self, name: &str) -> Result<Vec<usize>, UnknownReceiver> {
        let matching: Vec<usize> = self
            .infos
            .iter()
            .enumerate()
            .filter(|(_, info)| {
                let path = info.path();
                info.name() == name
                    || path == name
                    || path
                        .strip_suffix(name)
                        .is_some_and(|prefix| prefix.ends_with("::"))
            })
            .map(|(index, _)| index)
            .collect();
        if !matching.is_empty() {
            return Ok(matching);
        }
        let known: Vec<String> = self.infos.iter().map(ReceiverInfo::path).collect();
        let did_you_mean = self
            .infos
            .iter()
            .map(|info| {
                let distance = strsim::levenshtein(name, info.name())
                    .min(strsim::levenshtein(name, &info.path()));
                (distance, info.path())
            })
            .filter(|(distance, _)| *distance <= 3)
            .min()
            .map(|(_, path)| path);
        Err(UnknownReceiver {
            name: name.to_owned(),
            known,
            did_you_mean,
        })
    }
}

/// A receiver name that matches no static receiver of the signal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownReceiver {
    name: String,
    known: Vec<String>,
    did_you_mean: Option<String>,
}

impl UnknownReceiver {
    /// The name given.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The paths of the signal's static receivers.
    #[must_use]
    pub fn known(&self) -> &[String] {
        &self.known
    }

    /// The nearest path, if one is close.
    #[must_use]
    pub fn did_you_mean(&self) -> Option<&str> {
        self.did_you_mean.as_deref()
    }
}

impl core::fmt::Display for UnknownReceiver {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "no static receiver is named `{}`", self.name)?;
        match &self.did_you_mean {
            Some(near) => write!(f, "; did you mean `{near}`?")?,
            None => write!(f, ".")?,
        }
        if self.known.is_empty() {
            write!(f, " The signal has no static receiver")
        } else {
            write!(f, " Known: `{}`", self.known.join("`, `"))
        }
    }
}

impl std::error::Error for UnknownReceiver {}

/// The indices of `infos` in call order.
fn call_order(infos: &[&ReceiverInfo]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..infos.len()).collect();
    order.sort_by(|&a, &b| infos[a].call_order(infos[b]));
    order
}

/// `receivers`, each with the counts of its policy if it has one, else
/// with its counted `calls`, if the signal counted them.
fn described_now(
    receivers: &[ReceiverInfo],
    policies: &[Option<&'static PolicyState>],
    calls: Option<&[AtomicU64]>,
) -> Vec<ReceiverInfo> {
    receivers
        .iter()
        .zip(policies)
        .enumerate()
        .map(|(index, (info, policy))| match (policy, calls) {
            (Some(state), _) => info.clone().counted(state),
            (None, Some(calls)) => info.clone().with_calls(calls[index].load(Relaxed)),
            (None, None) => info.clone(),
        })
        .collect()
}

/// The descriptions `infos`, in `order`.
fn in_order(infos: &[&ReceiverInfo], order: &[usize]) -> Vec<ReceiverInfo> {
    order.iter().map(|&index| infos[index].clone()).collect()
}

/// Adds the table of the sender type `W` to `tables`, unless it is there:
/// the unfiltered receivers, those of every sender, and those filtered on
/// `W` or on the type `W` points to, in call order.
pub(crate) fn add_sender_table<S: Signal, W: ?Sized + 'static>(
    sorted: &[&'static StaticReceiver<S>],
    tables: &mut Vec<SenderTable>,
) {
    let sender = TypeId::of::<W>();
    if tables.iter().any(|table| table.sender == sender) {
        return;
    }
    let slots: SenderSlots<S, W> = (0_u32..)
        .zip(sorted)
        .filter_map(|(index, receiver)| {
            let slot = match &receiver.function {
                ReceiverFn::Unfiltered(function) => Slot::Receiver(*function),
                ReceiverFn::Optional(function) => Slot::Optional(function()?),
                ReceiverFn::Async(function) => Slot::Async(*function),
                ReceiverFn::Filtered(filter) => slot_for::<S, W>(filter)?,
            };
            Some(Ranked {
                priority: receiver.info.priority(),
                receiver: index,
                slot,
            })
        })
        .collect();
    tables.push(SenderTable {
        sender,
        slots: Box::new(slots),
    });
}

/// The slot of a filtered receiver in the table of the sender type `W`.
fn slot_for<S: Signal, W: ?Sized + 'static>(filter: &SenderFilter<S>) -> Option<Slot<S, W>> {
    match filter.any_sender_slot() {
        Some(slot) => Some(slot.slot()),
        None => filter.slot::<W>(),
    }
}

/// The static receivers of one send, with their priorities, in call order.
/// Three words: a send carries it by value.
#[doc(hidden)]
pub enum StaticSlots<'a, S: Signature, O: ?Sized + 'static> {
    Unfiltered {
        functions: slice::Iter<'a, S::Fn>,
        rest: &'a Rest,
        /// The table to read instead, if it is not empty: see
        /// [`Dispatch`]'s `with_optional`.
        with_optional: &'a [Ranked<PlainSlot<S>>],
    },
    Filtered {
        slots: slice::Iter<'a, Ranked<Slot<S, O>>>,
        rest: &'a Rest,
    },
    Plain {
        slots: slice::Iter<'a, Ranked<PlainSlot<S>>>,
        rest: &'a Rest,
    },
}

impl<'a, S: Signature, O: ?Sized + 'static> StaticSlots<'a, S, O> {
    /// No static receivers: those of a signal type, or of a muted signal.
    #[must_use]
    pub fn empty() -> Self {
        Self::Filtered {
            slots: [].iter(),
            rest: &NO_REST,
        }
    }

    /// The next receiver, without its priority: for a send with no runtime
    /// receiver to merge in, where reading priorities is wasted work.
    #[inline]
    pub(crate) fn next_slot(&mut self) -> Option<Slot<S, O>> {
        match self {
            Self::Unfiltered { functions, .. } => {
                functions.next().map(|function| Slot::Receiver(*function))
            }
            Self::Filtered { slots, .. } => slots.next().map(|ranked| ranked.slot),
            Self::Plain { slots, .. } => slots.next().map(|ranked| ranked.slot.slot()),
        }
    }

    /// The next receiver and its index in the signal's descriptions,
    /// without its priority: for an async send, which merges nothing.
    #[inline]
    pub(crate) fn next_indexed(&mut self) -> Option<(Slot<S, O>, u32)> {
        match self {
            Self::Unfiltered {
                functions, rest, ..
            } => {
                let function = *functions.next()?;
                // The one just taken.
                let position = Self::unfiltered_position(functions, rest).wrapping_sub(1);
                let receiver = rest.unfiltered_receivers.get(position)?;
                Some((Slot::Receiver(function), *receiver))
            }
            Self::Filtered { slots, .. } => {
                slots.next().map(|ranked| (ranked.slot, ranked.receiver))
            }
            Self::Plain { slots, .. } => slots
                .next()
                .map(|ranked| (ranked.slot.slot(), ranked.receiver)),
        }
    }

    /// The position in the unfiltered table of its next receiver.
    fn unfiltered_position(functions: &slice::Iter<'_, S::Fn>, rest: &Rest) -> usize {
        rest.unfiltered_priorities
            .len()
            .saturating_sub(functions.len())
    }

    /// The descriptions of the signal's receivers, by index.
    pub(crate) fn infos(&self) -> &'a [ReceiverInfo] {
        match *self {
            Self::Unfiltered { rest, .. }
            | Self::Filtered { rest, .. }
            | Self::Plain { rest, .. } => &rest.infos,
        }
    }

    /// The table that includes the receivers with a policy that return a
    /// value, if there are any: what a send reads on the way that is not
    /// the plain loop.
    #[must_use]
    pub(crate) fn with_optional(self) -> Self {
        match self {
            Self::Unfiltered {
                rest,
                with_optional,
                ..
            } if !with_optional.is_empty() => Self::Plain {
                slots: with_optional.iter(),
                rest,
            },
            other => other,
        }
    }

    /// Whether each of the signal's receivers is enabled, by index.
    pub(crate) fn enabled(&self) -> &'a [AtomicBool] {
        match *self {
            Self::Unfiltered { rest, .. }
            | Self::Filtered { rest, .. }
            | Self::Plain { rest, .. } => &rest.enabled,
        }
    }

    /// The call counters of the signal's receivers, by index.
    pub(crate) fn calls(&self) -> &'a [AtomicU64] {
        match *self {
            Self::Unfiltered { rest, .. }
            | Self::Filtered { rest, .. }
            | Self::Plain { rest, .. } => &rest.calls,
        }
    }

    /// The priority of the next receiver, without taking it.
    pub(crate) fn peek_priority(&self) -> Option<i32> {
        match self {
            Self::Unfiltered {
                functions, rest, ..
            } => rest
                .unfiltered_priorities
                .get(Self::unfiltered_position(functions, rest))
                .copied(),
            Self::Filtered { slots, .. } => slots.as_slice().first().map(|ranked| ranked.priority),
            Self::Plain { slots, .. } => slots.as_slice().first().map(|ranked| ranked.priority),
        }
    }

    /// The next receiver with its priority, its index and whether it is
    /// enabled, counting its call if it is.
    pub(crate) fn next_counted(&mut self) -> Option<(i32, Slot<S, O>, u32, bool)> {
        let (priority, receiver, slot, rest) = match self {
            Self::Unfiltered {
                functions, rest, ..
            } => {
                let position = Self::unfiltered_position(functions, rest);
                let function = *functions.next()?;
                (
                    *rest.unfiltered_priorities.get(position)?,
                    *rest.unfiltered_receivers.get(position)?,
                    Slot::Receiver(function),
                    *rest,
                )
            }
            Self::Filtered { slots, rest } => {
                let ranked = slots.next()?;
                (ranked.priority, ranked.receiver, ranked.slot, *rest)
            }
            Self::Plain { slots, rest } => {
                let ranked = slots.next()?;
                (ranked.priority, ranked.receiver, ranked.slot.slot(), *rest)
            }
        };
        let enabled = rest
            .enabled
            .get(receiver as usize)
            .is_none_or(|enabled| enabled.load(Relaxed));
        if enabled {
            if let Some(calls) = rest.calls.get(receiver as usize) {
                calls.fetch_add(1, Relaxed);
            }
        }
        Some((priority, slot, receiver, enabled))
    }
}

impl<S: Signature, O: ?Sized + 'static> Iterator for StaticSlots<'_, S, O> {
    /// The priority, the slot, and the receiver's index for its counter.
    type Item = (i32, Slot<S, O>, u32);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Unfiltered {
                functions, rest, ..
            } => {
                let function = *functions.next()?;
                // The one just taken.
                let position = Self::unfiltered_position(functions, rest).wrapping_sub(1);
                Some((
                    rest.unfiltered_priorities
                        .get(position)
                        .copied()
                        .unwrap_or(0),
                    Slot::Receiver(function),
                    rest.unfiltered_receivers
                        .get(position)
                        .copied()
                        .unwrap_or(u32::MAX),
                ))
            }
            Self::Filtered { slots, .. } => slots
                .next()
                .map(|ranked| (ranked.priority, ranked.slot, ranked.receiver)),
            Self::Plain { slots, .. } => slots
                .next()
                .map(|ranked| (ranked.priority, ranked.slot.slot(), ranked.receiver)),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Self::Unfiltered { functions, .. } => functions.size_hint(),
            Self::Filtered { slots, .. } => slots.size_hint(),
            Self::Plain { slots, .. } => slots.size_hint(),
        }
    }
}
