use core::any::{Any, TypeId};
use std::rc::Rc;
use std::sync::Arc;

use crate::dispatch::{PlainSlot, SenderTable, Slot, add_sender_table};
use crate::policy::PolicyState;
use crate::sender::{AnySender, SenderPointer};
use crate::signal::AcceptsFrom;
use crate::{ReceiverInfo, Signal};

/// One `#[receiver]` as it is registered at link time. Everything in it is
/// const-constructible, because `inventory` places it in a static.
#[doc(hidden)]
pub struct StaticReceiver<S: Signal> {
    pub(crate) function: ReceiverFn<S>,
    pub(crate) info: ReceiverInfo,
    /// The counters of a receiver with a policy, which its function (a
    /// wrapper the macro generated) applies.
    pub(crate) policy: Option<&'static PolicyState>,
}

pub(crate) enum ReceiverFn<S: Signal> {
    /// Called by every send.
    Unfiltered(S::Fn),
    /// Called by every send its policy admits: a receiver that returns a
    /// value, with a policy, whose skipped sends give no result. The
    /// wrapper's function, which the registration knows only as its own
    /// type: `S::Accepts` makes it the signal's `OptionFn`.
    Optional(fn() -> Option<S::OptionFn>),
    /// Called only by `send_from` with a sender of one type, or of a
    /// pointer to it; or by every send, with `sender = AnySender`.
    Filtered(SenderFilter<S>),
    /// An `async fn` receiver of an async signal, called by every send.
    Async(S::AsyncFn),
}

