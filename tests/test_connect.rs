//! Receivers connected at run time: `connect`, `Connection`, scoped
//! connections, unique keys, priorities and the order across static and
//! runtime receivers, blocking and muting, `connected_to`.

use std::sync::{Arc, Mutex};

use signals::{ConnectOptions, ReceiverKind, receiver, signal};

pub struct Todo {
    pub title: String,
}

fn todo(title: &str) -> Todo {
    Todo {
        title: title.into(),
    }
}

/// A log the receivers write to, shared with the closures.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, entry: impl Into<String>) {
        self.0.lock().unwrap().push(entry.into());
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[signal]
pub fn created(item: &Todo);

#[test]
fn a_connected_closure_is_called_until_disconnected() {
    let log = Log::default();
    let connection = created.connect({
        let log = log.clone();
        move |item| log.push(format!("created {}", item.title))
    });
    created.send(&todo("a"));
    assert!(connection.is_connected());
    assert!(connection.disconnect());
    assert!(!connection.is_connected());
    assert!(
        !connection.disconnect(),
        "disconnecting twice reports false"
    );
    created.send(&todo("b"));
    assert_eq!(log.take(), ["created a"]);
}

#[signal]
pub fn renamed(item: &Todo);

#[test]
fn dropping_a_connection_does_not_disconnect_but_a_scoped_one_does() {
    let log = Log::default();
    let kept = {
        let log = log.clone();
        renamed.connect(move |item| log.push(format!("kept {}", item.title)))
    };
    drop(kept);
    {
        let log = log.clone();
        let _scoped = renamed
            .connect(move |item| log.push(format!("scoped {}", item.title)))
            .scoped();
        renamed.send(&todo("a"));
    }
    renamed.send(&todo("b"));
    assert_eq!(log.take(), ["kept a", "scoped a", "kept b"]);

    let released = {
        let log = log.clone();
        renamed
            .connect(move |item| log.push(format!("released {}", item.title)))
            .scoped()
            .release()
    };
    renamed.send(&todo("c"));
    assert!(released.disconnect());
    assert_eq!(log.take(), ["kept c", "released c"]);
}

#[signal]
pub fn ordered(item: &Todo);

#[receiver(signal = ordered, priority = 5)]
fn static_high(_: &Todo) {
    ORDER.lock().unwrap().push("static high".into());
}

#[receiver(signal = ordered)]
fn static_zero(_: &Todo) {
    ORDER.lock().unwrap().push("static zero".into());
}

static ORDER: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[test]
fn one_total_order_across_static_and_runtime_receivers() {
    let push = |name: &'static str| move |_: &Todo| ORDER.lock().unwrap().push(name.into());
    let _first = ordered.connect(push("runtime zero, first")).scoped();
    let _top = ordered
        .connect_with(&ConnectOptions::new().priority(10), push("runtime ten"))
        .scoped();
    let _second = ordered.connect(push("runtime zero, second")).scoped();
    let _low = ordered
        .connect_with(
            &ConnectOptions::new().priority(-1),
            push("runtime minus one"),
        )
        .scoped();
    let _five = ordered
        .connect_with(&ConnectOptions::new().priority(5), push("runtime five"))
        .scoped();
    ordered.send(&todo("x"));
    assert_eq!(
        std::mem::take(&mut *ORDER.lock().unwrap()),
        [
            "runtime ten",
            "static high",
            "runtime five",
            "static zero",
            "runtime zero, first",
            "runtime zero, second",
            "runtime minus one",
        ]
    );
    let receivers = ordered.receivers();
    let kinds: Vec<(ReceiverKind, i32)> = receivers
        .iter()
        .map(|info| (info.kind(), info.priority()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ReceiverKind::Runtime, 10),
            (ReceiverKind::Static, 5),
            (ReceiverKind::Runtime, 5),
            (ReceiverKind::Static, 0),
            (ReceiverKind::Runtime, 0),
            (ReceiverKind::Runtime, 0),
            (ReceiverKind::Runtime, -1),
        ]
    );
    assert!(receivers[0].file().ends_with("test_connect.rs"));
    assert!(
        receivers[0].name().contains("closure"),
        "{}",
        receivers[0].name()
    );
}

