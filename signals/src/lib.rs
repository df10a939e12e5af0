//! Statically typed signals for Rust: decoupled "something happened"
//! notifications in the style of Django's signals and Blinker, where every
//! receiver is checked by the compiler. Receivers declared with
//! `#[receiver]` register at link time, so that sending to them is a plain
//! loop over function pointers — no boxing, no lock, no allocation, no
//! hashing. Closures connect at run time too, to global signals or to
//! per-object signals, from any thread, without making sends take a lock.
//!
//! # Example
//!
//! ```
//! use signals::{receiver, signal};
//!
//! pub struct Todo { pub title: String }
//! pub struct User { pub name: String }
//!
//! /// Sent when a todo item is marked done.
//! #[signal]
//! pub fn todo_done(item: &Todo);
//!
//! // Anywhere in the program, even in another crate:
//! #[receiver(signal = todo_done)]
//! fn log_done(item: &Todo) {
//!     println!("done: {}", item.title);
//! }
//!
//! // Called only when a `User` sends the signal, and given that user.
//! #[receiver(signal = todo_done, sender = User)]
//! fn notify_owner(owner: &User, item: &Todo) {
//!     println!("{} finished {}", owner.name, item.title);
//! }
//!
//! let ann = User { name: "ann".into() };
//! let todo = Todo { title: "ship".into() };
//! todo_done.send(&todo);             // log_done
//! todo_done.send_from(&ann, &todo);  // log_done, then notify_owner
//! assert_eq!(todo_done.receivers().len(), 2);
//! ```
//!
//! # Declaring a signal
//!
//! [`#[signal]`](macro@signal) turns a function signature without a body into
//! a signal of that name. The parameters are what every send passes to every
//! receiver:
//!
//! - `&T`: the same reference for each receiver;
//! - `&mut T`: reborrowed for each receiver in turn, so receivers can add to
//!   a message, the way NiftyNet's handlers add ops to an iteration message;
//! - `T` by value when `T: Copy`: a copy for each receiver. A non-`Copy`
//!   value is refused at compile time, with the advice to pass `&T`.
//!
//! A signal may take no parameters, name lifetimes (`fn f<'a>(a: &'a str,
//! b: &'a str)`), have any visibility, carry doc comments (they go to the
//! generated item) and return a value (see [return values](#return-values)).
//!
//! ```
//! use signals::signal;
//!
//! pub struct Message { pub ops: Vec<&'static str> }
//!
//! /// Sent at the start of each training iteration.
//! #[signal]
//! pub fn iteration_started(iteration: u64, message: &mut Message);
//!
//! #[signal]
//! pub(crate) fn shutdown();
//! ```
//!
//! The signal is a unit struct: a value you send (`iteration_started.send(..)`)
//! and a type you name (`#[receiver(signal = iteration_started)]`). It is
//! `Copy`, `Send`, `Sync` and `Debug`, and implements [`Signal`]. Its inherent
//! methods are typed with the parameter names you wrote, so rustdoc and your
//! IDE show `send(&self, iteration: u64, message: &mut Message)`.
//!
//! Because the signal is a unit struct, a local variable of the same name
//! (`let todo_done = ..;`) does not compile in its scope: the name is taken
//! by the struct, as with any unit struct.
//!
//! # Receiving
//!
//! [`#[receiver(signal = path)]`](macro@receiver) registers a function when
//! the program is linked. The function must have exactly the signal's
//! parameter and return types, lifetimes included; it stays an ordinary
//! function you can call. One function can receive several signals with the
//! same signature, like Django's `@receiver([a, b])`:
//!
//! ```
//! use signals::{receiver, signal};
//!
//! pub struct Todo { pub title: String, pub done: bool }
//!
//! #[signal]
//! pub fn todo_done(item: &Todo);
//! #[signal]
//! pub fn todo_undone(item: &Todo);
//!
//! #[receiver(signal = todo_done)]
//! #[receiver(signal = todo_undone)]
//! fn log_todo_action(item: &Todo) {
//!     println!("{}: {}", item.title, if item.done { "done" } else { "undone" });
//! }
//!
//! let item = Todo { title: "ship".into(), done: true };
//! log_todo_action(&item); // still a plain function
//! todo_done.send(&item);
//! todo_undone.send(&item);
//! ```
//!
//! `signal` is any path to a signal: `crate::events::todo_done`, a renamed
//! import (`use todo::todo_done as finished;`), or a signal of another crate.
//!
//! | option | meaning | default |
//! |---|---|---|
//! | `signal = path` | the signal to receive (required) | |
//! | `sender = Type` | only called by `send_from` with a sender of this type, or an `Arc`, `Rc`, `Box` or `&'static` of it; `sender = AnySender`: by every `send_from` | every send |
//! | `priority = n` | an `i32`; higher runs first | `0` |
//! | `every = n` | called on sends n, 2n, 3n… ([policies](#policies)) | every send |
//! | `when = path` | called only when `path(args..)` returns `true` | always |
//! | `max_calls = n` | called n times at most, then inert | no limit |
//! | `repeat = n` | called n times per send (receivers that return nothing) | `1` |
//! | `hidden` | left out of printed trees | shown |
//! | `crate = path` | where the `signals` crate is, if you re-export it | `::signals` |
//!
//! # Senders
//!
//! A send may say who sends it: `send_from(&sender, ..)`. Receivers without a
//! `sender` option get every send; a receiver with `sender = User` gets only
//! the sends whose sender is a `User`. It may take that sender as its first
//! parameter, statically typed: no downcasting. This is Django's
//! `post_save.connect(create_profile, sender=User)`.
//!
//! ```
//! use signals::{receiver, signal};
//!
//! pub struct User { pub name: String }
//! pub struct Invoice;
//!
//! /// Sent after any model is saved.
//! #[signal]
//! pub fn post_save(created: bool);
//!
//! #[receiver(signal = post_save, sender = User)]
//! fn create_profile(user: &User, created: bool) {
//!     if created {
//!         println!("profile for {}", user.name);
//!     }
//! }
//!
//! // Filtered on the sender's type, without taking the sender.
//! #[receiver(signal = post_save, sender = Invoice)]
//! fn archive_invoice(created: bool) {}
//!
//! post_save.send_from(&User { name: "ann".into() }, true); // create_profile
//! post_save.send_from(&Invoice, true);                     // archive_invoice
//! post_save.send(true);                                    // neither
//! ```
//!
//! The sender can be any `'static` type, unsized ones included
//! (`sender = str`, `sender = dyn Shape`: a receiver then takes
//! `&dyn Shape`, as written). `send_from` looks the sender's type up among
//! the types that have filtered receivers (a handful of `TypeId`
//! comparisons) and then loops over one precomputed table.
//!
//! ## Pointers to a sender
//!
//! A send from an `Arc<User>`, `Rc<User>`, `Box<User>` or `&'static User`
//! reaches the receivers of `sender = User` too, each called with the
//! `User` inside; receivers of `sender = Arc<User>` are reached as well, in
//! the same call order. The tables for these pointer types are built once,
//! with the others, so a send pays nothing for them.
//!
//! ```
//! use std::sync::Arc;
//! use signals::{receiver, signal};
//!
//! pub struct User {
//!     pub name: String,
//! }
//!
//! #[signal]
//! pub fn logged_in(first_time: bool);
//!
//! #[receiver(signal = logged_in, sender = User)]
//! fn welcome(user: &User, first_time: bool) {
//!     if first_time {
//!         println!("welcome, {}", user.name);
//!     }
//! }
//!
//! let ann = Arc::new(User { name: "ann".into() });
//! logged_in.send_from(&ann, true); // welcome, ann
//! ```
//!
//! Beyond that, the match is on the exact type passed: an `Arc<Box<User>>`
//! points to a `Box<User>`, and a `Pin<Box<User>>` or a `MutexGuard<User>`
//! is a sender of its own type; write `send_from(&**sender, ..)`.
//! `send_from(&user as &dyn Shape, ..)` is a send from `dyn Shape`. When a
//! receiver seems not to be called, [`receivers()`](#introspection) shows
//! the sender type it waits for, as written.
//!
//! ## Any sender
//!
//! `sender = AnySender` receives every `send_from`, whatever the sender,
//! and may take it as an [`&AnySender`](AnySender): Blinker's receiver for
//! any sender, which still sees who sent. It can tell the sender's type and
//! downcast it, unsized senders included. A plain `send` has no sender, so
//! it calls only the receivers without a filter. `sender = dyn Any` is a
//! compile error, since no `send_from(&value, ..)` is a send from a
//! `dyn Any`.
//!
//! ```
//! use signals::{AnySender, receiver, signal};
//!
//! #[signal]
//! pub fn deleted(id: u64);
//!
//! #[receiver(signal = deleted, sender = AnySender)]
//! fn audit(sender: &AnySender, id: u64) {
//!     println!("{} deleted {id}", sender.type_name());
//! }
//!
//! deleted.send_from("admin console", 7); // str deleted 7
//! ```
//!
//! # Order
//!
//! Receivers run by priority, highest first. At equal priority, static
//! receivers run first, in the order of their path,
//! `module_path!()::function_name`; then runtime receivers, in the order they
//! were connected. The static order never depends on declaration or link
//! order, so it is the same on every build and every platform.
//! [`receivers()`](#introspection) lists receivers in this order.
//!
//! ```
//! use signals::{receiver, signal};
//! # use std::sync::Mutex;
//! # static CALLS: Mutex<Vec<&str>> = Mutex::new(Vec::new());
//!
//! #[signal]
//! pub fn booted();
//!
//! #[receiver(signal = booted)]
//! fn b() { CALLS.lock().unwrap().push("b") }
//! #[receiver(signal = booted)]
//! fn a() { CALLS.lock().unwrap().push("a") }
//! #[receiver(signal = booted, priority = 10)]
//! fn first() { CALLS.lock().unwrap().push("first") }
//! #[receiver(signal = booted, priority = -1)]
//! fn last() { CALLS.lock().unwrap().push("last") }
//!
//! booted.send();
//! assert_eq!(*CALLS.lock().unwrap(), ["first", "a", "b", "last"]);
//! ```
//!
//! # Return values
//!
//! A signal declared with a return type collects every receiver's result, in
//! call order: `send` returns a `Vec`. `send_iter` calls the receivers one by
//! one as its iterator is advanced, so you can fold, or stop at the first
//! answer you need, without allocating. `send_from` and `send_from_iter` do
//! the same with a sender.
//!
//! ```
//! use signals::{receiver, signal};
//!
//! pub struct Comment { pub text: String }
//!
//! /// Asks whether a comment may be published.
//! #[signal]
//! pub fn may_publish(comment: &Comment) -> bool;
//!
//! #[receiver(signal = may_publish)]
//! fn not_empty(comment: &Comment) -> bool { !comment.text.is_empty() }
//!
//! #[receiver(signal = may_publish)]
//! fn polite(comment: &Comment) -> bool { !comment.text.contains("!!!") }
//!
//! let comment = Comment { text: "hi!!!".into() };
//! assert_eq!(may_publish.send(&comment), [true, false]);
//! // Stops at the first `false`; allocates nothing.
//! assert!(!may_publish.send_iter(&comment).all(|ok| ok));
//! ```
//!
//! A return type cannot borrow from the arguments (`-> &str` is refused);
//! return owned values or `'static` references.
//!
//! # Failing receivers
//!
//! `send` lets a receiver's panic unwind into the sender, like any function
//! call: the receivers after it are not called, and the signal stays usable.
//! Django's `send_robust` is here too, for every signal:
//!
//! - **`send_robust`** (and `send_from_robust`) calls every receiver
//!   whatever happens. A panic is caught, rendered as text, and reported as
//!   a [`ReceiverError`] that names the signal and the receiver; the next
//!   receiver is called. A signal whose receivers return nothing returns the
//!   failures alone (empty when all went well); one that returns values
//!   returns a `Result` for each receiver, in call order. A receiver that a
//!   policy skips gives no result.
//! - **For receivers that return a `Result<T, E>`**, an `Err` is that
//!   receiver's failure too: `send_robust` returns
//!   `Vec<Result<T, ReceiverError<E>>>`. **`try_send`** (and
//!   `try_send_from`) calls the receivers in order until one returns an
//!   `Err`, and returns it with the receiver's name; the receivers after it
//!   are not called. A panic propagates there, as in `send`. A `Result`
//!   alias such as `io::Result<T>` counts, as does any output type named
//!   `Result` (the macro sees the name, not the type: an alias of another
//!   name is a plain value).
//! - **Error hooks** see every failure of a robust send, so that none is
//!   lost even where the results are dropped: a signal's own
//!   (`set_error_hook` on the signal, or on its [`RegisteredSignal`]), then
//!   the process-wide one ([`set_error_hook`](fn@set_error_hook)).
//!
//! ```
//! use signals::{receiver, signal};
//!
//! #[derive(Debug)]
//! pub struct Declined(&'static str);
//!
//! #[signal]
//! pub fn charge(cents: u64) -> Result<u64, Declined>;
//!
//! #[receiver(signal = charge, priority = 1)]
//! fn card(cents: u64) -> Result<u64, Declined> {
//!     if cents > 10_000 { Err(Declined("over the limit")) } else { Ok(cents) }
//! }
//!
//! #[receiver(signal = charge)]
//! fn ledger(cents: u64) -> Result<u64, Declined> {
//!     Ok(cents)
//! }
//!
//! let error = charge.try_send(20_000).unwrap_err();
//! assert_eq!(error.receiver().name(), "card");
//! assert!(charge.try_send(500).is_ok());
//!
//! // Every receiver runs; the card's refusal is reported among the results.
//! let results = charge.send_robust(20_000);
//! assert!(results[0].is_err() && results[1].is_ok());
//! ```
//!
//! **Unwind safety.** A robust send catches panics with
//! [`catch_unwind`](std::panic::catch_unwind), asserting the receivers
//! unwind-safe on their behalf: a receiver that panics halfway through
//! changing shared state leaves it as it was when the panic struck, and the
//! receivers after it see it so. The signal itself is never left
//! inconsistent. Panics that abort (`panic = "abort"`) cannot be caught, by
//! this or anything else.
//!
//! # Async signals
//!
//! `#[signal] pub async fn order_paid(order: &Order);` declares an async
//! signal: `order_paid.send(&order).await` calls its receivers, and
//! `async fn` receivers are awaited. What holds:
//!
//! - **One order.** Sync and async receivers keep their places in the call
//!   order of every signal: priority, then path, then runtime receivers by
//!   connection. Django runs sync receivers first; here an `audit` at
//!   priority 10 runs before an `async fn email` at 5, whatever their kind.
//! - **In the caller's task.** Receivers run one after another inside the
//!   future that `send` returns: a sync receiver inline (it must not block),
//!   an async one awaited to completion before the next starts. Nothing is
//!   spawned, no runtime is assumed, and task-locals, `tracing` spans and
//!   whatever the executor keeps per task are the caller's, in every
//!   receiver (Django needed a context copy for this).
//! - **No allocation** for static receivers: an `async fn` receiver's
//!   future runs in a slot inside the send's future, of `async_inline`
//!   bytes (`#[signal(async_inline = 512)]`; 256 by default). A future that
//!   does not fit is boxed, for that call only. Runtime receivers cost more:
//!   one box per call of an async one, and per send a `Vec` holding each
//!   runtime receiver (an async send may move to another thread at each
//!   `.await`, so it holds its receivers instead of its thread's reader
//!   slot, which the sync sends mark).
//! - **`Send`, checked at the receiver.** An `async fn` receiver's future
//!   must be `Send`, or it does not compile, with the error at its name;
//!   the send's future is then `Send` whenever the arguments are.
//! - **Cancellation.** Dropping the send's future drops the future of the
//!   receiver it was awaiting and calls no further receiver: each receiver
//!   is called at most once per send. The signal stays usable.
//! - **Concurrently, if asked.** `send_concurrent(..).await` starts every
//!   receiver in call order, then polls the futures still pending together,
//!   in call order at each wake: receivers that wait on one another finish,
//!   and the results still come back in call order, whatever order the
//!   receivers finish in. It allocates room for every receiver's future,
//!   once per send; dropping it drops them all.
//! - **Failures.** A panic propagates out of `.await`, as out of a sync
//!   `send`; `send_robust().await` and `try_send().await` work as for sync
//!   signals (see [failing receivers](#failing-receivers)), panics while a
//!   future is polled included.
//!
//! ```
//! use signals::{receiver, signal};
//! # use std::sync::Mutex;
//! # static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());
//!
//! pub struct Order { pub id: u64 }
//!
//! #[signal]
//! pub async fn order_paid(order: &Order) -> String;
//!
//! #[receiver(signal = order_paid, priority = 10)]
//! fn audit(order: &Order) -> String {
//!     format!("audited {}", order.id)
//! }
//!
//! #[receiver(signal = order_paid)]
//! async fn email(order: &Order) -> String {
//!     // .. an `.await` on a mailer ..
//!     format!("emailed {}", order.id)
//! }
//!
//! # futures_executor::block_on(async {
//! let sent = order_paid.send(&Order { id: 7 }).await;
//! assert_eq!(sent, ["audited 7", "emailed 7"]);
//! # });
//! ```
//!
//! **Runtime receivers.** `connect` takes a sync closure, as for any signal.
//! `connect_async` takes a closure that returns a [`BoxFuture`]: one
//! allocation per call. On stable Rust, the forms that work are:
//!
//! | closure | works? |
//! |---|---|
//! | `move \|order: &Order\| Box::pin(async move { .. })` | yes: it may capture state, borrow the arguments, and is checked `Send` |
//! | `\|order: &Order\| async move { .. }` (no `Box::pin`) | no: its future cannot be named, nor tied to the arguments' lifetime |
//! | `async move \|order: &Order\| { .. }` (an async closure) | no: its future cannot be proven `Send` on stable Rust |
//!
//! ```
//! use signals::signal;
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU64, Ordering};
//!
//! #[signal]
//! pub async fn uploaded(bytes: &[u8]);
//!
//! let total = Arc::new(AtomicU64::new(0));
//! let counter = Arc::clone(&total);
//! let _counting = uploaded
//!     .connect_async(move |bytes: &[u8]| {
//!         let counter = Arc::clone(&counter);
//!         Box::pin(async move {
//!             counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
//!         })
//!     })
//!     .scoped();
//! futures_executor::block_on(uploaded.send(b"abc"));
//! assert_eq!(total.load(Ordering::Relaxed), 3);
//! ```
//!
//! A [handler object](#handler-objects) of an async signal may have `async
//! fn` methods too: each call's future holds the handler.
//!
//! Limits, each a compile error where it applies: an async signal cannot
//! take a `&mut` argument (each receiver may keep its arguments across an
//! `.await`), and the arguments are borrowed for the whole send, with one
//! lifetime; an `async fn` receiver cannot have a sender filter or
//! `repeat`, nor an `async fn` handler method `when` (sync receivers of an
//! async signal can); a sync signal takes no `async fn` receiver;
//! `send_iter` is for sync signals. Async signal types are not available:
//! declare async signals with `#[signal] async fn`.
//!
//! # Queued delivery: a mailbox
//!
//! A receiver connected with `connect_queued(&mailbox, receiver)` runs on
//! the thread that owns the [`Mailbox`], when that thread pumps it
//! ([`process_pending`](Mailbox::process_pending) in an event loop's idle
//! callback, [`run_until`](Mailbox::run_until), or a blocking
//! [`run`](Mailbox::run)), whichever thread sent: Qt's queued connections,
//! without Qt. The receiver never leaves that thread, so it need not be
//! `Send`: it may hold the `Rc<RefCell<..>>` of a UI. Its arguments travel
//! as owned copies. See [`Mailbox`] for order, bounds, waking an event loop
//! and lifetime.
//!
//! `connect_queued` exists for signals whose receivers return nothing and
//! whose arguments can be copied to `'static` values: `&T` with `T:
//! ToOwned` (`Clone` types, `str`, `[T]`), or `Copy` values. A `&mut T`
//! argument is refused where `connect_queued` is called (the receiver would
//! change its own copy); a signal whose argument types borrow (a `&dyn
//! Trait`, a `&Item<'a>`) or whose receivers return a value refuses
//! `connect_queued` with an error that says so.
//!
//! # Background workers
//!
//! A [`Worker`] runs a function on a thread of its own and reports through
//! per-object signals ([`WorkerSignals`]): `started` first; `yielded` for
//! each value the body yields, `paused` and `resumed`; then `returned`,
//! `errored` (an `Err` or a panic) or `aborted`; `finished` last, always.
//! Connect their receivers with `connect_queued` and they run on your
//! thread, as napari's `thread_worker` brings its signals back to Qt's.
//!
//! The body's [`Co::yield_`] is its checkpoint: there `pause` blocks it (on
//! a condition variable, no polling), `quit` stops it (`?` returns
//! [`Stop::Aborted`]), and the latest value `send` gave comes back. A body
//! that never yields is a plain function worker. Controls outside a run do
//! nothing, or return a typed error; [`Worker::join`] takes a timeout and
//! returns how the worker ended, its error included; dropping a running
//! worker quits it and waits for it, and [`quit_all`] stops every worker.
//! A failure that no receiver of `errored` saw is never lost: `join`
//! returns it, a worker started with
//! [`start_with(&mailbox)`](Worker::start_with) raises it on the owner's
//! thread while the mailbox is pumped, and otherwise dropping the worker
//! unjoined raises it.
//!
//! [`#[thread_worker]`](thread_worker) turns a function that takes a
//! `co: &mut Co<Y, S, E>` and returns `Result<R, Stop<E>>` into one that
//! returns an unstarted `Worker<Y, S, R, E>`, as napari's decorator does.
//!
//! # Across processes
//!
//! `#[signal(bridge)]` lets a transport carry a signal's sends to other
//! processes: the signal implements [`Bridge`], which hands a transport
//! each send's arguments as one borrowed tuple, and delivers a decoded,
//! owned tuple to the local receivers robustly, returning what failed.
//! The crate `signals-redis` is such a transport, over Redis Streams, with
//! consumer groups, retries and a dead-letter stream; its documentation is
//! the bridge's manual.
//!
//! ```
//! use signals::{Bridge, signal};
//!
//! #[derive(Clone)]
//! pub struct Order {
//!     pub id: u64,
//! }
//!
//! #[signal(bridge)]
//! pub fn order_paid(order: &Order, note: &str);
//!
//! // What a delivery from elsewhere does: owned copies, lent to the receivers.
//! let failures = order_paid.deliver((Order { id: 1 }, "paid".to_owned()));
//! assert!(failures.is_empty());
//! ```
//!
//! A bridged signal's arguments are owned types or references to them
//! (`&str` travels as a `String`, `&[T]` as a `Vec<T>`, `&Path` as a
//! `PathBuf`); its receivers return nothing, or `Result<(), E>`, whose
//! `Err` counts as a failure, so that the delivery is retried. Signal
//! types, async signals, signals whose receivers return a value and
//! arguments that borrow (`&dyn Trait`, `&Item<'a>`) are refused with a
//! compile error saying why. A signal declared without `bridge` generates
//! none of this.
//!
//! # Policies
//!
//! AMLTK's handler policies, on a static receiver: `every = n`, `when =
//! predicate`, `max_calls = n`, `repeat = n` and `hidden`. Each send is
//! weighed in this order, as AMLTK does it:
//!
//! 1. the send is counted;
//! 2. `every = n` lets sends n, 2n, 3n… through (over five sends, `every =
//!    2` calls on the 2nd and the 4th);
//! 3. `when = predicate` calls the predicate with the receiver's own
//!    arguments (the sender first, if the receiver takes it); `false` stops
//!    here and uses up nothing;
//! 4. `max_calls = n`: after n calls the receiver stays registered, inert,
//!    and [`receivers()`](#introspection) shows it exhausted;
//! 5. the receiver is called `repeat` times, which counts as one call
//!    towards `max_calls`. The call is counted before it is made, so a call
//!    that panics counts.
//!
//! The counters are atomic: with `max_calls = 3`, three calls happen in
//! all, however many threads send. They live in a `static` next to the
//! receiver; a receiver without a policy, and a signal without such
//! receivers, pays nothing for them.
//!
//! ```
//! use std::sync::atomic::{AtomicBool, Ordering};
//! use signals::{receiver, signal};
//!
//! #[signal]
//! pub fn trial_finished(trial: u32);
//!
//! static TUNING: AtomicBool = AtomicBool::new(true);
//!
//! fn still_tuning(_trial: u32) -> bool {
//!     TUNING.load(Ordering::Relaxed)
//! }
//!
//! #[receiver(signal = trial_finished, every = 2, when = still_tuning, max_calls = 3)]
//! fn checkpoint(trial: u32) {
//!     println!("checkpoint after trial {trial}");
//! }
//!
//! for trial in 1..=10 {
//!     trial_finished.send(trial); // checkpoints after trials 2, 4 and 6
//! }
//! let checkpoint = &trial_finished.receivers()[0];
//! assert_eq!(checkpoint.calls(), Some(3));
//! assert!(checkpoint.is_exhausted());
//! ```
//!
//! At run time, [`ConnectOptions`] sets `every`, `max_calls`, `repeat` and
//! `hidden`, and `name` labels the receiver in `receivers()`. A value that
//! would never call the receiver is an [`InvalidOption`]. A runtime
//! receiver may return a value: the sends it skips give no result. Options
//! with `repeat` are a type of their own, which only a signal whose
//! receivers return nothing takes: giving them to another is a compile
//! error. `connect_when(&options, when, receiver)` adds a typed `when`: a
//! closure given the same arguments as the receiver.
//!
//! ```
//! use signals::{ConnectOptions, signal};
//!
//! #[signal]
//! pub fn loss_computed(epoch: u32, loss: f64);
//!
//! let options = ConnectOptions::new().max_calls(1)?;
//! let _alert = loss_computed.connect_when(
//!     &options,
//!     |_, loss| loss.is_nan(),
//!     |epoch, _| eprintln!("loss diverged at epoch {epoch}"),
//! );
//! loss_computed.send(1, 0.5); // `when` says no: nothing used up
//! loss_computed.send(2, f64::NAN); // loss diverged at epoch 2
//! # Ok::<(), signals::InvalidOption>(())
//! ```
//!
//! ```
//! use signals::{ConnectOptions, signal};
//!
//! #[signal]
//! pub fn scored(trial: u32) -> f64;
//!
//! let options = ConnectOptions::new()
//!     .name("sampled metric")
//!     .every(5)?
//!     .max_calls(2)?;
//! let _metric = scored.connect_with(&options, |trial| f64::from(trial) / 10.0);
//! let results: Vec<Vec<f64>> = (1..=15).map(|trial| scored.send(trial)).collect();
//! assert_eq!(results[4], [0.5]); // trial 5
//! assert_eq!(results[9], [1.0]); // trial 10
//! assert!(results[14].is_empty()); // trial 15: max_calls used up
//! assert_eq!(scored.receivers()[0].path(), "sampled metric");
//! # Ok::<(), signals::InvalidOption>(())
//! ```
//!
//! A static receiver that returns a value may have a policy too: the sends
//! it skips give no result. A signal with such a receiver takes, for every
//! send, the way that merges runtime receivers in, since the plain loop over
//! function pointers cannot skip; other signals keep the plain loop. With a
//! sender filter as well, it is refused for now. `repeat` on it stays
//! refused, since one send would get several results from it. Every refused
//! value
//! (`every = 0`, `repeat = 0`, `max_calls = 0`, anything not a positive
//! integer literal) is a compile error at the value.
//!
//! # Introspection
//!
//! `receivers()` lists the registered receivers in call order as
//! [`ReceiverInfo`]: name, path, sender filter, priority, file and line. It is
//! how you check that a receiver did register, for instance one in a crate
//! the final binary does not link (next section).
//!
//! ```
//! use signals::{receiver, signal};
//!
//! #[signal]
//! pub fn ready();
//!
//! #[receiver(signal = ready, priority = 3)]
//! fn warm_caches() {}
//!
//! for receiver in ready.receivers() {
//!     println!("{receiver}"); // rust_out::warm_caches (priority 3) at src/main.rs:6
//! }
//! assert_eq!(ready.receivers()[0].name(), "warm_caches");
//! ```
//!
//! # Handler objects
//!
//! A struct whose methods receive several signals is installed and removed
//! as one unit: put [`#[handler]`](handler) on its `impl` block and
//! `#[receiver(signal = path, ..)]` on each receiving method. `install()`
//! connects every method, sharing the struct behind an `Arc`, and returns a
//! guard; dropping the guard disconnects them all. Each method takes
//! `&self`, then the signal's parameters, and its `#[receiver]` takes the
//! options and [policies](#policies) of a static receiver. `receivers()`
//! shows each method as `Type::method`. See [`Handler`] for an example.
//!
//! A handler can also be chosen by name, as NiftyNet's `--event_handler
//! model_saver,console_logger` chooses them: `#[handler(name =
//! "model_saver", config = AppConfig)]` registers it at link time, built
//! from the application's configuration with `From<&AppConfig>`. A
//! [`HandlerSet`] holds the names chosen: explicit defaults, then `extend`
//! or `replace` (NiftyNet silently replaced its defaults when given a list).
//! An unknown name is an [`UnknownHandler`] with the known names and the
//! nearest one. The set installs the handlers in the order of their names,
//! never in the order of a list or a hash set, so calls at equal priority
//! keep one order.
//!
//! # Counting
//!
//! A signal counts its sends, and the calls of each of its receivers, once
//! asked to: `set_counting(true)` on the signal, on a
//! [`RegisteredSignal`], or on every signal of the program with
//! [`signals::set_counting`](set_counting()). Counting is off by default,
//! because a count is a shared write: a signal that counts takes the way
//! that merges runtime receivers in, and the sends of a signal that does not
//! count touch no counter (the emit bench measures both). `sends()` gives
//! the count, `receivers()` each receiver's calls, and `tree()` prints them
//! as AMLTK prints an emitter ([`Tree`]):
//!
//! ```
//! use signals::{ConnectOptions, receiver, signal};
//!
//! #[signal]
//! pub fn epoch_ended(epoch: u32);
//!
//! #[receiver(signal = epoch_ended, priority = 5)]
//! fn log_epoch(epoch: u32) {}
//!
//! #[receiver(signal = epoch_ended, every = 2)]
//! fn save_model(epoch: u32) {}
//!
//! epoch_ended.set_counting(true);
//! let _bar = epoch_ended.connect_with(&ConnectOptions::new().name("progress bar"), |_| {});
//! for epoch in 1..=4 {
//!     epoch_ended.send(epoch);
//! }
//! assert_eq!(epoch_ended.sends(), Some(4));
//! println!("{}", epoch_ended.tree());
//! // @epoch_ended 4
//! // ├── rust_out::log_epoch(epoch: u32) priority 5 (4)
//! // ├── rust_out::save_model(epoch: u32) every = 2 (2)
//! // └── progress bar [runtime] (4)
//! # assert!(epoch_ended.tree().to_string().ends_with("└── progress bar [runtime] (4)"));
//! ```
//!
//! `signals::tree()` prints every registered signal this way, and a struct
//! whose fields are signal types derives [`Signals`] to print them all and
//! switch their counting together (AMLTK's `Scheduler`).
//!
//! # Tracing
//!
//! With the `tracing` cargo feature, each send enters a `debug` span named
//! `send`, with the signal's name in its `signal` field (a send of a signal
//! whose receivers return a value, whose calls happen as its results are
//! taken, is a `debug` event instead), and each receiver call is a `trace`
//! event with the receiver's path or label. Without the feature none of it
//! is compiled: the sends are the same code.
//!
//! # The registry: signals by name
//!
//! Every `#[signal] fn` registers itself at link time, with its name, module
//! path and signature. [`lookup`] finds one by its name, or by as much of
//! its path as tells it apart (Blinker's `Namespace`), and [`all`] lists
//! them all, by path: the picture of the whole program. What you get is a
//! [`RegisteredSignal`]: enough to list its receivers, mute it, clear it,
//! count it, print it, and enable or disable its static receivers by name
//! (`disable`, `enable`, `enable_only`), without its types. A name that matches nothing is a
//! [`LookupError::Unknown`] that suggests the nearest names.
//!
//! ```
//! use signals::signal;
//!
//! #[signal]
//! pub fn order_shipped(id: u64);
//!
//! let signal = signals::lookup("order_shipped")?;
//! assert_eq!(signal.signature(), "fn(id: u64)");
//! let _muted = signal.mute();
//! order_shipped.send(7); // nobody hears it while muted
//!
//! let misspelt = signals::lookup("order_shiped").unwrap_err();
//! assert!(misspelt.to_string().contains("did you mean"));
//! # Ok::<(), signals::LookupError>(())
//! ```
//!
//! # Connecting at run time
//!
//! Every signal also takes closures at run time, Django's and Blinker's
//! `connect`. `connect` returns a [`Connection`]: dropping it does **not**
//! disconnect (as in Django, Qt and Boost.Signals2); call
//! [`disconnect`](Connection::disconnect), or make it a
//! [`ScopedConnection`] that disconnects when dropped.
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use signals::{ConnectOptions, signal};
//!
//! pub struct User { pub name: String }
//!
//! #[signal]
//! pub fn post_save(created: bool);
//!
//! let saves = Arc::new(AtomicU32::new(0));
//! let counter = {
//!     let saves = Arc::clone(&saves);
//!     post_save.connect(move |_created| { saves.fetch_add(1, Ordering::Relaxed); })
//! };
//!
//! // Only for sends from a `User`, which the closure gets first.
//! let profile = post_save.connect_from(|user: &User, created| {
//!     if created { println!("profile for {}", user.name) }
//! });
//!
//! // A priority, and a unique key (Django's `dispatch_uid`): connecting
//! // again with the same key keeps the first receiver.
//! let audit = ConnectOptions::new().priority(10).key("audit");
//! post_save.connect_with(&audit, |created| println!("audit: {created}"));
//! post_save.connect_with(&audit, |created| println!("audit: {created}"));
//!
//! post_save.send_from(&User { name: "ann".into() }, true);
//! assert_eq!(saves.load(Ordering::Relaxed), 1);
//!
//! assert!(counter.disconnect());
//! assert!(post_save.disconnect_key("audit"));
//! {
//!     let _scoped = post_save.connect(|_| println!("only in this scope")).scoped();
//!     post_save.send(false);
//! }
//! // Every runtime receiver left (here, `profile`) at once.
//! assert_eq!(post_save.disconnect_all(), 1);
//! assert!(!profile.is_connected());
//! assert!(post_save.receivers().is_empty());
//! ```
//!
//! | method | receiver | note |
//! |---|---|---|
//! | `connect(f)` | `Fn(args..)` | called by every send |
//! | `connect_with(&options, f)` | `Fn(args..)` | with a [priority and a key](ConnectOptions) |
//! | `connect_when(&options, when, f)` | `Fn(args..)` | only when `when(args..)` is true ([policies](#policies)) |
//! | `connect_from::<S>(f)` | `Fn(&S, args..)` | only sends from a sender of type `S`, or [a pointer to one](#pointers-to-a-sender); `S = AnySender`: every `send_from` |
//! | `connect_weak(&arc, f)` | `Fn(&T, args..)` | while the `Arc<T>` lives; the signal holds a `Weak` |
//! | `connected_to(f, body)` | `Fn(args..)` | connected while `body` runs, for tests (Blinker's `connected_to`) |
//!
//! `disconnect_all()` disconnects every runtime receiver of a signal at
//! once (Blinker's `receivers.clear()`, Boost's `disconnect_all_slots`) and
//! returns how many there were; static receivers stay, and `mute()` silences
//! them.
//!
//! The closure of `connect_from` names its sender's type, as in
//! `|user: &User, created|`, or the call does: `connect_from::<User>(..)`.
//! Without either, rustc asks for a type and suggests `|user: &Sender, ..|`,
//! where `Sender` stands for the type you mean.
//!
//! `connect_from_with` and `connect_weak_with` take options too. Receivers
//! connected at run time must be `Send + Sync + 'static`: a signal can be sent
//! from any thread.
//!
//! A weak receiver stops being called once the last strong `Arc` to its
//! target is dropped, and its entry is removed on the next send or
//! `receivers()` call, like Django's default `weak=True`:
//!
//! ```
//! use std::sync::Arc;
//! use signals::signal;
//!
//! pub struct View { pub name: String }
//!
//! #[signal]
//! pub fn changed(field: &str);
//!
//! let view = Arc::new(View { name: "list".into() });
//! changed.connect_weak(&view, |view: &View, field: &str| println!("{} redraws {field}", view.name));
//! changed.send("title"); // "list redraws title"
//! drop(view);
//! changed.send("title"); // nothing: the view is gone
//! assert!(changed.receivers().is_empty());
//! ```
//!
//! Two guards silence receivers for a while; both nest.
//! [`mute()`](Muted) silences the whole signal, static receivers included
//! (Blinker's `muted`, Qt's `QSignalBlocker`), and
//! [`Connection::block`] skips one receiver (Boost's
//! `shared_connection_block`).
//!
//! # Signal types: per-object signals
//!
//! `#[signal]` on a function pointer type declares a *signal type*: every
//! value is a signal of its own, with the same typed methods, for struct
//! fields. This is napari's worker signals, AMLTK's per-task events, Qt's
//! and psygnal's per-instance signals.
//!
//! ```
//! use signals::signal;
//!
//! /// Emitted for every image a worker yields.
//! #[signal]
//! pub type Yielded = fn(image: &[u8]);
//!
//! /// Asks whether the worker may stop.
//! #[signal]
//! pub type MayStop = fn(reason: &str) -> bool;
//!
//! #[derive(Default)]
//! pub struct Worker {
//!     pub yielded: Yielded,
//!     pub may_stop: MayStop,
//! }
//!
//! let worker = Worker::default();
//! let other = Worker::default();
//! worker.yielded.connect(|image| println!("{} bytes", image.len()));
//! worker.yielded.send(&[1, 2, 3]); // "3 bytes"
//! other.yielded.send(&[1]);        // nobody listens to this one
//! worker.may_stop.connect(|reason| reason != "busy");
//! assert_eq!(worker.may_stop.send("done"), [true]);
//! ```
//!
//! Parameter names are optional in a signal type (`fn(&[u8])`); unnamed
//! ones are called `arg0`, `arg1`, … in the generated methods. A signal type
//! has runtime receivers only: `#[receiver]` names a `#[signal] fn`. The
//! struct is `Send + Sync`, `Default` and `Debug`; it holds one pointer and
//! allocates its connection list on the first `connect`.
//!
//! A signal type may be generic, with bounds, a `where` clause and const
//! parameters, so that a generic object has typed signals: napari's
//! `Worker<T>` yields `T`s, AMLTK's `Task<I, O>` maps `I` to `O`. Each type
//! parameter is `'static` (a signal keeps its receivers for as long as it
//! lives); lifetimes belong in the `fn` type (`for<'a> fn(&'a T, &'a T)`).
//!
//! ```
//! use signals::signal;
//!
//! /// Emitted for every value a worker yields.
//! #[signal]
//! pub type Yielded<T> = fn(value: &T);
//!
//! /// Asks for an output made from an input; `I` may be unsized.
//! #[signal]
//! pub type Mapped<I, O>
//! where
//!     I: ?Sized + Sync,
//!     O: Default,
//! = fn(input: &I) -> O;
//!
//! #[derive(Default)]
//! pub struct Worker<T: Send + Sync + 'static> {
//!     pub yielded: Yielded<T>,
//! }
//!
//! let worker: Worker<Vec<u8>> = Worker::default();
//! worker.yielded.connect(|image: &Vec<u8>| println!("{} bytes", image.len()));
//! worker.yielded.send(&vec![1, 2, 3]);
//!
//! let lengths: Mapped<str, usize> = Mapped::new();
//! lengths.connect(|input: &str| input.len());
//! assert_eq!(lengths.send("four"), [4]);
//! ```
//!
//! A `#[signal] fn` cannot be generic: it is one `static` value.
//!
//! A generic `Signal<fn(&Image)>` was the other candidate. It cannot give
//! typed methods to every signature: the inherent impls for
//! `Signal<fn(&A)>` and `Signal<fn(A)>` overlap (E0592), since `A` may itself
//! be a reference. The macro spells out each signal type's own methods,
//! with the parameter names you wrote.
//!
//! # Receivers in other crates
//!
//! Receivers register wherever they are: in the signal's crate, in another
//! library, in a binary, an integration test, an example, a bench or a
//! doctest. One rule comes from how Rust links programs:
//!
//! **A library that the final binary never names is not linked, and its
//! receivers do not register.** Rust passes a dependency to the linker only
//! when the crate being built refers to it. A crate of receivers that nothing
//! calls (a plugin, an "audit" crate) is such a dependency. Name it once in
//! the final crate root:
//!
//! ```ignore
//! // src/main.rs, tests/*.rs, examples/*.rs: each final crate that wants
//! // the receivers of `todo_audit`.
//! use todo_audit as _;
//! ```
//!
//! or once in a library that those crates use. Then check with
//! `receivers()` that the receivers are there. The workspace's
//! `tests/test_cross_crate.rs` and `tests/test_cross_crate_unnamed.rs` show
//! both sides of this rule.
//!
//! # Threads
//!
//! Signals and signal types are `Send + Sync`, and every method takes
//! `&self`: send, connect and disconnect from any thread, from several at
//! once. What holds:
//!
//! - **No lock while calling receivers.** A send marks its own thread's
//!   reader slot (a cache line no other thread writes) and reads an
//!   immutable snapshot of the runtime receivers: it takes no lock and waits
//!   for nobody, so sends on several threads do not contend. Connect and
//!   disconnect publish a new snapshot under a mutex, and look at the reader
//!   slots to see whether any send of the signal may still read the old one.
//!   On Linux a send marks its slot with plain stores, and a disconnect that
//!   must know what other threads are doing asks them (a thread that is
//!   sending answers within one send) or, failing that, issues
//!   `membarrier(2)`, registered before `main`. Elsewhere (and where
//!   `membarrier` is refused) a send uses two sequentially consistent
//!   stores, a few nanoseconds more.
//! - **No allocation per send**, static or runtime receivers alike. The
//!   one exception is the send that finds a weak receiver's target gone: it
//!   removes the entry, which publishes a new snapshot.
//! - **Static-only signals pay one atomic load** over the plain loop, to see
//!   that no runtime receiver is connected and the signal is not muted.
//! - **Re-entrancy.** A receiver may connect or disconnect receivers
//!   (itself included), and send the same signal again, without deadlock. A
//!   receiver connected during a send is not called by that send; the next
//!   sends call it. A receiver disconnected during a send is not called by
//!   it if it had not been reached yet.
//! - **Disconnect.** Once [`disconnect`](Connection::disconnect) returns, no
//!   send that starts afterwards (on this thread, or on one that synchronised
//!   with it) calls the receiver, and a send in progress that has not reached
//!   it skips it. A call already under way on another thread may still
//!   finish: waiting for it would need every call to write a shared counter,
//!   which would make concurrent sends contend (Boost.Signals2 gives the same
//!   guarantee).
//! - **Prompt drop.** When `disconnect` returns, the closure has been
//!   dropped, with everything it captured (an `Arc`, a channel `Sender`),
//!   unless a send of that signal is still running. If one is running on
//!   another thread, the last such send drops the closure as it finishes, on
//!   its own thread; if the receiver was disconnected from inside a send on
//!   this thread (a receiver disconnecting itself), the outermost send drops
//!   it as it returns. Nothing waits for later connects, disconnects or
//!   sends. The same holds for dropping a [`ScopedConnection`], for
//!   `disconnect_all()`, for dropping a signal type's value (even while it is
//!   muted), and for a weak receiver whose target is gone, which the first
//!   send or `receivers()` call that notices drops. Sends of other signals do
//!   not hold a closure back, unless they nest a send of its signal; a send
//!   that nests sends of more than four different signals holds back what is
//!   disconnected from any signal until it returns.
//! - **Panics.** A receiver that panics unwinds into the sender, like any
//!   function call; the receivers after it are not called. Nothing is locked
//!   or poisoned: the signal stays fully usable. `send_robust` calls them
//!   anyway (see [failing receivers](#failing-receivers)).
//!
//! Static tables are built on a signal's first use, once, whichever thread
//! gets there first (a [`std::sync::OnceLock`]).
//!
//! Thread-confined (`!Send`) closures are out of scope: a signal is shared
//! by every thread that can name it. Keep thread-local state in the closure
//! behind a `thread_local!`, or send to a channel the owning thread reads.
//!
//! # What the macros expand to
//!
//! ```ignore
//! #[signal]
//! pub fn todo_done(item: &Todo);
//! ```
//!
//! becomes, in outline (helper items live in an anonymous `const _` block,
//! and every path goes through `::signals::__private`, which is not public
//! API):
//!
//! ```ignore
//! pub struct todo_done;
//!
//! // The receiver types, for the runtime (a hidden trait).
//! impl Signature for todo_done {
//!     type Fn = fn(&Todo);
//!     type SenderFn<Sender: ?Sized + 'static> = fn(&Sender, &Todo);
//!     type Dyn = dyn Fn(&Todo) + Send + Sync;
//!     // + the sender and weak closure types
//! }
//!
//! impl Signal for todo_done {
//!     const NAME: &'static str = "todo_done";
//!     const SIGNATURE: &'static str = "fn(item: &Todo)";
//!     // + the link-time registry, and the tables built from it once
//! }
//!
//! impl todo_done {
//!     pub fn send(&self, item: &Todo) {
//!         for receiver in /* the sorted table */ { receiver(item) }
//!     }
//!     pub fn send_from(&self, sender: &(impl Any + ?Sized), item: &Todo) { .. }
//!     pub fn send_robust(&self, item: &Todo) -> Vec<ReceiverError> { .. }
//!     pub fn connect(&self, receiver: impl Fn(&Todo) + Send + Sync + 'static) -> Connection { .. }
//!     // send_from_robust, connect_with, connect_from, connect_weak,
//!     // connected_to, disconnect_key, mute, receivers, set_error_hook, ..
//!
//!     // The one closure that calls a receiver, for every send but `send`
//!     // (which has its own), generic over the sender and over how it
//!     // sends: plainly or robustly.
//!     fn __send<Sender: ?Sized, Mode: UnitSend>(&self, sender: &Sender, .., item: &Todo) -> Mode::Output { .. }
//! }
//! ```
//!
//! `send` loops over the static table while nothing is connected at run
//! time; otherwise it merges the static table and the runtime snapshot by
//! priority. A signal whose receivers return a value has a lazy send
//! instead (`send_iter`), which every other send drives. A signal type
//! (`#[signal] pub type Yielded = fn(image: &[u8]);`) expands to a struct
//! with the same methods and no static table. An async signal's sends
//! return futures, built from one closure likewise.
//!
//! and
//!
//! ```ignore
//! #[receiver(signal = todo_done, priority = 5)]
//! fn log_done(item: &Todo) { .. }
//! ```
//!
//! keeps `log_done` as written and adds a registration: an `inventory`
//! submission holding `log_done` as a `fn(&Todo)`, its name, module path,
//! priority, file and line. The function must have the signal's receiver
//! type: if it does not, the compiler says so at the function's name. An
//! `async fn` receiver registers, instead, a function that starts its
//! future in the send's slot; whether that future is `Send` is checked
//! there, at the receiver's name too.
//!
//! # Supported Rust and platforms
//!
//! The minimum supported Rust version is 1.85 (the 2024 edition).
//!
//! Link-time registration comes from [`inventory`](https://docs.rs/inventory):
//! it works on Linux, macOS, iOS, FreeBSD, Android, Windows and WebAssembly.
//! On a platform it does not support, `#[receiver]` still compiles but
//! registers nothing; `receivers()` shows it. Runtime connections work
//! everywhere. On Linux a send marks its thread with plain stores (see
//! [Threads](#threads)); on other platforms with two sequentially consistent
//! stores.
//!
//! # Compile errors
//!
//! Misuse is a compile error at the offending tokens, one error per mistake:
//! a receiver whose signature does not match (at the function's name, naming
//! the expected type), `signal = X` where `X` is not a signal, a missing or
//! unknown option (listing the valid ones), a non-integer priority, a sender
//! that is not a type, a signal with a body, `self`, type parameters,
//! `impl Trait`, `async`, or a by-value argument that is not `Copy`. The
//! workspace's `tests/ui/` holds one case for each, with the exact message.
#![deny(
    missing_docs,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]

