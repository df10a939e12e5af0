//! The synchronisation primitives of the connection list: `std`'s, or
//! `loom`'s when the crate is built for the loom model, with
//! `RUSTFLAGS="--cfg loom --cfg crossbeam_loom"` (see `tests/loom.rs`).
//! `Arc` and `OnceLock` stay `std`'s: loom has no `Weak`, and the model
//! initialises each signal before it spawns threads.

#[cfg(loom)]
pub(crate) use loom::sync::Mutex;
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, AtomicU64};
#[cfg(not(loom))]
pub(crate) use std::sync::Mutex;
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU32, AtomicU64};
