//! `#[signal(bridge)]`: the `Bridge` impl a transport uses, seen from
//! outside, for every way an argument can be passed.

use std::sync::{Arc, Mutex};

use signals::{Bridge, ConnectOptions, receiver, signal};

#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub id: u64,
    pub lines: Vec<String>,
}

#[signal(bridge)]
pub fn order_placed(order: &Order, note: &str, tags: &[u32], count: u32);

#[signal(bridge)]
pub fn order_adjusted(order: &mut Order);

#[signal(bridge)]
pub fn order_checked(order: &Order) -> Result<(), String>;

#[signal(bridge)]
pub fn file_written(path: &str) -> std::io::Result<()>;

static ADJUSTED: Mutex<Vec<Order>> = Mutex::new(Vec::new());

#[receiver(signal = order_adjusted)]
fn add_line(order: &mut Order) {
    order.lines.push("adjusted".to_owned());
    ADJUSTED.lock().unwrap().push(order.clone());
}

#[receiver(signal = order_checked)]
fn reject_odd(order: &Order) -> Result<(), String> {
    if order.id % 2 == 1 {
        Err(format!("order {} is odd", order.id))
    } else {
        Ok(())
    }
}

#[receiver(signal = order_checked)]
fn panic_on_zero(order: &Order) -> Result<(), String> {
    assert!(order.id != 0, "order zero");
    Ok(())
}

#[receiver(signal = file_written)]
fn refuse(path: &str) -> std::io::Result<()> {
    Err(std::io::Error::other(format!("cannot read {path}")))
}

#[test]
fn forwarding_sees_every_argument_of_a_send() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let connection =
        order_placed.forward(&ConnectOptions::new(), move |(order, note, tags, count)| {
            sink.lock()
                .unwrap()
                .push((order.clone(), note.to_owned(), tags.to_vec(), count));
        });
    let order = Order {
        id: 1,
        lines: vec!["tea".to_owned()],
    };
    order_placed.send(&order, "urgent", &[1, 2], 3);
    connection.disconnect();
    order_placed.send(&order, "ignored", &[], 0);
    assert_eq!(
        *seen.lock().unwrap(),
        [(order, "urgent".to_owned(), vec![1, 2], 3)]
    );
    assert_eq!(
        <order_placed as Bridge>::PARAMETERS,
        ["order", "note", "tags", "count"]
    );
}

#[test]
fn a_delivery_lends_owned_arguments_and_a_mutable_one_can_change() {
    let order = Order {
        id: 4,
        lines: Vec::new(),
    };
    assert!(order_adjusted.deliver((order,)).is_empty());
    assert_eq!(ADJUSTED.lock().unwrap()[0].lines, ["adjusted"]);
}

#[test]
fn a_delivery_reports_each_failed_receiver_as_text() {
    let fine = Order {
        id: 2,
        lines: Vec::new(),
    };
    assert!(order_checked.deliver((fine,)).is_empty());

    let odd = Order {
        id: 3,
        lines: Vec::new(),
    };
    let failures = order_checked.deliver((odd,));
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("reject_odd"), "{failures:?}");
    assert!(failures[0].contains("order 3 is odd"), "{failures:?}");

    let zero = Order {
        id: 0,
        lines: Vec::new(),
    };
    let failures = order_checked.deliver((zero,));
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("panicked: order zero"), "{failures:?}");

    let failures = file_written.deliver(("/etc/x".to_owned(),));
    assert!(failures[0].contains("cannot read /etc/x"), "{failures:?}");
}

#[test]
fn forwarding_a_fallible_signal_counts_as_success() {
    let connection = order_checked.forward(&ConnectOptions::new(), |_| {});
    let results = order_checked.send_robust(&Order {
        id: 2,
        lines: Vec::new(),
    });
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(Result::is_ok));
    connection.disconnect();
}

#[signal(bridge)]
pub fn moved(from: &std::path::Path, to: &mut std::path::Path);

#[test]
fn paths_travel_as_path_bufs() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _connection = moved.connect(move |from, to| {
        sink.lock().unwrap().push((from.to_owned(), to.to_owned()));
    });
    let failures = moved.deliver(("/a".into(), "/b".into()));
    assert!(failures.is_empty());
    assert_eq!(*seen.lock().unwrap(), [("/a".into(), "/b".into())]);
}

#[test]
fn forwarding_from_a_sender_sees_its_type() {
    struct Till;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let _connection = moved.forward_from(&ConnectOptions::new(), move |sender, (from, _)| {
        sink.lock()
            .unwrap()
            .push((sender.type_name(), from.to_owned()));
    });
    moved.send(
        std::path::Path::new("/plain"),
        &mut std::path::PathBuf::from("/x"),
    );
    moved.send_from(
        &Till,
        std::path::Path::new("/till"),
        &mut std::path::PathBuf::from("/x"),
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].0.ends_with("Till"), "{seen:?}");
}

#[signal(bridge)]
pub fn cache_cleared();

#[test]
fn a_signal_without_parameters_forwards_and_delivers_an_empty_tuple() {
    let forwarded = Arc::new(Mutex::new(0));
    let count = forwarded.clone();
    let _connection = cache_cleared.forward(&ConnectOptions::new(), move |()| {
        *count.lock().unwrap() += 1;
    });
    cache_cleared.send();
    assert!(cache_cleared.deliver(()).is_empty());
    assert_eq!(*forwarded.lock().unwrap(), 2);
    assert!(<cache_cleared as Bridge>::PARAMETERS.is_empty());
}