pub(crate) struct SenderFilter<S: Signal> {
    sender: fn() -> TypeId,
    /// This receiver's entry in the table of the sender type `W` whose id
    /// it is given, as a `Slot<S, W>`; `None` if a send from `W` does not
    /// reach it. Only the code that registered the receiver knows its
    /// function's type, so the table of each `W` asks it.
    slot: fn(TypeId) -> Option<Box<dyn Any>>,
    /// Adds the tables of the sender types this receiver is reached from.
    pub(crate) build_tables: fn(&[&'static StaticReceiver<S>], &mut Vec<SenderTable>),
}

impl<S: Signal> SenderFilter<S> {
    pub(crate) fn slot<W: ?Sized + 'static>(&self) -> Option<Slot<S, W>> {
        let slot = (self.slot)(TypeId::of::<W>())?;
        slot.downcast::<Slot<S, W>>().ok().map(|slot| *slot)
    }

    /// The entry of a receiver of every sender, in any table; `None` for
    /// a receiver filtered on one sender type.
    pub(crate) fn any_sender_slot(&self) -> Option<PlainSlot<S>> {
        if (self.sender)() != TypeId::of::<AnySender>() {
            return None;
        }
        match self.slot::<AnySender>()? {
            Slot::Receiver(function) => Some(PlainSlot::Receiver(function)),
            Slot::Optional(function) => Some(PlainSlot::Optional(function)),
            Slot::SenderReceiver(function) | Slot::AnySenderReceiver(function) => {
                Some(PlainSlot::AnySenderReceiver(function))
            }
            Slot::Async(function) => Some(PlainSlot::Async(function)),
        }
    }
}

/// A receiver called by every send of `S`.
#[must_use]
pub const fn unfiltered<S: Signal>(function: S::Fn, info: ReceiverInfo) -> StaticReceiver<S> {
    StaticReceiver {
        function: ReceiverFn::Unfiltered(function),
        info,
        policy: None,
    }
}

/// An `async fn` receiver of the async signal `S`: `function` puts its
/// future in the send's slot, unless its policy (applied by `function`,
/// with the counters `policy`) skips the send.
#[must_use]
pub const fn unfiltered_async<S: Signal>(
    function: S::AsyncFn,
    info: ReceiverInfo,
    policy: Option<&'static PolicyState>,
) -> StaticReceiver<S> {
    StaticReceiver {
        function: ReceiverFn::Async(function),
        info,
        policy,
    }
}

/// A receiver called by every send of `S` that its policy admits:
/// `function` is the wrapper the macro generated, which applies `policy`.
#[must_use]
pub const fn unfiltered_with_policy<S: Signal>(
    function: S::Fn,
    info: ReceiverInfo,
    policy: &'static PolicyState,
) -> StaticReceiver<S> {
    StaticReceiver {
        function: ReceiverFn::Unfiltered(function),
        info,
        policy: Some(policy),
    }
}

/// A receiver that returns a value, called by every send of `S` that its
/// policy admits: `function` is the wrapper the macro generated, which
/// applies `policy` and returns `None` for a send it skips.
#[must_use]
pub const fn optional_with_policy<S, G, R>(
    info: ReceiverInfo,
    policy: &'static PolicyState,
) -> StaticReceiver<S>
where
    S: Signal,
    G: Any,
    R: ReceiverFunction<G>,
{
    StaticReceiver {
        function: ReceiverFn::Optional(optional_function::<S, G, R>),
        info,
        policy: Some(policy),
    }
}

/// The wrapper of `R` as the signal's `OptionFn`: its own type `G` is that
/// type, since the signal accepts the receiver's function.
fn optional_function<S, G, R>() -> Option<S::OptionFn>
where
    S: Signal,
    G: Any,
    R: ReceiverFunction<G>,
{
    let function: &dyn Any = &R::FUNCTION;
    function.downcast_ref::<S::OptionFn>().copied()
}

/// A receiver called only when a sender of type `O` sends `S`, or a
/// pointer to one. `F` is `S::Fn` or `S::SenderFn<O>`: the only types
/// `S: AcceptsFrom<O, F>` holds for. With a `policy`, `R`'s function is the
/// wrapper the macro generated, which applies it.
#[must_use]
pub const fn filtered<S, O, F, R>(
    info: ReceiverInfo,
    policy: Option<&'static PolicyState>,
) -> StaticReceiver<S>
where
    S: AcceptsFrom<O, F>,
    O: ?Sized + 'static,
    F: Any,
    R: ReceiverFunction<F>,
{
    StaticReceiver {
        function: ReceiverFn::Filtered(SenderFilter {
            sender: TypeId::of::<O>,
            slot: sender_slot::<S, O, F, R>,
            build_tables: sender_tables::<S, O>,
        }),
        info,
        policy,
    }
}

/// The entry of the receiver `R`, filtered on `O`, in the table of the
/// sender type whose id is `wanted`.
fn sender_slot<S, O, F, R>(wanted: TypeId) -> Option<Box<dyn Any>>
where
    S: AcceptsFrom<O, F>,
    O: ?Sized + 'static,
    F: Any,
    R: ReceiverFunction<F>,
{
    fn typed<S, O, F, R, W>(wanted: TypeId) -> Option<Box<dyn Any>>
    where
        S: AcceptsFrom<O, F>,
        O: ?Sized + 'static,
        F: Any,
        R: ReceiverFunction<F>,
        W: SenderPointer<O> + ?Sized,
    {
        if wanted != TypeId::of::<W>() {
            return None;
        }
        let function: &dyn Any = &R::FUNCTION;
        let slot: Slot<S, W> = if let Some(function) = function.downcast_ref::<S::Fn>() {
            Slot::Receiver(*function)
        } else if let Some(function) = function.downcast_ref::<S::SenderFn<W>>() {
            Slot::SenderReceiver(*function)
        } else {
            Slot::SenderReceiver(S::__through::<W, R>()?)
        };
        Some(Box::new(slot))
    }
    typed::<S, O, F, R, O>(wanted)
        .or_else(|| typed::<S, O, F, R, Arc<O>>(wanted))
        .or_else(|| typed::<S, O, F, R, Rc<O>>(wanted))
        .or_else(|| typed::<S, O, F, R, Box<O>>(wanted))
        .or_else(|| typed::<S, O, F, R, &'static O>(wanted))
}

/// Adds the tables of `O` and of the pointers to it.
fn sender_tables<S: Signal, O: ?Sized + 'static>(
    sorted: &[&'static StaticReceiver<S>],
    tables: &mut Vec<SenderTable>,
) {
    if TypeId::of::<O>() == TypeId::of::<AnySender>() {
        return; // in every table already
    }
    add_sender_table::<S, O>(sorted, tables);
    add_sender_table::<S, Arc<O>>(sorted, tables);
    add_sender_table::<S, Rc<O>>(sorted, tables);
    add_sender_table::<S, Box<O>>(sorted, tables);
    add_sender_table::<S, &'static O>(sorted, tables);
}

/// Implemented by the local type each filtered `#[receiver]` expansion
/// declares: the receiver's function, as a constant that generic code can
/// wrap (a send from an `Arc<O>` calls it through a function that derefs).
pub trait ReceiverFunction<F> {
    /// The receiver's function.
    const FUNCTION: F;
}

/// Implemented by the local type each `#[receiver]` expansion declares: it
/// carries that receiver's registration as a constant.
pub trait ReceiverDefinition<S: Signal> {
    /// The receiver's function and description.
    const RECEIVER: StaticReceiver<S>;
}

/// Implemented by each signal's registration type for every receiver
/// definition, so a `#[receiver]` builds its registration from constants
/// alone: `inventory` needs it in a static.
pub trait Registers<R> {
    /// The registration of the receiver `R`.
    const REGISTRATION: Self;
}

/// The registration of the receiver `R` for the signal `S`, as a value of
/// `S`'s registration type.
#[must_use]
pub const fn registration<S: Signal, R>() -> S::__Registration
where
    // Through `S::__This`, which is `S`: when `S` is not a signal this bound
    // is not checked on top of `S: Signal`, so the user sees one error.
    R: ReceiverDefinition<S::__This>,
    S::__Registration: Registers<R>,
{
    <S::__Registration as Registers<R>>::REGISTRATION
}
