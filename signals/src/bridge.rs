//! What a crate that carries sends to other processes needs of a signal
//! declared `#[signal(bridge)]`: its arguments as one tuple, borrowed on
//! the way out and owned on the way in.

use std::borrow::Borrow;

use crate::failure::Render;
use crate::{AnySender, ConnectOptions, Connection, ReceiverError, Signal};

/// A signal declared `#[signal(bridge)]`, whose sends a transport such as
/// `signals-redis` can carry to other processes.
///
/// `#[signal(bridge)]` implements it; it is not meant to be implemented by
/// hand. A transport encodes [`Arguments`](Self::Arguments) where a send
/// happens and decodes [`Owned`](Self::Owned) where it is delivered, with
/// whatever bounds its encoding needs (serde's, for `signals-redis`).
///
/// ```
/// use signals::{Bridge, signal};
///
/// #[signal(bridge)]
/// pub fn renamed(id: u64, name: &str);
///
/// let forwarded = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
/// let seen = forwarded.clone();
/// let _connection = renamed.forward(&signals::ConnectOptions::new(), move |(id, name)| {
///     seen.lock().unwrap().push((id, name.to_owned()));
/// });
/// renamed.send(7, "seven");
/// assert_eq!(*forwarded.lock().unwrap(), [(7, "seven".to_owned())]);
///
/// // An owned copy, as one decoded elsewhere, sent to the local receivers.
/// assert!(renamed.deliver((8, "eight".to_owned())).is_empty());
/// assert_eq!(<renamed as Bridge>::PARAMETERS, ["id", "name"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a bridged signal",
    label = "declared without `bridge`",
    note = "declare it `#[signal(bridge)] fn name(args..);`: its arguments must be owned types, or references to them, and its receivers return nothing or `Result<(), E>`"
)]
pub trait Bridge: Signal {
    /// The arguments of one send, borrowed: `(&'a Order, u32)` for
    /// `fn(order: &Order, count: u32)`.
    type Arguments<'a>;

    /// The same arguments owned, as a transport decodes them: `(Order,
    /// u32)`; `String` for `&str`, `Vec<T>` for `&[T]`.
    type Owned: Send + 'static;

    /// The parameter names, in order.
    const PARAMETERS: &'static [&'static str];

    /// Connects `forward` as a receiver of every send, with `options`; it
    /// gets the arguments as one tuple.
    fn forward<F>(&self, options: &ConnectOptions, forward: F) -> Connection
    where
        F: for<'a> Fn(Self::Arguments<'a>) + Send + Sync + 'static;

    /// Connects `forward` as a receiver of every send from a sender
    /// (`send_from`), with `options`; it gets the sender, then the
    /// arguments as one tuple. A plain `send` does not reach it.
    fn forward_from<F>(&self, options: &ConnectOptions, forward: F) -> Connection
    where
        F: for<'a> Fn(&AnySender, Self::Arguments<'a>) + Send + Sync + 'static;

    /// Sends `arguments` to the local receivers, each called whatever the
    /// others do, as `send_robust` does, and returns what failed: one text
    /// per receiver that panicked or returned an `Err`, empty if none did.
    fn deliver(&self, arguments: Self::Owned) -> Vec<String>;
}

/// The owned form of a bridged argument's type, which a delivery lends
/// to the receivers: the type itself, `String` for `str`, `Vec<T>` for
/// `[T]`, `PathBuf` for `Path`, `OsString` for `OsStr`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the argument of a bridged signal",
    label = "a delivery decodes each argument into an owned value and lends it to the receivers",
    note = "use a sized type, `str`, `[T]`, `Path` or `OsStr`, or a reference to one"
)]
pub trait OwnedArgument {
    /// What a delivery decodes.
    type Owned: Borrow<Self> + Send + 'static;
    /// Lends a decoded value to a receiver that may change it.
    fn lend_mut(owned: &mut Self::Owned) -> &mut Self;
}

impl<T: Send + 'static> OwnedArgument for T {
    type Owned = T;

    fn lend_mut(owned: &mut T) -> &mut T {
        owned
    }
}

impl OwnedArgument for str {
    type Owned = String;

    fn lend_mut(owned: &mut String) -> &mut str {
        owned.as_mut_str()
    }
}

impl<T: Send + 'static> OwnedArgument for [T] {
    type Owned = Vec<T>;

    fn lend_mut(owned: &mut Vec<T>) -> &mut [T] {
        owned.as_mut_slice()
    }
}

impl OwnedArgument for std::path::Path {
    type Owned = std::path::PathBuf;

    fn lend_mut(owned: &mut std::path::PathBuf) -> &mut std::path::Path {
        owned
    }
}

impl OwnedArgument for std::ffi::OsStr {
    type Owned = std::ffi::OsString;

    fn lend_mut(owned: &mut std::ffi::OsString) -> &mut std::ffi::OsStr {
        owned
    }
}

/// A failed receiver of a bridged signal as text, its `Err` shown through
/// `render`: its type's `Debug`, or its type's name.
#[doc(hidden)]
#[must_use]
pub fn failure_text<E>(failure: &ReceiverError<E>, render: Render<E>) -> String {
    failure.shown(&failure.rendered(render)).to_string()
}
