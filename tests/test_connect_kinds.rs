//! The variants of `connect`: a sender filter, a weak target, and signal
//! types whose every value is a signal of its own.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use signals::{ReceiverKind, receiver, signal};

pub struct User {
    pub name: String,
}
pub struct Group;

#[signal]
pub fn post_save(created: bool);

#[receiver(signal = post_save, sender = User)]
fn static_profile(user: &User, created: bool) {
    SAVES
        .lock()
        .unwrap()
        .push(format!("static {} {created}", user.name));
}

static SAVES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn saves() -> Vec<String> {
    std::mem::take(&mut *SAVES.lock().unwrap())
}

#[test]
fn connect_from_receives_only_that_senders_sends_and_gets_the_sender() {
    let _user = post_save
        .connect_from(|user: &User, created: bool| {
            SAVES
                .lock()
                .unwrap()
                .push(format!("runtime {} {created}", user.name));
        })
        .scoped();
    let _group = post_save
        .connect_from(|_: &Group, _| SAVES.lock().unwrap().push("group".into()))
        .scoped();
    post_save.send(true);
    assert!(saves().is_empty());
    post_save.send_from(&User { name: "ann".into() }, true);
    assert_eq!(saves(), ["static ann true", "runtime ann true"]);
    post_save.send_from(&Group, false);
    assert_eq!(saves(), ["group"]);

    let senders: Vec<Option<String>> = post_save
        .receivers()
        .iter()
        .map(|info| info.sender().map(str::to_owned))
        .collect();
    assert_eq!(senders[0].as_deref(), Some("User"));
    assert!(
        senders[1].as_deref().unwrap().ends_with("::User"),
        "{senders:?}"
    );
    assert!(
        senders[2].as_deref().unwrap().ends_with("::Group"),
        "{senders:?}"
    );
}

/// A view that observes a model: NiftyNet's stateful handlers, Qt's
/// objects. The signal must not keep it alive.
struct View {
    name: &'static str,
    renders: AtomicU32,
}

#[signal]
pub fn model_changed(field: &str);

#[test]
fn a_weak_receiver_stops_with_its_target_and_its_entry_is_cleaned_up() {
    let view = Arc::new(View {
        name: "list",
        renders: AtomicU32::new(0),
    });
    let connection = model_changed.connect_weak(&view, |view: &View, field: &str| {
        assert_eq!(view.name, "list");
        assert_eq!(field, "title");
        view.renders.fetch_add(1, Ordering::Relaxed);
    });
    model_changed.send("title");
    model_changed.send("title");
    assert_eq!(view.renders.load(Ordering::Relaxed), 2);
    assert_eq!(
        Arc::strong_count(&view),
        1,
        "the signal holds no strong reference"
    );
    assert_eq!(model_changed.receivers().len(), 1);

    drop(view);
    assert!(
        !connection.is_connected(),
        "disconnected as soon as the target is gone"
    );
    model_changed.send("title");
    assert!(!connection.is_connected());
    assert!(model_changed.receivers().is_empty());
}

#[test]
fn weak_receivers_are_cleaned_up_by_introspection_too() {
    #[signal]
    fn saved(id: u64);

    let views: Vec<Arc<View>> = (0..10)
        .map(|_| {
            Arc::new(View {
                name: "detail",
                renders: AtomicU32::new(0),
            })
        })
        .collect();
    for view in &views {
        saved.connect_weak(view, |view: &View, _| {
            view.renders.fetch_add(1, Ordering::Relaxed);
        });
    }
    assert_eq!(saved.receivers().len(), 10);
    drop(views);
    assert_eq!(saved.receivers().len(), 0, "the count returns to zero");
}

/// Emitted for every image a worker yields.
#[signal]
pub type Yielded = fn(image: &[u8]);

/// Asks whether a worker may stop.
#[signal]
pub type MayStop = fn(reason: &str) -> bool;

/// A worker with signals of its own, like napari's `@thread_worker`.
#[derive(Default)]
pub struct Worker {
    pub yielded: Yielded,
    pub may_stop: MayStop,
}

#[test]
fn each_value_of_a_signal_type_is_an_independent_signal() {
    let first = Worker::default();
    let second = Worker::default();
    let seen = Arc::new(AtomicU32::new(0));
    let connection = first.yielded.connect({
        let seen = Arc::clone(&seen);
        move |image| {
            seen.fetch_add(u32::try_from(image.len()).unwrap(), Ordering::Relaxed);
        }
    });
    first.yielded.send(&[1, 2, 3]);
    second.yielded.send(&[1, 2, 3, 4]);
    assert_eq!(seen.load(Ordering::Relaxed), 3);
    assert_eq!(first.yielded.receivers().len(), 1);
    assert_eq!(first.yielded.receivers()[0].kind(), ReceiverKind::Runtime);
    assert!(second.yielded.receivers().is_empty());
    assert_eq!(format!("{:?}", first.yielded), "Yielded { receivers: 1 }");

    let _veto = second.may_stop.connect(|reason| reason != "busy").scoped();
    let _always = second.may_stop.connect(|_| true).scoped();
    assert_eq!(second.may_stop.send("done"), [true, true]);
    assert!(!second.may_stop.send_iter("busy").all(|ok| ok));
    assert!(first.may_stop.send("done").is_empty());

    assert!(connection.disconnect());
    first.yielded.send(&[1]);
    assert_eq!(seen.load(Ordering::Relaxed), 3);
}

#[test]
fn a_connection_outliving_its_signal_reports_disconnected() {
    let worker = Worker::default();
    let connection = worker.yielded.connect(|_| {});
    assert!(connection.is_connected());
    drop(worker);
    assert!(!connection.is_connected());
    assert!(!connection.disconnect());
}

#[test]
fn a_signal_type_moves_with_its_receivers() {
    let worker = Worker::default();
    let calls = Arc::new(AtomicU32::new(0));
    let _connection = worker.yielded.connect({
        let calls = Arc::clone(&calls);
        move |_| {
            calls.fetch_add(1, Ordering::Relaxed);
        }
    });
    let moved = Box::new(worker);
    moved.yielded.send(&[]);
    assert_eq!(calls.load(Ordering::Relaxed), 1);
}

#[test]
fn a_signal_type_with_unnamed_parameters_and_several_arguments() {
    #[signal]
    type Moved = fn(i32, i32, &mut Vec<(i32, i32)>);

    let moved = Moved::new();
    moved.connect(|x, y, trail| trail.push((x, y)));
    moved.connect(|x, y, trail| trail.push((y, x)));
    let mut trail = Vec::new();
    moved.send(1, 2, &mut trail);
    assert_eq!(trail, [(1, 2), (2, 1)]);
}
