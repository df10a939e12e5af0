use core::fmt;
use std::borrow::Cow;

use crate::options::Settings;
use crate::policy::{Policy, PolicyState};

/// What is known about one registered receiver: its name, where it was
/// declared, the sender it waits for and its priority.
///
/// Returned by a signal's `receivers()` method, in the order in which
/// `send_from` would call them; use it to check that a receiver did
/// register (see [cross-crate registration](crate#receivers-in-other-crates)).
///
/// ```
/// use signals::{receiver, signal};
///
/// #[signal]
/// pub fn booted();
///
/// #[receiver(signal = booted, priority = 5)]
/// fn greet() {}
///
/// let info = &booted.receivers()[0];
/// assert_eq!(info.name(), "greet");
/// assert_eq!(info.priority(), 5);
/// assert_eq!(info.sender(), None);
/// assert!(info.path().ends_with("::greet"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReceiverInfo {
    name: &'static str,
    /// A static receiver's parameters and result, as written:
    /// `(item: &Todo)`.
    signature: Option<&'static str>,
    module_path: &'static str,
    sender: Option<&'static str>,
    priority: i32,
    file: &'static str,
    line: u32,
    kind: ReceiverKind,
    key: Option<Cow<'static, str>>,
    /// The name a runtime receiver was given with `ConnectOptions::name`.
    label: Option<Cow<'static, str>>,
    policy: Policy,
    /// With a policy: the calls made when the description was taken.
    calls: Option<u64>,
    exhausted: bool,
    /// Disabled through the registry.
    disabled: bool,
    /// An `async fn` receiver, or one connected with `connect_async`.
    asynchronous: bool,
}

/// How a receiver was registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceiverKind {
    /// With `#[receiver]`, at link time.
    Static,
    /// With `connect` or one of its variants, at run time.
    Runtime,
}

impl ReceiverInfo {
    #[doc(hidden)]
    #[must_use]
    pub const fn new(
        name: &'static str,
        signature: &'static str,
        module_path: &'static str,
        sender: Option<&'static str>,
        priority: i32,
        file: &'static str,
        line: u32,
    ) -> Self {
        Self {
            name,
            signature: Some(signature),
            module_path,
            sender,
            priority,
            file,
            line,
            kind: ReceiverKind::Static,
            key: None,
            label: None,
            policy: Policy::NONE,
            calls: None,
            exhausted: false,
            disabled: false,
            asynchronous: false,
        }
    }

    /// The same receiver, as an async one.
    #[doc(hidden)]
    #[must_use]
    pub const fn asynchronous(mut self) -> Self {
        self.asynchronous = true;
        self
    }

    /// Whether it is async: an `async fn` receiver, or a runtime one
    /// connected with `connect_async`, whose calls a send awaits.
    #[must_use]
    pub const fn is_async(&self) -> bool {
        self.asynchronous
    }

    /// The same receiver, with the policy of its `#[receiver(..)]`.
    #[doc(hidden)]
    #[must_use]
    pub const fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// A runtime receiver's description, with the type name of its `when`.
    #[doc(hidden)]
    #[must_use]
    pub fn with_runtime_when(mut self, when: &'static str) -> Self {
        self.policy = self.policy.with_when(Some(when));
        self
    }

    pub(crate) fn set_disabled(&mut self) {
        self.disabled = true;
    }

    /// Whether it was disabled through the registry
    /// ([`RegisteredSignal::disable`](crate::RegisteredSignal::disable)):
    /// it stays registered, and no send calls it.
    #[must_use]
    pub const fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// The same description, with `calls` counted while its signal counts.
    pub(crate) fn with_calls(mut self, calls: u64) -> Self {
        self.calls = Some(calls);
        self
    }

    /// The same description, with the counts of `state` as they are now.
    pub(crate) fn counted(mut self, state: &PolicyState) -> Self {
        self.calls = Some(state.calls());
        self.exhausted = state.is_exhausted();
        self
    }

    /// A receiver connected at run time: `name` is the closure's type name,
    /// `file` and `line` where `connect` was called.
    pub(crate) fn runtime(
        name: &'static str,
        sender: Option<&'static str>,
        file: &'static str,
        line: u32,
    ) -> Self {
        Self {
            name,
            signature: None,
            module_path: "",
            sender,
            priority: 0,
            file,
            line,
            kind: ReceiverKind::Runtime,
            key: None,
            label: None,
            policy: Policy::NONE,
            calls: None,
            exhausted: false,
            disabled: false,
            asynchronous: false,
        }
    }

