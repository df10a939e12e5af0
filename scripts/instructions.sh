#!/usr/bin/env bash
# Instructions per send for each case of benches/instructions.rs, counted
# by callgrind: repeatable on a noisy machine, unlike timings. Each case
# runs at N and 2N sends; the difference, divided by N, leaves out setup.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench instructions --no-run 2>/dev/null
binary=$(ls -t target/release/deps/instructions-* | grep -v '\.d$' | head -n 1)
n=${N:-20000}
cases=${*:-fn_slice/1 static/1 boxed_dyn/1 runtime/1 fn_slice/4 static/4 boxed_dyn/4 runtime/4 fn_slice/16 static/16 boxed_dyn/16 runtime/16}
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| case | instructions per send |\n|---|---:|\n'
for case in $cases; do
    one=$(count "$case" "$n")
    two=$(count "$case" $((2 * n)))
    printf '| %s | %s |\n' "$case" "$(python3 -c "print(f'{($two - $one) / $n:.1f}')")"
done
