//! Queued delivery: receivers connected with `connect_queued` run on the
//! mailbox's thread, in send order, with owned copies of the arguments;
//! bounded queues, waking, closing and dropping. No test sleeps to
//! synchronise: senders are joined, or the owner pumps until a condition.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use signals::{Mailbox, Overflow, signal};

#[signal]
pub type Loaded = fn(path: &str, bytes: &[u8], size: u64);

#[signal]
pub type Tick = fn(n: u32);

#[test]
fn receivers_run_on_the_mailbox_thread_with_owned_arguments() {
    let loaded = Arc::new(Loaded::new());
    let mailbox = Mailbox::new();
    let owner = thread::current().id();
    // An `Rc<RefCell<..>>`: not `Send`, and it need not be.
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&seen);
    loaded.connect_queued(&mailbox, move |path, bytes, size| {
        assert_eq!(thread::current().id(), owner);
        log.borrow_mut().push(format!("{path} {bytes:?} {size}"));
    });
    let senders: Vec<_> = (0..2)
        .map(|index| {
            let loaded = Arc::clone(&loaded);
            thread::spawn(move || {
                let path = format!("file{index}");
                loaded.send(&path, &[index], 1);
            })
        })
        .collect();
    for sender in senders {
        sender.join().unwrap();
    }
    assert!(seen.borrow().is_empty());
    assert_eq!(mailbox.pending(), 2);
    assert_eq!(mailbox.process_pending(), 2);
    let mut seen = seen.borrow().clone();
    seen.sort();
    assert_eq!(seen, ["file0 [0] 1", "file1 [1] 1"]);
}

#[test]
fn deliveries_run_in_send_order_across_receivers() {
    let first = Arc::new(Tick::new());
    let second = Arc::new(Tick::new());
    let mailbox = Mailbox::new();
    let order = Rc::new(RefCell::new(Vec::new()));
    let (a, b) = (Rc::clone(&order), Rc::clone(&order));
    first.connect_queued(&mailbox, move |n| a.borrow_mut().push(("first", n)));
    second.connect_queued(&mailbox, move |n| b.borrow_mut().push(("second", n)));
    let (first_sender, second_sender) = (Arc::clone(&first), Arc::clone(&second));
    thread::spawn(move || {
        for n in 0..100 {
            if n % 3 == 0 {
                second_sender.send(n);
            } else {
                first_sender.send(n);
            }
        }
    })
    .join()
    .unwrap();
    mailbox.process_pending();
    let order = order.borrow();
    let expected: Vec<_> = (0..100)
        .map(|n| {
            if n % 3 == 0 {
                ("second", n)
            } else {
                ("first", n)
            }
        })
        .collect();
    assert_eq!(*order, expected);
}

#[test]
fn a_full_mailbox_makes_other_threads_wait_for_room() {
    let tick = Arc::new(Tick::new());
    let mailbox = Mailbox::with_capacity(2, Overflow::Block).unwrap();
    let received = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&received);
    tick.connect_queued(&mailbox, move |n| log.borrow_mut().push(n));
    let sender = Arc::clone(&tick);
    let producer = thread::spawn(move || {
        for n in 0..50 {
            sender.send(n);
        }
    });
    // The producer can run at most two deliveries ahead; the owner pumps
    // until it has them all.
    mailbox.run_until(|| received.borrow().len() == 50);
    producer.join().unwrap();
    assert_eq!(*received.borrow(), (0..50).collect::<Vec<_>>());
    assert_eq!(mailbox.dropped(), 0);
}

#[test]
fn overflow_policies_drop_what_they_say_and_count_it() {
    for (overflow, kept) in [
        (Overflow::DropOldest, vec![3, 4]),
        (Overflow::DropNewest, vec![0, 1]),
        // A send from the owner's thread never waits: it queues beyond.
        (Overflow::Block, vec![0, 1, 2, 3, 4]),
    ] {
        let tick = Tick::new();
        let mailbox = Mailbox::with_capacity(2, overflow).unwrap();
        let received = Rc::new(RefCell::new(Vec::new()));
        let log = Rc::clone(&received);
        tick.connect_queued(&mailbox, move |n| log.borrow_mut().push(n));
        for n in 0..5 {
            tick.send(n);
        }
        mailbox.process_pending();
        assert_eq!(*received.borrow(), kept, "{overflow:?}");
        assert_eq!(mailbox.dropped(), 5 - kept.len() as u64);
    }
    let refused = Mailbox::with_capacity(0, Overflow::Block).unwrap_err();
    assert_eq!(refused.option(), "with_capacity");
}

