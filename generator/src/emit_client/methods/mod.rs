//! The `operations` and `calls` modules: one method per operation on
//! `Client` (in `operations`), returning a `Call` of the operation's
//! request type (in `calls`, with its query-style table, how it builds its
//! request and reads its success body, and the setters of its optional
//! arguments). The walks of paginated operations (`Call::stream`,
//! `Call::pages` and their `{method}_stream` / `{method}_pages`) are in
//! `streams`, beside this module.
//!
//! An operation whose success body is an event stream (`text/event-stream`,
//! JSON Lines) returns a `Call` of `Events<calls::Op>`, whose await gives an
//! `EventStream`. One that offers a stream beside another body (JSON) has
//! its plain method as usual, plus `{method}_stream` asking for the stream
//! (`{method}_events` when the operation pages, since pagination has
//! `{method}_stream` already), and `Call::events` does the same on a call.
//!
//! Required arguments come in a fixed order: path parameters in template
//! order, then the request body (`&T`) when it is required, then
//! `&{OperationId}Params` when some query or header parameter is required.
//! An optional body or parameters are set on the `Call` with `.body(..)`
//! and `.params(..)`.
//!
//! This module assembles the two files and holds the rules shared by its
//! parts; each operation is emitted by an [`OperationEmitter`]:
//!
//! - `emitter`: the emitter (arguments, names) and the `Client` methods;
//! - `request`: the request type in `calls.rs` and its `Operation` impl
//!   (path, query, headers, body, decoding);
//! - `docs`: the methods' docs;
//! - `multipart`: the `to_multipart` methods of multipart bodies;
//! - `imports`: the files' `use` lines.

mod docs;
mod emitter;
mod imports;
mod multipart;
mod request;

pub(super) use docs::push_paragraph;
pub(super) use emitter::{OperationEmitter, PathArg};

use super::auth::{self, ClientScheme};
use super::streams::Walk;
use super::{ClientNames, error_enum_names};
use crate::error::{Error, Result};
use crate::ir::{Api, Operation, TypeKind};
use crate::names;
use crate::pointer::join;
use proc_macro2::TokenStream;
use quote::quote;

/// Methods of the runtime's `Client` that an operation must not shadow.
const RUNTIME_METHODS: &[&str] = &["builder", "from_env", "base_url"];

/// The tokens of the two files the operations make.
pub(crate) struct ClientFiles {
    /// `operations.rs`: `Client`'s constants, builder and one method per
    /// operation.
    pub operations: TokenStream,
    /// `calls.rs`: each operation's request type.
    pub calls: TokenStream,
}

/// Tokens of `operations.rs` and `calls.rs`.
pub(crate) fn operations_file(api: &Api, names: &ClientNames<'_>) -> Result<ClientFiles> {
    check_method_names(api)?;
    let error_names = error_enum_names(api);
    let call_names = super::call_type_names(api);
    let schemes = auth::client_schemes(api, names);
    let mut tables = Vec::new();
    let mut methods = Vec::new();
    let mut calls = Vec::new();
    for ((op, error_name), call_name) in api.operations.iter().zip(&error_names).zip(call_names) {
        let emitted = OperationEmitter::new(api, op, error_name, call_name, names, &schemes)?;
        tables.extend(emitted.query_table());
        let method = emitted.method();
        let events = emitted.events_method();
        let stream = emitted.stream_methods();
        let pages = emitted.pages_methods();
        let client_walks = stream.iter().chain(&pages).map(|walk| &walk.client);
        methods.push(quote! {
            impl Client {
                #method
                #events
                #(#client_walks)*
            }
        });
        let call_walks = stream.into_iter().chain(pages).map(|walk| walk.call);
        calls.push(emitted.call_items(call_walks.collect()));
    }
    let multipart = multipart::multipart_impls(api);
    let calls = calls_file(api, &tables, &multipart, &calls);
    let operations_imports = imports::operations_imports(api);
    let client = client_impl(api, names, &schemes);
    let setters = auth::builder_setters(api, &schemes);
    let schemes_module = auth::schemes_module(&schemes);
    let operations = quote! {
        //! One method per operation on [`Client`], generated from the spec.

        #operations_imports

        #client

        #setters

        #schemes_module

        #(#methods)*
    };
    Ok(ClientFiles { operations, calls })
}

