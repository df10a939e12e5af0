//! Sends that report their receivers' failures: `send_robust`, which calls
//! every receiver whatever happens, and `try_send`, which stops at the
//! first `Err`. One generic body each, which the generated methods call.

use core::convert::Infallible;
use core::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::connections::Connections;
use crate::dispatch::StaticSlots;
use crate::emission::Emission;
use crate::error_hook::report;
use crate::failure::Failure;
use crate::list::Target;
use crate::signature::Signature;
use crate::{ReceiverError, ReceiverInfo};

/// What a receiver's result is made of: its value, or the `Err` that makes
/// it a failure. Implemented for every `Result`: the signals whose
/// receivers return one have `try_send`, and their `send_robust` counts an
/// `Err` as a failure.
#[doc(hidden)]
pub trait Fallible {
    type Value;
    type Error: fmt::Debug;
    fn into_result(self) -> Result<Self::Value, Self::Error>;
}

impl<T, E: fmt::Debug> Fallible for Result<T, E> {
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

impl<S: Signature> Connections<S> {
    /// Calls every receiver of a send from `O`, in call order, whatever
    /// happens: `call` calls one, and returns `None` for a receiver that
    /// produced no result; `split` tells a value from an `Err`. Returns
    /// each result and each failure, in call order.
    pub fn send_robust<O, R, T, E>(
        &self,
        statics: StaticSlots<'_, S, O>,
        mut call: impl FnMut(Target<'_, S, O>) -> Option<R>,
        split: fn(R) -> Result<T, E>,
    ) -> Vec<Result<T, ReceiverError<E>>>
    where
        O: ?Sized + 'static,
        E: fmt::Debug,
    {
        let mut results = Vec::new();
        self.robust(statics, |target, receiver| {
            match catch_unwind(AssertUnwindSafe(|| call(target))) {
                Ok(None) => {}
                Ok(Some(response)) => match split(response) {
                    Ok(value) => results.push(Ok(value)),
                    Err(error) => {
                        results.push(Err(self.failed(receiver, Failure::Returned(error))));
                    }
                },
                Err(payload) => results.push(Err(self.panicked(receiver, &*payload))),
            }
        });
        results
    }

    /// Calls every receiver of a send from `O` that returns nothing, in
    /// call order, whatever happens; returns the failures.
    pub fn send_robust_unit<O: ?Sized + 'static>(
        &self,
        statics: StaticSlots<'_, S, O>,
        mut call: impl FnMut(Target<'_, S, O>),
    ) -> Vec<ReceiverError> {
        let mut failures = Vec::new();
        self.robust(statics, |target, receiver| {
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| call(target))) {
                failures.push(self.panicked(receiver, &*payload));
            }
        });
        failures
    }

    /// Calls the receivers of a send from `O` in call order until one
    /// returns an `Err`; a panic propagates, as in `send`.
    ///
    /// # Errors
    ///
    /// The first `Err` a receiver returns, with the receiver.
    pub fn try_send<O, R, T, E>(
        &self,
        statics: StaticSlots<'_, S, O>,
        mut call: impl FnMut(Target<'_, S, O>) -> Option<R>,
        split: fn(R) -> Result<T, E>,
    ) -> Result<Vec<T>, ReceiverError<E>>
    where
        O: ?Sized + 'static,
        E: fmt::Debug,
    {
        let mut emission = self.emission(statics);
        let mut values = Vec::new();
        while let Some(next) = emission.next_described() {
            let Some(response) = call(next.target) else {
                continue;
            };
            match split(response) {
                Ok(value) => values.push(value),
                Err(error) => return Err(self.failed(next.receiver, Failure::Returned(error))),
            }
        }
        Ok(values)
    }

    /// Calls `each` with every receiver of a send from `O` and its
    /// description, as many times as its `repeat` says.
    fn robust<O: ?Sized + 'static>(
        &self,
        statics: StaticSlots<'_, S, O>,
        mut each: impl FnMut(Target<'_, S, O>, &ReceiverInfo),
    ) {
        let mut emission: Emission<'_, S, O> = self.emission(statics);
        while let Some(next) = emission.next_described() {
            for _ in 0..next.times {
                each(next.target, next.receiver);
            }
        }
    }

    fn panicked<E: fmt::Debug>(
        &self,
        receiver: &ReceiverInfo,
        payload: &(dyn core::any::Any + Send),
    ) -> ReceiverError<E> {
        let error = ReceiverError::panicked(S::SIGNAL_NAME, receiver.clone(), payload);
        report(self.existing(), &error);
        error
    }

    fn failed<E: fmt::Debug>(
        &self,
        receiver: &ReceiverInfo,
        failure: Failure<E>,
    ) -> ReceiverError<E> {
        let error = ReceiverError::new(S::SIGNAL_NAME, receiver.clone(), failure);
        report(self.existing(), &error);
        error
    }
}
