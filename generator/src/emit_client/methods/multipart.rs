//! The `to_multipart` methods of the `multipart/form-data` bodies, which
//! `calls.rs` holds (they are private to the crate, beside the request
//! types that send them with `.multipart(..)`, see `request`).

use crate::emit_types::ident;
use crate::ir::{Api, BodyEncoding, TypeDef, TypeKind, TypeRef, multipart_structs};
use proc_macro2::TokenStream;
use quote::quote;

/// For each multipart body struct, the private method that turns it into
/// its parts: a file field as a file part (each item of a list of files as
/// one), any other field as a text part (each item of a list as one).
pub(super) fn multipart_impls(api: &Api) -> Vec<TokenStream> {
    let mut done = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for body in api.operations.iter().filter_map(|op| op.body.as_ref()) {
        if body.encoding != BodyEncoding::Multipart {
            continue;
        }
        let Some((owner, structs)) = multipart_structs(&api.types, &body.ty) else {
            continue;
        };
        let is_union = structs.iter().any(|(variant, _)| variant.is_some());
        if is_union && done.insert(owner.to_owned()) {
            let ty = ident(owner);
            let arms = structs.iter().filter_map(|(variant, _)| {
                let variant = ident((*variant)?);
                Some(quote! { Self::#variant(value) => value.to_multipart(), })
            });
            out.push(quote! {
                impl types::#ty {
                    /// The `multipart/form-data` parts of this body: those of the variant it holds.
                    fn to_multipart(&self) -> Result<Multipart, String> {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            });
        }
        for (_, def) in structs {
            if done.insert(def.name.clone()) {
                out.extend(struct_multipart(def));
            }
        }
    }
    out
}

/// The `to_multipart` method of one struct: a file field as a file part
/// (each item of a list of files as one), any other field as a text part
/// (each item of a list as one).
fn struct_multipart(def: &TypeDef) -> Option<TokenStream> {
    let TypeKind::Struct(fields) = &def.kind else {
        return None;
    };
    let parts = fields.fields.iter().map(|field| {
        let name = ident(&field.name);
        let wire = &field.wire_name;
        // A `null` text is skipped by `text`; a missing file here.
        let one = |value: TokenStream, ty: &TypeRef| match ty {
            TypeRef::Binary => quote! { form.file(#wire, #value); },
            TypeRef::Nullable(inner) if **inner == TypeRef::Binary => {
                quote! { if let Some(file) = #value { form.file(#wire, file); } }
            }
            _ => quote! { form.text(#wire, #value)?; },
        };
        let add = match &field.ty {
            TypeRef::Array(item) => {
                let each = one(quote! { item }, item);
                quote! { for item in values { #each } }
            }
            other => one(quote! { value }, other),
        };
        let binding = if matches!(field.ty, TypeRef::Array(_)) {
            quote! { values }
        } else {
            quote! { value }
        };
        if field.is_optional() {
            quote! { if let Some(#binding) = &self.#name { #add } }
        } else {
            quote! { let #binding = &self.#name; #add }
        }
    });
    let ty = ident(&def.name);
    let parts: Vec<TokenStream> = parts.collect();
    let build = if parts.is_empty() {
        quote! { Ok(Multipart::new()) }
    } else {
        quote! {
            let mut form = Multipart::new();
            #(#parts)*
            Ok(form)
        }
    };
    let doc = format!(
        " The `multipart/form-data` parts of this body, in the order of `{}`'s fields.",
        def.name
    );
    Some(quote! {
        impl types::#ty {
            #[doc = #doc]
            fn to_multipart(&self) -> Result<Multipart, String> {
                #build
            }
        }
    })
}
