use std::sync::Arc;

use crate::sender::SenderPointer;

/// The receiver types of one signal, as the macros spell them from its
/// declaration: implemented for every `#[signal]` and signal type.
///
/// For `#[signal] fn todo_done(item: &Todo) -> bool;`:
///
/// | type | is |
/// |---|---|
/// | `Fn` | `fn(&Todo) -> bool` |
/// | `SenderFn<O>` | `fn(&O, &Todo) -> bool` |
/// | `Dyn` | `dyn Fn(&Todo) -> bool + Send + Sync` |
/// | `SenderDyn<O>` | `dyn Fn(&O, &Todo) -> bool + Send + Sync` |
/// | `WeakDyn` | `dyn Fn(&Todo) -> Option<bool> + Send + Sync` |
#[doc(hidden)]
pub trait Signature: 'static {
    /// The name of the signal, or of the signal type: what a span of
    /// `tracing` is named after.
    const SIGNAL_NAME: &'static str;
    /// A static receiver.
    type Fn: Copy + Send + Sync + 'static;
    /// A static receiver that takes the sender `O` first.
    type SenderFn<O: ?Sized + 'static>: Copy + Send + Sync + 'static;
    /// A static receiver with a policy, whose skipped sends give no
    /// result: `fn(&Todo) -> Option<bool>`.
    type OptionFn: Copy + Send + Sync + 'static;
    /// A static `async fn` receiver of an async signal, as its
    /// `#[receiver]` registers it: a function that puts the receiver's
    /// future in the send's slot. [`NotAsync`] for a signal that is not
    /// async, which has none.
    type AsyncFn: Copy + Send + Sync + 'static;
    /// A receiver connected at run time.
    type Dyn: ?Sized + Send + Sync + 'static;
    /// A receiver connected at run time that takes the sender `O` first.
    type SenderDyn<O: ?Sized + 'static>: ?Sized + Send + Sync + 'static;
    /// A receiver of a weak target: `None` once the target is gone.
    type WeakDyn: ?Sized + Send + Sync + 'static;
    /// The `when` predicate of a receiver connected at run time.
    type WhenDyn: ?Sized + Send + Sync + 'static;

    /// `function`, a runtime receiver of the sender `O`, as a receiver of
    /// sends from `W`, a pointer to `O`.
    #[doc(hidden)]
    fn __through_dyn<W: SenderPointer<O> + ?Sized, O: ?Sized + 'static>(
        function: Arc<Self::SenderDyn<O>>,
    ) -> Box<Self::SenderDyn<W>>;
}
