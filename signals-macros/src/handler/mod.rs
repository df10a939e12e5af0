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

pub fn handler(args: &TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        let error = syn::Error::new_spanned(
            args,
            "#[handler] takes no options: put them on each method's #[receiver(..)]",
        );
        return fallback(item, error);
    }
    let Ok(mut block) = syn::parse2::<syn::ItemImpl>(item.clone()) else {
        let error = syn::Error::new_spanned(
            &item,
            "#[handler] applies to an `impl` block whose methods carry #[receiver(..)]",
        );
        return fallback(item, error);
    };
    match valid::receiving_methods(&mut block) {
        Ok(methods) => expand::expand(&block, &methods),
        Err(error) => fallback(block.into_token_stream(), error),
    }
}

/// The user's item (without the `#[receiver]` attributes, if it parsed),
/// next to the errors: one mistake, one error.
fn fallback(item: TokenStream, error: syn::Error) -> TokenStream {
    let mut tokens = error.into_compile_error();
    tokens.extend(item);
    tokens
}