    pub(crate) fn set_runtime_options(&mut self, options: &Settings) {
        self.priority = options.priority;
        self.key.clone_from(&options.key);
        self.label.clone_from(&options.label);
        // A `when` comes with the receiver, not with the options.
        self.policy = options.policy.with_when(self.policy.when());
    }

    /// Whether the receiver was registered with `#[receiver]` or connected
    /// at run time.
    #[must_use]
    pub const fn kind(&self) -> ReceiverKind {
        self.kind
    }

    /// The name a runtime receiver was given with
    /// [`ConnectOptions::name`](crate::ConnectOptions::name), if any.
    #[must_use]
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The unique key it was connected with, if any.
    #[must_use]
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The receiver function's name, e.g. `"log_done"`; for a closure
    /// connected at run time, its type name, e.g. `"app::main::{{closure}}"`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// A static receiver's parameters and result as written, e.g.
    /// `"(item: &Todo)"`; `None` for a closure connected at run time.
    #[must_use]
    pub const fn signature(&self) -> Option<&'static str> {
        self.signature
    }

    /// The module the receiver is declared in, as `module_path!()` gives it;
    /// empty for a receiver connected at run time.
    #[must_use]
    pub const fn module_path(&self) -> &'static str {
        self.module_path
    }

    /// The full path `module::name`: together with the priority, it sets the
    /// order in which receivers are called. For a runtime receiver, its
    /// label if it has one, else the closure's type name.
    #[must_use]
    pub fn path(&self) -> String {
        if let Some(label) = &self.label {
            label.to_string()
        } else if self.module_path.is_empty() {
            self.name.to_owned()
        } else {
            format!("{}::{}", self.module_path, self.name)
        }
    }

    /// The sender type as written in `sender = ..`, or `None` for a receiver
    /// that gets every send.
    #[must_use]
    pub const fn sender(&self) -> Option<&'static str> {
        self.sender
    }

    /// The priority; higher runs first, the default is 0.
    #[must_use]
    pub const fn priority(&self) -> i32 {
        self.priority
    }

    /// The source file the receiver is declared in, or where it was
    /// connected.
    #[must_use]
    pub const fn file(&self) -> &'static str {
        self.file
    }

    /// The line of the `#[receiver]` attribute, or of the `connect` call.
    #[must_use]
    pub const fn line(&self) -> u32 {
        self.line
    }

    /// When the receiver is called: `every`, `when`, `max_calls`, `repeat`
    /// and `hidden`. [`Policy::NONE`] for a receiver without policies.
    #[must_use]
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// For a receiver with a policy, how many calls it had when
    /// `receivers()` was called (a `repeat` counting once); `None`
    /// otherwise.
    #[must_use]
    pub const fn calls(&self) -> Option<u64> {
        self.calls
    }

    /// Whether its `max_calls` are used up: it stays registered, and is no
    /// longer called.
    #[must_use]
    pub const fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// The total order of static receivers: priority, highest first, then
    /// the path, then the sender, so that it never depends on link order.
    pub(crate) fn call_order(&self, other: &Self) -> core::cmp::Ordering {
        other
            .priority
            .cmp(&self.priority)
            .then_with(|| self.path_bytes().cmp(other.path_bytes()))
            .then_with(|| self.sender.cmp(&other.sender))
            .then_with(|| self.file.cmp(other.file))
            .then_with(|| self.line.cmp(&other.line))
    }
}

impl ReceiverInfo {
    /// The bytes of [`path`](Self::path), without allocating it.
    fn path_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.module_path
            .bytes()
            .chain(*b"::")
            .chain(self.name.bytes())
    }
}

impl fmt::Display for ReceiverInfo {
    /// `todo::log_done (priority 0) at src/main.rs:12`, with
    /// `sender = User, ` before the priority for a filtered receiver.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (", self.path())?;
        if self.kind == ReceiverKind::Runtime {
            write!(f, "runtime, ")?;
        }
        if let Some(sender) = self.sender {
            write!(f, "sender = {sender}, ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "key = {key:?}, ")?;
        }
        if self.policy.is_set() {
            write!(f, "{}, ", self.policy)?;
        }
        if let Some(calls) = self.calls {
            write!(f, "{calls} calls, ")?;
        }
        if self.exhausted {
            write!(f, "exhausted, ")?;
        }
        if self.disabled {
            write!(f, "disabled, ")?;
        }
        write!(
            f,
            "priority {}) at {}:{}",
            self.priority, self.file, self.line
        )
    }
}
