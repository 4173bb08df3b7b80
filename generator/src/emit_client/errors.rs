//! The `errors` module: per operation, an enum of its documented error
//! statuses.
//!
//! Variants are named after the status's reason phrase (`404` →
//! `NotFound`, `422` → `UnprocessableEntity`); a code without a registered
//! phrase becomes `Status{code}`, a range `4XX` becomes `ClientError`
//! (`5XX` `ServerError`), and `default` becomes `Other`. A status that
//! documents a JSON body carries it as `Option<T>`: `None` when the body
//! the server sent does not parse as documented (the raw text is still in
//! the `Error::Api` that wraps the enum).

use super::{error_enum_names, mentions_named, type_path};
use crate::emit_types::{doc_attrs, ident};
use crate::ir::{Api, Operation, Response, Status};
use crate::names::{self, Namespace};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Tokens of `errors.rs`.
pub(crate) fn errors_file(api: &Api) -> TokenStream {
    let enums = api
        .operations
        .iter()
        .zip(error_enum_names(api))
        .map(|(op, name)| error_enum(op, &name));
    let uses_types = api
        .operations
        .iter()
        .flat_map(error_responses)
        .any(|r| r.body.as_ref().is_some_and(mentions_named));
    let import = uses_types.then(|| quote! { use crate::types; });
    // Operations without a documented error status share the runtime's
    // empty enum; each keeps its own name, as an alias.
    let shared = api
        .operations
        .iter()
        .any(|op| error_responses(op).next().is_none())
        .then(|| {
            quote! {
                #![doc = ""]
                #![doc = " An operation that documents no error status has"]
                #![doc = " [`NoDocumentedError`], which has no values, under its own name."]

                pub use crate::runtime::NoDocumentedError;
            }
        });
    quote! {
        //! The documented error responses of each operation.
        //!
        //! Every operation has an enum here, `{OperationId}Error`, with one
        //! variant per non-2xx status the spec documents for it. It is the `E`
        //! of the operation's [`Error<E>`](crate::Error), found in
        //! [`Error::Api`](crate::Error::Api). A variant whose status documents a
        //! body holds it parsed, or `None` when the server's body did not parse
        //! as documented (the body text is kept in `Error::Api`).
        #shared

        #import

        #(#enums)*
    }
}

/// The responses that become variants, in status order.
fn error_responses(op: &Operation) -> impl Iterator<Item = &Response> {
    op.responses.iter().filter(|r| !r.status.is_success())
}

/// One documented error status, ready to emit.
struct Variant<'a> {
    name: String,
    /// `422 Unprocessable Entity`, `4XX`, `default`.
    label: String,
    response: &'a Response,
}

fn error_enum(op: &Operation, name: &str) -> TokenStream {
    let mut namespace = Namespace::new();
    let variants: Vec<Variant<'_>> = error_responses(op)
        .map(|response| Variant {
            name: namespace.claim(variant_name(response.status)),
            label: status_label(response.status),
            response,
        })
        .collect();
    let enum_name = ident(name);
    // Intra-doc links name methods without the `r#` prefix.
    let method = names::unraw(&op.method_name);
    let doc = format!(
        " The documented error statuses of [`Client::{method}`](crate::Client::{method}) (`{}`).",
        op.id
    );
    if variants.is_empty() {
        let doc = format!(
            " The documented error statuses of [`Client::{method}`](crate::Client::{method}) \
             (`{}`): none, so this is [`NoDocumentedError`], which has no values.",
            op.id
        );
        return quote! {
            #[doc = #doc]
            pub type #enum_name = NoDocumentedError;
        };
    }
    let declarations = variants.iter().map(declaration);
    let display_body = display_body(&variants);
    let from_response = from_response(&variants);
    let uses_body = variants.iter().any(|v| v.response.body.is_some());
    let allow = uses_body.then(|| quote! { #[allow(clippy::large_enum_variant)] });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #allow
        pub enum #enum_name {
            #(#declarations)*
        }

        impl std::fmt::Display for #enum_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        impl std::error::Error for #enum_name {}

        impl crate::runtime::OperationError for #enum_name {
            #from_response
        }
    }
}

