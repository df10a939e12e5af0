use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Lifetime, Type};

use super::attr::Options;
use super::valid::{Kind, Passing, Signal};
use crate::fresh::{fresh_ident, identifiers};
use crate::render::tokens_to_string;

/// Everything the generated items are made of, computed once.
pub(super) struct Parts<'a> {
    pub(super) krate: &'a syn::Path,
    pub(super) signal: &'a Signal<'a>,
    pub(super) names: Vec<&'a Ident>,
    pub(super) types: Vec<&'a Type>,
    /// Each parameter as passed to one receiver: `&mut *x` for `&mut T`.
    pub(super) arguments: Vec<TokenStream>,
    /// `for<'a, ..>`, or nothing.
    pub(super) binder: TokenStream,
    /// `-> R`, or nothing.
    pub(super) output: Option<TokenStream>,
    /// The parameter types with anonymous lifetimes: a closure cannot name
    /// lifetimes, so its parameters take fresh ones, which is more general
    /// than the signal's; it still coerces.
    pub(super) closure_types: Vec<Type>,
    /// A static receiver's `fn` type, and one that takes the sender first.
    receiver_fn: TokenStream,
    sender_receiver_fn: TokenStream,
    /// Fresh names that cannot collide with the user's: none of them is
    /// spelled anywhere in the declaration, so none can capture a user's
    /// type where the expansion spells it again.
    pub(super) sender_type: Ident,
    pub(super) sender_arg: Ident,
    /// A pointer to the sender, and a receiver's definition, in the
    /// functions that let a send from an `Arc<O>` reach the receivers of
    /// `O`.
    pointer_type: Ident,
    pub(super) function_type: Ident,
    pub(super) iter_lifetime: Lifetime,
    registration_type: Ident,
    definition_type: Ident,
    target_type: Ident,
    output_type: Ident,
    /// The signal's type as impls name it: `Yielded<T>` for a generic
    /// signal type, its plain name otherwise.
    pub(super) self_type: TokenStream,
    /// `<T: 'static + Bound>` and `where ..` of every impl (and of a signal
    /// type's struct), or nothing.
    pub(super) impl_generics: TokenStream,
    pub(super) where_clause: TokenStream,
    /// The type and const parameters, for `use<..>` bounds.
    pub(super) captured: Vec<TokenStream>,
    /// What each receiver returns: the output, or `()`.
    pub(super) response: TokenStream,
    /// For an async signal: the parameter types with every lifetime but
    /// `'static` made `iter_lifetime`, the lifetime of one send.
    pub(super) unified_types: Vec<Type>,
    /// For the closure types of an async signal's runtime receivers: their
    /// binder and the lifetime of their futures: `for<'signal>` and
    /// `'signal` when the arguments borrow, else nothing and `'static`.
    pub(super) runtime_binder: TokenStream,
    pub(super) runtime_lifetime: TokenStream,
    /// An async signal's room for a receiver's future, in bytes.
    pub(super) async_inline: usize,
    /// The associated function that gives a closure the signature of the
    /// signal's runtime receivers (see `async_methods::step_helper`).
    pub(super) step_helper: Ident,
    /// The generic body of a signal's sends, and its parameter that says
    /// how it sends.
    pub(super) send_body: Ident,
    pub(super) robust_flag: Ident,
}

