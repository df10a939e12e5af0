//! `#[derive(Signals)]` on a struct whose fields are signal types: one tree
//! for all of them, and one counting switch.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::crate_path::default_crate_path;
use crate::errors::Errors;

pub fn derive(input: &DeriveInput) -> TokenStream {
    match fields(input) {
        Ok(fields) => expand(input, &fields),
        Err(error) => error.into_compile_error(),
    }
}

/// The signal fields: every named field but those marked
/// `#[signals(skip)]`.
fn fields(input: &DeriveInput) -> syn::Result<Vec<syn::Ident>> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(Signals)] applies to a struct whose fields are signal types",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &data.fields,
            "#[derive(Signals)] needs named fields: each signal's tree is named after its field",
        ));
    };
    let mut errors = Errors::default();
    let mut fields = Vec::new();
    for field in &named.named {
        let mut skip = false;
        for attr in field
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("signals"))
        {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("skip") {
                    skip = true;
                    Ok(())
                } else {
                    Err(meta.error("unknown option; expected `#[signals(skip)]`"))
                }
            });
            if let Err(error) = parsed {
                errors.push(error);
            }
        }
        if !skip {
            fields.extend(field.ident.clone());
        }
    }
    errors.finish().map(|()| fields)
}

fn expand(input: &DeriveInput, fields: &[syn::Ident]) -> TokenStream {
    let krate = default_crate_path();
    let ident = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let names = fields.iter().map(ToString::to_string);
    let on = syn::Ident::new("on", proc_macro2::Span::mixed_site());
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Signals for #ident #type_generics #where_clause {
            fn tree(&self) -> #krate::Forest {
                #krate::Forest::new(::std::vec![
                    #(self.#fields.tree().renamed(#names)),*
                ])
            }

            fn set_counting(&self, #on: bool) {
                #(self.#fields.set_counting(#on);)*
            }
        }
    }
}
