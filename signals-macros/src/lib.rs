//! The procedural macros of [`signals`](https://docs.rs/signals): use them
//! through that crate, which re-exports them and documents them.
//!
//! Each macro is a pipeline: parse the user's tokens into a small IR that
//! keeps the original nodes for spans, validate it (every independent
//! mistake becomes one spanned error), then expand, which cannot fail. When
//! validation fails, a fallback re-emits the user's item next to the errors
//! so that one mistake gives one error, not a cascade.

use proc_macro::TokenStream;

mod crate_path;
mod errors;
mod fresh;
mod receiver;
mod render;
mod signal;

/// Declares a statically typed signal; see the `signals` crate.
#[proc_macro_attribute]
pub fn signal(args: TokenStream, item: TokenStream) -> TokenStream {
    signal::signal(args.into(), item.into()).into()
}

/// Registers a function as a receiver of a signal at link time; see the
/// `signals` crate.
#[proc_macro_attribute]
pub fn receiver(args: TokenStream, item: TokenStream) -> TokenStream {
    receiver::receiver(args.into(), item.into()).into()
}
