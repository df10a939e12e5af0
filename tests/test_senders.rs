//! `send` reaches receivers without a sender filter; `send_from(&owner, ..)`
//! also reaches those registered with `sender = TypeOfOwner`.

use std::cell::RefCell;

use signals::{receiver, signal};

pub struct Profile {
    pub user: String,
}
pub struct User {
    pub name: String,
}
pub struct Group;

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
fn any_save(id: u64) {
    record(format!("any {id}"));
}

#[receiver(signal = saved, sender = User)]
fn create_profile(user: &User, id: u64) {
    let profile = Profile {
        user: user.name.clone(),
    };
    record(format!("profile for {} ({id})", profile.user));
}

#[receiver(signal = saved, sender = User)]
fn user_saved(id: u64) {
    record(format!("user {id}"));
}

#[receiver(signal = saved, sender = Group)]
fn group_saved(_group: &Group, id: u64) {
    record(format!("group {id}"));
}

#[receiver(signal = saved, sender = str)]
fn named_save(name: &str, id: u64) {
    record(format!("{name} {id}"));
}

#[test]
fn send_calls_only_unfiltered_receivers() {
    saved.send(1);
    assert_eq!(take(), ["any 1"]);
}

#[test]
fn send_from_adds_the_receivers_of_that_sender_type() {
    let ann = User { name: "ann".into() };
    saved.send_from(&ann, 2);
    assert_eq!(take(), ["any 2", "profile for ann (2)", "user 2"]);

    saved.send_from(&Group, 3);
    assert_eq!(take(), ["any 3", "group 3"]);
}

#[test]
fn send_from_an_unsized_sender() {
    saved.send_from("importer", 4);
    assert_eq!(take(), ["any 4", "importer 4"]);
}

#[test]
fn send_from_a_type_without_filtered_receivers_calls_the_unfiltered_ones() {
    saved.send_from(&5_u8, 5);
    assert_eq!(take(), ["any 5"]);
}

#[test]
fn introspection_names_the_sender_filter() {
    let senders: Vec<(&str, Option<&str>)> = saved
        .receivers()
        .iter()
        .map(|receiver| (receiver.name(), receiver.sender()))
        .collect();
    assert_eq!(
        senders,
        [
            ("any_save", None),
            ("create_profile", Some("User")),
            ("group_saved", Some("Group")),
            ("named_save", Some("str")),
            ("user_saved", Some("User")),
        ]
    );
}

// A signal whose own parameter is called `sender`: `send_from`'s sender
// parameter takes another name.
#[signal]
pub fn forwarded(sender: &str);

#[receiver(signal = forwarded, sender = User)]
fn forwarded_by_user(user: &User, sender: &str) {
    record(format!("{} forwarded from {sender}", user.name));
}

#[test]
fn a_parameter_named_sender_does_not_clash() {
    forwarded.send_from(&User { name: "bob".into() }, "ann");
    assert_eq!(take(), ["bob forwarded from ann"]);
}

// A trait object as the sender: `sender = dyn Shape`, and a receiver that
// takes `&dyn Shape` as written, without `+ 'static`.
pub trait Shape {
    fn area(&self) -> u32;
}

pub struct Square(pub u32);

impl Shape for Square {
    fn area(&self) -> u32 {
        self.0 * self.0
    }
}

#[signal]
pub fn drawn(scale: u32) -> u32;

#[receiver(signal = drawn, sender = dyn Shape)]
fn measure(shape: &dyn Shape, scale: u32) -> u32 {
    shape.area() * scale
}

#[test]
fn a_dyn_trait_receiver_is_accepted_as_written() {
    let square = Square(3);
    assert_eq!(drawn.send_from(&square as &dyn Shape, 2), [18]);
}
