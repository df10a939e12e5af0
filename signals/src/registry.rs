//! Every `#[signal] fn` of the program, registered at link time: lookup by
//! name (Blinker's `Namespace`) and the picture of the whole program.

use core::fmt;

use crate::connections::List;
use crate::dispatch::{Rest, UnknownReceiver};
use crate::muted::Muted;
use crate::tree::Tree;
use crate::{ReceiverInfo, Signal};

/// A `#[signal] fn` as the registry knows it, without its types: what
/// [`lookup`] and [`all`] hand out. Its typed methods (`send`, `connect`)
/// stay on the signal itself.
///
/// ```
/// use signals::{receiver, signal};
///
/// #[signal]
/// pub fn cache_cleared();
///
/// #[receiver(signal = cache_cleared)]
/// fn log_clear() {}
///
/// let signal = signals::lookup("cache_cleared").unwrap();
/// assert_eq!(signal.name(), "cache_cleared");
/// assert_eq!(signal.signature(), "fn()");
/// assert_eq!(signal.receivers()[0].name(), "log_clear");
/// ```
pub struct RegisteredSignal {
    name: &'static str,
    module_path: &'static str,
    signature: &'static str,
    file: &'static str,
    line: u32,
    list: &'static List,
    receivers: fn() -> Vec<ReceiverInfo>,
    tables: fn() -> &'static Rest,
}

impl RegisteredSignal {
    /// The registration of the signal `S`, whose runtime list is `list`.
    #[doc(hidden)]
    #[must_use]
    pub const fn new<S: Signal>(list: &'static List, file: &'static str, line: u32) -> Self {
        Self {
            name: S::NAME,
            module_path: S::MODULE_PATH,
            signature: S::SIGNATURE,
            file,
            line,
            list,
            receivers: receivers_of::<S>,
            tables: tables_of::<S>,
        }
    }

    /// The signal's name as declared, e.g. `"todo_done"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The module it is declared in, as `module_path!()` gives it.
    #[must_use]
    pub fn module_path(&self) -> &'static str {
        self.module_path
    }

    /// The declared signature, e.g. `"fn(item: &Todo)"`.
    #[must_use]
    pub fn signature(&self) -> &'static str {
        self.signature
    }

    /// The source file the signal is declared in.
    #[must_use]
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// The line of its `#[signal]`: sorting by file and line gives the
    /// order of declaration.
    #[must_use]
    pub fn line(&self) -> u32 {
        self.line
    }

    /// `module_path::name`: how [`lookup`] tells apart two signals of the
    /// same name.
    #[must_use]
    pub fn path(&self) -> String {
        format!("{}::{}", self.module_path, self.name)
    }

    /// Every receiver, static and runtime, in call order.
    #[must_use]
    pub fn receivers(&self) -> Vec<ReceiverInfo> {
        (self.receivers)()
    }

    /// The signal and its receivers, to print.
    #[must_use]
    pub fn tree(&self) -> Tree {
        Tree::new(
            self.name,
            crate::connections::sends(self.list),
            self.receivers(),
        )
    }

    /// Counts the sends of the signal and the calls of its receivers from
    /// now on (`true`), or stops counting (`false`).
    pub fn set_counting(&self, on: bool) {
        crate::connections::set_counting(self.list, on);
    }

    /// The sends counted so far, or `None` if the signal never counted.
    #[must_use]
    pub fn sends(&self) -> Option<u64> {
        crate::connections::sends(self.list)
    }

    /// Stops calling the static receivers named `name` (a name, or the end
    /// of a path at a `::`), until [`enable`](Self::enable): they stay
    /// registered, and `receivers()` shows them disabled. Returns how many
    /// there were. From then on the signal's sends take the way that merges
    /// runtime receivers in, which checks them; runtime receivers are
    /// stopped through their [`Connection`](crate::Connection).
    ///
    /// ```
    /// use signals::{receiver, signal};
    ///
    /// #[signal]
    /// pub fn batch_done(batch: u32);
    ///
    /// #[receiver(signal = batch_done)]
    /// fn upload_metrics(batch: u32) {}
    ///
    /// let signal = signals::lookup("batch_done")?;
    /// assert_eq!(signal.disable("upload_metrics")?, 1);
    /// batch_done.send(1); // upload_metrics is not called
    /// assert!(batch_done.receivers()[0].is_disabled());
    /// let unknown = signal.disable("upload_metric").unwrap_err();
    /// assert_eq!(unknown.did_you_mean(), Some(batch_done.receivers()[0].path().as_str()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A name that matches no static receiver of the signal, with the
    /// nearest.
    pub fn disable(&self, name: &str) -> Result<usize, UnknownReceiver> {
        let tables = (self.tables)();
        let found = tables.set_enabled(name, false)?;
        crate::connections::set_static_options(self.list);
        Ok(found)
    }

    /// Calls again the static receivers named `name`, disabled before.
    ///
    /// # Errors
    ///
    /// A name that matches no static receiver of the signal.
    pub fn enable(&self, name: &str) -> Result<usize, UnknownReceiver> {
        (self.tables)().set_enabled(name, true)
    }

    /// Enables exactly the static receivers named in `names`, and disables
    /// the others (NiftyNet's choice of handlers, for static receivers).
    /// Nothing changes if a name is unknown.
    ///
    /// # Errors
    ///
    /// The first name that matches no static receiver.
    pub fn enable_only<N: AsRef<str>>(
        &self,
        names: impl IntoIterator<Item = N>,
    ) -> Result<(), UnknownReceiver> {
        (self.tables)().enable_only(names)?;
        crate::connections::set_static_options(self.list);
        Ok(())
    }

    /// Mutes the signal while the returned guard lives.
    pub fn mute(&self) -> Muted {
        crate::connections::mute(self.list)
    }

    /// Disconnects every runtime receiver; returns how many there were.
    // The count is for those who want it: disconnecting is the point.
    #[allow(clippy::must_use_candidate)]
    pub fn disconnect_all(&self) -> usize {
        crate::connections::disconnect_all(self.list)
    }

    /// Shows every receiver failure of this signal's robust sends to
    /// `hook`, like the signal's own `set_error_hook`: from configuration,
    /// by name. Returns the previous hook.
    pub fn set_error_hook(
        &self,
        hook: impl Fn(&crate::ReceiverError<&dyn fmt::Debug>) + Send + Sync + 'static,
    ) -> Option<std::sync::Arc<crate::ErrorHook>> {
        crate::connections::set_error_hook(self.list, Some(std::sync::Arc::new(hook)))
    }

    /// Removes this signal's error hook, and returns it.
    #[allow(clippy::must_use_candidate)] // called for its effect
    pub fn clear_error_hook(&self) -> Option<std::sync::Arc<crate::ErrorHook>> {
        crate::connections::set_error_hook(self.list, None)
    }
}

