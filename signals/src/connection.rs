use core::fmt;
use std::sync::Weak;

/// What a [`Connection`] controls: one receiver connected at run time.
pub(crate) trait Link: Send + Sync {
    fn disconnect(&self) -> bool;
    fn is_connected(&self) -> bool;
    /// Blocks the receiver; returns the signal's count of blocks, which the
    /// guard releases even if the receiver is gone by then.
    fn block(&self) -> Option<Weak<dyn BlockCount>>;
    fn unblock(&self);
}

/// The signal's side of a [`ConnectionBlock`].
pub(crate) trait BlockCount: Send + Sync {
    fn unblocked(&self);
}

/// A handle to a receiver connected at run time.
///
/// Cheap to clone; dropping it does **not** disconnect the receiver (as in
/// Django, Qt and Boost.Signals2): call [`disconnect`](Self::disconnect), or
/// turn it into a [`ScopedConnection`] that disconnects when dropped. A
/// handle does not keep the receiver alive: once disconnected, the receiver
/// is dropped as soon as no send can still be running it.
///
/// ```
/// use signals::signal;
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// let connection = saved.connect(|id| println!("saved {id}"));
/// assert!(connection.is_connected());
/// assert!(connection.disconnect());
/// assert!(!connection.disconnect()); // already disconnected
/// ```
#[derive(Clone)]
pub struct Connection {
    link: Weak<dyn Link>,
}

impl Connection {
    pub(crate) fn new(link: Weak<dyn Link>) -> Self {
        Self { link }
    }

    /// Disconnects the receiver; returns whether it was connected.
    ///
    /// Once this returns, no send that starts afterwards calls the receiver,
    /// and a send in progress that has not reached it yet skips it. Only a
    /// call already under way on another thread may still finish (see the
    /// crate's [Threads](crate#threads) section).
    #[allow(clippy::must_use_candidate)] // disconnecting is the point; the result is optional
    pub fn disconnect(&self) -> bool {
        self.link.upgrade().is_some_and(|link| link.disconnect())
    }

    /// Whether the receiver is still connected: false once it was
    /// disconnected, once its signal was dropped, and, for a weak receiver,
    /// as soon as its target is gone.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.link.upgrade().is_some_and(|link| link.is_connected())
    }

    /// Stops the receiver from being called while the returned guard
    /// lives, like Boost's `shared_connection_block`. Guards nest: the
    /// receiver runs again when the last one is dropped.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use signals::signal;
    ///
    /// #[signal]
    /// pub fn tick();
    ///
    /// static TICKS: AtomicU32 = AtomicU32::new(0);
    /// let connection = tick.connect(|| { TICKS.fetch_add(1, Ordering::Relaxed); });
    /// {
    ///     let _blocked = connection.block();
    ///     tick.send(); // not counted
    /// }
    /// tick.send();
    /// assert_eq!(TICKS.load(Ordering::Relaxed), 1);
    /// # connection.disconnect();
    /// ```
    pub fn block(&self) -> ConnectionBlock {
        let signal = self.link.upgrade().and_then(|link| link.block());
        ConnectionBlock {
            connection: self.clone(),
            signal,
        }
    }

    /// A handle that disconnects the receiver when dropped.
    pub fn scoped(self) -> ScopedConnection {
        ScopedConnection { connection: self }
    }
}

impl PartialEq for Connection {
    /// Two handles are equal when they control the same receiver.
    fn eq(&self, other: &Self) -> bool {
        Weak::ptr_eq(&self.link, &other.link)
    }
}

impl Eq for Connection {}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("connected", &self.is_connected())
            .finish()
    }
}

/// A [`Connection`] that disconnects its receiver when dropped: for a
/// receiver that should live as long as some scope or object.
///
/// ```
/// use signals::signal;
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// {
///     let _connection = saved.connect(|id| println!("saved {id}")).scoped();
///     saved.send(1); // printed
/// }
/// saved.send(2); // disconnected
/// # assert!(saved.receivers().is_empty());
/// ```
#[must_use = "dropping a ScopedConnection disconnects its receiver at once"]
#[derive(Debug)]
pub struct ScopedConnection {
    connection: Connection,
}

impl ScopedConnection {
    /// The handle, to check or block the receiver.
    #[must_use]
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Gives up the scope: the receiver stays connected.
    #[must_use = "the returned handle is the only way left to disconnect the receiver"]
    pub fn release(mut self) -> Connection {
        // What is left behind controls nothing, so dropping it does nothing.
        core::mem::replace(
            &mut self.connection,
            Connection::new(Weak::<Released>::new()),
        )
    }
}

impl Drop for ScopedConnection {
    fn drop(&mut self) {
        self.connection.disconnect();
    }
}

/// The type of the handle a released [`ScopedConnection`] leaves behind: it
/// never has a receiver to control.
struct Released;

impl Link for Released {
    fn disconnect(&self) -> bool {
        false
    }
    fn is_connected(&self) -> bool {
        false
    }
    fn block(&self) -> Option<Weak<dyn BlockCount>> {
        None
    }
    fn unblock(&self) {}
}

/// Returned by [`Connection::block`]: the receiver is skipped until this
/// guard, and every other guard on it, is dropped.
#[must_use = "the receiver is blocked only while the guard lives"]
pub struct ConnectionBlock {
    connection: Connection,
    signal: Option<Weak<dyn BlockCount>>,
}

impl Drop for ConnectionBlock {
    fn drop(&mut self) {
        if let Some(link) = self.connection.link.upgrade() {
            link.unblock();
        }
        if let Some(signal) = self.signal.as_ref().and_then(Weak::upgrade) {
            signal.unblocked();
        }
    }
}

impl fmt::Debug for ConnectionBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionBlock")
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}
