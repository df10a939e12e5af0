// Not public API: used by the code `#[signal]` and `#[receiver]` generate.

pub use core::any::Any;
pub use std::sync::{Arc, OnceLock};

pub use inventory;

pub use crate::async_concurrent::AsyncConcurrent;
pub use crate::async_send::{
    AsyncSend, Collect, Discard, Failures, Robust, Step, TryValues, Values,
};
pub use crate::async_slot::{AsyncSlot, Filler};
pub use crate::bridge::{OwnedArgument, failure_text};
pub use crate::connections::{Connections, List, receivers, runtime_info};
pub use crate::dispatch::{Dispatch, StaticSlots};
pub use crate::emission::{Emission, Responses};
pub use crate::failure::{DebugProbe, ViaDebug, WithoutDebug};
pub use crate::list::{Callback, Target};
pub use crate::mailbox::Poster;
pub use crate::named::NamedHandler;
pub use crate::policy::PolicyState;
pub use crate::queued::{Queueable, QueuedBorrowing, QueuedMutable, QueuedReturning, QueuedValue};
pub use crate::reader::light_reads;
pub use crate::receiver_info::ReceiverInfo;
pub use crate::registry::SignalEntry;
pub use crate::robust::{Fallible, PlainSend, RobustSend, Split, UnitSend, fallible, infallible};
pub use crate::sender::{SenderPointer, sender_name};
pub use crate::signal::{Accepts, AcceptsAsync, AcceptsFrom};
pub use crate::signature::Signature;
pub use crate::static_receiver::{
    ReceiverDefinition, ReceiverFunction, Registers, StaticReceiver, filtered,
    optional_with_policy, registration, unfiltered, unfiltered_async, unfiltered_with_policy,
};

/// Implemented by every `Copy` type: a by-value signal argument is handed to
/// each receiver in turn, so it must be `Copy`.
#[diagnostic::on_unimplemented(
    message = "signal argument `{Self}` is passed by value but is not `Copy`",
    label = "every receiver gets this argument, so it must be `Copy`",
    note = "pass it by reference instead: `&{Self}`"
)]
pub trait CopyArgument {
    /// A copy of the argument for the next receiver.
    #[must_use]
    fn copy_argument(&self) -> Self;
}

// Not `CopyArgument: Copy`: a supertrait would be checked first and report
// the plain "`String: Copy` is not satisfied" instead of the advice above.
impl<T: Copy> CopyArgument for T {
    #[inline]
    fn copy_argument(&self) -> Self {
        *self
    }
}

/// The [`Signature::AsyncFn`] of a signal that is not async: it has no
/// `async fn` receivers, and a match on one needs no arm.
#[derive(Clone, Copy, Debug)]
pub enum NotAsync {}

/// The sender of a plain `send`: a type no receiver can filter on, so that
/// `send` and `send_from` share one path.
#[derive(Debug)]
pub struct NoSender;
