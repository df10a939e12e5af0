//! A Redis URL whose credentials never show: its `Debug` and `Display`
//! print `***` for the password, and every error text that passes through
//! [`RedisUrl::scrub`] has it replaced too.

use std::fmt;

use crate::BridgeError;

/// Where the broker is: `redis://[user[:password]@]host[:port][/db]`,
/// `rediss://..` for TLS (with the `tls` feature), or
/// `redis+unix:///path/to/socket[?db=n&user=u&pass=p]`.
///
/// The password, as written or percent-decoded, is never printed:
///
/// ```
/// let url = signals_redis::RedisUrl::parse("redis://billing:s3cret@127.0.0.1:6379/0").unwrap();
/// assert_eq!(url.to_string(), "redis://billing:***@127.0.0.1:6379/0");
/// assert!(!format!("{url:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct RedisUrl {
    client: redis::Client,
    shown: String,
    secrets: Vec<String>,
}

impl RedisUrl {
    /// Checks `url` and prepares a client for it; nothing connects yet.
    ///
    /// # Errors
    ///
    /// [`BridgeError::InvalidUrl`] for a URL the `redis` crate cannot use,
    /// and [`BridgeError::TlsNotEnabled`] for `rediss://` without the
    /// `tls` feature.
    pub fn parse(url: &str) -> Result<Self, BridgeError> {
        let (shown, secrets) = redact(url);
        let scheme = url.split("://").next().unwrap_or_default();
        if !url.contains("://") || !["redis", "rediss", "redis+unix", "unix"].contains(&scheme) {
            return Err(BridgeError::InvalidUrl {
                url: shown,
                reason: "expected redis://, rediss://, redis+unix:// or unix://".to_owned(),
            });
        }
        if scheme == "rediss" && !cfg!(feature = "tls") {
            return Err(BridgeError::TlsNotEnabled { url: shown });
        }
        let client = redis::Client::open(url).map_err(|error| BridgeError::InvalidUrl {
            reason: scrub_with(&secrets, &error.to_string()),
            url: shown.clone(),
        })?;
        Ok(Self {
            client,
            shown,
            secrets,
        })
    }

    /// Like [`parse`](Self::parse), for a `rediss://` URL whose server
    /// presents a certificate signed by `root_certificate` (PEM): a
    /// private certificate authority, trusted instead of the platform's.
    ///
    /// # Errors
    ///
    /// As `parse`, and [`BridgeError::InvalidSetting`] for a URL that is
    /// not `rediss://`, which would not use the certificate.
    #[cfg(feature = "tls")]
    pub fn with_root_certificate(url: &str, root_certificate: &[u8]) -> Result<Self, BridgeError> {
        let mut parsed = Self::parse(url)?;
        if !url.starts_with("rediss://") {
            return Err(BridgeError::InvalidSetting {
                setting: "tls_root_certificate",
                value: format!("with `{}`", parsed.shown),
                expected: "a rediss:// URL",
            });
        }
        let certificates = redis::TlsCertificates {
            client_tls: None,
            root_cert: Some(root_certificate.to_vec()),
        };
        parsed.client = redis::Client::build_with_tls(url, certificates).map_err(|error| {
            BridgeError::InvalidSetting {
                setting: "tls_root_certificate",
                value: parsed.scrub(&error.to_string()),
                expected: "a PEM certificate",
            }
        })?;
        Ok(parsed)
    }

    /// `url`, with `root_certificate` if one is given.
    pub(crate) fn open(url: &str, root_certificate: Option<&[u8]>) -> Result<Self, BridgeError> {
        match root_certificate {
            #[cfg(feature = "tls")]
            Some(root_certificate) => Self::with_root_certificate(url, root_certificate),
            _ => Self::parse(url),
        }
    }

    pub(crate) fn client(&self) -> &redis::Client {
        &self.client
    }

    /// `text` with every form of the password replaced by `***`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        scrub_with(&self.secrets, text)
    }

    /// A Redis error, with the URL shown and the password scrubbed.
    pub(crate) fn error(&self, operation: &'static str, error: &redis::RedisError) -> BridgeError {
        BridgeError::Redis {
            url: self.shown.clone(),
            operation,
            message: self.scrub(&error.to_string()),
        }
    }
}

impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RedisUrl").field(&self.shown).finish()
    }
}

fn scrub_with(secrets: &[String], text: &str) -> String {
    secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret.as_str(), "***")
        })
}

/// The URL with its password shown as `***`, and the password's forms.
fn redact(url: &str) -> (String, Vec<String>) {
    let mut secrets = Vec::new();
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), secrets);
    };
    let (authority, path) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, password)) => {
                secrets.push(password.to_owned());
                format!("{user}:***@{host}")
            }
            None => format!("{user_info}@{host}"),
        },
        None => authority.to_owned(),
    };
    let path = match path.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, value)) if key == "pass" || key == "password" => {
                        secrets.push(value.to_owned());
                        format!("{key}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => path.to_owned(),
    };
    let decoded: Vec<String> = secrets
        .iter()
        .map(|secret| percent_decode(secret))
        .collect();
    secrets.extend(decoded);
    (format!("{scheme}://{authority}{path}"), secrets)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_every_form() {
        let url = RedisUrl::parse("redis://app:p%40ss@localhost:6390/2").unwrap();
        assert_eq!(url.to_string(), "redis://app:***@localhost:6390/2");
        assert_eq!(
            url.scrub("auth p@ss failed, p%40ss"),
            "auth *** failed, ***"
        );
        let socket = RedisUrl::parse("redis+unix:///run/redis.sock?db=1&pass=hunter2").unwrap();
        assert_eq!(
            socket.to_string(),
            "redis+unix:///run/redis.sock?db=1&pass=***"
        );
        assert!(!format!("{socket:?}").contains("hunter2"));
    }

    #[test]
    fn a_bad_url_names_what_is_expected_without_its_password() {
        let error = RedisUrl::parse("http://u:topsecret@host").unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(text.contains("expected redis://"), "{text}");
        assert!(!text.contains("topsecret"), "{text}");
    }
}
