//! Where an async send runs a static receiver's future: storage inside the
//! send's own future, so that a send to static receivers allocates nothing.

use core::future::Future;
use core::marker::{PhantomData, PhantomPinned};
use core::mem::{MaybeUninit, align_of, size_of};
use core::pin::Pin;
use core::task::{Context, Poll};

/// A future an async receiver connected at run time returns, boxed: the
/// one form stable Rust offers for a closure that captures state, borrows
/// the signal's arguments and is proven `Send`.
pub type BoxFuture<'a, R> = Pin<Box<dyn Future<Output = R> + Send + 'a>>;

/// The alignment of a slot's storage: a future of a stricter one is
/// boxed.
const ALIGN: usize = 16;

#[repr(C, align(16))]
struct Storage<const N: usize>([MaybeUninit<u8>; N]);

/// The future of the receiver an async send is awaiting, in `N` bytes of
/// storage of its own, or boxed when it does not fit (or when a runtime
/// receiver returned it boxed). It holds futures that borrow the send's
/// arguments for `'a`.
#[doc(hidden)]
pub struct AsyncSlot<'a, R, const N: usize> {
    storage: Storage<N>,
    /// How to poll and drop the future in `storage`, while there is one.
    inline: Option<InlineFuture<R>>,
    boxed: Option<BoxFuture<'a, R>>,
    /// The result of a future that was ready when first polled.
    ready: Option<R>,
    /// The future in `storage` may point into itself.
    _pinned: PhantomPinned,
    /// Invariant: a future that lives for `'a` goes in, and no other.
    lifetime: PhantomData<fn(&'a ()) -> &'a ()>,
}

struct InlineFuture<R> {
    /// Polls the future, and drops it once it is ready, emptying the
    /// slot's `inline` first.
    poll: unsafe fn(*mut u8, &mut Context<'_>, &mut Option<InlineFuture<R>>) -> Poll<R>,
    drop: unsafe fn(*mut u8),
}

impl<R> Clone for InlineFuture<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for InlineFuture<R> {}

/// The way into an empty [`AsyncSlot`], handed to the function an async
/// `#[receiver]` registers: it puts the receiver's future there and polls
/// it once, with the task's context `'c`.
#[doc(hidden)]
pub struct Filler<'s, 'c, 'a, R> {
    storage: *mut u8,
    capacity: usize,
    inline: &'s mut Option<InlineFuture<R>>,
    boxed: &'s mut Option<BoxFuture<'a, R>>,
    ready: &'s mut Option<R>,
    cx: &'s mut Context<'c>,
}

/// What a receiver's start left in the slot.
pub(crate) enum Started<R> {
    /// Its result: the future was ready at once, and is gone.
    Ready(R),
    /// A future to poll again.
    Pending,
    /// Nothing: its policy skipped the send.
    Skipped,
}

impl<'a, R, const N: usize> AsyncSlot<'a, R, N> {
    pub(crate) const fn new() -> Self {
        Self {
            storage: Storage([MaybeUninit::uninit(); N]),
            inline: None,
            boxed: None,
            ready: None,
            _pinned: PhantomPinned,
            lifetime: PhantomData,
        }
    }

    /// The storage's address, taken without a reference to it: a reference
    /// would claim the bytes exclusively, and the future there may hold
    /// pointers into itself. (`this` is not claimed so: the slot is
    /// `!Unpin`.)
    fn storage(this: &mut Self) -> *mut u8 {
        core::ptr::addr_of_mut!(this.storage).cast()
    }

    /// The way in, once whatever the slot held is dropped; `cx` is the
    /// context of the first poll.
    pub(crate) fn filler<'s, 'c>(
        mut self: Pin<&'s mut Self>,
        cx: &'s mut Context<'c>,
    ) -> Filler<'s, 'c, 'a, R> {
        if self.inline.is_some() || self.boxed.is_some() {
            self.as_mut().clear();
        }
        // SAFETY: nothing is moved out of the slot; the storage's address is
        // handed out only to have a future written there, which stays
        // pinned with the slot.
        let this = unsafe { self.get_unchecked_mut() };
        Filler {
            storage: Self::storage(this),
            capacity: N,
            inline: &mut this.inline,
            boxed: &mut this.boxed,
            ready: &mut this.ready,
            cx,
        }
    }

    /// What the start of a receiver left: its result, a future, or
    /// nothing.
    pub(crate) fn started(self: Pin<&mut Self>) -> Started<R> {
        // SAFETY: only `ready` is moved out, which is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        if let Some(response) = this.ready.take() {
            Started::Ready(response)
        } else if this.inline.is_some() || this.boxed.is_some() {
            Started::Pending
        } else {
            Started::Skipped
        }
    }

    /// Holds `future`, a runtime receiver's.
    pub(crate) fn hold_boxed(mut self: Pin<&mut Self>, future: BoxFuture<'a, R>) {
        if self.inline.is_some() || self.boxed.is_some() {
            self.as_mut().clear();
        }
        // SAFETY: `boxed` is not pinned in place (its box is).
        unsafe { self.get_unchecked_mut() }.boxed = Some(future);
    }

    /// Polls the future it holds; `Ready(None)` if it holds none. A
    /// finished future is dropped at once.
    pub(crate) fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<R>> {
        // SAFETY: the storage is not moved; see `filler`.
        let this = unsafe { self.get_unchecked_mut() };
        if let Some(inline) = this.inline {
            let storage = Self::storage(this);
            // SAFETY: `inline` describes the future that `Filler::start`
            // wrote in the storage, which is pinned with the slot and not
            // dropped yet: whatever drops it empties `inline` first.
            return unsafe { (inline.poll)(storage, cx, &mut this.inline) }.map(Some);
        }
        let Some(boxed) = &mut this.boxed else {
            return Poll::Ready(None);
        };
        let response = core::task::ready!(boxed.as_mut().poll(cx));
        this.boxed = None;
        Poll::Ready(Some(response))
    }

    /// Drops the future it holds, if any.
    pub(crate) fn clear(self: Pin<&mut Self>) {
        // SAFETY: the storage is not moved; see `filler`.
        let this = unsafe { self.get_unchecked_mut() };
        // Emptied before the drop runs: a panicking drop leaves no future
        // to drop twice.
        if let Some(inline) = this.inline.take() {
            // SAFETY: `inline` described the live future in the storage,
            // which is dropped here, in place, once.
            unsafe { (inline.drop)(Self::storage(this)) };
        }
        this.boxed = None;
        this.ready = None;
    }
}

