use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Renders tokens the way people write them: `&'a mut Vec<u8>`, not
/// `& 'a mut Vec < u8 >`.
pub fn tokens_to_string(tokens: TokenStream) -> String {
    let mut out = String::new();
    let mut previous_is_word = false;
    for token in tokens {
        let is_word = matches!(token, TokenTree::Ident(_) | TokenTree::Literal(_));
        match &token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&tokens_to_string(group.stream()));
                out.push_str(close);
            }
            TokenTree::Punct(punct) => {
                let ch = punct.as_char();
                if matches!(ch, '=' | '+') || (ch == '-' && punct.spacing() == Spacing::Joint) {
                    out.push(' ');
                }
                out.push(ch);
                if matches!(ch, ',' | ';' | '=' | '+') || (ch == '>' && out.ends_with("->")) {
                    out.push(' ');
                }
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if previous_is_word {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
            }
        }
        previous_is_word = is_word;
    }
    out
}
