//! Sends a chosen case N times, for `scripts/instructions.sh`, which runs
//! this under callgrind at two values of N and divides the difference in
//! instructions by the difference in sends: instructions per send, which
//! stay put on a noisy machine where timings scatter.
//!
//! `cargo bench --bench instructions -- CASE N`; without arguments it lists
//! the cases (so that `cargo bench` runs it harmlessly).

use std::hint::black_box;

use signals::{Connection, receiver, signal};

pub struct Message {
    pub value: u64,
}

#[signal]
pub type Emit = fn(message: &Message);

macro_rules! static_signal {
    ($signal:ident, $floor:ident: $($receiver:ident)*) => {
        #[signal]
        pub fn $signal(message: &Message);
        $(
            #[receiver(signal = $signal)]
            fn $receiver(message: &Message) {
                black_box(message.value);
            }
        )*
        const $floor: &[fn(&Message)] = &[$($receiver),*];
    };
}

static_signal!(static_one, ONE: s1_0);
static_signal!(emptied_four, EMPTIED: e4_0 e4_1 e4_2 e4_3);
static_signal!(static_four, FOUR: s4_0 s4_1 s4_2 s4_3);
static_signal!(
    static_sixteen, SIXTEEN: s16_0 s16_1 s16_2 s16_3 s16_4 s16_5 s16_6 s16_7
    s16_8 s16_9 s16_10 s16_11 s16_12 s16_13 s16_14 s16_15
);

type BoxedReceiver = Box<dyn Fn(&Message) + Send + Sync>;

const CASES: &[&str] = &[
    "fn_slice/1",
    "fn_slice/4",
    "fn_slice/16",
    "static/1",
    "static/4",
    "static/16",
    "boxed_dyn/1",
    "boxed_dyn/4",
    "boxed_dyn/16",
    "runtime/1",
    "runtime/4",
    "runtime/16",
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let (Some(case), Some(count)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        println!("usage: instructions CASE N; cases: {}", CASES.join(" "));
        return;
    };
    let (kind, receivers) = case.split_once('/').unwrap_or((case, "1"));
    let receivers: usize = receivers.parse().unwrap_or(1);
    let message = Message { value: 42 };
    match kind {
        "fn_slice" => {
            let floor = match receivers {
                1 => ONE,
                4 => FOUR,
                _ => SIXTEEN,
            };
            for _ in 0..count {
                for receiver in black_box(floor) {
                    receiver(black_box(&message));
                }
            }
        }
        "static" => {
            for _ in 0..count {
                match receivers {
                    1 => static_one.send(black_box(&message)),
                    4 => static_four.send(black_box(&message)),
                    _ => static_sixteen.send(black_box(&message)),
                }
            }
        }
        "boxed_dyn" => {
            let floor: Vec<BoxedReceiver> = (0..receivers)
                .map(|index| -> BoxedReceiver {
                    Box::new(move |message| {
                        black_box((index, message.value));
                    })
                })
                .collect();
            for _ in 0..count {
                for receiver in black_box(&floor) {
                    receiver(black_box(&message));
                }
            }
        }
        "runtime" => {
            let signal = Emit::new();
            let _connections: Vec<Connection> = (0..receivers)
                .map(|index| {
                    signal.connect(move |message| {
                        black_box((index, message.value));
                    })
                })
                .collect();
            for _ in 0..count {
                signal.send(black_box(&message));
            }
        }
        "static_after_disconnect" => {
            // The connection list exists but is empty: the fast path's
            // second load.
            emptied_four
                .connect(|message| {
                    black_box(message.value);
                })
                .disconnect();
            let _ = EMPTIED;
            for _ in 0..count {
                emptied_four.send(black_box(&message));
            }
        }
        _ => println!("unknown case {case}; cases: {}", CASES.join(" ")),
    }
}
