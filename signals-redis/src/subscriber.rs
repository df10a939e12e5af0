//! Subscribing: a consumer in a group reads the entries of its signals'
//! streams, sends each to the local receivers, and acknowledges it only
//! once they all succeeded.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use redis::streams::StreamPendingCountReply;
use serde::de::DeserializeOwned;
use signals::Bridge;

use crate::envelope::{self, Incoming};
use crate::remote::{self, Remote};
use crate::settings::{self, Backoff, ErrorHook};
use crate::{BridgeError, RedisUrl};

/// Where a new group starts reading a stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartFrom {
    /// Every entry the stream still holds (`0`): the default, so that
    /// what was sent before the group's first start is not lost.
    #[default]
    Beginning,
    /// Only entries added after the group is made (`$`).
    New,
}

/// A [`Subscriber`]'s counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscriberStats {
    /// Deliveries to the local receivers, retries included.
    pub delivered: u64,
    /// Entries acknowledged after their receivers succeeded.
    pub acknowledged: u64,
    /// Deliveries in which a receiver failed.
    pub failed: u64,
    /// Entries taken over from a consumer that held them too long,
    /// this one included.
    pub reclaimed: u64,
    /// Entries moved to the dead-letter stream.
    pub dead_lettered: u64,
}

/// A consumer of a group, delivering the entries of other processes'
/// sends to this process's receivers. See the [crate docs](crate) for
/// what it guarantees.
///
/// ```no_run
/// use signals::signal;
/// use signals_redis::Subscriber;
///
/// #[signal(bridge)]
/// pub fn order_paid(order_id: u64);
///
/// let subscriber = Subscriber::builder("redis://127.0.0.1:6379", "billing")
///     .subscribe(order_paid)
///     .start()?;
/// // .. this process's receivers of `order_paid` now get the sends of others ..
/// subscriber.stop();
/// # Ok::<(), signals_redis::BridgeError>(())
/// ```
pub struct Subscriber {
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
    consumer: String,
    thread: Option<JoinHandle<()>>,
}

/// Settings of a [`Subscriber`], from [`Subscriber::builder`].
pub struct SubscriberBuilder {
    url: String,
    root_certificate: Option<Vec<u8>>,
    group: String,
    consumer: Option<String>,
    prefix: String,
    max_deliveries: u64,
    min_idle: Duration,
    claim_every: Option<Duration>,
    batch: usize,
    block: Duration,
    max_payload: usize,
    start_from: StartFrom,
    on_error: ErrorHook,
    signals: Vec<Subscription>,
    duplicate: Option<String>,
}

struct Subscription {
    path: String,
    signature: String,
    deliver: Deliver,
}

/// Decodes a payload and sends it to the local receivers: the failures,
/// or why it could not be decoded.
type Deliver = Box<dyn Fn(Remote, &[u8]) -> Result<Vec<String>, String> + Send>;

impl SubscriberBuilder {
    /// Delivers the entries of `signal`'s stream to its local receivers.
    #[must_use]
    pub fn subscribe<S>(mut self, signal: S) -> Self
    where
        S: Bridge,
        S::Owned: DeserializeOwned,
    {
        let path = envelope::path::<S>();
        if self.signals.iter().any(|known| known.path == path) {
            self.duplicate.get_or_insert(path);
            return self;
        }
        self.signals.push(Subscription {
            path,
            signature: envelope::signature::<S>(),
            deliver: Box::new(move |remote, payload| {
                let arguments: S::Owned = serde_json::from_slice(payload)
                    .map_err(|error| format!("cannot decode the payload: {error}"))?;
                Ok(remote::delivering::<S, _>(remote, || {
                    signal.deliver(arguments)
                }))
            }),
        });
        self
    }

    /// This consumer's name in the group; the program's name, pid and a
    /// number by default. A consumer restarted with its old name takes
    /// back what it held, once idle for [`min_idle`](Self::min_idle).
    #[must_use]
    pub fn consumer(mut self, name: impl Into<String>) -> Self {
        self.consumer = Some(name.into());
        self
    }

