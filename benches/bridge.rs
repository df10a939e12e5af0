//! End to end over Redis Streams on loopback: emissions per second and
//! the latency from send to receiver, for `signals-redis` (a `Publisher`
//! and a `Subscriber` in one consumer group) next to the floor, a plain
//! loop written with the `redis` crate: `XADD` per entry on one
//! connection, `XREADGROUP COUNT 64` + `XACK` per entry on another.
//! Target: at least 0.8× the floor's throughput. A second floor batches
//! as `signals-redis` does (256 `XADD`s per round trip, one `XACK` per
//! read): what the same technique gives by hand.
//!
//! Each contender sends rounds of 2,000 emissions of the same payload,
//! `[sent_at, "…64 bytes…"]`, and a round ends when the last one is
//! received; criterion times the rounds. A last pass measures the
//! latency of 1,000 emissions each, sent one at a time (each received
//! before the next is sent), and writes the medians and 99th percentiles
//! to `target/bench-bridge.tsv` for `scripts/bench_report.py`.
//!
//! The bench starts its own `redis-server` on a free loopback port,
//! without persistence. Run with `cargo bench --bench bridge`.

use std::fmt::Write as _;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, Throughput};
use signals::signal;
use signals_redis::{Publisher, StartFrom, Subscriber, remote};

const ROUND: usize = 2_000;
const BODY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[signal(bridge)]
pub fn tick(sent_at: u64, body: &str);

fn now_micros() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_micros(),
    )
    .unwrap()
}

/// What a receiver saw: how many arrived, and each one's latency.
#[derive(Default)]
struct Arrivals {
    count: AtomicUsize,
    latencies: Mutex<Vec<u64>>,
}

impl Arrivals {
    fn arrived(&self, sent_at: u64) {
        self.latencies
            .lock()
            .unwrap()
            .push(now_micros().saturating_sub(sent_at));
        self.count.fetch_add(1, Ordering::Release);
    }

    fn wait_for(&self, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        // Polled with short sleeps, not spun: on two cores, a spinning
        // waiter would take a core from the threads it waits for.
        while self.count.load(Ordering::Acquire) < count {
            assert!(Instant::now() < deadline, "a round did not arrive");
            std::thread::sleep(Duration::from_micros(20));
        }
    }

    fn reset(&self) {
        self.count.store(0, Ordering::Release);
        self.latencies.lock().unwrap().clear();
    }
}

/// One contender: sends a round, and waits for it to arrive.
trait Contender {
    /// Sends `count` emissions, then waits for them all.
    fn burst(&mut self, arrivals: &Arrivals, count: usize);

    fn round(&mut self, arrivals: &Arrivals) {
        self.burst(arrivals, ROUND);
    }
}

struct Bridge {
    _publisher: Publisher,
    _subscriber: Subscriber,
}

impl Bridge {
    fn new(url: &str, arrivals: &Arc<Arrivals>) -> Self {
        let publisher = Publisher::builder(url).build().unwrap();
        publisher.publish(tick).unwrap();
        let subscriber = Subscriber::builder(url, "bench")
            .start_from(StartFrom::New)
            .subscribe(tick)
            .start()
            .unwrap();
        let arrivals = arrivals.clone();
        tick.connect(move |sent_at, _| {
            if remote().is_some() {
                arrivals.arrived(sent_at);
            }
        });
        Self {
            _publisher: publisher,
            _subscriber: subscriber,
        }
    }
}

impl Contender for Bridge {
    fn burst(&mut self, arrivals: &Arrivals, count: usize) {
        let before = arrivals.count.load(Ordering::Acquire);
        for _ in 0..count {
            tick.send(now_micros(), BODY);
        }
        arrivals.wait_for(before + count);
    }
}

/// The floor: a reader thread with `XREADGROUP COUNT 64`, and a writer.
/// Plain: one `XADD` per round trip, one `XACK` per entry. Pipelined: the
/// same batching as `signals-redis`, 256 `XADD`s per round trip and one
/// `XACK` per read.
struct Floor {
    connection: redis::Connection,
    stream: &'static str,
    pipelined: bool,
}

