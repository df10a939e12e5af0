//! Error hooks: what sees every receiver failure that a send reports
//! instead of propagating, for one signal or for all of them.

use core::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use crate::ReceiverError;
use crate::failure::Render;
use crate::list::Shared;

/// An error hook: shown each receiver failure of a robust send, with the
/// receiver's `Err` (if it returned one) seen through its `Debug`, or as
/// its type's name if it has none.
pub type ErrorHook = dyn Fn(&ReceiverError<&dyn fmt::Debug>) + Send + Sync;

/// Where a hook is kept: the process's, or one signal's.
pub(crate) struct ErrorHookSlot(RwLock<Option<Arc<ErrorHook>>>);

impl ErrorHookSlot {
    pub(crate) const fn new() -> Self {
        Self(RwLock::new(None))
    }

    pub(crate) fn set(&self, hook: Option<Arc<ErrorHook>>) -> Option<Arc<ErrorHook>> {
        let mut slot = self.0.write().unwrap_or_else(PoisonError::into_inner);
        core::mem::replace(&mut *slot, hook)
    }

    /// The hook, out of the lock: a hook may set hooks.
    fn get(&self) -> Option<Arc<ErrorHook>> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

static PROCESS_HOOK: ErrorHookSlot = ErrorHookSlot::new();

/// Shows every receiver failure of every robust send (`send_robust`, and
/// the `Err` at which `try_send` stops) to `hook`, after the hook of the
/// failing signal, if it has one. Replaces the previous process-wide hook,
/// which it returns.
///
/// Failures are never lost: psygnal and superqt users asked for this
/// because a failing callback there was printed, or not even that, and
/// forgotten. A hook runs on the sending thread, in the middle of the send;
/// if it panics, the panic propagates out of the send.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use signals::{receiver, signal};
///
/// #[signal]
/// pub fn imported(rows: usize);
///
/// #[receiver(signal = imported)]
/// fn check(rows: usize) {
///     assert!(rows > 0, "empty import");
/// }
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = Arc::clone(&seen);
/// signals::set_error_hook(move |failure| log.lock().unwrap().push(failure.to_string()));
///
/// # std::panic::set_hook(Box::new(|_| {}));
/// let _ = imported.send_robust(0);
/// assert!(seen.lock().unwrap()[0].ends_with("panicked: empty import"));
/// signals::clear_error_hook();
/// ```
pub fn set_error_hook(
    hook: impl Fn(&ReceiverError<&dyn fmt::Debug>) + Send + Sync + 'static,
) -> Option<Arc<ErrorHook>> {
    PROCESS_HOOK.set(Some(Arc::new(hook)))
}

/// Removes the process-wide error hook, and returns it.
pub fn clear_error_hook() -> Option<Arc<ErrorHook>> {
    PROCESS_HOOK.set(None)
}

/// Shows `error` to the hook of its signal (`shared`'s), then to the
/// process's; a receiver's `Err` is shown through `render`.
pub(crate) fn report<E>(shared: Option<&Shared>, error: &ReceiverError<E>, render: Render<E>) {
    let signal_hook = shared.and_then(|shared| shared.error_hook().get());
    let process_hook = PROCESS_HOOK.get();
    if signal_hook.is_none() && process_hook.is_none() {
        return;
    }
    let rendered = error.rendered(render);
    let shown = error.shown(&rendered);
    for hook in signal_hook.iter().chain(&process_hook) {
        hook(&shown);
    }
}
