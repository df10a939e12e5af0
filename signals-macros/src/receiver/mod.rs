//! `#[receiver(signal = path, sender = Type, priority = n)] fn f(..) {..}`

use proc_macro2::TokenStream;
use quote::ToTokens;

mod ast;
mod asynchronous;
mod attr;
mod expand;
mod valid;

pub use attr::Options;
pub use valid::validate_sender;

pub fn receiver(args: TokenStream, item: TokenStream) -> TokenStream {
    let Ok(function) = syn::parse2::<ast::ReceiverFn>(item.clone()) else {
        let error = syn::Error::new_spanned(
            &item,
            "#[receiver] applies to a function, like `#[receiver(signal = todo_done)] fn log(item: &Todo) {}`",
        );
        return fallback(item, error);
    };
    let options = Options::parse(args);
    // A filter that no send can match, or a policy the receiver cannot
    // have, is not registered at all.
    if let Ok((options, _)) = &options {
        if let Err(error) = validate_sender(options.sender.as_ref())
            .and_then(|()| {
                valid::validate_policy(&options.policy, options.sender.as_ref(), &function)
            })
            .and_then(|()| {
                valid::validate_async(&options.policy, options.sender.as_ref(), &function)
            })
        {
            return fallback(function.into_token_stream(), error);
        }
    }
    let checked = valid::validate(&function);
    match (options, checked) {
        (Ok((options, None)), Ok(())) => expand::expand(&options, &function),
        // The options that could be read are used, so that the refused one
        // is the only error.
        (Ok((options, Some(error))), Ok(())) => {
            let mut tokens = error.into_compile_error();
            tokens.extend(expand::expand(&options, &function));
            tokens
        }
        (Ok((_, None)), Err(error)) | (Err(error), Ok(())) => {
            fallback(function.into_token_stream(), error)
        }
        (Ok((_, Some(mut error))) | Err(mut error), Err(more)) => {
            error.combine(more);
            fallback(function.into_token_stream(), error)
        }
    }
}

/// The user's item unchanged, next to the errors: the function stays
/// callable, so no error follows from the failed registration.
fn fallback(item: TokenStream, error: syn::Error) -> TokenStream {
    let mut tokens = error.into_compile_error();
    tokens.extend(item);
    tokens
}
