//! NiftyNet's training engine, with typed signals and handler objects.
//!
//! - The engine sends its lifecycle signals: graph created, session started,
//!   iteration started and finished (with a `&mut IterationMessage` the
//!   handlers may change), session finished.
//! - Handlers, each a struct whose methods receive those signals, are chosen
//!   by name and built from the application's configuration: a model
//!   saver, a console logger, an early stopper that asks the engine to stop
//!   through the message, and a metrics logger in the style of `TensorBoard`.
//! - A progress bar follows the iterations, and the tree of every signal,
//!   with its counts, is printed at the end.
//!
//! Run with `cargo run --example training_loop`. The defaults are
//! `model_saver,console_logger,early_stopper`;
//! `--event-handler metrics_logger` adds to them, and
//! `--only-event-handler console_logger` replaces them. A name that does
//! not exist is reported with the nearest one.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use indicatif::{ProgressBar, ProgressStyle};
use signals::{ConnectOptions, Forest, HandlerSet, handler};

/// The engine's signals.
pub mod engine {
    use super::{Application, IterationMessage};
    use signals::signal;

    #[signal]
    pub fn graph_created(app: &Application);

    #[signal]
    pub fn session_started(app: &Application);

    #[signal]
    pub fn iteration_started(app: &Application, message: &IterationMessage);

    #[signal]
    pub fn iteration_finished(app: &Application, message: &mut IterationMessage);

    #[signal]
    pub fn session_finished(app: &Application);
}

/// What the application is configured with.
pub struct Config {
    pub model_dir: String,
    pub save_every: u32,
    pub max_iterations: u32,
    pub patience: u32,
}

pub struct Application {
    pub name: String,
}

/// What one iteration tells the handlers, and what they tell the engine.
pub struct IterationMessage {
    pub iteration: u32,
    pub loss: f64,
    pub should_stop: bool,
}

/// Saves the model every `save_every` iterations, and at the end.
pub struct ModelSaver {
    model_dir: String,
    save_every: u32,
    saved: AtomicU32,
}

impl From<&Config> for ModelSaver {
    fn from(config: &Config) -> Self {
        Self {
            model_dir: config.model_dir.clone(),
            save_every: config.save_every,
            saved: AtomicU32::new(0),
        }
    }
}

#[handler(name = "model_saver", config = Config)]
impl ModelSaver {
    #[receiver(signal = engine::iteration_finished)]
    fn save_interval(&self, _app: &Application, message: &mut IterationMessage) {
        if message.iteration % self.save_every == 0 {
            self.save(message.iteration);
        }
    }

    #[receiver(signal = engine::session_finished)]
    fn save_last(&self, app: &Application) {
        println!(
            "[model_saver] {}: {} checkpoints in {}",
            app.name,
            self.saved.load(Ordering::Relaxed),
            self.model_dir
        );
    }

    fn save(&self, iteration: u32) {
        self.saved.fetch_add(1, Ordering::Relaxed);
        let _checkpoint = format!("{}/model.ckpt-{iteration}", self.model_dir);
    }
}

/// Prints the loss every 10 iterations.
pub struct ConsoleLogger;

impl From<&Config> for ConsoleLogger {
    fn from(_: &Config) -> Self {
        Self
    }
}

#[handler(name = "console_logger", config = Config)]
impl ConsoleLogger {
    #[receiver(signal = engine::session_started)]
    fn started(&self, app: &Application) {
        println!("[console_logger] {} started", app.name);
    }

    #[receiver(signal = engine::iteration_finished, every = 10)]
    fn log(&self, _app: &Application, message: &mut IterationMessage) {
        println!(
            "[console_logger] iteration {:>3}: loss {:.4}",
            message.iteration, message.loss
        );
    }
}

/// Asks the engine to stop when the loss has not improved for `patience`
/// iterations. Runs last: after the other handlers have seen the message.
pub struct EarlyStopper {
    patience: u32,
    best: Mutex<(f64, u32)>,
}

impl From<&Config> for EarlyStopper {
    fn from(config: &Config) -> Self {
        Self {
            patience: config.patience,
            best: Mutex::new((f64::INFINITY, 0)),
        }
    }
}

