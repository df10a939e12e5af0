//! Signals across processes, the way the Open Event server pairs its
//! Blinker signals with Celery: a web process sends `order_paid`, and the
//! billing service's two worker processes share its sends through one
//! consumer group on Redis Streams.
//!
//! The example starts its own `redis-server` on a free loopback port (or
//! uses `REDIS_URL` if set), re-runs itself as the two workers, publishes
//! 24 orders, and shows:
//! - the load spread over the two workers;
//! - order 13, whose card is always declined: retried on the workers
//!   until its third delivery fails, then moved to the dead-letter stream
//!   with the reason.
//!
//! Run with `cargo run --example bridge` (needs `redis-server`:
//! `apt-get install redis-server`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use signals::{receiver, signal};
use signals_redis::{Publisher, StartFrom, Subscriber, remote};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Order {
    pub id: u64,
    pub cents: u64,
}

/// Sent by the web process when an order is paid.
#[signal(bridge)]
pub fn order_paid(order: &Order) -> Result<(), String>;

/// Billing's receiver: it runs in the worker processes. Card 13 is
/// always declined.
#[receiver(signal = order_paid)]
fn charge(order: &Order) -> Result<(), String> {
    let Some(remote) = remote() else {
        // The web process's own send: billing is done by the workers.
        return Ok(());
    };
    let worker = std::env::var("BRIDGE_WORKER").unwrap_or_default();
    if order.id == 13 {
        println!(
            "{worker}: order 13 declined (delivery {})",
            remote.deliveries
        );
        return Err("card declined".to_owned());
    }
    println!(
        "{worker}: charged order {} ({} cents)",
        order.id, order.cents
    );
    Ok(())
}

const GROUP: &str = "billing";
const STREAM: &str = "signals:bridge::order_paid";

