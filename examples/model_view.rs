//! Per-object signals: a model whose fields each have a `changed` signal,
//! observed by views connected at run time, as in Qt's model/view or
//! napari's layers.
//!
//! - `Changed<T>` and `ItemsChanged` are signal types: every `TodoList`
//!   value has its own signals, independent of every other list.
//!   `Changed<T>` is generic: `Changed<str>` for the title, and the same
//!   type serves any other field.
//! - The list view is connected weakly: the model does not keep it alive,
//!   and once it is dropped its receiver goes away by itself.
//! - The status bar is connected for a scope only, and is muted while a
//!   batch of changes is applied.
//! - An autosave thread receives titles over a channel and stops when the
//!   channel closes: `disconnect_all()` drops the closure that held the
//!   channel's sender before it returns, so the thread ends at once.
//!
//! Run with `cargo run --example model_view`.

use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use signals::{ConnectOptions, signal};

/// Sent with a field's old and new value.
#[signal]
pub type Changed<T: ?Sized + Sync> = fn(old: &T, new: &T);

/// Sent with the number of items after a change; receivers may veto a
/// change that would make the list too long.
#[signal]
pub type ItemsChanged = fn(count: usize) -> bool;

/// The model: plain data, and a signal per thing that can change.
#[derive(Default)]
pub struct TodoList {
    title: String,
    items: Vec<String>,
    pub title_changed: Changed<str>,
    pub items_changed: ItemsChanged,
}

impl TodoList {
    pub fn set_title(&mut self, title: &str) {
        let old = std::mem::replace(&mut self.title, title.to_owned());
        self.title_changed.send(&old, title);
    }

    /// Adds an item unless a receiver vetoes the new length.
    pub fn add(&mut self, item: &str) -> bool {
        let allowed = self
            .items_changed
            .send_iter(self.items.len() + 1)
            .all(|ok| ok);
        if allowed {
            self.items.push(item.to_owned());
        }
        allowed
    }
}

/// A view that renders the list's title; the model must not own it.
pub struct ListView {
    pub name: &'static str,
    pub rendered: Mutex<Vec<String>>,
}

fn main() {
    let mut groceries = TodoList::default();
    let chores = TodoList::default();

    let view = Arc::new(ListView {
        name: "sidebar",
        rendered: Mutex::new(Vec::new()),
    });
    groceries
        .title_changed
        .connect_weak(&view, |view: &ListView, old: &str, new: &str| {
            println!("[{}] title {old:?} -> {new:?}", view.name);
            view.rendered.lock().unwrap().push(new.to_owned());
        });

    // A rule with a high priority, keyed so that it is installed once.
    let rule = ConnectOptions::new().priority(10).key("max-three");
    for _ in 0..2 {
        groceries.items_changed.connect_with(&rule, |count| {
            let ok = count <= 3;
            if !ok {
                println!("[rules] {count} items is too many");
            }
            ok
        });
    }

    // An autosave thread, fed through a channel; it ends once the channel
    // closes, that is once the closure holding the sender is dropped.
    let (titles, saved) = mpsc::channel::<String>();
    let autosave = thread::spawn(move || {
        let saved: Vec<String> = saved.iter().collect();
        println!("[autosave] stopped after saving {saved:?}");
        saved
    });
    groceries
        .title_changed
        .connect(move |_old: &str, new: &str| {
            let _ = titles.send(new.to_owned());
        });

    groceries.set_title("Groceries");
    {
        let _status = groceries
            .items_changed
            .connect(|count| {
                println!("[status] {count} item(s)");
                true
            })
            .scoped();
        for item in ["milk", "eggs", "bread", "tea"] {
            println!("add {item:?}: {}", groceries.add(item));
        }
        // A batch import: while muted, no receiver runs, the rule neither.
        let _quiet = groceries.items_changed.mute();
        println!("add while muted: {}", groceries.add("jam"));
    }

    // The other list's signals are its own: nobody listens to them.
    println!(
        "chores title receivers: {}",
        chores.title_changed.receivers().len()
    );

    println!("rendered: {:?}", view.rendered.lock().unwrap());
    drop(view);
    groceries.set_title("Shopping"); // the view is gone: only autosave runs
    println!(
        "title receivers once the view is dropped: {}",
        groceries.title_changed.receivers().len()
    );

    // Closing time: every runtime receiver goes, and with it the autosave
    // channel's sender, so the autosave thread ends now.
    let removed = groceries.title_changed.disconnect_all();
    println!("disconnected {removed} title receiver(s)");
    let saved = autosave.join().expect("the autosave thread ends");
    assert_eq!(saved, ["Groceries", "Shopping"]);
    println!("items: {:?}", groceries.items);
}