/// A signal type's generics with `'static` added to each type parameter:
/// a signal keeps its receivers for as long as it lives.
fn static_generics(generics: &syn::Generics) -> syn::Generics {
    let mut generics = generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(syn::parse_quote!('static));
    }
    generics
}

/// A local name (a parameter, a `let`): resolved where the macro is
/// defined, so a user's constant or unit struct of that name in scope
/// cannot turn it into a pattern.
pub(super) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

pub fn expand(options: &Options, signal: &Signal) -> TokenStream {
    let taken = taken_names(signal);
    let generics = signal.generics.map(static_generics).unwrap_or_default();
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    let captured = generics
        .params
        .iter()
        .filter_map(|param| match param {
            syn::GenericParam::Type(param) => Some(param.ident.to_token_stream()),
            syn::GenericParam::Const(param) => Some(param.ident.to_token_stream()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    let lifetimes = &signal.lifetimes;
    let types: Vec<&Type> = signal.params.iter().map(|param| param.ty).collect();
    let binder = if lifetimes.is_empty() {
        quote!()
    } else {
        quote!(for<#(#lifetimes),*>)
    };
    let output = signal.output.map(|ty| quote!(-> #ty));
    let sender_type = fresh_ident("Sender", &taken, Span::call_site());
    let iter_lifetime = Lifetime {
        apostrophe: Span::call_site(),
        ident: fresh_ident("signal", &taken, Span::call_site()),
    };
    let (unified_types, runtime_binder, runtime_lifetime) = unified(&types, &iter_lifetime);
    let parts = Parts {
        krate: &options.crate_path,
        signal,
        names: signal.params.iter().map(|param| &param.name).collect(),
        closure_types: types
            .iter()
            .map(|ty| {
                let mut ty = (*ty).clone();
                AnonymousLifetimes.visit_type_mut(&mut ty);
                ty
            })
            .collect(),
        receiver_fn: quote!(#binder fn(#(#types),*) #output),
        sender_receiver_fn: quote!(#binder fn(&#sender_type, #(#types),*) #output),
        types,
        arguments: signal
            .params
            .iter()
            .map(|param| argument(&options.crate_path, param))
            .collect(),
        binder,
        output,
        sender_type,
        sender_arg: fresh_ident("sender", &taken, Span::mixed_site()),
        pointer_type: fresh_ident("Pointer", &taken, Span::call_site()),
        function_type: fresh_ident("Function", &taken, Span::call_site()),
        iter_lifetime,
        registration_type: fresh_ident("Registration", &taken, Span::call_site()),
        definition_type: fresh_ident("R", &taken, Span::call_site()),
        target_type: fresh_ident("Target", &taken, Span::call_site()),
        output_type: fresh_ident("Output", &taken, Span::call_site()),
        self_type: {
            let ident = signal.ident;
            quote!(#ident #type_generics)
        },
        impl_generics: impl_generics.to_token_stream(),
        where_clause: where_clause.to_token_stream(),
        captured,
        response: signal
            .output
            .map_or_else(|| quote!(()), ToTokens::to_token_stream),
        unified_types,
        runtime_binder,
        runtime_lifetime,
        async_inline: options
            .async_inline
            .as_ref()
            .and_then(|bytes| bytes.base10_parse().ok())
            .unwrap_or(super::attr::DEFAULT_ASYNC_INLINE),
        step_helper: fresh_ident("__step", &taken, Span::call_site()),
        send_body: fresh_ident("__send", &taken, Span::call_site()),
        robust_flag: fresh_ident("Mode", &taken, Span::call_site()),
    };
    let signature = signature_impl(&parts);
    let methods = methods(&parts);
    let bridge = options.bridge.map(|_| super::bridge::bridge_impl(&parts));
    let item = match signal.kind {
        Kind::Static => static_items(&parts),
        Kind::Instance => instance_items(&parts),
    };
    quote! {
        #item
        #signature
        #methods
        #bridge
    }
}

/// Every identifier the declaration spells, which no fresh name may be.
fn taken_names(signal: &Signal) -> std::collections::HashSet<String> {
    let (ident, output) = (signal.ident, signal.output);
    identifiers(
        signal
            .params
            .iter()
            .map(|param| {
                let (name, ty) = (&param.name, param.ty);
                quote!(#name #ty)
            })
            .chain([quote!(#ident #output)])
            .chain(signal.generics.map(ToTokens::to_token_stream))
            .collect(),
    )
}

fn argument(krate: &syn::Path, param: &super::valid::Param) -> TokenStream {
    let name = &param.name;
    match param.passing {
        Passing::Shared => quote!(#name),
        Passing::Mutable => quote!(&mut *#name),
        // Spanned at the type: a non-`Copy` type fails here, once, with
        // `CopyArgument`'s advice instead of a "use of moved value".
        Passing::Value => {
            let ty = param.ty;
            quote_spanned!(ty.span()=> #krate::__private::CopyArgument::copy_argument(&#name))
        }
    }
}

/// The receiver types, for the runtime.
fn signature_impl(parts: &Parts) -> TokenStream {
    let Parts {
        krate,
        signal,
        names,
        types,
        closure_types,
        binder,
        output,
        sender_type,
        sender_arg,
        receiver_fn,
        sender_receiver_fn,
        self_type,
        impl_generics,
        where_clause,
        ..
    } = parts;
    let (pointer, function) = (&parts.pointer_type, local("function"));
    let signal_name = signal.ident.to_string();
    let response = &parts.response;
    let sized = quote!(?::core::marker::Sized + 'static);
    let send_sync = quote!(::core::marker::Send + ::core::marker::Sync);
    let (async_fn, dyn_fn) = if signal.is_async {
        let (lifetime, unified) = (&parts.iter_lifetime, &parts.unified_types);
        (
            quote! {
                for<#lifetime, '__slot, '__task> fn(#(#unified,)* #krate::__private::Filler<'__slot, '__task, #lifetime, #response>)
            },
            {
                let (binder, lifetime) = (&parts.runtime_binder, &parts.runtime_lifetime);
                quote! {
                    dyn #binder ::core::ops::Fn(#(#unified),*)
                        -> #krate::__private::Step<#lifetime, #response> + #send_sync
                }
            },
        )
    } else {
        (
            quote!(#krate::__private::NotAsync),
            quote!(dyn #binder ::core::ops::Fn(#(#types),*) #output + #send_sync),
        )
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::Signature for #self_type #where_clause {
            const SIGNAL_NAME: &'static str = #signal_name;
            type Fn = #receiver_fn;
            type OptionFn = #binder fn(#(#types),*) -> ::core::option::Option<#response>;
            type AsyncFn = #async_fn;
            type SenderFn<#sender_type: #sized> = #sender_receiver_fn;
            type Dyn = #dyn_fn;
            type SenderDyn<#sender_type: #sized> =
                dyn #binder ::core::ops::Fn(&#sender_type, #(#types),*) #output + #send_sync;
            type WeakDyn =
                dyn #binder ::core::ops::Fn(#(#types),*) -> ::core::option::Option<#response> + #send_sync;
            type WhenDyn = dyn #binder ::core::ops::Fn(#(#types),*) -> bool + #send_sync;

            fn __through_dyn<
                #pointer: #krate::__private::SenderPointer<#sender_type> + ?::core::marker::Sized,
                #sender_type: #sized,
            >(
                #function: #krate::__private::Arc<Self::SenderDyn<#sender_type>>,
            ) -> ::std::boxed::Box<Self::SenderDyn<#pointer>> {
                ::std::boxed::Box::new(move |#sender_arg: &#pointer, #(#names: #closure_types),*| {
                    #function(
                        #krate::__private::SenderPointer::pointee(#sender_arg),
                        #(#names),*
                    )
                })
            }
        }
    }
}

/// A signal: a unit struct, its link-time registry and its static tables.
fn static_items(parts: &Parts) -> TokenStream {
    let Parts {
        krate,
        signal,
        sender_type,
        receiver_fn,
        sender_receiver_fn,
        registration_type: registration,
        definition_type: definition,
        ..
    } = parts;
    let Signal {
        attrs, vis, ident, ..
    } = signal;
    let name = ident.to_string();
    let signature = signature_string(signal);
    let registration_arg = local("registration");
    let through = through_pointer(parts);
    let accepts_async = signal.is_async.then(|| {
        let (lifetime, unified, response) = (&parts.iter_lifetime, &parts.unified_types, &parts.response);
        quote! {
            impl #krate::__private::AcceptsAsync<
                for<#lifetime, '__slot, '__task> fn(#(#unified,)* #krate::__private::Filler<'__slot, '__task, #lifetime, #response>)
            > for #ident {}
        }
    });
    quote! {
        #(#attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #vis struct #ident;

        const _: () = {
            #[doc(hidden)]
            pub struct #registration(#krate::__private::StaticReceiver<#ident>);

            impl<#definition: #krate::__private::ReceiverDefinition<#ident>>
                #krate::__private::Registers<#definition> for #registration
            {
                const REGISTRATION: Self = Self(#definition::RECEIVER);
            }

            #krate::__private::inventory::collect!(#registration);

            impl #krate::__private::Accepts<#receiver_fn> for #ident {}

            #accepts_async

            impl<#sender_type: ?::core::marker::Sized + 'static>
                #krate::__private::AcceptsFrom<#sender_type, #receiver_fn> for #ident {}

            impl<#sender_type: ?::core::marker::Sized + 'static>
                #krate::__private::AcceptsFrom<#sender_type, #sender_receiver_fn> for #ident
            {
                #through
            }

            static __CONNECTIONS: #krate::__private::Connections<#ident> =
                #krate::__private::Connections::new();

            #krate::__private::inventory::submit! {
                #krate::__private::SignalEntry(
                    #krate::RegisteredSignal::new::<#ident>(__CONNECTIONS.list(), ::core::file!(), ::core::line!()),
                )
            }

            #[automatically_derived]
            impl #krate::Signal for #ident {
                const NAME: &'static str = #name;
                const MODULE_PATH: &'static str = ::core::module_path!();
                const SIGNATURE: &'static str = #signature;
                type __Registration = #registration;
                type __This = Self;

                fn __dispatch() -> &'static #krate::__private::Dispatch<Self> {
                    static DISPATCH: #krate::__private::OnceLock<#krate::__private::Dispatch<#ident>> =
                        #krate::__private::OnceLock::new();
                    DISPATCH.get_or_init(|| {
                        #krate::__private::Dispatch::collect(
                            #krate::__private::inventory::iter::<#registration>
                                .into_iter()
                                .map(|#registration_arg| &#registration_arg.0),
                        )
                    })
                }

                fn __connections() -> &'static #krate::__private::Connections<Self> {
                    &__CONNECTIONS
                }
            }
        };
    }
}

/// `AcceptsFrom::__through` for a receiver that takes the sender: a
/// function that derefs the pointer a send comes from and calls the
/// receiver with what it points to.
fn through_pointer(parts: &Parts) -> TokenStream {
    let Parts {
        krate,
        names,
        closure_types,
        output,
        sender_type,
        sender_arg,
        sender_receiver_fn,
        pointer_type: pointer,
        function_type: function,
        ..
    } = parts;
    let private = quote!(#krate::__private);
    let sized = quote!(?::core::marker::Sized + 'static);
    let shim = &parts.definition_type;
    quote! {
        fn __through<
            #pointer: #private::SenderPointer<#sender_type> + ?::core::marker::Sized,
            #function: #private::ReceiverFunction<#sender_receiver_fn>,
        >() -> ::core::option::Option<<Self as #private::Signature>::SenderFn<#pointer>> {
            fn #shim<
                #pointer: #private::SenderPointer<#sender_type> + ?::core::marker::Sized,
                #sender_type: #sized,
                #function: #private::ReceiverFunction<#sender_receiver_fn>,
            >(#sender_arg: &#pointer, #(#names: #closure_types),*) #output {
                (#function::FUNCTION)(#private::SenderPointer::pointee(#sender_arg), #(#names),*)
            }
            ::core::option::Option::Some(#shim::<#pointer, #sender_type, #function>)
        }
    }
}

/// A signal type: a struct whose every value is a signal of its own.
fn instance_items(parts: &Parts) -> TokenStream {
    let Parts {
        krate,
        signal,
        self_type,
        impl_generics,
        where_clause,
        ..
    } = parts;
    let Signal {
        attrs, vis, ident, ..
    } = signal;
    // As declared, defaults included, with `'static` on each type.
    let struct_generics = signal.generics.map(static_generics);
    let name = ident.to_string();
    let signature = signature_string(signal);
    let new_doc = format!("A new `{name}` signal, with no receivers.");
    quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = concat!("A signal type: each value is a signal with its own receivers, called with `", #signature, "`.")]
        #vis struct #ident #struct_generics #where_clause {
            connections: #krate::__private::Connections<#self_type>,
        }

        impl #impl_generics #self_type #where_clause {
            #[doc = #new_doc]
            #[must_use]
            pub const fn new() -> Self {
                Self {
                    connections: #krate::__private::Connections::new(),
                }
            }
        }

        impl #impl_generics ::core::default::Default for #self_type #where_clause {
            fn default() -> Self {
                Self::new()
            }
        }

        impl #impl_generics ::core::fmt::Debug for #self_type #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name)
                    .field("receivers", &self.connections.len())
                    .finish()
            }
        }
    }
}

/// Where the generated methods find the receivers.
pub(super) struct Sources {
    pub(super) connections: TokenStream,
    /// The static receivers of a plain send.
    pub(super) statics: TokenStream,
    /// The static receivers of a send from `sender`.
    pub(super) statics_from: TokenStream,
    /// Every receiver's description, in call order.
    pub(super) receivers: TokenStream,
}

fn sources(parts: &Parts) -> Sources {
    let Parts {
        krate, sender_arg, ..
    } = parts;
    match parts.signal.kind {
        Kind::Static => {
            let dispatch = quote!(<Self as #krate::Signal>::__dispatch());
            let connections = quote!(<Self as #krate::Signal>::__connections());
            Sources {
                statics: quote!(#dispatch.unfiltered()),
                statics_from: quote!(#dispatch.slots_from(#sender_arg)),
                receivers: quote!(#krate::__private::receivers(#dispatch, #connections)),
                connections,
            }
        }
        Kind::Instance => Sources {
            connections: quote!((&self.connections)),
            statics: quote!(#krate::__private::StaticSlots::empty()),
            statics_from: quote!(#krate::__private::StaticSlots::empty()),
            receivers: quote!(self.connections.receivers()),
        },
    }
}

/// The inherent methods: typed, with the user's parameter names, so that
/// rustdoc and IDEs show them as the user declared them.
fn methods(parts: &Parts) -> TokenStream {
    let Parts {
        self_type,
        impl_generics,
        where_clause,
        ..
    } = parts;
    let sources = sources(parts);
    let (send, robust) = if parts.signal.is_async {
        (
            super::async_methods::send_methods(parts, &sources),
            super::async_methods::connect_async_methods(parts, &sources),
        )
    } else {
        let send = match parts.signal.output {
            None => super::sync_sends::unit_sends(parts, &sources),
            Some(output) => super::sync_sends::returning_sends(parts, &sources, output),
        };
        (send, TokenStream::new())
    };
    let connect = connect_methods(parts, &sources);
    let queued = super::queued::connect_queued(parts);
    let connect_weak = weak_connect_methods(parts, &sources);
    let manage = manage_methods(parts, &sources);
    quote! {
        impl #impl_generics #self_type #where_clause {
            #send
            #robust
            #connect
            #queued
            #connect_weak
            #manage
        }
    }
}

/// `connect` and its variants: a sender filter, a weak target, options.
fn connect_methods(parts: &Parts, sources: &Sources) -> TokenStream {
    let Parts {
        krate,
        signal,
        types,
        binder,
        output,
        sender_type,
        output_type,
        ..
    } = parts;
    let connections = &sources.connections;
    let ident = signal.ident;
    let (options, info, function, body, connection_guard) = (
        local("options"),
        local("info"),
        local("function"),
        local("body"),
        local("_connection"),
    );
    let send_sync = quote!(::core::marker::Send + ::core::marker::Sync + 'static);
    let receiver_bound = quote!(#binder ::core::ops::Fn(#(#types),*) #output + #send_sync);
    let when_bound = quote!(#binder ::core::ops::Fn(#(#types),*) -> bool + #send_sync);
    let when = Ident::new("when", Span::mixed_site());
    let sender_bound =
        quote!(#binder ::core::ops::Fn(&#sender_type, #(#types),*) #output + #send_sync);
    let options_type = quote!(#krate::ConnectOptions);
    let options_param = options_param(parts);
    let connection = quote!(#krate::Connection);
    let private = quote!(#krate::__private);
    let receiver = Ident::new("receiver", Span::mixed_site());
    let boxed = super::async_methods::boxed_receiver(parts, &receiver);
    let connect_doc = format!(
        "Connects `receiver` to [`{ident}`](Self) until the returned [`Connection`]({krate}::Connection) \
         disconnects it: it is called by every send, after the receivers of higher priority.",
        krate = tokens_to_string(krate.to_token_stream()),
    );
    quote! {
        #[doc = #connect_doc]
        #[track_caller]
        pub fn connect(&self, #receiver: impl #receiver_bound) -> #connection {
            self.connect_with(&#options_type::new(), #receiver)
        }

        /// Like [`connect`](Self::connect), with a priority or a unique key.
        #[track_caller]
        pub fn connect_with(&self, #options: &#options_param, #receiver: impl #receiver_bound) -> #connection {
            let #info = #private::runtime_info(&#receiver, ::core::option::Option::None);
            let #function: ::std::boxed::Box<<Self as #private::Signature>::Dyn> = #boxed;
            #connections.connect(#options, #info, #private::Callback::plain(#function))
        }

        /// Like [`connect_with`](Self::connect_with), for the sends for which
        /// `when`, given the same arguments, returns `true`: AMLTK's `when`,
        /// which here sees the send. A `false` uses up nothing, not even
        /// `max_calls`; `every` is weighed before it.
        #[track_caller]
        pub fn connect_when(
            &self,
            #options: &#options_param,
            #when: impl #when_bound,
            #receiver: impl #receiver_bound,
        ) -> #connection {
            let #info = #private::runtime_info(&#receiver, ::core::option::Option::None)
                .with_runtime_when(::core::any::type_name_of_val(&#when));
            let #when: ::std::boxed::Box<<Self as #private::Signature>::WhenDyn> = ::std::boxed::Box::new(#when);
            let #function: ::std::boxed::Box<<Self as #private::Signature>::Dyn> = #boxed;
            #connections.connect(#options, #info, #private::Callback::when(#when, #function))
        }

        /// Connects `receiver` for the sends from a sender of type `Sender` only,
        /// like `#[receiver(sender = Sender)]`: it gets the sender first.
        #[track_caller]
        pub fn connect_from<#sender_type: ::core::any::Any + ?::core::marker::Sized>(
            &self,
            #receiver: impl #sender_bound,
        ) -> #connection {
            self.connect_from_with(&#options_type::new(), #receiver)
        }

        /// Like [`connect_from`](Self::connect_from), with a priority or a unique key.
        #[track_caller]
        pub fn connect_from_with<#sender_type: ::core::any::Any + ?::core::marker::Sized>(
            &self,
            #options: &#options_param,
            #receiver: impl #sender_bound,
        ) -> #connection {
            let #info = #private::runtime_info(
                &#receiver,
                ::core::option::Option::Some(#private::sender_name::<#sender_type>()),
            );
            let #function: #private::Arc<<Self as #private::Signature>::SenderDyn<#sender_type>> =
                #private::Arc::new(#receiver);
            #connections.connect(#options, #info, #private::Callback::sender::<#sender_type>(#function))
        }

        /// Runs `body` with `receiver` connected, and disconnects it afterwards,
        /// even if `body` panics: for tests that check what a signal sends,
        /// like Blinker's `connected_to`.
        #[track_caller]
        pub fn connected_to<#output_type>(
            &self,
            #receiver: impl #receiver_bound,
            #body: impl ::core::ops::FnOnce() -> #output_type,
        ) -> #output_type {
            let #connection_guard = self.connect(#receiver).scoped();
            #body()
        }
    }
}

/// The type of the options a `_with` method takes: with `repeat` too, for
/// a signal whose receivers return nothing.
pub(super) fn options_param(parts: &Parts) -> TokenStream {
    let krate = parts.krate;
    // An async signal's runtime receivers are awaited once per send.
    if parts.signal.output.is_none() && !parts.signal.is_async {
        quote!(#krate::ConnectOptions<impl #krate::Calls>)
    } else {
        quote!(#krate::ConnectOptions<impl #krate::SingleCall>)
    }
}

/// `connect_weak` and `connect_weak_with`: a receiver of a target that the
/// signal must not keep alive.
fn weak_connect_methods(parts: &Parts, sources: &Sources) -> TokenStream {
    let Parts {
        krate,
        names,
        types,
        closure_types,
        binder,
        output,
        ..
    } = parts;
    let connections = &sources.connections;
    let send_sync = quote!(::core::marker::Send + ::core::marker::Sync + 'static);
    let target_type = &parts.target_type;
    let weak_bound =
        quote!(#binder ::core::ops::Fn(&#target_type, #(#types),*) #output + #send_sync);
    let (options, info, function) = (local("options"), local("info"), local("function"));
    let options_type = quote!(#krate::ConnectOptions);
    let options_param = options_param(parts);
    let connection = quote!(#krate::Connection);
    let private = quote!(#krate::__private);
    let receiver = Ident::new("receiver", Span::mixed_site());
    let target = Ident::new("target", Span::mixed_site());
    let weak = Ident::new("weak", Span::mixed_site());
    quote! {
        /// Connects `receiver` for as long as `target` lives: it is called with
        /// the target, and disconnected once the last `Arc` to the target is
        /// dropped. The signal does not keep the target alive.
        #[track_caller]
        pub fn connect_weak<#target_type: ::core::marker::Send + ::core::marker::Sync + 'static>(
            &self,
            #target: &#private::Arc<#target_type>,
            #receiver: impl #weak_bound,
        ) -> #connection {
            self.connect_weak_with(&#options_type::new(), #target, #receiver)
        }

        /// Like [`connect_weak`](Self::connect_weak), with a priority or a unique key.
        #[track_caller]
        pub fn connect_weak_with<#target_type: ::core::marker::Send + ::core::marker::Sync + 'static>(
            &self,
            #options: &#options_param,
            #target: &#private::Arc<#target_type>,
            #receiver: impl #weak_bound,
        ) -> #connection {
            let #info = #private::runtime_info(&#receiver, ::core::option::Option::None);
            let #weak = #private::Arc::downgrade(#target);
            let #function: ::std::boxed::Box<<Self as #private::Signature>::WeakDyn> =
                ::std::boxed::Box::new(move |#(#names: #closure_types),*| {
                    #weak.upgrade().map(|#target| #receiver(&#target, #(#names),*))
                });
            #connections.connect(#options, #info, #private::Callback::weak(#target, #function))
        }

    }
}

/// Keys, muting and introspection.
fn manage_methods(parts: &Parts, sources: &Sources) -> TokenStream {
    let Parts { krate, signal, .. } = parts;
    let Sources {
        connections,
        receivers,
        ..
    } = sources;
    let ident = signal.ident;
    let receivers_doc = format!(
        "Every receiver of [`{ident}`](Self), static and runtime, in the order `send_from` \
         calls them: by priority, highest first; at equal priority static receivers by path, \
         then runtime receivers in connection order."
    );
    let key = local("key");
    let on = local("on");
    let hook = local("hook");
    let hook_doc = format!(
        "Shows every receiver failure of this signal's robust sends (`send_robust`, and the \
         `Err` at which `try_send` stops) to `hook`, before the process-wide hook of \
         [`set_error_hook`](fn@{krate}::set_error_hook). Replaces this signal's previous hook, \
         and returns it.",
        krate = tokens_to_string(krate.to_token_stream()),
    );
    let name = ident.to_string();
    quote! {
        /// Disconnects the receiver connected with the unique `key`; returns
        /// whether there was one.
        pub fn disconnect_key(&self, #key: &str) -> bool {
            #connections.disconnect_key(#key)
        }

        /// Disconnects every receiver connected at run time, like Blinker's
        /// `receivers.clear()` and Boost's `disconnect_all_slots`; returns how
        /// many there were. Static receivers stay: [`mute`](Self::mute)
        /// silences them.
        pub fn disconnect_all(&self) -> usize {
            #connections.disconnect_all()
        }

        /// Mutes this signal while the returned guard lives: sends call no
        /// receiver, static or runtime. Guards nest.
        pub fn mute(&self) -> #krate::Muted {
            #connections.mute()
        }

        #[doc = #receivers_doc]
        #[must_use]
        pub fn receivers(&self) -> ::std::vec::Vec<#krate::ReceiverInfo> {
            #receivers
        }

        /// Counts the sends of this signal and the calls of its receivers
        /// from now on (`true`), or stops (`false`). Sends of a signal that
        /// does not count touch no counter.
        pub fn set_counting(&self, #on: bool) {
            #connections.set_counting(#on);
        }

        /// The sends counted so far, or `None` if the signal never counted.
        #[must_use]
        pub fn sends(&self) -> ::core::option::Option<u64> {
            #connections.sends()
        }

        #[doc = #hook_doc]
        pub fn set_error_hook(
            &self,
            #hook: impl ::core::ops::Fn(&#krate::ReceiverError<&dyn ::core::fmt::Debug>)
                + ::core::marker::Send + ::core::marker::Sync + 'static,
        ) -> ::core::option::Option<#krate::__private::Arc<#krate::ErrorHook>> {
            #connections.set_error_hook(#hook)
        }

        /// Removes this signal's error hook, and returns it.
        pub fn clear_error_hook(&self) -> ::core::option::Option<#krate::__private::Arc<#krate::ErrorHook>> {
            #connections.clear_error_hook()
        }

        /// The signal and its receivers, to print with `{}`.
        #[must_use]
        pub fn tree(&self) -> #krate::Tree {
            #krate::Tree::new(#name, #connections.sends(), self.receivers())
        }
    }
}

/// An async signal's parameter types with every lifetime made `lifetime`,
/// and the binder and lifetime of its runtime receivers' closures.
fn unified(types: &[&Type], lifetime: &Lifetime) -> (Vec<Type>, TokenStream, TokenStream) {
    let unified: Vec<Type> = types
        .iter()
        .map(|ty| crate::lifetimes::unified(ty, lifetime))
        .collect();
    let borrows = unified.iter().any(|ty| {
        let mut found = FindsLifetime(lifetime, false);
        syn::visit::Visit::visit_type(&mut found, ty);
        found.1
    });
    if borrows {
        (unified, quote!(for<#lifetime>), lifetime.to_token_stream())
    } else {
        (unified, quote!(), quote!('static))
    }
}

/// Whether a type names the lifetime.
struct FindsLifetime<'a>(&'a Lifetime, bool);

impl<'ast> syn::visit::Visit<'ast> for FindsLifetime<'_> {
    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        self.1 |= lifetime.ident == self.0.ident;
    }
}

/// Replaces every lifetime but `'static` with `'_`.
struct AnonymousLifetimes;

impl VisitMut for AnonymousLifetimes {
    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident != "static" {
            lifetime.ident = Ident::new("_", lifetime.ident.span());
        }
    }

    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
}

pub(super) struct NameElidedLifetimes<'a>(pub(super) &'a Lifetime);

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