impl<R, const N: usize> Drop for AsyncSlot<'_, R, N> {
    fn drop(&mut self) {
        // SAFETY: `self` is dropped in place, never to be used again: the
        // pinning guarantee holds until the end of this call.
        unsafe { Pin::new_unchecked(self) }.clear();
    }
}

impl<'a, R> Filler<'_, '_, 'a, R> {
    /// Puts `future` in the slot, in place if it fits, else boxed, and
    /// polls it once: a future that is ready at once leaves only its
    /// result. A receiver's future must be `Send`: the send's future is,
    /// when the arguments are.
    #[inline]
    pub fn start<F: Future<Output = R> + Send + 'a>(self, future: F) {
        if size_of::<F>() > self.capacity || align_of::<F>() > ALIGN {
            let mut future: BoxFuture<'a, R> = Box::pin(future);
            match future.as_mut().poll(self.cx) {
                Poll::Ready(response) => *self.ready = Some(response),
                Poll::Pending => *self.boxed = Some(future),
            }
            return;
        }
        let slot = self.storage.cast::<F>();
        // SAFETY: the storage is at least `size_of::<F>()` bytes aligned to
        // `ALIGN`, which `F` does not exceed, and empty (`filler` cleared
        // it). It stays pinned with the slot.
        unsafe { slot.write(future) };
        // Drops the future if the first poll panics: the slot does not know
        // of it yet.
        let guard = DropInPlace(slot);
        // SAFETY: the future was just written there, pinned, and is live.
        let polled = unsafe { Pin::new_unchecked(&mut *slot) }.poll(self.cx);
        match polled {
            // The guard drops it: a future that is ready at once never
            // needs the slot's description.
            Poll::Ready(response) => {
                drop(guard);
                *self.ready = Some(response);
            }
            Poll::Pending => {
                core::mem::forget(guard);
                // From here on the slot drops it in place, before it is
                // reused or dropped itself.
                *self.inline = Some(InlineFuture {
                    poll: poll_inline::<F>,
                    drop: drop_inline::<F>,
                });
            }
        }
    }
}

/// Drops the `F` it points to, in place, when dropped.
struct DropInPlace<F>(*mut F);

impl<F> Drop for DropInPlace<F> {
    fn drop(&mut self) {
        // SAFETY: made only by `Filler::start` of the live future it has
        // just written, and dropped (not forgotten) only while no one else
        // will drop that future.
        unsafe { self.0.drop_in_place() }
    }
}

/// Polls the `F` in `storage`; once it is ready, empties `inline`, which
/// describes it, and drops it.
///
/// # Safety
///
/// `storage` holds a live, pinned `F`, which `inline` describes.
unsafe fn poll_inline<F: Future>(
    storage: *mut u8,
    cx: &mut Context<'_>,
    inline: &mut Option<InlineFuture<F::Output>>,
) -> Poll<F::Output> {
    let future = storage.cast::<F>();
    // SAFETY: the caller's promise; the future is never moved.
    let response = core::task::ready!(unsafe { Pin::new_unchecked(&mut *future) }.poll(cx));
    // Emptied before the drop: a panicking drop leaves nothing to drop
    // twice.
    *inline = None;
    // SAFETY: the future is live (above), and nothing refers to it any
    // more: `inline`, its only description, is empty.
    unsafe { future.drop_in_place() };
    Poll::Ready(response)
}

/// # Safety
///
/// `storage` holds a live `F`, which is not used again.
unsafe fn drop_inline<F>(storage: *mut u8) {
    // SAFETY: the caller's promise.
    unsafe { storage.cast::<F>().drop_in_place() }
}
