"""Joins criterion's results and the allocation counts into BENCHMARKS.md.

Usage: bench_report.py CRITERION_DIR ALLOCATIONS_TSV ROUNDS_TSV [BRIDGE_TSV] > BENCHMARKS.md
"""

import datetime
import json
import pathlib
import platform
import subprocess
import sys

SIGNALS_RUNTIME = "signals (runtime)"
SIGNALS_STATIC = "signals (static)"
FN_FLOOR = "floor: &[fn] loop"
BOX_FLOOR = "floor: Vec<Box<dyn Fn>>"
PEERS = ["signals2", "event-listener-primitives", "RwLock<Vec<Arc<dyn Fn>>>"]


def load_times(root):
    """{(group, function, parameter): median ns} from criterion's files."""
    times = {}
    for bench in pathlib.Path(root).glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        key = (meta["group_id"], meta["function_id"], meta.get("value_str") or "")
        times[key] = estimates["median"]["point_estimate"]
    return times


def load_allocations(path):
    allocations = {}
    for line in pathlib.Path(path).read_text().splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            group, function, parameter, count = parts
            allocations[(group, function, parameter)] = float(count)
    return allocations


def load_rounds(path):
    """{(table, case, receivers): [values]} from benches/rounds.rs."""
    rounds = {}
    for line in pathlib.Path(path).read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 4:
            values = [] if parts[0] == "strategy" else [float(value) for value in parts[3:]]
            rounds[(parts[0], parts[1], parts[2])] = values
    return rounds


def check(met):
    return "met" if met else "**missed**"


def ns(value):
    if value is None:
        return "–"
    return f"{value:.1f} ns" if value < 1000 else f"{value / 1000:.2f} µs"


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return ""
    return f" ({numerator / denominator:.2f}x)"


def allocs(value):
    if value is None:
        return "–"
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.2f}"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, {platform.system()}; {rustc}"


