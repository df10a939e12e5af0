//! `signals::set_counting` switches counting on for every signal of the
//! program: a test binary of its own, so that no other test's signal
//! counts by surprise.

use signals::{receiver, signal};

#[signal]
pub fn cache_warmed(entries: u32);

#[receiver(signal = cache_warmed)]
fn report_warmth(_entries: u32) {}

#[test]
fn counting_for_every_signal_through_the_registry() {
    signals::set_counting(true);
    cache_warmed.send(1);
    cache_warmed.send(2);
    signals::set_counting(false);
    let signal = signals::lookup("cache_warmed").expect("registered");
    assert_eq!(signal.sends(), Some(2));
    assert_eq!(signal.receivers()[0].calls(), Some(2));
    let whole_program = signals::tree().to_string();
    assert!(
        whole_program.contains(
            "@cache_warmed 2\n└── test_counting_global::report_warmth(_entries: u32) (2)"
        ),
        "{whole_program}"
    );
}