#[handler(name = "early_stopper", config = Config)]
impl EarlyStopper {
    #[receiver(signal = engine::iteration_finished, priority = -10)]
    fn check(&self, _app: &Application, message: &mut IterationMessage) {
        let mut best = self
            .best
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if message.loss < best.0 - 1e-3 {
            *best = (message.loss, message.iteration);
        } else if message.iteration - best.1 >= self.patience {
            println!(
                "[early_stopper] no improvement since iteration {}: stopping",
                best.1
            );
            message.should_stop = true;
        }
    }
}

/// Keeps every loss, as a `TensorBoard` summary writer would, and reports
/// them at the end.
pub struct MetricsLogger {
    losses: Mutex<Vec<f64>>,
}

impl From<&Config> for MetricsLogger {
    fn from(_: &Config) -> Self {
        Self {
            losses: Mutex::new(Vec::new()),
        }
    }
}

#[handler(name = "metrics_logger", config = Config)]
impl MetricsLogger {
    #[receiver(signal = engine::iteration_finished)]
    fn record(&self, _app: &Application, message: &mut IterationMessage) {
        self.lock().push(message.loss);
    }

    #[receiver(signal = engine::session_finished)]
    fn summary(&self, _app: &Application) {
        let losses = self.lock();
        let first = losses.first().copied().unwrap_or(0.0);
        let last = losses.last().copied().unwrap_or(0.0);
        println!(
            "[metrics_logger] {} scalars: loss {first:.4} -> {last:.4}",
            losses.len()
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<f64>> {
        self.losses
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The engine: sends the lifecycle signals around a toy optimisation.
fn run(app: &Application, config: &Config) {
    engine::graph_created.send(app);
    engine::session_started.send(app);
    let mut weight = 4.0_f64;
    for iteration in 1..=config.max_iterations {
        let mut message = IterationMessage {
            iteration,
            loss: 0.0,
            should_stop: false,
        };
        engine::iteration_started.send(app, &message);
        // One gradient step on a loss that levels off.
        weight -= 0.1 * (weight - 1.0);
        message.loss = (weight - 1.0).powi(2) + 0.05;
        engine::iteration_finished.send(app, &mut message);
        if message.should_stop {
            break;
        }
    }
    engine::session_finished.send(app);
}

/// The handlers chosen on the command line, over the defaults.
fn chosen_handlers() -> Result<HandlerSet<Config>, signals::UnknownHandler> {
    let defaults =
        HandlerSet::<Config>::defaults(["model_saver", "console_logger", "early_stopper"])?;
    let mut args = std::env::args().skip(1);
    let mut chosen = defaults;
    while let Some(arg) = args.next() {
        let names = args.next().unwrap_or_default();
        chosen = match arg.as_str() {
            "--event-handler" => chosen.extend(names.split(','))?,
            "--only-event-handler" => chosen.replace(names.split(','))?,
            _ => chosen,
        };
    }
    Ok(chosen)
}

fn main() {
    let config = Config {
        model_dir: "models/unet".into(),
        save_every: 20,
        max_iterations: 200,
        patience: 15,
    };
    let app = Application {
        name: "segmentation".into(),
    };
    let chosen = match chosen_handlers() {
        Ok(chosen) => chosen,
        Err(unknown) => {
            eprintln!("error: {unknown}");
            std::process::exit(2);
        }
    };
    println!(
        "event handlers: {}",
        chosen.names().collect::<Vec<_>>().join(", ")
    );
    signals::set_counting(true);
    let installed = chosen.install(&config);

    // A progress bar over the iterations: a runtime receiver with a label.
    let bar = ProgressBar::new(u64::from(config.max_iterations));
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} iterations")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = {
        let bar = bar.clone();
        engine::iteration_started.connect_with(
            &ConnectOptions::new().name("progress bar"),
            move |_, _| {
                bar.inc(1);
            },
        )
    };

    run(&app, &config);
    bar.finish_and_clear();

    // The engine's signals, their receivers and the counts, as AMLTK
    // prints an emitter.
    let mut engine_signals = signals::all();
    engine_signals.retain(|signal| signal.module_path().ends_with("::engine"));
    engine_signals.sort_by_key(|signal| signal.line());
    let engine_signals = engine_signals
        .into_iter()
        .map(signals::RegisteredSignal::tree)
        .collect();
    println!("\n{}", Forest::new(engine_signals));

    progress.disconnect();
    drop(installed);
}
