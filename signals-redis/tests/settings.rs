//! What a bridge refuses, and what a publisher does with no broker to
//! reach: no server needed.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use signals::signal;
use signals_redis::{BridgeError, Publisher, Subscriber};

#[signal(bridge)]
pub fn stock_changed(sku: &str, count: i64);

#[signal(bridge)]
pub fn price_changed(cents: u64);

/// A loopback port that nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port()
}

#[test]
fn each_setting_out_of_range_is_named() {
    let url = "redis://127.0.0.1:1";
    let setting = |error: BridgeError| match error {
        BridgeError::InvalidSetting { setting, .. } => setting,
        other => panic!("not a setting: {other}"),
    };
    let publisher =
        |builder: signals_redis::PublisherBuilder| setting(builder.build().unwrap_err());
    assert_eq!(publisher(Publisher::builder(url).buffer(0)), "buffer");
    assert_eq!(publisher(Publisher::builder(url).batch(0)), "batch");
    assert_eq!(
        publisher(Publisher::builder(url).max_payload(0)),
        "max_payload"
    );
    assert_eq!(
        publisher(Publisher::builder(url).max_len(Some(0))),
        "max_len"
    );

    let subscriber = |builder: signals_redis::SubscriberBuilder| {
        setting(builder.subscribe(price_changed).start().unwrap_err())
    };
    assert_eq!(
        subscriber(Subscriber::builder(url, "g").max_deliveries(0)),
        "max_deliveries"
    );
    assert_eq!(
        subscriber(Subscriber::builder(url, "g").min_idle(Duration::ZERO)),
        "min_idle"
    );
    assert_eq!(
        subscriber(Subscriber::builder(url, "g").block(Duration::ZERO)),
        "block"
    );
    assert_eq!(subscriber(Subscriber::builder(url, "g").batch(0)), "batch");
    assert_eq!(subscriber(Subscriber::builder(url, "")), "group");
    let nothing = Subscriber::builder(url, "g").start().unwrap_err();
    assert_eq!(setting(nothing.clone()), "subscribe");
    assert_eq!(
        nothing.to_string(),
        "invalid `subscribe` no signal: expected at least one `.subscribe(signal)`"
    );
}

#[test]
fn a_signal_bridged_twice_is_refused() {
    let twice = Subscriber::builder("redis://127.0.0.1:1", "g")
        .subscribe(price_changed)
        .subscribe(price_changed)
        .start()
        .unwrap_err();
    assert_eq!(
        twice,
        BridgeError::AlreadyBridged {
            signal: "settings::price_changed".to_owned()
        }
    );
    let publisher = Publisher::builder(&format!("redis://127.0.0.1:{}", closed_port()))
        .on_error(|_| {})
        .build()
        .unwrap();
    publisher.publish(price_changed).unwrap();
    assert!(matches!(
        publisher.publish(price_changed),
        Err(BridgeError::AlreadyBridged { .. })
    ));
    let url = format!("redis://127.0.0.1:{}", closed_port());
    let another = Publisher::builder(&url).on_error(|_| {}).build().unwrap();
    assert!(
        matches!(
            another.publish(price_changed),
            Err(BridgeError::AlreadyBridged { .. })
        ),
        "two publishers in one process would write each send twice"
    );
    drop(publisher);
    another.publish(price_changed).unwrap();
}

#[test]
fn urls_are_checked_and_tls_needs_its_feature() {
    assert!(matches!(
        Publisher::builder("http://x:secret@host").build(),
        Err(BridgeError::InvalidUrl { .. })
    ));
    let tls = Publisher::builder("rediss://app:secret@127.0.0.1:6380").build();
    if cfg!(feature = "tls") {
        assert!(tls.is_ok());
    } else {
        let error = tls.unwrap_err();
        assert!(matches!(error, BridgeError::TlsNotEnabled { .. }));
        assert!(error.to_string().contains("`tls` feature"), "{error}");
        assert!(!format!("{error} {error:?}").contains("secret"));
    }
}

#[test]
fn with_the_broker_out_of_reach_a_publisher_buffers_then_refuses_and_says_so() {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = errors.clone();
    let publisher = Publisher::builder(&format!("redis://app:pw-9@127.0.0.1:{}", closed_port()))
        .buffer(3)
        .on_error(move |error| sink.lock().unwrap().push(error.clone()))
        .build()
        .unwrap();
    publisher.publish(stock_changed).unwrap();
    let received = Arc::new(Mutex::new(0));
    let count = received.clone();
    let _local = stock_changed.connect(move |_, _| *count.lock().unwrap() += 1);
    for count in 0..5 {
        stock_changed.send("sku-1", count);
    }
    assert_eq!(
        *received.lock().unwrap(),
        5,
        "local receivers run whatever the broker does"
    );
    let stats = publisher.stats();
    assert_eq!((stats.buffered, stats.rejected, stats.written), (3, 2, 0));
    assert_eq!(
        publisher.flush(Duration::from_millis(200)),
        Err(BridgeError::Unwritten { entries: 3 })
    );
    let errors = errors.lock().unwrap().clone();
    let full: Vec<_> = errors
        .iter()
        .filter(|error| matches!(error, BridgeError::BufferFull { capacity: 3, .. }))
        .collect();
    assert_eq!(full.len(), 2, "{errors:?}");
    assert!(
        errors.iter().any(|error| matches!(
            error,
            BridgeError::Redis {
                operation: "connect",
                ..
            }
        )),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .all(|error| !format!("{error} {error:?}").contains("pw-9"))
    );
    assert_eq!(
        publisher.close(Duration::from_millis(100)),
        Err(BridgeError::Unwritten { entries: 3 })
    );
}