#[signal]
pub fn keyed(item: &Todo);

#[test]
fn a_unique_key_keeps_one_receiver_and_disconnects_by_key() {
    let log = Log::default();
    let options = ConnectOptions::new().key("audit");
    let first = keyed.connect_with(&options, {
        let log = log.clone();
        move |item| log.push(format!("first {}", item.title))
    });
    let second = keyed.connect_with(&options, {
        let log = log.clone();
        move |item| log.push(format!("second {}", item.title))
    });
    assert_eq!(
        first, second,
        "the second connect returns the first receiver"
    );
    keyed.send(&todo("a"));
    assert_eq!(log.take(), ["first a"]);
    assert_eq!(keyed.receivers()[0].key(), Some("audit"));

    assert!(keyed.disconnect_key("audit"));
    assert!(!keyed.disconnect_key("audit"));
    assert!(!first.is_connected());
    keyed.send(&todo("b"));
    assert!(log.take().is_empty());

    // The key is free again.
    let third = keyed.connect_with(&options, {
        let log = log.clone();
        move |item| log.push(format!("third {}", item.title))
    });
    assert_ne!(third, first);
    keyed.send(&todo("c"));
    assert_eq!(log.take(), ["third c"]);
    third.disconnect();
}

#[signal]
pub fn blocked(item: &Todo);

#[receiver(signal = blocked)]
fn static_blocked_receiver(item: &Todo) {
    MUTE_LOG
        .lock()
        .unwrap()
        .push(format!("static {}", item.title));
}

static MUTE_LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[test]
fn muting_silences_the_whole_signal_and_guards_nest() {
    let _runtime = blocked
        .connect(|item| {
            MUTE_LOG
                .lock()
                .unwrap()
                .push(format!("runtime {}", item.title));
        })
        .scoped();
    {
        let _outer = blocked.mute();
        {
            let _inner = blocked.mute();
            blocked.send(&todo("a"));
        }
        blocked.send(&todo("b"));
    }
    blocked.send(&todo("c"));
    assert_eq!(
        std::mem::take(&mut *MUTE_LOG.lock().unwrap()),
        ["static c", "runtime c"]
    );
}

#[signal]
pub fn counted(item: &Todo);

#[test]
fn blocking_one_connection_skips_only_it_and_guards_nest() {
    let log = Log::default();
    let a = counted.connect({
        let log = log.clone();
        move |_| log.push("a")
    });
    let b = counted.connect({
        let log = log.clone();
        move |_| log.push("b")
    });
    {
        let _outer = a.block();
        let inner = a.block();
        counted.send(&todo("x"));
        drop(inner);
        counted.send(&todo("x"));
    }
    counted.send(&todo("x"));
    assert_eq!(log.take(), ["b", "b", "a", "b"]);
    assert!(a.is_connected(), "a blocked receiver stays connected");
    a.disconnect();
    b.disconnect();
}

#[signal]
pub fn published(item: &Todo);

#[test]
fn connected_to_connects_for_the_body_only_even_when_it_panics() {
    let log = Log::default();
    let titles = published.connected_to(
        {
            let log = log.clone();
            move |item| log.push(item.title.clone())
        },
        || {
            published.send(&todo("inside"));
            log.take()
        },
    );
    assert_eq!(titles, ["inside"]);
    published.send(&todo("outside"));
    assert!(log.take().is_empty());

    let result = std::panic::catch_unwind(|| {
        published.connected_to(|_| {}, || panic!("the body failed"));
    });
    assert!(result.is_err());
    assert!(published.receivers().is_empty());
}

#[signal]
pub fn validated(item: &Todo) -> u32;

#[receiver(signal = validated)]
fn static_score(item: &Todo) -> u32 {
    u32::try_from(item.title.len()).unwrap()
}

#[test]
fn runtime_receivers_return_values_in_call_order() {
    let _bonus = validated
        .connect_with(&ConnectOptions::new().priority(1), |_| 100)
        .scoped();
    let _last = validated.connect(|_| 1).scoped();
    assert_eq!(validated.send(&todo("abc")), [100, 3, 1]);
    assert_eq!(validated.send_iter(&todo("abcd")).sum::<u32>(), 105);
}
