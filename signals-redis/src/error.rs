//! What can go wrong between a process and the broker, named.

use std::fmt;

/// An error of the bridge. None of them shows a password: URLs are shown
/// as [`RedisUrl`](crate::RedisUrl) shows them, and the broker's messages
/// are scrubbed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BridgeError {
    /// The URL cannot be used.
    InvalidUrl {
        /// The URL, its password hidden.
        url: String,
        /// Why.
        reason: String,
    },
    /// A `rediss://` URL, and the crate was built without its `tls`
    /// feature.
    TlsNotEnabled {
        /// The URL, its password hidden.
        url: String,
    },
    /// A setting out of its range.
    InvalidSetting {
        /// The setting, as its builder method is named.
        setting: &'static str,
        /// The value given.
        value: String,
        /// What it may be.
        expected: &'static str,
    },
    /// The broker could not be reached, or refused a command.
    Redis {
        /// The URL, its password hidden.
        url: String,
        /// What the bridge was doing.
        operation: &'static str,
        /// The `redis` crate's message, scrubbed of the password.
        message: String,
    },
    /// The signal is already published by this publisher, or subscribed
    /// by this subscriber: each of its sends would travel twice.
    AlreadyBridged {
        /// The signal's path.
        signal: String,
    },
    /// A send's arguments could not be encoded.
    Encode {
        /// The signal's path.
        signal: String,
        /// serde's message.
        message: String,
    },
    /// A send's encoded arguments exceed the configured maximum; the
    /// entry went to the dead-letter stream instead, without its payload.
    PayloadTooLarge {
        /// The signal's path.
        signal: String,
        /// The payload's size, in bytes.
        size: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// An entry was moved to the dead-letter stream, `{stream}:dead`.
    DeadLettered {
        /// The stream it was read from.
        stream: String,
        /// Its entry id there.
        entry: String,
        /// Why.
        reason: String,
    },
    /// A publisher's buffer was full: the broker has been out of reach for
    /// longer than the buffer lasts. The send was not published.
    BufferFull {
        /// The signal's path.
        signal: String,
        /// The buffer's capacity, in entries.
        capacity: usize,
    },
    /// `flush` or `close` ran out of time with entries still unwritten.
    Unwritten {
        /// How many entries were not written.
        entries: usize,
    },
}

impl fmt::Display for BridgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl { url, reason } => write!(f, "invalid Redis URL `{url}`: {reason}"),
            Self::TlsNotEnabled { url } => write!(
                f,
                "`{url}` asks for TLS: build signals-redis with its `tls` feature"
            ),
            Self::InvalidSetting {
                setting,
                value,
                expected,
            } => write!(f, "invalid `{setting}` {value}: expected {expected}"),
            Self::Redis {
                url,
                operation,
                message,
            } => write!(f, "Redis at `{url}` failed to {operation}: {message}"),
            Self::AlreadyBridged { signal } => write!(
                f,
                "signal `{signal}` is already bridged here; bridging it twice would carry each send twice"
            ),
            Self::Encode { signal, message } => {
                write!(f, "cannot encode the arguments of `{signal}`: {message}")
            }
            Self::PayloadTooLarge {
                signal,
                size,
                limit,
            } => write!(
                f,
                "a send of `{signal}` encodes to {size} bytes, over the limit of {limit}: it went to the dead-letter stream"
            ),
            Self::DeadLettered {
                stream,
                entry,
                reason,
            } => write!(
                f,
                "entry {entry} of `{stream}` moved to `{stream}:dead`: {reason}"
            ),
            Self::BufferFull { signal, capacity } => write!(
                f,
                "a send of `{signal}` was not published: the buffer of {capacity} entries is full while the broker is out of reach"
            ),
            Self::Unwritten { entries } => {
                write!(
                    f,
                    "{entries} entries were not written to the broker in time"
                )
            }
        }
    }
}

impl std::error::Error for BridgeError {}
