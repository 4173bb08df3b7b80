//! The `use` lines of `operations.rs` and `calls.rs`: only what some
//! operation needs, so that no import is unused (the generated crates are
//! checked with `-D warnings`).

use super::{has_setters, params_required};
use crate::ir::{Api, BodyEncoding, PathValue, Success, SuccessBody, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The names whose flag is set, in the order given.
fn wanted(items: &[(&str, bool)]) -> Vec<TokenStream> {
    items
        .iter()
        .filter(|(_, used)| *used)
        .map(|(name, _)| {
            let name = format_ident!("{name}");
            quote! { #name }
        })
        .collect()
}

/// `use crate::{…};`, or nothing when `items` is empty.
fn crate_import(items: &[TokenStream]) -> Option<TokenStream> {
    (!items.is_empty()).then(|| quote! { use crate::{#(#items),*}; })
}

/// What `operations.rs` uses: the runtime's client types, `Call`, and the
/// crate modules the method signatures name.
pub(super) fn operations_imports(api: &Api) -> TokenStream {
    let ops = &api.operations;
    let has_operations = !ops.is_empty();
    let paged = ops.iter().any(|op| op.pagination.is_some());
    let runtime_items = wanted(&[
        ("BuildError", true),
        ("Call", has_operations),
        ("Client", true),
        ("ClientBuilder", true),
        ("Events", ops.iter().any(|op| op.event_stream().is_some())),
        ("ItemStream", paged),
        ("Pages", paged),
    ]);
    let uses_types = ops.iter().any(|op| {
        op.path_params
            .iter()
            .any(|p| matches!(p.ty, TypeRef::Named(_)))
            || op.body.as_ref().is_some_and(|body| {
                body.required && !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text)
            })
            || params_required(api, op)
            || op.pagination.is_some()
    });
    let crate_import = crate_import(&wanted(&[
        ("calls", has_operations),
        ("errors", paged),
        ("types", uses_types),
    ]));
    quote! {
        use crate::runtime::{#(#runtime_items),*};
        #crate_import
    }
}

/// What `calls.rs` uses from the runtime, from the crate (`errors`,
/// `types`, `responses`) and from `reqwest`.
pub(super) fn calls_imports(api: &Api, has_query_tables: bool) -> TokenStream {
    let runtime_items = calls_runtime_items(api, has_query_tables);
    let runtime_import =
        (!runtime_items.is_empty()).then(|| quote! { use crate::runtime::{#(#runtime_items),*}; });
    let crate_import = crate_import(&calls_crate_items(api));
    let method_import = (!api.operations.is_empty()).then(|| quote! { use reqwest::Method; });
    quote! {
        #runtime_import
        #crate_import
        #method_import
    }
}

/// The crate modules `calls.rs` names.
fn calls_crate_items(api: &Api) -> Vec<TokenStream> {
    let ops = &api.operations;
    let uses_types = ops.iter().any(|op| {
        op.query.is_some()
            || op.body.as_ref().is_some_and(|body| {
                !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text)
            })
            || op.responses.iter().any(|r| {
                r.status.is_success() && r.body.as_ref().is_some_and(super::super::mentions_named)
            })
            || op
                .path_params
                .iter()
                .any(|p| matches!(p.ty, TypeRef::Named(_)))
            || op
                .event_stream()
                .and_then(|stream| stream.item.as_ref())
                .is_some_and(super::super::mentions_named)
    });
    let several = ops
        .iter()
        .any(|op| matches!(op.success_kind(), Success::Several(_)));
    let mut items = wanted(&[
        ("errors", !ops.is_empty()),
        ("responses", several),
        ("types", uses_types),
    ]);
    if ops.iter().any(|op| !op.security_keys.is_empty()) {
        items.push(quote! { operations::schemes });
    }
    items
}

/// The runtime items `calls.rs` uses: the request and its traits, the
/// walks of paginated operations (`stream` and `pages` on their `Call`),
/// event streams, multipart bodies, query styles and the decoders.
fn calls_runtime_items(api: &Api, has_query_tables: bool) -> Vec<TokenStream> {
    let ops = &api.operations;
    let has_operations = !ops.is_empty();
    let paged = ops.iter().any(|op| op.pagination.is_some());
    let streams = ops.iter().any(|op| op.event_stream().is_some());
    let streams_with_setters = ops
        .iter()
        .any(|op| op.event_stream().is_some() && has_setters(api, op));
    let several = ops
        .iter()
        .any(|op| matches!(op.success_kind(), Success::Several(_)));
    let not_only_streams = ops.iter().any(|op| !op.streams_only());
    let multipart = ops
        .iter()
        .filter_map(|op| op.body.as_ref())
        .any(|body| body.encoding == BodyEncoding::Multipart);
    let json = ops.iter().any(|op| {
        matches!(op.success_kind(), Success::One(SuccessBody::Json(_)))
            || op
                .event_stream()
                .is_some_and(|stream| stream.item.is_some())
    });
    let text = ops
        .iter()
        .any(|op| matches!(op.success_kind(), Success::One(SuccessBody::Text)));
    let json_path_values = ops
        .iter()
        .flat_map(|op| &op.path_params)
        .any(|p| p.value == PathValue::Json);
    wanted(&[
        ("Call", paged || ops.iter().any(|op| has_setters(api, op))),
        ("Client", has_operations),
        ("DecodeFailure", has_operations),
        ("Events", streams_with_setters),
        ("Framing", streams),
        ("ItemStream", paged),
        ("Multipart", multipart),
        ("Operation", not_only_streams),
        ("OperationRequest", has_operations),
        ("OperationSuccess", several),
        ("Page", paged),
        ("Pages", paged),
        ("Payload", not_only_streams),
        ("StreamOperation", streams),
        ("Style", has_query_tables),
        ("decode_json", json),
        ("decode_text", text),
        ("parameter_text", json_path_values),
    ])
}
