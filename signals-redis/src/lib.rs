//! Carries the sends of [`signals`] signals between processes and
//! machines, over Redis Streams.
//!
//! A signal declared `#[signal(bridge)]` can be published by one process
//! and subscribed by others: each local send in the publisher appends one
//! entry to the signal's stream, and each subscribing service delivers it
//! to its own receivers, as if it had been sent there.
//!
//! ```no_run
//! use serde::{Deserialize, Serialize};
//! use signals::{receiver, signal};
//! use signals_redis::{Publisher, Subscriber};
//!
//! #[derive(Clone, Debug, Serialize, Deserialize)]
//! pub struct Order {
//!     pub id: u64,
//!     pub cents: u64,
//! }
//!
//! #[signal(bridge)]
//! pub fn order_paid(order: &Order);
//!
//! #[receiver(signal = order_paid)]
//! fn send_invoice(order: &Order) {
//!     println!("invoice for order {}", order.id);
//! }
//!
//! // In the web process:
//! let publisher = Publisher::builder("redis://billing:secret@127.0.0.1:6379").build()?;
//! publisher.publish(order_paid)?;
//! order_paid.send(&Order { id: 1, cents: 1250 }); // local receivers, and the stream
//!
//! // In each worker process of the billing service:
//! let subscriber = Subscriber::builder("redis://billing:secret@127.0.0.1:6379", "billing")
//!     .subscribe(order_paid)
//!     .start()?;
//! # Ok::<(), signals_redis::BridgeError>(())
//! ```
//!
//! # What travels
//!
//! One stream per signal, `signals:{module path}::{name}`. Each entry is a
//! versioned envelope: the version, the signal's path and signature, an
//! emission id, the time, the publisher's source name, the sender's type
//! for a `send_from`, and the arguments as JSON (see [`envelope`] for the
//! fields). The arguments must be `Serialize` where published and
//! `Deserialize` where subscribed; a `&Order` is encoded from the
//! borrowed value and decoded into an owned `Order`, a `&str` into a
//! `String`.
//!
//! A delivery is a plain `send` in the receiving process: there is no
//! sender object to filter on there, so receivers declared with `sender =
//! Type` do not see it. The sender's type name of a `send_from` travels,
//! and [`remote()`] gives it.
//!
//! A subscriber decodes an entry only if its version is one it reads and
//! its signature is exactly its own signal's: an entry of another shape
//! is never decoded into the wrong type.
//!
//! # Guarantees
//!
//! **At least once, per subscribing group.** Every group (one per
//! service) gets every entry; within a group, each entry goes to one of
//! its consumers.
//!
//! - An entry is acknowledged (`XACK`) only after every local receiver
//!   ran without panicking or returning an `Err`: it is delivered with
//!   `send_robust`, so one failing receiver does not keep the others from
//!   running, and `signals`' error hooks see each failure.
//! - A delivery that failed stays pending. Once it has been idle for
//!   [`min_idle`](SubscriberBuilder::min_idle), a consumer of the group
//!   takes it (`XPENDING` + `XCLAIM`) and delivers it again. So is an entry
//!   whose consumer died before acknowledging it.
//! - After [`max_deliveries`](SubscriberBuilder::max_deliveries), the
//!   entry moves to the dead-letter stream `{stream}:dead`, with the
//!   failure's text, the original id, the group, the consumer and the
//!   number of deliveries, and is acknowledged, in one transaction.
//! - An entry that cannot be decoded, has an unknown version or another
//!   signature, or is over [`max_payload`](SubscriberBuilder::max_payload),
//!   goes to the dead-letter stream at once, with the reason.
//! - Receivers may see an entry more than once, so they should be
//!   idempotent: [`remote()`] gives the emission id, the same on every
//!   delivery of it.
//! - Order is kept per stream for one consumer, except that an entry
//!   retried after a failure runs after the entries read meanwhile. With
//!   several consumers in a group, entries run in parallel and in no set
//!   order.
//!
//! A send delivered from another process is marked [`remote()`], and the
//! publisher of the same signal in this process does not publish it
//! again: no echo between two processes that both publish and subscribe.
//! A receiver's own later send of the signal is a new emission, and is
//! published.
//!
//! # When the broker is down
//!
//! - [`Publisher`]: sends go on; entries wait in a bounded buffer
//!   ([`buffer`](PublisherBuilder::buffer), 10,000 by default) while the
//!   publisher's thread retries with a backoff from 50 ms to 5 s. A send
//!   that finds the buffer full is not published: it is counted and
//!   reported as [`BridgeError::BufferFull`]. [`Publisher::flush`] waits
//!   for the buffer to empty and says how many entries are left.
//! - [`Subscriber`]: reconnects with the same backoff, makes its group
//!   again if the broker lost it, and resumes from the group's position;
//!   what it held and did not acknowledge is delivered again.
//! - Nothing acknowledged is lost if Redis keeps an append-only file
//!   (`appendonly yes`; `appendfsync always` to lose no write at all).
//!
//! Errors met in the bridge's own threads go to an `on_error` hook,
//! standard error by default, so that nothing is dropped in silence.
//!
//! # Security and limits
//!
//! - Credentials come in the URL, `redis://user:password@host:port/db`,
//!   for a Redis ACL user. `rediss://` connects over TLS, with the `tls`
//!   feature (rustls), trusting the bundled Mozilla roots, or a private
//!   certificate authority given to the builders'
//!   `tls_root_certificate(pem)`. Without the feature such a URL is
//!   refused with [`BridgeError::TlsNotEnabled`].
//! - The password never appears in `Debug`, `Display` or error texts:
//!   see [`RedisUrl`].
//! - A payload over the maximum size (1 MiB by default) is refused on
//!   both sides: a publisher writes it to the dead-letter stream without
//!   its payload; a subscriber dead-letters it without decoding it.
//! - Streams are trimmed to about [`max_len`](PublisherBuilder::max_len)
//!   entries (100,000 by default). An entry trimmed before a group
//!   acknowledged it is lost to that group: size it for the longest
//!   outage of a subscriber.

pub mod envelope;
mod error;
mod publisher;
mod remote;
mod settings;
mod subscriber;
mod url;

pub use error::BridgeError;
pub use publisher::{Publisher, PublisherBuilder, PublisherStats};
pub use remote::{Remote, remote};
pub use settings::DEFAULT_PREFIX;
pub use subscriber::{StartFrom, Subscriber, SubscriberBuilder, SubscriberStats};
pub use url::RedisUrl;
