//! `sender = AnySender`: a receiver of every send, which still sees the
//! sender, whatever its type (Blinker's receiver for any sender).

use std::cell::RefCell;
use std::sync::Arc;

use signals::{AnySender, receiver, signal};

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

fn describe(sender: &AnySender) -> String {
    if let Some(user) = sender.downcast_ref::<User>() {
        format!("user {}", user.name)
    } else if let Some(name) = sender.downcast_ref::<str>() {
        format!("str {name}")
    } else {
        format!("other {}", sender.type_name())
    }
}

#[signal]
pub fn saved(id: u64);

#[receiver(signal = saved, sender = AnySender)]
fn audit(sender: &AnySender, id: u64) {
    record(format!("audit {} {id}", describe(sender)));
}

#[receiver(signal = saved, sender = User)]
fn by_user(user: &User, id: u64) {
    record(format!("by_user {} {id}", user.name));
}

#[receiver(signal = saved, priority = 1)]
fn first(id: u64) {
    record(format!("first {id}"));
}

#[test]
fn a_plain_send_has_no_sender_and_does_not_reach_it() {
    saved.send(1);
    assert_eq!(take(), ["first 1"]);
}

#[test]
fn every_sender_reaches_it_with_the_sender() {
    saved.send_from(&User { name: "ann".into() }, 2);
    assert_eq!(take(), ["first 2", "audit user ann 2", "by_user ann 2"]);
    saved.send_from("cron", 3);
    assert_eq!(take(), ["first 3", "audit str cron 3"]);
    saved.send_from(&7_u8, 4);
    assert_eq!(take(), ["first 4", "audit other u8 4"]);
}

#[test]
fn the_sender_is_as_passed() {
    // The `Arc` reaches the receivers of `User`, and the any-sender
    // receiver sees the `Arc` itself.
    let ann = Arc::new(User { name: "ann".into() });
    saved.send_from(&ann, 5);
    let calls = take();
    assert_eq!(calls[0], "first 5");
    assert!(
        calls[1].starts_with("audit other alloc::sync::Arc<"),
        "{calls:?}"
    );
    assert_eq!(calls[2], "by_user ann 5");
}

#[test]
fn it_is_listed_with_its_filter() {
    let listed: Vec<(&str, Option<&str>)> = saved
        .receivers()
        .iter()
        .map(|receiver| (receiver.name(), receiver.sender()))
        .collect();
    assert_eq!(
        listed,
        [
            ("first", None),
            ("audit", Some("AnySender")),
            ("by_user", Some("User")),
        ]
    );
}

#[test]
fn the_debug_form_names_the_type() {
    let mut seen = Vec::new();
    AnySender::lend("x", |sender| seen.push(format!("{sender:?}")));
    AnySender::lend(&1_u32, |sender| seen.push(format!("{sender:?}")));
    assert_eq!(seen, ["AnySender(str)", "AnySender(u32)"]);
}

#[signal]
pub fn renamed(id: u64) -> String;

#[receiver(signal = renamed, sender = AnySender)]
fn rename_any(sender: &AnySender, id: u64) -> String {
    format!("{} {id}", describe(sender))
}

#[test]
fn results_come_back_in_call_order() {
    assert_eq!(renamed.send(1), Vec::<String>::new());
    assert_eq!(
        renamed.send_from(&User { name: "bob".into() }, 2),
        ["user bob 2".to_owned()]
    );
    let lazily: Vec<String> = renamed.send_from_iter("x", 3).collect();
    assert_eq!(lazily, ["str x 3".to_owned()]);
}

#[signal]
pub fn logged(line: &str);

#[test]
fn runtime_receivers_of_every_sender() {
    let connection = logged.connect_from(|sender: &AnySender, line: &str| {
        record(format!("{} {line}", describe(sender)));
    });
    let listed: Vec<Option<&str>> = logged
        .receivers()
        .iter()
        .map(signals::ReceiverInfo::sender)
        .collect();
    assert_eq!(listed, [Some("AnySender")]);
    logged.send("plain");
    logged.send_from(&User { name: "ann".into() }, "user");
    logged.send_from("me", "named");
    assert_eq!(take(), ["user ann user", "str me named"]);
    connection.disconnect();
    logged.send("gone");
    assert_eq!(take(), Vec::<String>::new());
}
