//! Background workers: a function run on a thread of its own, which
//! reports through per-object signals (`started`, `yielded`, `returned`,
//! `errored`, `paused`, `resumed`, `aborted`, `finished`), is paused,
//! resumed and quit at its checkpoints, and takes values sent in: napari's
//! `thread_worker`, without Qt.

use core::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::Mailbox;
use crate::mailbox::Poster;

/// The signals of a worker whose `yield_` gives `Y`, whose body returns
/// `R` or fails with `E`. Per-object signals: connect to them before
/// [`Worker::start`]; with `connect_queued`, their receivers run on the
/// thread that owns a [`Mailbox`](crate::Mailbox).
pub struct WorkerSignals<Y: 'static, R: 'static, E: 'static> {
    /// First, on the worker's thread, before the body runs.
    pub started: WorkerEvent,
    /// Each value the body yields.
    pub yielded: Yielded<Y>,
    /// The body's value, unless the worker was quit.
    pub returned: Returned<R>,
    /// The body's `Err`, or its panic.
    pub errored: Errored<E>,
    /// The worker stopped at a checkpoint, paused.
    pub paused: WorkerEvent,
    /// The worker goes on after a pause.
    pub resumed: WorkerEvent,
    /// The worker stopped at a checkpoint after `quit`.
    pub aborted: WorkerEvent,
    /// Last, whatever happened: after `returned`, `errored` or `aborted`.
    pub finished: WorkerEvent,
}

/// An event of a worker with no argument: `started`, `paused`, ...
#[crate::signal(crate = crate)]
pub type WorkerEvent = fn();

/// A value a worker yields.
#[crate::signal(crate = crate)]
pub type Yielded<Y> = fn(value: &Y);

/// The value a worker's body returns.
#[crate::signal(crate = crate)]
pub type Returned<R> = fn(value: &R);

/// How a worker failed.
#[crate::signal(crate = crate)]
pub type Errored<E> = fn(error: &WorkerError<E>);

impl<Y: 'static, R: 'static, E: 'static> WorkerSignals<Y, R, E> {
    fn new() -> Self {
        Self {
            started: WorkerEvent::new(),
            yielded: Yielded::new(),
            returned: Returned::new(),
            errored: Errored::new(),
            paused: WorkerEvent::new(),
            resumed: WorkerEvent::new(),
            aborted: WorkerEvent::new(),
            finished: WorkerEvent::new(),
        }
    }
}

/// How a worker failed: its body returned an `Err`, or panicked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkerError<E> {
    /// The body's `Err`.
    Failed(E),
    /// The body panicked: the panic's message.
    Panicked(String),
}

impl<E: fmt::Debug> fmt::Display for WorkerError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Failed(error) => write!(f, "the worker failed: {error:?}"),
            Self::Panicked(message) => write!(f, "the worker panicked: {message}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for WorkerError<E> {}

/// Why a worker's body stops early: it was quit (at a checkpoint), or it
/// failed with `E`. `?` on a checkpoint gives the first; `?` on an
/// `E` the second.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop<E> {
    /// `quit` was asked, and a checkpoint saw it.
    Aborted,
    /// The body failed.
    Failed(E),
}

impl<E> From<E> for Stop<E> {
    fn from(error: E) -> Self {
        Self::Failed(error)
    }
}

/// How a worker ended, as [`Worker::join`] returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<R, E> {
    /// The body returned this.
    Returned(R),
    /// The worker was quit.
    Aborted,
    /// The body failed.
    Errored(WorkerError<E>),
}

/// A control that the worker's state refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkerStateError {
    /// `start` on a worker that was started already.
    AlreadyStarted,
    /// `join` on a worker that was never started.
    NotStarted,
    /// `join` on a worker that was joined already.
    AlreadyJoined,
    /// `join` whose timeout passed: the worker runs on, and can be joined
    /// again.
    TimedOut,
    /// `start` could not get a thread from the system: the body never ran.
    NoThread,
}

impl fmt::Display for WorkerStateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AlreadyStarted => "the worker was started already",
            Self::NotStarted => "the worker was never started: call `start` first",
            Self::AlreadyJoined => "the worker was joined already",
            Self::TimedOut => {
                "the worker did not finish in time; it runs on and can be joined again"
            }
            Self::NoThread => "the system gave the worker no thread: its body never ran",
        })
    }
}

impl std::error::Error for WorkerStateError {}

