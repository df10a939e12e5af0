//! Handlers chosen by name, as NiftyNet's `--event_handler model_saver,
//! console_logger` chooses them: registered at link time with
//! `#[handler(name = "..", config = Config)]`, built from the application's
//! configuration, installed together.

use core::any::{Any, TypeId};
use core::fmt;
use std::collections::BTreeSet;

use crate::handler::Handler;

/// A handler built from a `&C`: implemented for every `From<&C>`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the handler `{Self}` cannot be built from a `&{C}`",
    label = "no `From<&{C}>` for `{Self}`",
    note = "a handler chosen by name is built from the application's configuration: implement `From<&{C}> for {Self}`"
)]
pub trait FromConfig<C> {
    fn from_config(config: &C) -> Self;
}

impl<H, C> FromConfig<C> for H
where
    H: for<'a> From<&'a C>,
{
    fn from_config(config: &C) -> Self {
        H::from(config)
    }
}

/// One named handler in the link-time registry.
#[doc(hidden)]
pub struct NamedHandler {
    name: &'static str,
    type_name: fn() -> &'static str,
    config: fn() -> TypeId,
    install: fn(&dyn Any) -> Option<Box<dyn Any + Send + Sync>>,
}

impl NamedHandler {
    /// The handler `H`, built from a `&C` with `From`, under `name`.
    #[must_use]
    pub const fn new<H, C>(name: &'static str) -> Self
    where
        H: Handler + FromConfig<C>,
        C: 'static,
    {
        Self {
            name,
            type_name: core::any::type_name::<H>,
            config: TypeId::of::<C>,
            install: install::<H, C>,
        }
    }
}

fn install<H, C>(config: &dyn Any) -> Option<Box<dyn Any + Send + Sync>>
where
    H: Handler + FromConfig<C>,
    C: 'static,
{
    let config = config.downcast_ref::<C>()?;
    Some(Box::new(H::from_config(config).install()))
}

inventory::collect!(NamedHandler);

/// The named handlers whose configuration is `C`, by name.
fn registered<C: 'static>() -> Vec<&'static NamedHandler> {
    let mut handlers: Vec<&'static NamedHandler> = inventory::iter::<NamedHandler>
        .into_iter()
        .filter(|handler| (handler.config)() == TypeId::of::<C>())
        .collect();
    handlers.sort_by_key(|handler| handler.name);
    handlers
}

/// A choice of named handlers for the configuration type `C`, checked as it
/// is made: a set, installed in the order of the handlers' names, whatever
/// the order the names were given in.
///
/// ```
/// use signals::{HandlerSet, handler, signal};
///
/// pub struct Config { pub save_every: u32 }
///
/// #[signal]
/// pub fn step_done(step: u32);
///
/// pub struct Saver { every: u32 }
///
/// impl From<&Config> for Saver {
///     fn from(config: &Config) -> Self {
///         Self { every: config.save_every }
///     }
/// }
///
/// #[handler(name = "saver", config = Config)]
/// impl Saver {
///     #[receiver(signal = step_done)]
///     fn save(&self, step: u32) {
///         if step % self.every == 0 {
///             println!("saved at {step}");
///         }
///     }
/// }
///
/// // The defaults, then what the command line adds.
/// let chosen = HandlerSet::<Config>::defaults(["saver"])?.extend("saver".split(','))?;
/// let _installed = chosen.install(&Config { save_every: 2 });
/// step_done.send(2); // saved at 2
///
/// let unknown = HandlerSet::<Config>::new().extend(["savr"]).unwrap_err();
/// assert_eq!(unknown.to_string(), "no handler is named `savr`; did you mean `saver`? Known: `saver`");
/// # Ok::<(), signals::UnknownHandler>(())
/// ```
pub struct HandlerSet<C> {
    names: BTreeSet<&'static str>,
    config: core::marker::PhantomData<fn(&C)>,
}

impl<C: 'static> HandlerSet<C> {
    /// No handler.
    #[must_use]
    pub fn new() -> Self {
        Self {
            names: BTreeSet::new(),
            config: core::marker::PhantomData,
        }
    }

    /// The handlers named, as the application's defaults.
    ///
    /// # Errors
    ///
    /// A name no handler of this configuration type has.
    pub fn defaults<N: AsRef<str>>(
        names: impl IntoIterator<Item = N>,
    ) -> Result<Self, UnknownHandler> {
        Self::new().extend(names)
    }

