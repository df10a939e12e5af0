use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Ident;
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

    // The description's builder calls: `.with_policy(..)`, `.asynchronous()`.
    let mut with_policy = TokenStream::new();
    if options.policy.is_set() {
        with_policy.extend(quote!(.with_policy(__POLICY_VALUE)));
    }
    if function.sig.asyncness.is_some() {
        with_policy.extend(quote!(.asynchronous()));
    }
    let (policy_items, definition) = if function.sig.asyncness.is_some() {
        super::asynchronous::registration(options, function, krate, &signal_type)
    } else {
        // With a policy, the function registered is a wrapper that applies
        // it, with the counters in a static next to it.
        let policy = options
            .policy
            .is_set()
            .then(|| policy_wrapper(options, function, krate));
        let option_type = policy
            .as_ref()
            .and_then(|_| returned_type(function))
            .map(|_| option_function_type(function));
        let definition = definition(
            options,
            krate,
            &Registered {
                signal_type: &signal_type,
                function_type: &function_type,
                option_type: option_type.as_ref(),
                function: ident,
                wrapper: policy.as_ref().map(|(wrapper, _)| wrapper),
            },
        );
        (policy.map(|(_, items)| items), definition)
    };

    // Both failures are reported once, in this one body: a path that is not
    // a signal at the path, a signature the signal does not accept at the
    // function's name (rustc narrows it to the `__Receiver` argument).
    let receiver_arg = quote_spanned!(ident.span()=> __Receiver);
    let registration = quote_spanned! {signal_span=>
        #krate::__private::registration::<__Signal, #receiver_arg>()
    };

    let name = ident.to_string();
    let signature = receiver_signature(function);
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

            #policy_items

            const __INFO: #krate::__private::ReceiverInfo = #krate::__private::ReceiverInfo::new(
                #name,
                #signature,
                ::core::module_path!(),
                #sender_name,
                #priority,
                ::core::file!(),
                ::core::line!(),
            )#with_policy;

            enum __Receiver {}

            #definition

            #krate::__private::inventory::submit! { #registration }
        };
    }
}