/// What the controls and the worker's checkpoints share.
struct Control<S> {
    state: Mutex<ControlState<S>>,
    /// Wakes a paused worker, and those who wait for the end.
    changed: Condvar,
}

// Four independent requests and facts, each set and read on its own.
#[allow(clippy::struct_excessive_bools)]
struct ControlState<S> {
    phase: Phase,
    pause_requested: bool,
    paused: bool,
    quit_requested: bool,
    /// The latest value sent in, not yet taken.
    sent: Option<S>,
    /// The body failed, and `errored` had no receiver to see it: `join`
    /// returns it, and dropping the worker unjoined raises it.
    unseen_error: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Unstarted,
    Running,
    Finished,
}

impl<S> Control<S> {
    fn lock(&self) -> MutexGuard<'_, ControlState<S>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The signals a checkpoint delivers, whatever the worker returns.
trait CheckpointSignals<Y>: Send + Sync {
    fn yielded(&self, value: &Y);
    fn paused(&self);
    fn resumed(&self);
}

impl<Y: 'static, R: 'static, E: 'static> CheckpointSignals<Y> for WorkerSignals<Y, R, E>
where
    Self: Send + Sync,
{
    fn yielded(&self, value: &Y) {
        self.yielded.send(value);
    }

    fn paused(&self) {
        self.paused.send();
    }

    fn resumed(&self) {
        self.resumed.send();
    }
}

/// The checkpoint handle a worker's body gets: `yield_` reports a value
/// and is where `pause`, `quit` and `send` take effect.
pub struct Co<Y: 'static, S, E: 'static> {
    control: Arc<Control<S>>,
    signals: Arc<dyn CheckpointSignals<Y>>,
    error: core::marker::PhantomData<fn() -> E>,
}

impl<Y: 'static, S, E: 'static> Co<Y, S, E> {
    /// Delivers `yielded(value)`, then is a [`checkpoint`](Self::checkpoint).
    ///
    /// # Errors
    ///
    /// [`Stop::Aborted`] once `quit` was asked: `?` ends the body.
    // By value, as a generator yields: the value is the body's to give.
    #[allow(clippy::needless_pass_by_value)]
    pub fn yield_(&mut self, value: Y) -> Result<Option<S>, Stop<E>> {
        self.signals.yielded(&value);
        self.checkpoint()
    }

    /// Where `quit`, `pause` and `send` take effect: returns
    /// `Err(Stop::Aborted)` once `quit` was asked; blocks while paused
    /// (on a condition variable, without polling), delivering `paused`
    /// and then `resumed`; and returns the latest value sent in since the
    /// last checkpoint, if any.
    ///
    /// # Errors
    ///
    /// [`Stop::Aborted`] once `quit` was asked.
    pub fn checkpoint(&mut self) -> Result<Option<S>, Stop<E>> {
        let mut state = self.control.lock();
        if state.quit_requested {
            return Err(Stop::Aborted);
        }
        if state.pause_requested {
            state.paused = true;
            drop(state);
            self.signals.paused();
            state = self.control.lock();
            state = self
                .control
                .changed
                .wait_while(state, |state| {
                    state.pause_requested && !state.quit_requested
                })
                .unwrap_or_else(PoisonError::into_inner);
            state.paused = false;
            if state.quit_requested {
                return Err(Stop::Aborted);
            }
            drop(state);
            self.signals.resumed();
            state = self.control.lock();
        }
        Ok(state.sent.take())
    }
}

/// The body of a worker, boxed until it starts.
type Body<Y, S, R, E> = Box<dyn FnOnce(&mut Co<Y, S, E>) -> Result<R, Stop<E>> + Send>;

/// A function run on a thread of its own, reporting through
/// [`WorkerSignals`]: napari's `thread_worker`.
///
/// The body gets a [`Co`], whose [`yield_`](Co::yield_) delivers
/// `yielded` and is a checkpoint: there `pause` blocks the worker (on a
/// condition variable: no polling), `quit` stops it (`?` returns
/// [`Stop::Aborted`]), and the latest value [`send`](Self::send) gave is
/// returned. A body that never yields is a plain function worker.
///
/// Events, on the worker's thread unless their receivers are queued to a
/// [`Mailbox`](crate::Mailbox): `started` first; then `yielded`,
/// `paused`, `resumed`; then `returned` (not after `quit`), `errored` (an
/// `Err` or a panic) or `aborted`; `finished` last, always.
///
/// An error that no receiver of `errored` saw is not lost:
/// [`join`](Self::join) returns it.
///
/// ```
/// use std::time::Duration;
/// use signals::{Mailbox, Outcome, Worker};
///
/// let mailbox = Mailbox::new();
/// let worker: Worker<u32, u32, u32, String> = Worker::new(|co| {
///     let mut total = 0;
///     for i in 1..=3 {
///         total += i;
///         co.yield_(total)?; // a checkpoint: quit, pause and send act here
///     }
///     Ok(total)
/// });
/// let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
/// let log = std::rc::Rc::clone(&seen);
/// worker
///     .signals()
///     .yielded
///     .connect_queued(&mailbox, move |total| log.borrow_mut().push(*total));
/// worker.start().unwrap();
/// let outcome = worker.join(Duration::from_secs(10)).unwrap();
/// assert_eq!(outcome, Outcome::Returned(6));
/// mailbox.process_pending(); // the receiver runs here, on this thread
/// assert_eq!(*seen.borrow(), [1, 3, 6]);
/// ```
pub struct Worker<Y: 'static, S: 'static, R: 'static, E: 'static> {
    control: Arc<Control<S>>,
    signals: Arc<WorkerSignals<Y, R, E>>,
    body: Mutex<Option<Body<Y, S, R, E>>>,
    /// Taken by `join`: `None` once joined (or if no thread was had).
    thread: Mutex<Option<JoinHandle<Outcome<R, E>>>>,
}

/// Every worker running, for [`quit_all`].
static LIVE: Mutex<Vec<Weak<dyn Quit>>> = Mutex::new(Vec::new());

trait Quit: Send + Sync {
    fn quit(&self);
    fn wait_finished(&self, deadline: Instant) -> bool;
}

impl<S: Send> Quit for Control<S> {
    fn quit(&self) {
        self.lock().quit_requested = true;
        self.changed.notify_all();
    }

