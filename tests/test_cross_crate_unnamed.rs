//! The rule measured in the design notes, kept honest by a test: a crate
//! that the final binary never names is not linked, so its receivers do not
//! register. This test binary depends on `todo-audit` (a dev-dependency of
//! the package) but never names it.

use todo_signals::{Todo, take_journal, todo_done};

#[test]
fn receivers_of_a_crate_the_binary_never_names_do_not_register() {
    todo_done.send(&Todo {
        title: "ship".into(),
        done: true,
    });
    assert_eq!(take_journal(), ["todo_signals::count_done"]);
    assert!(
        todo_done
            .receivers()
            .iter()
            .all(|receiver| !receiver.module_path().starts_with("todo_audit")),
        "{:?}",
        todo_done.receivers()
    );
}
