//! `#[handler] impl Type { #[receiver(signal = s, ..)] fn m(&self, ..) {..} }`
//!
//! Parse the `impl` block and the `#[receiver]` attributes of its methods,
//! validate each method (one error per mistake), then expand to the block
//! without those attributes and an `impl Handler` that connects each
//! method at run time.

use proc_macro2::TokenStream;
use quote::ToTokens;

mod expand;
mod valid;

use crate::receiver::Options;

/// One receiving method: its `#[receiver(..)]` options, and the method.
pub struct ReceivingMethod {
    pub options: Options,
    pub method: syn::ImplItemFn,
}

/// `#[handler(name = "model_saver", config = AppConfig)]`: the name the
/// handler is chosen by, and the configuration it is built from.
pub struct Named {
    pub name: syn::LitStr,
    pub config: syn::Type,
}

pub fn handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let Ok(mut block) = syn::parse2::<syn::ItemImpl>(item.clone()) else {
        let error = syn::Error::new_spanned(
            &item,
            "#[handler] applies to an `impl` block whose methods carry #[receiver(..)]",
        );
        return fallback(item, error);
    };
    let named = valid::named(args, &block);
    let methods = valid::receiving_methods(&mut block);
    match (named, methods) {
        (Ok(named), Ok(methods)) => expand::expand(&block, &methods, named.as_ref()),
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => fallback(block.into_token_stream(), error),
        (Err(mut error), Err(more)) => {
            error.combine(more);
            fallback(block.into_token_stream(), error)
        }
    }
}

/// The user's item (without the `#[receiver]` attributes, if it parsed),
/// next to the errors: one mistake, one error.
fn fallback(item: TokenStream, error: syn::Error) -> TokenStream {
    let mut tokens = error.into_compile_error();
    tokens.extend(item);
    tokens
}
