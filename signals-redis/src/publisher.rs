//! Publishing: every local send of a published signal becomes one stream
//! entry, written by a thread of the publisher's own from a bounded
//! buffer.

use std::any::TypeId;
use std::collections::{BTreeSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use signals::{Bridge, ConnectOptions, Connection};

use crate::envelope::{self, Field, Header, Outgoing};
use crate::settings::{self, Backoff, ErrorHook};
use crate::{BridgeError, RedisUrl};

/// Sends of published signals, carried to Redis Streams.
///
/// [`publish`](Self::publish) connects a receiver to a signal that runs
/// first in every send. It encodes the arguments on the sending thread
/// and puts the entry in a buffer; the publisher's thread writes the
/// buffer to the broker, many entries per round trip, with `XADD` to the
/// signal's stream (`signals:{module}::{name}`), trimmed to about
/// [`max_len`](PublisherBuilder::max_len) entries.
///
/// **When the broker is down** the buffer holds the entries, up to
/// [`buffer`](PublisherBuilder::buffer) of them, and the thread retries
/// with a backoff from 50 ms to 5 s. A send that finds the buffer full is
/// not published: it is counted in [`PublisherStats::rejected`] and
/// reported to the [`on_error`](PublisherBuilder::on_error) hook as
/// [`BridgeError::BufferFull`]; the send itself goes on with its local
/// receivers. [`flush`](Self::flush) waits until every entry is written
/// and says how many were not. Nothing is dropped without a report.
///
/// An entry may be written twice if the connection breaks after Redis
/// wrote part of a batch and before it answered: its emission id is the
/// same both times ([`Remote::emission`](crate::Remote::emission)).
///
/// Dropping the publisher disconnects its receivers, writes what remains
/// for up to 5 seconds, and reports what it could not write.
pub struct Publisher {
    shared: Arc<Shared>,
    /// The signals this publisher publishes, and their receivers.
    published: Mutex<Vec<(TypeId, [Connection; 2])>>,
    writer: Option<JoinHandle<()>>,
}

/// A [`Publisher`]'s counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublisherStats {
    /// Entries written to the broker.
    pub written: u64,
    /// Entries waiting in the buffer or being written.
    pub buffered: usize,
    /// Sends not published: the buffer was full, or their arguments could
    /// not be encoded.
    pub rejected: u64,
    /// Sends whose payload was over the limit, sent to the dead-letter
    /// stream without it.
    pub dead_lettered: u64,
}

/// Settings of a [`Publisher`], from [`Publisher::builder`].
pub struct PublisherBuilder {
    url: String,
    root_certificate: Option<Vec<u8>>,
    source: Option<String>,
    prefix: String,
    buffer: usize,
    max_len: Option<usize>,
    max_payload: usize,
    batch: usize,
    on_error: ErrorHook,
}

impl PublisherBuilder {
    /// The name that entries carry as their source (`src`); the program's
    /// name and pid by default.
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
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

    /// What stream names start with; `signals:` by default.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How many entries wait for the broker at most; 10,000 by default.
    #[must_use]
    pub fn buffer(mut self, entries: usize) -> Self {
        self.buffer = entries;
        self
    }

    /// Trims each stream to about this many entries as it writes
    /// (`XADD MAXLEN ~`), or keeps every entry with `None`; 100,000 by
    /// default. An entry trimmed before a subscriber acknowledged it is
    /// lost to that subscriber.
    #[must_use]
    pub fn max_len(mut self, entries: Option<usize>) -> Self {
        self.max_len = entries;
        self
    }

    /// The largest encoded payload, in bytes, written to a signal's
    /// stream; a larger one goes to the dead-letter stream without its
    /// payload. 1 MiB by default.
    #[must_use]
    pub fn max_payload(mut self, bytes: usize) -> Self {
        self.max_payload = bytes;
        self
    }

