//! The Open Event server's background tasks (from "Event-driven
//! programming in Flask with Blinker signals"): whenever a speaker or a
//! session of an event changes, independent tasks run, re-exporting the
//! event's JSON, notifying its followers and re-indexing it for search,
//! without the code that changed the speaker knowing any of them.
//!
//! Here the signals are async: the tasks are `async fn` receivers, awaited
//! one after another in the caller's task, with a sync receiver that
//! invalidates a cache first. One task fails, and `send_robust` reports it
//! while the others complete; an error hook logs every failure.
//!
//! Run with `cargo run --example async_tasks`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;

use signals::{ReceiverError, receiver, signal};

pub struct Event {
    pub id: u32,
    pub name: &'static str,
}

pub struct Speaker {
    pub id: u32,
    pub name: &'static str,
    pub email: Option<&'static str>,
}

pub struct Session {
    pub id: u32,
    pub title: &'static str,
}

/// Why a background task failed.
#[derive(Debug)]
pub struct TaskFailed(String);

impl fmt::Display for TaskFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A speaker of `event` was added or changed.
#[signal]
pub async fn speaker_modified(event: &Event, speaker: &Speaker) -> Result<(), TaskFailed>;

/// A session of `event` was added or changed.
#[signal]
pub async fn session_modified(event: &Event, session: &Session) -> Result<(), TaskFailed>;

/// What the tasks did, in order: the example prints it.
static DONE: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn done(line: String) {
    DONE.lock().unwrap().push(line);
}

/// The exported JSON of each event, by id: what `export_event_json`
/// rewrites.
static EXPORTS: Mutex<BTreeMap<u32, String>> = Mutex::new(BTreeMap::new());

/// Stands for a call to storage or a mail server: it suspends the task.
async fn io() {
    tokio::task::yield_now().await;
}

// First, synchronously: the cached page of the event is stale.
#[receiver(signal = speaker_modified, priority = 10)]
fn invalidate_cache(event: &Event, _speaker: &Speaker) -> Result<(), TaskFailed> {
    done(format!("cache of event {} invalidated", event.id));
    Ok(())
}

#[receiver(signal = speaker_modified)]
async fn export_event_json(event: &Event, speaker: &Speaker) -> Result<(), TaskFailed> {
    io().await;
    let json = format!(
        r#"{{"event": "{}", "speaker": "{}"}}"#,
        event.name, speaker.name
    );
    EXPORTS.lock().unwrap().insert(event.id, json);
    done(format!("event {} re-exported", event.id));
    Ok(())
}

#[receiver(signal = speaker_modified)]
async fn notify_followers(event: &Event, speaker: &Speaker) -> Result<(), TaskFailed> {
    let Some(email) = speaker.email else {
        return Err(TaskFailed(format!(
            "speaker {} has no email address",
            speaker.id
        )));
    };
    io().await;
    done(format!("followers of {} told about {email}", event.name));
    Ok(())
}

/// Search documents are per event: a change of a speaker or of a
/// session re-indexes it alike.
async fn reindex(event: &Event) -> Result<(), TaskFailed> {
    io().await;
    done(format!("event {} re-indexed", event.id));
    Ok(())
}

#[receiver(signal = speaker_modified)]
async fn reindex_search(event: &Event, _speaker: &Speaker) -> Result<(), TaskFailed> {
    reindex(event).await
}

#[receiver(signal = session_modified)]
async fn reindex_sessions(event: &Event, _session: &Session) -> Result<(), TaskFailed> {
    reindex(event).await
}

#[receiver(signal = session_modified)]
async fn export_schedule(event: &Event, session: &Session) -> Result<(), TaskFailed> {
    io().await;
    done(format!(
        "schedule of event {} re-exported with session {} ({})",
        event.id, session.id, session.title
    ));
    Ok(())
}

fn print_outcome(what: &str, results: &[Result<(), ReceiverError<TaskFailed>>]) {
    let failed = results.iter().filter(|result| result.is_err()).count();
    println!(
        "{what}: {} tasks, {} done, {failed} failed",
        results.len(),
        results.len() - failed
    );
    for line in DONE.lock().unwrap().drain(..) {
        println!("  done: {line}");
    }
    for failure in results.iter().filter_map(|result| result.as_ref().err()) {
        println!("  failed: {}", failure.receiver().name());
        if let Some(error) = failure.returned() {
            println!("    because {error}");
        }
    }
}

fn main() {
    // Failures are logged wherever they happen, even by sends whose
    // results are dropped.
    signals::set_error_hook(|failure| eprintln!("[error hook] {failure}"));

    // A webhook connected at run time, by a plugin: async too.
    let _webhook = session_modified
        .connect_async(|event: &Event, session: &Session| {
            let url = format!("https://hooks.example/{}/{}", event.id, session.id);
            Box::pin(async move {
                io().await;
                done(format!("webhook {url} called"));
                Ok(())
            })
        })
        .scoped();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let event = Event {
            id: 42,
            name: "RustConf",
        };
        let speaker = Speaker {
            id: 7,
            name: "Ferris",
            email: Some("ferris@example.org"),
        };
        let results = speaker_modified.send_robust(&event, &speaker).await;
        print_outcome("speaker 7 modified", &results);

        // A speaker without an email address: notifying fails, and the
        // other tasks still run.
        let speaker = Speaker {
            id: 8,
            name: "Corro",
            email: None,
        };
        let results = speaker_modified.send_robust(&event, &speaker).await;
        print_outcome("speaker 8 modified", &results);

        let session = Session {
            id: 3,
            title: "Async signals",
        };
        // Spawned as a task of its own: the send's future is `Send`.
        let results = tokio::spawn(async move {
            let event = Event {
                id: 42,
                name: "RustConf",
            };
            session_modified.send_robust(&event, &session).await
        })
        .await
        .expect("the task ran");
        print_outcome("session 3 modified", &results);
    });
    println!("exported: {}", EXPORTS.lock().unwrap()[&42]);
    println!("\n{}", speaker_modified.tree());
}
