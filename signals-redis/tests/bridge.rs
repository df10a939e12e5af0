//! The bridge against a real `redis-server`: each test starts its own on a
//! free loopback port, and kills it by process id.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, eventually};
use serde::{Deserialize, Serialize};
use signals::signal;
use signals_redis::{BridgeError, Publisher, Subscriber, remote};

const WAIT: Duration = Duration::from_secs(20);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: u64,
    pub item: String,
}

type Shared<T> = Arc<Mutex<Vec<T>>>;

/// A list, and a handle on it for a receiver.
fn collected<T>() -> (Shared<T>, Shared<T>) {
    let list = Arc::new(Mutex::new(Vec::new()));
    (list.clone(), list)
}

fn quiet_errors() -> impl Fn(&BridgeError) + Send + Sync + 'static {
    |_| {}
}

#[signal(bridge)]
pub fn order_placed(order: &Order, note: &str);

#[test]
fn a_send_reaches_the_receivers_of_another_process_once() {
    struct Till;
    let Some(server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = order_placed.connect(move |order, note| {
        let remote = remote().map(|remote| {
            (
                remote.sender.clone(),
                remote.deliveries,
                remote.emission.clone(),
            )
        });
        sink.lock()
            .unwrap()
            .push((order.clone(), note.to_owned(), remote));
    });
    let subscriber = Subscriber::builder(&server.url(), "shop")
        .subscribe(order_placed)
        .start()
        .unwrap();
    // This process publishes the signal too: what it delivers from the
    // stream must not be published again.
    let publisher = Publisher::builder(&server.url())
        .source("till-1")
        .build()
        .unwrap();
    publisher.publish(order_placed).unwrap();

    let tea = Order {
        id: 1,
        item: "tea".to_owned(),
    };
    order_placed.send(&tea, "plain");
    order_placed.send_from(&Till, &tea, "from the till");
    publisher.flush(WAIT).unwrap();
    assert!(eventually(WAIT, || seen.lock().unwrap().len() == 4));
    std::thread::sleep(Duration::from_millis(300));

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4, "two local sends, two deliveries: {seen:?}");
    let remote: Vec<_> = seen
        .iter()
        .filter(|(.., remote)| remote.is_some())
        .collect();
    assert_eq!(remote.len(), 2);
    assert_eq!(remote[0].0, tea);
    assert_eq!(remote[0].1, "plain");
    assert_eq!(remote[0].2.as_ref().unwrap().0, None);
    assert_eq!(remote[0].2.as_ref().unwrap().1, 1);
    assert!(
        remote[1]
            .2
            .as_ref()
            .unwrap()
            .0
            .as_deref()
            .unwrap()
            .ends_with("Till")
    );
    assert_ne!(
        remote[0].2.as_ref().unwrap().2,
        remote[1].2.as_ref().unwrap().2
    );

    let stream = "signals:bridge::order_placed";
    let entries = server.entries(stream);
    assert_eq!(entries.len(), 2, "no echo: {entries:?}");
    assert_eq!(entries[0]["v"], "1");
    assert_eq!(
        entries[0]["sig"],
        "bridge::order_placed fn(order: &Order, note: &str)"
    );
    assert_eq!(entries[0]["src"], "till-1");
    assert_eq!(entries[0]["p"], r#"[{"id":1,"item":"tea"},"plain"]"#);
    assert_eq!(server.pending(stream, "shop"), 0);
    assert_eq!(subscriber.stats().acknowledged, 2);
}

#[signal(bridge)]
pub fn job_queued(id: u64);

#[test]
fn two_consumers_of_a_group_share_the_entries_and_each_group_gets_all() {
    let Some(server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = job_queued.connect(move |id| {
        if remote().is_some() {
            let thread = std::thread::current().name().map(str::to_owned);
            sink.lock().unwrap().push((id, thread));
        }
    });
    let start = |group: &str, consumer: &str| {
        Subscriber::builder(&server.url(), group)
            .consumer(consumer)
            .batch(4)
            .subscribe(job_queued)
            .start()
            .unwrap()
    };
    let first = start("workers", "first");
    let second = start("workers", "second");
    let audit = start("audit", "only");
    let publisher = Publisher::builder(&server.url()).build().unwrap();
    publisher.publish(job_queued).unwrap();
    for id in 0..400 {
        job_queued.send(id);
    }
    publisher.flush(WAIT).unwrap();
    assert!(eventually(WAIT, || seen.lock().unwrap().len() == 800));

    let seen = seen.lock().unwrap();
    let by = |consumer: &str| -> Vec<u64> {
        seen.iter()
            .filter(|(_, thread)| {
                thread.as_deref() == Some(&format!("signals-redis consumer {consumer}")[..])
            })
            .map(|(id, _)| *id)
            .collect()
    };
    let (a, b, all) = (by("first"), by("second"), by("only"));
    assert_eq!(
        all,
        (0..400).collect::<Vec<_>>(),
        "one consumer keeps the order"
    );
    assert!(
        !a.is_empty() && !b.is_empty(),
        "both worked: {} and {}",
        a.len(),
        b.len()
    );
    let union: HashSet<u64> = a.iter().chain(&b).copied().collect();
    assert_eq!(a.len() + b.len(), 400, "no entry went to both");
    assert_eq!(union.len(), 400);
    drop((first, second, audit));
}

#[signal(bridge)]
pub fn ledger_entry(sequence: u64);

#[test]
fn one_consumer_sees_a_stream_in_order() {
    let Some(server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = ledger_entry.connect(move |sequence| sink.lock().unwrap().push(sequence));
    let publisher = Publisher::builder(&server.url()).batch(7).build().unwrap();
    publisher.publish(ledger_entry).unwrap();
    for sequence in 0..1000 {
        ledger_entry.send(sequence);
    }
    publisher.flush(WAIT).unwrap();
    seen.lock().unwrap().clear();
    let _subscriber = Subscriber::builder(&server.url(), "ledger")
        .subscribe(ledger_entry)
        .start()
        .unwrap();
    assert!(eventually(WAIT, || seen.lock().unwrap().len() == 1000));
    assert_eq!(*seen.lock().unwrap(), (0..1000).collect::<Vec<_>>());
}

#[signal(bridge)]
pub fn card_charged(cents: u64) -> Result<(), String>;

#[test]
fn a_poison_entry_is_retried_then_dead_lettered_and_the_rest_flows() {
    let Some(server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = card_charged.connect(move |cents| {
        let deliveries = remote().map_or(0, |remote| remote.deliveries);
        sink.lock().unwrap().push((cents, deliveries));
        if cents == 13 {
            Err(format!("card declined for {cents} cents"))
        } else {
            Ok(())
        }
    });
    let (errors, error_sink) = collected();
    let subscriber = Subscriber::builder(&server.url(), "payments")
        .max_deliveries(3)
        .min_idle(Duration::from_millis(100))
        .claim_every(Duration::from_millis(50))
        .on_error(move |error| error_sink.lock().unwrap().push(error.to_string()))
        .subscribe(card_charged)
        .start()
        .unwrap();
    let publisher = Publisher::builder(&server.url()).build().unwrap();
    publisher.publish(card_charged).unwrap();
    card_charged.send(13);
    card_charged.send(20);
    publisher.flush(WAIT).unwrap();
    seen.lock()
        .unwrap()
        .retain(|(_, deliveries)| *deliveries > 0);

    let stream = "signals:bridge::card_charged";
    assert!(eventually(WAIT, || server
        .entries(&format!("{stream}:dead"))
        .len()
        == 1));
    card_charged.send(30);
    publisher.flush(WAIT).unwrap();
    assert!(eventually(WAIT, || seen
        .lock()
        .unwrap()
        .iter()
        .any(|(cents, _)| *cents == 30)));

    let dead = &server.entries(&format!("{stream}:dead"))[0];
    assert_eq!(dead["deliveries"], "3");
    assert_eq!(dead["group"], "payments");
    assert_eq!(dead["p"], "[13]");
    assert!(
        dead["reason"].contains("card declined for 13 cents"),
        "{dead:?}"
    );
    assert!(dead["reason"].contains("3 deliveries"), "{dead:?}");
    let poisoned: Vec<u64> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(cents, _)| *cents == 13)
        .map(|(_, deliveries)| *deliveries)
        .collect();
    assert_eq!(poisoned, [1, 2, 3]);
    assert!(eventually(WAIT, || server.pending(stream, "payments") == 0));
    assert_eq!(subscriber.stats().dead_lettered, 1);
    assert!(
        errors
            .lock()
            .unwrap()
            .iter()
            .any(|error| error.contains("moved to"))
    );
}

#[signal(bridge)]
pub fn parcel_sent(weight: u32, label: &str);

#[test]
fn entries_that_cannot_be_decoded_go_to_the_dead_letter_stream_at_once() {
    let Some(server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = parcel_sent.connect(move |weight, label: &str| {
        sink.lock().unwrap().push((weight, label.to_owned()));
    });
    let _subscriber = Subscriber::builder(&server.url(), "post")
        .max_payload(64)
        .on_error(quiet_errors())
        .subscribe(parcel_sent)
        .start()
        .unwrap();
    let stream = "signals:bridge::parcel_sent";
    let signature = "bridge::parcel_sent fn(weight: u32, label: &str)";
    let add = |fields: &[(&str, &str)]| {
        let mut command = redis::cmd("XADD");
        command.arg(stream).arg("*");
        for (field, value) in fields {
            command.arg(*field).arg(*value);
        }
        server.query::<String>(&mut command);
    };
    let envelope = |version: &str, sig: &str, payload: &str| {
        add(&[
            ("v", version),
            ("sig", sig),
            ("id", "x-1"),
            ("ts", "0"),
            ("src", "test"),
            ("ct", "json"),
            ("p", payload),
        ]);
    };
    envelope("1", signature, "not json");
    envelope("1", signature, r#"["heavy", "label"]"#);
    envelope("2", signature, "[1, \"a\"]");
    envelope("1", "bridge::parcel_sent fn(weight: u64)", "[1]");
    envelope("1", signature, &format!("[1, \"{}\"]", "x".repeat(100)));
    add(&[("hello", "world")]);
    envelope("1", signature, "[5, \"fine\"]");

    assert!(eventually(WAIT, || server
        .entries(&format!("{stream}:dead"))
        .len()
        == 6));
    assert!(eventually(WAIT, || seen.lock().unwrap().len() == 1));
    assert_eq!(*seen.lock().unwrap(), [(5, "fine".to_owned())]);
    let reasons: Vec<String> = server
        .entries(&format!("{stream}:dead"))
        .iter()
        .map(|dead| {
            assert_eq!(dead["deliveries"], "1");
            dead["reason"].clone()
        })
        .collect();
    assert!(
        reasons[0].starts_with("cannot decode the payload"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("cannot decode the payload"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].contains("version \"2\" is unknown"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("signature mismatch"), "{reasons:?}");
    assert!(
        reasons[4].contains("exceeds the limit of 64 bytes"),
        "{reasons:?}"
    );
    assert!(reasons[5].contains("no `v` field"), "{reasons:?}");
    assert_eq!(server.pending(stream, "post"), 0);
}

#[signal(bridge)]
pub fn photo_uploaded(bytes: &[u8]);

#[test]
fn a_publisher_sends_an_oversized_payload_to_the_dead_letter_stream() {
    let Some(server) = Server::start() else {
        return;
    };
    let (errors, sink) = collected();
    let publisher = Publisher::builder(&server.url())
        .max_payload(100)
        .on_error(move |error| sink.lock().unwrap().push(error.clone()))
        .build()
        .unwrap();
    publisher.publish(photo_uploaded).unwrap();
    photo_uploaded.send(&[7; 10]);
    photo_uploaded.send(&[7; 1000]);
    publisher.flush(WAIT).unwrap();
    let stream = "signals:bridge::photo_uploaded";
    assert_eq!(server.entries(stream).len(), 1);
    let dead = server.entries(&format!("{stream}:dead"));
    assert_eq!(dead.len(), 1);
    assert!(!dead[0].contains_key("p"));
    assert!(dead[0]["reason"].contains("exceeds the limit of 100 bytes"));
    assert!(matches!(
        errors.lock().unwrap()[..],
        [BridgeError::PayloadTooLarge { limit: 100, .. }]
    ));
    assert_eq!(publisher.stats().dead_lettered, 1);
}

#[signal(bridge)]
pub fn reading_taken(value: u64);

#[test]
fn a_broker_killed_and_restarted_loses_nothing_it_acknowledged() {
    let Some(mut server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = reading_taken.connect(move |value| {
        if remote().is_some() {
            sink.lock().unwrap().push(value);
        }
    });
    let subscriber = Subscriber::builder(&server.url(), "meters")
        .min_idle(Duration::from_millis(500))
        .on_error(quiet_errors())
        .subscribe(reading_taken)
        .start()
        .unwrap();
    let publisher = Publisher::builder(&server.url())
        .on_error(quiet_errors())
        .build()
        .unwrap();
    publisher.publish(reading_taken).unwrap();
    let stream = "signals:bridge::reading_taken";

    for value in 0..300 {
        reading_taken.send(value);
    }
    publisher.flush(WAIT).unwrap();
    let written_before = publisher.stats().written;
    assert_eq!(written_before, 300);
    server.kill();
    // Sent while the broker is down: they wait in the buffer.
    for value in 300..400 {
        reading_taken.send(value);
    }
    assert!(publisher.flush(Duration::from_millis(300)).is_err());
    server.restart();
    assert!(
        server.entries(stream).len() >= 300,
        "every entry written before the kill is there"
    );
    publisher.flush(WAIT).unwrap();
    for value in 400..500 {
        reading_taken.send(value);
    }
    publisher.flush(WAIT).unwrap();

    let everything: HashSet<u64> = (0..500).collect();
    assert!(
        eventually(WAIT, || seen
            .lock()
            .unwrap()
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            == everything),
        "missing: {:?}",
        everything
            .difference(&seen.lock().unwrap().iter().copied().collect())
            .collect::<Vec<_>>()
    );
    assert!(eventually(WAIT, || server.pending(stream, "meters") == 0));
    assert_eq!(publisher.stats().rejected, 0);
    let stats = subscriber.stats();
    // One delivery may repeat: its ack reached the broker as it died.
    assert!(stats.delivered >= 500, "{stats:?}");
}

#[signal(bridge)]
pub fn invoice_due(number: u64);

/// The consumer that dies: run by `a_consumer_killed_before_its_ack...`
/// as a child process, never by itself.
#[test]
#[ignore = "a child process of another test"]
fn child_consumer_that_dies_mid_delivery() {
    let Ok(url) = std::env::var("SIGNALS_REDIS_CHILD_URL") else {
        return;
    };
    let _receiver = invoice_due.connect(|_| std::process::abort());
    let _subscriber = Subscriber::builder(&url, "billing")
        .consumer("doomed")
        .subscribe(invoice_due)
        .start()
        .unwrap();
    std::thread::sleep(WAIT);
}

#[test]
fn a_consumer_killed_before_its_ack_leaves_the_entry_to_another() {
    let Some(server) = Server::start() else {
        return;
    };
    let publisher = Publisher::builder(&server.url()).build().unwrap();
    publisher.publish(invoice_due).unwrap();
    invoice_due.send(42);
    publisher.flush(WAIT).unwrap();

    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_consumer_that_dies_mid_delivery",
            "--ignored",
            "--nocapture",
        ])
        .env("SIGNALS_REDIS_CHILD_URL", server.url())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child aborts in its receiver");
    let stream = "signals:bridge::invoice_due";
    assert_eq!(
        server.pending(stream, "billing"),
        1,
        "held by the dead consumer"
    );

    let (seen, sink) = collected();
    let _receiver = invoice_due.connect(move |number| {
        let remote = remote().unwrap();
        sink.lock().unwrap().push((number, remote.deliveries));
    });
    let rescuer = Subscriber::builder(&server.url(), "billing")
        .consumer("rescuer")
        .min_idle(Duration::from_millis(200))
        .subscribe(invoice_due)
        .start()
        .unwrap();
    assert!(eventually(WAIT, || !seen.lock().unwrap().is_empty()));
    assert_eq!(*seen.lock().unwrap(), [(42, 2)]);
    assert!(eventually(WAIT, || server.pending(stream, "billing") == 0));
    assert_eq!(rescuer.stats().reclaimed, 1);
}

#[signal(bridge)]
pub fn secret_kept(id: u64);

#[test]
fn credentials_work_and_never_show() {
    let Some(server) = Server::start() else {
        return;
    };
    server.query::<()>(
        redis::cmd("ACL")
            .arg("SETUSER")
            .arg("app")
            .arg("on")
            .arg(">hunter2-pw")
            .arg("~*")
            .arg("+@all"),
    );
    let good = format!("redis://app:hunter2-pw@127.0.0.1:{}", server.port);
    let (seen, sink) = collected();
    let _receiver = secret_kept.connect(move |id| sink.lock().unwrap().push(id));
    let subscriber = Subscriber::builder(&good, "vault")
        .subscribe(secret_kept)
        .start()
        .unwrap();
    let publisher = Publisher::builder(&good).build().unwrap();
    publisher.publish(secret_kept).unwrap();
    secret_kept.send(1);
    publisher.flush(WAIT).unwrap();
    assert!(eventually(WAIT, || seen.lock().unwrap().len() == 2));
    assert!(!format!("{publisher:?} {subscriber:?}").contains("hunter2"));

    let bad = format!("redis://app:wrong-pw@127.0.0.1:{}", server.port);
    let error = Subscriber::builder(&bad, "vault")
        .subscribe(secret_kept)
        .start()
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(matches!(error, BridgeError::Redis { .. }), "{text}");
    assert!(text.contains("app:***@"), "{text}");
    assert!(!text.contains("wrong-pw"), "{text}");
}

#[signal(bridge)]
pub fn page_viewed(page: u32);

#[test]
fn a_new_group_starts_from_the_beginning_or_from_new_entries_as_told() {
    let Some(server) = Server::start() else {
        return;
    };
    let publisher = Publisher::builder(&server.url()).build().unwrap();
    publisher.publish(page_viewed).unwrap();
    page_viewed.send(1);
    publisher.flush(WAIT).unwrap();

    let (seen, sink) = collected();
    let _receiver = page_viewed.connect(move |page| {
        if let Some(remote) = remote() {
            sink.lock().unwrap().push((remote.stream.clone(), page));
        }
    });
    let history = Subscriber::builder(&server.url(), "history")
        .subscribe(page_viewed)
        .start()
        .unwrap();
    let live = Subscriber::builder(&server.url(), "live")
        .start_from(signals_redis::StartFrom::New)
        .subscribe(page_viewed)
        .start()
        .unwrap();
    page_viewed.send(2);
    publisher.flush(WAIT).unwrap();
    assert!(eventually(WAIT, || {
        history.stats().acknowledged == 2 && live.stats().acknowledged == 1
    }));
    let pages: Vec<u32> = seen.lock().unwrap().iter().map(|(_, page)| *page).collect();
    assert_eq!(
        pages.iter().filter(|page| **page == 1).count(),
        1,
        "{pages:?}"
    );
    assert_eq!(
        pages.iter().filter(|page| **page == 2).count(),
        2,
        "{pages:?}"
    );
}

#[signal(bridge)]
pub fn mail_queued(id: u64);

#[test]
fn stopping_finishes_and_acknowledges_what_was_read() {
    let Some(server) = Server::start() else {
        return;
    };
    let (seen, sink) = collected();
    let _receiver = mail_queued.connect(move |id| {
        if remote().is_some() {
            std::thread::sleep(Duration::from_millis(2));
            sink.lock().unwrap().push(id);
        }
    });
    let subscriber = Subscriber::builder(&server.url(), "mail")
        .batch(50)
        .subscribe(mail_queued)
        .start()
        .unwrap();
    let publisher = Publisher::builder(&server.url()).build().unwrap();
    publisher.publish(mail_queued).unwrap();
    for id in 0..200 {
        mail_queued.send(id);
    }
    publisher.flush(WAIT).unwrap();
    assert!(eventually(WAIT, || !seen.lock().unwrap().is_empty()));
    subscriber.stop();
    let delivered = seen.lock().unwrap().len();
    let stream = "signals:bridge::mail_queued";
    assert_eq!(
        server.pending(stream, "mail"),
        0,
        "nothing read is left unacknowledged"
    );
    assert!(delivered < 200, "stopped before the end: {delivered}");
    let rest = Subscriber::builder(&server.url(), "mail")
        .subscribe(mail_queued)
        .start()
        .unwrap();
    assert!(eventually(WAIT, || seen.lock().unwrap().len() == 200));
    drop(rest);
}

mod graveyard {
    /// Named so that its stream ends as a dead-letter stream's name does.
    #[signals::signal(bridge)]
    pub fn dead(id: u64);
}

#[test]
fn streams_are_trimmed_as_configured_whatever_the_signal_is_named() {
    let Some(server) = Server::start() else {
        return;
    };
    let publisher = Publisher::builder(&server.url())
        .max_len(Some(10))
        .build()
        .unwrap();
    publisher.publish(graveyard::dead).unwrap();
    for id in 0..1000 {
        graveyard::dead.send(id);
    }
    publisher.flush(WAIT).unwrap();
    let length: usize = server.query(redis::cmd("XLEN").arg("signals:bridge::graveyard::dead"));
    // `MAXLEN ~` trims whole nodes of the stream, so about, not exactly.
    assert!(length < 1000 / 2, "{length} entries kept");
}