    /// How many entries one round trip writes at most; 256 by default.
    #[must_use]
    pub fn batch(mut self, entries: usize) -> Self {
        self.batch = entries;
        self
    }

    /// Where the errors of the publisher's thread go (the broker out of
    /// reach, a full buffer, an oversized payload); standard error by
    /// default. It runs on the thread that met the error.
    #[must_use]
    pub fn on_error(mut self, hook: impl Fn(&BridgeError) + Send + Sync + 'static) -> Self {
        self.on_error = Arc::new(hook);
        self
    }

    /// Checks the settings and starts the publisher's thread. It does not
    /// wait for the broker: entries wait in the buffer until it answers.
    ///
    /// # Errors
    ///
    /// [`BridgeError::InvalidUrl`], [`BridgeError::TlsNotEnabled`], or
    /// [`BridgeError::InvalidSetting`] naming the setting.
    pub fn build(self) -> Result<Publisher, BridgeError> {
        let url = RedisUrl::open(&self.url, self.root_certificate.as_deref())?;
        settings::at_least("buffer", self.buffer as u64, 1, "at least 1 entry")?;
        settings::at_least("batch", self.batch as u64, 1, "at least 1 entry")?;
        settings::at_least("max_payload", self.max_payload as u64, 1, "at least 1 byte")?;
        if let Some(max_len) = self.max_len {
            settings::at_least("max_len", max_len as u64, 1, "at least 1 entry, or None")?;
        }
        let shared = Arc::new(Shared {
            url,
            source: self.source.unwrap_or_else(settings::process_name).into(),
            prefix: self.prefix,
            capacity: self.buffer,
            max_len: self.max_len,
            max_payload: self.max_payload,
            batch: self.batch,
            on_error: self.on_error,
            queue: Mutex::new(Queue::default()),
            arrived: Condvar::new(),
            drained: Condvar::new(),
            written: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            dead_lettered: AtomicU64::new(0),
        });
        let writer = std::thread::Builder::new()
            .name("signals-redis publisher".to_owned())
            .spawn({
                let shared = shared.clone();
                move || shared.write_until_closed()
            })
            .map_err(|error| BridgeError::InvalidSetting {
                setting: "thread",
                value: error.to_string(),
                expected: "a thread the system can start",
            })?;
        Ok(Publisher {
            shared,
            published: Mutex::new(Vec::new()),
            writer: Some(writer),
        })
    }
}

impl Publisher {
    /// A publisher for the broker at `url` (see [`RedisUrl`]).
    #[must_use]
    pub fn builder(url: &str) -> PublisherBuilder {
        PublisherBuilder {
            url: url.to_owned(),
            root_certificate: None,
            source: None,
            prefix: settings::DEFAULT_PREFIX.to_owned(),
            buffer: 10_000,
            max_len: Some(100_000),
            max_payload: 1 << 20,
            batch: 256,
            on_error: settings::print_error(),
        }
    }

    /// Publishes every later send of `signal`, from any thread, until the
    /// publisher is dropped. A send that a [`Subscriber`](crate::Subscriber)
    /// delivers from another process is not published again.
    ///
    /// # Errors
    ///
    /// [`BridgeError::AlreadyBridged`] if a publisher of this process
    /// already publishes `signal`: each send would be written twice.
    pub fn publish<S>(&self, signal: S) -> Result<(), BridgeError>
    where
        S: Bridge,
        for<'a> S::Arguments<'a>: Serialize,
    {
        if !lock(&PUBLISHED).insert(TypeId::of::<S>()) {
            return Err(BridgeError::AlreadyBridged {
                signal: envelope::path::<S>(),
            });
        }
        let header = Header {
            stream: format!("{}{}", self.shared.prefix, envelope::path::<S>()).into(),
            signature: envelope::signature::<S>().into(),
            source: self.shared.source.clone(),
        };
        // First among the receivers, so that a delivery from elsewhere
        // meets this one before any receiver can send the signal again.
        let options = ConnectOptions::new()
            .priority(i32::MAX)
            .name("signals_redis::Publisher");
        let from = signal.forward_from(&options, |sender, _| {
            crate::remote::mark_sent_from(sender.type_name());
        });
        let shared = self.shared.clone();
        let plain = signal.forward(&options, move |arguments| {
            if crate::remote::take_suppressed::<S>() {
                return;
            }
            let sender = crate::remote::take_sent_from();
            shared.enqueue::<S>(&header, sender, serde_json::to_vec(&arguments));
        });
        lock(&self.published).push((TypeId::of::<S>(), [from, plain]));
        Ok(())
    }