    fn wait_finished(&self, deadline: Instant) -> bool {
        self.finished_by(deadline)
    }
}

/// Asks every running worker to quit, and waits until all have finished
/// or `timeout` has passed; returns whether all finished. A worker stops
/// at its next checkpoint: one that never reaches one runs on (threads are
/// not killed).
pub fn quit_all(timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    let live: Vec<Arc<dyn Quit>> = {
        let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
        live.retain(|worker| worker.strong_count() > 0);
        live.iter().filter_map(Weak::upgrade).collect()
    };
    for worker in &live {
        worker.quit();
    }
    live.iter().all(|worker| worker.wait_finished(deadline))
}

/// How long dropping a running worker waits for it to stop.
const DROP_WAIT: Duration = Duration::from_secs(5);

impl<Y, S, R, E> Worker<Y, S, R, E>
where
    Y: Send + 'static,
    S: Send + 'static,
    R: Send + 'static,
    E: Send + 'static,
{
    /// A worker that will run `body` once started.
    pub fn new(body: impl FnOnce(&mut Co<Y, S, E>) -> Result<R, Stop<E>> + Send + 'static) -> Self {
        Self {
            control: Arc::new(Control {
                state: Mutex::new(ControlState {
                    phase: Phase::Unstarted,
                    pause_requested: false,
                    paused: false,
                    quit_requested: false,
                    sent: None,
                    unseen_error: false,
                }),
                changed: Condvar::new(),
            }),
            signals: Arc::new(WorkerSignals::new()),
            body: Mutex::new(Some(Box::new(body))),
            thread: Mutex::new(None),
        }
    }

    /// Its signals: connect to them before starting it.
    #[must_use]
    pub fn signals(&self) -> &WorkerSignals<Y, R, E> {
        &self.signals
    }

    /// Runs the body on a new thread.
    ///
    /// # Errors
    ///
    /// [`WorkerStateError::AlreadyStarted`] on a second call, and
    /// [`WorkerStateError::NoThread`] if the system refuses a thread.
    pub fn start(&self) -> Result<(), WorkerStateError> {
        self.launch(None)
    }

    /// Like [`start`](Self::start), for a worker owned by the thread of
    /// `mailbox`: a failure that no receiver of `errored` sees is raised
    /// there, as a panic, while the mailbox is pumped (rather than when
    /// the worker is dropped).
    ///
    /// # Errors
    ///
    /// As [`start`](Self::start).
    ///
    /// # Panics
    ///
    /// Not here: the mailbox's pump panics with an unseen failure.
    pub fn start_with(&self, mailbox: &Mailbox) -> Result<(), WorkerStateError> {
        if lock(&self.body).is_none() {
            return Err(WorkerStateError::AlreadyStarted);
        }
        let raise = mailbox.__queue::<String>(|message: String| panic!("{message}"));
        self.launch(Some(raise))
    }

    fn launch(&self, raise: Option<Poster<String>>) -> Result<(), WorkerStateError> {
        let Some(body) = lock(&self.body).take() else {
            return Err(WorkerStateError::AlreadyStarted);
        };
        self.control.lock().phase = Phase::Running;
        let control: Arc<dyn Quit> = Arc::clone(&self.control) as Arc<dyn Quit>;
        {
            let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
            // Workers dropped since leave no trace.
            live.retain(|worker| worker.strong_count() > 0);
            live.push(Arc::downgrade(&control));
        }
        let (control, signals) = (Arc::clone(&self.control), Arc::clone(&self.signals));
        let handle = thread::Builder::new()
            .name("signals-worker".to_owned())
            .spawn(move || run(&control, &signals, body, raise.as_ref()));
        if let Ok(handle) = handle {
            *lock(&self.thread) = Some(handle);
            Ok(())
        } else {
            // No thread: the body never runs, and the worker is finished.
            self.control.lock().phase = Phase::Finished;
            self.control.changed.notify_all();
            Err(WorkerStateError::NoThread)
        }
    }

    /// Asks the worker to pause at its next checkpoint; a no-op unless it
    /// is running. `is_paused` turns true once it is there.
    pub fn pause(&self) {
        let mut state = self.control.lock();
        if state.phase == Phase::Running {
            state.pause_requested = true;
        }
    }

    /// Lets a paused worker go on (or cancels a pause not yet reached).
    pub fn resume(&self) {
        self.control.lock().pause_requested = false;
        self.control.changed.notify_all();
    }

    /// Pauses a worker that runs, resumes one that is paused or about to
    /// be.
    pub fn toggle_pause(&self) {
        let requested = self.control.lock().pause_requested;
        if requested {
            self.resume();
        } else {
            self.pause();
        }
    }

    /// Asks the worker to stop at its next checkpoint (a paused one stops
    /// at once): `aborted` then `finished` follow, and `returned` does not.
    /// Asked before `start`, it stops the body at its first checkpoint;
    /// after the end, it does nothing.
    pub fn quit(&self) {
        Quit::quit(&*self.control);
    }

    /// Gives `value` to the body, which gets it at its next checkpoint; a
    /// later `send` before then replaces it.
    ///
    /// # Errors
    ///
    /// Gives `value` back if the worker is not running.
    pub fn send(&self, value: S) -> Result<(), S> {
        let mut state = self.control.lock();
        if state.phase != Phase::Running {
            return Err(value);
        }
        state.sent = Some(value);
        Ok(())
    }

    /// Whether it was started and has not finished.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.control.lock().phase == Phase::Running
    }

