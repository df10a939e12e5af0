use core::any::{Any, TypeId};
use core::slice;

use crate::signature::Signature;
use crate::static_receiver::{ReceiverFn, StaticReceiver};
use crate::{ReceiverInfo, Signal};

/// The receivers of one signal, collected from the link-time registry once
/// and sorted: the tables `send` and `send_from` loop over.
#[doc(hidden)]
pub struct Dispatch<S: Signal> {
    unfiltered: Box<[S::Fn]>,
    /// The priority of each receiver in `unfiltered`, to merge runtime
    /// receivers in.
    unfiltered_priorities: Box<[i32]>,
    by_sender: Box<[SenderTable]>,
    receivers: Box<[ReceiverInfo]>,
}

struct SenderTable {
    sender: TypeId,
    /// The `SenderSlots<S, O>` of this table's sender type `O`.
    slots: Box<dyn Any + Send + Sync>,
}

/// The table of the sender type `O` for the signal `S`, with each
/// receiver's priority.
type SenderSlots<S, O> = Box<
    [(
        i32,
        Slot<<S as Signature>::Fn, <S as Signature>::SenderFn<O>>,
    )],
>;

/// One entry of a sender's table: a receiver that ignores the sender, or one
/// that takes it as its first argument.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Slot<F, G> {
    Receiver(F),
    SenderReceiver(G),
}

impl<S: Signal> Dispatch<S> {
    /// Sorts the registered receivers into their call order and builds one
    /// table for `send` and one per sender type for `send_from`.
    pub fn collect(registered: impl IntoIterator<Item = &'static StaticReceiver<S>>) -> Self {
        let mut sorted: Vec<&'static StaticReceiver<S>> = registered.into_iter().collect();
        sorted.sort_by(|a, b| a.info.call_order(&b.info));

        let (unfiltered, unfiltered_priorities): (Vec<S::Fn>, Vec<i32>) = sorted
            .iter()
            .filter_map(|receiver| match receiver.function {
                ReceiverFn::Unfiltered(function) => Some((function, receiver.info.priority())),
                ReceiverFn::Filtered(_) => None,
            })
            .unzip();

        let mut by_sender: Vec<SenderTable> = Vec::new();
        for receiver in &sorted {
            if let ReceiverFn::Filtered(filter) = &receiver.function {
                let sender = (filter.sender)();
                if by_sender.iter().all(|table| table.sender != sender) {
                    by_sender.push(SenderTable {
                        sender,
                        slots: (filter.build_table)(&sorted),
                    });
                }
            }
        }

        Self {
            unfiltered: unfiltered.into_boxed_slice(),
            unfiltered_priorities: unfiltered_priorities.into_boxed_slice(),
            by_sender: by_sender.into_boxed_slice(),
            receivers: sorted
                .iter()
                .map(|receiver| receiver.info.clone())
                .collect(),
        }
    }

    /// The receivers every `send` calls, in call order.
    #[inline]
    #[must_use]
    pub fn unfiltered<O: ?Sized + 'static>(&self) -> StaticSlots<'_, S::Fn, S::SenderFn<O>> {
        StaticSlots::Unfiltered {
            functions: self.unfiltered.iter(),
            priorities: self.unfiltered_priorities.iter(),
        }
    }

    /// The receivers a send from a sender of type `O` calls, in call order.
    #[inline]
    #[must_use]
    pub fn slots_from<O: ?Sized + 'static>(
        &self,
        _sender: &O,
    ) -> StaticSlots<'_, S::Fn, S::SenderFn<O>> {
        let sender = TypeId::of::<O>();
        let table = self
            .by_sender
            .iter()
            .find(|table| table.sender == sender)
            .and_then(|table| table.slots.downcast_ref::<SenderSlots<S, O>>());
        match table {
            Some(slots) => StaticSlots::Filtered(slots.iter()),
            None => self.unfiltered(),
        }
    }

    /// Every static receiver, in call order.
    #[must_use]
    pub fn receivers(&self) -> &[ReceiverInfo] {
        &self.receivers
    }
}

/// Builds the table of a sender type `O`: the unfiltered receivers and those
/// filtered on `O`, in call order.
pub(crate) fn sender_table<S: Signal, O: ?Sized + 'static>(
    sorted: &[&'static StaticReceiver<S>],
) -> Box<dyn Any + Send + Sync> {
    let sender = TypeId::of::<O>();
    let slots: SenderSlots<S, O> = sorted
        .iter()
        .filter_map(|receiver| match &receiver.function {
            ReceiverFn::Unfiltered(function) => {
                Some((receiver.info.priority(), Slot::Receiver(*function)))
            }
            ReceiverFn::Filtered(filter) if (filter.sender)() == sender => {
                let function = filter.function;
                let slot = if let Some(function) = function.downcast_ref::<S::Fn>() {
                    Slot::Receiver(*function)
                } else if let Some(function) = function.downcast_ref::<S::SenderFn<O>>() {
                    Slot::SenderReceiver(*function)
                } else {
                    unreachable!(
                        "`{}` registered for `{}` with a function of neither receiver type",
                        receiver.info,
                        S::NAME
                    )
                };
                Some((receiver.info.priority(), slot))
            }
            ReceiverFn::Filtered(_) => None,
        })
        .collect();
    Box::new(slots)
}

/// The static receivers of one send, with their priorities, in call order.
#[doc(hidden)]
pub enum StaticSlots<'a, F, G> {
    Unfiltered {
        functions: slice::Iter<'a, F>,
        priorities: slice::Iter<'a, i32>,
    },
    Filtered(slice::Iter<'a, (i32, Slot<F, G>)>),
}

impl<F: Copy, G: Copy> StaticSlots<'_, F, G> {
    /// No static receivers: those of a signal type, or of a muted signal.
    #[must_use]
    pub fn empty() -> Self {
        Self::Filtered([].iter())
    }

    /// The next receiver, without its priority: for a send with no runtime
    /// receiver to merge in, where reading priorities is wasted work.
    #[inline]
    pub(crate) fn next_slot(&mut self) -> Option<Slot<F, G>> {
        match self {
            Self::Unfiltered { functions, .. } => {
                functions.next().map(|function| Slot::Receiver(*function))
            }
            Self::Filtered(slots) => slots.next().map(|(_, slot)| *slot),
        }
    }
}

impl<F: Copy, G: Copy> Iterator for StaticSlots<'_, F, G> {
    type Item = (i32, Slot<F, G>);

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
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Self::Unfiltered { functions, .. } => functions.size_hint(),
            Self::Filtered(slots) => slots.size_hint(),
        }
    }
}
