use quote::ToTokens;
use syn::visit::Visit;
use syn::{FnArg, GenericParam, Ident, Lifetime, Pat, ReturnType, Type};

use super::ast::{Declaration, FunctionDeclaration, TypeDeclaration};
use crate::errors::Errors;
use crate::render::tokens_to_string;

/// A declaration that passed every check: what expansion works from.
pub struct Signal<'a> {
    pub kind: Kind,
    pub attrs: &'a [syn::Attribute],
    pub vis: &'a syn::Visibility,
    pub ident: &'a Ident,
    /// A signal type's own type and const parameters, with its `where`
    /// clause; empty for a `#[signal] fn`.
    pub generics: Option<&'a syn::Generics>,
    pub lifetimes: Vec<&'a Lifetime>,
    pub params: Vec<Param<'a>>,
    pub output: Option<&'a Type>,
    /// `#[signal] async fn`: sends are awaited, receivers may be `async`.
    pub is_async: bool,
}

/// What `#[signal]` declares.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A signal: a unit struct, with static receivers.
    Static,
    /// A signal type: each value is a signal, with runtime receivers only.
    Instance,
}

pub struct Param<'a> {
    pub name: Ident,
    pub ty: &'a Type,
    pub passing: Passing,
}

/// How an argument reaches each receiver in turn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Passing {
    /// `&T`: the same reference for every receiver.
    Shared,
    /// `&mut T`: reborrowed for each receiver, which may change the value.
    Mutable,
    /// A `Copy` value: copied for each receiver.
    Value,
}

/// The error for a body on a signal. A soft error: the declaration is
/// still expanded, as if the body were not there, so that the code using
/// the signal adds no errors of its own.
pub fn body_error(declaration: &Declaration) -> Option<syn::Error> {
    match declaration {
        Declaration::Function(FunctionDeclaration {
            body: Some(body), ..
        }) => Some(syn::Error::new_spanned(
            body,
            "a signal has no body: end the declaration with `;` and put the code in a #[receiver]",
        )),
        _ => None,
    }
}

pub fn validate(declaration: &Declaration) -> syn::Result<Signal<'_>> {
    match declaration {
        Declaration::Function(function) => validate_function(function),
        Declaration::Type(declaration) => validate_type(declaration),
    }
}

fn validate_function(declaration: &FunctionDeclaration) -> syn::Result<Signal<'_>> {
    let mut errors = Errors::default();
    let sig = &declaration.sig;

    if let Some(token) = &sig.constness {
        errors.spanned(token, "a signal cannot be `const`");
    }
    if let Some(token) = &sig.unsafety {
        errors.spanned(token, "a signal cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(abi, "a signal cannot have an `extern` ABI");
    }

    let lifetimes = lifetimes(sig, &mut errors);
    let params = params(sig, &mut errors);
    let output = output(&sig.output, &mut errors);
    if sig.asyncness.is_some() {
        for param in &params {
            if param.passing == Passing::Mutable {
                errors.spanned(
                    param.ty,
                    "an async signal cannot take a `&mut` argument: each async receiver may keep \
                     its arguments across an `.await`, so one `&mut` cannot be lent to each in \
                     turn; pass `&T` (with a `Mutex` or atomics inside for what receivers change)",
                );
            }
        }
    }

    errors.finish()?;
    Ok(Signal {
        kind: Kind::Static,
        attrs: &declaration.attrs,
        vis: &declaration.vis,
        ident: &sig.ident,
        generics: None,
        lifetimes,
        params,
        output,
        is_async: sig.asyncness.is_some(),
    })
}

