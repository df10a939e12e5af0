//! The sends of a signal that is not async: `send`, `send_from`, their
//! robust forms, and for receivers that return a value, the lazy forms and
//! `try_send`. One closure calls a receiver, for every form: the plain
//! send keeps its loop, and each form costs the signal little to compile.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::Type;
use syn::visit_mut::VisitMut;

use super::expand::{NameElidedLifetimes, Parts, Sources, local};

/// `send`, `send_from`, `send_robust` and `send_from_robust` of a signal
/// without a return value, each a call of one generic body.
pub(super) fn unit_sends(parts: &Parts, sources: &Sources) -> TokenStream {
    let Parts {
        krate,
        signal,
        names,
        types,
        sender_type,
        sender_arg,
        ..
    } = parts;
    let Sources {
        connections,
        statics,
        statics_from,
        ..
    } = sources;
    let ident = signal.ident;
    let lifetimes = &signal.lifetimes;
    let private = quote!(#krate::__private);
    let error = quote!(#krate::ReceiverError);
    let emit = &parts.send_body;
    let mode = &parts.robust_flag;
    let (statics_arg, call_arg) = (local("statics"), local("call"));
    // Typed, since it is not made where it is passed.
    let target_type = quote!(#private::Target<'_, Self, #sender_type>);
    let call = call_target(parts, &quote!(#sender_arg), false, Some(&target_type));
    let plain_call = call_target(parts, &quote!(&#private::NoSender), false, None);
    let send_doc = format!(
        "Calls every receiver of [`{ident}`](Self) that has no sender filter, in call order."
    );
    let send_from_doc = format!(
        "Calls the receivers of [`{ident}`](Self) without a sender filter and those \
         registered for the type of `{sender_arg}`, in call order. A filtered receiver may \
         take `{sender_arg}` as its first argument."
    );
    let robust_doc = robust_doc(ident);
    let robust_from_doc = robust_from_doc();
    let must_use = "the failures of the receivers are returned, not propagated";
    let any_sender = quote!(#sender_arg: &(impl ::core::any::Any + ?::core::marker::Sized));
    quote! {
        #[doc = #send_doc]
        #[inline]
        pub fn send<#(#lifetimes),*>(&self, #(#names: #types),*) {
            // Its own closure, which captures no sender: the plain send is
            // the one every signal makes most.
            #connections.emit::<#private::NoSender>(|| #statics, #plain_call);
        }

        #[doc = #send_from_doc]
        #[inline]
        pub fn send_from<#(#lifetimes),*>(&self, #any_sender, #(#names: #types),*) {
            self.#emit::<_, #private::PlainSend>(#sender_arg, || #statics_from, #(#names),*);
        }

        #[doc = #robust_doc]
        #[doc = ""]
        #[doc = "Returns the failures, in call order: empty if every receiver returned."]
        #[must_use = #must_use]
        pub fn send_robust<#(#lifetimes),*>(&self, #(#names: #types),*) -> ::std::vec::Vec<#error> {
            self.#emit::<#private::NoSender, #private::RobustSend>(&#private::NoSender, || #statics, #(#names),*)
        }

        #[doc = #robust_from_doc]
        #[must_use = #must_use]
        pub fn send_from_robust<#(#lifetimes),*>(
            &self,
            #any_sender,
            #(#names: #types),*
        ) -> ::std::vec::Vec<#error> {
            self.#emit::<_, #private::RobustSend>(#sender_arg, || #statics_from, #(#names),*)
        }

        /// The body of every send: calls each receiver in `statics` and the
        /// runtime ones, as the send `mode` does.
        #[doc(hidden)]
        #[allow(clippy::inline_always)]
        #[inline(always)]
        fn #emit<#(#lifetimes,)* #sender_type: ?::core::marker::Sized + 'static, #mode: #private::UnitSend>(
            &self,
            #sender_arg: &#sender_type,
            #statics_arg: impl ::core::ops::FnOnce() -> #private::StaticSlots<'static, Self, #sender_type>,
            #(#names: #types),*
        ) -> #mode::Output {
            let #call_arg = #call;
            #mode::send(#connections, #statics_arg, #call_arg)
        }
    }
}

/// The sends of a signal whose receivers return a value: `send`,
/// `send_from`, `send_iter`, `send_from_iter`, `send_robust`,
/// `send_from_robust`, and for a `Result`, `try_send` and `try_send_from`:
/// each a use of one generic body, the lazy send.
pub(super) fn returning_sends(parts: &Parts, sources: &Sources, output: &Type) -> TokenStream {
    let Parts {
        krate,
        signal,
        names,
        types,
        sender_type,
        sender_arg,
        iter_lifetime,
        captured,
        ..
    } = parts;
    let Sources {
        statics,
        statics_from,
        ..
    } = sources;
    let ident = signal.ident;
    let lifetimes = &signal.lifetimes;
    let private = quote!(#krate::__private);
    let responses = &parts.send_body;
    // The iterator borrows every argument: name each elided lifetime so the
    // return type can say what it captures, whatever the caller's edition.
    let iter_types: Vec<Type> = types
        .iter()
        .map(|ty| {
            let mut ty = (*ty).clone();
            NameElidedLifetimes(iter_lifetime).visit_type_mut(&mut ty);
            ty
        })
        .collect();
    let send_doc = format!(
        "Calls every receiver of [`{ident}`](Self) that has no sender filter, in call order, \
         and returns their results in that order. [`send_iter`](Self::send_iter) does the same \
         without allocating."
    );
    let send_from_doc = format!(
        "Like [`send`](Self::send), and also calls the receivers registered for the type of \
         `{sender_arg}`. [`send_from_iter`](Self::send_from_iter) does the same without \
         allocating."
    );
    let send_iter_doc = format!(
        "Calls the receivers of [`{ident}`](Self) that [`send`](Self::send) calls, one by one as \
         the iterator is advanced, yielding each result: fold, or stop early, without allocating. \
         Receivers after the point where the iterator is dropped are not called."
    );
    let send_from_iter_doc = "The lazy form of [`send_from`](Self::send_from): each receiver \
         is called as the iterator is advanced.";
    let any_sender = quote!(#sender_arg: &(impl ::core::any::Any + ?::core::marker::Sized));
    let robust = robust_sends(parts, sources, output);
    let body = responses_body(parts, sources, output, &iter_types);
    quote! {
        #[doc = #send_doc]
        #[inline]
        pub fn send<#(#lifetimes),*>(&self, #(#names: #types),*) -> ::std::vec::Vec<#output> {
            ::core::iter::Iterator::collect(self.send_iter(#(#names),*))
        }

        #[doc = #send_from_doc]
        #[inline]
        pub fn send_from<#(#lifetimes),*>(&self, #any_sender, #(#names: #types),*) -> ::std::vec::Vec<#output> {
            ::core::iter::Iterator::collect(self.send_from_iter(#sender_arg, #(#names),*))
        }

        #[doc = #send_iter_doc]
        #[inline]
        #[must_use = "receivers are called only as the iterator is advanced"]
        pub fn send_iter<#iter_lifetime, #(#lifetimes),*>(
            &#iter_lifetime self,
            #(#names: #iter_types),*
        ) -> impl ::core::iter::Iterator<Item = #output>
               + use<#iter_lifetime, #(#lifetimes,)* #(#captured),*> {
            self.#responses(&#private::NoSender, #statics, #(#names),*)
        }

        #[doc = #send_from_iter_doc]
        #[inline]
        #[must_use = "receivers are called only as the iterator is advanced"]
        pub fn send_from_iter<
            #iter_lifetime,
            #(#lifetimes,)*
            #sender_type: ::core::any::Any + ?::core::marker::Sized
        >(
            &#iter_lifetime self,
            #sender_arg: &#iter_lifetime #sender_type,
            #(#names: #iter_types),*
        ) -> impl ::core::iter::Iterator<Item = #output>
               + use<#iter_lifetime, #(#lifetimes,)* #(#captured,)* #sender_type> {
            self.#responses(#sender_arg, #statics_from, #(#names),*)
        }

        #robust

        #body
    }
}

/// The body of every send of a signal whose receivers return a value: the
/// lazy send, from a sender of any type.
fn responses_body(
    parts: &Parts,
    sources: &Sources,
    output: &Type,
    iter_types: &[Type],
) -> TokenStream {
    let Parts {
        krate,
        signal,
        names,
        sender_type,
        sender_arg,
        iter_lifetime,
        captured,
        ..
    } = parts;
    let connections = &sources.connections;
    let lifetimes = &signal.lifetimes;
    let private = quote!(#krate::__private);
    let responses = &parts.send_body;
    let statics_arg = local("statics");
    let call = call_target(parts, &quote!(#sender_arg), true, None);
    quote! {
        /// The body of every send: the receivers in `statics` and the
        /// runtime ones, each called as the result is taken.
        #[doc(hidden)]
        #[allow(clippy::inline_always)]
        #[inline(always)]
        fn #responses<
            #iter_lifetime,
            #(#lifetimes,)*
            #sender_type: ?::core::marker::Sized + 'static
        >(
            &#iter_lifetime self,
            #sender_arg: &#iter_lifetime #sender_type,
            #statics_arg: #private::StaticSlots<#iter_lifetime, Self, #sender_type>,
            #(#names: #iter_types),*
        ) -> #private::Responses<
            #iter_lifetime,
            Self,
            #sender_type,
            impl ::core::ops::FnMut(#private::Target<'_, Self, #sender_type>)
                -> ::core::option::Option<#output>
                + use<#iter_lifetime, #(#lifetimes,)* #(#captured,)* #sender_type>,
        > {
            #connections.emission(#statics_arg).responses(move #call)
        }
    }
}

/// `send_robust` and `send_from_robust`, and for receivers that return a
/// `Result`, `try_send` and `try_send_from`: the lazy send, driven to the
/// end or to the first `Err`.
fn robust_sends(parts: &Parts, sources: &Sources, output: &Type) -> TokenStream {
    let Parts {
        krate,
        signal,
        names,
        types,
        sender_arg,
        ..
    } = parts;
    let Sources {
        statics,
        statics_from,
        ..
    } = sources;
    let ident = signal.ident;
    let lifetimes = &signal.lifetimes;
    let private = quote!(#krate::__private);
    let responses = &parts.send_body;
    let any_sender = quote!(#sender_arg: &(impl ::core::any::Any + ?::core::marker::Sized));
    let robust_doc = robust_doc(ident);
    let robust_from_doc = robust_from_doc();
    let must_use = "the failures of the receivers are returned, not propagated";
    let (value, error, split, results_doc) = match result_parts(krate, output) {
        Some((value, failure)) => (
            value,
            quote!(#krate::ReceiverError<#failure>),
            splitter(krate, output),
            "Returns each receiver's `Ok` value or failure, in call order: a receiver that \
             returned an `Err` failed too.",
        ),
        None => (
            output.to_token_stream(),
            quote!(#krate::ReceiverError),
            splitter(krate, output),
            "Returns each receiver's result or failure, in call order.",
        ),
    };
    let results = quote!(::std::vec::Vec<::core::result::Result<#value, #error>>);
    let try_send = result_parts(krate, output).is_some().then(|| {
        let try_doc = format!(
            "Calls the receivers of [`{ident}`](Self) in call order, like [`send`](Self::send), \
             until one returns an `Err`: returns that error, with the receiver that returned it, \
             and calls no further receiver. Otherwise returns every `Ok` value, in call order. \
             A panic propagates, as in `send`."
        );
        let try_from_doc = "Like [`try_send`](Self::try_send), for a send from `sender`, as \
             [`send_from`](Self::send_from) makes.";
        let tried = quote!(::core::result::Result<::std::vec::Vec<#value>, #error>);
        quote! {
            #[doc = #try_doc]
            pub fn try_send<#(#lifetimes),*>(&self, #(#names: #types),*) -> #tried {
                self.#responses(&#private::NoSender, #statics, #(#names),*).try_all(#split)
            }

            #[doc = #try_from_doc]
            pub fn try_send_from<#(#lifetimes),*>(&self, #any_sender, #(#names: #types),*) -> #tried {
                self.#responses(#sender_arg, #statics_from, #(#names),*).try_all(#split)
            }
        }
    });
    quote! {
        #[doc = #robust_doc]
        #[doc = ""]
        #[doc = #results_doc]
        #[must_use = #must_use]
        pub fn send_robust<#(#lifetimes),*>(&self, #(#names: #types),*) -> #results {
            self.#responses(&#private::NoSender, #statics, #(#names),*).robust(#split)
        }

        #[doc = #robust_from_doc]
        #[must_use = #must_use]
        pub fn send_from_robust<#(#lifetimes),*>(&self, #any_sender, #(#names: #types),*) -> #results {
            self.#responses(#sender_arg, #statics_from, #(#names),*).robust(#split)
        }

        #try_send
    }
}

fn robust_doc(ident: &Ident) -> String {
    format!(
        "Like [`send`](Self::send), but calls every receiver of [`{ident}`](Self) whatever \
         happens: a receiver's panic is caught and reported, and the next receiver is called. \
         Every failure is also shown to the error hooks (see [`set_error_hook`](Self::set_error_hook))."
    )
}

fn robust_from_doc() -> &'static str {
    "Like [`send_from`](Self::send_from), but calls every receiver whatever happens, as \
     [`send_robust`](Self::send_robust) does."
}

/// The closure that calls one [`Target`], with `sender` where it is wanted.
/// `respond` wraps a result: `Some(..)` for iterators, nothing for `send`.
pub(super) fn call_target(
    parts: &Parts,
    sender: &TokenStream,
    returning: bool,
    target_type: Option<&TokenStream>,
) -> TokenStream {
    let Parts {
        krate, arguments, ..
    } = parts;
    let receiver = Ident::new("receiver", Span::mixed_site());
    let target = Ident::new("target", Span::mixed_site());
    let variant = quote!(#krate::__private::Target);
    let any = Ident::new("any_sender", Span::mixed_site());
    let lend = quote!(#krate::AnySender::lend);
    let (when, policy) = (
        Ident::new("when", Span::mixed_site()),
        Ident::new("policy", Span::mixed_site()),
    );
    let (some, weak, guarded) = if returning {
        (
            quote!(::core::option::Option::Some),
            quote!(#receiver(#(#arguments),*)),
            quote! {
                if #when(#(#arguments),*) && #policy.claim() {
                    ::core::option::Option::Some(#receiver(#(#arguments),*))
                } else {
                    ::core::option::Option::None
                }
            },
        )
    } else {
        (
            quote!(),
            quote!({ #receiver(#(#arguments),*); }),
            quote! {
                if #when(#(#arguments),*) && #policy.claim() {
                    for _ in 0..#policy.repeat() {
                        #receiver(#(#arguments),*);
                    }
                }
            },
        )
    };
    let parameter = if let Some(ty) = target_type {
        quote!(#target: #ty)
    } else {
        quote!(#target)
    };
    quote! {
        |#parameter| match #target {
            #variant::Static(#receiver) => #some(#receiver(#(#arguments),*)),
            #variant::StaticOptional(#receiver) => #weak,
            #variant::StaticAsync(#receiver) => match #receiver {},
            #variant::StaticSender(#receiver) => #some(#receiver(#sender, #(#arguments),*)),
            #variant::StaticAnySender(#receiver) => #some(#lend(#sender, |#any| #receiver(#any, #(#arguments),*))),
            #variant::Runtime(#receiver) => #some(#receiver(#(#arguments),*)),
            #variant::RuntimeSender(#receiver) => #some(#receiver(#sender, #(#arguments),*)),
            #variant::RuntimeAnySender(#receiver) => #some(#lend(#sender, |#any| #receiver(#any, #(#arguments),*))),
            #variant::Weak(#receiver) => #weak,
            #variant::RuntimeWhen(#when, #policy, #receiver) => #guarded,
        }
    }
}

/// How a robust send reads a result of type `output`: a `Result` is split,
/// and its `Err` shown to the error hooks through its `Debug`, found here,
/// where the type is known (an error type without `Debug` still compiles,
/// and shows its name); any other output is a value.
pub(super) fn splitter(krate: &syn::Path, output: &Type) -> TokenStream {
    let private = quote!(#krate::__private);
    let Some((_, failure)) = result_parts(krate, output) else {
        return quote! {
            #private::Split::new(#private::infallible::<#output>, ::core::option::Option::None)
        };
    };
    quote! {
        #private::Split::new(#private::fallible::<#output>, {
            #[allow(unused_imports)]
            use #private::{ViaDebug as _, WithoutDebug as _};
            (&#private::DebugProbe::<#failure>::new()).render()
        })
    }
}

/// The value and error types of a `Result` output, spelled as written for
/// `Result<T, E>`, through `Fallible` for an alias such as `io::Result<T>`;
/// `None` for any other output.
pub(super) fn result_parts(krate: &syn::Path, output: &Type) -> Option<(TokenStream, TokenStream)> {
    let Type::Path(path) = output else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    if let syn::PathArguments::AngleBracketed(arguments) = &last.arguments {
        let types: Vec<&Type> = arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect();
        if let [value, error] = types[..] {
            return Some((value.to_token_stream(), error.to_token_stream()));
        }
    }
    let fallible = quote!(#krate::__private::Fallible);
    Some((
        quote!(<#output as #fallible>::Value),
        quote!(<#output as #fallible>::Error),
    ))
}
