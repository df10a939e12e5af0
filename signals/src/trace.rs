//! What the `tracing` feature emits: per send, a `debug` span named after
//! the signal (or, for a signal whose receivers return a value, a `debug`
//! event), and a `trace` event per receiver call. Without the feature
//! none of this is compiled.

use crate::ReceiverInfo;

/// The span of one send of the signal `signal`, entered until dropped.
#[inline]
pub(crate) fn send(signal: &'static str) -> tracing::span::EnteredSpan {
    tracing::debug_span!("send", signal).entered()
}

/// A send of a signal whose receivers return a value (`send`,
/// `send_iter`): an event, since its calls happen as its results are
/// taken, which may be outside any span the send could enter.
#[inline]
pub(crate) fn lazy_send(signal: &'static str) {
    tracing::debug!(signal, "send");
}

/// One receiver call.
#[inline]
pub(crate) fn call(receiver: &ReceiverInfo) {
    tracing::trace!(receiver = %receiver.path(), "call");
}