/// `type Name = fn(params..) [-> R];`: the same rules, on a function pointer
/// type, whose parameter names are optional.
fn validate_type(declaration: &TypeDeclaration) -> syn::Result<Signal<'_>> {
    let mut errors = Errors::default();
    for param in &declaration.generics.params {
        if let GenericParam::Lifetime(param) = param {
            errors.spanned(
                param,
                "a signal type cannot take lifetime parameters: it keeps its receivers for as long as it lives, so it is `'static`; name the lifetimes in the `fn` type instead, like `for<'a> fn(&'a str, &'a str)`",
            );
        }
    }
    let Type::BareFn(function) = &declaration.ty else {
        errors.spanned(
            &declaration.ty,
            "a signal type is a function pointer type, like `#[signal] pub type Changed = fn(value: &str);`",
        );
        return Err(errors.finish().expect_err("an error was just pushed"));
    };
    if let Some(token) = &function.unsafety {
        errors.spanned(token, "a signal cannot be `unsafe`");
    }
    if let Some(abi) = &function.abi {
        errors.spanned(abi, "a signal cannot have an `extern` ABI");
    }
    if let Some(variadic) = &function.variadic {
        errors.spanned(variadic, "a signal cannot be variadic");
    }
    let lifetimes = function
        .lifetimes
        .iter()
        .flat_map(|binder| &binder.lifetimes)
        .filter_map(|param| match param {
            GenericParam::Lifetime(param) => Some(&param.lifetime),
            GenericParam::Type(_) | GenericParam::Const(_) => None,
        })
        .collect();
    let mut params = Vec::new();
    for (index, input) in function.inputs.iter().enumerate() {
        let name = match &input.name {
            Some((name, _)) if name == "_" => {
                errors.spanned(
                    name,
                    "a signal parameter must be a plain name, like `item: &Todo`",
                );
                continue;
            }
            Some((name, _)) => name.clone(),
            None => Ident::new(&format!("arg{index}"), proc_macro2::Span::call_site()),
        };
        if let Some(param) = param(name, &input.ty, &mut errors) {
            params.push(param);
        }
    }
    let output = output(&function.output, &mut errors);
    errors.finish()?;
    Ok(Signal {
        kind: Kind::Instance,
        attrs: &declaration.attrs,
        vis: &declaration.vis,
        ident: &declaration.ident,
        generics: Some(&declaration.generics),
        lifetimes,
        params,
        output,
        is_async: false,
    })
}

/// The return type, unless it is `()`; it may not borrow.
fn output<'a>(output: &'a ReturnType, errors: &mut Errors) -> Option<&'a Type> {
    match output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => {
            for (tokens, message) in forbidden_types(ty) {
                errors.spanned(tokens, message);
            }
            for (tokens, message) in borrowed_lifetimes(ty) {
                errors.spanned(tokens, message);
            }
            match &**ty {
                Type::Tuple(tuple) if tuple.elems.is_empty() => None,
                ty => Some(ty),
            }
        }
    }
}

/// One parameter: its type must name one type every receiver shares.
fn param<'a>(name: Ident, ty: &'a Type, errors: &mut Errors) -> Option<Param<'a>> {
    let forbidden = forbidden_types(ty);
    let clean = forbidden.is_empty();
    for (tokens, message) in forbidden {
        errors.spanned(tokens, message);
    }
    let passing = match ty {
        Type::Reference(reference) if reference.mutability.is_some() => Passing::Mutable,
        Type::Reference(_) => Passing::Shared,
        _ => Passing::Value,
    };
    if passing == Passing::Value && holds_mutable_reference(ty) {
        // rustc would report the inner `&mut T: Copy` and lose the advice.
        errors.spanned(
            ty,
            format!(
                "signal argument `{}` is passed by value but holds a `&mut`, so it is not `Copy`: \
                 every receiver gets the argument in turn; pass `&mut` to the whole value \
                 instead, like `&mut {}`",
                tokens_to_string(ty.to_token_stream()),
                tokens_to_string(without_mut_references(ty).to_token_stream()),
            ),
        );
        return None;
    }
    clean.then_some(Param { name, ty, passing })
}

/// Whether `ty` holds a `&mut` anywhere, outside `fn` pointer types (whose
/// parameters are not held).
fn holds_mutable_reference(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_reference(&mut self, reference: &'ast syn::TypeReference) {
            self.0 |= reference.mutability.is_some();
            syn::visit::visit_type_reference(self, reference);
        }
        fn visit_type_bare_fn(&mut self, _: &'ast syn::TypeBareFn) {}
    }
    let mut finder = Finder(false);
    finder.visit_type(ty);
    finder.0
}

