#!/usr/bin/env bash
# The loom model of the connection list (signals/tests/loom.rs): every
# interleaving of connects, disconnects and sends on a few threads, with
# the reader slots and their reclamation (signals/src/reader.rs) modelled
# too. LOOM_MAX_PREEMPTIONS bounds the
# search; 3 explores every schedule with up to three forced thread switches
# (unbounded takes many minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg loom"
export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
exec cargo test -p signals --test loom --release --target-dir target/loom "$@"
