use core::any::{Any, TypeId};

use crate::signal::AcceptsFrom;
use crate::{ReceiverInfo, Signal};

/// One `#[receiver]` as it is registered at link time. Everything in it is
/// const-constructible, because `inventory` places it in a static.
#[doc(hidden)]
pub struct StaticReceiver<S: Signal> {
    pub(crate) function: ReceiverFn<S>,
    pub(crate) info: ReceiverInfo,
}

pub(crate) enum ReceiverFn<S: Signal> {
    /// Called by every send.
    Unfiltered(S::Fn),
    /// Called only by `send_from` with a sender of one type.
    Filtered(SenderFilter<S>),
}

pub(crate) struct SenderFilter<S: Signal> {
    pub(crate) sender: fn() -> TypeId,
    /// Either an `S::Fn` or an `S::SenderFn<O>` for the sender type `O`. The
    /// typed table for `O` is built once, by `build_table`, which knows `O`
    /// and recovers the function's type.
    pub(crate) function: &'static (dyn Any + Send + Sync),
    pub(crate) build_table: fn(&[&'static StaticReceiver<S>]) -> Box<dyn Any + Send + Sync>,
}

/// A receiver called by every send of `S`.
#[must_use]
pub const fn unfiltered<S: Signal>(function: S::Fn, info: ReceiverInfo) -> StaticReceiver<S> {
    StaticReceiver {
        function: ReceiverFn::Unfiltered(function),
        info,
    }
}

/// A receiver called only when a sender of type `O` sends `S`. `F` is
/// `S::Fn` or `S::SenderFn<O>`: the only types `S: AcceptsFrom<O, F>` holds
/// for.
#[must_use]
pub const fn filtered<S: AcceptsFrom<O, F>, O: ?Sized + 'static, F: Any + Send + Sync>(
    function: &'static F,
    info: ReceiverInfo,
) -> StaticReceiver<S> {
    StaticReceiver {
        function: ReceiverFn::Filtered(SenderFilter {
            sender: TypeId::of::<O>,
            function,
            build_table: crate::dispatch::sender_table::<S, O>,
        }),
        info,
    }
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
