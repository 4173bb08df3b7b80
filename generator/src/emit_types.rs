//! Step 3a: named types → Rust tokens.
//!
//! Structs derive serde; string enums get hand-written serde impls so that
//! an unknown value is kept (and written back unchanged) instead of failing;
//! unions are untagged, except those with a `discriminator`, whose
//! hand-written impls pick the variant by the tag and keep unknown tags;
//! fields holding secrets are hidden by a hand-written `Debug`.

use crate::ir::{Api, EnumDef, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::names;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Tokens of the models from the `skip`-th, `take` of them, in name
/// order: a part of `src/types.rs`. The first part has the file's docs and
/// imports.
pub(crate) fn types_part(api: &Api, skip: usize, take: usize) -> TokenStream {
    let items = api.types.values().skip(skip).take(take).map(type_def);
    if skip > 0 {
        return quote! { #(#items)* };
    }
    let doc = format!(
        " Models for the schemas, parameters and bodies of {}.",
        api.title
    );
    // Aliases name other types; every other kind derives or implements
    // the serde traits.
    let uses_serde = api
        .types
        .values()
        .any(|def| !matches!(def.kind, TypeKind::Alias(_)));
    let imports = uses_serde.then(|| quote! { use serde::{Deserialize, Serialize}; });
    quote! {
        #![doc = #doc]

        #imports

        #(#items)*
    }
}

/// An identifier token from a name the sanitiser produced.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc]` attributes, one per line, so they print as `///` comments.
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// The Rust type for a type expression, as written inside the types module.
pub(crate) fn type_tokens(ty: &TypeRef) -> TokenStream {
    type_tokens_with(ty, &TokenStream::new())
}

/// The Rust type for a type expression, with `prefix` (`types::`,
/// `crate::types::`) before named types, for code outside the types module.
pub(crate) fn type_tokens_with(ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String { .. } => quote! { String },
        TypeRef::Integer { bits: 32 } => quote! { i32 },
        TypeRef::Integer { .. } => quote! { i64 },
        TypeRef::Number => quote! { f64 },
        TypeRef::Boolean => quote! { bool },
        TypeRef::Any => quote! { serde_json::Value },
        TypeRef::Binary => quote! { crate::File },
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { #prefix #name }
        }
        TypeRef::Array(item) => {
            let item = type_tokens_with(item, prefix);
            quote! { Vec<#item> }
        }
        TypeRef::Map(value) => {
            let value = type_tokens_with(value, prefix);
            quote! { std::collections::BTreeMap<String, #value> }
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens_with(inner, prefix);
            quote! { Box<#inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens_with(inner, prefix);
            quote! { Option<#inner> }
        }
    }
}

/// The field's declared type, with `Option` where it may be absent.
fn field_type(field: &Field) -> TokenStream {
    let ty = type_tokens(&field.ty);
    if field.is_optional() {
        quote! { Option<#ty> }
    } else {
        ty
    }
}

/// A newtype of an integer, number or boolean, with a constant per
/// documented value; any other value is kept as it came.
fn constants_def(def: &TypeDef, c: &crate::ir::ConstantsDef) -> TokenStream {
    let mut text = def.docs.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(
        "The documented values are the associated constants; any other value is kept as it came.",
    );
    let docs = doc_attrs(Some(&text));
    let name = ident(&def.name);
    let base = type_tokens(&c.base);
    let eq = (c.base != TypeRef::Number).then(|| quote! { Eq, Hash, Ord, });
    let constants = c.values.iter().map(|(constant, value)| {
        let constant = ident(constant);
        let doc = format!(" `{value}`");
        let literal: TokenStream = match (&c.base, value) {
            (TypeRef::Number, serde_json::Value::Number(n)) => {
                let text = n.to_string();
                let text = if text.contains(['.', 'e', 'E']) {
                    text
                } else {
                    format!("{text}.0")
                };
                text.parse().unwrap_or_else(|_| quote! { 0.0 })
            }
            (_, value) => value.to_string().parse().unwrap_or_else(|_| quote! { 0 }),
        };
        quote! {
            #[doc = #doc]
            pub const #constant: Self = Self(#literal);
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, #eq Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #base);

        impl #name {
            #(#constants)*
        }
    }
}

/// Tokens for one named type and its impls.
pub fn type_def(def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s),
        TypeKind::Enum(e) => enum_def(def, e),
        TypeKind::Constants(c) => constants_def(def, c),
        TypeKind::Union(variants) => union_def(def, variants),
        TypeKind::Alias(ty) => {
            let docs = doc_attrs(def.docs.as_deref());
            let name = ident(&def.name);
            let ty = type_tokens(ty);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

/// Documentation for a field, falling back to a line naming the property.
fn field_docs(field: &Field) -> String {
    match (&field.docs, &field.ty) {
        (Some(docs), _) => docs.clone(),
        (None, TypeRef::Named(name)) => {
            format!("The `{}` property; see [`{name}`].", field.wire_name)
        }
        (None, _) => format!("The `{}` property.", field.wire_name),
    }
}

fn struct_def(def: &TypeDef, s: &StructDef) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    let sensitive = s.fields.iter().any(|f| f.sensitive);
    let debug = (!sensitive).then(|| quote! { Debug, });
    let default = def.has_default.then(|| quote! { Default, });
    let fields = s.fields.iter().map(|field| {
        let docs = doc_attrs(Some(&field_docs(field)));
        let field_name = ident(&field.name);
        let ty = field_type(field);
        let mut serde_args = Vec::new();
        if names::unraw(&field.name) != field.wire_name {
            let wire = &field.wire_name;
            serde_args.push(quote! { rename = #wire });
        }
        if field.is_optional() && !field.required {
            serde_args.push(quote! { default, skip_serializing_if = "Option::is_none" });
        } else if field.nullable {
            // Required but nullable: present, possibly `null`. Without this,
            // serde would accept a missing `Option` field as `None`.
            serde_args.push(quote! { deserialize_with = "Option::deserialize" });
        }
        let serde_attr = (!serde_args.is_empty()).then(|| quote! { #[serde(#(#serde_args),*)] });
        quote! { #docs #serde_attr pub #field_name: #ty, }
    });
    let additional = s.additional.as_ref().map(|field| {
        let docs = doc_attrs(Some(&field_docs(field)));
        let field_name = ident(&field.name);
        let ty = type_tokens(&field.ty);
        quote! { #docs #[serde(flatten)] pub #field_name: #ty, }
    });
    let debug_impl = sensitive.then(|| redacting_debug(def, s));
    quote! {
        #docs
        #[derive(#debug Clone, PartialEq, #default Serialize, Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #debug_impl
    }
}

/// A `Debug` impl that prints secret fields as `"[redacted]"`.
fn redacting_debug(def: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let label = &def.name;
    let entries = s.fields.iter().chain(&s.additional).map(|field| {
        let field_name = ident(&field.name);
        let key = names::unraw(&field.name);
        match (field.sensitive, field.is_optional()) {
            (false, _) => quote! { .field(#key, &self.#field_name) },
            (true, false) => quote! { .field(#key, &"[redacted]") },
            (true, true) => {
                quote! { .field(#key, &self.#field_name.as_ref().map(|_| "[redacted]")) }
            }
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#entries)*
                    .finish()
            }
        }
    }
}

fn enum_def(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    let other = ident(&e.other_variant);
    let variants = e.variants.iter().map(|v| {
        let doc = format!(" `{}`", v.wire_value.replace('`', "'"));
        let variant = ident(&v.name);
        let default = (e.default.as_ref() == Some(&v.name)).then(|| quote! { #[default] });
        quote! { #[doc = #doc] #default #variant, }
    });
    let derive_default = e.default.is_some().then(|| quote! { Default, });
    let to_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote! { Self::#variant => #wire, }
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote! { #wire => Self::#variant, }
    });
    let from_body = if e.variants.is_empty() {
        quote! { Self::#other(value.to_owned()) }
    } else {
        quote! {
            match value {
                #(#from_str)*
                other => Self::#other(other.to_owned()),
            }
        }
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        pub enum #name {
            #(#variants)*
            /// A value this crate does not know (kept as sent).
            #other(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_body
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn union_def(def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    if variants.iter().any(|v| v.tag.is_some()) {
        return tagged_union_def(def, variants);
    }
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_tokens(&v.ty);
        let doc = format!(" One of the alternatives (`{}`).", v.name);
        quote! { #[doc = #doc] #variant(#ty), }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A union with a `discriminator`: the tag property's value picks the
/// variant. Hand-written serde impls rather than `#[serde(tag = ..)]`:
/// serde's internal tagging takes the tag out of the payload, while each
/// member's struct declares (and must keep) it; and a payload with a tag
/// this crate does not know is kept in the variant without values.
fn tagged_union_def(def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    let docs = doc_attrs(def.docs.as_deref());
    let name = ident(&def.name);
    let property = variants
        .iter()
        .find_map(|v| v.tag.as_ref())
        .map(|tag| tag.property.as_str())
        .unwrap_or_default();
    let tagged = |v: &&UnionVariant| v.tag.as_ref().is_some_and(|tag| !tag.values.is_empty());
    let fallback = match variants.iter().find(|v| !tagged(v)) {
        Some(v) => {
            let other = ident(&v.name);
            quote! { Ok(Self::#other(value)) }
        }
        None => {
            let message = format!("no variant for this `{property}`");
            quote! { Err(serde::de::Error::custom(#message)) }
        }
    };
    let declarations = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = type_tokens(&v.ty);
        let doc = match v.tag.as_ref().filter(|tag| !tag.values.is_empty()) {
            Some(tag) => {
                let values: Vec<String> = tag.values.iter().map(|x| format!("`{x}`")).collect();
                format!(" `{property}`: {}.", values.join(", "))
            }
            None => format!(" Any other `{property}` (or none), kept as sent."),
        };
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let serialize = variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote! { Self::#variant(value) => value.serialize(serializer), }
    });
    let deserialize = variants.iter().filter(tagged).map(|v| {
        let variant = ident(&v.name);
        let values = v.tag.iter().flat_map(|tag| &tag.values);
        quote! {
            #(Some(#values))|* => serde_json::from_value(value)
                .map(Self::#variant)
                .map_err(serde::de::Error::custom),
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#declarations)*
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#deserialize)*
                    _ => #fallback,
                }
            }
        }
    }
}
