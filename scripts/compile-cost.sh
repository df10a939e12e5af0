#!/usr/bin/env bash
# What the macros cost to compile: generates the same program twice, 100
# signals and 1,000 receivers (10 a signal, each sent once), once with
# `#[signal]` and `#[receiver]`, once written by hand with `inventory` (a
# registry per signal, a submit per receiver, sorted once, then a loop over
# `fn` pointers), and prints the CPU seconds of a debug rebuild of each
# final crate (its dependencies already built) and their ratio.
#
#   scripts/compile-cost.sh [SIGNALS] [RECEIVERS_PER_SIGNAL]
#
# Not a pass/fail check: the figure goes to the README.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
signals=${1:-100}
per_signal=${2:-10}
out="$root/target/compile-cost"
rm -rf "$out"
mkdir -p "$out/macros/src" "$out/inventory/src"
inventory_version=$(sed -n 's/^inventory = "\(.*\)"$/\1/p' Cargo.toml)

# A package of its own workspace, so that ours does not take it in.
manifest() {
    cat > "$out/$1/Cargo.toml" <<TOML
[package]
name = "cost-$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$2

[workspace]
TOML
}
manifest macros "signals = { path = \"$root/signals\" }"
manifest inventory "inventory = \"$inventory_version\""

python3 - "$out" "$signals" "$per_signal" <<'PY'
import sys
out, signals, per_signal = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

macros = ["use signals::{receiver, signal};", "", "pub struct Item { pub id: u64 }", ""]
for s in range(signals):
    macros.append(f"#[signal]\npub fn signal_{s}(item: &Item);")
    for r in range(per_signal):
        macros.append(
            f"#[receiver(signal = signal_{s}, priority = {r % 3})]\n"
            f"fn receiver_{s}_{r}(item: &Item) {{ std::hint::black_box(item.id + {r}); }}"
        )
macros.append("fn main() {\n    let item = Item { id: 1 };")
for s in range(signals):
    macros.append(f"    signal_{s}.send(&item);")
macros.append("}")
open(f"{out}/macros/src/main.rs", "w").write("\n".join(macros) + "\n")

hand = [
    "use std::sync::OnceLock;",
    "",
    "pub struct Item { pub id: u64 }",
    "",
    "/// One registration: a receiver, its priority and its path.",
    "pub struct Receiver { pub function: fn(&Item), pub priority: i32, pub path: &'static str }",
    "",
    "fn sorted(receivers: impl Iterator<Item = &'static Receiver>) -> Vec<fn(&Item)> {",
    "    let mut receivers: Vec<&Receiver> = receivers.collect();",
    "    receivers.sort_by(|a, b| b.priority.cmp(&a.priority).then(a.path.cmp(b.path)));",
    "    receivers.into_iter().map(|receiver| receiver.function).collect()",
    "}",
    "",
]
for s in range(signals):
    hand.append(f"pub struct Registry{s}(pub Receiver);")
    hand.append(f"inventory::collect!(Registry{s});")
    hand.append(
        f"pub fn send_{s}(item: &Item) {{\n"
        f"    static TABLE: OnceLock<Vec<fn(&Item)>> = OnceLock::new();\n"
        f"    for receiver in TABLE.get_or_init(|| sorted(inventory::iter::<Registry{s}>.into_iter().map(|r| &r.0))) {{\n"
        f"        receiver(item);\n"
        f"    }}\n"
        f"}}"
    )
    for r in range(per_signal):
        hand.append(f"fn receiver_{s}_{r}(item: &Item) {{ std::hint::black_box(item.id + {r}); }}")
        hand.append(
            f"inventory::submit! {{ Registry{s}(Receiver {{ function: receiver_{s}_{r}, "
            f"priority: {r % 3}, path: \"receiver_{s}_{r}\" }}) }}"
        )
hand.append("fn main() {\n    let item = Item { id: 1 };")
for s in range(signals):
    hand.append(f"    send_{s}(&item);")
hand.append("}")
open(f"{out}/inventory/src/main.rs", "w").write("\n".join(hand) + "\n")
PY

# CPU seconds (user + system) of rebuilding the final crate alone.
rebuild() {
    local dir=$1
    (cd "$dir" && cargo build -q 2>/dev/null)
    touch "$dir/src/main.rs"
    /usr/bin/time -o "$dir/time" -f "%U %S" cargo build -q --manifest-path "$dir/Cargo.toml" >/dev/null 2>&1
    python3 -c "import sys; u, s = map(float, sys.argv[1:3]); print(f'{u + s:.2f}')" $(cat "$dir/time")
}

if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time (Debian package 'time'): apt-get install time" >&2
    exit 1
fi
macros=$(rebuild "$out/macros")
hand=$(rebuild "$out/inventory")
echo "debug rebuild of the final crate, $signals signals and $((signals * per_signal)) receivers (CPU seconds):"
echo "  with #[signal] and #[receiver]: $macros"
echo "  by hand with inventory:         $hand"
python3 -c "import sys; print(f'  ratio: {float(sys.argv[1]) / float(sys.argv[2]):.2f}x')" "$macros" "$hand"
