//! The methods of an async signal (`#[signal] async fn`): sends that
//! return a future, and the connect methods of async receivers.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};

use super::expand::{Parts, Sources, local, options_param};
use super::sync_sends::{result_parts, splitter};
use crate::render::tokens_to_string;

/// A runtime receiver as the signal's `Dyn`: for an async signal, a sync
/// closure is wrapped to return its result as a finished step.
pub(super) fn boxed_receiver(parts: &Parts, receiver: &Ident) -> TokenStream {
    if !parts.signal.is_async {
        return quote!(::std::boxed::Box::new(#receiver));
    }
    let krate = parts.krate;
    let step = &parts.step_helper;
    let arguments = closure_arguments(parts);
    quote! {
        ::std::boxed::Box::new(Self::#step(move |#(#arguments),*| {
            #krate::__private::Step::Ready(#receiver(#(#arguments),*))
        }))
    }
}

/// The parameters of a closure the step helper types.
fn closure_arguments(parts: &Parts) -> Vec<Ident> {
    (0..parts.names.len())
        .map(|index| Ident::new(&format!("argument{index}"), Span::mixed_site()))
        .collect()
}

/// One send method of an async signal: its name, its doc, what its future
/// gives, how the results are collected, and whether it takes a sender.
struct Method<'a> {
    name: &'a str,
    doc: &'a str,
    output: TokenStream,
    collect: TokenStream,
    from: bool,
    /// `send_async`, or `send_concurrent`.
    driver: &'a str,
}

