//! Handler objects: a struct whose methods receive several signals,
//! installed as one unit and removed as one unit (NiftyNet's event
//! handlers).

use core::fmt;
use std::sync::Arc;

use crate::{Connection, ScopedConnection};

/// A struct whose methods receive signals: implemented by
/// [`#[handler]`](crate::handler) on its `impl` block, where each receiving
/// method carries a `#[receiver(..)]` attribute.
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use signals::{Handler, handler, signal};
///
/// #[signal]
/// pub fn iteration_finished(iteration: u32);
///
/// #[signal]
/// pub fn session_finished();
///
/// #[derive(Default)]
/// pub struct ModelSaver {
///     saved: AtomicU32,
/// }
///
/// #[handler]
/// impl ModelSaver {
///     #[receiver(signal = iteration_finished, every = 10)]
///     fn save(&self, iteration: u32) {
///         self.saved.fetch_add(1, Ordering::Relaxed);
///         println!("saved after iteration {iteration}");
///     }
///
///     #[receiver(signal = session_finished)]
///     fn save_last(&self) {
///         self.saved.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let saver = ModelSaver::default().install();
/// for iteration in 1..=25 {
///     iteration_finished.send(iteration); // saves after 10 and 20
/// }
/// session_finished.send();
/// assert_eq!(saver.handler().saved.load(Ordering::Relaxed), 3);
/// drop(saver); // every method disconnected
/// assert!(iteration_finished.receivers().is_empty());
/// ```
///
/// Methods take `&self`: the handler is shared by its connections, behind
/// an `Arc`. State that changes is the struct's own, in atomics or a
/// `Mutex`.
pub trait Handler: Send + Sync + Sized + 'static {
    /// Connects each receiving method to its signal.
    #[doc(hidden)]
    fn __connect(this: &Arc<Self>) -> Vec<Connection>;

    /// Connects every receiving method; dropping the returned guard
    /// disconnects them all.
    #[must_use = "dropping the guard uninstalls the handler at once"]
    fn install(self) -> Installed<Self> {
        Installed::new(Arc::new(self))
    }

    /// Like [`install`](Self::install), for a handler shared elsewhere too.
    #[must_use = "dropping the guard uninstalls the handler at once"]
    fn install_shared(this: Arc<Self>) -> Installed<Self> {
        Installed::new(this)
    }
}

/// An installed [`Handler`]: its receiving methods stay connected while
/// this guard lives.
#[must_use = "dropping the guard uninstalls the handler at once"]
pub struct Installed<H> {
    handler: Arc<H>,
    connections: Vec<ScopedConnection>,
}

impl<H: Handler> Installed<H> {
    fn new(handler: Arc<H>) -> Self {
        let connections = H::__connect(&handler)
            .into_iter()
            .map(Connection::scoped)
            .collect();
        Self {
            handler,
            connections,
        }
    }

    /// The handler.
    #[must_use]
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// One connection per receiving method, in the order the methods are
    /// written.
    pub fn connections(&self) -> &[ScopedConnection] {
        &self.connections
    }

    /// Disconnects every method now; the same as dropping the guard.
    pub fn uninstall(self) {}
}

impl<H> fmt::Debug for Installed<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Installed")
            .field("handler", &core::any::type_name::<H>())
            .field("connections", &self.connections.len())
            .finish()
    }
}