fn main() -> ExitCode {
    if let Ok(worker) = std::env::var("BRIDGE_WORKER") {
        return run_worker(&worker);
    }
    match run_web() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bridge example: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A worker process: a consumer of `billing` until its standard input
/// closes.
fn run_worker(worker: &str) -> ExitCode {
    let url = std::env::var("REDIS_URL").unwrap_or_default();
    let subscriber = Subscriber::builder(&url, GROUP)
        .consumer(worker)
        .batch(1)
        .max_deliveries(3)
        .min_idle(Duration::from_millis(300))
        .start_from(StartFrom::Beginning)
        .on_error(|error| println!("{error}"))
        .subscribe(order_paid)
        .start();
    let subscriber = match subscriber {
        Ok(subscriber) => subscriber,
        Err(error) => {
            eprintln!("{worker}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("{worker}: ready");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    subscriber.stop();
    ExitCode::SUCCESS
}

fn run_web() -> Result<(), Box<dyn std::error::Error>> {
    let server = match std::env::var("REDIS_URL") {
        Ok(url) => RedisServer::External(url),
        Err(_) => RedisServer::start()?,
    };
    let url = server.url();
    let mut redis = redis::Client::open(url.as_str())?.get_connection()?;
    let _: redis::RedisResult<()> = redis::cmd("DEL")
        .arg(STREAM)
        .arg(format!("{STREAM}:dead"))
        .query(&mut redis);

    // The two workers, whose lines are tallied as they arrive.
    let handled = Arc::new(Mutex::new(BTreeMap::<String, Vec<u64>>::new()));
    let workers = ["worker-1", "worker-2"]
        .into_iter()
        .map(|name| spawn_worker(name, &url, &handled))
        .collect::<Result<Vec<_>, _>>()?;

    // The web process: every send of `order_paid` is published.
    let publisher = Publisher::builder(&url).source("web").build()?;
    publisher.publish(order_paid)?;
    println!("web: 24 orders paid");
    for id in 1..=24 {
        for failure in order_paid.send_robust(&Order {
            id,
            cents: id * 100,
        }) {
            failure?;
        }
    }
    publisher.flush(Duration::from_secs(10))?;

    settle(&mut redis)?;
    for (mut child, reader) in workers {
        drop(child.stdin.take());
        child.wait()?;
        let _ = reader.join();
    }

    println!("\nThe load, spread over one consumer group:");
    let handled = handled.lock().unwrap();
    for (worker, orders) in handled.iter() {
        println!("  {worker} charged {} orders: {orders:?}", orders.len());
    }
    let charged: usize = handled.values().map(Vec::len).sum();
    let dead: redis::streams::StreamRangeReply = redis::cmd("XRANGE")
        .arg(format!("{STREAM}:dead"))
        .arg("-")
        .arg("+")
        .query(&mut redis)?;
    let field = |name: &str| -> String { dead.ids[0].get::<String>(name).unwrap_or_default() };
    println!("\nThe dead-letter stream `{STREAM}:dead`:");
    println!("  payload {}", field("p"));
    println!(
        "  after {} deliveries, last by {}",
        field("deliveries"),
        field("consumer")
    );
    println!("  reason: {}", field("reason"));
    if charged != 23 || handled.len() != 2 {
        return Err(format!("expected 23 orders charged by two workers, got {charged}").into());
    }
    Ok(())
}

/// Starts a worker process, and a thread that prints its lines and
/// tallies the orders it charged; returns once the worker is ready.
fn spawn_worker(
    name: &str,
    url: &str,
    handled: &Arc<Mutex<BTreeMap<String, Vec<u64>>>>,
) -> Result<(Child, std::thread::JoinHandle<()>), Box<dyn std::error::Error>> {
    let mut child = Command::new(std::env::current_exe()?)
        .env("BRIDGE_WORKER", name)
        .env("REDIS_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let lines = BufReader::new(child.stdout.take().ok_or("no worker output")?).lines();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let handled = handled.clone();
    let name = name.to_owned();
    let reader = std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            println!("  {line}");
            if line.ends_with("ready") {
                let _ = ready_tx.send(());
            }
            if let Some(id) = line.split("charged order ").nth(1) {
                let id: Option<u64> = id.split(' ').next().and_then(|id| id.parse().ok());
                handled
                    .lock()
                    .unwrap()
                    .entry(name.clone())
                    .or_default()
                    .extend(id);
            }
        }
    });
    ready_rx.recv_timeout(Duration::from_secs(10))?;
    Ok((child, reader))
}

/// Waits until the group has nothing pending and order 13 is
/// dead-lettered.
fn settle(redis: &mut redis::Connection) -> Result<(), Box<dyn std::error::Error>> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pending: redis::streams::StreamPendingReply =
            redis::cmd("XPENDING").arg(STREAM).arg(GROUP).query(redis)?;
        let dead: usize = redis::cmd("XLEN")
            .arg(format!("{STREAM}:dead"))
            .query(redis)?;
        if pending.count() == 0 && dead == 1 {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("still {} pending, {dead} dead-lettered", pending.count()).into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The Redis the example talks to: its own, stopped by process id when
/// the example ends, or one given by `REDIS_URL`.
enum RedisServer {
    Own {
        child: Child,
        port: u16,
        dir: std::path::PathBuf,
    },
    External(String),
}

impl RedisServer {
    fn start() -> Result<Self, Box<dyn std::error::Error>> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = std::env::temp_dir().join(format!("signals-bridge-example-{port}"));
        std::fs::create_dir_all(&dir)?;
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", "yes"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| {
                format!("cannot start redis-server ({error}): install it with `apt-get install redis-server`, or set REDIS_URL")
            })?;
        let server = Self::Own { child, port, dir };
        let client = redis::Client::open(server.url())?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while client.get_connection().is_err() {
            if Instant::now() > deadline {
                return Err("redis-server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        println!("redis-server started on port {port}");
        Ok(server)
    }

    fn url(&self) -> String {
        match self {
            Self::Own { port, .. } => format!("redis://127.0.0.1:{port}"),
            Self::External(url) => url.clone(),
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Self::Own { child, dir, .. } = self {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
