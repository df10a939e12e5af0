//! Handlers chosen by name from a configuration, as NiftyNet's
//! `--event_handler a,b` chooses them.

use std::sync::{Arc, Mutex};

use signals::{HandlerSet, handler, signal};

#[derive(Default)]
pub struct Config {
    pub journal: Arc<Mutex<Vec<String>>>,
}

#[signal]
pub fn iteration_done(iteration: u32);

macro_rules! journaling_handler {
    ($type:ident, $name:literal) => {
        pub struct $type {
            journal: Arc<Mutex<Vec<String>>>,
        }

        impl From<&Config> for $type {
            fn from(config: &Config) -> Self {
                Self {
                    journal: Arc::clone(&config.journal),
                }
            }
        }

        #[handler(name = $name, config = Config)]
        impl $type {
            #[receiver(signal = iteration_done)]
            fn record(&self, iteration: u32) {
                self.journal
                    .lock()
                    .unwrap()
                    .push(format!("{} {iteration}", $name));
            }
        }
    };
}

journaling_handler!(ModelSaver, "model_saver");
journaling_handler!(ConsoleLogger, "console_logger");
journaling_handler!(TensorboardLogger, "tensorboard_logger");

/// Another application's configuration: its handlers are not ours.
pub struct OtherConfig;

pub struct Elsewhere;

impl From<&OtherConfig> for Elsewhere {
    fn from(_: &OtherConfig) -> Self {
        Self
    }
}

#[handler(name = "elsewhere", config = OtherConfig)]
impl Elsewhere {
    #[receiver(signal = iteration_done)]
    fn ignore(&self, _iteration: u32) {}
}

#[test]
fn the_names_registered_for_a_configuration() {
    assert_eq!(
        HandlerSet::<Config>::known(),
        ["console_logger", "model_saver", "tensorboard_logger"]
    );
    assert_eq!(HandlerSet::<OtherConfig>::known(), ["elsewhere"]);
}

#[test]
fn chosen_handlers_run_in_the_order_of_their_names_whatever_the_list() {
    let config = Config::default();
    let defaults = HandlerSet::<Config>::defaults(["model_saver", "console_logger"]).unwrap();
    // The command line adds one, in its own order, with a duplicate.
    let chosen = defaults
        .clone()
        .extend("tensorboard_logger, model_saver".split(','))
        .unwrap();
    assert_eq!(
        chosen.names().collect::<Vec<_>>(),
        ["console_logger", "model_saver", "tensorboard_logger"]
    );
    let installed = chosen.install(&config);
    assert_eq!(
        installed.names().collect::<Vec<_>>(),
        ["console_logger", "model_saver", "tensorboard_logger"]
    );
    iteration_done.send(1);
    assert_eq!(
        *config.journal.lock().unwrap(),
        ["console_logger 1", "model_saver 1", "tensorboard_logger 1"]
    );
    drop(installed);
    iteration_done.send(2);
    assert_eq!(config.journal.lock().unwrap().len(), 3, "all uninstalled");

    // Replacing is a choice: the defaults go.
    let replaced = defaults.replace(["tensorboard_logger"]).unwrap();
    assert_eq!(replaced.names().collect::<Vec<_>>(), ["tensorboard_logger"]);
}

#[test]
fn an_unknown_name_lists_the_known_ones_and_the_nearest() {
    let error = HandlerSet::<Config>::new()
        .extend(["model_saver", "consol_logger"])
        .unwrap_err();
    assert_eq!(error.name(), "consol_logger");
    assert_eq!(error.did_you_mean(), Some("console_logger"));
    assert_eq!(
        error.to_string(),
        "no handler is named `consol_logger`; did you mean `console_logger`? \
         Known: `console_logger`, `model_saver`, `tensorboard_logger`"
    );
    let far = HandlerSet::<Config>::defaults(["elsewhere"]).unwrap_err();
    assert_eq!(far.did_you_mean(), None, "another configuration's handler");
    assert!(
        far.to_string()
            .starts_with("no handler is named `elsewhere`. Known:")
    );
}
