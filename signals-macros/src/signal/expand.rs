use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Lifetime, Type};

use super::attr::Options;
use super::valid::{Passing, Signal};
use crate::fresh::{fresh_ident, identifiers};
use crate::render::tokens_to_string;

pub fn expand(options: &Options, signal: &Signal) -> TokenStream {
    let krate = &options.crate_path;
    let declaration = signal.declaration;
    let attrs = &declaration.attrs;
    let vis = &declaration.vis;
    let ident = &declaration.sig.ident;
    let name = ident.to_string();
    let signature = signature_string(signal);

    let taken = identifiers(declaration.sig.to_token_stream());
    let sender_type = fresh_ident("Sender", &taken, Span::call_site());
    let sender_arg = fresh_ident("sender", &taken, Span::call_site());
    let iter_lifetime = Lifetime {
        apostrophe: Span::call_site(),
        ident: fresh_ident("signal", &taken, Span::call_site()),
    };

    let lifetimes = &signal.lifetimes;
    let binder = if lifetimes.is_empty() {
        quote!()
    } else {
        quote!(for<#(#lifetimes),*>)
    };
    let names: Vec<&Ident> = signal.params.iter().map(|param| param.name).collect();
    let types: Vec<&Type> = signal.params.iter().map(|param| param.ty).collect();
    let arguments: Vec<TokenStream> = signal
        .params
        .iter()
        .map(|param| {
            let name = param.name;
            match param.passing {
                Passing::Mutable => quote!(&mut *#name),
                Passing::Shared => quote!(#name),
                // Spanned at the type: a non-`Copy` type fails here, once, with
                // `CopyArgument`'s advice instead of a "use of moved value".
                Passing::Value => {
                    let ty = param.ty;
                    quote_spanned!(ty.span()=> #krate::__private::CopyArgument::copy_argument(&#name))
                }
            }
        })
        .collect();
    let output = signal.output.map(|ty| quote!(-> #ty));
    let receiver_fn = quote!(#binder fn(#(#types),*) #output);
    let sender_receiver_fn = quote!(#binder fn(&#sender_type, #(#types),*) #output);

    let methods = methods(&MethodParts {
        krate,
        signal,
        names: &names,
        types: &types,
        arguments: &arguments,
        sender_type: &sender_type,
        sender_arg: &sender_arg,
        iter_lifetime: &iter_lifetime,
    });

    quote! {
        #(#attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #vis struct #ident;

        const _: () = {
            #[doc(hidden)]
            pub struct Registration(#krate::__private::StaticReceiver<#ident>);

            impl<R: #krate::__private::ReceiverDefinition<#ident>> #krate::__private::Registers<R>
                for Registration
            {
                const REGISTRATION: Self = Self(R::RECEIVER);
            }

            #krate::__private::inventory::collect!(Registration);

            impl #krate::__private::Accepts<#receiver_fn> for #ident {}

            impl<#sender_type: ?::core::marker::Sized + 'static>
                #krate::__private::AcceptsFrom<#sender_type, #receiver_fn> for #ident {}

            impl<#sender_type: ?::core::marker::Sized + 'static>
                #krate::__private::AcceptsFrom<#sender_type, #sender_receiver_fn> for #ident {}

            #[automatically_derived]
            impl #krate::Signal for #ident {
                type Fn = #receiver_fn;
                type SenderFn<#sender_type: ?::core::marker::Sized + 'static> = #sender_receiver_fn;
                const NAME: &'static str = #name;
                const SIGNATURE: &'static str = #signature;
                type __Registration = Registration;
                type __This = Self;

                fn __dispatch() -> &'static #krate::__private::Dispatch<Self> {
                    static DISPATCH: #krate::__private::OnceLock<#krate::__private::Dispatch<#ident>> =
                        #krate::__private::OnceLock::new();
                    DISPATCH.get_or_init(|| {
                        #krate::__private::Dispatch::collect(
                            #krate::__private::inventory::iter::<Registration>
                                .into_iter()
                                .map(|registration| &registration.0),
                        )
                    })
                }
            }
        };

        #methods
    }
}

struct MethodParts<'a> {
    krate: &'a syn::Path,
    signal: &'a Signal<'a>,
    names: &'a [&'a Ident],
    types: &'a [&'a Type],
    arguments: &'a [TokenStream],
    sender_type: &'a Ident,
    sender_arg: &'a Ident,
    iter_lifetime: &'a Lifetime,
}

/// Names and expressions shared by the generated method bodies.
struct Body {
    /// `<Self as Signal>::__dispatch()`: the sorted tables.
    dispatch: TokenStream,
    // Hygienic locals: they cannot collide with the user's parameter names.
    receiver: Ident,
    slot: Ident,
}

/// The inherent methods: typed, with the user's parameter names, so that
/// rustdoc and IDEs show them as the user declared them.
fn methods(parts: &MethodParts) -> TokenStream {
    let krate = parts.krate;
    let ident = &parts.signal.declaration.sig.ident;
    let body = Body {
        dispatch: quote!(<Self as #krate::Signal>::__dispatch()),
        receiver: Ident::new("receiver", Span::mixed_site()),
        slot: Ident::new("slot", Span::mixed_site()),
    };
    let dispatch = &body.dispatch;
    let receivers_doc = format!(
        "Every static receiver of [`{ident}`](Self), in the order `send_from` calls them: \
         by priority, highest first, then by path."
    );
    let send_methods = match parts.signal.output {
        None => unit_methods(parts, &body),
        Some(output) => returning_methods(parts, &body, output),
    };
    quote! {
        impl #ident {
            #send_methods

            #[doc = #receivers_doc]
            #[must_use]
            pub fn receivers(&self) -> &'static [#krate::ReceiverInfo] {
                #dispatch.receivers()
            }
        }
    }
}

/// `send` and `send_from` of a signal without a return value: plain loops.
fn unit_methods(parts: &MethodParts, body: &Body) -> TokenStream {
    let MethodParts {
        signal,
        names,
        types,
        arguments,
        sender_arg,
        ..
    } = *parts;
    let Body {
        dispatch,
        receiver,
        slot,
    } = body;
    let ident = &signal.declaration.sig.ident;
    let lifetimes = &signal.lifetimes;
    let call_slot = call_slot(parts, body);
    let send_doc = format!(
        "Calls every receiver of [`{ident}`](Self) that has no `sender` filter, in call order."
    );
    let send_from_doc = format!(
        "Calls the receivers of [`{ident}`](Self) without a `sender` filter and those \
         registered with `sender = T` where `T` is the type of `{sender_arg}`, in call order. \
         A filtered receiver may take `{sender_arg}` as its first argument."
    );
    quote! {
        #[doc = #send_doc]
        #[inline]
        pub fn send<#(#lifetimes),*>(&self, #(#names: #types),*) {
            for #receiver in #dispatch.unfiltered() {
                #receiver(#(#arguments),*);
            }
        }

        #[doc = #send_from_doc]
        #[inline]
        pub fn send_from<#(#lifetimes),*>(
            &self,
            #sender_arg: &(impl ::core::any::Any + ?::core::marker::Sized),
            #(#names: #types),*
        ) {
            for #slot in #dispatch.slots_from(#sender_arg) {
                #call_slot;
            }
        }
    }
}

