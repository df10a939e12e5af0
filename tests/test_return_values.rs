//! A signal with a return type: `send` collects every result in call order;
//! `send_iter` yields them lazily, to fold or stop early without allocating.

use std::cell::Cell;

use signals::{receiver, signal};

pub struct Comment {
    pub text: String,
}

pub struct Moderator;

thread_local! {
    static CALLED: Cell<usize> = const { Cell::new(0) };
}

fn called() -> usize {
    CALLED.with(Cell::take)
}

/// Asks every validator; a comment is published when none objects.
#[signal]
pub fn validate(comment: &Comment) -> Result<(), &'static str>;

#[receiver(signal = validate, priority = 2)]
fn not_empty(comment: &Comment) -> Result<(), &'static str> {
    CALLED.with(|c| c.set(c.get() + 1));
    if comment.text.is_empty() {
        Err("empty")
    } else {
        Ok(())
    }
}

#[receiver(signal = validate, priority = 1)]
fn polite(comment: &Comment) -> Result<(), &'static str> {
    CALLED.with(|c| c.set(c.get() + 1));
    if comment.text.contains("!!!") {
        Err("shouting")
    } else {
        Ok(())
    }
}

#[receiver(signal = validate)]
fn short(comment: &Comment) -> Result<(), &'static str> {
    CALLED.with(|c| c.set(c.get() + 1));
    if comment.text.len() > 20 {
        Err("too long")
    } else {
        Ok(())
    }
}

#[receiver(signal = validate, sender = Moderator)]
fn moderator_approves(_moderator: &Moderator, _comment: &Comment) -> Result<(), &'static str> {
    CALLED.with(|c| c.set(c.get() + 1));
    Ok(())
}

fn comment(text: &str) -> Comment {
    Comment { text: text.into() }
}

#[test]
fn send_returns_every_result_in_call_order() {
    assert_eq!(validate.send(&comment("")), [Err("empty"), Ok(()), Ok(())]);
    assert_eq!(
        validate.send(&comment("this is far too long!!!")),
        [Ok(()), Err("shouting"), Err("too long")]
    );
    called();
}

#[test]
fn send_iter_stops_at_the_first_objection() {
    let first_error = validate.send_iter(&comment("")).find_map(Result::err);
    assert_eq!(first_error, Some("empty"));
    assert_eq!(called(), 1, "receivers after the first objection ran");

    let all_ok = validate
        .send_iter(&comment("fine"))
        .all(|result| result.is_ok());
    assert!(all_ok);
    assert_eq!(called(), 3);
}

#[test]
fn send_iter_folds() {
    let objections = validate
        .send_iter(&comment("this is far too long!!!"))
        .fold(0, |count, result| count + usize::from(result.is_err()));
    assert_eq!(objections, 2);
    called();
}

#[test]
fn send_from_includes_the_senders_receivers() {
    assert_eq!(validate.send_from(&Moderator, &comment("ok")), [Ok(()); 4]);
    assert_eq!(called(), 4);
    let calls = validate
        .send_from_iter(&Moderator, &comment(""))
        .take(1)
        .count();
    assert_eq!(calls, 1);
    assert_eq!(called(), 1);
}

#[signal]
pub fn score() -> u32;

#[test]
fn no_receivers_no_results() {
    assert!(score.send().is_empty());
    assert_eq!(score.send_iter().sum::<u32>(), 0);
}
