//! A concurrent async send: every receiver started in call order, then
//! their futures polled together, the results kept in call order.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::async_emission::{AsyncEmission, Receiver};
use crate::async_send::{Collect, Reporter, Step, begin};
use crate::async_slot::{AsyncSlot, Filler, Started};
use crate::connections::Connections;
use crate::dispatch::StaticSlots;
use crate::list::Target;
use crate::signature::Signature;

/// The future of one concurrent send of `S` from a sender of type `O`:
/// `call` starts one receiver, `K` collects the results in call order, and
/// each receiver's future runs in `N` bytes of one allocation of the send.
#[doc(hidden)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct AsyncConcurrent<'a, S, O, R, C, K, const N: usize>
where
    S: Signature,
    O: ?Sized + 'static,
{
    connections: &'a Connections<S>,
    state: State<'a, S, O, R, N>,
    call: C,
    /// `None` once the send has finished.
    collect: Option<K>,
}

// Nothing of it is pinned in place: the receivers' futures are pinned in
// the box of slots, which moves with it as a pointer.
impl<S, O, R, C, K, const N: usize> Unpin for AsyncConcurrent<'_, S, O, R, C, K, N>
where
    S: Signature,
    O: ?Sized + 'static,
{
}

enum State<'a, S: Signature, O: ?Sized + 'static, R, const N: usize> {
    /// Not polled yet: the receivers are those of the first poll.
    Unstarted(StaticSlots<'a, S, O>),
    /// Every receiver started: one slot and one outcome each, in call
    /// order. The emission is kept for the receivers' descriptions.
    Running {
        emission: AsyncEmission<'a, S, O>,
        slots: Pin<Box<[AsyncSlot<'a, R, N>]>>,
        outcomes: Vec<(Receiver, Outcome<R>)>,
    },
    Finished,
}

/// Where one receiver of a concurrent send is.
enum Outcome<R> {
    Done(R),
    /// Its future is in its slot.
    Waiting,
    /// Its policy skipped the send: no result.
    Skipped,
}

impl<S: Signature> Connections<S> {
    /// A concurrent send from a sender of type `O`, to the static
    /// receivers in `statics` and the runtime ones connected when it is
    /// first polled.
    pub fn send_concurrent<'a, O, R, C, K, const N: usize>(
        &'a self,
        statics: StaticSlots<'a, S, O>,
        call: C,
        collect: K,
    ) -> AsyncConcurrent<'a, S, O, R, C, K, N>
    where
        O: ?Sized + 'static,
        C: FnMut(Target<'_, S, O>, Filler<'_, '_, 'a, R>) -> Step<'a, R>,
        K: Collect<R>,
    {
        AsyncConcurrent {
            connections: self,
            state: State::Unstarted(statics),
            call,
            collect: Some(collect),
        }
    }
}

impl<'a, S, O, R, C, K, const N: usize> Future for AsyncConcurrent<'a, S, O, R, C, K, N>
where
    S: Signature,
    O: ?Sized + 'static,
    C: FnMut(Target<'_, S, O>, Filler<'_, '_, 'a, R>) -> Step<'a, R>,
    K: Collect<R>,
{
    type Output = K::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<K::Output> {
        let this = self.get_mut();
        if let State::Unstarted(statics) = &mut this.state {
            let statics = core::mem::replace(statics, StaticSlots::empty());
            this.state = start(this.connections, statics, &mut this.call, cx);
        }
        let State::Running {
            emission,
            slots,
            outcomes,
        } = &mut this.state
        else {
            panic!("a concurrent send was polled after it completed");
        };
        let mut waiting = false;
        for (index, (_, outcome)) in outcomes.iter_mut().enumerate() {
            if !matches!(outcome, Outcome::Waiting) {
                continue;
            }
            match slot(slots.as_mut(), index).poll(cx) {
                Poll::Pending => waiting = true,
                Poll::Ready(Some(response)) => *outcome = Outcome::Done(response),
                Poll::Ready(None) => *outcome = Outcome::Skipped,
            }
        }
        if waiting {
            return Poll::Pending;
        }
        let Some(mut collect) = this.collect.take() else {
            unreachable!("taken only once, below, after which the state is finished")
        };
        let reporter = Reporter::of::<S>(this.connections.existing());
        for (receiver, outcome) in core::mem::take(outcomes) {
            if let Outcome::Done(response) = outcome {
                let described = || emission.describe(receiver);
                if collect.response(response, described, &reporter).is_break() {
                    break;
                }
            }
        }
        this.state = State::Finished;
        Poll::Ready(collect.finish())
    }
}

/// Starts every receiver of the send, in call order: a sync one runs, an
/// async one's future is polled once in a slot of its own.
fn start<'a, S, O, R, C, const N: usize>(
    connections: &'a Connections<S>,
    statics: StaticSlots<'a, S, O>,
    call: &mut C,
    cx: &mut Context<'_>,
) -> State<'a, S, O, R, N>
where
    S: Signature,
    O: ?Sized + 'static,
    C: FnMut(Target<'_, S, O>, Filler<'_, '_, 'a, R>) -> Step<'a, R>,
{
    #[cfg(feature = "tracing")]
    crate::trace::lazy_send(S::SIGNAL_NAME);
    let mut emission = AsyncEmission::new(statics, connections.existing());
    let slots: Box<[AsyncSlot<'a, R, N>]> = (0..emission.upper_bound())
        .map(|_| AsyncSlot::new())
        .collect();
    let mut slots = Box::into_pin(slots);
    let mut outcomes = Vec::with_capacity(slots.len());
    while let Some((target, receiver)) = emission.next_target() {
        let index = outcomes.len();
        let mut slot = slot(slots.as_mut(), index);
        let step = call(target, slot.as_mut().filler(cx));
        let outcome = match begin(slot, step) {
            Started::Ready(response) => Outcome::Done(response),
            Started::Pending => Outcome::Waiting,
            Started::Skipped => Outcome::Skipped,
        };
        outcomes.push((receiver, outcome));
    }
    State::Running {
        emission,
        slots,
        outcomes,
    }
}

/// The slot at `index`, pinned like the others.
fn slot<'s, 'a, R, const N: usize>(
    slots: Pin<&'s mut [AsyncSlot<'a, R, N>]>,
    index: usize,
) -> Pin<&'s mut AsyncSlot<'a, R, N>> {
    // SAFETY: an element of a pinned slice is pinned too: the slice is
    // never moved out of its box, nor an element out of the slice.
    unsafe { slots.map_unchecked_mut(|slots| &mut slots[index]) }
}
