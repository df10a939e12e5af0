//! The runtime half of a signal, as the generated methods call it: a
//! `static` for each `#[signal]`, a field of each value of a signal type.
//! It creates the receiver list (`list.rs`) on the first connect or mute,
//! so that until then a send costs one load.

use core::fmt;
use core::marker::PhantomData;
use std::panic::Location;
use std::sync::{Arc, OnceLock};

use crate::connection::Connection;
use crate::dispatch::{Dispatch, StaticSlots};
use crate::emission::{Emission, emit_merged, emit_muted_or_counted, emit_static};
use crate::error_hook::ErrorHook;
use crate::list::{Callback, Shared, Target};
use crate::muted::Muted;
use crate::signature::Signature;
use crate::{Calls, ConnectOptions, ReceiverError, ReceiverInfo, Signal};

/// The runtime half of a signal.
#[doc(hidden)]
pub struct Connections<S: Signature> {
    /// Created on the first connect or mute: until then a send only checks
    /// that it is still empty. The list of the signal `S`, though its type
    /// does not say so: the same list code serves every signal.
    shared: List,
    // Through `S::Fn`, not `S`: a generic signal type holds a
    // `Connections<Self>`, and its parameters must be used in a way other
    // than by naming the type itself.
    signal: PhantomData<fn() -> S::Fn>,
}

impl<S: Signature> Connections<S> {
    /// No receivers.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            shared: List(OnceLock::new()),
            signal: PhantomData,
        }
    }

    fn shared(&self) -> &Arc<Shared> {
        shared(&self.shared)
    }

    /// The runtime list, if it was created.
    pub(crate) fn existing(&self) -> Option<&Shared> {
        self.shared.0.get().map(|shared| &**shared)
    }

    /// Shows every receiver failure of this signal's robust sends to
    /// `hook`, before the process-wide hook; returns the previous one.
    pub fn set_error_hook(
        &self,
        hook: impl Fn(&ReceiverError<&dyn fmt::Debug>) + Send + Sync + 'static,
    ) -> Option<Arc<ErrorHook>> {
        set_error_hook(&self.shared, Some(Arc::new(hook)))
    }

    /// Removes this signal's error hook, and returns it.
    pub fn clear_error_hook(&self) -> Option<Arc<ErrorHook>> {
        set_error_hook(&self.shared, None)
    }

    /// The runtime list, for the registry.
    #[must_use]
    pub const fn list(&'static self) -> &'static List {
        &self.shared
    }

    /// Calls every receiver of a send from a sender of type `O`: the static
    /// ones that `statics` gives and the runtime ones, merged in call
    /// order. `statics` is a function so that each way computes its own
    /// table: the plain loop keeps it in registers, whatever the counting
    /// way does with its copy.
    // Every send is this: it must not depend on the inliner's mood.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub fn emit<'s, O: ?Sized + 'static>(
        &self,
        statics: impl FnOnce() -> StaticSlots<'s, S, O>,
        call: impl FnMut(Target<'_, S, O>),
    ) {
        #[cfg(feature = "tracing")]
        let _span = crate::trace::send(S::SIGNAL_NAME);
        match self.shared.0.get() {
            Some(shared) if shared.is_active() => {
                // One test for the common case: neither muted nor counting.
                if shared.is_plain() {
                    emit_merged(shared, statics(), call, false, false);
                } else {
                    emit_muted_or_counted(shared, statics, call);
                }
            }
            // The static path: a plain loop over function pointers.
            _ => emit_static(statics(), call),
        }
    }

    /// The receivers of a send from a sender of type `O`, called one by
    /// one as the iterator is advanced.
    pub fn emission<'a, O: ?Sized + 'static>(
        &'a self,
        statics: StaticSlots<'a, S, O>,
    ) -> Emission<'a, S, O> {
        #[cfg(feature = "tracing")]
        crate::trace::lazy_send(S::SIGNAL_NAME);
        Emission::new(statics, self.shared.0.get().map(|shared| &**shared))
    }

    /// Connects `callback` with `options`; `info` describes it.
    pub fn connect<C: Calls>(
        &self,
        options: &ConnectOptions<C>,
        info: ReceiverInfo,
        callback: Callback<S>,
    ) -> Connection {
        self.shared().connect(&options.settings, info, callback)
    }

    /// Disconnects the receiver connected with `key`; returns whether there
    /// was one.
    pub fn disconnect_key(&self, key: &str) -> bool {
        disconnect_key(&self.shared, key)
    }

    /// Disconnects every runtime receiver; returns how many there were.
    pub fn disconnect_all(&self) -> usize {
        disconnect_all(&self.shared)
    }

    /// Mutes the signal while the returned guard lives.
    pub fn mute(&self) -> Muted {
        mute(&self.shared)
    }

    /// The runtime receivers, in call order. Receivers of targets that are
    /// gone are disconnected on the way.
    pub fn receivers(&self) -> Vec<ReceiverInfo> {
        runtime_receivers(&self.shared)
    }

    /// Makes every send take the way that reads the table with the static
    /// receivers of a policy that return a value.
    pub(crate) fn set_static_options(&self) {
        shared(&self.shared).set_static_options();
    }

    /// Counts the sends of the signal and the calls of its receivers from
    /// now on (`true`), or stops counting (`false`).
    pub fn set_counting(&self, on: bool) {
        set_counting(&self.shared, on);
    }

    /// The sends counted so far, or `None` if the signal never counted.
    #[must_use]
    pub fn sends(&self) -> Option<u64> {
        sends(&self.shared)
    }

    /// How many receivers are connected (blocked ones included).
    #[must_use]
    pub fn len(&self) -> usize {
        len(&self.shared)
    }

    /// Whether no receiver is connected at run time.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<S: Signature> Default for Connections<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Signature> fmt::Debug for Connections<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connections")
            .field("connected", &self.len())
            .finish_non_exhaustive()
    }
}

