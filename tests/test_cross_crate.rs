//! Receivers from three crates: `todo-signals` (which declares the signal),
//! `todo-audit` (a crate of receivers only) and this test crate.

// Without this line the linker never sees `todo-audit`, and its receivers do
// not register: see `test_cross_crate_unnamed.rs`.
use todo_audit as _;

use signals::receiver;
use todo_signals::{Todo, User, record, take_journal, todo_done, todo_undone};

#[receiver(signal = todo_done)]
fn local_done(_item: &Todo) {
    record("test_cross_crate::local_done");
}

fn todo() -> Todo {
    Todo {
        title: "ship".into(),
        done: true,
    }
}

#[test]
fn receivers_from_every_crate_run_by_priority_then_path() {
    todo_done.send(&todo());
    assert_eq!(
        take_journal(),
        [
            "todo_audit::audit_first",
            "test_cross_crate::local_done",
            "todo_audit::audit_done",
            "todo_signals::count_done",
        ]
    );
}

#[test]
fn introspection_lists_receivers_of_every_crate_in_call_order() {
    let paths: Vec<String> = todo_done
        .receivers()
        .iter()
        .map(signals::ReceiverInfo::path)
        .collect();
    assert_eq!(
        paths,
        [
            "todo_audit::audit_first",
            "test_cross_crate::local_done",
            "todo_audit::audit_done",
            "todo_audit::audit_owner",
            "todo_signals::count_done",
        ]
    );
    let receivers = todo_done.receivers();
    let owner = &receivers[3];
    assert_eq!(owner.sender(), Some("User"));
    assert_eq!(owner.priority(), 0);
    assert!(owner.file().ends_with("lib.rs"), "{}", owner.file());
}

#[test]
fn a_sender_filtered_receiver_in_another_crate_gets_the_owner() {
    let mut item = Todo {
        title: "ship".into(),
        done: false,
    };
    item.mark_done(&User { name: "ann".into() });
    assert_eq!(
        take_journal(),
        [
            "todo_audit::audit_first",
            "test_cross_crate::local_done",
            "todo_audit::audit_done",
            "todo_audit::audit_owner",
            "todo_signals::count_done",
        ]
    );
}

#[test]
fn a_renamed_import_registers_for_the_signal_it_names() {
    todo_undone.send(&todo());
    assert_eq!(take_journal(), ["todo_audit::audit_reopened"]);
}