    /// These handlers too.
    ///
    /// # Errors
    ///
    /// A name no handler of this configuration type has; the set is then
    /// left as it was.
    pub fn extend<N: AsRef<str>>(
        mut self,
        names: impl IntoIterator<Item = N>,
    ) -> Result<Self, UnknownHandler> {
        for name in names {
            let name = name.as_ref().trim();
            if name.is_empty() {
                continue;
            }
            self.names.insert(known::<C>(name)?);
        }
        Ok(self)
    }

    /// These handlers instead: NiftyNet replaced its defaults silently
    /// when given a list; here it is a choice you make.
    ///
    /// # Errors
    ///
    /// A name no handler of this configuration type has.
    pub fn replace<N: AsRef<str>>(
        self,
        names: impl IntoIterator<Item = N>,
    ) -> Result<Self, UnknownHandler> {
        Self::new().extend(names)
    }

    /// The names chosen, in the order they are installed.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.names.iter().copied()
    }

    /// The names of every handler of this configuration type.
    #[must_use]
    pub fn known() -> Vec<&'static str> {
        registered::<C>()
            .into_iter()
            .map(|handler| handler.name)
            .collect()
    }

    /// Builds each handler chosen from `config` and installs it, in the
    /// order of their names; the result uninstalls them all when dropped.
    #[must_use = "dropping the result uninstalls the handlers at once"]
    pub fn install(&self, config: &C) -> InstalledHandlers {
        let installed = registered::<C>()
            .into_iter()
            .filter(|handler| self.names.contains(handler.name))
            .filter_map(|handler| {
                let guard = (handler.install)(config)?;
                Some((handler.name, (handler.type_name)(), guard))
            })
            .collect();
        InstalledHandlers { installed }
    }
}

impl<C: 'static> Default for HandlerSet<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> Clone for HandlerSet<C> {
    fn clone(&self) -> Self {
        Self {
            names: self.names.clone(),
            config: core::marker::PhantomData,
        }
    }
}

impl<C> fmt::Debug for HandlerSet<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names.iter()).finish()
    }
}

/// The registered name `name`, for the configuration `C`.
fn known<C: 'static>(name: &str) -> Result<&'static str, UnknownHandler> {
    let handlers = registered::<C>();
    if let Some(handler) = handlers.iter().find(|handler| handler.name == name) {
        return Ok(handler.name);
    }
    let known: Vec<&'static str> = handlers.iter().map(|handler| handler.name).collect();
    let did_you_mean = known
        .iter()
        .map(|known| (strsim::levenshtein(name, known), *known))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, known)| known);
    Err(UnknownHandler {
        name: name.to_owned(),
        known,
        did_you_mean,
    })
}

/// Handlers installed by [`HandlerSet::install`]: uninstalled together when
/// dropped.
#[must_use = "dropping it uninstalls the handlers at once"]
pub struct InstalledHandlers {
    installed: Vec<(&'static str, &'static str, Box<dyn Any + Send + Sync>)>,
}

impl InstalledHandlers {
    /// The names of the handlers installed, in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.installed.iter().map(|(name, _, _)| *name)
    }
}

impl fmt::Debug for InstalledHandlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.installed
                    .iter()
                    .map(|(name, type_name, _)| (name, type_name)),
            )
            .finish()
    }
}

/// A handler name that no `#[handler(name = ..)]` of the configuration type
/// has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownHandler {
    name: String,
    known: Vec<&'static str>,
    did_you_mean: Option<&'static str>,
}

impl UnknownHandler {
    /// The name given.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every name registered for the configuration type.
    #[must_use]
    pub fn known(&self) -> &[&'static str] {
        &self.known
    }

    /// The nearest registered name, if one is close.
    #[must_use]
    pub fn did_you_mean(&self) -> Option<&'static str> {
        self.did_you_mean
    }
}

impl fmt::Display for UnknownHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no handler is named `{}`", self.name)?;
        match self.did_you_mean {
            Some(near) => write!(f, "; did you mean `{near}`?")?,
            None => write!(f, ".")?,
        }
        if self.known.is_empty() {
            write!(f, " No handler is registered for this configuration type")
        } else {
            write!(f, " Known: `{}`", self.known.join("`, `"))
        }
    }
}

impl std::error::Error for UnknownHandler {}
