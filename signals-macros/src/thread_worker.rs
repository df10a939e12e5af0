//! `#[thread_worker] fn name(args.., co: &mut Co<Y, S, E>) -> Result<R, Stop<E>> {..}`:
//! the function, called with `args..`, returns an unstarted
//! `Worker<Y, S, R, E>` that runs its body. Parse, validate, expand.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{FnArg, GenericArgument, ItemFn, PathArguments, ReturnType, Type};

use crate::crate_path::default_crate_path;
use crate::errors::Errors;

pub fn thread_worker(args: &TokenStream, item: TokenStream) -> TokenStream {
    let function = match syn::parse2::<ItemFn>(item) {
        Ok(function) => function,
        Err(error) => {
            return syn::Error::new(
                error.span(),
                "#[thread_worker] applies to a function, like `#[thread_worker] fn work(co: &mut Co<u32, (), String>) -> Result<u64, Stop<String>> {..}`",
            )
            .into_compile_error();
        }
    };
    if !args.is_empty() {
        let error = syn::Error::new_spanned(args, "#[thread_worker] takes no options");
        return fallback(&function, error);
    }
    match validate(&function) {
        Ok(worker) => expand(&function, &worker),
        Err(error) => fallback(&function, error),
    }
}

/// The function as written, next to the error: calls to it do not add
/// errors of their own.
fn fallback(function: &ItemFn, error: syn::Error) -> TokenStream {
    let mut tokens = error.into_compile_error();
    tokens.extend(function.to_token_stream());
    tokens
}

/// What the expansion needs: the checkpoint parameter (its position and
/// its `Y`, `S`, `E`), and `R` and `E` from the result.
struct ThreadWorker<'a> {
    co: Option<(usize, &'a syn::Pat, [&'a Type; 3])>,
    value: &'a Type,
    error: &'a Type,
}

fn validate(function: &ItemFn) -> syn::Result<ThreadWorker<'_>> {
    let mut errors = Errors::default();
    let sig = &function.sig;
    if let Some(token) = &sig.asyncness {
        errors.spanned(
            token,
            "a #[thread_worker] body runs on a thread of its own: it cannot be `async`",
        );
    }
    if let Some(token) = &sig.unsafety {
        errors.spanned(token, "a #[thread_worker] cannot be `unsafe`");
    }
    if !sig.generics.params.is_empty() {
        errors.spanned(&sig.generics, "a #[thread_worker] cannot be generic");
    }
    let mut co = None;
    for (index, input) in sig.inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                errors.spanned(
                    receiver,
                    "a #[thread_worker] is a free function: it takes no `self`",
                );
            }
            FnArg::Typed(typed) => {
                if let Some(arguments) = checkpoint_type(&typed.ty) {
                    if co.is_some() {
                        errors.spanned(&typed.ty, "a #[thread_worker] takes one `&mut Co<..>`");
                    }
                    co = Some((index, &*typed.pat, arguments));
                }
            }
        }
    }
    let result = match &sig.output {
        ReturnType::Type(_, ty) => stop_result(ty),
        ReturnType::Default => None,
    };
    let Some((value, error)) = result else {
        let at: &dyn ToTokens = match &sig.output {
            ReturnType::Type(_, ty) => ty,
            ReturnType::Default => &sig.ident,
        };
        errors.spanned(
            at,
            "a #[thread_worker] returns `Result<R, Stop<E>>`: `?` on a checkpoint stops it when it is quit, and `?` on an `E` fails it",
        );
        return Err(errors.finish().expect_err("an error was just pushed"));
    };
    if let Some((_, _, [_, _, co_error])) = co {
        if co_error.to_token_stream().to_string() != error.to_token_stream().to_string() {
            errors.spanned(
                co_error,
                "the error type of `Co<Y, S, E>` is the `E` of `Stop<E>` the function returns",
            );
        }
    }
    errors.finish()?;
    Ok(ThreadWorker { co, value, error })
}

/// `Y`, `S` and `E` of a `&mut Co<Y, S, E>` parameter.
fn checkpoint_type(ty: &Type) -> Option<[&Type; 3]> {
    let Type::Reference(reference) = ty else {
        return None;
    };
    reference.mutability?;
    let [y, s, e] = last_segment_types(&reference.elem, "Co")?[..] else {
        return None;
    };
    Some([y, s, e])
}

/// `R` and `E` of `Result<R, Stop<E>>`.
fn stop_result(ty: &Type) -> Option<(&Type, &Type)> {
    let [value, stop] = last_segment_types(ty, "Result")?[..] else {
        return None;
    };
    let [error] = last_segment_types(stop, "Stop")?[..] else {
        return None;
    };
    Some((value, error))
}

/// The type arguments of `ty` if its last path segment is `name`.
fn last_segment_types<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last()?;
    if segment.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    Some(
        arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
    )
}

fn expand(function: &ItemFn, worker: &ThreadWorker<'_>) -> TokenStream {
    let krate = default_crate_path();
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = function;
    let (value, error) = (worker.value, worker.error);
    let unit = quote!(());
    let (yielded, sent, checkpoint) = match &worker.co {
        Some((_, pattern, [yielded, sent, _])) => (
            yielded.to_token_stream(),
            sent.to_token_stream(),
            pattern.to_token_stream(),
        ),
        None => (unit.clone(), unit, quote!(_)),
    };
    let parameters = sig
        .inputs
        .iter()
        .enumerate()
        .filter(|(index, _)| worker.co.is_none_or(|(co, _, _)| co != *index))
        .map(|(_, input)| input);
    let ident = &sig.ident;
    let doc =
        format!("Returns an unstarted worker that runs `{ident}`'s body: call `start` on it.");
    let worker_type = quote!(#krate::Worker<#yielded, #sent, #value, #error>);
    quote! {
        #(#attrs)*
        #[doc = ""]
        #[doc = #doc]
        #[must_use = "a worker does nothing until it is started"]
        #vis fn #ident(#(#parameters),*) -> #worker_type {
            #krate::Worker::new(move |#checkpoint: &mut #krate::Co<#yielded, #sent, #error>|
                -> ::core::result::Result<#value, #krate::Stop<#error>> #block)
        }
    }
}