/// `send` and `send_from` collecting the results, and their lazy,
/// allocation-free forms `send_iter` and `send_from_iter`.
fn returning_methods(parts: &MethodParts, body: &Body, output: &Type) -> TokenStream {
    let MethodParts {
        signal,
        names,
        types,
        arguments,
        sender_type,
        sender_arg,
        iter_lifetime,
        ..
    } = *parts;
    let Body {
        dispatch,
        receiver,
        slot,
    } = body;
    let ident = &signal.declaration.sig.ident;
    let lifetimes = &signal.lifetimes;
    let call_slot = call_slot(parts, body);
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
        "Calls every receiver of [`{ident}`](Self) that has no `sender` filter, in call order, \
         and returns their results in that order. [`send_iter`](Self::send_iter) does the same \
         without allocating."
    );
    let send_from_doc = format!(
        "Like [`send`](Self::send), and also calls the receivers registered with `sender = T` \
         where `T` is the type of `{sender_arg}`. [`send_from_iter`](Self::send_from_iter) does \
         the same without allocating."
    );
    let send_iter_doc = format!(
        "Calls the receivers of [`{ident}`](Self) that [`send`](Self::send) calls, one by one as \
         the iterator is advanced, yielding each result: fold, or stop early, without allocating. \
         Receivers after the point where the iterator is dropped are not called."
    );
    let send_from_iter_doc = "The lazy form of [`send_from`](Self::send_from): each receiver \
         is called as the iterator is advanced.";
    quote! {
        #[doc = #send_doc]
        #[inline]
        pub fn send<#(#lifetimes),*>(&self, #(#names: #types),*) -> ::std::vec::Vec<#output> {
            ::core::iter::Iterator::collect(self.send_iter(#(#names),*))
        }

        #[doc = #send_from_doc]
        #[inline]
        pub fn send_from<#(#lifetimes),*>(
            &self,
            #sender_arg: &(impl ::core::any::Any + ?::core::marker::Sized),
            #(#names: #types),*
        ) -> ::std::vec::Vec<#output> {
            ::core::iter::Iterator::collect(self.send_from_iter(#sender_arg, #(#names),*))
        }

        #[doc = #send_iter_doc]
        #[inline]
        #[must_use = "receivers are called only as the iterator is advanced"]
        pub fn send_iter<#iter_lifetime, #(#lifetimes),*>(
            &self,
            #(#names: #iter_types),*
        ) -> impl ::core::iter::Iterator<Item = #output> + use<#iter_lifetime, #(#lifetimes),*> {
            ::core::iter::Iterator::map(
                #dispatch.unfiltered().iter(),
                move |#receiver| #receiver(#(#arguments),*),
            )
        }

        #[doc = #send_from_iter_doc]
        #[inline]
        #[must_use = "receivers are called only as the iterator is advanced"]
        pub fn send_from_iter<
            #iter_lifetime,
            #(#lifetimes,)*
            #sender_type: ::core::any::Any + ?::core::marker::Sized
        >(
            &self,
            #sender_arg: &#iter_lifetime #sender_type,
            #(#names: #iter_types),*
        ) -> impl ::core::iter::Iterator<Item = #output>
               + use<#iter_lifetime, #(#lifetimes,)* #sender_type> {
            ::core::iter::Iterator::map(
                #dispatch.slots_from(#sender_arg),
                move |#slot| #call_slot,
            )
        }
    }
}

