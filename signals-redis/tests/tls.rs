//! `rediss://` against a real `redis-server` speaking TLS, with a
//! certificate authority made for the test. Run with `--features tls`.

#![cfg(feature = "tls")]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, eventually};
use signals::signal;
use signals_redis::{BridgeError, Publisher, Subscriber, remote};

#[signal(bridge)]
pub fn sealed(id: u64);

#[test]
fn a_send_travels_over_tls_to_a_trusted_server_only() {
    let Some(server) = Server::start_tls() else {
        return;
    };
    let (port, authority) = server.tls.clone().unwrap();
    let url = format!("rediss://localhost:{port}");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _receiver = sealed.connect(move |id| {
        if remote().is_some() {
            sink.lock().unwrap().push(id);
        }
    });
    let _subscriber = Subscriber::builder(&url, "vault")
        .tls_root_certificate(authority.clone())
        .subscribe(sealed)
        .start()
        .unwrap();
    let publisher = Publisher::builder(&url)
        .tls_root_certificate(authority.clone())
        .build()
        .unwrap();
    publisher.publish(sealed).unwrap();
    sealed.send(7);
    publisher.flush(Duration::from_secs(20)).unwrap();
    assert!(eventually(Duration::from_secs(20), || *seen
        .lock()
        .unwrap()
        == [7]));

    // Without the authority, the server's certificate is not trusted.
    let untrusted = Subscriber::builder(&url, "vault")
        .subscribe(sealed)
        .start()
        .unwrap_err();
    assert!(
        matches!(
            untrusted,
            BridgeError::Redis {
                operation: "connect",
                ..
            }
        ),
        "{untrusted}"
    );

    // A certificate authority for a URL without TLS would go unused.
    let plain = Publisher::builder(&server.url())
        .tls_root_certificate(authority)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            plain,
            BridgeError::InvalidSetting {
                setting: "tls_root_certificate",
                ..
            }
        ),
        "{plain}"
    );
}
