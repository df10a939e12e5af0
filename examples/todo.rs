//! The todo application of Django's signals tutorial, with typed signals.
//!
//! - `Todo::mark_done` and `Todo::mark_undone` send `todo_done` and
//!   `todo_undone`; a logging receiver hears both.
//! - `User::save` sends `post_save` from the user; a receiver registered with
//!   `sender = User` creates the user's profile, like Django's
//!   `post_save.connect(create_profile, sender=User)`.
//!   A user shared as an `Arc<User>` reaches the same receiver, and an
//!   audit receiver with `sender = AnySender` hears every sender.
//! - `Todo::archive` asks `may_archive`, a signal with a return value, and
//!   archives only when no receiver objects.
//!
//! Run with `cargo run --example todo`.

use std::sync::{Arc, Mutex};

use signals::{AnySender, receiver, signal};

#[derive(Debug)]
pub struct User {
    pub name: String,
}

#[derive(Debug)]
pub struct Todo {
    pub title: String,
    pub done: bool,
    pub archived: bool,
}

#[derive(Debug)]
pub struct Profile {
    pub user: String,
}

/// Sent when a todo item is marked done.
#[signal]
pub fn todo_done(item: &Todo);

/// Sent when a done todo item is marked not done again.
#[signal]
pub fn todo_undone(item: &Todo);

/// Sent after a model is saved; `created` is true on its first save.
#[signal]
pub fn post_save(created: bool);

/// Asked before a todo item is archived: any receiver may say no.
#[signal]
pub fn may_archive(item: &Todo) -> bool;

impl Todo {
    fn new(title: &str) -> Self {
        Self {
            title: title.into(),
            done: false,
            archived: false,
        }
    }

    fn mark_done(&mut self) {
        if !self.done {
            self.done = true;
            todo_done.send(self);
        }
    }

    fn mark_undone(&mut self) {
        if self.done {
            self.done = false;
            todo_undone.send(self);
        }
    }

    fn archive(&mut self) -> bool {
        // Stops at the first receiver that says no; allocates nothing.
        if may_archive.send_iter(self).all(|allowed| allowed) {
            self.archived = true;
        }
        self.archived
    }
}

impl User {
    fn save(&self, created: bool) {
        post_save.send_from(self, created);
    }
}

static PROFILES: Mutex<Vec<Profile>> = Mutex::new(Vec::new());

// Receivers: registered at link time, wherever they are declared.

#[receiver(signal = todo_done)]
#[receiver(signal = todo_undone)]
fn log_todo_action(item: &Todo) {
    if item.done {
        println!("[log] item complete: {}", item.title);
    } else {
        println!("[log] item undone: {}", item.title);
    }
}

#[receiver(signal = post_save, sender = User)]
fn create_profile(user: &User, created: bool) {
    if created {
        PROFILES.lock().unwrap().push(Profile {
            user: user.name.clone(),
        });
        println!("[profiles] created a profile for {}", user.name);
    } else {
        println!("[profiles] {} saved again, profile kept", user.name);
    }
}

// Every sender, whatever its type: the audit trail names it. The sender
// is as passed, so a shared user arrives as an `Arc<User>`.
#[receiver(signal = post_save, sender = AnySender)]
fn audit_save(sender: &AnySender, created: bool) {
    let user = sender
        .downcast_ref::<User>()
        .or_else(|| sender.downcast_ref::<Arc<User>>().map(|user| &**user));
    let who = user.map_or(sender.type_name(), |user| user.name.as_str());
    println!("[audit] saved by {who} (created: {created})");
}

#[receiver(signal = post_save)]
fn count_saves(created: bool) {
    println!("[stats] a model was saved (created: {created})");
}

#[receiver(signal = may_archive)]
fn only_done_items(item: &Todo) -> bool {
    if !item.done {
        println!("[rules] {:?} is not done: keep it", item.title);
    }
    item.done
}

#[receiver(signal = may_archive, priority = -1)]
fn keep_pinned(item: &Todo) -> bool {
    !item.title.starts_with('!')
}

fn main() {
    let ann = User { name: "ann".into() };
    ann.save(true);
    ann.save(false);
    // Sent without a sender: only the receivers without a filter hear it.
    post_save.send(true);
    // A user shared between sessions: a send from the `Arc<User>` reaches
    // the receivers of `sender = User`, with the user inside.
    let bob = Arc::new(User { name: "bob".into() });
    post_save.send_from(&bob, true);

    let mut todo = Todo::new("write the docs");
    todo.mark_done();
    todo.mark_undone();
    println!("archived while open: {}", todo.archive());
    todo.mark_done();
    println!("archived when done: {}", todo.archive());

    let votes = may_archive.send(&Todo::new("!pinned"));
    println!("votes on an open, pinned item: {votes:?}");

    println!("profiles: {:?}", PROFILES.lock().unwrap());
    println!("receivers of post_save:");
    for receiver in post_save.receivers() {
        println!("  {receiver}");
    }
}