    /// Waits until every buffered entry is written, for at most `timeout`.
    ///
    /// # Errors
    ///
    /// [`BridgeError::Unwritten`] with the number of entries still waiting.
    pub fn flush(&self, timeout: Duration) -> Result<(), BridgeError> {
        let deadline = Instant::now() + timeout;
        let mut queue = lock(&self.shared.queue);
        while queue.waiting() > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(BridgeError::Unwritten {
                    entries: queue.waiting(),
                });
            }
            queue = self
                .shared
                .drained
                .wait_timeout(queue, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Ok(())
    }

    /// Stops publishing, writes what remains for at most `timeout`, and
    /// stops the publisher's thread.
    ///
    /// # Errors
    ///
    /// [`BridgeError::Unwritten`] with the number of entries not written;
    /// they are lost.
    pub fn close(mut self, timeout: Duration) -> Result<(), BridgeError> {
        self.shut_down(timeout)
    }

    /// The counts so far.
    #[must_use]
    pub fn stats(&self) -> PublisherStats {
        PublisherStats {
            written: self.shared.written.load(Ordering::Relaxed),
            buffered: lock(&self.shared.queue).waiting(),
            rejected: self.shared.rejected.load(Ordering::Relaxed),
            dead_lettered: self.shared.dead_lettered.load(Ordering::Relaxed),
        }
    }

    fn shut_down(&mut self, timeout: Duration) -> Result<(), BridgeError> {
        let mut published = lock(&PUBLISHED);
        for (signal, connections) in lock(&self.published).drain(..) {
            for connection in connections {
                connection.disconnect();
            }
            published.remove(&signal);
        }
        drop(published);
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let result = self.flush(timeout);
        lock(&self.shared.queue).closing = true;
        self.shared.arrived.notify_all();
        let _ = writer.join();
        result
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        if let Err(error) = self.shut_down(Duration::from_secs(5)) {
            (self.shared.on_error)(&error);
        }
    }
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher")
            .field("url", &self.shared.url)
            .field("source", &self.shared.source)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

struct Shared {
    url: RedisUrl,
    source: Arc<str>,
    prefix: String,
    capacity: usize,
    max_len: Option<usize>,
    max_payload: usize,
    batch: usize,
    on_error: ErrorHook,
    queue: Mutex<Queue>,
    /// An entry arrived, or the publisher is closing.
    arrived: Condvar,
    /// The writer wrote a batch.
    drained: Condvar,
    written: AtomicU64,
    rejected: AtomicU64,
    dead_lettered: AtomicU64,
}

#[derive(Default)]
struct Queue {
    entries: VecDeque<Outgoing>,
    /// Taken by the writer, not yet written.
    in_flight: usize,
    closing: bool,
}

impl Queue {
    fn waiting(&self) -> usize {
        self.entries.len() + self.in_flight
    }
}

impl Shared {
    fn enqueue<S: Bridge>(
        &self,
        header: &Header,
        sender: Option<&'static str>,
        payload: Result<Vec<u8>, serde_json::Error>,
    ) {
        let payload = match payload {
            Ok(payload) => payload,
            Err(error) => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                return (self.on_error)(&BridgeError::Encode {
                    signal: envelope::path::<S>(),
                    message: error.to_string(),
                });
            }
        };
        let entry = if payload.len() > self.max_payload {
            let size = payload.len();
            let dead = Header {
                stream: format!("{}:dead", header.stream).into(),
                signature: header.signature.clone(),
                source: header.source.clone(),
            };
            let mut entry = Outgoing::new(&dead, sender, Vec::new());
            entry.trims = false;
            entry.fields.retain(|(field, _)| *field != "p");
            let reason = format!(
                "payload of {size} bytes exceeds the limit of {} bytes; not written",
                self.max_payload
            );
            entry.fields.extend([
                ("stream", Field::Shared(header.stream.clone())),
                ("reason", Field::Owned(reason.into_bytes())),
            ]);
            self.dead_lettered.fetch_add(1, Ordering::Relaxed);
            (self.on_error)(&BridgeError::PayloadTooLarge {
                signal: envelope::path::<S>(),
                size,
                limit: self.max_payload,
            });
            entry
        } else {
            Outgoing::new(header, sender, payload)
        };
        let mut queue = lock(&self.queue);
        if queue.waiting() >= self.capacity || queue.closing {
            drop(queue);
            self.rejected.fetch_add(1, Ordering::Relaxed);
            return (self.on_error)(&BridgeError::BufferFull {
                signal: envelope::path::<S>(),
                capacity: self.capacity,
            });
        }
        queue.entries.push_back(entry);
        drop(queue);
        self.arrived.notify_one();
    }

