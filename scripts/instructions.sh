#!/usr/bin/env bash
# Instructions per emit for each contender of benches/instructions.rs,
# counted by callgrind: repeatable on a noisy machine, unlike timings. Each
# case runs at N and 2N emits; the difference, divided by N, leaves out
# setup. Prints a markdown table: contenders by receivers.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench instructions --no-run 2>/dev/null
binary=$(ls -t target/release/deps/instructions-* | grep -v '\.d$' | head -n 1)
n=${N:-20000}
contenders=${*:-fn_slice static static_counted boxed_dyn unprotected runtime runtime_counted signals2 event_listener_primitives rwlock async_by_hand async_static}
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| instructions per emit | 1 receiver | 4 | 16 | 64 |\n|---|---:|---:|---:|---:|\n'
for contender in $contenders; do
    row="| $contender |"
    for receivers in 1 4 16 64; do
        one=$(count "$contender/$receivers" "$n")
        two=$(count "$contender/$receivers" $((2 * n)))
        row="$row $(python3 -c "print(f'{($two - $one) / $n:.0f}')") |"
    done
    echo "$row"
done
