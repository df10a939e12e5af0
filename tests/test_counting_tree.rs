//! Opt-in counting of sends and calls, and the printed tree of a signal.

use signals::{ConnectOptions, receiver, signal};

pub struct User;

#[signal]
pub fn trial_finished(trial: u32);

#[receiver(signal = trial_finished, priority = 5)]
fn log_trial(_trial: u32) {}

#[receiver(signal = trial_finished, every = 2, max_calls = 3)]
fn checkpoint(_trial: u32) {}

#[receiver(signal = trial_finished, sender = User)]
fn by_user(_user: &User, _trial: u32) {}

#[receiver(signal = trial_finished, hidden)]
fn housekeeping(_trial: u32) {}

#[test]
fn counts_are_opt_in_and_the_tree_shows_them() {
    // Before counting: no counts, but a policy counts its own calls.
    trial_finished.send(0);
    assert_eq!(trial_finished.sends(), None);
    assert_eq!(
        trial_finished.tree().to_string(),
        "@trial_finished\n\
         ├── test_counting_tree::log_trial(_trial: u32) priority 5\n\
         ├── test_counting_tree::by_user(_user: &User, _trial: u32) sender = User\n\
         └── test_counting_tree::checkpoint(_trial: u32) every = 2, max_calls = 3"
    );

    trial_finished.set_counting(true);
    let progress = trial_finished.connect_with(&ConnectOptions::new().name("progress bar"), |_| {});
    for trial in 1..=10 {
        trial_finished.send(trial);
    }
    trial_finished.send_from(&User, 11);
    assert_eq!(trial_finished.sends(), Some(11));
    assert_eq!(
        trial_finished.tree().to_string(),
        "@trial_finished 11\n\
         ├── test_counting_tree::log_trial(_trial: u32) priority 5 (11)\n\
         ├── test_counting_tree::by_user(_user: &User, _trial: u32) sender = User (1)\n\
         ├── test_counting_tree::checkpoint(_trial: u32) every = 2, max_calls = 3, exhausted (3)\n\
         └── progress bar [runtime] (11)"
    );

    // Off: the counts stay, and stop growing.
    trial_finished.set_counting(false);
    trial_finished.send(12);
    assert_eq!(trial_finished.sends(), Some(11));
    progress.disconnect();
}

#[signal]
pub type Progress = fn(done: u32, total: u32);

#[test]
fn a_signal_type_counts_value_by_value() {
    let first = Progress::new();
    let second = Progress::new();
    let _a = first.connect_with(&ConnectOptions::new().name("bar"), |_, _| {});
    let _b = second.connect(|_, _| {});
    first.set_counting(true);
    first.send(1, 2);
    first.send(2, 2);
    second.send(1, 1);
    assert_eq!(first.sends(), Some(2));
    assert_eq!(second.sends(), None);
    assert_eq!(
        first.tree().to_string(),
        "@Progress 2\n└── bar [runtime] (2)"
    );
}

#[signal]
pub fn scored(trial: u32) -> u32;

#[receiver(signal = scored)]
fn double(trial: u32) -> u32 {
    trial * 2
}

#[test]
fn a_lazy_send_counts_the_calls_it_makes() {
    scored.set_counting(true);
    let _runtime = scored.connect(|trial| trial + 1);
    let mut lazily = scored.send_iter(5);
    assert_eq!(lazily.next(), Some(10));
    drop(lazily);
    assert_eq!(scored.sends(), Some(1));
    let calls: Vec<Option<u64>> = scored
        .receivers()
        .iter()
        .map(signals::ReceiverInfo::calls)
        .collect();
    assert_eq!(
        calls,
        [Some(1), Some(0)],
        "the runtime receiver was never reached"
    );
}
