use core::fmt;
use core::marker::PhantomData;
use core::num::{NonZeroU32, NonZeroU64};
use std::borrow::Cow;

use crate::policy::Policy;

/// How to connect a receiver at run time: its priority, a unique key, a
/// label, and the [policies](crate#policies) `every`, `max_calls`,
/// `repeat` and `hidden`.
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
///
/// A policy value that would never call the receiver is a typed error:
///
/// ```
/// use signals::ConnectOptions;
///
/// let refused = ConnectOptions::new().every(0).unwrap_err();
/// assert_eq!(refused.option(), "every");
/// println!("{refused}"); // `every(0)` is refused: every(n) calls the receiver on sends n, 2n, 3n…, with n at least 1
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct ConnectOptions<Calls = Once> {
    pub(crate) settings: Settings,
    calls: PhantomData<Calls>,
}

/// What a [`ConnectOptions`] sets, whatever its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) priority: i32,
    pub(crate) key: Option<Cow<'static, str>>,
    pub(crate) label: Option<Cow<'static, str>>,
    pub(crate) policy: Policy,
}

/// Options that call the receiver once per send: what every signal takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Once;

/// Options that call the receiver several times per send
/// ([`repeat`](ConnectOptions::repeat)): only a signal whose receivers
/// return nothing takes them, since one send would get several results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Repeated;

/// [`Once`] or [`Repeated`].
pub trait Calls: sealed::Sealed {}

impl Calls for Once {}
impl Calls for Repeated {}

/// [`Once`]: the options a signal whose receivers return a value takes.
#[diagnostic::on_unimplemented(
    message = "a receiver that returns a value cannot be repeated",
    label = "these options call the receiver several times per send",
    note = "one send would get several results from one receiver: connect it without `repeat`"
)]
pub trait SingleCall: Calls {}

impl SingleCall for Once {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Once {}
    impl Sealed for super::Repeated {}
}

impl ConnectOptions {
    /// Priority 0, no key, no label, no policy.
    pub const fn new() -> Self {
        Self {
            settings: Settings {
                priority: 0,
                key: None,
                label: None,
                policy: Policy::NONE,
            },
            calls: PhantomData,
        }
    }

    /// The options of a `#[handler]` method: its priority, its label and
    /// its policy, which the macro has checked.
    #[doc(hidden)]
    pub fn __for_handler(priority: i32, label: &'static str, policy: Policy) -> Self {
        Self {
            settings: Settings {
                priority,
                key: None,
                label: Some(Cow::Borrowed(label)),
                policy,
            },
            calls: PhantomData,
        }
    }

    /// The same options, for a method with `repeat`: the macro has
    /// checked that its signal's receivers return nothing.
    #[doc(hidden)]
    pub fn __repeated(self) -> ConnectOptions<Repeated> {
        ConnectOptions {
            settings: self.settings,
            calls: PhantomData,
        }
    }

    /// Calls the receiver n times per send it is called for; that counts
    /// as one call towards `max_calls`. Only a signal whose receivers return
    /// nothing takes these options: one send would get n results.
    ///
    /// ```
    /// use signals::{ConnectOptions, signal};
    ///
    /// #[signal]
    /// pub fn started();
    ///
    /// let workers = ConnectOptions::new().repeat(2)?;
    /// let _launch = started.connect_with(&workers, || println!("launch a worker"));
    /// started.send(); // launch a worker, twice
    /// # Ok::<(), signals::InvalidOption>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `repeat(0)`, which would never call it.
    pub fn repeat(self, n: u32) -> Result<ConnectOptions<Repeated>, InvalidOption> {
        let repeat = NonZeroU32::new(n).ok_or(InvalidOption {
            option: "repeat",
            value: 0,
            expected: "repeat(n) calls the receiver n times per send, with n at least 1",
        })?;
        let mut settings = self.settings;
        settings.policy = settings.policy.with_repeat(repeat);
        Ok(ConnectOptions {
            settings,
            calls: PhantomData,
        })
    }
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: Calls> ConnectOptions<C> {
    /// Receivers with a higher priority run first; the default is 0. At
    /// equal priority, static receivers run before runtime ones, and runtime
    /// receivers in the order they were connected.
    pub fn priority(mut self, priority: i32) -> Self {
        self.settings.priority = priority;
        self
    }

    /// A unique key, like Django's `dispatch_uid`: while a receiver with
    /// this key is connected, connecting another with the same key keeps the
    /// first and returns its [`Connection`](crate::Connection). A weak
    /// receiver whose target is gone holds its key no more: it is
    /// disconnected, and the new receiver connected.
    pub fn key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.settings.key = Some(key.into());
        self
    }

    /// A name for the receiver, which `receivers()` shows in place of the
    /// closure's type name (`app::main::{{closure}}`).
    pub fn name(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.settings.label = Some(label.into());
        self
    }

    /// Calls the receiver on sends n, 2n, 3n… only, counting the sends it
    /// is connected for; `every(1)` is every send.
    ///
    /// # Errors
    ///
    /// `every(0)`, which would never call it.
    pub fn every(mut self, n: u32) -> Result<Self, InvalidOption> {
        let every = NonZeroU32::new(n).ok_or(InvalidOption {
            option: "every",
            value: 0,
            expected: "every(n) calls the receiver on sends n, 2n, 3n…, with n at least 1",
        })?;
        self.settings.policy = self.settings.policy.with_every(every);
        Ok(self)
    }

    /// Calls the receiver n times at most; then it stays connected, inert,
    /// and `receivers()` shows it exhausted.
    ///
    /// # Errors
    ///
    /// `max_calls(0)`, which would never call it.
    pub fn max_calls(mut self, n: u64) -> Result<Self, InvalidOption> {
        let max = NonZeroU64::new(n).ok_or(InvalidOption {
            option: "max_calls",
            value: 0,
            expected: "max_calls(n) calls the receiver n times at most, with n at least 1",
        })?;
        self.settings.policy = self.settings.policy.with_max_calls(max);
        Ok(self)
    }

    /// Leaves the receiver out of printed trees.
    pub fn hidden(mut self) -> Self {
        self.settings.policy = self.settings.policy.with_hidden();
        self
    }
}

/// A connect option with a value that is refused, with the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidOption {
    option: &'static str,
    value: u64,
    expected: &'static str,
}

impl InvalidOption {
    pub(crate) const fn new(option: &'static str, value: u64, expected: &'static str) -> Self {
        Self {
            option,
            value,
            expected,
        }
    }

    /// The option, as its method is named: `"every"`.
    #[must_use]
    pub fn option(&self) -> &'static str {
        self.option
    }

    /// The value refused.
    #[must_use]
    pub fn value(&self) -> u64 {
        self.value
    }

    /// What the option accepts.
    #[must_use]
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

impl fmt::Display for InvalidOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}({})` is refused: {}",
            self.option, self.value, self.expected
        )
    }
}

impl std::error::Error for InvalidOption {}