// The bodies of the methods above that do not depend on the signal: each
// compiled once, whatever the number of signals.

/// A signal's runtime list, created on its first connect or mute. Opaque:
/// the registry holds one for each signal, to mute it without its types.
#[doc(hidden)]
pub struct List(OnceLock<Arc<Shared>>);

fn shared(list: &List) -> &Arc<Shared> {
    list.0.get_or_init(|| Arc::new(Shared::new()))
}

pub(crate) fn mute(list: &List) -> Muted {
    shared(list).mute()
}

fn disconnect_key(list: &List, key: &str) -> bool {
    list.0
        .get()
        .is_some_and(|shared| shared.disconnect_key(key))
}

pub(crate) fn disconnect_all(list: &List) -> usize {
    list.0.get().map_or(0, Shared::disconnect_all)
}

fn runtime_receivers(list: &List) -> Vec<ReceiverInfo> {
    list.0
        .get()
        .map_or_else(Vec::new, |shared| shared.receivers())
}

pub(crate) fn set_static_options(list: &List) {
    shared(list).set_static_options();
}

pub(crate) fn set_error_hook(list: &List, hook: Option<Arc<ErrorHook>>) -> Option<Arc<ErrorHook>> {
    match (hook, list.0.get()) {
        // Removing a hook leaves no list to create.
        (None, None) => None,
        (hook, _) => shared(list).error_hook().set(hook),
    }
}

pub(crate) fn set_counting(list: &List, on: bool) {
    // Turning it off leaves no list to create.
    if on {
        shared(list).set_counting(true);
    } else if let Some(shared) = list.0.get() {
        shared.set_counting(false);
    }
}

pub(crate) fn sends(list: &List) -> Option<u64> {
    list.0.get().and_then(|shared| shared.sends())
}

fn has_counted(list: &List) -> bool {
    list.0.get().is_some_and(|shared| shared.has_counted())
}

fn len(list: &List) -> usize {
    list.0.get().map_or(0, |shared| shared.len())
}

/// A runtime receiver's description: the closure's type name, and the place
/// of the `connect` call.
#[doc(hidden)]
#[must_use]
#[track_caller]
pub fn runtime_info<F: ?Sized>(_receiver: &F, sender: Option<&'static str>) -> ReceiverInfo {
    let location = Location::caller();
    ReceiverInfo::runtime(
        core::any::type_name::<F>(),
        sender,
        location.file(),
        location.line(),
    )
}

/// Every receiver of a signal, static and runtime, in call order.
#[doc(hidden)]
#[must_use]
pub fn receivers<S: Signal>(
    dispatch: &Dispatch<S>,
    connections: &Connections<S>,
) -> Vec<ReceiverInfo> {
    let counted = has_counted(&connections.shared);
    merge_receivers(dispatch.receivers(counted), connections.receivers())
}

fn merge_receivers(statics: Vec<ReceiverInfo>, runtime: Vec<ReceiverInfo>) -> Vec<ReceiverInfo> {
    let mut merged = Vec::with_capacity(statics.len() + runtime.len());
    let mut runtime = runtime.into_iter().peekable();
    for info in statics {
        while let Some(next) = runtime.next_if(|next| next.priority() > info.priority()) {
            merged.push(next);
        }
        merged.push(info);
    }
    merged.extend(runtime);
    merged
}
