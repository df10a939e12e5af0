//! Every misuse of the macros is one spanned error; the expected messages
//! live next to each case in `tests/ui/*.stderr`.
//!
//! The snapshots are rustc 1.95's messages, and rustc words its messages
//! differently from one release to the next, so they run on 1.95 only and
//! are skipped, with a message saying so, on any other toolchain. After a
//! toolchain bump, refresh them with
//! `TRYBUILD=overwrite cargo test --test compiletest`, review the diff, and
//! move the version below.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the UI snapshots are rustc 1.95's messages: run them with `cargo +1.95.0 test --test compiletest`"
)]
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
