//! The link-time registry of signals: lookup by name or path, near matches
//! for a misspelling, ambiguity, the signals of other crates, and what a
//! handle can do without the signal's types.

use signals::{LookupError, receiver, signal};
use todo_signals::Todo;

pub mod billing {
    use signals::signal;

    #[signal]
    pub fn closed(id: u64);
}

pub mod support {
    use signals::signal;

    #[signal]
    pub fn closed(ticket: u64);
}

#[signal]
pub fn invoice_paid(id: u64, amount: u32);

#[receiver(signal = invoice_paid)]
fn book_payment(_id: u64, _amount: u32) {}

#[test]
fn a_signal_is_found_by_name_and_by_path() {
    let by_name = signals::lookup("invoice_paid").expect("registered");
    assert_eq!(by_name.name(), "invoice_paid");
    assert_eq!(by_name.module_path(), "test_registry");
    assert_eq!(by_name.path(), "test_registry::invoice_paid");
    assert_eq!(by_name.signature(), "fn(id: u64, amount: u32)");
    let by_path = signals::lookup("test_registry::invoice_paid").expect("registered");
    assert_eq!(by_path.path(), by_name.path());
    let names: Vec<&str> = by_name
        .receivers()
        .iter()
        .map(signals::ReceiverInfo::name)
        .collect();
    assert_eq!(names, ["book_payment"]);
}

#[test]
fn an_unknown_name_lists_near_matches() {
    let Err(error) = signals::lookup("invoice_payed") else {
        panic!("found a signal that does not exist");
    };
    assert_eq!(
        error,
        LookupError::Unknown {
            name: "invoice_payed".into(),
            near: vec!["test_registry::invoice_paid".into()],
        }
    );
    assert_eq!(
        error.to_string(),
        "no signal is named `invoice_payed`; did you mean `test_registry::invoice_paid`?"
    );
    let far = signals::lookup("zzzzzzzzzzzzzzzz").unwrap_err();
    assert_eq!(
        far.to_string(),
        "no signal is named `zzzzzzzzzzzzzzzz` (`signals::all()` lists them)"
    );
}

#[test]
fn a_name_two_signals_share_needs_more_of_the_path() {
    let error = signals::lookup("closed").unwrap_err();
    assert_eq!(
        error,
        LookupError::Ambiguous {
            name: "closed".into(),
            candidates: vec![
                "test_registry::billing::closed".into(),
                "test_registry::support::closed".into(),
            ],
        }
    );
    assert_eq!(
        signals::lookup("support::closed")
            .expect("unique")
            .signature(),
        "fn(ticket: u64)"
    );
}

#[test]
fn the_signals_of_other_crates_are_listed() {
    let paths: Vec<String> = signals::all().iter().map(|signal| signal.path()).collect();
    assert!(
        paths.contains(&"todo_signals::todo_done".to_owned()),
        "{paths:?}"
    );
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "listed by path");
    // Named here, so that this test links the crate that declares it.
    let _ = Todo {
        title: String::new(),
        done: false,
    };
}

#[signal]
pub fn reindexed(shard: u32);

#[test]
fn a_handle_mutes_and_disconnects_without_the_types() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counted = std::sync::Arc::clone(&calls);
    let _connection = reindexed.connect(move |_| {
        counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    let handle = signals::lookup("reindexed").expect("registered");
    {
        let _muted = handle.mute();
        reindexed.send(1);
    }
    reindexed.send(2);
    assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 1);
    assert_eq!(handle.disconnect_all(), 1);
    assert!(handle.receivers().is_empty());
    assert!(format!("{handle:?}").contains("test_registry::reindexed"));
}

// Enabling and disabling static receivers through the registry.

#[signal]
pub fn batch_finished(batch: u32) -> &'static str;

#[receiver(signal = batch_finished, priority = 1)]
fn save_model(_batch: u32) -> &'static str {
    "save"
}

#[receiver(signal = batch_finished)]
fn log_batch(_batch: u32) -> &'static str {
    "log"
}

#[receiver(signal = batch_finished, priority = -1)]
fn upload(_batch: u32) -> &'static str {
    "upload"
}

#[test]
fn static_receivers_are_enabled_and_disabled_by_name() {
    let signal = signals::lookup("batch_finished").expect("registered");
    assert_eq!(batch_finished.send(1), ["save", "log", "upload"]);

    assert_eq!(signal.disable("log_batch"), Ok(1));
    assert_eq!(batch_finished.send(2), ["save", "upload"]);
    let lazily: Vec<&str> = batch_finished.send_iter(3).collect();
    assert_eq!(lazily, ["save", "upload"]);
    let _runtime = batch_finished.connect(|_| "runtime");
    assert_eq!(batch_finished.send(4), ["save", "runtime", "upload"]);
    let disabled: Vec<bool> = batch_finished
        .receivers()
        .iter()
        .map(signals::ReceiverInfo::is_disabled)
        .collect();
    assert_eq!(disabled, [false, true, false, false]);
    assert!(
        batch_finished
            .tree()
            .to_string()
            .contains("test_registry::log_batch(_batch: u32) -> &'static str disabled")
    );

    // NiftyNet's choice, for static receivers: exactly these.
    signal
        .enable_only(["test_registry::log_batch", "upload"])
        .expect("known names");
    assert_eq!(batch_finished.send(5), ["log", "runtime", "upload"]);

    let unknown = signal.enable_only(["save_modle"]).unwrap_err();
    assert_eq!(unknown.did_you_mean(), Some("test_registry::save_model"));
    assert_eq!(
        batch_finished.send(6),
        ["log", "runtime", "upload"],
        "unchanged"
    );

    assert_eq!(signal.enable("save_model"), Ok(1));
    assert_eq!(batch_finished.send(7), ["save", "log", "runtime", "upload"]);
    assert!(
        signal
            .disable("nothing")
            .unwrap_err()
            .to_string()
            .starts_with(
                "no static receiver is named `nothing`. Known: `test_registry::save_model`"
            )
    );
}
