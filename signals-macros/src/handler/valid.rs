use quote::ToTokens;
use syn::{FnArg, GenericParam, ImplItem, ReturnType, Type};

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;

use super::{Named, ReceivingMethod};
use crate::errors::Errors;
use crate::receiver::{Options, validate_sender};

/// The options of `#[handler(..)]`: none, or `name` and `config` together.
pub fn named(args: TokenStream, block: &syn::ItemImpl) -> syn::Result<Option<Named>> {
    if args.is_empty() {
        return Ok(None);
    }
    let mut name: Option<syn::LitStr> = None;
    let mut config: Option<Type> = None;
    let mut errors = Errors::default();
    let parsed = syn::meta::parser(|meta| {
        if meta.path.is_ident("name") {
            name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("config") {
            config = Some(meta.value()?.parse()?);
        } else {
            errors.push(
                meta.error("unknown handler option; expected `name = \"..\"` and `config = Type`"),
            );
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
        }
        Ok(())
    })
    .parse2(args);
    if let Err(error) = parsed {
        errors.push(error);
    }
    if !block.generics.params.is_empty() {
        errors.spanned(
            &block.generics,
            "a handler chosen by name cannot be generic: the registry builds one type",
        );
    }
    match (name, config) {
        (Some(name), Some(config)) => errors.finish().map(|()| Some(Named { name, config })),
        (name, _) => {
            let missing = if name.is_some() {
                "config = Type"
            } else {
                "name = \"..\""
            };
            errors.push(syn::Error::new(
                Span::call_site(),
                format!(
                    "a handler chosen by name needs both `name = \"..\"` and `config = Type` \
                     (the type it is built from with `From<&Type>`): `{missing}` is missing"
                ),
            ));
            errors.finish().map(|()| None)
        }
    }
}

/// Takes the `#[receiver(..)]` attributes off the methods of `block`, and
/// returns each receiving method with its options; every mistake found is
/// one error.
pub fn receiving_methods(block: &mut syn::ItemImpl) -> syn::Result<Vec<ReceivingMethod>> {
    let mut errors = Errors::default();
    let mut methods = Vec::new();
    let mut any_receiving = false;
    if let Some((_, trait_path, _)) = &block.trait_ {
        errors.spanned(
            trait_path,
            "#[handler] applies to a type's own `impl` block, not to a trait's",
        );
    }
    for item in &mut block.items {
        let ImplItem::Fn(method) = item else {
            continue;
        };
        let mut receiving = Vec::new();
        method.attrs.retain(|attr| {
            if attr.path().is_ident("receiver") {
                receiving.push(attr.clone());
                false
            } else {
                true
            }
        });
        if receiving.is_empty() {
            continue;
        }
        any_receiving = true;
        // The handler dictates `&self` and the signal the parameters: lints
        // about their shape do not apply to the method.
        method.attrs.push(syn::parse_quote!(
            #[allow(clippy::unused_self, clippy::trivially_copy_pass_by_ref)]
        ));
        let checked = validate_method(method);
        for attr in receiving {
            let args = match &attr.meta {
                syn::Meta::List(list) => list.tokens.clone(),
                other => {
                    errors.spanned(
                        other,
                        "expected the receiver's options: `#[receiver(signal = path)]`",
                    );
                    continue;
                }
            };
            match Options::parse(args) {
                Ok((options, None)) => match validate_options(&options, method) {
                    Ok(()) if checked.is_ok() => methods.push(ReceivingMethod {
                        options,
                        method: method.clone(),
                    }),
                    Ok(()) => {}
                    Err(error) => errors.push(error),
                },
                Ok((_, Some(error))) | Err(error) => errors.push(error),
            }
        }
        if let Err(error) = checked {
            errors.push(error);
        }
    }
    if !any_receiving {
        errors.push(syn::Error::new_spanned(
            &block.self_ty,
            "#[handler] needs at least one method with #[receiver(signal = path)]",
        ));
    }
    errors.finish().map(|()| methods)
}

/// What a receiving method may not be: it is called through a closure that
/// holds the handler, with the signal's arguments.
fn validate_method(method: &syn::ImplItemFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let sig = &method.sig;
    if let Some(token) = &sig.unsafety {
        errors.spanned(token, "a handler's receiving method cannot be `unsafe`");
    }
    for param in &sig.generics.params {
        if !matches!(param, GenericParam::Lifetime(_)) {
            errors.spanned(
                param,
                "a handler's receiving method cannot be generic: the signal fixes its types",
            );
        }
    }
    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver))
            if receiver.reference.is_some() && receiver.mutability.is_none() => {}
        Some(FnArg::Receiver(receiver)) => errors.spanned(
            receiver,
            "a handler's receiving method takes `&self`: the handler is shared by its \
             connections; keep changing state in atomics or a `Mutex`",
        ),
        _ => errors.spanned(
            &sig.ident,
            "a handler's receiving method takes `&self` first, then the signal's parameters",
        ),
    }
    errors.finish()
}

/// The options a method's `#[receiver(..)]` may not have together.
fn validate_options(options: &Options, method: &syn::ImplItemFn) -> syn::Result<()> {
    validate_sender(options.sender.as_ref())?;
    if let (Some(when), Some(_)) = (&options.policy.when, &options.sender) {
        return Err(syn::Error::new_spanned(
            when,
            "`when` and `sender` together are not supported on a handler's method: \
             test the sender in the method",
        ));
    }
    if method.sig.asyncness.is_some() {
        let refused = [
            options.sender.as_ref().map(|sender| {
                (
                    sender.to_token_stream(),
                    "an `async fn` receiving method cannot have a sender filter yet: drop \
                     `sender`, or make the method a sync `fn`",
                )
            }),
            options.policy.when.as_ref().map(|when| {
                (
                    when.to_token_stream(),
                    "an `async fn` receiving method cannot have `when` yet: test the arguments \
                     in the method",
                )
            }),
            options
                .policy
                .repeat
                .as_ref()
                .filter(|(count, _)| *count > 1)
                .map(|(_, literal)| {
                    (
                        literal.to_token_stream(),
                        "an `async fn` receiving method cannot `repeat`: loop inside the method",
                    )
                }),
        ];
        if let Some((tokens, message)) = refused.into_iter().flatten().next() {
            return Err(syn::Error::new_spanned(tokens, message));
        }
    }
    let returns = match &method.sig.output {
        ReturnType::Default => false,
        ReturnType::Type(_, ty) => !matches!(&**ty, Type::Tuple(tuple) if tuple.elems.is_empty()),
    };
    if let Some((count, literal)) = &options.policy.repeat {
        if returns && *count > 1 {
            return Err(syn::Error::new(
                literal.span(),
                format!(
                    "`repeat = {count}` calls the method {count} times per send, so it cannot \
                     return a value: the send would get {count} results from one receiver"
                ),
            ));
        }
    }
    Ok(())
}

/// Whether the method's first parameter after `self` is the sender:
/// `&Sender` as written in `sender = Sender`.
pub fn takes_sender(method: &syn::ImplItemFn, sender: &Type) -> bool {
    let Some(FnArg::Typed(first)) = method.sig.inputs.iter().nth(1) else {
        return false;
    };
    let Type::Reference(reference) = &*first.ty else {
        return false;
    };
    let written = reference.elem.to_token_stream().to_string();
    written == sender.to_token_stream().to_string()
}