    /// Trusts the certificate authority `pem` for a `rediss://` URL,
    /// instead of the platform's roots: see
    /// [`RedisUrl::with_root_certificate`]. With the `tls` feature.
    #[cfg(feature = "tls")]
    #[must_use]
    pub fn tls_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificate = Some(pem.into());
        self
    }

    /// What stream names start with; `signals:` by default, as for
    /// [`PublisherBuilder::prefix`](crate::PublisherBuilder::prefix).
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// After this many deliveries without success, an entry goes to the
    /// dead-letter stream with the last failure; 5 by default.
    #[must_use]
    pub fn max_deliveries(mut self, deliveries: u64) -> Self {
        self.max_deliveries = deliveries;
        self
    }

    /// How long an entry stays unacknowledged before any consumer of the
    /// group may take it and deliver it again: after a failure, or when
    /// its consumer died. 30 s by default. It must exceed the time a
    /// consumer takes for one read (up to [`batch`](Self::batch) entries,
    /// acknowledged together at its end), or another consumer delivers
    /// again what this one has not finished.
    #[must_use]
    pub fn min_idle(mut self, idle: Duration) -> Self {
        self.min_idle = idle;
        self
    }

    /// How often the consumer looks for idle entries to take; half of
    /// [`min_idle`](Self::min_idle) by default.
    #[must_use]
    pub fn claim_every(mut self, interval: Duration) -> Self {
        self.claim_every = Some(interval);
        self
    }

    /// How many entries one read takes at most; 64 by default. More
    /// means fewer round trips, and more entries held by one consumer
    /// at a time (see [`min_idle`](Self::min_idle)).
    #[must_use]
    pub fn batch(mut self, entries: usize) -> Self {
        self.batch = entries;
        self
    }

    /// How long one read waits for entries; 100 ms by default. It bounds
    /// how long [`Subscriber::stop`] waits.
    #[must_use]
    pub fn block(mut self, wait: Duration) -> Self {
        self.block = wait;
        self
    }

    /// The largest payload decoded, in bytes; a larger entry goes to the
    /// dead-letter stream. 1 MiB by default.
    #[must_use]
    pub fn max_payload(mut self, bytes: usize) -> Self {
        self.max_payload = bytes;
        self
    }

    /// Where a group made by this consumer starts; see [`StartFrom`].
    #[must_use]
    pub fn start_from(mut self, start: StartFrom) -> Self {
        self.start_from = start;
        self
    }

    /// Where the consumer's errors go (the broker out of reach, an entry
    /// dead-lettered); standard error by default. Receivers' failures go
    /// to `signals`' error hooks, as in any `send_robust`.
    #[must_use]
    pub fn on_error(mut self, hook: impl Fn(&BridgeError) + Send + Sync + 'static) -> Self {
        self.on_error = Arc::new(hook);
        self
    }

    /// Connects, makes the group on each stream if it has none, and starts
    /// the consumer's thread.
    ///
    /// # Errors
    ///
    /// [`BridgeError::InvalidUrl`], [`BridgeError::TlsNotEnabled`],
    /// [`BridgeError::InvalidSetting`] naming the setting,
    /// [`BridgeError::AlreadyBridged`] for a signal subscribed twice, and
    /// [`BridgeError::Redis`] if the broker cannot be reached now: once
    /// started, the consumer rides out an outage on its own.
    pub fn start(self) -> Result<Subscriber, BridgeError> {
        let consumer = self.check()?;
        let url = RedisUrl::open(&self.url, self.root_certificate.as_deref())?;
        let claim_every = self.claim_every.unwrap_or(self.min_idle / 2);
        let streams: Vec<String> = self
            .signals
            .iter()
            .map(|subscription| format!("{}{}", self.prefix, subscription.path))
            .collect();
        let mut consumer_loop = ConsumerLoop {
            read_timeout: self.block + Duration::from_secs(5),
            url,
            group: self.group,
            consumer: consumer.clone(),
            max_deliveries: self.max_deliveries,
            min_idle_ms: u64::try_from(self.min_idle.as_millis()).unwrap_or(u64::MAX),
            claim_every,
            batch: self.batch,
            block_ms: u64::try_from(self.block.as_millis()).unwrap_or(u64::MAX),
            max_payload: self.max_payload,
            start_id: match self.start_from {
                StartFrom::Beginning => "0",
                StartFrom::New => "$",
            },
            on_error: self.on_error,
            handlers: streams.iter().cloned().zip(self.signals).collect(),
            streams,
            stats: Arc::new(Stats::default()),
            stop: Arc::new(AtomicBool::new(false)),
        };
        let connection = consumer_loop.open()?;
        let (stop, stats) = (consumer_loop.stop.clone(), consumer_loop.stats.clone());
        let thread = std::thread::Builder::new()
            .name(format!("signals-redis consumer {consumer}"))
            .spawn(move || consumer_loop.run(connection))
            .map_err(|error| BridgeError::InvalidSetting {
                setting: "thread",
                value: error.to_string(),
                expected: "a thread the system can start",
            })?;
        Ok(Subscriber {
            stop,
            stats,
            consumer,
            thread: Some(thread),
        })
    }

    /// The settings checked; the consumer's name.
    fn check(&self) -> Result<String, BridgeError> {
        if let Some(signal) = &self.duplicate {
            return Err(BridgeError::AlreadyBridged {
                signal: signal.clone(),
            });
        }
        if self.signals.is_empty() {
            return Err(BridgeError::InvalidSetting {
                setting: "subscribe",
                value: "no signal".to_owned(),
                expected: "at least one `.subscribe(signal)`",
            });
        }
        if self.group.is_empty() {
            return Err(BridgeError::InvalidSetting {
                setting: "group",
                value: "\"\"".to_owned(),
                expected: "a group name",
            });
        }
        settings::at_least("max_deliveries", self.max_deliveries, 1, "at least 1")?;
        let millis = |duration: Duration| u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        settings::at_least("min_idle", millis(self.min_idle), 1, "at least 1 ms")?;
        settings::at_least("block", millis(self.block), 1, "at least 1 ms")?;
        if let Some(interval) = self.claim_every {
            settings::at_least("claim_every", millis(interval), 1, "at least 1 ms")?;
        }
        settings::at_least("batch", self.batch as u64, 1, "at least 1 entry")?;
        settings::at_least("max_payload", self.max_payload as u64, 1, "at least 1 byte")?;
        Ok(self.consumer.clone().unwrap_or_else(|| {
            static NEXT: AtomicU64 = AtomicU64::new(0);
            format!(
                "{}-{}",
                settings::process_name(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            )
        }))
    }
}