/// The receiver's parameters and result as written, `(item: &Todo) -> bool`,
/// for printed trees.
fn receiver_signature(function: &ReceiverFn) -> String {
    let sig = &function.sig;
    let parameters: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Typed(typed) => {
                let (pat, ty) = (&typed.pat, &typed.ty);
                format!(
                    "{}: {}",
                    tokens_to_string(quote!(#pat)),
                    tokens_to_string(quote!(#ty))
                )
            }
            FnArg::Receiver(receiver) => tokens_to_string(quote!(#receiver)),
        })
        .collect();
    let output = match &sig.output {
        ReturnType::Default => String::new(),
        ReturnType::Type(_, ty) => format!(" -> {}", tokens_to_string(quote!(#ty))),
    };
    format!("({}){output}", parameters.join(", "))
}

/// What a receiver's definition registers.
struct Registered<'a> {
    signal_type: &'a Ident,
    function_type: &'a TokenStream,
    /// For a wrapper that returns `Option<R>`: its `fn` type.
    option_type: Option<&'a TokenStream>,
    /// The user's function.
    function: &'a Ident,
    /// The wrapper that applies its policy, if it has one: registered in
    /// its place.
    wrapper: Option<&'a Ident>,
}

/// The receiver's definition. It is generic over the signal and only asks
/// that the signal accept this function's own `fn` type: it always
/// compiles. The one concrete check is the `registration` call.
fn definition(options: &Options, krate: &syn::Path, registered: &Registered<'_>) -> TokenStream {
    let Registered {
        signal_type,
        function_type,
        option_type,
        function,
        wrapper,
    } = registered;
    let private = quote!(#krate::__private);
    let Some(sender) = &options.sender else {
        let receiver = match (wrapper, option_type) {
            (None, _) => quote!(#private::unfiltered::<#signal_type>(#function, __INFO)),
            (Some(wrapper), None) => quote! {
                #private::unfiltered_with_policy::<#signal_type>(#wrapper, __INFO, &__POLICY)
            },
            // The wrapper returns an `Option`: registered as its own type,
            // which the signal accepting the function makes its `OptionFn`.
            (Some(wrapper), Some(option_type)) => {
                return quote! {
                    impl #private::ReceiverFunction<#option_type> for __Receiver {
                        const FUNCTION: #option_type = #wrapper;
                    }

                    impl<#signal_type: #private::Accepts<#function_type>>
                        #private::ReceiverDefinition<#signal_type> for __Receiver
                    {
                        const RECEIVER: #private::StaticReceiver<#signal_type> =
                            #private::optional_with_policy::<#signal_type, #option_type, Self>(
                                __INFO,
                                &__POLICY,
                            );
                    }
                };
            }
        };
        return quote! {
            impl<#signal_type: #private::Accepts<#function_type>>
                #private::ReceiverDefinition<#signal_type> for __Receiver
            {
                const RECEIVER: #private::StaticReceiver<#signal_type> = #receiver;
            }
        };
    };
    let sender_alias = quote_spanned!(sender.span()=> type __Sender = #sender;);
    let (registered, policy) = match wrapper {
        None => (quote!(#function), quote!(::core::option::Option::None)),
        Some(wrapper) => (
            quote!(#wrapper),
            quote!(::core::option::Option::Some(&__POLICY)),
        ),
    };
    quote! {
        #sender_alias

        impl #private::ReceiverFunction<#function_type> for __Receiver {
            const FUNCTION: #function_type = #registered;
        }

        impl<#signal_type: #private::AcceptsFrom<__Sender, #function_type>>
            #private::ReceiverDefinition<#signal_type> for __Receiver
        {
            const RECEIVER: #private::StaticReceiver<#signal_type> =
                #private::filtered::<#signal_type, __Sender, #function_type, Self>(
                    __INFO,
                    #policy,
                );
        }
    }
}

/// The policy as a constant, and its counters in a static.
pub(super) fn policy_items(options: &Options, krate: &syn::Path) -> TokenStream {
    let policy = &options.policy;
    let when_name = policy.when.as_ref().map_or_else(
        || quote!(::core::option::Option::None),
        |when| {
            let when = tokens_to_string(quote!(#when));
            quote!(::core::option::Option::Some(#when))
        },
    );
    let policy_value = policy.policy(krate, &when_name);
    quote! {
        const __POLICY_VALUE: #krate::Policy =
            #policy_value;
        static __POLICY: #krate::__private::PolicyState =
            #krate::__private::PolicyState::new(__POLICY_VALUE);
    }
}

/// The wrapper that applies the receiver's policy, and the items it uses:
/// the policy as a constant, and its counters in a static. The wrapper has
/// the receiver's own signature, so it registers in its place.
fn policy_wrapper(
    options: &Options,
    function: &ReceiverFn,
    krate: &syn::Path,
) -> (Ident, TokenStream) {
    let sig = &function.sig;
    let ident = &sig.ident;
    let policy = &options.policy;
    let wrapper = Ident::new("__policed", Span::mixed_site());

    let lifetimes = sig.generics.params.iter().filter_map(|param| match param {
        GenericParam::Lifetime(param) => Some(param),
        GenericParam::Type(_) | GenericParam::Const(_) => None,
    });
    let types: Vec<&syn::Type> = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(typed) => Some(&*typed.ty),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let names: Vec<Ident> = (0..types.len())
        .map(|index| Ident::new(&format!("argument{index}"), Span::mixed_site()))
        .collect();
    // Each use passes the argument again: a `&mut` is reborrowed, shared
    // references and `Copy` values are copied.
    let uses: Vec<TokenStream> = names
        .iter()
        .zip(&types)
        .map(|(name, ty)| match ty {
            syn::Type::Reference(reference) if reference.mutability.is_some() => {
                quote!(&mut *#name)
            }
            _ => quote!(#name),
        })
        .collect();
    let when = policy.when.as_ref().map(|when| {
        let span = when.span();
        let call = quote_spanned!(span=> #when(#(#uses),*));
        quote!(&& #call)
    });
    let lifetimes: Vec<_> = lifetimes.collect();
    // A receiver that returns a value gives `None` for a send it skips; the
    // macro has refused `repeat` on it.
    let wrapper_fn = match returned_type(function) {
        None => quote! {
            #[allow(clippy::trivially_copy_pass_by_ref)]
            fn #wrapper<#(#lifetimes),*>(#(#names: #types),*) {
                if __POLICY.arrive() #when && __POLICY.claim() {
                    for _ in 0..__POLICY.repeat() {
                        #ident(#(#uses),*);
                    }
                }
            }
        },
        Some(returned) => quote! {
            #[allow(clippy::trivially_copy_pass_by_ref)]
            fn #wrapper<#(#lifetimes),*>(#(#names: #types),*) -> ::core::option::Option<#returned> {
                if __POLICY.arrive() #when && __POLICY.claim() {
                    ::core::option::Option::Some(#ident(#(#uses),*))
                } else {
                    ::core::option::Option::None
                }
            }
        },
    };
    let policy_items = policy_items(options, krate);
    let items = quote! {
        #policy_items

        #wrapper_fn
    };
    (wrapper, items)
}

/// The type of the policy wrapper of a function that returns `R`:
/// `for<'a> fn(&'a Todo) -> Option<R>`.
fn option_function_type(function: &ReceiverFn) -> TokenStream {
    let sig = &function.sig;
    let lifetimes = sig.generics.params.iter().filter_map(|param| match param {
        GenericParam::Lifetime(param) => Some(&param.lifetime),
        GenericParam::Type(_) | GenericParam::Const(_) => None,
    });
    let types = sig.inputs.iter().filter_map(|input| match input {
        FnArg::Typed(typed) => Some(&*typed.ty),
        FnArg::Receiver(_) => None,
    });
    let returned = returned_type(function);
    quote!(for<#(#lifetimes),*> fn(#(#types),*) -> ::core::option::Option<#returned>)
}

/// The type the function returns, unless it returns nothing.
pub fn returned_type(function: &ReceiverFn) -> Option<&syn::Type> {
    match &function.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            syn::Type::Tuple(tuple) if tuple.elems.is_empty() => None,
            ty => Some(ty),
        },
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
