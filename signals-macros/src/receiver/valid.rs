use syn::visit::Visit;
use syn::{FnArg, GenericParam, ReturnType, Type};

use super::ast::ReceiverFn;
use super::attr::PolicyOptions;

use crate::errors::Errors;

/// What a receiver function may not be: everything that keeps it from being
/// coerced to a plain `fn` pointer.
pub fn validate(function: &ReceiverFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let sig = &function.sig;
    if let Some(token) = &sig.unsafety {
        errors.spanned(
            token,
            "a receiver cannot be `unsafe`: the signal calls it like any safe function",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(abi, "a receiver cannot have an `extern` ABI");
    }
    for param in &sig.generics.params {
        match param {
            GenericParam::Lifetime(param) if param.colon_token.is_none() => {}
            GenericParam::Lifetime(param) => {
                errors.spanned(param, "a receiver's lifetimes cannot have bounds");
            }
            GenericParam::Type(_) | GenericParam::Const(_) => errors.spanned(
                param,
                "a receiver cannot be generic: it is registered as one `fn` pointer",
            ),
        }
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        errors.spanned(where_clause, "a receiver cannot have a `where` clause");
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(variadic, "a receiver cannot be variadic");
    }
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => errors.spanned(
                receiver,
                "a receiver cannot take `self`: make it a free function",
            ),
            FnArg::Typed(typed) => reject_impl_trait(&typed.ty, &mut errors),
        }
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        reject_impl_trait(ty, &mut errors);
    }
    errors.finish()
}

/// `sender = dyn Any` would match only a send from a `&dyn Any`, never
/// one from `&user`, which is a send from a `User`: what it means, a
/// receiver of every sender, is `sender = AnySender`.
pub fn validate_sender(sender: Option<&Type>) -> syn::Result<()> {
    let Some(Type::TraitObject(object)) = sender else {
        return Ok(());
    };
    let names_any = object.bounds.iter().any(|bound| match bound {
        syn::TypeParamBound::Trait(bound) => bound
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Any"),
        _ => false,
    });
    if names_any {
        return Err(syn::Error::new_spanned(
            object,
            "no send comes from `dyn Any`: `send_from(&user, ..)` is a send from a `User`, \
             so this receiver would never be called\n\
             help: to receive every sender, write `sender = AnySender` \
             and take `sender: &signals::AnySender`",
        ));
    }
    Ok(())
}

/// `repeat = n` calls the receiver n times per send, which a receiver that
/// returns a value cannot be: the send would get n results from it.
pub fn validate_policy(
    policy: &PolicyOptions,
    sender: Option<&Type>,
    function: &ReceiverFn,
) -> syn::Result<()> {
    let returns = match &function.sig.output {
        ReturnType::Default => false,
        ReturnType::Type(_, ty) => !matches!(&**ty, Type::Tuple(tuple) if tuple.elems.is_empty()),
    };
    if !returns {
        return Ok(());
    }
    if let Some((count, literal)) = &policy.repeat {
        if *count > 1 {
            return Err(syn::Error::new_spanned(
                literal,
                format!(
                    "`repeat = {count}` calls the receiver {count} times per send, so it cannot \
                     return a value: the send would get {count} results from one receiver"
                ),
            ));
        }
    }
    if let (Some(option), Some(_)) = (policy.first_option(), sender) {
        return Err(syn::Error::new(
            option,
            "a receiver with a sender filter and a policy cannot return a value (yet): \
             drop the filter and test the sender inside, or return nothing",
        ));
    }
    Ok(())
}

/// What an `async fn` receiver cannot have yet: a sender filter, or
/// `repeat` (each repeat would be awaited in turn).
pub fn validate_async(
    policy: &PolicyOptions,
    sender: Option<&Type>,
    function: &ReceiverFn,
) -> syn::Result<()> {
    if function.sig.asyncness.is_none() {
        return Ok(());
    }
    let mut errors = Errors::default();
    if let Some(sender) = sender {
        errors.spanned(
            sender,
            "an `async fn` receiver cannot have a sender filter yet: drop `sender` and take \
             what you need from the arguments, or make this receiver a sync `fn`",
        );
    }
    if let Some((count, literal)) = &policy.repeat {
        if *count > 1 {
            errors.spanned(
                literal,
                "an `async fn` receiver cannot `repeat`: call it in a loop inside the receiver",
            );
        }
    }
    errors.finish()
}

/// `impl Trait` makes a function generic, or its result opaque: neither is
/// one `fn` pointer type.
fn reject_impl_trait(ty: &Type, errors: &mut Errors) {
    struct Finder<'e>(&'e mut Errors);
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_type_impl_trait(&mut self, node: &'ast syn::TypeImplTrait) {
            self.0.spanned(
                node,
                "a receiver cannot use `impl Trait`: write the signal's concrete types",
            );
        }
    }
    Finder(errors).visit_type(ty);
}
