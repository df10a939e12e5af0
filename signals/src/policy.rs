//! Receiver policies, as AMLTK's event handlers have them: `every`, `when`,
//! `max_calls`, `repeat` and `hidden`.

use core::fmt;
use core::num::{NonZeroU32, NonZeroU64};

// `core`'s atomics, not the loom switch's: a state lives in a `static`, and
// its counters are independent counts, outside the reclamation that the
// loom models check.
use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering::Relaxed;

/// When a receiver is called: the policies of `#[receiver(..)]`, shown by
/// [`ReceiverInfo::policy`](crate::ReceiverInfo::policy).
///
/// Each send is weighed in this order, as AMLTK does it:
///
/// 1. the send is counted;
/// 2. `every = n`: only the sends numbered n, 2n, 3n… go on;
/// 3. `when = predicate`: a `false` stops here, and uses up nothing else;
/// 4. `max_calls = n`: after n calls the receiver stays registered but
///    inert, and shows as exhausted;
/// 5. the receiver is called `repeat` times; that counts as one call
///    towards `max_calls`, counted before the call, so a call that panics
///    counts.
///
/// A receiver skipped by its policy gives no result to `send`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Policy {
    every: NonZeroU32,
    max_calls: Option<NonZeroU64>,
    repeat: NonZeroU32,
    when: Option<&'static str>,
    hidden: bool,
}

impl Policy {
    /// No policy: every send calls the receiver once.
    pub const NONE: Self = Self {
        every: NonZeroU32::MIN,
        max_calls: None,
        repeat: NonZeroU32::MIN,
        when: None,
        hidden: false,
    };

    /// The policy `#[receiver(..)]` was given; the macro has checked that
    /// `every` and `repeat` are at least 1. `max_calls = 0` means no limit.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(
        every: u32,
        max_calls: u64,
        repeat: u32,
        when: Option<&'static str>,
        hidden: bool,
    ) -> Self {
        Self {
            every: match NonZeroU32::new(every) {
                Some(every) => every,
                None => NonZeroU32::MIN,
            },
            max_calls: NonZeroU64::new(max_calls),
            repeat: match NonZeroU32::new(repeat) {
                Some(repeat) => repeat,
                None => NonZeroU32::MIN,
            },
            when,
            hidden,
        }
    }

    pub(crate) const fn with_every(mut self, every: NonZeroU32) -> Self {
        self.every = every;
        self
    }

    pub(crate) const fn with_max_calls(mut self, max_calls: NonZeroU64) -> Self {
        self.max_calls = Some(max_calls);
        self
    }

    pub(crate) const fn with_repeat(mut self, repeat: NonZeroU32) -> Self {
        self.repeat = repeat;
        self
    }

    pub(crate) const fn with_when(mut self, when: Option<&'static str>) -> Self {
        self.when = when;
        self
    }

    pub(crate) const fn with_hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// Called on every n-th send only; 1 when not set.
    #[must_use]
    pub const fn every(&self) -> u32 {
        self.every.get()
    }

    /// How many calls the receiver gets at most, if limited.
    #[must_use]
    pub const fn max_calls(&self) -> Option<u64> {
        match self.max_calls {
            Some(max) => Some(max.get()),
            None => None,
        }
    }

    /// How many times each admitted send calls it; 1 when not set.
    #[must_use]
    pub const fn repeat(&self) -> u32 {
        self.repeat.get()
    }

    /// The predicate's path, as written in `when = ..`.
    #[must_use]
    pub const fn when(&self) -> Option<&'static str> {
        self.when
    }

    /// Whether the receiver is left out of printed trees.
    #[must_use]
    pub const fn is_hidden(&self) -> bool {
        self.hidden
    }

    /// The same policy, shown.
    pub(crate) const fn without_hidden(mut self) -> Self {
        self.hidden = false;
        self
    }

    /// Whether the receiver needs counters: `every`, `max_calls` or
    /// `repeat` is set.
    pub(crate) const fn needs_counters(&self) -> bool {
        self.every.get() != 1 || self.max_calls.is_some() || self.repeat.get() != 1
    }

    /// Whether any policy is set.
    #[must_use]
    pub const fn is_set(&self) -> bool {
        self.every.get() != 1
            || self.max_calls.is_some()
            || self.repeat.get() != 1
            || self.when.is_some()
            || self.hidden
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::NONE
    }
}

impl fmt::Display for Policy {
    /// The policies that are set, as `#[receiver(..)]` spells them:
    /// `every = 2, max_calls = 3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.every.get() != 1 {
            parts.push(format!("every = {}", self.every));
        }
        if let Some(when) = self.when {
            parts.push(format!("when = {when}"));
        }
        if let Some(max) = self.max_calls {
            parts.push(format!("max_calls = {max}"));
        }
        if self.repeat.get() != 1 {
            parts.push(format!("repeat = {}", self.repeat));
        }
        if self.hidden {
            parts.push("hidden".to_owned());
        }
        f.write_str(&parts.join(", "))
    }
}

/// A receiver's policy and its counters. A static receiver's lives in a
/// `static`; the counters are atomic, so concurrent sends never call a
/// receiver more than `max_calls` times.
#[doc(hidden)]
pub struct PolicyState {
    policy: Policy,
    /// Sends that reached the receiver (step 1).
    sends: AtomicU64,
    /// Calls it was given (step 5), a `repeat` counting once.
    calls: AtomicU64,
}

impl PolicyState {
    #[must_use]
    pub const fn new(policy: Policy) -> Self {
        Self {
            policy,
            sends: AtomicU64::new(0),
            calls: AtomicU64::new(0),
        }
    }

    #[must_use]
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Steps 1 and 2: counts the send; whether `every` lets it on.
    #[inline]
    pub fn arrive(&self) -> bool {
        let send = self.sends.fetch_add(1, Relaxed).wrapping_add(1);
        send % u64::from(self.policy.every.get()) == 0
    }

    /// Step 4: takes one call, if `max_calls` leaves one.
    #[inline]
    pub fn claim(&self) -> bool {
        let Some(max) = self.policy.max_calls else {
            self.calls.fetch_add(1, Relaxed);
            return true;
        };
        self.calls
            .fetch_update(Relaxed, Relaxed, |calls| {
                (calls < max.get()).then_some(calls + 1)
            })
            .is_ok()
    }

    /// How many times `repeat` says to call the receiver.
    #[inline]
    #[must_use]
    pub fn repeat(&self) -> u32 {
        self.policy.repeat.get()
    }

    /// Calls given so far, a `repeat` counting once.
    #[must_use]
    pub fn calls(&self) -> u64 {
        self.calls.load(Relaxed)
    }

    /// Whether `max_calls` is used up.
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        self.policy
            .max_calls
            .is_some_and(|max| self.calls() >= max.get())
    }
}