#[test]
fn arrivals_wake_the_owner_and_close_ends_run() {
    let tick = Arc::new(Tick::new());
    let mailbox = Mailbox::new();
    let woken = Arc::new(AtomicUsize::new(0));
    let wakes = Arc::clone(&woken);
    mailbox.on_arrival(move || {
        wakes.fetch_add(1, Ordering::SeqCst);
    });
    let count = Rc::new(RefCell::new(0));
    let counter = Rc::clone(&count);
    tick.connect_queued(&mailbox, move |_| *counter.borrow_mut() += 1);
    let closer = mailbox.closer();
    let sender = Arc::clone(&tick);
    let producer = thread::spawn(move || {
        for n in 0..10 {
            sender.send(n);
        }
        closer.close();
    });
    // Returns once closed and every delivery queued before has run.
    assert_eq!(mailbox.run(), 10);
    producer.join().unwrap();
    assert_eq!(*count.borrow(), 10);
    assert_eq!(woken.load(Ordering::SeqCst), 10);
}

#[test]
fn dropping_the_mailbox_disconnects_and_releases_waiting_senders() {
    let tick = Arc::new(Tick::new());
    let mailbox = Mailbox::with_capacity(1, Overflow::Block).unwrap();
    tick.connect_queued(&mailbox, |_| {});
    assert_eq!(tick.receivers().len(), 1);
    let sender = Arc::clone(&tick);
    let started = Arc::new(Barrier::new(2));
    let go = Arc::clone(&started);
    let producer = thread::spawn(move || {
        go.wait();
        // The first fills the mailbox; the second waits for room until
        // the mailbox is dropped; the rest find no receiver.
        for n in 0..1_000 {
            sender.send(n);
        }
    });
    started.wait();
    // Dropped while sends are in flight, possibly one of them waiting.
    drop(mailbox);
    producer.join().unwrap();
    assert!(tick.receivers().is_empty());
    tick.send(1);
}

#[test]
fn the_returned_connection_disconnects_one_receiver() {
    let tick = Tick::new();
    let mailbox = Mailbox::new();
    let count = Rc::new(RefCell::new(0));
    let counter = Rc::clone(&count);
    let connection = tick.connect_queued(&mailbox, move |_| *counter.borrow_mut() += 1);
    tick.send(1);
    assert!(connection.disconnect());
    tick.send(2);
    assert_eq!(mailbox.process_pending(), 1);
    assert_eq!(*count.borrow(), 1);
}

#[test]
fn a_receiver_may_send_connect_and_pump_again() {
    let tick = Rc::new(Tick::new());
    let mailbox = Rc::new(Mailbox::new());
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (again, inner, log) = (Rc::clone(&tick), Rc::clone(&mailbox), Rc::clone(&seen));
    tick.connect_queued(&mailbox, move |n| {
        log.borrow_mut().push(n);
        if n == 0 {
            // Queued for the next pump, not run now.
            again.send(1);
            let late = Rc::clone(&log);
            again.connect_queued(&inner, move |n| late.borrow_mut().push(100 + n));
            assert_eq!(inner.process_pending(), 0);
        }
    });
    tick.send(0);
    assert_eq!(mailbox.process_pending(), 1);
    assert_eq!(mailbox.process_pending(), 1);
    assert_eq!(*seen.borrow(), [0, 1]);
    tick.send(2);
    mailbox.process_pending();
    assert_eq!(*seen.borrow(), [0, 1, 2, 102]);
}

#[signal]
pub fn saved(name: &str);

#[test]
fn a_static_signal_delivers_through_a_mailbox_too() {
    let mailbox = Mailbox::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&seen);
    let _connection =
        saved.connect_queued(&mailbox, move |name| log.borrow_mut().push(name.to_owned()));
    thread::spawn(|| saved.send("remote")).join().unwrap();
    saved.send("local");
    mailbox.process_pending();
    assert_eq!(*seen.borrow(), ["remote", "local"]);
}
