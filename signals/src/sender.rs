//! Who sends: the pointer types a send sees through, and the sender an
//! any-sender receiver gets.

use core::any::TypeId;
use core::fmt;
use core::mem::MaybeUninit;
use core::ptr;
use std::rc::Rc;
use std::sync::Arc;

/// A sender type that reaches the receivers filtered on `O`: `O` itself,
/// and `Arc<O>`, `Rc<O>`, `Box<O>` and `&'static O`.
///
/// `send_from(&arc_user, ..)` is a send from an `Arc<User>`; its table
/// holds the receivers of `sender = User`, each called with the `User`
/// inside. The table is built once, with the others, so the send itself
/// pays nothing for it.
#[doc(hidden)]
pub trait SenderPointer<O: ?Sized>: 'static {
    /// The sender the receivers of `O` get.
    fn pointee(&self) -> &O;
}

impl<O: ?Sized + 'static> SenderPointer<O> for O {
    #[inline]
    fn pointee(&self) -> &O {
        self
    }
}

impl<O: ?Sized + 'static> SenderPointer<O> for Arc<O> {
    #[inline]
    fn pointee(&self) -> &O {
        self
    }
}

impl<O: ?Sized + 'static> SenderPointer<O> for Rc<O> {
    #[inline]
    fn pointee(&self) -> &O {
        self
    }
}

impl<O: ?Sized + 'static> SenderPointer<O> for Box<O> {
    #[inline]
    fn pointee(&self) -> &O {
        self
    }
}

impl<O: ?Sized + 'static> SenderPointer<O> for &'static O {
    #[inline]
    fn pointee(&self) -> &O {
        self
    }
}

/// The name `receivers()` shows for the sender filter `O` of a runtime
/// receiver: its type's name, and `AnySender` as a user writes it.
#[doc(hidden)]
#[must_use]
pub fn sender_name<O: ?Sized + 'static>() -> &'static str {
    if TypeId::of::<O>() == TypeId::of::<AnySender>() {
        "AnySender"
    } else {
        core::any::type_name::<O>()
    }
}

/// The sender of one send, as a receiver with `sender = AnySender` gets
/// it: Blinker's receiver for any sender, which still sees who sent.
///
/// ```
/// use signals::{AnySender, receiver, signal};
///
/// pub struct User {
///     pub name: String,
/// }
///
/// #[signal]
/// pub fn saved(id: u64);
///
/// #[receiver(signal = saved, sender = AnySender)]
/// fn audit(sender: &AnySender, id: u64) {
///     match sender.downcast_ref::<User>() {
///         Some(user) => println!("{} saved {id}", user.name),
///         None => println!("{sender:?} saved {id}"),
///     }
/// }
///
/// saved.send_from(&User { name: "ann".into() }, 1); // ann saved 1
/// saved.send_from("cron", 2);                       // AnySender(str) saved 2
/// saved.send(3);                                    // not called: no sender
/// ```
///
/// It is called by every `send_from`, after the receivers of higher
/// priority, and by no plain `send`, which has no sender: receivers without
/// a filter are the ones every send calls. It is the sender as passed: a send from an `Arc<User>` downcasts to
/// `Arc<User>`, not to `User`. Unsized senders (`str`, `dyn Trait`) are
/// seen too, which a `&dyn Any` could not hold.
pub struct AnySender {
    /// `TypeId::of::<O>()`.
    type_id: TypeId,
    type_name: &'static str,
    /// The `*const O`, thin or wide, in its first bytes.
    sender: MaybeUninit<[*const (); 2]>,
}

impl AnySender {
    /// Lends `call` the sender of a send from `sender`. The `AnySender`
    /// never leaves this call, so it cannot outlive `sender`.
    #[doc(hidden)]
    #[inline]
    pub fn lend<O: ?Sized + 'static, R>(sender: &O, call: impl FnOnce(&Self) -> R) -> R {
        const {
            assert!(size_of::<*const O>() <= size_of::<[*const (); 2]>());
        }
        let mut erased = MaybeUninit::<[*const (); 2]>::uninit();
        // SAFETY: a pointer, thin or wide, fits in two words (asserted
        // above), and the buffer is aligned for pointers.
        unsafe {
            ptr::write(
                erased.as_mut_ptr().cast::<*const O>(),
                ptr::from_ref(sender),
            );
        }
        call(&Self {
            type_id: TypeId::of::<O>(),
            type_name: core::any::type_name::<O>(),
            sender: erased,
        })
    }

    /// The sender's type.
    #[must_use]
    pub fn type_id(&self) -> TypeId {
        self.type_id
    }

    /// The name of the sender's type, as [`core::any::type_name`] gives
    /// it.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Whether the sender is a `T`.
    #[must_use]
    pub fn is<T: ?Sized + 'static>(&self) -> bool {
        self.type_id == TypeId::of::<T>()
    }

    /// The sender, if it is a `T`.
    #[must_use]
    pub fn downcast_ref<T: ?Sized + 'static>(&self) -> Option<&T> {
        if !self.is::<T>() {
            return None;
        }
        // SAFETY: `lend` wrote a `*const T` here (the type ids are equal,
        // so the sender's type is `T`), from a reference to a sender that
        // outlives every borrow of `self`: an `AnySender` exists only
        // inside `lend`, which `self` cannot leave (it is neither `Clone`
        // nor constructible elsewhere).
        unsafe { Some(&*ptr::read(self.sender.as_ptr().cast::<*const T>())) }
    }
}

impl fmt::Debug for AnySender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AnySender({})", self.type_name)
    }
}
