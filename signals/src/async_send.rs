//! An async send: the future that `send(..).await` polls. It calls the
//! receivers in call order, inside the caller's task: a sync receiver
//! inline, an async one by polling its future to completion before the
//! next receiver starts. Nothing is spawned, and no runtime is assumed.

use core::future::Future;
use core::marker::PhantomPinned;
use core::ops::ControlFlow;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::async_emission::{AsyncEmission, Receiver};
use crate::async_slot::{AsyncSlot, BoxFuture, Filler, Started};
use crate::connections::Connections;
use crate::dispatch::StaticSlots;
use crate::error_hook::report;
use crate::failure::{Failure, Render};
use crate::list::{Shared, Target};
use crate::robust::Split;
use crate::signature::Signature;
use crate::{ReceiverError, ReceiverInfo};

/// What calling one receiver of an async send started.
#[doc(hidden)]
pub enum Step<'a, R> {
    /// A sync receiver's result.
    Ready(R),
    /// Nothing: a receiver its policy skipped.
    Skipped,
    /// A static async receiver's future, now in the send's slot (or
    /// nothing, if its policy skipped the send).
    Started,
    /// A runtime async receiver's future.
    Pending(BoxFuture<'a, R>),
}

/// What calling a receiver left in `slot`: its result, a future to poll
/// (a static receiver's in place, a runtime one's boxed), or nothing.
pub(crate) fn begin<'a, R, const N: usize>(
    slot: Pin<&mut AsyncSlot<'a, R, N>>,
    step: Step<'a, R>,
) -> Started<R> {
    match step {
        Step::Ready(response) => Started::Ready(response),
        Step::Skipped => Started::Skipped,
        Step::Started => slot.started(),
        Step::Pending(future) => {
            slot.hold_boxed(future);
            Started::Pending
        }
    }
}

/// Where a receiver's failure is reported: its signal's error hook and
/// the process's.
#[doc(hidden)]
pub struct Reporter<'r> {
    signal: &'static str,
    shared: Option<&'r Shared>,
}

impl<'r> Reporter<'r> {
    /// The reporter of the signal `S`, whose runtime list is `shared`.
    pub(crate) fn of<S: Signature>(shared: Option<&'r Shared>) -> Self {
        Self {
            signal: S::SIGNAL_NAME,
            shared,
        }
    }

    /// The receiver's `Err`, reported: shown through `render`.
    pub(crate) fn error<E>(
        &self,
        receiver: &ReceiverInfo,
        error: E,
        render: Render<E>,
    ) -> ReceiverError<E> {
        let error = ReceiverError::new(self.signal, receiver.clone(), Failure::Returned(error));
        report(self.shared, &error, render);
        error
    }

    pub(crate) fn panicked<E>(
        &self,
        receiver: &ReceiverInfo,
        payload: &(dyn Any + Send),
    ) -> ReceiverError<E> {
        let error = ReceiverError::panicked(self.signal, receiver.clone(), payload);
        report(self.shared, &error, None);
        error
    }
}

/// What an async send makes of its receivers' results.
#[doc(hidden)]
pub trait Collect<R> {
    type Output;
    /// Whether a receiver's panic is caught and reported, or propagates.
    const CATCHES: bool;
    /// A receiver's result; `Break` ends the send. `receiver` describes
    /// the receiver, for a failure: most results need none.
    fn response<'r>(
        &mut self,
        response: R,
        receiver: impl FnOnce() -> &'r ReceiverInfo,
        reporter: &Reporter<'_>,
    ) -> ControlFlow<()>;
    /// A receiver's caught panic.
    fn panicked(
        &mut self,
        receiver: &ReceiverInfo,
        payload: &(dyn Any + Send),
        reporter: &Reporter<'_>,
    );
    fn finish(self) -> Self::Output;
}

/// `send` of a signal whose receivers return nothing.
#[doc(hidden)]
pub struct Discard;

impl Collect<()> for Discard {
    type Output = ();
    const CATCHES: bool = false;

    fn response<'r>(
        &mut self,
        (): (),
        _: impl FnOnce() -> &'r ReceiverInfo,
        _: &Reporter<'_>,
    ) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    fn panicked(&mut self, _: &ReceiverInfo, _: &(dyn Any + Send), _: &Reporter<'_>) {}

    fn finish(self) {}
}

/// `send` of a signal whose receivers return a value: each one, in call
/// order.
#[doc(hidden)]
#[derive(Default)]
pub struct Values<R>(Vec<R>);