def main():
    times = load_times(sys.argv[1])
    allocations = load_allocations(sys.argv[2])
    rounds = load_rounds(sys.argv[3])
    t = lambda group, function, parameter: times.get((group, function, str(parameter)))
    a = lambda group, function, parameter: allocations.get((group, function, str(parameter)))
    out = []
    w = out.append
    w("# Benchmarks\n")
    w(f"Measured {datetime.date.today()} on {machine()}: a shared machine, so expect")
    w("timings to scatter between runs (instruction counts from `scripts/instructions.sh`")
    w("do not). Medians of criterion runs; written by `scripts/bench-report.sh`.\n")
    w("Every contender delivers a `u64` by value to receivers that read it.")
    w("In parentheses: for `signals`, its time over the floor (`&[fn]` loop for static")
    w("receivers, `Vec<Box<dyn Fn>>` for closures); for a peer, its time over")
    w("`signals (runtime)`, i.e. how many times slower it is.\n")

    counts = [1, 4, 16, 64]
    w("## Emit\n")
    w("| contender | " + " | ".join(f"{n} receiver{'s' if n > 1 else ''}" for n in counts) + " | allocations per emit |")
    w("|---|" + "---:|" * len(counts) + "---:|")
    rows = ["floor: direct calls", FN_FLOOR, BOX_FLOOR, "floor: unprotected snapshot", SIGNALS_STATIC, SIGNALS_RUNTIME] + PEERS
    for row in rows:
        cells = []
        for n in counts:
            value = t("emit", row, n)
            if row == SIGNALS_STATIC:
                cells.append(ns(value) + ratio(value, t("emit", FN_FLOOR, n)))
            elif row == SIGNALS_RUNTIME:
                cells.append(ns(value) + ratio(value, t("emit", BOX_FLOOR, n)))
            elif row in PEERS:
                cells.append(ns(value) + ratio(value, t("emit", SIGNALS_RUNTIME, n)))
            else:
                cells.append(ns(value))
        allocation = max((a("emit", row, n) or 0) for n in counts)
        w(f"| {row} | " + " | ".join(cells) + f" | {allocs(allocation)} |")
    w("")
    w("| special emit | time | floor | allocations |")
    w("|---|---:|---:|---:|")
    for function, parameter, floor_function in [
        ("signals (8 static + 8 runtime)", 16, None),
        ("signals send_from, 4 of 64 receivers", 4, "floor: &[fn] loop"),
        ("signals send_iter().sum()", 16, "floor: &[fn -> u64] sum"),
    ]:
        value = t("emit special", function, parameter)
        floor = t("emit special", floor_function, parameter) if floor_function else None
        w(f"| {function} ({parameter}) | {ns(value)}{ratio(value, floor)} | {ns(floor)} | {allocs(a('emit special', function, parameter))} |")
    w("")

    existing = [1, 16, 64, 256]
    timer = t("connect", "timer overhead", 0) or 0.0
    for group, title in [("connect", "Connect one receiver"), ("disconnect", "Disconnect one receiver")]:
        w(f"## {title}, with N receivers already connected\n")
        w(f"Each operation is timed on its own; the {timer:.1f} ns it takes to read the clock")
        w("around one operation is subtracted.\n")
        w("| contender | " + " | ".join(f"N = {n}" for n in existing) + " | allocations |")
        w("|---|" + "---:|" * len(existing) + "---:|")
        def timed(row, n):
            value = t(group, row, n)
            return None if value is None else max(value - timer, 0.0)

        for row in [SIGNALS_RUNTIME] + PEERS:
            cells = []
            for n in existing:
                value = timed(row, n)
                cells.append(ns(value) + ("" if row == SIGNALS_RUNTIME else ratio(value, timed(SIGNALS_RUNTIME, n))))
            counted = " / ".join(allocs(a(group, row, n)) for n in existing)
            w(f"| {row} | " + " | ".join(cells) + f" | {counted} |")
        w("")

    w("## Lifecycle\n")
    w("Construct and destruct a signal; *combined*: construct, connect 16, emit, disconnect")
    w("all, destruct, so that no design can hide its costs in deferred work.\n")
    w("| contender | construct + destruct | combined (16) | allocations, construct / combined |")
    w("|---|---:|---:|---:|")
    for row in [SIGNALS_RUNTIME] + PEERS:
        construct = t("lifecycle", f"construct: {row}", 0)
        combined = t("lifecycle", f"combined: {row}", 16)
        reference = row != SIGNALS_RUNTIME
        cells = [
            ns(construct) + (ratio(construct, t("lifecycle", f"construct: {SIGNALS_RUNTIME}", 0)) if reference else ""),
            ns(combined) + (ratio(combined, t("lifecycle", f"combined: {SIGNALS_RUNTIME}", 16)) if reference else ""),
        ]
        counted = f"{allocs(a('lifecycle', f'construct: {row}', 0))} / {allocs(a('lifecycle', f'combined: {row}', 16))}"
        w(f"| {row} | " + " | ".join(cells) + f" | {counted} |")
    w("")

    w("## Threads\n")
    w("From `benches/rounds.rs`: both threads start at a barrier and run for the same")
    w("20 ms window; each table cell is the median of the rounds, every case running")
    w("once per round in a rotated order. *2 threads emit*: ns per emit on one thread")
    w("while a second thread emits the same signal. *While connecting*: ns per emit")
    w("while a second thread connects and disconnects a receiver in a loop, and how")
    w("many of those pairs per second that thread got done: a design that starves")
    w("its writer would look fast to its sender.\n")
    w("| contender | 2 threads emit, 1 receiver | 2 threads emit, 16 | while connecting, 1: emit / writer pairs per s | while connecting, 16 |")
    w("|---|---:|---:|---:|---:|")
    def r(table, case, receivers, index=0):
        values = rounds.get((table, case, str(receivers)))
        return values[index] if values else None
    def rate(value):
        return "–" if value is None else (f"{value / 1e6:.2f} M" if value >= 1e6 else f"{value / 1e3:.0f} k")
    for row in [BOX_FLOOR, SIGNALS_RUNTIME] + PEERS:
        cells = []
        for n in [1, 16]:
            value = r("2 threads emit", row, n)
            if row in PEERS:
                cells.append(ns(value) + ratio(value, r("2 threads emit", SIGNALS_RUNTIME, n)))
            elif row == SIGNALS_RUNTIME:
                cells.append(ns(value) + ratio(value, r("2 threads emit", f"alone: {row}", n)))
            else:
                cells.append(ns(value) + ratio(value, r("emit", row, n)))
        for n in [1, 16]:
            value = r("emit while another thread connects", row, n)
            pairs = r("emit while another thread connects", row, n, 1)
            if row == BOX_FLOOR:
                cells.append("")
            else:
                cells.append(f"{ns(value)} / {rate(pairs)}")
        w(f"| {row} | " + " | ".join(cells) + " |")
    w("")
    w("In parentheses: for a peer, its time over `signals`; for `signals`, its time over")
    w("the same emit while the other thread only spins, in the same rounds; for the floor,")
    w("its time over the single-threaded emit table.\n")

    w("## Targets of the runtime core\n")
    w("Checked against `benches/rounds.rs` (medians of rounds, one run), in ns:\n")
    w("| target | measured | |")
    w("|---|---|---|")
    unprotected = r("emit", "floor: unprotected snapshot", 1)
    runtime_1 = r("emit", SIGNALS_RUNTIME, 1)
    signals2_1 = r("emit", "signals2", 1)
    runtime_16 = r("emit", SIGNALS_RUNTIME, 16)
    boxed_16 = r("emit", BOX_FLOOR, 16)
    both_1 = r("2 threads emit", SIGNALS_RUNTIME, 1)
    both_signals2_1 = r("2 threads emit", "signals2", 1)
    both_16 = r("2 threads emit", SIGNALS_RUNTIME, 16)
    alone_16 = r("2 threads emit", f"alone: {SIGNALS_RUNTIME}", 16)
    churn_1 = r("emit while another thread connects", SIGNALS_RUNTIME, 1)
    churn_rwlock_1 = r("emit while another thread connects", "RwLock<Vec<Arc<dyn Fn>>>", 1)
    churn_16 = r("emit while another thread connects", SIGNALS_RUNTIME, 16)
    churn_rwlock_16 = r("emit while another thread connects", "RwLock<Vec<Arc<dyn Fn>>>", 16)
    churn_pairs = min(r("emit while another thread connects", SIGNALS_RUNTIME, n, 1) or 0 for n in [1, 16])
    pair = r("connect + disconnect", SIGNALS_RUNTIME, 16)
    combined = r("combined", SIGNALS_RUNTIME, 16)
    combined_signals2 = r("combined", "signals2", 16)
    def row(target, measured, met):
        w(f"| {target} | {measured} | {check(met)} |")
    if None not in (unprotected, runtime_1, signals2_1, runtime_16, boxed_16, both_1, both_signals2_1, both_16, alone_16,
                    churn_1, churn_rwlock_1, churn_16, churn_rwlock_16, pair, combined, combined_signals2):
        row("1 runtime receiver: ≥ 2.2× faster than `signals2`",
            f"{runtime_1:.2f} against {signals2_1:.2f}: {signals2_1 / runtime_1:.1f}×", signals2_1 / runtime_1 >= 2.2)
        row("1 runtime receiver: ≤ 2.5× the unprotected floor",
            f"{runtime_1:.2f} against {unprotected:.2f}: {runtime_1 / unprotected:.2f}×", runtime_1 / unprotected <= 2.5)
        row("16 runtime receivers: ≤ 1.15× `Vec<Box<dyn Fn>>`",
            f"{runtime_16:.1f} against {boxed_16:.1f}: {runtime_16 / boxed_16:.2f}×", runtime_16 / boxed_16 <= 1.15)
        row("2 threads, 1 receiver: ≥ 20× faster than `signals2`",
            f"{both_1:.2f} against {both_signals2_1:.1f}: {both_signals2_1 / both_1:.0f}×", both_signals2_1 / both_1 >= 20)
        row("2 threads, 16 receivers: ≤ 1.2× one thread (the other thread spinning idle, same rounds)",
            f"{both_16:.1f} against {alone_16:.1f}: {both_16 / alone_16:.2f}×", both_16 / alone_16 <= 1.2)
        row("send while another thread connects: faster than the `RwLock` bus",
            f"1: {churn_1:.1f} against {churn_rwlock_1:.1f}; 16: {churn_16:.1f} against {churn_rwlock_16:.1f}",
            churn_1 < churn_rwlock_1 and churn_16 < churn_rwlock_16)
        row("connect + disconnect: ≤ 300 ns alone", f"{pair:.0f}", pair <= 300)
        row("connect + disconnect: ≥ 300 k pairs/s while another thread sends", f"{rate(churn_pairs)}", churn_pairs >= 300e3)
        row("combined (16): no slower than `signals2`", f"{combined:.0f} against {combined_signals2:.0f}", combined <= combined_signals2)
    w("")
    w("## Async sends\n")
    w("`send(..).await` of an async signal whose static `async fn` receivers are ready")
    w("at once, against the same functions awaited one after another by hand, both")
    w("polled on a no-op waker (`benches/async_send.rs`).\n")
    w("| contender | " + " | ".join(f"{n} receiver{'s' if n > 1 else ''}" for n in counts) + " |")
    w("|---|" + "---:|" * len(counts))
    for function in ["by_hand", "signals"]:
        w(f"| {function} | " + " | ".join(ns(t("async_send", function, n)) for n in counts) + " |")
    w("")
    hand_16, hand_64 = t("async_send", "by_hand", 16), t("async_send", "by_hand", 64)
    sent_16, sent_64 = t("async_send", "signals", 16), t("async_send", "signals", 64)
    if None not in (hand_16, hand_64, sent_16, sent_64):
        per_receiver = ((sent_64 - hand_64) - (sent_16 - hand_16)) / 48
        w("| target | measured | |")
        w("|---|---|---|")
        row("each further receiver: ≤ 5 ns over awaiting it by hand",
            f"{per_receiver:.2f} ns (from 16 to 64 receivers)", per_receiver <= 5)
        w("")
    bridge_section(w, t, pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None)
    strategy = [key[1] for key in rounds if key[0] == "strategy"]
    if strategy:
        w(f"Read side in this run: {strategy[0]}.\n")
    print("\n".join(out))


