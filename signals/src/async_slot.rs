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
    /// The future in `storage` may point into itself.
    _pinned: PhantomPinned,
    /// Invariant: a future that lives for `'a` goes in, and no other.
    lifetime: PhantomData<fn(&'a ()) -> &'a ()>,
}

struct InlineFuture<R> {
    poll: unsafe fn(*mut u8, &mut Context<'_>) -> Poll<R>,
    drop: unsafe fn(*mut u8),
}

/// The way into an empty [`AsyncSlot`], handed to the function an async
/// `#[receiver]` registers: it puts the receiver's future there.
#[doc(hidden)]
pub struct Filler<'s, 'a, R> {
    storage: *mut u8,
    capacity: usize,
    inline: &'s mut Option<InlineFuture<R>>,
    boxed: &'s mut Option<BoxFuture<'a, R>>,
}

impl<'a, R, const N: usize> AsyncSlot<'a, R, N> {
    pub(crate) const fn new() -> Self {
        Self {
            storage: Storage([MaybeUninit::uninit(); N]),
            inline: None,
            boxed: None,
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

    /// The way in, once whatever the slot held is dropped.
    pub(crate) fn filler(mut self: Pin<&mut Self>) -> Filler<'_, 'a, R> {
        self.as_mut().clear();
        // SAFETY: nothing is moved out of the slot; the storage's address is
        // handed out only to have a future written there, which stays
        // pinned with the slot.
        let this = unsafe { self.get_unchecked_mut() };
        Filler {
            storage: Self::storage(this),
            capacity: N,
            inline: &mut this.inline,
            boxed: &mut this.boxed,
        }
    }

    /// Holds `future`, a runtime receiver's.
    pub(crate) fn hold_boxed(self: Pin<&mut Self>, future: BoxFuture<'a, R>) {
        let filler = self.filler();
        *filler.boxed = Some(future);
    }

    /// Polls the future it holds; `Ready(None)` if it holds none. A
    /// finished future is dropped at once.
    pub(crate) fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<R>> {
        // SAFETY: the storage is not moved; see `filler`.
        let this = unsafe { self.as_mut().get_unchecked_mut() };
        let polled = if let Some(inline) = &this.inline {
            // SAFETY: `inline` describes the future that `Filler::start`
            // wrote in the storage, which is pinned with the slot and not
            // dropped yet (`clear` empties `inline` first).
            unsafe { (inline.poll)(Self::storage(this), cx) }
        } else if let Some(boxed) = &mut this.boxed {
            boxed.as_mut().poll(cx)
        } else {
            return Poll::Ready(None);
        };
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(response) => {
                self.clear();
                Poll::Ready(Some(response))
            }
        }
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
    }
}

impl<R, const N: usize> Drop for AsyncSlot<'_, R, N> {
    fn drop(&mut self) {
        // SAFETY: `self` is dropped in place, never to be used again: the
        // pinning guarantee holds until the end of this call.
        unsafe { Pin::new_unchecked(self) }.clear();
    }
}

impl<'a, R> Filler<'_, 'a, R> {
    /// Puts `future` in the slot, in place if it fits, else boxed. A
    /// receiver's future must be `Send`: the send's future is, when the
    /// arguments are.
    #[inline]
    pub fn start<F: Future<Output = R> + Send + 'a>(self, future: F) {
        if size_of::<F>() <= self.capacity && align_of::<F>() <= ALIGN {
            // SAFETY: the storage is at least `size_of::<F>()` bytes aligned
            // to `ALIGN`, which `F` does not exceed, and empty (`filler`
            // cleared it). It stays pinned with the slot, which drops the
            // future in place (`clear`) before it is reused or dropped.
            unsafe { self.storage.cast::<F>().write(future) };
            *self.inline = Some(InlineFuture {
                poll: poll_inline::<F>,
                drop: drop_inline::<F>,
            });
        } else {
            *self.boxed = Some(Box::pin(future));
        }
    }
}

/// # Safety
///
/// `storage` holds a live, pinned `F`.
unsafe fn poll_inline<F: Future>(storage: *mut u8, cx: &mut Context<'_>) -> Poll<F::Output> {
    // SAFETY: the caller's promise; the future is never moved.
    unsafe { Pin::new_unchecked(&mut *storage.cast::<F>()) }.poll(cx)
}

/// # Safety
///
/// `storage` holds a live `F`, which is not used again.
unsafe fn drop_inline<F>(storage: *mut u8) {
    // SAFETY: the caller's promise.
    unsafe { storage.cast::<F>().drop_in_place() }
}
