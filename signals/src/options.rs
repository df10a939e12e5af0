use std::borrow::Cow;

/// How to connect a receiver at run time: its priority and a unique key.
///
/// ```
/// use signals::{ConnectOptions, signal};
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// let options = ConnectOptions::new().priority(10).key("audit");
/// let first = saved.connect_with(&options, |id| println!("audit {id}"));
/// // Same key: the receiver already connected stays, the new one is dropped.
/// let second = saved.connect_with(&options, |id| println!("again {id}"));
/// assert_eq!(first, second);
/// assert!(saved.disconnect_key("audit"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ConnectOptions {
    pub(crate) priority: i32,
    pub(crate) key: Option<Cow<'static, str>>,
}

impl ConnectOptions {
    /// Priority 0, no key.
    pub const fn new() -> Self {
        Self {
            priority: 0,
            key: None,
        }
    }

    /// Receivers with a higher priority run first; the default is 0. At
    /// equal priority, static receivers run before runtime ones, and runtime
    /// receivers in the order they were connected.
    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }

    /// A unique key, like Django's `dispatch_uid`: while a receiver with
    /// this key is connected, connecting another with the same key keeps the
    /// first and returns its [`Connection`](crate::Connection). A weak
    /// receiver whose target is gone holds its key no more: it is
    /// disconnected, and the new receiver connected.
    pub fn key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.key = Some(key.into());
        self
    }
}
