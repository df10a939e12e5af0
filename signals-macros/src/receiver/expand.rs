use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, GenericParam, ReturnType};

use super::ast::ReceiverFn;

use super::attr::Options;
use crate::fresh::{fresh_ident, identifiers};
use crate::render::tokens_to_string;

pub fn expand(options: &Options, function: &ReceiverFn) -> TokenStream {
    let signal = &options.signal;
    let signal_span = signal.span();
    let ident = &function.sig.ident;
    // Spanned at the user's signal path, so that an error about the signal
    // itself points there rather than at the whole attribute.
    let krate = &respan(&options.crate_path, signal_span);
    let function_type = function_type(function, options.sender.as_ref());
    // The signal's type parameter, named like nothing the user spelled in
    // the signature, the sender or the signal path: it cannot capture a
    // user's type where the function's type is spelled.
    let sig = &function.sig;
    let sender = &options.sender;
    let signal_type = fresh_ident(
        "S",
        &identifiers(quote!(#sig #sender #signal)),
        Span::call_site(),
    );

    // The receiver's definition is generic over the signal and only asks
    // that the signal accept this function's own `fn` type: it always
    // compiles. The one concrete check is the `registration` call below.
    let definition = match &options.sender {
        None => quote! {
            impl<#signal_type: #krate::__private::Accepts<#function_type>>
                #krate::__private::ReceiverDefinition<#signal_type> for __Receiver
            {
                const RECEIVER: #krate::__private::StaticReceiver<#signal_type> =
                    #krate::__private::unfiltered::<#signal_type>(#ident, __INFO);
            }
        },
        Some(sender) => {
            let sender_alias = quote_spanned!(sender.span()=> type __Sender = #sender;);
            quote! {
                #sender_alias

                impl #krate::__private::ReceiverFunction<#function_type> for __Receiver {
                    const FUNCTION: #function_type = #ident;
                }

                impl<#signal_type: #krate::__private::AcceptsFrom<__Sender, #function_type>>
                    #krate::__private::ReceiverDefinition<#signal_type> for __Receiver
                {
                    const RECEIVER: #krate::__private::StaticReceiver<#signal_type> =
                        #krate::__private::filtered::<#signal_type, __Sender, #function_type, Self>(
                            __INFO,
                        );
                }
            }
        }
    };

    // Both failures are reported once, in this one body: a path that is not
    // a signal at the path, a signature the signal does not accept at the
    // function's name (rustc narrows it to the `__Receiver` argument).
    let receiver_arg = quote_spanned!(ident.span()=> __Receiver);
    let registration = quote_spanned! {signal_span=>
        #krate::__private::registration::<__Signal, #receiver_arg>()
    };

    let name = ident.to_string();
    let priority = options.priority;
    let sender_name = match &options.sender {
        None => quote!(::core::option::Option::None),
        Some(sender) => {
            let sender = tokens_to_string(quote!(#sender));
            quote!(::core::option::Option::Some(#sender))
        }
    };
    let signal_alias = quote_spanned!(signal_span=> type __Signal = #signal;);

    quote! {
        // The signal dictates this signature: lints about its shape do not
        // apply to the receiver.
        #[allow(clippy::unnecessary_wraps, clippy::trivially_copy_pass_by_ref)]
        #function

        const _: () = {
            #signal_alias

            const __INFO: #krate::__private::ReceiverInfo = #krate::__private::ReceiverInfo::new(
                #name,
                ::core::module_path!(),
                #sender_name,
                #priority,
                ::core::file!(),
                ::core::line!(),
            );

            enum __Receiver {}

            #definition

            #krate::__private::inventory::submit! { #registration }
        };
    }
}

/// The function's own `fn` pointer type, `for<'a> fn(&'a Todo) -> R`, as
/// its signature spells it; a first parameter `&dyn Trait` that takes the
/// sender `dyn Trait` is spelled `&(dyn Trait + 'static)`, the type the
/// sender is registered as (the function coerces to it).
fn function_type(function: &ReceiverFn, sender: Option<&syn::Type>) -> TokenStream {
    let sig = &function.sig;
    let lifetimes = sig.generics.params.iter().filter_map(|param| match param {
        GenericParam::Lifetime(param) => Some(&param.lifetime),
        GenericParam::Type(_) | GenericParam::Const(_) => None,
    });
    let types = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => Some(&*typed.ty),
            FnArg::Receiver(_) => None,
        })
        .enumerate()
        .map(|(index, ty)| match sender {
            Some(sender) if index == 0 => static_sender_object(ty, sender),
            _ => ty.to_token_stream(),
        });
    let output = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(arrow, ty) => Some(quote!(#arrow #ty)),
    };
    quote!(for<#(#lifetimes),*> fn(#(#types),*) #output)
}

/// `&(dyn Trait + 'static)` for `&dyn Trait` when the sender is `dyn
/// Trait`: written without a bound, the object's lifetime would be the
/// reference's, and the function would not match the registered sender.
fn static_sender_object(ty: &syn::Type, sender: &syn::Type) -> TokenStream {
    let syn::Type::Reference(reference) = ty else {
        return ty.to_token_stream();
    };
    let syn::Type::TraitObject(object) = &*reference.elem else {
        return ty.to_token_stream();
    };
    let unbounded = !object
        .bounds
        .iter()
        .any(|bound| matches!(bound, syn::TypeParamBound::Lifetime(_)));
    if !unbounded
        || tokens_to_string(object.to_token_stream()) != tokens_to_string(sender.to_token_stream())
    {
        return ty.to_token_stream();
    }
    let (and, lifetime, mutability) = (
        &reference.and_token,
        &reference.lifetime,
        &reference.mutability,
    );
    quote!(#and #lifetime #mutability (#object + 'static))
}

fn respan(path: &syn::Path, span: Span) -> syn::Path {
    let mut path = path.clone();
    if let Some(colon) = &mut path.leading_colon {
        colon.spans = [span; 2];
    }
    for mut pair in path.segments.pairs_mut() {
        pair.value_mut().ident.set_span(span);
        if let Some(colon) = pair.punct_mut() {
            colon.spans = [span; 2];
        }
    }
    path
}
