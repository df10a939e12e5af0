use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, Path, Type, UnOp};

use crate::crate_path::default_crate_path;
use crate::errors::Errors;

const OPTIONS: &str = "signal, sender, priority, crate";

/// The options of `#[receiver(..)]`.
pub struct Options {
    pub signal: Path,
    pub sender: Option<Type>,
    pub priority: i32,
    pub crate_path: Path,
}

impl Options {
    /// The options and the errors in them, if the signal is named: an error
    /// in another option leaves the receiver registered with that option's
    /// default, so that the mistake is the only error the user sees.
    /// Without the signal, every error found.
    pub fn parse(args: TokenStream) -> syn::Result<(Self, Option<syn::Error>)> {
        let mut errors = Errors::default();
        let mut signal: Option<Path> = None;
        let mut sender: Option<Type> = None;
        let mut priority: Option<i32> = None;
        let mut crate_path: Option<Path> = None;

        let parsed = syn::meta::parser(|meta| {
            let Some(name) = meta.path.get_ident().map(ToString::to_string) else {
                errors.push(meta.error(format!(
                    "unknown receiver option; expected one of: {OPTIONS}"
                )));
                return skip_value(&meta);
            };
            let duplicate = match name.as_str() {
                "signal" => signal.is_some(),
                "sender" => sender.is_some(),
                "priority" => priority.is_some(),
                "crate" => crate_path.is_some(),
                _ => {
                    errors.push(meta.error(format!(
                        "unknown receiver option `{name}`; expected one of: {OPTIONS}"
                    )));
                    return skip_value(&meta);
                }
            };
            if duplicate {
                errors.push(meta.error(format!("duplicate receiver option `{name}`")));
                return skip_value(&meta);
            }
            let value = meta.value()?;
            match name.as_str() {
                "signal" => {
                    signal = Some(value.parse().map_err(|error| {
                        syn::Error::new(
                            error.span(),
                            "expected the path of a signal, like `signal = todo_done`",
                        )
                    })?);
                }
                "sender" => {
                    sender = Some(value.parse().map_err(|error| {
                        syn::Error::new(
                            error.span(),
                            "expected the sender's type, like `sender = User`",
                        )
                    })?);
                }
                "priority" => match parse_priority(&value.parse()?) {
                    Ok(value) => priority = Some(value),
                    Err(error) => errors.push(error),
                },
                _ => crate_path = Some(value.parse()?),
            }
            Ok(())
        })
        .parse2(args);
        if let Err(error) = parsed {
            errors.push(error);
        }
        let Some(signal) = signal else {
            errors.push(syn::Error::new(
                Span::call_site(),
                "#[receiver] needs the signal it receives: `#[receiver(signal = path::to::signal)]`",
            ));
            return Err(errors.finish().expect_err("an error was just pushed"));
        };
        let options = Self {
            signal,
            sender,
            priority: priority.unwrap_or(0),
            crate_path: crate_path.unwrap_or_else(default_crate_path),
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

fn priority_error(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "priority must be an integer literal, like `priority = 10` or `priority = -1`",
    )
}