    /// The writer's loop: takes a batch, writes it, and tries again after
    /// a wait while the broker is out of reach.
    fn write_until_closed(&self) {
        let mut connection = None;
        let mut backoff = Backoff::new();
        let mut out_of_reach = false;
        loop {
            let batch: Vec<Outgoing> = {
                let mut queue = lock(&self.queue);
                while queue.entries.is_empty() && !queue.closing {
                    queue = self
                        .arrived
                        .wait(queue)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                if queue.entries.is_empty() {
                    return;
                }
                let taken = queue.entries.len().min(self.batch);
                queue.in_flight = taken;
                queue.entries.drain(..taken).collect()
            };
            loop {
                match self.write(&mut connection, &batch) {
                    Ok(()) => {
                        backoff.reset();
                        out_of_reach = false;
                        self.written
                            .fetch_add(batch.len() as u64, Ordering::Relaxed);
                        break;
                    }
                    Err(error) => {
                        if !out_of_reach {
                            (self.on_error)(&error);
                            out_of_reach = true;
                        }
                        let mut queue = lock(&self.queue);
                        if queue.closing {
                            // `close` already gave up on these, and said
                            // how many they are.
                            queue.entries.clear();
                            queue.in_flight = 0;
                            return;
                        }
                        // Woken early by `close`.
                        let _ = self.arrived.wait_timeout(queue, backoff.next_wait());
                    }
                }
            }
            lock(&self.queue).in_flight = 0;
            self.drained.notify_all();
        }
    }

    fn write(
        &self,
        connection: &mut Option<redis::Connection>,
        batch: &[Outgoing],
    ) -> Result<(), BridgeError> {
        let mut open = match connection.take() {
            Some(open) => open,
            None => settings::connect(&self.url, Duration::from_secs(5))?,
        };
        let mut pipeline = redis::pipe();
        for entry in batch {
            let command = pipeline.cmd("XADD").arg(&*entry.stream);
            if let Some(max_len) = self.max_len.filter(|_| entry.trims) {
                command.arg("MAXLEN").arg("~").arg(max_len);
            }
            command.arg("*");
            for (field, value) in &entry.fields {
                command.arg(*field).arg(value.as_bytes());
            }
        }
        pipeline
            .query::<()>(&mut open)
            .map_err(|error| self.url.error("write entries", &error))?;
        *connection = Some(open);
        Ok(())
    }
}

/// The signals that a publisher of this process publishes.
static PUBLISHED: Mutex<BTreeSet<TypeId>> = Mutex::new(BTreeSet::new());

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
