use crate::connections::Connections;
use crate::dispatch::Dispatch;
use crate::sender::SenderPointer;
use crate::signature::Signature;
use crate::static_receiver::ReceiverFunction;

/// A signal declared with [`#[signal]`](crate::signal).
///
/// The macro implements this trait for the unit struct it generates; it is
/// not meant to be implemented by hand. Generic code can use it to name a
/// signal's receiver type or its name:
///
/// ```
/// use signals::{Signal, signal};
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// fn describe<S: Signal>(_: S) -> String {
///     format!("{} {}", S::NAME, S::SIGNATURE)
/// }
///
/// assert_eq!(describe(saved), "saved fn(id: u64)");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a signal",
    label = "not a signal",
    note = "a signal is declared with `#[signal] fn name(args..);` and named by its path in `#[receiver(signal = name)]`",
    note = "a signal type, `#[signal] type Name = fn(args..);`, has runtime receivers only: `value.connect(..)`"
)]
pub trait Signal: Signature + Copy + Send + Sync {
    /// The signal's name as declared, e.g. `"todo_done"`.
    const NAME: &'static str;

    /// The module it is declared in, as `module_path!()` gives it.
    const MODULE_PATH: &'static str;

    /// The declared signature, e.g. `"fn(item: &Todo)"`.
    const SIGNATURE: &'static str;

    #[doc(hidden)]
    type __Registration;
    #[doc(hidden)]
    type __This: Signal;
    #[doc(hidden)]
    fn __dispatch() -> &'static Dispatch<Self>;
    #[doc(hidden)]
    fn __connections() -> &'static Connections<Self>;
}

/// Implemented by a signal for the one `fn` pointer type its receivers
/// have: a `#[receiver]` of another type fails this bound, at its name.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{F}` is not a receiver of `{Self}`",
    label = "this function's signature does not match the signal",
    note = "a receiver takes exactly the signal's parameters, and returns what the signal returns"
)]
pub trait Accepts<F>: Signal<Fn = F> {}

/// Implemented by an async signal for the one function type its `async
/// fn` receivers are registered as: an `async fn` receiver of another
/// signature, or of a signal that is not async, fails this bound, at its
/// name.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this `async fn` is not a receiver of `{Self}`",
    label = "the signal is not async, or this function's signature does not match it",
    note = "an `async fn` receiver needs an async signal, declared `#[signal] async fn name(args..);`",
    note = "a receiver takes exactly the signal's parameters, and returns what the signal returns"
)]
pub trait AcceptsAsync<F>: Signal<AsyncFn = F> {}

/// Implemented by a signal, for every sender type `O`, for the two `fn`
/// pointer types a `#[receiver(sender = O)]` may have: the signal's
/// parameters, or `&O` followed by them.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{F}` is not a receiver of `{Self}` with `sender = {O}`",
    label = "this function's signature does not match the signal",
    note = "a receiver with `sender = {O}` takes the signal's parameters, optionally preceded by `&{O}`"
)]
pub trait AcceptsFrom<O: ?Sized, F>: Signal {
    /// For `F = Self::SenderFn<O>`: the receiver `R` as a receiver of
    /// sends from `W`, a pointer to `O`. `None` for `F = Self::Fn`, whose
    /// receivers need no sender.
    #[doc(hidden)]
    #[must_use]
    fn __through<W: SenderPointer<O> + ?Sized, R: ReceiverFunction<F>>() -> Option<Self::SenderFn<W>>
    {
        None
    }
}