/// `ty` with each `&mut T` it holds written as `T`: `Option<&mut Buffer>`
/// becomes `Option<Buffer>`, for the advice.
fn without_mut_references(ty: &Type) -> Type {
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Reference(reference) = ty {
                if reference.mutability.is_some() {
                    *ty = (*reference.elem).clone();
                }
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
        fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    }
    let mut ty = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Strip, &mut ty);
    ty
}

/// The signal's lifetime parameters: the only generics a `fn` pointer type
/// can bind.
fn lifetimes<'a>(sig: &'a syn::Signature, errors: &mut Errors) -> Vec<&'a Lifetime> {
    let mut lifetimes = Vec::new();
    for param in &sig.generics.params {
        match param {
            GenericParam::Lifetime(param) => {
                if let Some(colon) = &param.colon_token {
                    errors.spanned(
                        quote::quote!(#colon #param),
                        "a signal's lifetimes cannot have bounds",
                    );
                }
                lifetimes.push(&param.lifetime);
            }
            GenericParam::Type(param) => errors.spanned(
                param,
                "a `#[signal] fn` cannot be generic: it is one `static` value, and a static cannot be generic; declare a generic signal type instead, like `#[signal] pub type Changed<T> = fn(item: &T);`, and give each value its own type",
            ),
            GenericParam::Const(param) => {
                errors.spanned(param, "a signal cannot be generic over constants");
            }
        }
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        errors.spanned(where_clause, "a signal cannot have a `where` clause");
    }

    lifetimes
}

/// The parameters, each a plain name and a type receivers can share.
fn params<'a>(sig: &'a syn::Signature, errors: &mut Errors) -> Vec<Param<'a>> {
    if let Some(variadic) = &sig.variadic {
        errors.spanned(variadic, "a signal cannot be variadic");
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => errors.spanned(
                receiver,
                "a signal has no `self`: declare it as a free function, like `#[signal] fn changed(item: &Item);`",
            ),
            FnArg::Typed(typed) => {
                let name = match &*typed.pat {
                    Pat::Ident(pat)
                        if pat.by_ref.is_none()
                            && pat.mutability.is_none()
                            && pat.subpat.is_none() =>
                    {
                        Some(pat.ident.clone())
                    }
                    pat => {
                        errors.spanned(
                            pat,
                            "a signal parameter must be a plain name, like `item: &Todo`",
                        );
                        None
                    }
                };
                if let Some(param) = name.and_then(|name| param(name, &typed.ty, errors)) {
                    params.push(param);
                }
            }
        }
    }
    params
}

/// `impl Trait` and `_` anywhere in a type: neither names one type that
/// every receiver can be coerced to.
fn forbidden_types(ty: &Type) -> Vec<(proc_macro2::TokenStream, &'static str)> {
    struct Finder(Vec<(proc_macro2::TokenStream, &'static str)>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, node: &'ast syn::TypeImplTrait) {
            self.0.push((
                quote::quote!(#node),
                "a signal cannot use `impl Trait`: receivers need one concrete type; use `&dyn Trait` or a concrete type",
            ));
        }
        fn visit_type_infer(&mut self, node: &'ast syn::TypeInfer) {
            self.0.push((
                quote::quote!(#node),
                "a signal's types must be written out in full",
            ));
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_type(ty);
    finder.0
}

/// References and lifetimes in a return type, other than `'static`: a
/// receiver's result cannot borrow from the arguments, which are shared by
/// every receiver.
fn borrowed_lifetimes(ty: &Type) -> Vec<(proc_macro2::TokenStream, &'static str)> {
    const MESSAGE: &str = "a signal's return type cannot borrow from its arguments; return an owned value or a `'static` reference";
    struct Finder(Vec<(proc_macro2::TokenStream, &'static str)>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_reference(&mut self, node: &'ast syn::TypeReference) {
            match &node.lifetime {
                Some(lifetime) if lifetime.ident == "static" => {}
                _ => self.0.push((quote::quote!(#node), MESSAGE)),
            }
            self.visit_type(&node.elem);
        }
        fn visit_lifetime(&mut self, node: &'ast Lifetime) {
            if node.ident != "static" {
                self.0.push((quote::quote!(#node), MESSAGE));
            }
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_type(ty);
    finder.0
}
