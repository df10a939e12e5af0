//! `#[signal] [vis] fn name[<'a>](params..) [-> R];` declares a signal;
//! `#[signal] [vis] type Name = fn(params..) [-> R];` a signal type.

use proc_macro2::TokenStream;

mod ast;
mod async_methods;
mod attr;
mod bridge;
mod expand;
mod queued;
mod sync_sends;
mod valid;

pub fn signal(args: TokenStream, item: TokenStream) -> TokenStream {
    let options = match attr::Options::parse(args) {
        Ok(options) => options,
        Err(error) => return fallback(item, error),
    };
    let declaration = match syn::parse2::<ast::Declaration>(item.clone()) {
        Ok(declaration) => declaration,
        Err(error) => return fallback(item, error),
    };
    let body = valid::body_error(&declaration);
    let validated = valid::validate(&declaration).and_then(|signal| {
        fits(&options, &signal)?;
        Ok(signal)
    });
    match (validated, body) {
        (Ok(signal), None) => expand::expand(&options, &signal),
        (Ok(signal), Some(body)) => {
            let mut tokens = body.into_compile_error();
            tokens.extend(expand::expand(&options, &signal));
            tokens
        }
        (Err(error), None) => fallback(item, error),
        (Err(error), Some(mut body)) => {
            body.combine(error);
            fallback(item, body)
        }
    }
}

/// Whether the options suit the declaration.
fn fits(options: &attr::Options, signal: &valid::Signal) -> syn::Result<()> {
    if let Some(bytes) = &options.async_inline {
        if !signal.is_async {
            return Err(syn::Error::new(
                bytes.span(),
                "`async_inline` is the room an async send keeps for a receiver's future: it is \
                 for async signals, declared `#[signal] async fn`",
            ));
        }
    }
    match options.bridge {
        Some(option) => bridge::check(signal, option),
        None => Ok(()),
    }
}

/// The errors, and a unit struct of the signal's name so that the code that
/// uses the signal does not add "cannot find value" errors to the real one.
fn fallback(item: TokenStream, error: syn::Error) -> TokenStream {
    let mut tokens = error.into_compile_error();
    if let Ok(declaration) = syn::parse2::<ast::Declaration>(item) {
        let vis = declaration.vis();
        let ident = declaration.ident();
        tokens.extend(quote::quote! {
            #[allow(non_camel_case_types)]
            #vis struct #ident;
        });
    }
    tokens
}
