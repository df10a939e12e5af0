//! Sends that report their receivers' failures: `send_robust`, which calls
//! every receiver whatever happens, and `try_send`, which stops at the
//! first `Err`. One generic body each, which the generated methods call.

use core::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::ReceiverError;
use crate::async_send::Reporter;
use crate::connections::Connections;
use crate::dispatch::StaticSlots;
use crate::emission::{Emission, Responses};
use crate::failure::Render;
use crate::list::Target;
use crate::signature::Signature;

/// What a receiver's result is made of: its value, or the `Err` that makes
/// it a failure. Implemented for every `Result`: the signals whose
/// receivers return one have `try_send`, and their `send_robust` counts an
/// `Err` as a failure.
#[doc(hidden)]
pub trait Fallible {
    type Value;
    type Error;
    fn into_result(self) -> Result<Self::Value, Self::Error>;
}

impl<T, E> Fallible for Result<T, E> {
    type Value = T;
    type Error = E;

    #[inline]
    fn into_result(self) -> Self {
        self
    }
}

/// A receiver's result as it is: never a failure.
#[doc(hidden)]
#[inline]
#[must_use]
pub fn infallible<R>(response: R) -> Result<R, Infallible> {
    Ok(response)
}

/// A receiver's `Result`, split.
#[doc(hidden)]
#[inline]
pub fn fallible<R: Fallible>(response: R) -> Result<R::Value, R::Error> {
    response.into_result()
}

/// How a robust send reads a receiver's result: `split` tells a value
/// from an `Err`, and `render` shows an `Err` to the error hooks.
#[doc(hidden)]
pub struct Split<R, T, E> {
    pub(crate) split: fn(R) -> Result<T, E>,
    pub(crate) render: Render<E>,
}

impl<R, T, E> Clone for Split<R, T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, T, E> Copy for Split<R, T, E> {}

impl<R, T, E> Split<R, T, E> {
    #[must_use]
    pub const fn new(split: fn(R) -> Result<T, E>, render: Render<E>) -> Self {
        Self { split, render }
    }
}

/// How a signal whose receivers return nothing sends: plainly, or
/// robustly. The generated sends share one body, generic over this.
#[doc(hidden)]
pub trait UnitSend {
    type Output;

    fn send<'s, S: Signature, O: ?Sized + 'static>(
        connections: &Connections<S>,
        statics: impl FnOnce() -> StaticSlots<'s, S, O>,
        call: impl FnMut(Target<'_, S, O>),
    ) -> Self::Output;
}

/// `send`: a panic propagates.
#[doc(hidden)]
pub struct PlainSend;

impl UnitSend for PlainSend {
    type Output = ();

    // Every send is this: see `Connections::emit`.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn send<'s, S: Signature, O: ?Sized + 'static>(
        connections: &Connections<S>,
        statics: impl FnOnce() -> StaticSlots<'s, S, O>,
        call: impl FnMut(Target<'_, S, O>),
    ) {
        connections.emit(statics, call);
    }
}

/// `send_robust`: the failures.
#[doc(hidden)]
pub struct RobustSend;

impl UnitSend for RobustSend {
    type Output = Vec<ReceiverError>;

    fn send<'s, S: Signature, O: ?Sized + 'static>(
        connections: &Connections<S>,
        statics: impl FnOnce() -> StaticSlots<'s, S, O>,
        call: impl FnMut(Target<'_, S, O>),
    ) -> Vec<ReceiverError> {
        connections.send_robust_unit(statics(), call)
    }
}

impl<S: Signature> Connections<S> {
    /// Calls every receiver of a send from `O` that returns nothing, in
    /// call order, whatever happens; returns the failures.
    pub fn send_robust_unit<O: ?Sized + 'static>(
        &self,
        statics: StaticSlots<'_, S, O>,
        mut call: impl FnMut(Target<'_, S, O>),
    ) -> Vec<ReceiverError> {
        let mut emission: Emission<'_, S, O> = self.emission(statics);
        let reporter = Reporter::of::<S>(emission.shared());
        let mut failures = Vec::new();
        while let Some(next) = emission.next_described() {
            for _ in 0..next.times {
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| call(next.target))) {
                    failures.push(reporter.panicked(next.receiver, &*payload));
                }
            }
        }
        failures
    }
}

impl<S, O, R, C> Responses<'_, S, O, C>
where
    S: Signature,
    O: ?Sized + 'static,
    C: FnMut(Target<'_, S, O>) -> Option<R>,
{
    /// Calls every receiver, in call order, whatever happens; `split`
    /// tells an `Err` from a value. Returns each result and each failure,
    /// in call order: a receiver that gave no result gives nothing.
    pub fn robust<T, E>(mut self, split: Split<R, T, E>) -> Vec<Result<T, ReceiverError<E>>> {
        let reporter = Reporter::of::<S>(self.emission.shared());
        let call = &mut self.call;
        let mut results = Vec::new();
        while let Some(next) = self.emission.next_described() {
            match catch_unwind(AssertUnwindSafe(|| call(next.target))) {
                Ok(None) => {}
                Ok(Some(response)) => results.push(
                    (split.split)(response)
                        .map_err(|error| reporter.error(next.receiver, error, split.render)),
                ),
                Err(payload) => results.push(Err(reporter.panicked(next.receiver, &*payload))),
            }
        }
        results
    }

    /// Calls the receivers in call order until one returns an `Err`; a
    /// panic propagates, as in `send`.
    ///
    /// # Errors
    ///
    /// The first `Err` a receiver returns, with the receiver.
    pub fn try_all<T, E>(mut self, split: Split<R, T, E>) -> Result<Vec<T>, ReceiverError<E>> {
        let reporter = Reporter::of::<S>(self.emission.shared());
        let mut values = Vec::new();
        while let Some(next) = self.emission.next_described() {
            let Some(response) = (self.call)(next.target) else {
                continue;
            };
            match (split.split)(response) {
                Ok(value) => values.push(value),
                Err(error) => return Err(reporter.error(next.receiver, error, split.render)),
            }
        }
        Ok(values)
    }
}
