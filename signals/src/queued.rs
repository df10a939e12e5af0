//! How a signal's arguments travel to a [`Mailbox`](crate::Mailbox): each
//! queued receiver gets owned copies, checked where `connect_queued` is
//! called.

use core::borrow::Borrow;

/// An argument type that can travel to a mailbox: `T` of a `&T` argument,
/// or a value argument's type. It travels as `T::Owned`.
///
/// `F` is the receiver's type: the bound names it, so that it is checked
/// where `connect_queued` is called, not where the signal is declared.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot travel to a mailbox",
    label = "a queued receiver gets its own copy of this argument",
    note = "an argument travels as an owned copy: `T` of a `&T` must be `ToOwned` (as `Clone` types, `str` and `[T]` are), and its owned form `Send + 'static`"
)]
pub trait Queueable<F> {
    type Owned: Send + 'static;
    fn to_queued(&self) -> Self::Owned;
    fn from_queued(owned: &Self::Owned) -> &Self;
}

impl<F, T: ?Sized + ToOwned> Queueable<F> for T
where
    T::Owned: Send + 'static,
{
    type Owned = T::Owned;

    fn to_queued(&self) -> T::Owned {
        self.to_owned()
    }

    fn from_queued(owned: &T::Owned) -> &T {
        owned.borrow()
    }
}

/// `T` of a `&mut T` argument, which cannot be queued: implemented by no
/// type.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a queued receiver cannot take `&mut {Self}`",
    label = "a receiver that runs later, on the mailbox's thread, would change its own copy",
    note = "declare the signal with `&{Self}`, or connect this receiver with `connect`"
)]
pub trait QueuedMutable<F> {
    type Owned: Send + 'static;
    fn to_queued(&mut self) -> Self::Owned;
    fn from_queued(owned: &mut Self::Owned) -> &mut Self;
}

/// The type of a value argument, which travels as a copy.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot travel to a mailbox",
    label = "a queued receiver gets its own copy of this argument",
    note = "a value argument travels as a copy, which must be `Send + 'static`"
)]
pub trait QueuedValue<F>: Sized {
    #[must_use]
    fn to_queued(&self) -> Self;
}

impl<F, T: Copy + Send + 'static> QueuedValue<F> for T {
    fn to_queued(&self) -> T {
        *self
    }
}

/// A signal whose receivers return a value: it has no queued receivers.
/// Implemented by no type.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot deliver through a mailbox: its receivers return a value",
    label = "a queued receiver runs later, on the mailbox's thread",
    note = "its result could not reach the send: connect it with `connect`, or declare a signal that returns nothing"
)]
pub trait QueuedReturning<F> {
    fn refused(&self) -> crate::Connection;
}

/// A signal whose arguments borrow (`&dyn Trait`, `&Item<'a>`): it has
/// no queued receivers. Implemented by no type.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot deliver through a mailbox: its arguments borrow",
    label = "a queued receiver gets owned copies of the arguments, which must be `'static`",
    note = "a `&dyn Trait` or a type with a lifetime cannot be copied to `'static`: connect with `connect`, or declare the signal with owned argument types"
)]
pub trait QueuedBorrowing<F> {
    fn refused(&self) -> crate::Connection;
}
