//! A signal and its receivers, printed for a terminal as AMLTK prints an
//! emitter.

use core::fmt;

use crate::ReceiverInfo;

/// A signal and its receivers, as a tree: what a signal's `tree()` returns,
/// printed with `{}`.
///
/// ```text
/// @trial_finished 10
/// ├── scheduler::checkpoint(trial: u32) every = 2, max_calls = 3 (3)
/// ├── scheduler::log_trial(trial: u32) priority 5 (10)
/// └── progress bar [runtime] (10)
/// ```
///
/// - The first line is `@name`, then the sends counted, once the signal has
///   counted some ([counting](crate#counting)).
/// - Then each receiver in call order: its path and signature, or for a
///   runtime receiver its label (`ConnectOptions::name`) or closure type;
///   its sender filter, priority and policies when they are not the
///   defaults; and `(calls)` once there are some: a receiver with a policy
///   always counts its calls, the others while the signal counts.
/// - Receivers with the `hidden` policy are left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    name: String,
    sends: Option<u64>,
    receivers: Vec<ReceiverInfo>,
}

impl Tree {
    /// The tree of the signal `name`, which counted `sends` (if it
    /// counted), with `receivers` in call order.
    #[doc(hidden)]
    #[must_use]
    pub fn new(name: impl Into<String>, sends: Option<u64>, receivers: Vec<ReceiverInfo>) -> Self {
        Self {
            name: name.into(),
            sends,
            receivers,
        }
    }

    /// The signal's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sends counted, if the signal has counted.
    #[must_use]
    pub fn sends(&self) -> Option<u64> {
        self.sends
    }

    /// The receivers shown: all but the hidden ones, in call order.
    pub fn receivers(&self) -> impl Iterator<Item = &ReceiverInfo> {
        self.receivers
            .iter()
            .filter(|receiver| !receiver.policy().is_hidden())
    }
}

impl fmt::Display for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.name)?;
        // As AMLTK prints it: the count once there is one.
        if let Some(sends) = self.sends.filter(|&sends| sends > 0) {
            write!(f, " {sends}")?;
        }
        let shown: Vec<&ReceiverInfo> = self.receivers().collect();
        for (index, receiver) in shown.iter().enumerate() {
            let branch = if index + 1 == shown.len() {
                "└──"
            } else {
                "├──"
            };
            write!(f, "\n{branch} ")?;
            write_receiver(f, receiver)?;
        }
        Ok(())
    }
}

/// One receiver's line: `path(signature) details (calls)`.
fn write_receiver(f: &mut fmt::Formatter<'_>, receiver: &ReceiverInfo) -> fmt::Result {
    if receiver.is_async() {
        write!(f, "async ")?;
    }
    write!(f, "{}", receiver.path())?;
    match receiver.signature() {
        Some(signature) => write!(f, "{signature}")?,
        None => write!(f, " [runtime]")?,
    }
    let mut details = Vec::new();
    if let Some(sender) = receiver.sender() {
        details.push(format!("sender = {sender}"));
    }
    if receiver.priority() != 0 {
        details.push(format!("priority {}", receiver.priority()));
    }
    let mut policy = *receiver.policy();
    if policy.is_set() {
        policy = policy.without_hidden();
        if policy.is_set() {
            details.push(policy.to_string());
        }
    }
    if receiver.is_exhausted() {
        details.push("exhausted".to_owned());
    }
    if receiver.is_disabled() {
        details.push("disabled".to_owned());
    }
    if !details.is_empty() {
        write!(f, " {}", details.join(", "))?;
    }
    if let Some(calls) = receiver.calls().filter(|&calls| calls > 0) {
        write!(f, " ({calls})")?;
    }
    Ok(())
}

/// Several trees, one after the other: the signals of a struct, or of the
/// whole program ([`signals::tree()`](crate::tree())).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forest {
    trees: Vec<Tree>,
}

impl Forest {
    /// The trees given, in this order.
    #[must_use]
    pub fn new(trees: Vec<Tree>) -> Self {
        Self { trees }
    }

    /// The trees, in order.
    #[must_use]
    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }
}

impl fmt::Display for Forest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, tree) in self.trees.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{tree}")?;
        }
        Ok(())
    }
}

/// Every signal of the program (as [`all`](crate::all) lists them), as
/// trees.
#[must_use]
pub fn tree() -> Forest {
    Forest::new(
        crate::all()
            .into_iter()
            .map(crate::RegisteredSignal::tree)
            .collect(),
    )
}

/// A value whose fields are signal types, such as AMLTK's `Scheduler` or a
/// napari worker's signals: derived with `#[derive(Signals)]`, which prints
/// one tree for all of them and switches their counting together.
///
/// ```
/// use signals::{ConnectOptions, Signals, signal};
///
/// #[signal]
/// pub type Event = fn();
///
/// #[signal]
/// pub type Progress = fn(done: u32);
///
/// #[derive(Default, Signals)]
/// pub struct Scheduler {
///     pub on_start: Event,
///     pub on_progress: Progress,
///     #[signals(skip)]
///     pub name: String,
/// }
///
/// let scheduler = Scheduler::default();
/// scheduler.set_counting(true);
/// let bar = ConnectOptions::new().name("progress bar");
/// let _bar = scheduler.on_progress.connect_with(&bar, |done| println!("{done}%"));
/// scheduler.on_start.send();
/// scheduler.on_progress.send(50);
/// assert_eq!(
///     scheduler.tree().to_string(),
///     "@on_start 1\n@on_progress 1\n└── progress bar [runtime] (1)",
/// );
/// ```
pub trait Signals {
    /// The tree of each signal field, named after the field, in the order
    /// the fields are declared.
    fn tree(&self) -> Forest;

    /// Counts the sends and calls of every signal field from now on
    /// (`true`), or stops (`false`).
    fn set_counting(&self, on: bool);
}

impl Tree {
    /// The same tree under another name: a field's, for a value whose
    /// fields are signals.
    #[must_use]
    pub fn renamed(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}
