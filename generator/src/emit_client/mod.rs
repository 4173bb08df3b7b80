//! Step 3b: operations → the client.
//!
//! The client has a fixed part, the runtime (the `runtime/` crate:
//! configuration, sending with retries, errors, query encoding,
//! pagination), copied into the generated crate as it is, and a part
//! generated from the IR:
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

/// The runtime's source files: their path in the generated crate and their
/// text, as kept in the `runtime/` crate of this workspace (whose `lib.rs`
/// becomes the generated crate's `src/runtime/mod.rs`).
pub(crate) const RUNTIME_FILES: &[(&str, &str)] = &[
    (
        "src/runtime/mod.rs",
        include_str!("../../../runtime/src/lib.rs"),
    ),
    (
        "src/runtime/auth.rs",
        include_str!("../../../runtime/src/auth.rs"),
    ),
    (
        "src/runtime/body.rs",
        include_str!("../../../runtime/src/body.rs"),
    ),
    (
        "src/runtime/call.rs",
        include_str!("../../../runtime/src/call.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../../runtime/src/client.rs"),
    ),
    (
        "src/runtime/contract.rs",
        include_str!("../../../runtime/src/contract.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../../runtime/src/error.rs"),
    ),
    (
        "src/runtime/middleware.rs",
        include_str!("../../../runtime/src/middleware.rs"),
    ),
    (
        "src/runtime/pagination.rs",
        include_str!("../../../runtime/src/pagination.rs"),
    ),
    (
        "src/runtime/pointer.rs",
        include_str!("../../../runtime/src/pointer.rs"),
    ),
    (
        "src/runtime/query.rs",
        include_str!("../../../runtime/src/query.rs"),
    ),
    (
        "src/runtime/request.rs",
        include_str!("../../../runtime/src/request.rs"),
    ),
    (
        "src/runtime/retry.rs",
        include_str!("../../../runtime/src/retry.rs"),
    ),
    (
        WEBHOOKS_RUNTIME,
        include_str!("../../../runtime/src/webhooks.rs"),
    ),
];

/// The runtime file only a crate with webhooks gets.
const WEBHOOKS_RUNTIME: &str = "src/runtime/webhooks.rs";

/// The line of the runtime's `lib.rs` that declares its `webhooks` module.
const WEBHOOKS_MODULE: &str = "#[cfg(feature = \"webhooks\")]\npub mod webhooks;\n";

/// The runtime files of `api`'s crate, with their text: all of them for
/// an API that sends events; otherwise without the `webhooks` module (the
/// file, and its declaration in `mod.rs`, so that the `webhooks` feature
/// still builds).
pub(crate) fn runtime_files(api: &Api) -> Vec<(&'static str, std::borrow::Cow<'static, str>)> {
    let keep = !api.webhooks.is_empty();
    RUNTIME_FILES
        .iter()
        .filter(|(path, _)| keep || *path != WEBHOOKS_RUNTIME)
        .map(|(path, text)| {
            let text = if !keep && *path == "src/runtime/mod.rs" {
                std::borrow::Cow::Owned(text.replacen(WEBHOOKS_MODULE, "", 1))
            } else {
                std::borrow::Cow::Borrowed(*text)
            };
            (*path, text)
        })
        .collect()
}

/// The line after the `@generated` header of a runtime file, naming the
/// source to edit instead.
pub(crate) fn runtime_origin(path: &str) -> String {
    let file = path.trim_start_matches("src/runtime/");
    let file = if file == "mod.rs" { "lib.rs" } else { file };
    format!("// The client's fixed runtime, copied from runtime/src/{file}.\n")
}

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
        quote! { install_tls_provider },
    ]);
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