fn tables_of<S: Signal>() -> &'static Rest {
    S::__dispatch().rest()
}

fn receivers_of<S: Signal>() -> Vec<ReceiverInfo> {
    crate::connections::receivers(S::__dispatch(), S::__connections())
}

impl fmt::Debug for RegisteredSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisteredSignal")
            .field("path", &self.path())
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Counts the sends and calls of every signal in the registry from now on
/// (`true`), or stops (`false`). Signal types count value by value, with
/// their own `set_counting`.
pub fn set_counting(on: bool) {
    for signal in all() {
        signal.set_counting(on);
    }
}

/// One signal's entry in the link-time registry.
#[doc(hidden)]
pub struct SignalEntry(pub RegisteredSignal);

inventory::collect!(SignalEntry);

/// Every `#[signal] fn` linked into the program, by path.
///
/// Like receivers, a signal in a crate the final binary never names is not
/// linked, so it is not listed ([receivers in other
/// crates](crate#receivers-in-other-crates)). Signal types (per-object
/// signals) are values, not listed here.
#[must_use]
pub fn all() -> Vec<&'static RegisteredSignal> {
    let mut signals: Vec<&'static RegisteredSignal> = inventory::iter::<SignalEntry>
        .into_iter()
        .map(|entry| &entry.0)
        .collect();
    signals.sort_by_cached_key(|signal| signal.path());
    signals
}

/// The signal named `name`: its path (`"app::todo_done"`, or any suffix of
/// it at a `::`), or its plain name if only one signal has it.
///
/// ```
/// use signals::{LookupError, signal};
///
/// #[signal]
/// pub fn shipment_sent(id: u64);
///
/// assert!(signals::lookup("shipment_sent").is_ok());
/// match signals::lookup("shipment_snet") {
///     Err(LookupError::Unknown { near, .. }) => {
///         assert!(near.iter().any(|path| path.ends_with("::shipment_sent")));
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
///
/// # Errors
///
/// [`LookupError::Unknown`] with the nearest names, or
/// [`LookupError::Ambiguous`] with the paths that match.
pub fn lookup(name: &str) -> Result<&'static RegisteredSignal, LookupError> {
    let signals = all();
    let matching: Vec<&'static RegisteredSignal> = signals
        .iter()
        .copied()
        .filter(|signal| path_ends_with(&signal.path(), name))
        .collect();
    match matching.as_slice() {
        [signal] => Ok(*signal),
        [] => Err(LookupError::Unknown {
            name: name.to_owned(),
            near: near_matches(name, &signals),
        }),
        several => Err(LookupError::Ambiguous {
            name: name.to_owned(),
            candidates: several.iter().map(|signal| signal.path()).collect(),
        }),
    }
}

/// Whether `path` is `name`, or ends with `::name`.
fn path_ends_with(path: &str, name: &str) -> bool {
    path == name
        || path
            .strip_suffix(name)
            .is_some_and(|prefix| prefix.ends_with("::"))
}

/// How far a misspelling may be from a name to be suggested.
const NEAR: usize = 3;

/// The paths of the signals whose name, or path, is within a few edits of
/// `name`, nearest first.
fn near_matches(name: &str, signals: &[&'static RegisteredSignal]) -> Vec<String> {
    let mut near: Vec<(usize, String)> = signals
        .iter()
        .filter_map(|signal| {
            let path = signal.path();
            let distance =
                strsim::levenshtein(name, signal.name()).min(strsim::levenshtein(name, &path));
            (distance <= NEAR).then_some((distance, path))
        })
        .collect();
    near.sort();
    near.into_iter().map(|(_, path)| path).collect()
}

/// Why [`lookup`] found no signal.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupError {
    /// No signal has this name.
    Unknown {
        /// The name looked up.
        name: String,
        /// The paths of the signals with a similar name, nearest first.
        near: Vec<String>,
    },
    /// Several signals have this name: give more of the path.
    Ambiguous {
        /// The name looked up.
        name: String,
        /// The paths of the signals it names.
        candidates: Vec<String>,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown { name, near } => {
                write!(f, "no signal is named `{name}`")?;
                match near.as_slice() {
                    [] => write!(f, " (`signals::all()` lists them)"),
                    [one] => write!(f, "; did you mean `{one}`?"),
                    several => write!(f, "; did you mean one of `{}`?", several.join("`, `")),
                }
            }
            Self::Ambiguous { name, candidates } => write!(
                f,
                "several signals are named `{name}`: `{}`; give more of the path",
                candidates.join("`, `")
            ),
        }
    }
}

impl std::error::Error for LookupError {}
