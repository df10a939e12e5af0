use proc_macro2::TokenStream;
use syn::Path;
use syn::parse::Parser;

use crate::crate_path::default_crate_path;

/// The options of `#[signal(..)]`.
pub struct Options {
    /// `crate = path`: where the runtime crate is, for users who re-export it.
    pub crate_path: Path,
}

impl Options {
    pub fn parse(args: TokenStream) -> syn::Result<Self> {
        let mut crate_path: Option<Path> = None;
        syn::meta::parser(|meta| {
            if meta.path.is_ident("crate") {
                if crate_path.is_some() {
                    return Err(meta.error("duplicate signal option `crate`"));
                }
                crate_path = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                let path = &meta.path;
                let name = crate::render::tokens_to_string(quote::quote!(#path));
                Err(meta.error(format!("unknown signal option `{name}`; expected: crate")))
            }
        })
        .parse2(args)?;
        Ok(Self {
            crate_path: crate_path.unwrap_or_else(default_crate_path),
        })
    }
}
