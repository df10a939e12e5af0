//! With the `tracing` feature: a `debug` span per send, named after the
//! signal, and a `trace` event per receiver call, static and runtime.
//! `cargo test --features tracing --test test_tracing`.
#![cfg(feature = "tracing")]

use std::fmt::{Debug, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use signals::{ConnectOptions, receiver, signal};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Writes each span and event as one line: `span send signal=saved`.
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: AtomicU64,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!("{}", event.metadata().level()));
        event.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn captured(send: impl FnOnce()) -> Vec<String> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let capture = Capture {
        lines: Arc::clone(&lines),
        next_id: AtomicU64::new(0),
    };
    tracing::subscriber::with_default(capture, send);
    std::mem::take(&mut *lines.lock().unwrap())
}

#[signal]
pub fn saved(id: u64) -> u64;

#[receiver(signal = saved)]
fn audit(id: u64) -> u64 {
    id
}

#[signal]
pub fn booted();

#[receiver(signal = booted)]
fn warm_caches() {}

#[test]
fn a_span_per_send_and_an_event_per_call() {
    let _runtime = booted.connect_with(&ConnectOptions::new().name("greeter"), || {});
    let lines = captured(|| booted.send());
    assert_eq!(
        lines,
        [
            "span send signal=booted",
            "TRACE message=call receiver=test_tracing::warm_caches",
            "TRACE message=call receiver=greeter",
        ]
    );
}

#[test]
fn an_event_per_send_of_a_signal_with_results() {
    let _runtime = saved.connect_with(&ConnectOptions::new().name("cache"), |id| id + 1);
    let lines = captured(|| {
        assert_eq!(saved.send(7), [7, 8]);
    });
    assert_eq!(
        lines,
        [
            "DEBUG message=send signal=saved",
            "TRACE message=call receiver=test_tracing::audit",
            "TRACE message=call receiver=cache",
        ]
    );
    // Lazily: only the calls made.
    let lazily = captured(|| {
        let first: Vec<u64> = saved.send_iter(8).take(1).collect();
        assert_eq!(first, [8]);
    });
    assert_eq!(
        lazily,
        [
            "DEBUG message=send signal=saved",
            "TRACE message=call receiver=test_tracing::audit",
        ]
    );
}

#[signal]
pub async fn fetched(id: u64);

// Ready at once: what is traced is its call.
#[allow(clippy::unused_async)]
#[receiver(signal = fetched)]
async fn index(id: u64) {
    std::hint::black_box(id);
}

#[test]
fn an_async_send_traces_like_a_lazy_one() {
    let _runtime = fetched.connect_async_with(&ConnectOptions::new().name("mirror"), |id| {
        Box::pin(async move {
            std::hint::black_box(id);
        })
    });
    let lines = captured(|| futures_executor::block_on(fetched.send(3)));
    assert_eq!(
        lines,
        [
            "DEBUG message=send signal=fetched",
            "TRACE message=call receiver=test_tracing::index",
            "TRACE message=call receiver=mirror",
        ]
    );
}