impl Floor {
    fn new(url: &str, arrivals: &Arc<Arrivals>, pipelined: bool) -> Self {
        let stream = if pipelined {
            "floor-pipelined"
        } else {
            "floor"
        };
        let client = redis::Client::open(url).unwrap();
        let mut connection = client.get_connection().unwrap();
        redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(stream)
            .arg("bench")
            .arg("$")
            .arg("MKSTREAM")
            .query::<()>(&mut connection)
            .unwrap();
        let mut reader = client.get_connection().unwrap();
        let arrivals = arrivals.clone();
        std::thread::spawn(move || {
            loop {
                let reply: Option<redis::streams::StreamReadReply> = match redis::cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg("bench")
                    .arg("reader")
                    .arg("COUNT")
                    .arg(64)
                    .arg("BLOCK")
                    .arg(100)
                    .arg("STREAMS")
                    .arg(stream)
                    .arg(">")
                    .query(&mut reader)
                {
                    Ok(reply) => reply,
                    // The server stopped: the bench is over.
                    Err(_) => return,
                };
                let mut read = Vec::new();
                for entry in reply
                    .into_iter()
                    .flat_map(|reply| reply.keys)
                    .flat_map(|key| key.ids)
                {
                    let payload: String = entry.get("p").unwrap();
                    let (sent_at, _body): (u64, String) = serde_json::from_str(&payload).unwrap();
                    if pipelined {
                        read.push((entry.id, sent_at));
                        continue;
                    }
                    redis::cmd("XACK")
                        .arg(stream)
                        .arg("bench")
                        .arg(&entry.id)
                        .query::<()>(&mut reader)
                        .unwrap();
                    arrivals.arrived(sent_at);
                }
                if !read.is_empty() {
                    let ids: Vec<&String> = read.iter().map(|(id, _)| id).collect();
                    redis::cmd("XACK")
                        .arg(stream)
                        .arg("bench")
                        .arg(ids)
                        .query::<()>(&mut reader)
                        .unwrap();
                    for (_, sent_at) in read {
                        arrivals.arrived(sent_at);
                    }
                }
            }
        });
        Self {
            connection,
            stream,
            pipelined,
        }
    }
}

impl Contender for Floor {
    fn burst(&mut self, arrivals: &Arrivals, count: usize) {
        let before = arrivals.count.load(Ordering::Acquire);
        let per_trip = if self.pipelined { 256 } else { 1 };
        let mut left = count;
        while left > 0 {
            let trip = left.min(per_trip);
            let mut pipeline = redis::pipe();
            for _ in 0..trip {
                let payload = serde_json::to_string(&(now_micros(), BODY)).unwrap();
                pipeline
                    .cmd("XADD")
                    .arg(self.stream)
                    .arg("*")
                    .arg("p")
                    .arg(payload);
            }
            pipeline.query::<()>(&mut self.connection).unwrap();
            left -= trip;
        }
        arrivals.wait_for(before + count);
    }
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Option<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .ok()?
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        let server = Self { child, port };
        let client = redis::Client::open(server.url()).ok()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while client.get_connection().is_err() {
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(server)
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percentile(sorted: &[u64], fraction: f64) -> u64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let at = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[at]
}

fn main() {
    let Some(server) = Server::start() else {
        eprintln!(
            "\n!!! benches/bridge.rs needs redis-server: install it with `apt-get install redis-server`\n"
        );
        return;
    };
    let url = server.url();
    let arrivals = Arc::new(Arrivals::default());
    let mut contenders: Vec<(&str, Box<dyn Contender>)> = vec![
        ("floor", Box::new(Floor::new(&url, &arrivals, false))),
        (
            "floor_pipelined",
            Box::new(Floor::new(&url, &arrivals, true)),
        ),
        ("signals_redis", Box::new(Bridge::new(&url, &arrivals))),
    ];

    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    let mut group = criterion.benchmark_group("bridge");
    group.throughput(Throughput::Elements(ROUND as u64));
    for (name, contender) in &mut contenders {
        group.bench_function(*name, |b| {
            b.iter_custom(|rounds| {
                let start = Instant::now();
                for _ in 0..rounds {
                    arrivals.reset();
                    contender.round(&arrivals);
                }
                start.elapsed()
            });
        });
    }
    group.finish();
    criterion.final_summary();

    // Latencies, unloaded: one emission at a time, each received before
    // the next is sent; 1,000 per contender, alternating by hundreds.
    let mut latencies: Vec<(&str, Vec<u64>)> = contenders
        .iter()
        .map(|(name, _)| (*name, Vec::new()))
        .collect();
    for _ in 0..10 {
        for ((_, contender), (_, all)) in contenders.iter_mut().zip(&mut latencies) {
            arrivals.reset();
            for _ in 0..100 {
                contender.burst(&arrivals, 1);
            }
            all.extend(arrivals.latencies.lock().unwrap().iter());
        }
    }
    let mut tsv = String::new();
    for (name, mut all) in latencies {
        all.sort_unstable();
        let (p50, p99) = (percentile(&all, 0.5), percentile(&all, 0.99));
        println!(
            "{name}: latency p50 {p50} µs, p99 {p99} µs over {} emissions",
            all.len()
        );
        let _ = writeln!(tsv, "{name}\t{p50}\t{p99}");
    }
    let _ = std::fs::create_dir_all("target");
    std::fs::write("target/bench-bridge.tsv", tsv).expect("target/bench-bridge.tsv is writable");
}
