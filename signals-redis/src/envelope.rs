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
//! | `p` | the arguments, as a JSON array in the signal's parameter order |

use std::collections::HashMap;
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
    format!("{}::{} {}", S::MODULE_PATH, S::NAME, S::SIGNATURE)
}

/// `module::name`.
pub(crate) fn path<S: Signal>() -> String {
    format!("{}::{}", S::MODULE_PATH, S::NAME)
}

/// One entry on its way to the broker.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub(crate) stream: String,
    pub(crate) fields: Vec<(&'static str, Vec<u8>)>,
}

impl Outgoing {
    pub(crate) fn new(
        stream: String,
        signature: &str,
        source: &str,
        sender: Option<&str>,
        payload: Vec<u8>,
    ) -> Self {
        let mut fields = vec![
            ("v", VERSION.into()),
            ("sig", signature.into()),
            ("id", emission_id().into_bytes()),
            ("ts", millis(SystemTime::now()).to_string().into_bytes()),
            ("src", source.into()),
            ("ct", CONTENT_TYPE.into()),
        ];
        if let Some(sender) = sender {
            fields.push(("sender", sender.into()));
        }
        fields.push(("p", payload));
        Self { stream, fields }
    }
}

/// One entry read back, its fields as bytes.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) stream: String,
    pub(crate) id: String,
    pub(crate) fields: HashMap<String, Vec<u8>>,
}

impl Incoming {
    pub(crate) fn text(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
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
        match self.fields.get("p") {
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
