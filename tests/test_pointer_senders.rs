//! A send from an `Arc`, `Rc`, `Box` or `&'static` of a sender reaches the
//! receivers filtered on the sender itself, static and runtime, each with
//! the value pointed to.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use signals::{receiver, signal};

pub struct User {
    pub name: String,
}

thread_local! {
    static CALLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn record(call: String) {
    CALLS.with(|calls| calls.borrow_mut().push(call));
}

fn take() -> Vec<String> {
    CALLS.with(RefCell::take)
}

#[signal]
pub fn saved(id: u64);

#[receiver(signal = saved)]
fn every_save(id: u64) {
    record(format!("every {id}"));
}

#[receiver(signal = saved, sender = User)]
fn by_user(user: &User, id: u64) {
    record(format!("{} {id}", user.name));
}

#[receiver(signal = saved, sender = User)]
fn user_saved(id: u64) {
    record(format!("user {id}"));
}

#[receiver(signal = saved, sender = str)]
fn by_name(name: &str, id: u64) {
    record(format!("named {name} {id}"));
}

static NOBODY: User = User {
    name: String::new(),
};

fn ann() -> User {
    User { name: "ann".into() }
}

#[test]
fn an_arc_reaches_the_receivers_of_what_it_points_to() {
    saved.send_from(&Arc::new(ann()), 1);
    assert_eq!(take(), ["ann 1", "every 1", "user 1"]);
}

#[test]
fn an_rc_a_box_and_a_static_reference_do_too() {
    saved.send_from(&Rc::new(ann()), 2);
    assert_eq!(take(), ["ann 2", "every 2", "user 2"]);
    saved.send_from(&Box::new(ann()), 3);
    assert_eq!(take(), ["ann 3", "every 3", "user 3"]);
    saved.send_from(&&NOBODY, 4);
    assert_eq!(take(), [" 4", "every 4", "user 4"]);
}

#[test]
fn pointers_to_unsized_senders() {
    let name: Arc<str> = Arc::from("importer");
    saved.send_from(&name, 5);
    assert_eq!(take(), ["named importer 5", "every 5"]);
    let name: Box<str> = Box::from("cron");
    saved.send_from(&name, 6);
    assert_eq!(take(), ["named cron 6", "every 6"]);
}

#[test]
fn one_level_only() {
    // An `Arc<Box<User>>` is a pointer to a `Box<User>`, which no receiver
    // filters on: deref it to the level the receivers wait for.
    let nested = Arc::new(Box::new(ann()));
    saved.send_from(&nested, 7);
    assert_eq!(take(), ["every 7"]);
    saved.send_from(&**nested, 7);
    assert_eq!(take(), ["ann 7", "every 7", "user 7"]);
}

#[signal]
pub fn renamed(id: u64) -> String;

#[receiver(signal = renamed, sender = User)]
fn old_name(user: &User, id: u64) -> String {
    format!("{} was {id}", user.name)
}

#[test]
fn results_come_back_through_a_pointer() {
    assert_eq!(
        renamed.send_from(&Arc::new(ann()), 8),
        ["ann was 8".to_owned()]
    );
}

#[signal]
pub fn logged(line: &str);

#[test]
fn runtime_receivers_see_through_pointers_too() {
    let connection = logged.connect_from(|user: &User, line: &str| {
        record(format!("{}: {line}", user.name));
    });
    logged.send_from(&ann(), "direct");
    logged.send_from(&Arc::new(ann()), "arc");
    logged.send_from(&Rc::new(ann()), "rc");
    logged.send_from(&Box::new(ann()), "box");
    logged.send_from(&7_u8, "other");
    logged.send("none");
    assert_eq!(take(), ["ann: direct", "ann: arc", "ann: rc", "ann: box"]);
    connection.disconnect();
}

/// A sender type with its own receivers and pointer receivers both: a
/// receiver filtered on `Arc<User>` itself and one filtered on `User` are
/// both reached by a send from an `Arc<User>`, in call order.
#[signal]
pub fn shared(id: u64);

#[receiver(signal = shared, sender = User)]
fn shared_by_user(user: &User, id: u64) {
    record(format!("user {} {id}", user.name));
}

#[receiver(signal = shared, sender = Arc<User>)]
fn shared_by_arc(user: &Arc<User>, id: u64) {
    record(format!(
        "arc {} {} {id}",
        user.name,
        Arc::strong_count(user)
    ));
}

#[test]
fn receivers_of_the_pointer_and_of_its_pointee_are_both_reached() {
    shared.send_from(&Arc::new(ann()), 9);
    assert_eq!(take(), ["arc ann 1 9", "user ann 9"]);
    shared.send_from(&ann(), 10);
    assert_eq!(take(), ["user ann 10"]);
}
