//! `#[signal(bridge)]`: the `Bridge` impl through which a transport
//! carries a signal's sends to other processes.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Type;

use super::expand::{Parts, local};
use super::queued::{pointee, travels};
use super::valid::{Kind, Passing, Signal};

/// Why `signal` cannot be bridged, spanned at what stands in the way;
/// `option` is the `bridge` of `#[signal(bridge)]`.
pub(super) fn check(signal: &Signal, option: Span) -> syn::Result<()> {
    if signal.kind == Kind::Instance {
        return Err(syn::Error::new(
            option,
            "a signal type cannot be bridged: another process could not tell which of its \
             values a send came from; bridge a `#[signal] fn`",
        ));
    }
    if signal.is_async {
        return Err(syn::Error::new(
            option,
            "an async signal cannot be bridged: a delivery from another process runs the \
             local receivers with a blocking `send_robust`",
        ));
    }
    if let Some(output) = signal.output {
        if !returns_unit_result(output) {
            return Err(syn::Error::new_spanned(
                output,
                "the receivers of a bridged signal return nothing, or `Result<(), E>`: a \
                 receiver in another process has no way to return a value to the send",
            ));
        }
    }
    for param in &signal.params {
        if !travels(pointee(param.ty)) {
            return Err(syn::Error::new_spanned(
                param.ty,
                "the arguments of a bridged signal are decoded into owned values in another \
                 process: use an owned type, or a reference to one, without lifetimes or \
                 trait objects",
            ));
        }
    }
    Ok(())
}

/// `Result<(), E>` or `io::Result<()>`: a `Result` whose value is `()`.
fn returns_unit_result(output: &Type) -> bool {
    let Type::Path(path) = output else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return false;
    };
    last.ident == "Result"
        && matches!(
            arguments.args.first(),
            Some(syn::GenericArgument::Type(Type::Tuple(tuple))) if tuple.elems.is_empty()
        )
}

pub(super) fn bridge_impl(parts: &Parts) -> TokenStream {
    let Parts {
        krate,
        signal,
        names,
        closure_types,
        unified_types,
        iter_lifetime: lifetime,
        function_type: function,
        sender_arg: sender,
        ..
    } = parts;
    let ident = signal.ident;
    let private = quote!(#krate::__private);
    let (options, forward, arguments) = (local("options"), local("forward"), local("arguments"));
    let parameters = names.iter().map(ToString::to_string);
    let mut owned = Vec::new();
    let mut lent = Vec::new();
    for (param, name) in signal.params.iter().zip(names) {
        let pointee = pointee(param.ty);
        owned.push(match param.passing {
            Passing::Value => quote!(#pointee),
            Passing::Shared | Passing::Mutable => {
                quote!(<#pointee as #private::OwnedArgument>::Owned)
            }
        });
        lent.push(match param.passing {
            Passing::Value => quote!(#name),
            Passing::Shared => quote!(::core::borrow::Borrow::<#pointee>::borrow(&#name)),
            Passing::Mutable => {
                quote!(<#pointee as #private::OwnedArgument>::lend_mut(&mut #name))
            }
        });
    }
    let mutable = signal.params.iter().zip(names).map(|(param, name)| {
        if param.passing == Passing::Mutable {
            quote!(mut #name)
        } else {
            quote!(#name)
        }
    });
    let ok = signal
        .output
        .map(|_| quote!(::core::result::Result::Ok(())));
    let forwarded_from = quote!(#forward(#sender, (#(#names,)*)); #ok);
    let forwarded = quote!(#forward((#(#names,)*)); #ok);
    let failures = failures(parts, &lent);
    quote! {
        #[automatically_derived]
        impl #krate::Bridge for #ident {
            type Arguments<#lifetime> = (#(#unified_types,)*);
            type Owned = (#(#owned,)*);
            const PARAMETERS: &'static [&'static str] = &[#(#parameters),*];

            fn forward<#function>(&self, #options: &#krate::ConnectOptions, #forward: #function) -> #krate::Connection
            where
                #function: for<#lifetime> ::core::ops::Fn(Self::Arguments<#lifetime>)
                    + ::core::marker::Send + ::core::marker::Sync + 'static,
            {
                self.connect_with(#options, move |#(#names: #closure_types),*| { #forwarded })
            }

            fn forward_from<#function>(&self, #options: &#krate::ConnectOptions, #forward: #function) -> #krate::Connection
            where
                #function: for<#lifetime> ::core::ops::Fn(&#krate::AnySender, Self::Arguments<#lifetime>)
                    + ::core::marker::Send + ::core::marker::Sync + 'static,
            {
                self.connect_from_with::<#krate::AnySender>(
                    #options,
                    move |#sender: &#krate::AnySender, #(#names: #closure_types),*| { #forwarded_from },
                )
            }

            fn deliver(&self, #arguments: Self::Owned) -> ::std::vec::Vec<::std::string::String> {
                let (#(#mutable,)*) = #arguments;
                #failures
            }
        }
    }
}

/// The failures of a delivery that lends `lent`, as texts.
fn failures(parts: &Parts, lent: &[TokenStream]) -> TokenStream {
    let krate = parts.krate;
    let private = quote!(#krate::__private);
    let sent = quote!(::core::iter::IntoIterator::into_iter(self.send_robust(#(#lent),*)));
    match parts.signal.output {
        None => quote! {
            ::core::iter::Iterator::collect(::core::iter::Iterator::map(
                #sent,
                |failure| ::std::string::ToString::to_string(&failure),
            ))
        },
        Some(output) => quote! {
            ::core::iter::Iterator::collect(::core::iter::Iterator::map(
                ::core::iter::Iterator::filter_map(#sent, ::core::result::Result::err),
                |failure| #private::failure_text(&failure, {
                    #[allow(unused_imports)]
                    use #private::{ViaDebug as _, WithoutDebug as _};
                    (&#private::DebugProbe::<<#output as #private::Fallible>::Error>::new()).render()
                }),
            ))
        },
    }
}
