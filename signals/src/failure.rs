//! What a send that survives its receivers' failures reports about each
//! one: [`ReceiverError`].

use core::convert::Infallible;
use core::fmt;
use std::any::Any;

use crate::ReceiverInfo;

/// One receiver's failure in a send that reports failures instead of
/// propagating them: `send_robust` and, for a signal whose receivers
/// return a `Result`, `try_send`.
///
/// It names the signal and the receiver, and says what went wrong: a
/// panic, rendered as text, or the `Err` the receiver returned (`E`, which
/// is [`Infallible`] for signals whose receivers return no `Result`).
///
/// ```
/// use signals::{Failure, receiver, signal};
///
/// #[signal]
/// pub fn saved(path: &str);
///
/// #[receiver(signal = saved)]
/// fn reindex(path: &str) {
///     assert!(!path.is_empty(), "nothing to index");
/// }
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// let failures = saved.send_robust("");
/// assert_eq!(failures.len(), 1);
/// let failure = &failures[0];
/// assert_eq!(failure.signal(), "saved");
/// assert_eq!(failure.receiver().name(), "reindex");
/// assert_eq!(failure.panic_message(), Some("nothing to index"));
/// assert!(matches!(failure.failure(), Failure::Panicked(_)));
/// assert!(failure.to_string().starts_with("receiver `"));
/// ```
///
/// It implements [`std::error::Error`] whenever `E` is `Debug`, so that it
/// converts into `anyhow::Error` or `Box<dyn Error>` with `?`; `E` itself
/// needs no `Error` impl (a `String` will do), and is rendered with its
/// `Debug` form.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiverError<E = Infallible> {
    signal: &'static str,
    /// Boxed: a `Result` whose error is a `ReceiverError` stays small.
    receiver: Box<ReceiverInfo>,
    failure: Failure<E>,
}

/// How a receiver failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure<E = Infallible> {
    /// It panicked: the panic's message, or a placeholder if the payload
    /// was not a string.
    Panicked(String),
    /// It returned this `Err`.
    Returned(E),
}

impl<E> ReceiverError<E> {
    pub(crate) fn new(signal: &'static str, receiver: ReceiverInfo, failure: Failure<E>) -> Self {
        Self {
            signal,
            receiver: Box::new(receiver),
            failure,
        }
    }

    pub(crate) fn panicked(
        signal: &'static str,
        receiver: ReceiverInfo,
        payload: &(dyn Any + Send),
    ) -> Self {
        Self::new(signal, receiver, Failure::Panicked(panic_message(payload)))
    }

    /// The name of the signal that was sent.
    #[must_use]
    pub fn signal(&self) -> &'static str {
        self.signal
    }

    /// The receiver that failed: its name, path, place, and what a
    /// signal's `receivers()` says of it.
    #[must_use]
    pub fn receiver(&self) -> &ReceiverInfo {
        &self.receiver
    }

    /// How it failed.
    #[must_use]
    pub fn failure(&self) -> &Failure<E> {
        &self.failure
    }

    /// How it failed, by value: the `Err` it returned, if it did.
    #[must_use]
    pub fn into_failure(self) -> Failure<E> {
        self.failure
    }

    /// The message of its panic, if it panicked.
    #[must_use]
    pub fn panic_message(&self) -> Option<&str> {
        match &self.failure {
            Failure::Panicked(message) => Some(message),
            Failure::Returned(_) => None,
        }
    }

    /// The `Err` it returned, if it did.
    #[must_use]
    pub fn returned(&self) -> Option<&E> {
        match &self.failure {
            Failure::Panicked(_) => None,
            Failure::Returned(error) => Some(error),
        }
    }

    /// Its `Err`, if any, to be shown through `render`: what
    /// [`shown`](Self::shown) borrows.
    pub(crate) fn rendered(&self, render: Render<E>) -> Rendered<'_, E> {
        Rendered {
            error: self.returned(),
            render,
        }
    }

    /// The same failure as an error hook sees it: the receiver's `Err`
    /// shown through `render`, its type's `Debug` if it has one.
    pub(crate) fn shown<'e>(
        &'e self,
        rendered: &'e Rendered<'e, E>,
    ) -> ReceiverError<&'e (dyn fmt::Debug + 'e)>
    where
        E: 'e,
    {
        ReceiverError {
            signal: self.signal,
            receiver: self.receiver.clone(),
            failure: match &self.failure {
                Failure::Panicked(message) => Failure::Panicked(message.clone()),
                Failure::Returned(_) => Failure::Returned(rendered),
            },
        }
    }
}

/// How to show a receiver's `Err` of type `E`: its `Debug`, or `None`
/// for a type without one. Chosen where the type is known, with
/// [`DebugProbe`].
#[doc(hidden)]
pub type Render<E> = Option<fn(&E, &mut fmt::Formatter<'_>) -> fmt::Result>;

/// A receiver's `Err`, shown through its [`Render`]; an error type
/// without `Debug` shows its name.
pub(crate) struct Rendered<'e, E> {
    error: Option<&'e E>,
    render: Render<E>,
}

impl<E> fmt::Debug for Rendered<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.error, self.render) {
            (Some(error), Some(render)) => render(error, f),
            _ => write!(f, "<{}>", core::any::type_name::<E>()),
        }
    }
}

/// Finds the [`Render`] of `E` where `E` is known: `(&DebugProbe::<E>::new()).render()`
/// is its `Debug` if it has one ([`ViaDebug`]), else `None`
/// ([`WithoutDebug`], reached through one more reference).
#[doc(hidden)]
pub struct DebugProbe<E>(core::marker::PhantomData<fn() -> E>);

impl<E> DebugProbe<E> {
    #[must_use]
    pub const fn new() -> Self {
        Self(core::marker::PhantomData)
    }
}

impl<E> Default for DebugProbe<E> {
    fn default() -> Self {
        Self::new()
    }
}

#[doc(hidden)]
pub trait ViaDebug<E> {
    fn render(&self) -> Render<E>;
}

impl<E: fmt::Debug> ViaDebug<E> for DebugProbe<E> {
    fn render(&self) -> Render<E> {
        Some(<E as fmt::Debug>::fmt)
    }
}

#[doc(hidden)]
pub trait WithoutDebug<E> {
    fn render(&self) -> Render<E>;
}

impl<E> WithoutDebug<E> for &DebugProbe<E> {
    fn render(&self) -> Render<E> {
        None
    }
}

impl<E: fmt::Debug> fmt::Display for ReceiverError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "receiver `{}` of signal `{}` ",
            self.receiver.path(),
            self.signal
        )?;
        match &self.failure {
            Failure::Panicked(message) => write!(f, "panicked: {message}"),
            Failure::Returned(error) => write!(f, "returned an error: {error:?}"),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for ReceiverError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiverError")
            .field("signal", &self.signal)
            .field("receiver", &self.receiver.path())
            .field("failure", &self.failure)
            .finish()
    }
}

impl<E: fmt::Debug> std::error::Error for ReceiverError<E> {}

/// A panic's payload as text: what `panic!` and `assert!` carry.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic whose payload is not a string".to_owned()
    }
}
