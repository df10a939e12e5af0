//! A disconnected closure is dropped promptly: before `disconnect` returns
//! when no send is running elsewhere, or as soon as the last send that may
//! still run it finishes. Checked through what the closures capture: an
//! `Arc` (its strong count) and a channel `Sender` (the channel closes).

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Barrier};
use std::thread;

use signals::{ConnectOptions, signal};

#[signal]
pub type Changed = fn(value: u32);

/// What a closure captures, and how to tell that it was dropped.
struct Captured {
    arc: Arc<()>,
    channel: Receiver<u32>,
}

impl Captured {
    /// A closure that forwards every value to the channel, and the means to
    /// watch it.
    fn closure() -> (Self, impl Fn(u32) + Send + Sync + 'static) {
        let arc = Arc::new(());
        let (sender, channel) = mpsc::channel();
        let held = Arc::clone(&arc);
        let closure = move |value| {
            let _ = &held;
            let _ = sender.send(value);
        };
        (Self { arc, channel }, closure)
    }

    fn is_dropped(&self) -> bool {
        let arc_dropped = Arc::strong_count(&self.arc) == 1;
        let mut closed = false;
        loop {
            match self.channel.try_recv() {
                Ok(_) => {}
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    closed = true;
                    break;
                }
            }
        }
        assert_eq!(
            arc_dropped, closed,
            "the Arc and the Sender of one closure are dropped together"
        );
        arc_dropped
    }
}

/// Holds a send on another thread inside a receiver until released: the
/// case of a send still running while this thread disconnects.
#[derive(Clone)]
struct Hold {
    inside: Arc<Barrier>,
    release: Arc<Barrier>,
}

impl Hold {
    fn new() -> Self {
        Self {
            inside: Arc::new(Barrier::new(2)),
            release: Arc::new(Barrier::new(2)),
        }
    }

    /// A receiver that holds each send that calls it.
    fn receiver(&self) -> impl Fn(u32) + Send + Sync + 'static {
        let hold = self.clone();
        move |_| {
            hold.inside.wait();
            hold.release.wait();
        }
    }

    /// Returns once the other thread's send is held.
    fn wait_until_inside(&self) {
        self.inside.wait();
    }

    /// Lets the held send go on.
    fn release(&self) {
        self.release.wait();
    }
}

#[test]
fn disconnect_drops_the_closure_before_it_returns() {
    let signal = Changed::new();
    let (captured, closure) = Captured::closure();
    let connection = signal.connect(closure);
    signal.send(1);
    assert_eq!(captured.channel.recv().unwrap(), 1);
    assert!(!captured.is_dropped());
    assert!(connection.disconnect());
    assert!(captured.is_dropped());
}

#[test]
fn a_consumer_waiting_for_its_channel_to_close_ends_after_disconnect() {
    let signal = Changed::new();
    let (sender, channel) = mpsc::channel();
    let connection = signal.connect(move |value| {
        let _ = sender.send(value);
    });
    let consumer = thread::spawn(move || channel.iter().sum::<u32>());
    for value in 1..=100 {
        signal.send(value);
    }
    connection.disconnect();
    // Ends only once the closure, and with it the last `Sender`, is dropped.
    assert_eq!(consumer.join().unwrap(), 5050);
}

#[test]
fn dropping_a_scoped_connection_drops_the_closure() {
    let signal = Changed::new();
    let (captured, closure) = Captured::closure();
    let scoped = signal.connect(closure).scoped();
    signal.send(1);
    drop(scoped);
    assert!(captured.is_dropped());
}

#[test]
fn disconnect_all_drops_every_closure() {
    #[signal]
    fn saved(value: u32);

    let (first, closure) = Captured::closure();
    let one = saved.connect(closure);
    let (second, closure) = Captured::closure();
    let two = saved.connect_with(&ConnectOptions::new().priority(3), closure);
    saved.send(1);
    assert_eq!(saved.disconnect_all(), 2);
    assert!(first.is_dropped() && second.is_dropped());
    assert!(!one.is_connected() && !two.is_connected());
    assert!(!one.disconnect(), "already disconnected");
    assert_eq!(saved.disconnect_all(), 0);
    assert!(saved.receivers().is_empty());
    saved.send(2); // calls nobody, and the signal stays usable
    let (third, closure) = Captured::closure();
    let _three = saved.connect(closure);
    saved.send(3);
    assert_eq!(third.channel.recv().unwrap(), 3);
}

#[test]
fn disconnect_all_on_a_signal_type_and_on_one_never_connected() {
    let signal = Changed::new();
    assert_eq!(signal.disconnect_all(), 0);
    let captured: Vec<Captured> = (0..5)
        .map(|_| {
            let (captured, closure) = Captured::closure();
            signal.connect(closure);
            captured
        })
        .collect();
    assert_eq!(signal.disconnect_all(), 5);
    assert!(captured.iter().all(Captured::is_dropped));
}

