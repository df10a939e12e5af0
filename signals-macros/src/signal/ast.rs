use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Block, Signature, Token, Visibility};

/// `#[signal]`'s input as written: a function signature that should end in
/// `;`. A body is kept so that validation can point at it.
pub struct Declaration {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: Option<Block>,
}

impl Parse for Declaration {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        if !input.peek(Token![fn])
            && !input.peek(Token![const])
            && !input.peek(Token![async])
            && !input.peek(Token![unsafe])
            && !input.peek(Token![extern])
        {
            return Err(input.error(
                "#[signal] applies to a function signature, like `#[signal] pub fn todo_done(item: &Todo);`",
            ));
        }
        let sig = input.parse()?;
        let body = if input.peek(syn::token::Brace) {
            Some(input.parse()?)
        } else {
            input.parse::<Token![;]>()?;
            None
        };
        Ok(Self {
            attrs,
            vis,
            sig,
            body,
        })
    }
}