/// `send`, `send_from`, `send_robust`, `send_from_robust`, and for
/// receivers that return a `Result`, `try_send` and `try_send_from`: each
/// returns a future.
pub(super) fn send_methods(parts: &Parts, sources: &Sources) -> TokenStream {
    let Parts {
        krate,
        signal,
        sender_arg,
        response,
        ..
    } = parts;
    let ident = signal.ident;
    let private = quote!(#krate::__private);
    let error = quote!(#krate::ReceiverError);
    let [
        send_doc,
        from_doc,
        robust_doc,
        robust_from_doc,
        try_doc,
        try_from_doc,
    ] = docs(&ident.to_string(), &sender_arg.to_string());
    let (concurrent_doc, concurrent_from_doc) = concurrent_docs(&ident.to_string());
    let pair = |names: [&str; 2], docs: [&str; 2], output: &TokenStream, collect: &TokenStream| {
        pair(parts, sources, names, docs, output, collect)
    };
    let mut methods = Vec::new();
    let (send_output, send_collect, robust_output, robust_collect) = match signal.output {
        None => (
            quote!(()),
            quote!(#private::Discard),
            quote!(::std::vec::Vec<#error>),
            quote!(#private::Failures::new()),
        ),
        Some(output) => {
            let (value, error, split) = match result_parts(krate, output) {
                Some((value, failure)) => {
                    let error = quote!(#error<#failure>);
                    let split = splitter(krate, output);
                    let tried = quote!(::core::result::Result<::std::vec::Vec<#value>, #error>);
                    let collect = quote!(#private::TryValues::new(#split));
                    methods.extend(pair(
                        ["try_send", "try_send_from"],
                        [&try_doc, &try_from_doc],
                        &tried,
                        &collect,
                    ));
                    (value, error, split)
                }
                None => (output.to_token_stream(), error, splitter(krate, output)),
            };
            (
                quote!(::std::vec::Vec<#response>),
                quote!(#private::Values::new()),
                quote!(::std::vec::Vec<::core::result::Result<#value, #error>>),
                quote!(#private::Robust::new(#split)),
            )
        }
    };
    methods.extend(pair(
        ["send", "send_from"],
        [&send_doc, &from_doc],
        &send_output,
        &send_collect,
    ));
    methods.extend(pair(
        ["send_concurrent", "send_from_concurrent"],
        [&concurrent_doc, &concurrent_from_doc],
        &send_output,
        &send_collect,
    ));
    methods.push(call_body(parts));
    methods.extend(pair(
        ["send_robust", "send_from_robust"],
        [&robust_doc, &robust_from_doc],
        &robust_output,
        &robust_collect,
    ));
    quote!(#(#methods)*)
}

/// The docs of `send`, `send_from`, `send_robust`, `send_from_robust`,
/// `try_send` and `try_send_from`.
fn docs(ident: &str, sender_arg: &str) -> [String; 6] {
    let send_doc = format!(
        "Calls every receiver of [`{ident}`](Self) that has no sender filter, in call order, \
         inside the task that awaits it: a sync receiver inline, an async one awaited to \
         completion before the next starts. Dropping the future calls no further receiver."
    );
    let from_doc = format!(
        "Like [`send`](Self::send), and also calls the receivers of [`{ident}`](Self) \
         registered for the type of `{sender_arg}`."
    );
    let robust_doc = format!(
        "Like [`send`](Self::send), but calls every receiver of [`{ident}`](Self) whatever \
         happens: a panic, while the receiver is called or while its future is polled, is \
         caught and reported, and the next receiver is called. Every failure is also shown \
         to the error hooks (see [`set_error_hook`](Self::set_error_hook))."
    );
    let robust_from_doc = "Like [`send_from`](Self::send_from), calling every receiver \
         whatever happens, as [`send_robust`](Self::send_robust) does.";
    let try_doc = format!(
        "Calls the receivers of [`{ident}`](Self) in call order, like [`send`](Self::send), \
         until one returns an `Err`: returns that error, with the receiver that returned it, \
         and calls no further receiver. Otherwise returns every `Ok` value, in call order. \
         A panic propagates, as in `send`."
    );
    let try_from_doc = "Like [`try_send`](Self::try_send), for a send from `sender`.";
    [
        send_doc,
        from_doc,
        robust_doc,
        robust_from_doc.to_owned(),
        try_doc,
        try_from_doc.to_owned(),
    ]
}

/// A send method and its form from a sender.
fn pair(
    parts: &Parts,
    sources: &Sources,
    [name, from_name]: [&str; 2],
    docs: [&str; 2],
    output: &TokenStream,
    collect: &TokenStream,
) -> [TokenStream; 2] {
    [false, true].map(|from| {
        let (name, doc) = if from {
            (from_name, docs[1])
        } else {
            (name, docs[0])
        };
        let driver = if name.ends_with("concurrent") {
            "send_concurrent"
        } else {
            "send_async"
        };
        method(
            parts,
            sources,
            &Method {
                name,
                doc,
                output: output.clone(),
                collect: collect.clone(),
                from,
                driver,
            },
        )
    })
}

/// The docs of `send_concurrent` and `send_from_concurrent`.
fn concurrent_docs(ident: &str) -> (String, String) {
    (
        format!(
            "Like [`send`](Self::send), but runs the receivers' futures together: every \
             receiver of [`{ident}`](Self) is started in call order (a sync one runs, an async \
             one's future is polled once), then the futures still pending are polled in call \
             order at each wake, until all are done. The results come back in call order, \
             whatever order the receivers finish in. It allocates room for every receiver's \
             future, once per send. A panic propagates, and dropping the future drops every \
             receiver's."
        ),
        "Like [`send_from`](Self::send_from), with the receivers' futures run together, as \
         [`send_concurrent`](Self::send_concurrent) does."
            .to_owned(),
    )
}

/// One send method: a plain send, or a send from `sender`.
fn method(parts: &Parts, sources: &Sources, method: &Method) -> TokenStream {
    let Parts {
        krate,
        names,
        unified_types,
        sender_type,
        sender_arg,
        iter_lifetime: lifetime,
        response,
        ..
    } = parts;
    let Method {
        name,
        doc,
        output,
        collect,
        from,
        driver,
    } = method;
    let driver = Ident::new(driver, Span::call_site());
    let private = quote!(#krate::__private);
    let inline = Literal::usize_unsuffixed(parts.async_inline);
    let name = Ident::new(name, Span::call_site());
    let call = &parts.send_body;
    let (generics, sender, slots, caller, captured, sender_generic) = if *from {
        (
            quote!(<#lifetime, #sender_type: ::core::any::Any + ?::core::marker::Sized>),
            quote!(#sender_arg: &#lifetime #sender_type,),
            &sources.statics_from,
            quote!(#sender_arg),
            quote!(use<#lifetime, #sender_type>),
            quote!(#sender_type),
        )
    } else {
        (
            quote!(<#lifetime>),
            quote!(),
            &sources.statics,
            quote!(&#private::NoSender),
            quote!(use<#lifetime>),
            quote!(#private::NoSender),
        )
    };
    let connections = &sources.connections;
    quote! {
        #[doc = #doc]
        pub fn #name #generics(
            &self,
            #sender
            #(#names: #unified_types),*
        ) -> impl ::core::future::Future<Output = #output> + #captured {
            #connections.#driver::<#sender_generic, #response, _, _, #inline>(
                #slots,
                Self::#call(#caller, #(#names),*),
                #collect,
            )
        }
    }
}

/// The one closure every send of an async signal calls its receivers
/// with, from a sender of any type.
fn call_body(parts: &Parts) -> TokenStream {
    let Parts {
        krate,
        names,
        unified_types,
        sender_type,
        sender_arg,
        iter_lifetime: lifetime,
        response,
        ..
    } = parts;
    let private = quote!(#krate::__private);
    let call = &parts.send_body;
    let body = call_target(parts, &quote!(#sender_arg));
    quote! {
        /// Calls one receiver, for every send.
        #[doc(hidden)]
        fn #call<#lifetime, #sender_type: ?::core::marker::Sized + 'static>(
            #sender_arg: &#lifetime #sender_type,
            #(#names: #unified_types),*
        ) -> impl ::core::ops::FnMut(
            #private::Target<'_, Self, #sender_type>,
            #private::Filler<'_, '_, #lifetime, #response>,
        ) -> #private::Step<#lifetime, #response>
               + use<#lifetime, #sender_type> {
            #body
        }
    }
}

/// The closure that calls one receiver of an async send, with `sender`
/// where it is wanted: a step, finished or started.
fn call_target(parts: &Parts, sender: &TokenStream) -> TokenStream {
    let Parts {
        krate, arguments, ..
    } = parts;
    let private = quote!(#krate::__private);
    let target_type = quote!(#private::Target);
    let step = quote!(#private::Step);
    let lend = quote!(#krate::AnySender::lend);
    let (target, receiver, filler, any, when, policy) = (
        Ident::new("target", Span::mixed_site()),
        Ident::new("receiver", Span::mixed_site()),
        Ident::new("filler", Span::mixed_site()),
        Ident::new("any_sender", Span::mixed_site()),
        Ident::new("when", Span::mixed_site()),
        Ident::new("policy", Span::mixed_site()),
    );
    let optional = quote! {
        match #receiver(#(#arguments),*) {
            ::core::option::Option::Some(response) => #step::Ready(response),
            ::core::option::Option::None => #step::Skipped,
        }
    };
    quote! {
        move |#target, #filler| match #target {
            #target_type::Static(#receiver) => #step::Ready(#receiver(#(#arguments),*)),
            #target_type::StaticOptional(#receiver) => #optional,
            #target_type::StaticAsync(#receiver) => {
                #receiver(#(#arguments,)* #filler);
                #step::Started
            }
            #target_type::StaticSender(#receiver) => #step::Ready(#receiver(#sender, #(#arguments),*)),
            #target_type::StaticAnySender(#receiver) => {
                #step::Ready(#lend(#sender, |#any| #receiver(#any, #(#arguments),*)))
            }
            #target_type::Runtime(#receiver) => #receiver(#(#arguments),*),
            #target_type::RuntimeSender(#receiver) => #step::Ready(#receiver(#sender, #(#arguments),*)),
            #target_type::RuntimeAnySender(#receiver) => {
                #step::Ready(#lend(#sender, |#any| #receiver(#any, #(#arguments),*)))
            }
            #target_type::Weak(#receiver) => #optional,
            #target_type::RuntimeWhen(#when, #policy, #receiver) => {
                if #when(#(#arguments),*) && #policy.claim() {
                    #receiver(#(#arguments),*)
                } else {
                    #step::Skipped
                }
            }
        }
    }
}

/// `connect_async` and `connect_async_with`, and the helper that types the
/// closures stored as the signal's runtime receivers; nothing for a signal
/// that is not async.
pub(super) fn connect_async_methods(parts: &Parts, sources: &Sources) -> TokenStream {
    if !parts.signal.is_async {
        return quote!();
    }
    let Parts {
        krate,
        signal,
        unified_types,
        runtime_binder: binder,
        runtime_lifetime: lifetime,
        response,
        step_helper: step,
        function_type,
        ..
    } = parts;
    let connections = &sources.connections;
    let private = quote!(#krate::__private);
    let send_sync = quote!(::core::marker::Send + ::core::marker::Sync + 'static);
    let async_bound = quote! {
        #binder ::core::ops::Fn(#(#unified_types),*) -> #krate::BoxFuture<#lifetime, #response> + #send_sync
    };
    let step_bound = quote! {
        #binder ::core::ops::Fn(#(#unified_types),*) -> #private::Step<#lifetime, #response> + #send_sync
    };
    let (options, info, function, receiver, closure) = (
        local("options"),
        local("info"),
        local("function"),
        Ident::new("receiver", Span::mixed_site()),
        Ident::new("closure", Span::mixed_site()),
    );
    let arguments = closure_arguments(parts);
    let options_param = options_param(parts);
    let connection = quote!(#krate::Connection);
    let ident = signal.ident;
    let doc = format!(
        "Connects an async `receiver` to [`{ident}`](Self) until the returned \
         [`Connection`]({krate}::Connection) disconnects it: each send awaits the future it \
         returns, boxed (one allocation per call), in call order. On stable Rust, the form \
         that borrows the arguments, captures state and is `Send` is \
         `move |..| Box::pin(async move {{ .. }})`.",
        krate = tokens_to_string(krate.to_token_stream()),
    );
    quote! {
        #[doc = #doc]
        #[track_caller]
        pub fn connect_async(&self, #receiver: impl #async_bound) -> #connection {
            self.connect_async_with(&#krate::ConnectOptions::new(), #receiver)
        }

        /// Like [`connect_async`](Self::connect_async), with a priority, a
        /// unique key or a policy.
        #[track_caller]
        pub fn connect_async_with(
            &self,
            #options: &#options_param,
            #receiver: impl #async_bound,
        ) -> #connection {
            let #info = #private::runtime_info(&#receiver, ::core::option::Option::None)
                .asynchronous();
            let #function: ::std::boxed::Box<<Self as #private::Signature>::Dyn> =
                ::std::boxed::Box::new(Self::#step(move |#(#arguments),*| {
                    #private::Step::Pending(#receiver(#(#arguments),*))
                }));
            #connections.connect(#options, #info, #private::Callback::plain(#function))
        }

        /// Gives `closure` the signature of the signal's runtime
        /// receivers, which the compiler infers from this bound only.
        fn #step<#function_type: #step_bound>(#closure: #function_type) -> #function_type {
            #closure
        }
    }
}
