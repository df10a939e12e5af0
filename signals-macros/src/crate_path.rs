use proc_macro2::Span;
use syn::Path;

/// The path generated code reaches the runtime through: `::signals`, or what
/// the user wrote in `crate = ..` when they re-export the runtime crate.
pub fn default_crate_path() -> Path {
    let mut path: Path = syn::parse_quote!(::signals);
    // Spanned at the call site so that errors in generated paths point at the attribute.
    for segment in &mut path.segments {
        segment.ident.set_span(Span::call_site());
    }
    path
}