/// Calls one entry of a sender's table, with or without the sender.
fn call_slot(parts: &MethodParts, body: &Body) -> TokenStream {
    let MethodParts {
        krate,
        arguments,
        sender_arg,
        ..
    } = *parts;
    let Body { receiver, slot, .. } = body;
    quote! {
        match #slot {
            #krate::__private::Slot::Receiver(#receiver) => #receiver(#(#arguments),*),
            #krate::__private::Slot::SenderReceiver(#receiver) => #receiver(#sender_arg, #(#arguments),*),
        }
    }
}

struct NameElidedLifetimes<'a>(&'a Lifetime);

impl VisitMut for NameElidedLifetimes<'_> {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.0.clone());
        }
        self.visit_type_mut(&mut reference.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.0.clone();
        }
    }

    // A nested `fn(&T)` binds its own elided lifetimes.
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
}

/// `fn(item: &Todo) -> bool`, as the user wrote it, for `Signal::SIGNATURE`.
fn signature_string(signal: &Signal) -> String {
    let params: Vec<String> = signal
        .params
        .iter()
        .map(|param| {
            format!(
                "{}: {}",
                param.name,
                tokens_to_string(param.ty.to_token_stream())
            )
        })
        .collect();
    let mut signature = format!("fn({})", params.join(", "));
    if let Some(output) = signal.output {
        signature.push_str(" -> ");
        signature.push_str(&tokens_to_string(output.to_token_stream()));
    }
    signature
}
