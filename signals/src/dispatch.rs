use core::any::{Any, TypeId};
use core::slice;

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
    /// The priority of each receiver in `unfiltered`, to merge runtime
    /// receivers in.
    unfiltered_priorities: Box<[i32]>,
    /// With receivers of `sender = AnySender`: the receivers of a send from
    /// a sender no receiver filters on, which replaces `unfiltered` there.
    /// A plain `send` has no sender, so it calls none of them.
    any_sender: Option<PlainSlots<S>>,
    by_sender: Box<[SenderTable]>,
    receivers: Box<[ReceiverInfo]>,
    /// The policy counters of each receiver in `receivers`, if it has one.
    policies: Box<[Option<&'static PolicyState>]>,
}

pub(crate) struct SenderTable {
    sender: TypeId,
    /// The `SenderSlots<S, W>` of this table's sender type `W`.
    slots: Box<dyn Any + Send + Sync>,
}

/// The table of the sender type `W` for the signal `S`, with each
/// receiver's priority.
type SenderSlots<S, W> = Box<[(i32, Slot<S, W>)]>;

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
}

impl<S: Signature, O: ?Sized + 'static> Clone for Slot<S, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Signature, O: ?Sized + 'static> Copy for Slot<S, O> {}

/// The table of a send from a sender no receiver filters on, when some
/// receiver takes any sender, with each receiver's priority.
type PlainSlots<S> = Box<[(i32, PlainSlot<S>)]>;

/// One entry of the table of a send from a sender no receiver filters on.
#[doc(hidden)]
pub enum PlainSlot<S: Signature> {
    Receiver(S::Fn),
    AnySenderReceiver(S::SenderFn<AnySender>),
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
        let mut plain: Vec<(i32, PlainSlot<S>)> = Vec::new();
        let mut any_sender = false;
        for receiver in &sorted {
            let priority = receiver.info.priority();
            match &receiver.function {
                ReceiverFn::Unfiltered(function) => {
                    unfiltered.push(*function);
                    unfiltered_priorities.push(priority);
                    plain.push((priority, PlainSlot::Receiver(*function)));
                }
                ReceiverFn::Filtered(filter) => {
                    if let Some(slot) = filter.any_sender_slot() {
                        any_sender = true;
                        plain.push((priority, slot));
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

        Self {
            unfiltered: unfiltered.into_boxed_slice(),
            unfiltered_priorities: unfiltered_priorities.into_boxed_slice(),
            any_sender: if any_sender {
                Some(plain.into_boxed_slice())
            } else {
                None
            },
            by_sender: by_sender.into_boxed_slice(),
            receivers: in_order(&infos, &order),
            policies: policies.into_boxed_slice(),
        }
    }

    /// The receivers of a plain `send`, in call order.
    #[inline]
    #[must_use]
    pub fn unfiltered<O: ?Sized + 'static>(&self) -> StaticSlots<'_, S, O> {
        StaticSlots::Unfiltered {
            functions: self.unfiltered.iter(),
            priorities: self.unfiltered_priorities.iter(),
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
            (Some(slots), _) => StaticSlots::Filtered(slots.iter()),
            (None, Some(slots)) => StaticSlots::Plain(slots.iter()),
            (None, None) => self.unfiltered(),
        }
    }

    /// Every static receiver, in call order, with the counts of those that
    /// have a policy as they are now.
    #[must_use]
    pub fn receivers(&self) -> Vec<ReceiverInfo> {
        described_now(&self.receivers, &self.policies)
    }
}

/// The indices of `infos` in call order.
fn call_order(infos: &[&ReceiverInfo]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..infos.len()).collect();
    order.sort_by(|&a, &b| infos[a].call_order(infos[b]));
    order
}

/// `receivers`, each with the counts of its policy, if it has one.
fn described_now(
    receivers: &[ReceiverInfo],
    policies: &[Option<&'static PolicyState>],
) -> Vec<ReceiverInfo> {
    receivers
        .iter()
        .zip(policies)
        .map(|(info, policy)| match policy {
            Some(state) => info.clone().counted(state),
            None => info.clone(),
        })
        .collect()
}

/// The descriptions `infos`, in `order`.
fn in_order(infos: &[&ReceiverInfo], order: &[usize]) -> Box<[ReceiverInfo]> {
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
    let slots: SenderSlots<S, W> = sorted
        .iter()
        .filter_map(|receiver| {
            let slot = match &receiver.function {
                ReceiverFn::Unfiltered(function) => Slot::Receiver(*function),
                ReceiverFn::Filtered(filter) => slot_for::<S, W>(filter)?,
            };
            Some((receiver.info.priority(), slot))
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
#[doc(hidden)]
pub enum StaticSlots<'a, S: Signature, O: ?Sized + 'static> {
    Unfiltered {
        functions: slice::Iter<'a, S::Fn>,
        priorities: slice::Iter<'a, i32>,
    },
    Filtered(slice::Iter<'a, (i32, Slot<S, O>)>),
    Plain(slice::Iter<'a, (i32, PlainSlot<S>)>),
}

impl<S: Signature, O: ?Sized + 'static> StaticSlots<'_, S, O> {
    /// No static receivers: those of a signal type, or of a muted signal.
    #[must_use]
    pub fn empty() -> Self {
        Self::Filtered([].iter())
    }

    /// The next receiver, without its priority: for a send with no runtime
    /// receiver to merge in, where reading priorities is wasted work.
    #[inline]
    pub(crate) fn next_slot(&mut self) -> Option<Slot<S, O>> {
        match self {
            Self::Unfiltered { functions, .. } => {
                functions.next().map(|function| Slot::Receiver(*function))
            }
            Self::Filtered(slots) => slots.next().map(|(_, slot)| *slot),
            Self::Plain(slots) => slots.next().map(|(_, slot)| slot.slot()),
        }
    }
}

impl<S: Signature, O: ?Sized + 'static> Iterator for StaticSlots<'_, S, O> {
    type Item = (i32, Slot<S, O>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Unfiltered {
                functions,
                priorities,
            } => {
                let function = *functions.next()?;
                Some((
                    priorities.next().copied().unwrap_or(0),
                    Slot::Receiver(function),
                ))
            }
            Self::Filtered(slots) => slots.next().copied(),
            Self::Plain(slots) => slots
                .next()
                .map(|(priority, slot)| (*priority, slot.slot())),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Self::Unfiltered { functions, .. } => functions.size_hint(),
            Self::Filtered(slots) => slots.size_hint(),
            Self::Plain(slots) => slots.size_hint(),
        }
    }
}