/// One variant's declaration, with its docs.
fn declaration(v: &Variant<'_>) -> TokenStream {
    let variant = ident(&v.name);
    let mut text = format!("`{}`", v.label);
    if let Some(docs) = &v.response.docs {
        text.push_str(": ");
        text.push_str(docs);
    }
    match &v.response.body {
        Some(body) => {
            text.push_str("\n\nThe parsed body, or `None` when it did not parse as documented.");
            let docs = doc_attrs(Some(&text));
            let ty = type_path(body);
            quote! { #docs #variant(Option<#ty>), }
        }
        None => {
            let docs = doc_attrs(Some(&text));
            quote! { #docs #variant, }
        }
    }
}

/// The `Display` impl's body: the status label.
fn display_body(variants: &[Variant<'_>]) -> TokenStream {
    let display_arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let label = &v.label;
        let pattern = match v.response.body {
            Some(_) => quote! { Self::#variant(_) },
            None => quote! { Self::#variant },
        };
        quote! { #pattern => #label, }
    });
    quote! { f.write_str(match self { #(#display_arms)* }) }
}

/// `OperationError::from_response`: exact statuses first, then ranges,
/// then `default`.
fn from_response(variants: &[Variant<'_>]) -> TokenStream {
    let (exact, rest): (Vec<_>, Vec<_>) = variants
        .iter()
        .partition(|v| matches!(v.response.status, Status::Code(_)));
    let (ranges, default): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|v| matches!(v.response.status, Status::Range(_)));
    let value = |v: &Variant<'_>| {
        let variant = ident(&v.name);
        match v.response.body {
            Some(_) => quote! { Self::#variant(crate::runtime::parse_error_body(body)) },
            None => quote! { Self::#variant },
        }
    };
    let arms = exact.iter().chain(&ranges).chain(&default).map(|v| {
        let pattern = match v.response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote! { #code }
            }
            Status::Range(hundreds) => {
                let low = Literal::u16_unsuffixed(hundreds * 100);
                let high = Literal::u16_unsuffixed(hundreds * 100 + 99);
                quote! { #low..=#high }
            }
            Status::Default => quote! { _ },
        };
        let value = value(v);
        quote! { #pattern => Some(#value), }
    });
    let fallback = default.is_empty().then(|| quote! { _ => None, });
    let uses_body = variants.iter().any(|v| v.response.body.is_some());
    let body_arg = if uses_body {
        quote! { body }
    } else {
        quote! { _body }
    };
    if let ([], [], [only]) = (&exact[..], &ranges[..], &default[..]) {
        // `default` alone: every status is it (a one-arm `match` would
        // not pass clippy).
        let value = value(only);
        quote! {
            fn from_response(_status: u16, #body_arg: &[u8]) -> Option<Self> {
                Some(#value)
            }
        }
    } else {
        // A range arm after exact statuses inside it (`400`, then
        // `400..=499`) overlaps on purpose: the exact one wins.
        let overlaps = exact.iter().any(|v| {
            ranges
                .iter()
                .any(|r| match (v.response.status, r.response.status) {
                    (Status::Code(code), Status::Range(hundreds)) => code / 100 == hundreds,
                    _ => false,
                })
        });
        let allow = overlaps.then(|| quote! { #[allow(clippy::match_overlapping_arm)] });
        quote! {
            #allow
            fn from_response(status: u16, #body_arg: &[u8]) -> Option<Self> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

/// The variant name for a status.
pub(super) fn variant_name(status: Status) -> String {
    match status {
        Status::Code(code) => match reason_phrase(code) {
            Some(phrase) => names::variant_name(phrase),
            None => format!("Status{code}"),
        },
        Status::Range(4) => "ClientError".to_owned(),
        Status::Range(5) => "ServerError".to_owned(),
        Status::Range(hundreds) => format!("Status{hundreds}xx"),
        Status::Default => "Other".to_owned(),
    }
}

/// How a status is shown in docs and `Display`.
pub(super) fn status_label(status: Status) -> String {
    match status {
        Status::Code(code) => match reason_phrase(code) {
            Some(phrase) => format!("{code} {phrase}"),
            None => code.to_string(),
        },
        Status::Range(hundreds) => format!("{hundreds}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// The reason phrase of a status code: the `http` crate's table, the one the
/// generated client's runtime (through reqwest) prints in its errors too, so
/// a variant's name and the error's message never disagree.
fn reason_phrase(code: u16) -> Option<&'static str> {
    http::StatusCode::from_u16(code).ok()?.canonical_reason()
}

#[cfg(test)]
mod tests {
    use super::{status_label, variant_name};
    use crate::ir::Status;

    #[test]
    fn variant_names() {
        assert_eq!(variant_name(Status::Code(401)), "Unauthorized");
        assert_eq!(variant_name(Status::Code(422)), "UnprocessableEntity");
        assert_eq!(variant_name(Status::Code(414)), "UriTooLong");
        assert_eq!(variant_name(Status::Code(505)), "HttpVersionNotSupported");
        assert_eq!(variant_name(Status::Code(499)), "Status499");
        assert_eq!(variant_name(Status::Range(4)), "ClientError");
        assert_eq!(variant_name(Status::Default), "Other");
        assert_eq!(status_label(Status::Code(404)), "404 Not Found");
        assert_eq!(status_label(Status::Range(5)), "5XX");
        // One table with the runtime: the phrase reqwest prints for 413.
        assert_eq!(status_label(Status::Code(413)), "413 Payload Too Large");
    }
}
