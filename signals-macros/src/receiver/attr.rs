use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, Path, Type, UnOp};

use crate::crate_path::default_crate_path;
use crate::errors::Errors;

const OPTIONS: &str = "signal, sender, priority, every, when, max_calls, repeat, hidden, crate";

/// The options of `#[receiver(..)]`.
pub struct Options {
    pub signal: Path,
    pub sender: Option<Type>,
    pub priority: i32,
    pub policy: PolicyOptions,
    pub crate_path: Path,
}

/// The policy options, each with the tokens it was written as.
#[derive(Default)]
pub struct PolicyOptions {
    pub every: Option<(u64, LitInt)>,
    pub when: Option<Path>,
    pub max_calls: Option<(u64, LitInt)>,
    pub repeat: Option<(u64, LitInt)>,
    pub hidden: Option<Ident>,
}

impl PolicyOptions {
    /// Where a policy option was written: the first set, in the order of
    /// evaluation.
    pub fn first_option(&self) -> Option<Span> {
        let count =
            |option: &Option<(u64, LitInt)>| option.as_ref().map(|(_, literal)| literal.span());
        count(&self.every)
            .or_else(|| self.when.as_ref().map(Spanned::span))
            .or_else(|| count(&self.max_calls))
            .or_else(|| count(&self.repeat))
            .or_else(|| self.hidden.as_ref().map(Ident::span))
    }

    /// Whether `repeat` calls the receiver more than once per send.
    pub fn repeats(&self) -> bool {
        self.repeat.as_ref().is_some_and(|(count, _)| *count > 1)
    }

    /// `Policy::new(every, max_calls, repeat, when, hidden)`, the values
    /// checked; `when` is the predicate's name, or `None`.
    pub fn policy(&self, krate: &Path, when: &TokenStream) -> TokenStream {
        let count = |option: &Option<(u64, LitInt)>, default: u64| {
            option.as_ref().map_or(default, |(value, _)| *value)
        };
        // Checked at parse time to fit: `u32::MAX` is never reached.
        let every = u32::try_from(count(&self.every, 1)).unwrap_or(u32::MAX);
        let repeat = u32::try_from(count(&self.repeat, 1)).unwrap_or(u32::MAX);
        let max_calls = count(&self.max_calls, 0);
        let hidden = self.hidden.is_some();
        quote::quote!(#krate::Policy::new(#every, #max_calls, #repeat, #when, #hidden))
    }

    pub fn is_set(&self) -> bool {
        self.every.is_some()
            || self.when.is_some()
            || self.max_calls.is_some()
            || self.repeat.is_some()
            || self.hidden.is_some()
    }
}

/// The options read so far.
#[derive(Default)]
struct Parsed {
    signal: Option<Path>,
    sender: Option<Type>,
    priority: Option<i32>,
    policy: PolicyOptions,
    crate_path: Option<Path>,
}

impl Parsed {
    /// Whether option `name` was given already; `None` for an unknown name.
    fn is_set(&self, name: &str) -> Option<bool> {
        Some(match name {
            "signal" => self.signal.is_some(),
            "sender" => self.sender.is_some(),
            "priority" => self.priority.is_some(),
            "every" => self.policy.every.is_some(),
            "when" => self.policy.when.is_some(),
            "max_calls" => self.policy.max_calls.is_some(),
            "repeat" => self.policy.repeat.is_some(),
            "hidden" => self.policy.hidden.is_some(),
            "crate" => self.crate_path.is_some(),
            _ => return None,
        })
    }

    /// Reads the value of option `name`. A syntax error stops the parse; a
    /// refused value goes to `errors`, and the option keeps its default.
    fn read(
        &mut self,
        name: &str,
        meta: &syn::meta::ParseNestedMeta<'_>,
        errors: &mut Errors,
    ) -> syn::Result<()> {
        if name == "hidden" {
            if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
                errors.push(meta.error("`hidden` takes no value: write `hidden`"));
                return skip_value(meta);
            }
            self.policy.hidden = meta.path.get_ident().cloned();
            return Ok(());
        }
        let value = meta.value()?;
        let expected =
            |what: &'static str| move |error: syn::Error| syn::Error::new(error.span(), what);
        let count = |what: &str, errors: &mut Errors| -> syn::Result<Option<(u64, LitInt)>> {
            Ok(parse_count(&value.parse()?, name, what)
                .map_err(|error| errors.push(error))
                .ok())
        };
        match name {
            "signal" => {
                let path = value.parse().map_err(expected(
                    "expected the path of a signal, like `signal = todo_done`",
                ))?;
                self.signal = Some(path);
            }
            "sender" => {
                let sender = value
                    .parse()
                    .map_err(expected("expected the sender's type, like `sender = User`"))?;
                self.sender = Some(sender);
            }
            "priority" => match parse_priority(&value.parse()?) {
                Ok(priority) => self.priority = Some(priority),
                Err(error) => errors.push(error),
            },
            "every" => self.policy.every = count("calls it on every n-th send", errors)?,
            "max_calls" => self.policy.max_calls = count("stops calling it after n calls", errors)?,
            "repeat" => self.policy.repeat = count("calls it n times per send", errors)?,
            "when" => {
                let when = value.parse().map_err(expected(
                    "expected the path of a predicate, like `when = is_ready`",
                ))?;
                self.policy.when = Some(when);
            }
            _ => self.crate_path = Some(value.parse()?),
        }
        Ok(())
    }
}

