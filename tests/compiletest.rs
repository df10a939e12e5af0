//! Every misuse of the macros is one spanned error; the expected messages
//! live next to each case in `tests/ui/*.stderr`. The snapshots are rustc
//! 1.95's messages: after a toolchain bump, refresh them with
//! `TRYBUILD=overwrite cargo test --test compiletest` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