#[test]
fn a_receiver_that_disconnects_itself_is_dropped_when_the_send_returns() {
    let signal = Arc::new(Changed::new());
    let (captured, forward) = Captured::closure();
    let slot: Arc<std::sync::OnceLock<signals::Connection>> = Arc::default();
    let connection = signal.connect({
        let slot = Arc::clone(&slot);
        move |value| {
            forward(value);
            slot.get().unwrap().disconnect();
        }
    });
    slot.set(connection.clone()).unwrap();
    signal.send(1);
    // The closure was running when it disconnected itself, so it could not
    // be dropped then; it is dropped as the send leaves.
    assert!(captured.is_dropped());
    assert!(!connection.is_connected());
}

#[test]
fn a_weak_receiver_is_dropped_by_the_send_that_finds_its_target_gone() {
    let signal = Changed::new();
    let target = Arc::new(());
    let (captured, forward) = Captured::closure();
    let connection = signal.connect_weak(&target, move |(): &(), value| forward(value));
    signal.send(1);
    drop(target);
    assert!(
        !connection.is_connected(),
        "false as soon as the target is gone"
    );
    assert!(!captured.is_dropped(), "no send has looked yet");
    signal.send(2);
    assert!(captured.is_dropped());
}

#[test]
fn a_key_held_by_a_weak_receiver_whose_target_died_is_free_again() {
    let signal = Changed::new();
    let options = ConnectOptions::new().key("view");
    let target = Arc::new(());
    let (old, forward) = Captured::closure();
    let first = signal.connect_weak_with(&options, &target, move |(): &(), value| forward(value));
    drop(target);
    let (new, closure) = Captured::closure();
    let second = signal.connect_with(&options, closure);
    assert_ne!(first, second, "the new receiver is connected");
    assert!(second.is_connected());
    assert!(old.is_dropped(), "the dead receiver gave up its key");
    signal.send(7);
    assert_eq!(new.channel.recv().unwrap(), 7);
    assert_eq!(signal.receivers().len(), 1);
}

#[test]
fn dropping_a_signal_while_it_is_muted_drops_its_closures() {
    let signal = Changed::new();
    let (captured, closure) = Captured::closure();
    let connection = signal.connect(closure);
    let muted = signal.mute();
    drop(signal);
    assert!(!connection.is_connected());
    assert!(
        captured.is_dropped(),
        "dropped with the signal, not the guard"
    );
    drop(muted);
}

#[test]
fn a_block_that_outlives_its_receiver_leaves_the_signal_working() {
    let signal = Changed::new();
    let (captured, closure) = Captured::closure();
    let connection = signal.connect(closure);
    let blocked = connection.block();
    assert!(connection.disconnect());
    assert!(captured.is_dropped(), "a block does not keep the closure");
    drop(blocked);
    let (other, closure) = Captured::closure();
    let _other = signal.connect(closure);
    signal.send(5);
    assert_eq!(other.channel.recv().unwrap(), 5);
}

#[test]
fn a_send_held_on_another_thread_delays_the_drop_until_it_finishes() {
    let signal = Arc::new(Changed::new());
    let (captured, closure) = Captured::closure();
    let connection = signal.connect(closure);
    // A receiver that holds the other thread's send until told to go on.
    let hold = Hold::new();
    let holder = signal.connect(hold.receiver());
    let sender = thread::spawn({
        let signal = Arc::clone(&signal);
        move || signal.send(1)
    });
    hold.wait_until_inside();
    // The held send may still reach the closure, so it must stay alive.
    assert!(connection.disconnect());
    assert!(!captured.is_dropped());
    hold.release();
    sender.join().unwrap();
    // Dropped as the held send left: no connect, disconnect or send since.
    assert!(captured.is_dropped());
    // The held send reached the closure after its disconnect: it skipped it.
    holder.disconnect();
}

#[test]
fn a_held_send_of_another_signal_does_not_delay_the_drop() {
    let signal = Changed::new();
    let other = Arc::new(Changed::new());
    let (captured, closure) = Captured::closure();
    let connection = signal.connect(closure);
    let hold = Hold::new();
    let _holder = other.connect(hold.receiver());
    let sender = thread::spawn({
        let other = Arc::clone(&other);
        move || other.send(1)
    });
    hold.wait_until_inside();
    connection.disconnect();
    assert!(captured.is_dropped(), "no send of this signal was running");
    hold.release();
    sender.join().unwrap();
}

#[test]
fn a_held_send_nested_in_another_signal_delays_the_drop() {
    // A send of `signal` inside a receiver of `outer`, held there: the
    // closure of `signal` that it may still reach must stay alive.
    let signal = Arc::new(Changed::new());
    let outer = Arc::new(Changed::new());
    let (captured, closure) = Captured::closure();
    let connection = signal.connect(closure);
    let hold = Hold::new();
    let _holder = signal.connect(hold.receiver());
    let _forward = outer.connect({
        let signal = Arc::clone(&signal);
        move |value| signal.send(value)
    });
    let sender = thread::spawn({
        let outer = Arc::clone(&outer);
        move || outer.send(1)
    });
    hold.wait_until_inside();
    connection.disconnect();
    assert!(!captured.is_dropped());
    hold.release();
    sender.join().unwrap();
    assert!(captured.is_dropped());
}

