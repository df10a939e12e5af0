//! What publishers and subscribers share: stream names, the error hook,
//! and the wait between attempts to reach the broker.

use std::sync::Arc;
use std::time::Duration;

use crate::BridgeError;

/// What streams are named after, unless a builder's `prefix` says
/// otherwise: a signal's stream is `signals:{module path}::{name}`.
pub const DEFAULT_PREFIX: &str = "signals:";

/// Where the errors a bridge meets in its own thread go.
pub(crate) type ErrorHook = Arc<dyn Fn(&BridgeError) + Send + Sync>;

/// The default hook: standard error, so that nothing is lost in silence.
pub(crate) fn print_error() -> ErrorHook {
    Arc::new(|error| eprintln!("signals-redis: {error}"))
}

/// A process's own name for itself in entries and consumer names:
/// `{program}-{pid}`.
pub(crate) fn process_name() -> String {
    let program = std::env::current_exe()
        .ok()
        .and_then(|path| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "process".to_owned());
    format!("{program}-{}", std::process::id())
}

pub(crate) fn at_least(
    setting: &'static str,
    value: u64,
    minimum: u64,
    expected: &'static str,
) -> Result<(), BridgeError> {
    if value < minimum {
        return Err(BridgeError::InvalidSetting {
            setting,
            value: value.to_string(),
            expected,
        });
    }
    Ok(())
}

/// Waits that double from 50 ms up to 5 s, between attempts to reach a
/// broker that is down.
pub(crate) struct Backoff(Duration);

impl Backoff {
    const FIRST: Duration = Duration::from_millis(50);
    const LAST: Duration = Duration::from_secs(5);

    pub(crate) fn new() -> Self {
        Self(Self::FIRST)
    }

    /// The next wait.
    pub(crate) fn next_wait(&mut self) -> Duration {
        let wait = self.0;
        self.0 = (self.0 * 2).min(Self::LAST);
        wait
    }

    pub(crate) fn reset(&mut self) {
        self.0 = Self::FIRST;
    }
}

/// A connection with timeouts, so that a broker that stops answering
/// shows as an error instead of a hang.
pub(crate) fn connect(
    url: &crate::RedisUrl,
    read_timeout: Duration,
) -> Result<redis::Connection, BridgeError> {
    let connection = url
        .client()
        .get_connection_with_timeout(Duration::from_secs(2))
        .map_err(|error| url.error("connect", &error))?;
    connection
        .set_read_timeout(Some(read_timeout))
        .and_then(|()| connection.set_write_timeout(Some(Duration::from_secs(5))))
        .map_err(|error| url.error("connect", &error))?;
    Ok(connection)
}
