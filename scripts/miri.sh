#!/usr/bin/env bash
# Runs the tests that exercise the crate's `unsafe` code (the epoch-protected
# reads of the connection list, in signals/src/connections.rs) under miri.
# Needs a nightly toolchain with the miri component:
#   rustup toolchain install nightly --component miri rust-src
set -euo pipefail
cd "$(dirname "$0")/.."
# crossbeam-epoch tags pointers through integers (permissive provenance),
# and its own internals are checked under Tree Borrows, not Stacked Borrows.
# Leaks are expected at exit: the connection lists of `#[signal]` statics,
# and garbage the global epoch collector has not reclaimed yet, live until
# the process ends.
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-tree-borrows -Zmiri-ignore-leaks}"
exec cargo +nightly miri test --target-dir target/miri \
    --test test_connect --test test_connect_kinds --test test_reentrancy "$@"
