//! Step 3b: operations → the client.
//!
//! The client has a fixed part, the runtime (the `runtime/` crate:
//! configuration, sending with retries, errors, query encoding,
//! pagination), copied into the generated crate as it is (by the
//! generator's `runtime_files`), and a part generated from the IR:
//!
//! - `errors.rs` ([`errors`]): one enum per operation with one variant per
//!   documented non-2xx status;
//! - `responses.rs` ([`responses`]), only where needed: one enum per
//!   operation whose 2xx statuses give back different things;
//! - `operations.rs` ([`methods`], [`streams`]): the per-operation
//!   methods on `Client` and the pagination streams and pages; [`examples`]
//!   writes their doc examples;
//! - `calls.rs` ([`methods`]): each operation's request type, what its
//!   method returns a `Call` of, with its query-style table;
//! - `webhooks.rs` ([`webhooks`]), only where the document has webhooks or
//!   callbacks: the `Event` enum and `verify`/`unwrap`, over the runtime's
//!   `webhooks` module (copied only then).
//!
//! Like `emit_types`, this reads only the IR. Names it adds (error enums
//! and their variants) come from the one sanitiser in `names`.

mod auth;
mod errors;
mod examples;
mod methods;
mod responses;
mod streams;
mod webhooks;

pub(crate) use errors::errors_file;
pub(crate) use methods::operations_file;
pub(crate) use responses::{responses_file, success_enum_name};
pub(crate) use webhooks::webhooks_file;

use crate::ir::{Api, TypeRef};
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;

/// Module declarations and re-exports that `lib.rs` needs for the client:
/// `responses` and the runtime's `File` and `Payload` only where used.
pub(crate) fn lib_items(api: &Api) -> TokenStream {
    let responses = responses::success_enums(api, &error_enum_names(api));
    let responses_module = (!responses.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod responses;
        }
    });
    let mut exports = vec![
        quote! { BuildError },
        quote! { Call },
        quote! { CallInfo },
        quote! { Client },
        quote! { ClientBuilder },
        quote! { Error },
    ];
    let streams = api.operations.iter().any(|op| op.event_stream().is_some());
    if streams {
        exports.extend([quote! { EventStream }, quote! { Events }]);
    }
    if uses_binary(api) {
        exports.push(quote! { File });
    }
    exports.extend([
        quote! { ItemStream },
        quote! { Middleware },
        quote! { Page },
        quote! { Pages },
        quote! { Payload },
        quote! { RequestOptions },
        quote! { Response },
        quote! { ResponseMeta },
    ]);
    if streams {
        exports.push(quote! { ServerEvent });
    }
    exports.push(quote! { install_tls_provider });
    let webhooks_module = (!api.webhooks.is_empty()).then(|| {
        quote! {
            #[cfg(feature = "webhooks")]
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    quote! {
        #[rustfmt::skip]
        pub mod calls;
        #[rustfmt::skip]
        pub mod errors;
        #[rustfmt::skip]
        mod operations;
        #responses_module
        #webhooks_module
        #[doc(hidden)]
        #[rustfmt::skip]
        pub mod runtime;

        #[rustfmt::skip]
        pub use runtime::{#(#exports),*};

        /// The HTTP crate the client is built on, re-exported so that its
        /// types in this crate's API ([`Middleware`] sees a
        /// `reqwest::Request` and its headers, [`ClientBuilder::http_client`]
        /// takes a `reqwest::Client`, [`Client::base_url`] is a
        /// `reqwest::Url`) need no dependency of your own.
        pub use reqwest;
        /// The JSON crate of the models' free-form values
        /// (`serde_json::Value`) and of encoding and decoding them,
        /// re-exported so that they need no dependency of your own.
        pub use serde_json;
    }
}

/// Whether a type or a body of the API is a file ([`TypeRef::Binary`]).
pub(crate) fn uses_binary(api: &Api) -> bool {
    fn mentions(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Binary => true,
            TypeRef::Array(inner)
            | TypeRef::Map(inner)
            | TypeRef::Boxed(inner)
            | TypeRef::Nullable(inner) => mentions(inner),
            _ => false,
        }
    }
    api.types.values().any(|def| match &def.kind {
        crate::ir::TypeKind::Struct(s) => s
            .fields
            .iter()
            .chain(&s.additional)
            .any(|f| mentions(&f.ty)),
        crate::ir::TypeKind::Union(variants) => variants.iter().any(|v| mentions(&v.ty)),
        crate::ir::TypeKind::Alias(ty) => mentions(ty),
        crate::ir::TypeKind::Enum(_) | crate::ir::TypeKind::Constants(_) => false,
    })
}

/// A sentence for the crate docs pointing at the client.
pub(crate) const LIB_DOC: &str = "The client is [`Client`], with one method per operation; each returns a \
     [`Call`] to await, with per-call options ([`RequestOptions`]) and the response's metadata \
     ([`Call::send_with_response`]). Each operation's request type is in [`calls`], and its \
     documented error responses are in [`errors`].";

/// What the generated crate is called and where the client reads its
/// settings from.
pub(crate) struct ClientNames<'a> {
    /// The library name used in doc examples (`use {lib_name}::Client`).
    pub lib_name: &'a str,
    /// Prefix of the environment variables `Client::from_env` reads.
    pub env_prefix: &'a str,
}

/// The Rust type of a type expression, as seen from a module that imports
/// `crate::types` (named types are written `types::Name`).
pub(crate) fn type_path(ty: &TypeRef) -> TokenStream {
    crate::emit_types::type_tokens_with(ty, &quote! { types:: })
}

/// Whether a type expression mentions a named type.
pub(crate) fn mentions_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner)
        | TypeRef::Map(inner)
        | TypeRef::Boxed(inner)
        | TypeRef::Nullable(inner) => mentions_named(inner),
        _ => false,
    }
}

/// The name of each operation's request type in `calls`, in operation
/// order.
pub(crate) fn call_type_names(api: &Api) -> Vec<String> {
    names::call_type_names(api.operations.iter().map(|op| op.id.as_str()))
}

/// The name of each operation's error enum (`{OperationId}Error`), in
/// operation order, unique within the `errors` module.
pub(crate) fn error_enum_names(api: &Api) -> Vec<String> {
    names::error_enum_names(api.operations.iter().map(|op| op.id.as_str()))
}
