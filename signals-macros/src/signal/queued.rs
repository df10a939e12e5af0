//! `connect_queued`: a receiver that runs on the thread of a `Mailbox`,
//! with owned copies of the arguments.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::Type;
use syn::visit::Visit;

use super::expand::Parts;
use super::valid::Passing;

/// `connect_queued`, for a signal whose receivers return nothing and whose
/// arguments point to types without lifetimes (their copies must be
/// `'static`); nothing otherwise, and the crate docs say so.
pub(super) fn connect_queued(parts: &Parts) -> TokenStream {
    let signal = parts.signal;
    if signal.output.is_some() {
        return refused(parts, "QueuedReturning");
    }
    if !signal.params.iter().all(|param| travels(pointee(param.ty))) {
        return refused(parts, "QueuedBorrowing");
    }
    let Parts {
        krate,
        names,
        types,
        binder,
        closure_types,
        function_type: function,
        ..
    } = parts;
    let private = quote!(#krate::__private);
    let (mailbox, receiver, poster, connection) = (
        Ident::new("mailbox", Span::mixed_site()),
        Ident::new("receiver", Span::mixed_site()),
        Ident::new("poster", Span::mixed_site()),
        Ident::new("connection", Span::mixed_site()),
    );
    let mut bounds = Vec::new();
    let mut owned = Vec::new();
    let mut patterns = Vec::new();
    let mut to_owned = Vec::new();
    let mut borrowed = Vec::new();
    for (param, name) in signal.params.iter().zip(names) {
        let pointee = pointee(param.ty);
        let (trait_name, pattern, copy, lend) = match param.passing {
            Passing::Shared => (
                quote!(Queueable),
                quote!(#name),
                quote!(#name),
                quote!(&#name),
            ),
            Passing::Mutable => (
                quote!(QueuedMutable),
                quote!(mut #name),
                quote!(#name),
                quote!(&mut #name),
            ),
            Passing::Value => (quote!(QueuedValue), quote!(#name), quote!(&#name), quote!()),
        };
        let queued = quote!(<#pointee as #private::#trait_name<#function>>);
        bounds.push(quote!(#pointee: #private::#trait_name<#function>));
        owned.push(match param.passing {
            Passing::Value => quote!(#pointee),
            Passing::Shared | Passing::Mutable => quote!(#queued::Owned),
        });
        patterns.push(pattern);
        to_owned.push(quote!(#queued::to_queued(#copy)));
        borrowed.push(match param.passing {
            // Its own copy, moved in.
            Passing::Value => quote!(#name),
            Passing::Shared | Passing::Mutable => quote!(#queued::from_queued(#lend)),
        });
    }
    let doc = "Connects `receiver` to run on the thread that owns `mailbox`, whenever that \
        thread pumps it, with owned copies of the arguments; whichever thread sends. The \
        receiver need not be `Send`: it never leaves the mailbox's thread. Dropping the \
        mailbox disconnects it; so does the returned [`Connection`](signals::Connection).";
    quote! {
        #[doc = #doc]
        #[track_caller]
        pub fn connect_queued<#function>(
            &self,
            #mailbox: &#krate::Mailbox,
            mut #receiver: #function,
        ) -> #krate::Connection
        where
            #function: #binder ::core::ops::FnMut(#(#types),*) + 'static,
            #(#bounds,)*
        {
            let #poster = #mailbox.__queue::<(#(#owned,)*)>(move |(#(#patterns,)*)| {
                #receiver(#(#borrowed),*);
            });
            let #connection = self.connect(move |#(#names: #closure_types),*| {
                #poster.post((#(#to_owned,)*));
            });
            #mailbox.__hold(::core::clone::Clone::clone(&#connection).scoped());
            #connection
        }
    }
}

/// `connect_queued` for a signal that cannot deliver through a mailbox:
/// every call is refused at compile time, by the bound `Self: reason`,
/// which no signal meets and whose message says why.
fn refused(parts: &Parts, reason: &str) -> TokenStream {
    let Parts {
        krate,
        types,
        binder,
        output,
        function_type: function,
        ..
    } = parts;
    let private = quote!(#krate::__private);
    let reason = Ident::new(reason, Span::call_site());
    let (mailbox, receiver) = (
        Ident::new("_mailbox", Span::mixed_site()),
        Ident::new("_receiver", Span::mixed_site()),
    );
    quote! {
        /// Not for this signal: the compiler says why where it is called.
        #[doc(hidden)]
        pub fn connect_queued<#function>(
            &self,
            #mailbox: &#krate::Mailbox,
            #receiver: #function,
        ) -> #krate::Connection
        where
            #function: #binder ::core::ops::FnMut(#(#types),*) #output + 'static,
            Self: #private::#reason<#function>,
        {
            <Self as #private::#reason<#function>>::refused(self)
        }
    }
}

/// What a parameter points to, or its own type.
pub(super) fn pointee(ty: &Type) -> &Type {
    match ty {
        Type::Reference(reference) => &reference.elem,
        ty => ty,
    }
}

/// Whether copies of `ty` can be `'static`: it names no lifetime but
/// `'static`, outside `fn` pointers and `Fn(..)` bounds, which bind their
/// own, and has no trait object (whose lifetime is implied) unless it is
/// `+ 'static`.
pub(super) fn travels(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_reference(&mut self, reference: &'ast syn::TypeReference) {
            match &reference.lifetime {
                Some(lifetime) if lifetime.ident == "static" => {}
                _ => self.0 = false,
            }
            syn::visit::visit_type_reference(self, reference);
        }
        fn visit_lifetime(&mut self, lifetime: &'ast syn::Lifetime) {
            if lifetime.ident != "static" {
                self.0 = false;
            }
        }
        // Its lifetime is implied: `'static` only if it says so.
        fn visit_type_trait_object(&mut self, object: &'ast syn::TypeTraitObject) {
            let is_static = object.bounds.iter().any(|bound| {
                matches!(bound, syn::TypeParamBound::Lifetime(lifetime) if lifetime.ident == "static")
            });
            self.0 &= is_static;
        }
        fn visit_type_bare_fn(&mut self, _: &'ast syn::TypeBareFn) {}
        fn visit_parenthesized_generic_arguments(
            &mut self,
            _: &'ast syn::ParenthesizedGenericArguments,
        ) {
        }
    }
    let mut finder = Finder(true);
    finder.visit_type(ty);
    finder.0
}
