//! Handler objects: a struct whose methods receive several signals,
//! installed and removed as one unit.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use signals::{Handler, handler, signal};

pub struct App {
    pub name: &'static str,
}

pub struct IterationMessage {
    pub iteration: u32,
    pub stop: bool,
}

#[signal]
pub fn iteration_finished(app: &App, message: &mut IterationMessage);

#[signal]
pub fn session_finished(app: &App);

#[derive(Default)]
pub struct Recorder {
    seen: Mutex<Vec<String>>,
}

impl Recorder {
    fn record(&self, line: String) {
        self.seen.lock().unwrap().push(line);
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

pub struct EarlyStopper {
    patience: u32,
    recorder: Arc<Recorder>,
}

#[handler]
impl EarlyStopper {
    #[receiver(signal = iteration_finished, priority = -1)]
    fn check(&self, _app: &App, message: &mut IterationMessage) {
        if message.iteration >= self.patience {
            message.stop = true;
            self.recorder
                .record(format!("stop at {}", message.iteration));
        }
    }

    #[receiver(signal = session_finished)]
    fn report(&self, app: &App) {
        self.recorder.record(format!("{} finished", app.name));
    }

    /// Not a receiver: stays an ordinary method.
    fn patience(&self) -> u32 {
        self.patience
    }
}

#[test]
fn install_connects_every_method_and_dropping_the_guard_removes_them() {
    let recorder = Arc::new(Recorder::default());
    let stopper = EarlyStopper {
        patience: 3,
        recorder: Arc::clone(&recorder),
    }
    .install();
    assert_eq!(stopper.handler().patience(), 3);
    assert_eq!(stopper.connections().len(), 2);
    let app = App { name: "training" };
    let mut message = IterationMessage {
        iteration: 0,
        stop: false,
    };
    while !message.stop {
        message.iteration += 1;
        iteration_finished.send(&app, &mut message);
    }
    session_finished.send(&app);
    assert_eq!(recorder.take(), ["stop at 3", "training finished"]);

    let labels: Vec<String> = iteration_finished
        .receivers()
        .iter()
        .map(signals::ReceiverInfo::path)
        .collect();
    assert_eq!(labels, ["EarlyStopper::check"]);
    assert_eq!(iteration_finished.receivers()[0].priority(), -1);

    let handler = Arc::clone(stopper.handler());
    stopper.uninstall();
    assert!(iteration_finished.receivers().is_empty());
    assert!(session_finished.receivers().is_empty());
    assert_eq!(
        Arc::strong_count(&handler),
        1,
        "the closures let go of the handler"
    );
}

#[signal]
pub fn tick(step: u32);

#[signal]
pub fn scored(step: u32) -> u32;

pub struct Metrics {
    logged: AtomicU32,
    repeated: AtomicU32,
}

fn after_warm_up(step: u32) -> bool {
    step > 2
}

#[handler]
impl Metrics {
    #[receiver(signal = tick, every = 2, max_calls = 2)]
    fn log(&self, _step: u32) {
        self.logged.fetch_add(1, Ordering::Relaxed);
    }

    #[receiver(signal = tick, when = after_warm_up, repeat = 2)]
    fn twice(&self, _step: u32) {
        self.repeated.fetch_add(1, Ordering::Relaxed);
    }

    #[receiver(signal = scored, every = 2)]
    fn score(&self, step: u32) -> u32 {
        step * 10 + self.logged.load(Ordering::Relaxed)
    }
}

#[test]
fn policies_work_on_methods() {
    let metrics = Metrics {
        logged: AtomicU32::new(0),
        repeated: AtomicU32::new(0),
    }
    .install();
    for step in 1..=8 {
        tick.send(step);
    }
    assert_eq!(metrics.handler().logged.load(Ordering::Relaxed), 2);
    assert_eq!(metrics.handler().repeated.load(Ordering::Relaxed), 12);
    let scores: Vec<Vec<u32>> = (1..=4).map(|step| scored.send(step)).collect();
    assert_eq!(scores, [vec![], vec![22], vec![], vec![42]]);
    let twice = &tick.receivers()[1];
    assert_eq!(twice.policy().repeat(), 2);
    assert!(
        twice
            .policy()
            .when()
            .is_some_and(|when| when.ends_with("after_warm_up"))
    );
}

pub struct User {
    pub name: &'static str,
}

#[signal]
pub fn logged_in(first: bool);

#[derive(Default)]
pub struct Greeter {
    greeted: Mutex<Vec<String>>,
}

#[handler]
impl Greeter {
    #[receiver(signal = logged_in, sender = User)]
    fn greet(&self, user: &User, first: bool) {
        if first {
            self.greeted.lock().unwrap().push(user.name.to_owned());
        }
    }

    #[receiver(signal = logged_in, sender = User)]
    fn count(&self, _first: bool) {
        self.greeted.lock().unwrap().push("someone".to_owned());
    }
}

#[test]
fn a_method_may_take_the_sender_or_not() {
    let greeter = Greeter::default().install();
    logged_in.send(true); // no sender: neither method
    logged_in.send_from(&User { name: "ann" }, true);
    logged_in.send_from(&Arc::new(User { name: "bob" }), false);
    assert_eq!(
        *greeter.handler().greeted.lock().unwrap(),
        ["ann", "someone", "someone"]
    );
    drop(greeter);

    // A handler shared elsewhere too.
    let shared = Arc::new(Greeter::default());
    let installed = Greeter::install_shared(Arc::clone(&shared));
    logged_in.send_from(&User { name: "cy" }, true);
    drop(installed);
    logged_in.send_from(&User { name: "dee" }, true);
    assert_eq!(*shared.greeted.lock().unwrap(), ["cy", "someone"]);
}

// Handlers of async signals: sync methods and `async fn` methods, awaited
// in call order.

pub struct Invoice {
    pub cents: u64,
}

#[signal]
pub async fn invoice_paid(invoice: &Invoice) -> String;

/// Books each invoice, and mails a receipt: one sync method, one async.
pub struct Accounting {
    prefix: &'static str,
}

async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await;
}

#[handler]
impl Accounting {
    #[receiver(signal = invoice_paid, priority = 1)]
    fn book(&self, invoice: &Invoice) -> String {
        format!("{} booked {}", self.prefix, invoice.cents)
    }

    #[receiver(signal = invoice_paid)]
    async fn mail_receipt(&self, invoice: &Invoice) -> String {
        yield_once().await;
        format!("{} mailed {}", self.prefix, invoice.cents)
    }
}

#[test]
fn a_handler_of_an_async_signal_has_async_methods() {
    futures_executor::block_on(async {
        let installed = Accounting { prefix: "acme" }.install();
        let invoice = Invoice { cents: 250 };
        assert_eq!(
            invoice_paid.send(&invoice).await,
            ["acme booked 250", "acme mailed 250"]
        );
        let receivers = invoice_paid.receivers();
        assert_eq!(receivers[1].label(), Some("Accounting::mail_receipt"));
        assert!(receivers[1].is_async());
        drop(installed);
        assert!(invoice_paid.send(&invoice).await.is_empty());
    });
}
