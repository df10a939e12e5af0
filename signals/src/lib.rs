//! Statically typed signals. (Manual to be written.)
#![deny(missing_docs, unsafe_code)]

mod dispatch;
mod receiver_info;
mod signal;
mod static_receiver;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use receiver_info::ReceiverInfo;
pub use signal::Signal;
pub use signals_macros::{receiver, signal};