#[test]
#[cfg(all(target_os = "linux", not(miri)))]
fn sends_on_linux_announce_themselves_with_plain_stores() {
    // The barrier registers before `main`; a linker that dropped that
    // registration would leave every send paying for fenced stores.
    assert!(signals::__private::light_reads());
}

/// Set to `false` when the closure that owns it is dropped: a call after
/// that finds it `false`.
struct Canary {
    alive: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for Canary {
    fn drop(&mut self) {
        self.alive.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn closures_are_never_called_after_they_are_dropped_and_all_are_dropped_at_the_end() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
    use std::time::{Duration, Instant};

    let signal = Arc::new(Changed::new());
    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let flags: Arc<std::sync::Mutex<Vec<Arc<AtomicBool>>>> = Arc::default();
    let _permanent = signal.connect({
        let calls = Arc::clone(&calls);
        move |_| {
            calls.fetch_add(1, SeqCst);
        }
    });
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let (signal, stop) = (Arc::clone(&signal), Arc::clone(&stop));
            thread::spawn(move || {
                while !stop.load(SeqCst) {
                    signal.send(1);
                }
            })
        })
        .collect();
    let progress = Arc::new(AtomicU64::new(0));
    let churn = {
        let (signal, stop, flags) = (Arc::clone(&signal), Arc::clone(&stop), Arc::clone(&flags));
        let progress = Arc::clone(&progress);
        thread::spawn(move || {
            let mut rounds = 0_u32;
            while !stop.load(SeqCst) {
                let alive = Arc::new(AtomicBool::new(true));
                flags.lock().unwrap().push(Arc::clone(&alive));
                let canary = Canary {
                    alive: Arc::clone(&alive),
                };
                let connection = signal.connect(move |_| {
                    assert!(canary.alive.load(SeqCst), "called after it was dropped");
                });
                if rounds % 3 == 0 {
                    let _blocked = connection.block();
                    signal.send(2);
                }
                connection.disconnect();
                rounds += 1;
                progress.store(u64::from(rounds), SeqCst);
            }
            rounds
        })
    };
    // A time-bounded run, and enough rounds even where the machine (or
    // miri) is slow.
    let (minimum_rounds, window) = if cfg!(miri) {
        (5, Duration::ZERO)
    } else {
        (50, Duration::from_millis(300))
    };
    let deadline = Instant::now() + window;
    while Instant::now() < deadline || progress.load(SeqCst) < minimum_rounds {
        thread::sleep(Duration::from_millis(1));
    }
    stop.store(true, SeqCst);
    for sender in senders {
        sender.join().unwrap();
    }
    let rounds = churn.join().unwrap();
    assert!(u64::from(rounds) >= minimum_rounds);
    assert!(calls.load(SeqCst) > 0);
    // Every send has finished: nothing is left waiting.
    let flags = flags.lock().unwrap();
    assert_eq!(flags.len(), usize::try_from(rounds).unwrap());
    assert!(
        flags.iter().all(|alive| !alive.load(SeqCst)),
        "every disconnected closure was dropped"
    );
}

#[test]
fn sends_in_progress_may_end_in_any_order() {
    #[signal]
    type Ask = fn(value: u32) -> u32;

    let ask = Ask::new();
    let arc = Arc::new(());
    let connection = ask.connect({
        let arc = Arc::clone(&arc);
        move |value| {
            let _ = &arc;
            value * 2
        }
    });
    let mut first = ask.send_iter(1);
    let mut second = ask.send_iter(2);
    assert_eq!(first.next(), Some(2));
    // The first send ends while the second is still in progress.
    drop(first);
    connection.disconnect();
    assert_eq!(
        Arc::strong_count(&arc),
        2,
        "the second send may still call it"
    );
    assert_eq!(second.next(), None, "disconnected before it was reached");
    drop(second);
    assert_eq!(Arc::strong_count(&arc), 1, "dropped once both sends ended");
}

#[test]
fn a_nested_send_that_has_ended_no_longer_holds_back_its_signal() {
    // A thread nests a send of `inner` in a send of `outer`, then holds a
    // plain send of `other`: what `inner` disconnects meanwhile is dropped
    // at once, because the nested section that named it has ended.
    let inner = Arc::new(Changed::new());
    let outer = Arc::new(Changed::new());
    let other = Arc::new(Changed::new());
    let (captured, closure) = Captured::closure();
    let connection = inner.connect(closure);
    let _forward = outer.connect({
        let inner = Arc::clone(&inner);
        move |value| inner.send(value)
    });
    let hold = Hold::new();
    let _holder = other.connect(hold.receiver());
    let sender = thread::spawn({
        let (outer, other) = (Arc::clone(&outer), Arc::clone(&other));
        move || {
            outer.send(1);
            other.send(2);
        }
    });
    hold.wait_until_inside();
    assert_eq!(captured.channel.recv().unwrap(), 1);
    connection.disconnect();
    assert!(captured.is_dropped(), "no send of `inner` is running");
    hold.release();
    sender.join().unwrap();
}
