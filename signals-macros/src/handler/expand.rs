use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Ident};

use super::valid::takes_sender;
use super::{Named, ReceivingMethod};
use crate::render::tokens_to_string;

pub fn expand(
    block: &syn::ItemImpl,
    methods: &[ReceivingMethod],
    named: Option<&Named>,
) -> TokenStream {
    let krate = &methods[0].options.crate_path;
    let (impl_generics, _, where_clause) = block.generics.split_for_impl();
    let self_ty = &block.self_ty;
    let this = Ident::new("this", Span::mixed_site());
    let type_name = tokens_to_string(quote!(#self_ty));
    let connections = methods
        .iter()
        .map(|method| connection(method, &this, &type_name));
    // Spanned at the configuration type: a handler that cannot be built
    // from it is reported there.
    let registration = named.map(|Named { name, config }| {
        let new = quote_spanned!(config.span()=> #krate::__private::NamedHandler::new::<#self_ty, #config>);
        quote! {
            #krate::__private::inventory::submit! { #new(#name) }
        }
    });
    quote! {
        #block

        #registration

        #[automatically_derived]
        impl #impl_generics #krate::Handler for #self_ty #where_clause {
            fn __connect(
                #this: &::std::sync::Arc<Self>,
            ) -> ::std::vec::Vec<#krate::Connection> {
                ::std::vec![#(#connections),*]
            }
        }
    }
}

/// The connection of one receiving method: a closure that holds the
/// handler and calls the method, with the method's options.
fn connection(receiving: &ReceivingMethod, this: &Ident, type_name: &str) -> TokenStream {
    let ReceivingMethod { options, method } = receiving;
    let krate = &options.crate_path;
    let signal = &options.signal;
    let name = &method.sig.ident;
    let label = format!("{type_name}::{name}");
    let policy = &options.policy;
    let priority = options.priority;
    // The predicate is given to `connect_when`, which names it.
    let policy_value = policy.policy(krate, &quote!(::core::option::Option::None));
    let repeated = policy.repeats().then(|| quote!(.__repeated()));
    let parameters = method
        .sig
        .inputs
        .iter()
        .filter(|input| matches!(input, FnArg::Typed(_)))
        .count();
    // Located at the method's name: a parameter that does not match the
    // signal is reported there.
    let at_method = Span::mixed_site().located_at(name.span());
    let arguments: Vec<Ident> = (0..parameters)
        .map(|index| Ident::new(&format!("argument{index}"), at_method))
        .collect();
    let options_name = Ident::new("options", Span::mixed_site());
    let handler = Ident::new("handler", Span::mixed_site());
    // Spanned at the method's name too.
    let all = quote_spanned!(name.span()=> #handler.#name(#(#arguments),*));
    let call = match &options.sender {
        Some(sender) if !takes_sender(method, sender) => quote! {
            #signal.connect_from_with::<#sender>(
                &#options_name,
                move |_: &#sender, #(#arguments),*| #all,
            )
        },
        Some(sender) => quote! {
            #signal.connect_from_with::<#sender>(
                &#options_name,
                move |#(#arguments),*| #all,
            )
        },
        // An async method: each call holds the handler in its future.
        None if method.sig.asyncness.is_some() => {
            let held = Ident::new("held", Span::mixed_site());
            let awaited = quote_spanned!(name.span()=> #held.#name(#(#arguments),*).await);
            quote! {
                #signal.connect_async_with(&#options_name, move |#(#arguments),*| {
                    let #held = ::std::sync::Arc::clone(&#handler);
                    ::std::boxed::Box::pin(async move { #awaited })
                })
            }
        }
        None => {
            let closure = quote!(move |#(#arguments),*| #all);
            if let Some(when) = &policy.when {
                quote!(#signal.connect_when(&#options_name, #when, #closure))
            } else {
                quote!(#signal.connect_with(&#options_name, #closure))
            }
        }
    };
    quote! {
        {
            let #handler = ::std::sync::Arc::clone(#this);
            let #options_name = #krate::ConnectOptions::__for_handler(
                #priority,
                #label,
                #policy_value,
            )#repeated;
            #call
        }
    }
}