/// `Client`'s own items: the default base URL and the environment
/// variables it reads, `builder` (declaring the security schemes and the
/// request-id header) and `from_env`.
fn client_impl(api: &Api, names: &ClientNames<'_>, schemes: &[ClientScheme<'_>]) -> TokenStream {
    let default_base_url = api.servers.first().cloned().unwrap_or_default();
    let base_url_doc = if default_base_url.is_empty() {
        " The spec names no server, so a base URL must be given to the builder.".to_owned()
    } else {
        " The spec's first server: the base URL used unless the builder is given another."
            .to_owned()
    };
    let base_url_env = format!("{}_BASE_URL", names.env_prefix);
    let request_id = api
        .request_id_header
        .as_ref()
        .map(|name| quote! { .request_id_header(#name) });
    let (builder_docs, from_env_docs) = auth::builder_docs(schemes, &base_url_env);
    let api_key_env = auth::api_key_env(schemes);
    let declare_schemes = (!schemes.is_empty()).then(|| quote! { .security_schemes(schemes::ALL) });
    quote! {
        impl Client {
            #[doc = #base_url_doc]
            pub const DEFAULT_BASE_URL: &'static str = #default_base_url;
            #api_key_env
            /// The environment variable [`Client::from_env`] reads a base URL from, if set.
            pub const BASE_URL_ENV: &'static str = #base_url_env;

            #builder_docs
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(Self::DEFAULT_BASE_URL)
                    #declare_schemes
                    #request_id
            }

            #from_env_docs
            pub fn from_env() -> Result<Self, BuildError> {
                Self::builder().from_env_lookup(Self::BASE_URL_ENV, |name| std::env::var(name).ok())
            }
        }
    }
}

/// `calls.rs`: the request type of each operation, with the query-style
/// tables and the multipart encoders they use.
fn calls_file(
    api: &Api,
    tables: &[TokenStream],
    multipart: &[TokenStream],
    calls: &[TokenStream],
) -> TokenStream {
    let imports = imports::calls_imports(api, !tables.is_empty());
    quote! {
        //! The request of each operation: what a [client method](crate::Client)
        //! returns a [call](crate::Call) of. A `Call` is sent by awaiting it;
        //! before that, the setters of the operation's optional arguments
        //! (below, on each `Call<'_, Operation>`) and the per-call options of
        //! [`crate::Call`] apply.

        #imports

        #(#tables)*

        #(#multipart)*

        #(#calls)*
    }
}

/// Whether an operation's query and header parameters must be given: some
/// field of its parameters struct is required.
fn params_required(api: &Api, op: &Operation) -> bool {
    let Some(query) = &op.query else {
        return false;
    };
    match api.types.get(&query.type_name).map(|def| &def.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| !f.is_optional()),
        _ => true,
    }
}

/// Whether an operation has optional arguments, set on its `Call`.
fn has_setters(api: &Api, op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|body| !body.required)
        || (op.query.is_some() && !params_required(api, op))
}

/// Method names must not collide with the runtime's or with each other's
/// `_stream` and `_pages` companions (operation names themselves are unique in the IR).
fn check_method_names(api: &Api) -> Result<()> {
    let mut taken: Vec<(String, &Operation)> = Vec::new();
    for op in &api.operations {
        let mut own = vec![op.method_name.clone()];
        if let Some(name) = events_method_name(op) {
            own.push(name);
        }
        if op.pagination.is_some() {
            for walk in Walk::ALL {
                own.push(format!(
                    "{}_{}",
                    names::unraw(&op.method_name),
                    walk.suffix()
                ));
            }
        }
        for name in own {
            let bare = names::unraw(&name).to_owned();
            if RUNTIME_METHODS.contains(&bare.as_str()) {
                return Err(Error::unsupported(
                    &join(&op.pointer, &["operationId"]),
                    format!("the method `{bare}` would shadow the client's own `{bare}`"),
                ));
            }
            if let Some((_, other)) = taken.iter().find(|(n, _)| *n == bare) {
                return Err(Error::unsupported(
                    &join(&op.pointer, &["operationId"]),
                    format!("the method `{bare}` is also generated for `{}`", other.id),
                ));
            }
            taken.push((bare, op));
        }
    }
    Ok(())
}

/// The name of the method asking for an operation's event stream, when it
/// offers one beside another body: `{method}_stream`, or `{method}_events`
/// when the operation pages (its item walk is `{method}_stream`).
fn events_method_name(op: &Operation) -> Option<String> {
    if op.event_stream().is_none() || op.streams_only() {
        return None;
    }
    let suffix = if op.pagination.is_some() {
        "events"
    } else {
        "stream"
    };
    Some(format!("{}_{suffix}", names::unraw(&op.method_name)))
}
