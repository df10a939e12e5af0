//! The registration of an `async fn` receiver: a function that starts the
//! receiver's future in the send's slot, registered as the signal's
//! `AsyncFn`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Lifetime, ReturnType, Type};

use super::ast::ReceiverFn;
use super::attr::Options;
use super::expand::policy_items;
use crate::fresh::{fresh_ident, identifiers};

/// The policy items (if any) and the receiver's definition.
pub(super) fn registration(
    options: &Options,
    function: &ReceiverFn,
    krate: &syn::Path,
    signal_type: &Ident,
) -> (Option<TokenStream>, TokenStream) {
    let sig = &function.sig;
    let ident = &sig.ident;
    let private = quote!(#krate::__private);
    let lifetime = Lifetime {
        apostrophe: Span::call_site(),
        ident: fresh_ident("signal", &identifiers(quote!(#sig)), Span::call_site()),
    };
    // Every lifetime of the parameters becomes the send's, as the signal
    // spells its `AsyncFn`: the future may borrow every argument.
    let types: Vec<Type> = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => Some(crate::lifetimes::unified(&typed.ty, &lifetime)),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let response = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let names: Vec<Ident> = (0..types.len())
        .map(|index| Ident::new(&format!("argument{index}"), Span::mixed_site()))
        .collect();
    let filler = Ident::new("filler", Span::mixed_site());
    let filler_type = quote!(#private::Filler<'_, '_, #lifetime, #response>);
    let async_fn_type = quote! {
        for<#lifetime, '__slot, '__task> fn(#(#types,)* #private::Filler<'__slot, '__task, #lifetime, #response>)
    };
    // Spanned at the receiver's name: a future that is not `Send` is
    // reported there.
    let start = quote_spanned!(ident.span()=> #filler.start(#ident(#(#names),*)));
    let started = Ident::new("__started", Span::mixed_site());
    let mut items = quote! {
        fn #started<#lifetime>(#(#names: #types,)* #filler: #filler_type) {
            #start;
        }
    };
    let (registered, policy) = if options.policy.is_set() {
        let policed = Ident::new("__policed", Span::mixed_site());
        let when = options.policy.when.as_ref().map(|when| {
            let call = quote_spanned!(when.span()=> #when(#(#names),*));
            quote!(&& #call)
        });
        let policy_items = policy_items(options, krate);
        items.extend(quote! {
            #policy_items

            // A send the policy skips leaves the slot empty: no future, no
            // result.
            fn #policed<#lifetime>(#(#names: #types,)* #filler: #filler_type) {
                if __POLICY.arrive() #when && __POLICY.claim() {
                    #started(#(#names,)* #filler);
                }
            }
        });
        (policed, quote!(::core::option::Option::Some(&__POLICY)))
    } else {
        (started, quote!(::core::option::Option::None))
    };
    let definition = quote! {
        impl<#signal_type: #private::AcceptsAsync<#async_fn_type>>
            #private::ReceiverDefinition<#signal_type> for __Receiver
        {
            const RECEIVER: #private::StaticReceiver<#signal_type> =
                #private::unfiltered_async::<#signal_type>(#registered, __INFO, #policy);
        }
    };
    (Some(items), definition)
}
