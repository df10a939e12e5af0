use core::fmt;
use std::sync::Weak;

/// Mutes a signal while it lives: its sends call no receiver, static or
/// runtime. Guards nest.
///
/// ```
/// use signals::{receiver, signal};
/// # use std::sync::atomic::{AtomicU32, Ordering};
/// # static CALLS: AtomicU32 = AtomicU32::new(0);
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// #[receiver(signal = saved)]
/// fn count(_id: u64) { CALLS.fetch_add(1, Ordering::Relaxed); }
///
/// {
///     let _muted = saved.mute();
///     saved.send(1); // nothing is called
/// }
/// saved.send(2);
/// assert_eq!(CALLS.load(Ordering::Relaxed), 1);
/// ```
///
/// The guard neither borrows the signal nor keeps it alive, so the object
/// that owns a signal can change itself, or be dropped, while its signal is
/// muted.
#[must_use = "the signal is muted only while the guard lives"]
pub struct Muted {
    signal: Weak<dyn Mute>,
}

/// What a [`Muted`] guard undoes.
pub(crate) trait Mute: Send + Sync {
    fn unmute(&self);
}

impl Muted {
    pub(crate) fn new(signal: Weak<dyn Mute>) -> Self {
        Self { signal }
    }
}

impl Drop for Muted {
    fn drop(&mut self) {
        if let Some(signal) = self.signal.upgrade() {
            signal.unmute();
        }
    }
}

impl fmt::Debug for Muted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Muted").finish_non_exhaustive()
    }
}