impl Subscriber {
    /// A consumer of `group` for the broker at `url` (see [`RedisUrl`]).
    /// Each service that must see every send has a group of its own; the
    /// consumers of one group share its entries.
    #[must_use]
    pub fn builder(url: &str, group: &str) -> SubscriberBuilder {
        SubscriberBuilder {
            url: url.to_owned(),
            root_certificate: None,
            group: group.to_owned(),
            consumer: None,
            prefix: settings::DEFAULT_PREFIX.to_owned(),
            max_deliveries: 5,
            min_idle: Duration::from_secs(30),
            claim_every: None,
            batch: 64,
            block: Duration::from_millis(100),
            max_payload: 1 << 20,
            start_from: StartFrom::Beginning,
            on_error: settings::print_error(),
            signals: Vec::new(),
            duplicate: None,
        }
    }

    /// This consumer's name in its group.
    #[must_use]
    pub fn consumer(&self) -> &str {
        &self.consumer
    }

    /// The counts so far.
    #[must_use]
    pub fn stats(&self) -> SubscriberStats {
        self.stats.snapshot()
    }

    /// Stops after the delivery under way, if any, and waits for the
    /// consumer's thread. What it read and did not finish stays pending,
    /// for another consumer to take after `min_idle`.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        self.halt();
    }
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscriber")
            .field("consumer", &self.consumer)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Stats {
    delivered: AtomicU64,
    acknowledged: AtomicU64,
    failed: AtomicU64,
    reclaimed: AtomicU64,
    dead_lettered: AtomicU64,
}

impl Stats {
    fn snapshot(&self) -> SubscriberStats {
        SubscriberStats {
            delivered: self.delivered.load(Ordering::Relaxed),
            acknowledged: self.acknowledged.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            reclaimed: self.reclaimed.load(Ordering::Relaxed),
            dead_lettered: self.dead_lettered.load(Ordering::Relaxed),
        }
    }

    fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The consumer's thread.
struct ConsumerLoop {
    url: RedisUrl,
    group: String,
    consumer: String,
    max_deliveries: u64,
    min_idle_ms: u64,
    claim_every: Duration,
    batch: usize,
    block_ms: u64,
    read_timeout: Duration,
    max_payload: usize,
    start_id: &'static str,
    on_error: ErrorHook,
    streams: Vec<String>,
    handlers: HashMap<String, Subscription>,
    stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
}

impl ConsumerLoop {
    /// A connection, with the group made on every stream.
    fn open(&self) -> Result<redis::Connection, BridgeError> {
        let mut connection = settings::connect(&self.url, self.read_timeout)?;
        for stream in &self.streams {
            let made = redis::cmd("XGROUP")
                .arg("CREATE")
                .arg(stream)
                .arg(&self.group)
                .arg(self.start_id)
                .arg("MKSTREAM")
                .query::<()>(&mut connection);
            match made {
                Err(error) if error.code() != Some("BUSYGROUP") => {
                    return Err(self.url.error("create the consumer group", &error));
                }
                _ => {}
            }
        }
        Ok(connection)
    }

    fn run(&mut self, connection: redis::Connection) {
        let mut connection = Some(connection);
        let mut backoff = Backoff::new();
        let mut out_of_reach = false;
        let mut next_claim = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            let open = match connection.take() {
                Some(open) => Ok(open),
                None => self.open(),
            };
            let result = open.and_then(|mut open| {
                if Instant::now() >= next_claim {
                    self.claim(&mut open)?;
                    next_claim = Instant::now() + self.claim_every;
                }
                self.read(&mut open)?;
                Ok(open)
            });
            match result {
                Ok(open) => {
                    connection = Some(open);
                    backoff.reset();
                    out_of_reach = false;
                }
                Err(error) => {
                    if !out_of_reach {
                        (self.on_error)(&error);
                        out_of_reach = true;
                    }
                    self.pause(backoff.next_wait());
                }
            }
        }
    }