impl<R> Values<R> {
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }
}

impl<R> Collect<R> for Values<R> {
    type Output = Vec<R>;
    const CATCHES: bool = false;

    fn response<'r>(
        &mut self,
        response: R,
        _: impl FnOnce() -> &'r ReceiverInfo,
        _: &Reporter<'_>,
    ) -> ControlFlow<()> {
        self.0.push(response);
        ControlFlow::Continue(())
    }

    fn panicked(&mut self, _: &ReceiverInfo, _: &(dyn Any + Send), _: &Reporter<'_>) {}

    fn finish(self) -> Vec<R> {
        self.0
    }
}

/// `send_robust` of a signal whose receivers return nothing: the failures.
#[doc(hidden)]
#[derive(Default)]
pub struct Failures(Vec<ReceiverError>);

impl Failures {
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }
}

impl Collect<()> for Failures {
    type Output = Vec<ReceiverError>;
    const CATCHES: bool = true;

    fn response<'r>(
        &mut self,
        (): (),
        _: impl FnOnce() -> &'r ReceiverInfo,
        _: &Reporter<'_>,
    ) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    fn panicked(
        &mut self,
        receiver: &ReceiverInfo,
        payload: &(dyn Any + Send),
        reporter: &Reporter<'_>,
    ) {
        self.0.push(reporter.panicked(receiver, payload));
    }

    fn finish(self) -> Vec<ReceiverError> {
        self.0
    }
}

/// `send_robust` of a signal whose receivers return a value: each result
/// or failure, in call order; `split` tells an `Err` from a value.
#[doc(hidden)]
pub struct Robust<R, T, E> {
    results: Vec<Result<T, ReceiverError<E>>>,
    split: Split<R, T, E>,
}

impl<R, T, E> Robust<R, T, E> {
    #[must_use]
    pub const fn new(split: Split<R, T, E>) -> Self {
        Self {
            results: Vec::new(),
            split,
        }
    }
}

impl<R, T, E> Collect<R> for Robust<R, T, E> {
    type Output = Vec<Result<T, ReceiverError<E>>>;
    const CATCHES: bool = true;

    fn response<'r>(
        &mut self,
        response: R,
        receiver: impl FnOnce() -> &'r ReceiverInfo,
        reporter: &Reporter<'_>,
    ) -> ControlFlow<()> {
        let render = self.split.render;
        let result =
            (self.split.split)(response).map_err(|error| reporter.error(receiver(), error, render));
        self.results.push(result);
        ControlFlow::Continue(())
    }

    fn panicked(
        &mut self,
        receiver: &ReceiverInfo,
        payload: &(dyn Any + Send),
        reporter: &Reporter<'_>,
    ) {
        self.results.push(Err(reporter.panicked(receiver, payload)));
    }

    fn finish(self) -> Self::Output {
        self.results
    }
}

/// `try_send`: the values until the first `Err`, which ends the send.
#[doc(hidden)]
pub struct TryValues<R, T, E> {
    values: Vec<T>,
    error: Option<ReceiverError<E>>,
    split: Split<R, T, E>,
}

impl<R, T, E> TryValues<R, T, E> {
    #[must_use]
    pub const fn new(split: Split<R, T, E>) -> Self {
        Self {
            values: Vec::new(),
            error: None,
            split,
        }
    }
}

impl<R, T, E> Collect<R> for TryValues<R, T, E> {
    type Output = Result<Vec<T>, ReceiverError<E>>;
    const CATCHES: bool = false;

    fn response<'r>(
        &mut self,
        response: R,
        receiver: impl FnOnce() -> &'r ReceiverInfo,
        reporter: &Reporter<'_>,
    ) -> ControlFlow<()> {
        match (self.split.split)(response) {
            Ok(value) => {
                self.values.push(value);
                ControlFlow::Continue(())
            }
            Err(error) => {
                self.error = Some(reporter.error(receiver(), error, self.split.render));
                ControlFlow::Break(())
            }
        }
    }

    fn panicked(&mut self, _: &ReceiverInfo, _: &(dyn Any + Send), _: &Reporter<'_>) {}

    fn finish(self) -> Self::Output {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.values),
        }
    }
}

