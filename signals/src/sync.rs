//! The synchronisation primitives of the runtime lists: `std`'s, or
//! `loom`'s when the crate is built for the loom model, with
//! `RUSTFLAGS="--cfg loom"` (see `tests/loom.rs`). `Arc` and `OnceLock`
//! stay `std`'s: loom has no `Weak`, and the model initialises each signal
//! before it spawns threads.
//!
//! The reclamation protocol (`reader.rs`) needs a store that is ordered
//! before a later load of another location: [`SeqCst`] gives it. Natively
//! it is a sequentially consistent access (`xchg` and `mov` on x86, `stlr`
//! and `ldar` on `AArch64`); loom models `SeqCst` fences but not `SeqCst`
//! accesses, so under loom it is a release store or acquire load with a
//! `SeqCst` fence on the side that needs it.

#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, atomic};
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, atomic};

use atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize};

/// Accesses that take part in the store-then-load protocol of `reader.rs`.
pub(crate) trait SeqCst {
    type Value;
    /// A store ordered before every later [`load_seq_cst`](Self::load_seq_cst).
    fn store_seq_cst(&self, value: Self::Value);
    /// A load ordered after every earlier [`store_seq_cst`](Self::store_seq_cst)
    /// or [`swap_seq_cst`](Self::swap_seq_cst).
    fn load_seq_cst(&self) -> Self::Value;
    /// A swap ordered like [`store_seq_cst`](Self::store_seq_cst).
    fn swap_seq_cst(&self, value: Self::Value) -> Self::Value;
}

macro_rules! seq_cst {
    ($(impl$(<$param:ident>)? for $atomic:ty = $value:ty;)*) => {$(
        impl$(<$param>)? SeqCst for $atomic {
            type Value = $value;

            #[inline]
            fn store_seq_cst(&self, value: $value) {
                #[cfg(not(loom))]
                self.store(value, atomic::Ordering::SeqCst);
                #[cfg(loom)]
                {
                    self.store(value, atomic::Ordering::Release);
                    atomic::fence(atomic::Ordering::SeqCst);
                }
            }

            #[inline]
            fn load_seq_cst(&self) -> $value {
                #[cfg(not(loom))]
                return self.load(atomic::Ordering::SeqCst);
                #[cfg(loom)]
                {
                    atomic::fence(atomic::Ordering::SeqCst);
                    self.load(atomic::Ordering::Acquire)
                }
            }

            #[inline]
            fn swap_seq_cst(&self, value: $value) -> $value {
                #[cfg(not(loom))]
                return self.swap(value, atomic::Ordering::SeqCst);
                #[cfg(loom)]
                {
                    let previous = self.swap(value, atomic::Ordering::AcqRel);
                    atomic::fence(atomic::Ordering::SeqCst);
                    previous
                }
            }
        }
    )*};
}

seq_cst! {
    impl for AtomicU64 = u64;
    impl for AtomicUsize = usize;
    impl for AtomicBool = bool;
    impl<T> for AtomicPtr<T> = *mut T;
}
