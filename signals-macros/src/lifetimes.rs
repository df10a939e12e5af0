//! Lifetimes of the types a signal or a receiver is declared with.

use syn::visit_mut::VisitMut;
use syn::{Lifetime, Type};

/// `ty` with every lifetime but `'static`, named or elided, made
/// `lifetime`: the one lifetime of an async send, for which the future of
/// each receiver borrows every argument. Lifetimes that a nested `fn(&T)`
/// or `Fn(&T)` binds stay its own.
pub fn unified(ty: &Type, lifetime: &Lifetime) -> Type {
    let mut ty = ty.clone();
    Unify(lifetime).visit_type_mut(&mut ty);
    ty
}

struct Unify<'a>(&'a Lifetime);

impl VisitMut for Unify<'_> {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        match &reference.lifetime {
            Some(lifetime) if lifetime.ident == "static" => {}
            _ => reference.lifetime = Some(self.0.clone()),
        }
        self.visit_type_mut(&mut reference.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident != "static" {
            *lifetime = self.0.clone();
        }
    }

    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
}