impl Options {
    /// The options and the errors in them, if the signal is named: an error
    /// in another option leaves the receiver registered with that option's
    /// default, so that the mistake is the only error the user sees.
    /// Without the signal, every error found.
    pub fn parse(args: TokenStream) -> syn::Result<(Self, Option<syn::Error>)> {
        let mut errors = Errors::default();
        let mut options = Parsed::default();
        let parsed = syn::meta::parser(|meta| {
            let Some(name) = meta.path.get_ident().map(ToString::to_string) else {
                errors.push(meta.error(format!(
                    "unknown receiver option; expected one of: {OPTIONS}"
                )));
                return skip_value(&meta);
            };
            match options.is_set(&name) {
                None => {
                    errors.push(meta.error(format!(
                        "unknown receiver option `{name}`; expected one of: {OPTIONS}"
                    )));
                    skip_value(&meta)
                }
                Some(true) => {
                    errors.push(meta.error(format!("duplicate receiver option `{name}`")));
                    skip_value(&meta)
                }
                Some(false) => options.read(&name, &meta, &mut errors),
            }
        })
        .parse2(args);
        if let Err(error) = parsed {
            errors.push(error);
        }
        let Some(signal) = options.signal else {
            errors.push(syn::Error::new(
                Span::call_site(),
                "#[receiver] needs the signal it receives: `#[receiver(signal = path::to::signal)]`",
            ));
            return Err(errors.finish().expect_err("an error was just pushed"));
        };
        let options = Self {
            signal,
            sender: options.sender,
            priority: options.priority.unwrap_or(0),
            policy: options.policy,
            crate_path: options.crate_path.unwrap_or_else(default_crate_path),
        };
        Ok((options, errors.finish().err()))
    }
}

/// Consumes the value of an option that is refused, whatever its form
/// (`name = value`, `name(..)` or a bare `name`), so that the options after
/// it are still read.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|nested| skip_value(&nested))?;
    }
    Ok(())
}

/// An integer literal, optionally negative, that fits an `i32`.
fn parse_priority(expr: &Expr) -> syn::Result<i32> {
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => return Err(priority_error(expr.span())),
        },
        _ => return Err(priority_error(expr.span())),
    };
    let Lit::Int(int) = lit else {
        return Err(priority_error(lit.span()));
    };
    let magnitude: i64 = int.base10_parse().map_err(|_| priority_error(int.span()))?;
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).map_err(|_| {
        syn::Error::new_spanned(expr, format!("priority {value} does not fit in an `i32`"))
    })
}

/// A positive integer literal: `every`, `max_calls` or `repeat`, whose
/// meaning `what` explains in the error.
fn parse_count(expr: &Expr, name: &str, what: &str) -> syn::Result<(u64, LitInt)> {
    let error = || {
        syn::Error::new_spanned(
            expr,
            format!("`{name}` must be a positive integer literal: `{name} = n` {what}"),
        )
    };
    let Expr::Lit(ExprLit {
        lit: Lit::Int(int), ..
    }) = expr
    else {
        return Err(error());
    };
    let value: u64 = int.base10_parse().map_err(|_| error())?;
    if value == 0 {
        return Err(syn::Error::new_spanned(
            int,
            format!(
                "`{name} = 0` would never call the receiver: `{name} = n` {what}, with n at least 1"
            ),
        ));
    }
    if name != "max_calls" && u32::try_from(value).is_err() {
        return Err(syn::Error::new_spanned(
            int,
            format!("`{name} = {value}` does not fit in a `u32`"),
        ));
    }
    Ok((value, int.clone()))
}

fn priority_error(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "priority must be an integer literal, like `priority = 10` or `priority = -1`",
    )
}