mod async_concurrent;
mod async_emission;
mod async_send;
mod async_slot;
mod bridge;
mod connection;
mod connections;
mod dispatch;
mod emission;
mod error_hook;
mod failure;
mod handler;
mod list;
mod mailbox;
mod muted;
mod named;
mod options;
mod policy;
mod queued;
mod reader;
mod receiver_info;
mod registry;
mod robust;
mod sender;
mod signal;
mod signature;
mod static_receiver;
mod sync;
#[cfg(feature = "tracing")]
mod trace;
mod tree;
mod worker;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use async_slot::BoxFuture;
pub use bridge::Bridge;
pub use connection::{Connection, ConnectionBlock, ScopedConnection};
pub use dispatch::UnknownReceiver;
pub use error_hook::{ErrorHook, clear_error_hook, set_error_hook};
pub use failure::{Failure, ReceiverError};
pub use handler::{Handler, Installed};
pub use mailbox::{Closer, Mailbox, Overflow};
pub use muted::Muted;
pub use named::{HandlerSet, InstalledHandlers, UnknownHandler};
pub use options::{Calls, ConnectOptions, InvalidOption, Once, Repeated, SingleCall};
pub use policy::Policy;
pub use receiver_info::{ReceiverInfo, ReceiverKind};
pub use registry::{LookupError, RegisteredSignal, all, lookup, set_counting};
pub use sender::AnySender;
pub use signal::Signal;
pub use signals_macros::{Signals, handler, receiver, signal, thread_worker};
pub use tree::{Forest, Signals, Tree, tree};
pub use worker::{
    Co, Errored, Outcome, Returned, Stop, Worker, WorkerError, WorkerEvent, WorkerSignals,
    WorkerStateError, Yielded, quit_all,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
