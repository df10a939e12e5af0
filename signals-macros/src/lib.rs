//! The procedural macros of [`signals`](https://docs.rs/signals): use them
//! through that crate, which re-exports them and documents them.
//!
//! Each macro is a pipeline: parse the user's tokens into a small IR that
//! keeps the original nodes for spans, validate it (every independent
//! mistake becomes one spanned error), then expand, which cannot fail. When
//! validation fails, a fallback re-emits the user's item next to the errors
//! so that one mistake gives one error, not a cascade.

use proc_macro::TokenStream;

mod crate_path;
mod errors;
mod fresh;
mod group;
mod handler;
mod lifetimes;
mod receiver;
mod render;
mod signal;
mod thread_worker;

/// Declares a statically typed signal.
///
/// ```
/// use signals::signal;
///
/// pub struct Todo { pub title: String }
///
/// /// Sent when a todo item is marked done.
/// #[signal]
/// pub fn todo_done(item: &Todo);
///
/// todo_done.send(&Todo { title: "ship".into() });
/// ```
///
/// The function signature, which has no body, becomes a unit struct of the
/// same name with typed methods: `send`, `send_from` (and for a signal with a
/// return type `send_iter` and `send_from_iter`), `connect` and its variants,
/// `mute`, `disconnect_key` and `receivers`. Parameters are `&T`, `&mut T`
/// (reborrowed for each receiver) or `Copy` values.
///
/// On a function pointer type, it declares a signal type instead: a struct
/// whose every value is a signal of its own, with the same methods, for
/// per-object signals:
///
/// ```
/// use signals::signal;
///
/// #[signal]
/// pub type Changed = fn(field: &str);
///
/// #[derive(Default)]
/// pub struct Model {
///     pub changed: Changed,
/// }
///
/// let model = Model::default();
/// model.changed.connect(|field| println!("{field} changed"));
/// model.changed.send("title");
/// ```
///
/// Options: `#[signal(crate = path)]` names the `signals` crate when it is
/// re-exported under another path; `#[signal(async_inline = bytes)]` sets
/// the room an async send keeps for a receiver's future;
/// `#[signal(bridge)]` implements `signals::Bridge`, so that a transport
/// such as `signals-redis` can carry the signal's sends to other
/// processes.
///
/// The `signals` crate documentation is the manual: declaring, receiving,
/// senders, order, return values and cross-crate registration.
#[proc_macro_attribute]
pub fn signal(args: TokenStream, item: TokenStream) -> TokenStream {
    signal::signal(args.into(), item.into()).into()
}

/// Registers a function as a receiver of a signal, at link time.
///
/// ```
/// use signals::{receiver, signal};
///
/// pub struct Todo { pub title: String }
/// pub struct User { pub name: String }
///
/// #[signal]
/// pub fn todo_done(item: &Todo);
///
/// #[receiver(signal = todo_done, priority = 10)]
/// fn log_done(item: &Todo) {
///     println!("done: {}", item.title);
/// }
///
/// #[receiver(signal = todo_done, sender = User)]
/// fn notify_owner(owner: &User, item: &Todo) {
///     println!("{} finished {}", owner.name, item.title);
/// }
///
/// let names: Vec<_> = todo_done.receivers().iter().map(|r| r.name()).collect();
/// assert_eq!(names, ["log_done", "notify_owner"]);
/// ```
///
/// Options: `signal = path` (required), `sender = Type` (called only by
/// `send_from` with a sender of that type, which the function may take as
/// its first parameter), `priority = n` (an `i32`, higher first, default 0)
/// and `crate = path`. The function keeps its name and stays callable; put
/// several `#[receiver]` attributes on it to receive several signals.
///
/// The `signals` crate documentation is the manual.
#[proc_macro_attribute]
pub fn receiver(args: TokenStream, item: TokenStream) -> TokenStream {
    receiver::receiver(args.into(), item.into()).into()
}

/// Makes a struct a handler object: the methods of its `impl` block that
/// carry `#[receiver(signal = path, ..)]` receive those signals once the
/// handler is installed, and stop when the guard that `install()` returns is
/// dropped.
///
/// ```
/// use signals::{Handler, handler, signal};
///
/// #[signal]
/// pub fn epoch_ended(epoch: u32);
///
/// pub struct ConsoleLogger;
///
/// #[handler]
/// impl ConsoleLogger {
///     #[receiver(signal = epoch_ended, every = 5)]
///     fn log(&self, epoch: u32) {
///         println!("epoch {epoch}");
///     }
/// }
///
/// let _logger = ConsoleLogger.install();
/// for epoch in 1..=10 {
///     epoch_ended.send(epoch); // epoch 5, epoch 10
/// }
/// ```
///
/// A method takes `&self`, then the signal's parameters, preceded by the
/// sender with `sender = Type` if it wants it. Its `#[receiver(..)]` takes
/// the options of a static receiver: `priority`, `every`, `when`,
/// `max_calls`, `repeat`, `hidden`, `sender` (`when` and `sender` not
/// together). See [`Handler`](https://docs.rs/signals/latest/signals/trait.Handler.html).
#[proc_macro_attribute]
pub fn handler(args: TokenStream, item: TokenStream) -> TokenStream {
    handler::handler(args.into(), item.into()).into()
}

/// Turns a function into one that returns an unstarted
/// [`Worker`](https://docs.rs/signals/latest/signals/struct.Worker.html) running its
/// body, as napari's `thread_worker` does: its parameters but the
/// checkpoint `co: &mut Co<Y, S, E>` are the function's, and it returns
/// `Result<R, Stop<E>>`.
///
/// ```
/// use std::time::Duration;
/// use signals::{Co, Outcome, Stop, thread_worker};
///
/// #[thread_worker]
/// fn count_to(limit: u32, co: &mut Co<u32, (), String>) -> Result<u32, Stop<String>> {
///     for n in 1..=limit {
///         co.yield_(n)?;
///     }
///     Ok(limit)
/// }
///
/// let worker = count_to(3);
/// worker.start().unwrap();
/// assert_eq!(worker.join(Duration::from_secs(10)), Ok(Outcome::Returned(3)));
/// ```
#[proc_macro_attribute]
pub fn thread_worker(args: TokenStream, item: TokenStream) -> TokenStream {
    thread_worker::thread_worker(&args.into(), item.into()).into()
}

/// Implements [`Signals`](https://docs.rs/signals/latest/signals/trait.Signals.html)
/// for a struct whose fields are signal types: `tree()` prints one tree for
/// all of them, each named after its field, and `set_counting` switches
/// their counting together. Mark a field that is not a signal with
/// `#[signals(skip)]`.
#[proc_macro_derive(Signals, attributes(signals))]
pub fn derive_signals(item: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(item) {
        Ok(input) => group::derive(&input).into(),
        Err(error) => error.into_compile_error().into(),
    }
}