    /// Whether it is paused at a checkpoint now.
    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.control.lock().paused
    }

    /// Waits up to `timeout` for the worker to finish, and returns how it
    /// ended, an error included even if a receiver of `errored` saw it.
    ///
    /// # Errors
    ///
    /// [`WorkerStateError::TimedOut`] if it is still running (it can be
    /// joined again), [`WorkerStateError::NotStarted`] or
    /// [`WorkerStateError::AlreadyJoined`].
    pub fn join(&self, timeout: Duration) -> Result<Outcome<R, E>, WorkerStateError> {
        let deadline = Instant::now() + timeout;
        if self.control.lock().phase == Phase::Unstarted {
            return Err(WorkerStateError::NotStarted);
        }
        if !self.control.finished_by(deadline) {
            return Err(WorkerStateError::TimedOut);
        }
        let Some(handle) = lock(&self.thread).take() else {
            return Err(WorkerStateError::AlreadyJoined);
        };
        // Returned here: seen.
        self.control.lock().unseen_error = false;
        // The thread has finished its run: it returns at once. Its panics
        // were caught in `run`.
        Ok(handle.join().unwrap_or_else(|payload| {
            Outcome::Errored(WorkerError::Panicked(crate::failure::panic_message(
                &*payload,
            )))
        }))
    }
}

