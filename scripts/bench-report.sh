#!/usr/bin/env bash
# Runs the peer benchmarks (benches/peers.rs, criterion), the rounds of
# benches/rounds.rs (medians of interleaved rounds, two threads started at a
# barrier), the Redis bridge end to end (benches/bridge.rs, which needs
# redis-server) and the allocation counts (benches/allocations.rs), then writes
# BENCHMARKS.md: nanoseconds per operation, ratios to the floors and to
# signals, the runtime's targets, allocations. Takes about ten minutes
# (plus a minute of callgrind, if valgrind is installed); `--report-only`
# rewrites the report from the last run's results.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--report-only" ]; then
    cargo bench --bench peers
    cargo bench --bench async_send
    cargo bench --bench bridge
    cargo bench --bench rounds 2>/dev/null > target/bench-rounds.tsv
fi
cargo bench --bench allocations 2>/dev/null > target/bench-allocations.tsv
python3 scripts/bench_report.py target/criterion target/bench-allocations.tsv \
    target/bench-rounds.tsv target/bench-bridge.tsv > BENCHMARKS.md
if command -v valgrind >/dev/null; then
    {
        echo "## Instructions per emit"
        echo
        echo "Counted by callgrind (\`scripts/instructions.sh\`): they do not scatter like times."
        echo "\`async_static\` is \`send(..).await\` to \`async fn\` receivers that are ready at"
        echo "once, on a no-op waker; \`async_by_hand\` the same functions awaited by hand."
        echo
        bash scripts/instructions.sh
        echo
    } >> BENCHMARKS.md
fi
echo "wrote BENCHMARKS.md"