/// The future of one async send of `S` from a sender of type `O`: `call`
/// calls one receiver, `K` collects the results, and the future of an
/// async receiver runs in `N` bytes inside this one.
#[doc(hidden)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct AsyncSend<'a, S, O, R, C, K, const N: usize>
where
    S: Signature,
    O: ?Sized + 'static,
{
    connections: &'a Connections<S>,
    state: State<'a, S, O>,
    call: C,
    /// The future of the receiver being awaited.
    slot: AsyncSlot<'a, R, N>,
    /// The receiver whose future is in `slot`.
    awaiting: Option<Receiver>,
    /// `None` once the send has finished.
    collect: Option<K>,
    _pinned: PhantomPinned,
}

enum State<'a, S: Signature, O: ?Sized + 'static> {
    /// Not polled yet: the receivers are those of the first poll.
    Unstarted(StaticSlots<'a, S, O>),
    Running(AsyncEmission<'a, S, O>),
}

impl<S: Signature> Connections<S> {
    /// An async send from a sender of type `O`, to the static receivers in
    /// `statics` and the runtime ones connected when it is first polled.
    pub fn send_async<'a, O, R, C, K, const N: usize>(
        &'a self,
        statics: StaticSlots<'a, S, O>,
        call: C,
        collect: K,
    ) -> AsyncSend<'a, S, O, R, C, K, N>
    where
        O: ?Sized + 'static,
        C: FnMut(Target<'_, S, O>, Filler<'_, '_, 'a, R>) -> Step<'a, R>,
        K: Collect<R>,
    {
        AsyncSend {
            connections: self,
            state: State::Unstarted(statics),
            call,
            slot: AsyncSlot::new(),
            awaiting: None,
            collect: Some(collect),
            _pinned: PhantomPinned,
        }
    }
}

impl<'a, S, O, R, C, K, const N: usize> Future for AsyncSend<'a, S, O, R, C, K, N>
where
    S: Signature,
    O: ?Sized + 'static,
    C: FnMut(Target<'_, S, O>, Filler<'_, '_, 'a, R>) -> Step<'a, R>,
    K: Collect<R>,
{
    type Output = K::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<K::Output> {
        // SAFETY: `slot` is the one field that must stay pinned, and it is
        // only used through the `Pin` made below; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: `slot` is a field of a pinned value, never moved (above).
        let mut slot = unsafe { Pin::new_unchecked(&mut this.slot) };
        let reporter = Reporter::of::<S>(this.connections.existing());
        if let State::Unstarted(statics) = &mut this.state {
            #[cfg(feature = "tracing")]
            crate::trace::lazy_send(S::SIGNAL_NAME);
            let statics = core::mem::replace(statics, StaticSlots::empty());
            let emission = AsyncEmission::new(statics, this.connections.existing());
            this.state = State::Running(emission);
        }
        let State::Running(emission) = &mut this.state else {
            unreachable!("the state was set to running above")
        };
        let Some(collect) = &mut this.collect else {
            panic!("an async send was polled after it completed");
        };
        loop {
            if let Some(receiver) = this.awaiting {
                let polled = if K::CATCHES {
                    catch_unwind(AssertUnwindSafe(|| slot.as_mut().poll(cx)))
                } else {
                    Ok(slot.as_mut().poll(cx))
                };
                match polled {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(None)) => this.awaiting = None,
                    Ok(Poll::Ready(Some(response))) => {
                        this.awaiting = None;
                        let described = || emission.describe(receiver);
                        if collect.response(response, described, &reporter).is_break() {
                            break;
                        }
                    }
                    Err(payload) => {
                        this.awaiting = None;
                        slot.as_mut().clear();
                        collect.panicked(emission.describe(receiver), &*payload, &reporter);
                    }
                }
            }
            let Some((target, receiver)) = emission.next_target() else {
                break;
            };
            let call = &mut this.call;
            let filler = slot.as_mut().filler(cx);
            let step = if K::CATCHES {
                catch_unwind(AssertUnwindSafe(|| call(target, filler)))
            } else {
                Ok(call(target, filler))
            };
            let response = match step.map(|step| begin(slot.as_mut(), step)) {
                Ok(Started::Ready(response)) => response,
                Ok(Started::Skipped) => continue,
                Ok(Started::Pending) => {
                    this.awaiting = Some(receiver);
                    continue;
                }
                Err(payload) => {
                    slot.as_mut().clear();
                    collect.panicked(emission.describe(receiver), &*payload, &reporter);
                    continue;
                }
            };
            let described = || emission.describe(receiver);
            if collect.response(response, described, &reporter).is_break() {
                break;
            }
        }
        match this.collect.take() {
            Some(collect) => Poll::Ready(collect.finish()),
            None => unreachable!("taken only here, once"),
        }
    }
}