    /// Sleeps for `wait`, or until stopped.
    fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        while !self.stop.load(Ordering::Relaxed) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10).min(wait));
        }
    }

    /// Reads new entries and delivers them.
    fn read(&self, connection: &mut redis::Connection) -> Result<(), BridgeError> {
        let reply: redis::Value = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(&self.group)
            .arg(&self.consumer)
            .arg("COUNT")
            .arg(self.batch)
            .arg("BLOCK")
            .arg(self.block_ms)
            .arg("STREAMS")
            .arg(&self.streams)
            .arg(vec![">"; self.streams.len()])
            .query(connection)
            .map_err(|error| self.url.error("read entries", &error))?;
        let mut succeeded: HashMap<String, Vec<String>> = HashMap::new();
        for entry in envelope::entries(reply, None) {
            if self.handle(connection, &entry, 1)? {
                succeeded.entry(entry.stream).or_default().push(entry.id);
            }
        }
        for (stream, ids) in succeeded {
            self.acknowledge(connection, &stream, &ids)?;
        }
        Ok(())
    }

    /// Acknowledges the entries whose receivers succeeded, in one round
    /// trip per read. Should the consumer die before, they are delivered
    /// again: at least once.
    fn acknowledge(
        &self,
        connection: &mut redis::Connection,
        stream: &str,
        ids: &[String],
    ) -> Result<(), BridgeError> {
        if ids.is_empty() {
            return Ok(());
        }
        redis::cmd("XACK")
            .arg(stream)
            .arg(&self.group)
            .arg(ids)
            .query::<()>(connection)
            .map_err(|error| self.url.error("acknowledge entries", &error))?;
        self.stats
            .acknowledged
            .fetch_add(ids.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Takes the entries of each stream that stayed unacknowledged for
    /// `min_idle`, from any consumer of the group, this one included, and
    /// delivers them again; or dead-letters those delivered too often.
    fn claim(&self, connection: &mut redis::Connection) -> Result<(), BridgeError> {
        for stream in &self.streams {
            let pending: StreamPendingCountReply = redis::cmd("XPENDING")
                .arg(stream)
                .arg(&self.group)
                .arg("IDLE")
                .arg(self.min_idle_ms)
                .arg("-")
                .arg("+")
                .arg(self.batch)
                .query(connection)
                .map_err(|error| self.url.error("list pending entries", &error))?;
            if pending.ids.is_empty() {
                continue;
            }
            let before: HashMap<&str, (u64, &str)> = pending
                .ids
                .iter()
                .map(|id| {
                    let times = u64::try_from(id.times_delivered).unwrap_or(u64::MAX);
                    (id.id.as_str(), (times, id.consumer.as_str()))
                })
                .collect();
            // Only the consumer whose XCLAIM finds the entry still idle
            // gets it: two cannot take the same one.
            let claimed: redis::Value = redis::cmd("XCLAIM")
                .arg(stream)
                .arg(&self.group)
                .arg(&self.consumer)
                .arg(self.min_idle_ms)
                .arg(
                    pending
                        .ids
                        .iter()
                        .map(|id| id.id.as_str())
                        .collect::<Vec<_>>(),
                )
                .query(connection)
                .map_err(|error| self.url.error("claim idle entries", &error))?;
            let mut succeeded = Vec::new();
            for entry in envelope::entries(claimed, Some(stream)) {
                let (times, holder) = before.get(entry.id.as_str()).copied().unwrap_or((0, ""));
                let deliveries = times + 1;
                Stats::add(&self.stats.reclaimed);
                if deliveries > self.max_deliveries {
                    let reason = format!(
                        "not acknowledged after {times} deliveries: the consumers that took it \
                         stopped before finishing it (the last was `{holder}`)"
                    );
                    self.dead_letter(connection, &entry, &reason, times)?;
                } else if self.handle(connection, &entry, deliveries)? {
                    succeeded.push(entry.id);
                }
            }
            self.acknowledge(connection, stream, &succeeded)?;
        }
        Ok(())
    }

    /// Delivers one entry, on its `deliveries`th delivery: whether its
    /// receivers succeeded, so that it is to be acknowledged. One that
    /// failed stays pending, or is dead-lettered.
    fn handle(
        &self,
        connection: &mut redis::Connection,
        entry: &Incoming,
        deliveries: u64,
    ) -> Result<bool, BridgeError> {
        let Some(subscription) = self.handlers.get(&entry.stream) else {
            let reason = "no subscription for this stream".to_owned();
            return self.dead_letter(connection, entry, &reason, deliveries);
        };
        if let Some(reason) = entry.mismatch(&subscription.signature, self.max_payload) {
            return self.dead_letter(connection, entry, &reason, deliveries);
        }
        let remote = Remote {
            emission: entry.text("id").unwrap_or_default().to_owned(),
            entry: entry.id.clone(),
            stream: entry.stream.clone(),
            source: entry.text("src").unwrap_or_default().to_owned(),
            sender: entry.text("sender").map(str::to_owned),
            sent_at: entry.sent_at(),
            deliveries,
        };
        let payload = entry.field("p").unwrap_or_default();
        Stats::add(&self.stats.delivered);
        match (subscription.deliver)(remote, payload) {
            Err(reason) => self.dead_letter(connection, entry, &reason, deliveries),
            Ok(failures) if failures.is_empty() => Ok(true),
            Ok(failures) => {
                Stats::add(&self.stats.failed);
                if deliveries < self.max_deliveries {
                    // Left pending: delivered again once idle for min_idle.
                    return Ok(false);
                }
                let reason = format!(
                    "failed on each of {deliveries} deliveries; the last time: {}",
                    failures.join("; ")
                );
                self.dead_letter(connection, entry, &reason, deliveries)
            }
        }
    }

    /// Moves `entry` to `{stream}:dead` with why, and acknowledges it, in
    /// one transaction: it is in exactly one of the two. Never to be
    /// acknowledged again: `false`.
    fn dead_letter(
        &self,
        connection: &mut redis::Connection,
        entry: &Incoming,
        reason: &str,
        deliveries: u64,
    ) -> Result<bool, BridgeError> {
        let dead = format!("{}:dead", entry.stream);
        let mut pipeline = redis::pipe();
        pipeline.atomic();
        let command = pipeline.cmd("XADD").arg(&dead).arg("*");
        for (field, value) in &entry.fields {
            command.arg(field).arg(value.as_slice());
        }
        command
            .arg("reason")
            .arg(reason)
            .arg("stream")
            .arg(&entry.stream)
            .arg("original_id")
            .arg(&entry.id)
            .arg("group")
            .arg(&self.group)
            .arg("consumer")
            .arg(&self.consumer)
            .arg("deliveries")
            .arg(deliveries);
        pipeline
            .cmd("XACK")
            .arg(&entry.stream)
            .arg(&self.group)
            .arg(&entry.id);
        pipeline
            .query::<()>(connection)
            .map_err(|error| self.url.error("dead-letter an entry", &error))?;
        Stats::add(&self.stats.dead_lettered);
        (self.on_error)(&BridgeError::DeadLettered {
            stream: entry.stream.clone(),
            entry: entry.id.clone(),
            reason: reason.to_owned(),
        });
        Ok(false)
    }
}
