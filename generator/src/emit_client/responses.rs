//! The `responses` module: for each operation whose 2xx statuses give back
//! different things (a JSON body on `200`, nothing on `204`, a file on
//! `202`), an enum with one variant per documented 2xx status.
//!
//! Variants are named like the error variants (`200` → `Ok`, `202` →
//! `Accepted`, a range `2XX` → `Status2xx`), and `Other` holds a 2xx status
//! the spec does not document, with its body as it came. The module exists
//! only in crates that need it.

use super::errors::{status_label, variant_name};
use super::{mentions_named, type_path};
use crate::emit_types::{doc_attrs, ident};
use crate::ir::{Api, Operation, Response, Status, Success, SuccessBody};
use crate::names::{self, Namespace};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The enum name of an operation's success statuses, from its error
/// enum's (unique) name: `CreateThingError` → `CreateThingSuccess`.
pub(crate) fn success_enum_name(error_name: &str) -> String {
    match error_name.rfind("Error") {
        Some(at) => format!(
            "{}Success{}",
            &error_name[..at],
            &error_name[at + "Error".len()..]
        ),
        None => format!("{error_name}Success"),
    }
}

/// The operations that need an enum, with its name.
pub(crate) fn success_enums<'a>(
    api: &'a Api,
    error_names: &[String],
) -> Vec<(&'a Operation, String, Vec<&'a Response>)> {
    api.operations
        .iter()
        .zip(error_names)
        .filter_map(|(op, error_name)| match op.success_kind() {
            Success::Several(responses) => Some((op, success_enum_name(error_name), responses)),
            Success::One(_) => None,
        })
        .collect()
}

/// Tokens of `responses.rs`, or `None` when no operation needs it.
pub(crate) fn responses_file(api: &Api) -> Option<TokenStream> {
    let enums = success_enums(api, &super::error_enum_names(api));
    if enums.is_empty() {
        return None;
    }
    let uses_types = enums
        .iter()
        .flat_map(|(_, _, r)| r)
        .any(|r| r.body.as_ref().is_some_and(mentions_named));
    let import = uses_types.then(|| quote! { use crate::types; });
    let decodes = |wanted: fn(SuccessBody) -> bool| {
        enums
            .iter()
            .flat_map(|(_, _, r)| r)
            .any(|r| wanted(r.whole_body()))
    };
    let json = decodes(|b| matches!(b, SuccessBody::Json(_))).then(|| quote! { , decode_json });
    let text = decodes(|b| matches!(b, SuccessBody::Text)).then(|| quote! { , decode_text });
    let items = enums
        .iter()
        .map(|(op, name, responses)| success_enum(op, name, responses));
    Some(quote! {
        //! The success responses of operations whose 2xx statuses give back
        //! different things: one enum per such operation, one variant per
        //! documented 2xx status, and `Other` for a 2xx status the spec does not
        //! document.

        use crate::runtime::{DecodeFailure, OperationSuccess, Payload #json #text};
        #import

        #(#items)*
    })
}

fn success_enum(op: &Operation, name: &str, responses: &[&Response]) -> TokenStream {
    let mut namespace = Namespace::new();
    namespace.reserve("Other");
    let variants: Vec<(String, &Response)> = responses
        .iter()
        .map(|r| (namespace.claim(variant_name(r.status)), *r))
        .collect();
    let method = names::unraw(&op.method_name);
    let doc = format!(
        " The success responses of [`Client::{method}`](crate::Client::{method}) (`{}`).",
        op.id
    );
    let declarations = variants.iter().map(|(variant, response)| {
        let variant = ident(variant);
        let mut text = format!("`{}`", status_label(response.status));
        if let Some(docs) = &response.docs {
            text.push_str(": ");
            text.push_str(docs);
        }
        match response.whole_body() {
            SuccessBody::Empty => {
                let docs = doc_attrs(Some(&text));
                quote! { #docs #variant, }
            }
            SuccessBody::Json(ty) => {
                let docs = doc_attrs(Some(&text));
                let ty = type_path(ty);
                quote! { #docs #variant(#ty), }
            }
            SuccessBody::Text => {
                text.push_str(
                    "\n\nThe body as text, decoded with the charset of its content type.",
                );
                let docs = doc_attrs(Some(&text));
                quote! { #docs #variant(String), }
            }
            SuccessBody::Raw | SuccessBody::Events(_) => {
                text.push_str("\n\nThe body as it came, with its content type.");
                let docs = doc_attrs(Some(&text));
                quote! { #docs #variant(Payload), }
            }
        }
    });
    // Exact codes before ranges.
    let mut ordered: Vec<&(String, &Response)> = variants.iter().collect();
    ordered.sort_by_key(|(_, r)| !matches!(r.status, Status::Code(_)));
    let arms = ordered.iter().map(|(variant, response)| {
        let pattern = match response.status {
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
        let variant = ident(variant);
        let value = match response.whole_body() {
            SuccessBody::Empty => quote! { Self::#variant },
            SuccessBody::Json(_) => quote! { Self::#variant(decode_json(&body.bytes)?) },
            SuccessBody::Text => quote! { Self::#variant(decode_text(&body)?) },
            SuccessBody::Raw | SuccessBody::Events(_) => quote! { Self::#variant(body) },
        };
        quote! { #pattern => #value, }
    });
    let enum_name = ident(name);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #enum_name {
            #(#declarations)*
            /// A 2xx status the spec does not document, with its body as it came.
            Other {
                /// The HTTP status.
                status: u16,
                /// The body.
                body: Payload,
            },
        }

        impl OperationSuccess for #enum_name {
            fn from_response(status: u16, body: Payload) -> Result<Self, DecodeFailure> {
                Ok(match status {
                    #(#arms)*
                    _ => Self::Other { status, body },
                })
            }
        }
    }
}
