//! What a stream entry holds: a versioned envelope around the JSON of one
//! send's arguments.
//!
//! | field | holds |
//! |---|---|
//! | `v` | the envelope's version, `1` |
//! | `sig` | the signal's path and signature, e.g. `shop::order_paid fn(order: &Order)` |
//! | `id` | the emission's id, unique across processes |
//! | `ts` | when it was sent: milliseconds since the Unix epoch |
//! | `src` | the publisher's source name |
//! | `sender` | the type of the sender of a `send_from`; absent for a plain `send` |
//! | `ct` | the payload's encoding, `json` |
//! | `p` | the arguments, as a JSON array in the signal's parameter order (`null` for a signal without parameters) |

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use signals::Signal;

/// The envelope version this crate writes and reads.
pub const VERSION: &str = "1";

/// The encoding of the payload.
pub const CONTENT_TYPE: &str = "json";

/// `module::name fn(params)`: what an entry must carry to be decoded as
/// a send of `S`.
pub(crate) fn signature<S: Signal>() -> String {
    format!("{} {}", path::<S>(), S::SIGNATURE)
}

/// `module::name`.
pub(crate) fn path<S: Signal>() -> String {
    format!("{}::{}", S::MODULE_PATH, S::NAME)
}

/// One entry on its way to the broker.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub(crate) stream: Arc<str>,
    pub(crate) fields: Vec<(&'static str, Field)>,
    /// Whether writing it trims its stream: not for a dead-letter stream,
    /// which keeps every entry.
    pub(crate) trims: bool,
}

/// A field's value: what every entry of a signal shares is shared, not
/// copied per send.
#[derive(Debug)]
pub(crate) enum Field {
    Static(&'static str),
    Shared(Arc<str>),
    Owned(Vec<u8>),
}

impl Field {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Static(text) => text.as_bytes(),
            Self::Shared(text) => text.as_bytes(),
            Self::Owned(bytes) => bytes,
        }
    }
}

/// What every entry of one published signal shares.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) stream: Arc<str>,
    pub(crate) signature: Arc<str>,
    pub(crate) source: Arc<str>,
}

impl Outgoing {
    pub(crate) fn new(header: &Header, sender: Option<&'static str>, payload: Vec<u8>) -> Self {
        let mut fields = Vec::with_capacity(8);
        fields.extend([
            ("v", Field::Static(VERSION)),
            ("sig", Field::Shared(header.signature.clone())),
            ("id", Field::Owned(emission_id().into_bytes())),
            (
                "ts",
                Field::Owned(millis(SystemTime::now()).to_string().into_bytes()),
            ),
            ("src", Field::Shared(header.source.clone())),
            ("ct", Field::Static(CONTENT_TYPE)),
        ]);
        if let Some(sender) = sender {
            fields.push(("sender", Field::Static(sender)));
        }
        fields.push(("p", Field::Owned(payload)));
        Self {
            stream: header.stream.clone(),
            fields,
            trims: true,
        }
    }
}

/// One entry read back, its fields as bytes.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) stream: String,
    pub(crate) id: String,
    pub(crate) fields: Vec<(String, Vec<u8>)>,
}

impl Incoming {
    /// A field's value, the first if it is repeated.
    pub(crate) fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_slice())
    }

    pub(crate) fn text(&self, field: &str) -> Option<&str> {
        self.field(field)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    /// Why this entry cannot be a send of a signal of `signature` from a
    /// version-1 envelope, if it cannot; checked before decoding.
    pub(crate) fn mismatch(&self, signature: &str, max_payload: usize) -> Option<String> {
        let Some(version) = self.text("v") else {
            return Some("not a signals envelope: no `v` field".to_owned());
        };
        if version != VERSION {
            return Some(format!(
                "envelope version {version:?} is unknown: this subscriber reads version {VERSION}"
            ));
        }
        let theirs = self.text("sig").unwrap_or_default();
        if theirs != signature {
            return Some(format!(
                "signature mismatch: the entry is `{theirs}`, this subscriber's signal is `{signature}`"
            ));
        }
        let content_type = self.text("ct").unwrap_or_default();
        if content_type != CONTENT_TYPE {
            return Some(format!(
                "payload encoding {content_type:?} is unknown: this subscriber reads {CONTENT_TYPE:?}"
            ));
        }
        match self.field("p") {
            None => Some("no payload: the `p` field is missing".to_owned()),
            Some(payload) if payload.len() > max_payload => Some(format!(
                "payload of {} bytes exceeds the limit of {max_payload} bytes",
                payload.len()
            )),
            Some(_) => None,
        }
    }

    pub(crate) fn sent_at(&self) -> SystemTime {
        let millis = self.text("ts").and_then(|ts| ts.parse().ok()).unwrap_or(0);
        UNIX_EPOCH + Duration::from_millis(millis)
    }
}

fn millis(time: SystemTime) -> u128 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

/// `{process}-{n}`: the process part is the pid and the start time, so
/// that no two processes share it, even across restarts.
fn emission_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PROCESS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let process = PROCESS.get_or_init(|| {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        format!("{:x}{:x}", started, std::process::id())
    });
    format!("{process}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The entries of a reply to `XREADGROUP` (`[[stream, [[id, [field,
/// value, ..]], ..]], ..]`) or, with `stream` given, to `XCLAIM` (`[[id,
/// [..]], ..]`), their values moved out of the reply. An entry whose
/// fields are missing comes back without fields, to be dead-lettered.
pub(crate) fn entries(reply: redis::Value, stream: Option<&str>) -> Vec<Incoming> {
    use redis::Value;
    let streams: Vec<(Value, Value)> = match (stream, reply) {
        (Some(stream), entries) => vec![(Value::BulkString(stream.into()), entries)],
        (None, Value::Map(streams)) => streams,
        (None, Value::Array(streams)) => streams
            .into_iter()
            .filter_map(|pair| match pair {
                Value::Array(pair) => {
                    let mut pair = pair.into_iter();
                    Some((pair.next()?, pair.next()?))
                }
                _ => None,
            })
            .collect(),
        (None, _) => Vec::new(),
    };
    let mut incoming = Vec::new();
    for (stream, entries) in streams {
        let (Some(stream), Value::Array(entries)) = (text(stream), entries) else {
            continue;
        };
        for entry in entries {
            let Value::Array(parts) = entry else { continue };
            let mut parts = parts.into_iter();
            let Some(id) = parts.next().and_then(text) else {
                continue;
            };
            let mut fields = Vec::new();
            if let Some(Value::Array(flat)) = parts.next() {
                let mut flat = flat.into_iter();
                while let (Some(field), Some(value)) = (flat.next(), flat.next()) {
                    if let (Some(field), Some(value)) = (text(field), bytes(value)) {
                        fields.push((field, value));
                    }
                }
            }
            incoming.push(Incoming {
                stream: stream.clone(),
                id,
                fields,
            });
        }
    }
    incoming
}

fn bytes(value: redis::Value) -> Option<Vec<u8>> {
    match value {
        redis::Value::BulkString(bytes) => Some(bytes),
        redis::Value::SimpleString(text) => Some(text.into_bytes()),
        _ => None,
    }
}

fn text(value: redis::Value) -> Option<String> {
    bytes(value).and_then(|bytes| String::from_utf8(bytes).ok())
}
