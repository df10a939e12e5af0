use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream, TokenTree};

/// Every identifier (and lifetime name) in the user's tokens, so generated
/// names can avoid them.
pub fn identifiers(tokens: TokenStream) -> HashSet<String> {
    let mut names = HashSet::new();
    collect(tokens, &mut names);
    names
}

fn collect(tokens: TokenStream, names: &mut HashSet<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                names.insert(ident.to_string());
            }
            TokenTree::Group(group) => collect(group.stream(), names),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

/// `base`, or `base_`, `base__`, … whichever the user's tokens do not use.
pub fn fresh_ident(base: &str, taken: &HashSet<String>, span: Span) -> Ident {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    Ident::new(&name, span)
}
