use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Block, Generics, Ident, Signature, Token, Type, Visibility};

/// `#[signal]`'s input as written.
pub enum Declaration {
    /// `[vis] fn name(params..) [-> R];`: a signal, a value of its own type.
    Function(FunctionDeclaration),
    /// `[vis] type Name = fn(params..) [-> R];`: a signal type, one signal
    /// per value, for struct fields.
    Type(TypeDeclaration),
}

pub struct FunctionDeclaration {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    /// Kept so that validation can point at it.
    pub body: Option<Block>,
}

pub struct TypeDeclaration {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub generics: Generics,
    pub ty: Type,
}

impl Declaration {
    pub fn vis(&self) -> &Visibility {
        match self {
            Self::Function(function) => &function.vis,
            Self::Type(declaration) => &declaration.vis,
        }
    }

    pub fn ident(&self) -> &Ident {
        match self {
            Self::Function(function) => &function.sig.ident,
            Self::Type(declaration) => &declaration.ident,
        }
    }
}

impl Parse for Declaration {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        if input.peek(Token![type]) {
            input.parse::<Token![type]>()?;
            let ident = input.parse()?;
            let mut generics: Generics = input.parse()?;
            generics.where_clause = input.parse()?;
            input.parse::<Token![=]>()?;
            let ty = input.parse()?;
            input.parse::<Token![;]>()?;
            return Ok(Self::Type(TypeDeclaration {
                attrs,
                vis,
                ident,
                generics,
                ty,
            }));
        }
        if !input.peek(Token![fn])
            && !input.peek(Token![const])
            && !input.peek(Token![async])
            && !input.peek(Token![unsafe])
            && !input.peek(Token![extern])
        {
            return Err(input.error(
                "#[signal] applies to a function signature, like `#[signal] pub fn todo_done(item: &Todo);`, \
                 or to a signal type, like `#[signal] pub type Changed = fn(value: &str);`",
            ));
        }
        let sig = input.parse()?;
        let body = if input.peek(syn::token::Brace) {
            Some(input.parse()?)
        } else {
            input.parse::<Token![;]>()?;
            None
        };
        Ok(Self::Function(FunctionDeclaration {
            attrs,
            vis,
            sig,
            body,
        }))
    }
}