impl<Y: 'static, S: 'static, R: 'static, E: 'static> Drop for Worker<Y, S, R, E> {
    /// Asks a running worker to quit, and waits for it, a few seconds at
    /// most: no thread outlives its worker unless its body never reaches a
    /// checkpoint. Then, if the body failed and neither a receiver of
    /// `errored`, a `join` nor a mailbox given to `start_with` saw it,
    /// raises the failure here, on the owner's thread (unless it is
    /// panicking already): it is never lost.
    fn drop(&mut self) {
        let running = {
            let mut state = self.control.lock();
            if state.phase == Phase::Running {
                state.quit_requested = true;
            }
            state.phase == Phase::Running
        };
        self.control.changed.notify_all();
        if running && !self.control.finished_by(Instant::now() + DROP_WAIT) {
            return;
        }
        let Some(handle) = lock(&self.thread).take() else {
            return;
        };
        let outcome = handle.join();
        if self.control.lock().unseen_error && !thread::panicking() {
            match outcome {
                Ok(Outcome::Errored(WorkerError::Panicked(message))) => {
                    panic!("a worker panicked, and nothing saw it: {message}")
                }
                _ => {
                    panic!("a worker failed, and nothing saw it: join it, or connect to `errored`")
                }
            }
        }
    }
}

impl<S> Control<S> {
    /// Waits until the worker is not running, or `deadline`; returns
    /// whether it is not running.
    fn finished_by(&self, deadline: Instant) -> bool {
        let state = self.lock();
        let timeout = deadline.saturating_duration_since(Instant::now());
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |state| state.phase == Phase::Running)
            .unwrap_or_else(PoisonError::into_inner);
        state.phase != Phase::Running
    }
}

impl<Y: 'static, S: 'static, R: 'static, E: 'static> fmt::Debug for Worker<Y, S, R, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.control.lock();
        f.debug_struct("Worker")
            .field(
                "phase",
                &match state.phase {
                    Phase::Unstarted => "unstarted",
                    Phase::Running => "running",
                    Phase::Finished => "finished",
                },
            )
            .field("paused", &state.paused)
            .finish_non_exhaustive()
    }
}

/// The worker's thread: the body between `started` and `finished`.
fn run<Y, S, R, E>(
    control: &Arc<Control<S>>,
    signals: &Arc<WorkerSignals<Y, R, E>>,
    body: Body<Y, S, R, E>,
    raise: Option<&Poster<String>>,
) -> Outcome<R, E>
where
    Y: Send + 'static,
    S: Send + 'static,
    R: Send + 'static,
    E: Send + 'static,
{
    signals.started.send();
    let mut co = Co {
        control: Arc::clone(control),
        signals: Arc::clone(signals) as Arc<dyn CheckpointSignals<Y>>,
        error: core::marker::PhantomData,
    };
    let result = catch_unwind(AssertUnwindSafe(|| body(&mut co)));
    let quit = control.lock().quit_requested;
    let outcome = match result {
        Ok(Ok(value)) if !quit => Outcome::Returned(value),
        Ok(Ok(_) | Err(Stop::Aborted)) => Outcome::Aborted,
        Ok(Err(Stop::Failed(error))) => Outcome::Errored(WorkerError::Failed(error)),
        Err(payload) => Outcome::Errored(WorkerError::Panicked(crate::failure::panic_message(
            &*payload,
        ))),
    };
    // A receiver's panic must not keep `finished` from coming.
    let _ = catch_unwind(AssertUnwindSafe(|| match &outcome {
        Outcome::Returned(value) => signals.returned.send(value),
        Outcome::Aborted => signals.aborted.send(),
        Outcome::Errored(error) => {
            if signals.errored.receivers().is_empty() {
                match (raise, error) {
                    (Some(raise), WorkerError::Panicked(message)) => {
                        raise.post(format!("a worker panicked, and nothing saw it: {message}"));
                    }
                    (Some(raise), WorkerError::Failed(_)) => raise.post(
                        "a worker failed, and nothing saw it: join it, or connect to `errored`"
                            .to_owned(),
                    ),
                    (None, _) => control.lock().unseen_error = true,
                }
            }
            signals.errored.send(error);
        }
    }));
    let _ = catch_unwind(AssertUnwindSafe(|| signals.finished.send()));
    {
        let mut state = control.lock();
        state.phase = Phase::Finished;
        state.paused = false;
    }
    control.changed.notify_all();
    outcome
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
