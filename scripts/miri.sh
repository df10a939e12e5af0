#!/usr/bin/env bash
# Runs the tests that exercise the crate's `unsafe` code (the reader slots
# of signals/src/reader.rs, the snapshot reads of signals/src/list.rs, and
# the in-place futures of signals/src/async_slot.rs)
# under miri, which takes the same code path as every target: reader slots
# with sequentially consistent stores, no process-wide barrier.
# Needs a nightly toolchain with the miri component:
#   rustup toolchain install nightly --component miri rust-src
set -euo pipefail
cd "$(dirname "$0")/.."
# Leaks are expected at exit: the connection lists of `#[signal]` statics,
# and the reader slots, which are never freed (threads reuse them).
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-ignore-leaks}"
exec cargo +nightly miri test --target-dir target/miri \
    --test test_connect --test test_connect_kinds --test test_reentrancy \
    --test test_prompt_drop --test test_any_sender --test test_pointer_senders --test test_async_slot "$@"