def bridge_section(w, t, latencies_path):
    """End to end over Redis Streams (benches/bridge.rs)."""
    round_size = 2000
    contenders = [
        ("signals_redis", "`signals-redis`: `Publisher` → `Subscriber`"),
        ("floor", "floor: `XADD` per entry, `XREADGROUP` + `XACK` per entry"),
        ("floor_pipelined", "floor, batched: 256 `XADD`s per round trip, one `XACK` per read"),
    ]
    rates = {name: round_size / (t("bridge", name, "") / 1e9) for name, _ in contenders if t("bridge", name, "")}
    if not rates:
        return
    latencies = {}
    if latencies_path and latencies_path.exists():
        for line in latencies_path.read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                latencies[parts[0]] = (parts[1], parts[2])
    w("## Redis bridge\n")
    w("End to end on loopback, one process with its own `redis-server` (no persistence):")
    w("rounds of 2,000 emissions of `[sent_at, 64-byte string]`, each round ending when")
    w("the last one is received (`benches/bridge.rs`). Latency: 1,000 emissions sent one")
    w("at a time, from the send to the receiver.\n")
    w("| contender | emissions/s | latency p50 | latency p99 |")
    w("|---|---:|---:|---:|")
    for name, label in contenders:
        if name in rates:
            p50, p99 = latencies.get(name, ("–", "–"))
            w(f"| {label} | {rates[name] / 1000:.1f} k | {p50} µs | {p99} µs |")
    w("")
    if "signals_redis" in rates and "floor" in rates:
        ratio = rates["signals_redis"] / rates["floor"]
        w("| target | measured | |")
        w("|---|---|---|")
        w(f"| throughput ≥ 0.8× the floor's | {ratio:.2f}× | {check(ratio >= 0.8)} |")
        if "floor_pipelined" in rates:
            w(f"| (for reference) against the batched floor | {rates['signals_redis'] / rates['floor_pipelined']:.2f}× | |")
        w("")


if __name__ == "__main__":
    main()
