//! Every misuse of the macros is one spanned error; the expected messages
//! live next to each case in `tests/ui/*.stderr`. The snapshots are pinned
//! to the toolchain in `rust-toolchain.toml`: refresh them with
//! `TRYBUILD=overwrite cargo test --test compiletest` after a toolchain bump.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
