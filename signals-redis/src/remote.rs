//! Which delivery from another process the current thread is running:
//! what [`remote`] returns to a receiver, and what keeps the publisher of
//! the same process from sending it back out.

use std::any::TypeId;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::SystemTime;

/// The stream entry a receiver is running for, when a [`Subscriber`]
/// delivers it from another process.
///
/// [`Subscriber`]: crate::Subscriber
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remote {
    /// The emission's id, given where it was sent: the same on every
    /// delivery of it, so that a receiver can skip one it has seen.
    pub emission: String,
    /// The stream entry's id.
    pub entry: String,
    /// The stream.
    pub stream: String,
    /// The publisher's source name.
    pub source: String,
    /// The type of the sender of a `send_from`, `None` for a plain `send`.
    pub sender: Option<String>,
    /// When it was sent, by the sending machine's clock.
    pub sent_at: SystemTime,
    /// How many times the entry has been delivered, this one included.
    pub deliveries: u64,
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Remote>>> = const { RefCell::new(None) };
    static SUPPRESSED: Cell<Option<TypeId>> = const { Cell::new(None) };
    static SENT_FROM: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// The entry from another process that the current thread is delivering,
/// while its receivers run; `None` in a local send. Shared, not copied:
/// asking costs a reference count.
///
/// ```
/// assert_eq!(signals_redis::remote(), None);
/// ```
#[must_use]
pub fn remote() -> Option<Arc<Remote>> {
    CURRENT.with(|current| current.borrow().clone())
}

/// Runs `deliver` as the delivery of `remote`, for the signal `S`: its
/// publisher in this process, if any, lets that one send pass.
pub(crate) fn delivering<S: 'static, R>(remote: Remote, deliver: impl FnOnce() -> R) -> R {
    struct Reset(Option<Arc<Remote>>, Option<TypeId>);
    impl Drop for Reset {
        fn drop(&mut self) {
            CURRENT.with(|current| *current.borrow_mut() = self.0.take());
            SUPPRESSED.with(|suppressed| suppressed.set(self.1));
        }
    }
    let previous = CURRENT.with(|current| current.borrow_mut().replace(Arc::new(remote)));
    let suppressed = SUPPRESSED.with(|suppressed| suppressed.replace(Some(TypeId::of::<S>())));
    let _reset = Reset(previous, suppressed);
    deliver()
}

/// Whether the publisher of `S` is called by a delivery from another
/// process, which it must not publish again; true once per delivery, so a
/// receiver's own later send of `S` is published.
pub(crate) fn take_suppressed<S: 'static>() -> bool {
    SUPPRESSED.with(|suppressed| {
        if suppressed.get() == Some(TypeId::of::<S>()) {
            suppressed.set(None);
            true
        } else {
            false
        }
    })
}

/// The sender type of the send whose `send_from` forwarder just
/// published it, for the plain forwarder that the same send calls next.
pub(crate) fn mark_sent_from(sender: &'static str) {
    SENT_FROM.with(|sent| sent.set(Some(sender)));
}

pub(crate) fn take_sent_from() -> Option<&'static str> {
    SENT_FROM.with(Cell::take)
}
