use proc_macro2::TokenStream;
use syn::Path;
use syn::parse::Parser;

use crate::crate_path::default_crate_path;

/// The options of `#[signal(..)]`.
pub struct Options {
    /// `crate = path`: where the runtime crate is, for users who re-export it.
    pub crate_path: Path,
    /// `async_inline = bytes`: the room an async send keeps for the future
    /// of the async receiver it awaits; a larger future is boxed.
    pub async_inline: Option<syn::LitInt>,
    /// `bridge`: the signal implements `Bridge`, so that a transport can
    /// carry its sends to other processes.
    pub bridge: Option<proc_macro2::Span>,
}

/// The room an async send keeps for a receiver's future, unless
/// `async_inline` says otherwise.
pub const DEFAULT_ASYNC_INLINE: usize = 256;

impl Options {
    pub fn parse(args: TokenStream) -> syn::Result<Self> {
        let mut crate_path: Option<Path> = None;
        let mut async_inline: Option<syn::LitInt> = None;
        let mut bridge = None;
        syn::meta::parser(|meta| {
            if meta.path.is_ident("crate") {
                if crate_path.is_some() {
                    return Err(meta.error("duplicate signal option `crate`"));
                }
                crate_path = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("async_inline") {
                if async_inline.is_some() {
                    return Err(meta.error("duplicate signal option `async_inline`"));
                }
                let bytes: syn::LitInt = meta.value()?.parse()?;
                match bytes.base10_parse::<usize>() {
                    Ok(value) if value <= 1 << 16 => {}
                    _ => {
                        return Err(syn::Error::new(
                            bytes.span(),
                            "`async_inline` is a number of bytes, at most 65536",
                        ));
                    }
                }
                async_inline = Some(bytes);
                Ok(())
            } else if meta.path.is_ident("bridge") {
                if bridge.is_some() {
                    return Err(meta.error("duplicate signal option `bridge`"));
                }
                bridge = Some(syn::spanned::Spanned::span(&meta.path));
                Ok(())
            } else {
                let path = &meta.path;
                let name = crate::render::tokens_to_string(quote::quote!(#path));
                Err(meta.error(format!(
                    "unknown signal option `{name}`; expected: crate, async_inline, bridge"
                )))
            }
        })
        .parse2(args)?;
        Ok(Self {
            crate_path: crate_path.unwrap_or_else(default_crate_path),
            async_inline,
            bridge,
        })
    }
}
