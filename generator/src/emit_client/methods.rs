//! The `operations` and `calls` modules: one method per operation on
//! `Client` (in `operations`), returning a `Call` of the operation's
//! request type (in `calls`, with its query-style table, how it builds its
//! request and reads its success body, and the setters of its optional
//! arguments). The walks of paginated operations (`Call::stream`,
//! `Call::pages` and their `{method}_stream` / `{method}_pages`) are in
//! `streams`.
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

use super::auth::{self, ClientScheme};
use super::examples::{self, Example};
use super::streams::Walk;
use super::{ClientNames, error_enum_names, type_path};
use crate::emit_types::{doc_attrs, ident};
use crate::error::{Error, Result};
use crate::ir::{
    Api, BodyEncoding, EventStreamBody, Framing, Method, Operation, PathParam, PathValue,
    QueryStyle, RequestBody, Success, SuccessBody, TypeKind, TypeRef,
};
use crate::names::{self, Namespace};
use crate::pointer::join;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

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
    let default_base_url = api.servers.first().cloned().unwrap_or_default();
    let base_url_doc = if default_base_url.is_empty() {
        " The spec names no server, so a base URL must be given to the builder.".to_owned()
    } else {
        " The spec's first server: the base URL used unless the builder is given another."
            .to_owned()
    };
    let base_url_env = format!("{}_BASE_URL", names.env_prefix);
    let multipart = multipart_impls(api);
    let request_id = api
        .request_id_header
        .as_ref()
        .map(|name| quote! { .request_id_header(#name) });
    let (builder_docs, from_env_docs) = auth::builder_docs(&schemes, &base_url_env);
    let api_key_env = auth::api_key_env(&schemes);
    let schemes_module = auth::schemes_module(&schemes);
    let setters = auth::builder_setters(api, &schemes);
    let declare_schemes = (!schemes.is_empty()).then(|| quote! { .security_schemes(schemes::ALL) });
    let operations_imports = operations_imports(api);
    let calls = calls_file(api, &tables, &multipart, &calls);
    let operations = quote! {
        //! One method per operation on [`Client`], generated from the spec.

        #operations_imports

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

        #setters

        #schemes_module

        #(#methods)*
    };
    Ok(ClientFiles { operations, calls })
}

/// `calls.rs`: the request type of each operation, with the query-style
/// tables and the multipart encoders they use.
fn calls_file(
    api: &Api,
    tables: &[TokenStream],
    multipart: &[TokenStream],
    calls: &[TokenStream],
) -> TokenStream {
    let (crate_items, runtime_items) = imports(api, !tables.is_empty());
    let crate_import =
        (!crate_items.is_empty()).then(|| quote! { use crate::{#(#crate_items),*}; });
    let method_import = (!api.operations.is_empty()).then(|| quote! { use reqwest::Method; });
    let runtime_import =
        (!runtime_items.is_empty()).then(|| quote! { use crate::runtime::{#(#runtime_items),*}; });
    quote! {
        //! The request of each operation: what a [client method](crate::Client)
        //! returns a [call](crate::Call) of. A `Call` is sent by awaiting it;
        //! before that, the setters of the operation's optional arguments
        //! (below, on each `Call<'_, Operation>`) and the per-call options of
        //! [`crate::Call`] apply.

        #runtime_import
        #crate_import
        #method_import

        #(#tables)*

        #(#multipart)*

        #(#calls)*
    }
}

/// What `operations.rs` uses: the runtime's client types, `Call`, and the
/// crate modules the method signatures name.
fn operations_imports(api: &Api) -> TokenStream {
    let has_operations = !api.operations.is_empty();
    let mut runtime_items = vec![quote! { BuildError }];
    if has_operations {
        runtime_items.push(quote! { Call });
    }
    runtime_items.extend([quote! { Client }, quote! { ClientBuilder }]);
    let paged = api.operations.iter().any(|op| op.pagination.is_some());
    if api.operations.iter().any(|op| op.event_stream().is_some()) {
        runtime_items.push(quote! { Events });
    }
    if paged {
        runtime_items.extend([quote! { ItemStream }, quote! { Pages }]);
    }
    let mut crate_items = Vec::new();
    if has_operations {
        crate_items.push(quote! { calls });
    }
    if paged {
        crate_items.push(quote! { errors });
    }
    let uses_types = api.operations.iter().any(|op| {
        op.path_params
            .iter()
            .any(|p| matches!(p.ty, TypeRef::Named(_)))
            || op.body.as_ref().is_some_and(|body| {
                body.required && !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text)
            })
            || params_required(api, op)
            || op.pagination.is_some()
    });
    if uses_types {
        crate_items.push(quote! { types });
    }
    let crate_import =
        (!crate_items.is_empty()).then(|| quote! { use crate::{#(#crate_items),*}; });
    quote! {
        use crate::runtime::{#(#runtime_items),*};
        #crate_import
    }
}

/// What `calls.rs` uses from the crate (`errors`, `types`, `responses`)
/// and from the runtime: only what some operation needs, so no import is
/// unused.
fn imports(api: &Api, has_query_tables: bool) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let uses_types = api.operations.iter().any(|op| {
        op.query.is_some()
            || op.body.as_ref().is_some_and(|body| {
                !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text)
            })
            || op.responses.iter().any(|r| {
                r.status.is_success() && r.body.as_ref().is_some_and(super::mentions_named)
            })
            || op
                .path_params
                .iter()
                .any(|p| matches!(p.ty, TypeRef::Named(_)))
            || op
                .event_stream()
                .and_then(|stream| stream.item.as_ref())
                .is_some_and(super::mentions_named)
    });
    let has_operations = !api.operations.is_empty();
    let streams = api.operations.iter().any(|op| op.event_stream().is_some());
    let streams_with_setters = api
        .operations
        .iter()
        .any(|op| op.event_stream().is_some() && has_setters(api, op));
    let several = api
        .operations
        .iter()
        .any(|op| matches!(op.success_kind(), Success::Several(_)));
    let mut crate_items = Vec::new();
    if has_operations {
        crate_items.push(quote! { errors });
    }
    if several {
        crate_items.push(quote! { responses });
    }
    if uses_types {
        crate_items.push(quote! { types });
    }
    if api.operations.iter().any(|op| !op.security_keys.is_empty()) {
        crate_items.push(quote! { operations::schemes });
    }
    // Paginated operations have `stream` and `pages` on their `Call`.
    let paged = api.operations.iter().any(|op| op.pagination.is_some());
    let mut runtime_items = Vec::new();

    if paged || api.operations.iter().any(|op| has_setters(api, op)) {
        runtime_items.push(quote! { Call });
    }
    if has_operations {
        runtime_items.extend([quote! { Client }, quote! { DecodeFailure }]);
    }
    if streams_with_setters {
        runtime_items.push(quote! { Events });
    }
    if streams {
        runtime_items.push(quote! { Framing });
    }
    if paged {
        runtime_items.push(quote! { ItemStream });
    }
    if api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .any(|body| body.encoding == BodyEncoding::Multipart)
    {
        runtime_items.push(quote! { Multipart });
    }
    if api.operations.iter().any(|op| !op.streams_only()) {
        runtime_items.push(quote! { Operation });
    }
    if has_operations {
        runtime_items.push(quote! { OperationRequest });
    }
    if several {
        runtime_items.push(quote! { OperationSuccess });
    }
    if paged {
        runtime_items.extend([quote! { Page }, quote! { Pages }]);
    }
    if api.operations.iter().any(|op| !op.streams_only()) {
        runtime_items.push(quote! { Payload });
    }
    if streams {
        runtime_items.push(quote! { StreamOperation });
    }
    if has_query_tables {
        runtime_items.push(quote! { Style });
    }
    if api.operations.iter().any(|op| {
        matches!(op.success_kind(), Success::One(SuccessBody::Json(_)))
            || op
                .event_stream()
                .is_some_and(|stream| stream.item.is_some())
    }) {
        runtime_items.push(quote! { decode_json });
    }
    if api
        .operations
        .iter()
        .any(|op| matches!(op.success_kind(), Success::One(SuccessBody::Text)))
    {
        runtime_items.push(quote! { decode_text });
    }
    let json_path_values = api.operations.iter().flat_map(|op| &op.path_params);
    if json_path_values
        .into_iter()
        .any(|p| p.value == PathValue::Json)
    {
        runtime_items.push(quote! { parameter_text });
    }
    (crate_items, runtime_items)
}

/// Whether an operation's query and header parameters must be given: some
/// field of its parameters struct is required.
pub(super) fn params_required(api: &Api, op: &Operation) -> bool {
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
pub(super) fn events_method_name(op: &Operation) -> Option<String> {
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

/// What awaiting a call of an event stream gives, for docs.
fn events_output(stream: &EventStreamBody) -> String {
    let item = match &stream.item {
        Some(ty) => format!("`{}`", type_path(ty).to_string().replace(' ', "")),
        None => "`String` (the data as text)".to_owned(),
    };
    let what = match stream.framing {
        Framing::Sse => "server-sent events",
        Framing::JsonLines => "JSON lines",
    };
    format!(
        "an [`EventStream`](crate::EventStream) of the {what} ([`ServerEvent`](crate::ServerEvent)s \
         of {item})"
    )
}

/// How a path parameter is taken and written into the path.
pub(super) enum PathArg {
    /// `&str`, written as is.
    Str,
    /// A number or boolean by value, written with `to_string`.
    Display(TokenStream),
    /// A `&types::Enum`, written as its wire value.
    Enum(TokenStream),
    /// A `&types::T` whose JSON form is a scalar, written as that scalar.
    Json(TokenStream),
}

/// Everything needed to emit one operation.
pub(super) struct OperationEmitter<'a> {
    pub(super) api: &'a Api,
    pub(super) op: &'a Operation,
    pub(super) error_type: TokenStream,
    pub(super) error_name: String,
    /// The request type's name in `calls`.
    pub(super) call_name: String,
    pub(super) names: &'a ClientNames<'a>,
    /// The spec's security schemes, as the client names them.
    pub(super) schemes: &'a [ClientScheme<'a>],
    pub(super) path_args: Vec<(&'a PathParam, PathArg, Ident)>,
    pub(super) body_arg: Option<Ident>,
    pub(super) params_arg: Option<Ident>,
    /// Whether the parameters are a required argument (some field is
    /// required) rather than set with `.params(..)`.
    pub(super) params_required: bool,
    /// Names still free for locals of the stream method.
    pub(super) locals: Namespace,
}

impl<'a> OperationEmitter<'a> {
    fn new(
        api: &'a Api,
        op: &'a Operation,
        error_name: &str,
        call_name: String,
        names: &'a ClientNames<'a>,
        schemes: &'a [ClientScheme<'a>],
    ) -> Result<Self> {
        let mut args = Namespace::new();
        for reserved in ["self", "Self"] {
            args.reserve(reserved);
        }
        let mut path_args = Vec::new();
        for param in &op.path_params {
            let kind = match param.value {
                PathValue::Text => PathArg::Str,
                PathValue::Scalar => PathArg::Display(type_path(&param.ty)),
                PathValue::Enum => PathArg::Enum(type_path(&param.ty)),
                PathValue::Json => PathArg::Json(type_path(&param.ty)),
            };
            let name = args.claim(param.name.clone());
            path_args.push((param, kind, ident(&name)));
        }
        let body_arg = op
            .body
            .as_ref()
            .map(|_| ident(&args.claim("body".to_owned())));
        let params_arg = op
            .query
            .as_ref()
            .map(|_| ident(&args.claim("params".to_owned())));
        let error_type = {
            let name = ident(error_name);
            quote! { errors::#name }
        };
        Ok(Self {
            api,
            op,
            error_type,
            error_name: error_name.to_owned(),
            call_name,
            names,
            schemes,
            path_args,
            body_arg,
            params_arg,
            params_required: params_required(api, op),
            locals: args,
        })
    }

    /// The `const` listing how each query parameter is written.
    fn query_table(&self) -> Option<TokenStream> {
        let query = self.op.query.as_ref().filter(|q| !q.params.is_empty())?;
        let name = self.table_name();
        let entries = query.params.iter().map(|param| {
            let wire = &param.wire_name;
            let style = match param.style {
                QueryStyle::DeepObject => quote! { Style::DeepObject },
                QueryStyle::Form { explode } => quote! { Style::Form { explode: #explode } },
                QueryStyle::Delimited { separator } => {
                    quote! { Style::Delimited { separator: #separator } }
                }
                QueryStyle::Json => quote! { Style::Json },
            };
            quote! { (#wire, #style), }
        });
        let doc = format!(" How each query parameter of `{}` is written.", self.op.id);
        Some(quote! {
            #[doc = #doc]
            const #name: &[(&str, Style)] = &[#(#entries)*];
        })
    }

    fn table_name(&self) -> Ident {
        format_ident!(
            "{}_QUERY",
            names::unraw(&self.op.method_name).to_uppercase()
        )
    }

    /// The Rust type of the body as the request holds it (behind `&`).
    fn body_type(body: &RequestBody) -> TokenStream {
        match body.encoding {
            BodyEncoding::Binary => quote! { [u8] },
            BodyEncoding::Text => quote! { str },
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                type_path(&body.ty)
            }
        }
    }

    /// The parameters struct's type.
    pub(super) fn params_type(&self) -> Option<TokenStream> {
        let query = self.op.query.as_ref()?;
        Some(type_path(&TypeRef::Named(query.type_name.clone())))
    }

    /// Whether the request type borrows (has a lifetime).
    pub(super) fn borrows(&self) -> bool {
        self.op.body.is_some()
            || self.op.query.is_some()
            || self
                .path_args
                .iter()
                .any(|(_, kind, _)| !matches!(kind, PathArg::Display(_)))
    }

    /// The path arguments, each `name: type` with references of lifetime
    /// `lifetime`.
    pub(super) fn path_arguments(&self, lifetime: &TokenStream) -> Vec<TokenStream> {
        self.path_args
            .iter()
            .map(|(_, kind, name)| match kind {
                PathArg::Str => quote! { #name: &#lifetime str },
                PathArg::Display(ty) => quote! { #name: #ty },
                PathArg::Enum(ty) | PathArg::Json(ty) => quote! { #name: &#lifetime #ty },
            })
            .collect()
    }

    /// The required arguments after `&self`, as the method declares them
    /// (references of lifetime `'a`).
    pub(super) fn arguments(&self) -> Vec<TokenStream> {
        let lifetime = quote! { 'a };
        let mut out = self.path_arguments(&lifetime);
        if let (Some(body), Some(name)) = (&self.op.body, &self.body_arg) {
            if body.required {
                let ty = Self::body_type(body);
                out.push(quote! { #name: &'a #ty });
            }
        }
        if let (Some(ty), Some(name), true) =
            (self.params_type(), &self.params_arg, self.params_required)
        {
            out.push(quote! { #name: &'a #ty });
        }
        out
    }

    /// The request type's name (in `calls`).
    pub(super) fn call_type_name(&self) -> Ident {
        ident(&self.call_name)
    }

    /// The request type as `operations.rs` names it: `calls::Name<'a>`.
    fn call_type(&self) -> TokenStream {
        let name = self.call_type_name();
        if self.borrows() {
            quote! { calls::#name<'a> }
        } else {
            quote! { calls::#name }
        }
    }

    /// Tokens calling the method through `client` with the path arguments
    /// `path` (expressions), the parameters `params` (a `&P` expression)
    /// and no body: what the stream methods send.
    pub(super) fn call_tokens(
        &self,
        client: &Ident,
        path: &[TokenStream],
        params: &TokenStream,
    ) -> TokenStream {
        let method = ident(&self.op.method_name);
        if self.params_required {
            quote! { #client.#method(#(#path,)* #params) }
        } else {
            quote! { #client.#method(#(#path),*).params(#params) }
        }
    }

    /// Whether a field of a struct is an `Option`.
    fn field_is_optional(&self, type_name: &str, field: &str) -> bool {
        match self.api.types.get(type_name).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => {
                s.fields.iter().any(|f| f.name == field && f.is_optional())
            }
            _ => true,
        }
    }

    /// The `Accept` header when it is not `application/json`: the media
    /// types of the 2xx responses, when some success body is not JSON.
    fn accept(&self) -> Option<String> {
        if matches!(
            self.op.success_kind(),
            Success::One(SuccessBody::Json(_) | SuccessBody::Empty)
        ) {
            return None;
        }
        let mut types: Vec<&str> = Vec::new();
        for response in self.op.responses.iter().filter(|r| r.status.is_success()) {
            for media in &response.media_types {
                if !types.contains(&media.as_str()) {
                    types.push(media);
                }
            }
        }
        (!types.is_empty() && types != ["application/json"]).then(|| types.join(", "))
    }

    /// The path as a list of segment expressions.
    fn segments(&self) -> Vec<TokenStream> {
        self.op
            .path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                if !segment.contains('{') {
                    return quote! { #segment };
                }
                if let Some(wire) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    if !wire.contains(['{', '}']) {
                        return self.segment_value(wire);
                    }
                }
                // Split `pre{a}mid{b}` into literal text and parameters.
                let mut format = String::new();
                let mut positional = Vec::new();
                let mut rest = segment;
                while let Some(start) = rest.find('{') {
                    let end = rest[start..].find('}').map_or(rest.len(), |n| start + n);
                    format.push_str(&escape_braces(&rest[..start]));
                    let wire = rest[start + 1..end].trim_end_matches('}');
                    match self.path_args.iter().find(|(p, _, _)| p.wire_name == wire) {
                        Some((_, PathArg::Str | PathArg::Display(_), name))
                            if !name.to_string().starts_with("r#") =>
                        {
                            format.push_str(&format!("{{{name}}}"));
                        }
                        Some((_, PathArg::Enum(_), name)) => {
                            format.push_str("{}");
                            positional.push(quote! { #name.as_str() });
                        }
                        Some((_, PathArg::Json(_), name)) => {
                            format.push_str("{}");
                            positional.push(quote! { parameter_text(#name) });
                        }
                        Some((_, _, name)) => {
                            format.push_str("{}");
                            positional.push(quote! { #name });
                        }
                        // The lowering checks that template and declarations agree.
                        None => format.push_str(&escape_braces(&format!("{{{wire}}}"))),
                    }
                    rest = rest.get(end + 1..).unwrap_or("");
                }
                format.push_str(&escape_braces(rest));
                quote! { format!(#format #(, #positional)*).as_str() }
            })
            .collect()
    }

    /// The `&str` expression for a path parameter (by its template name).
    fn segment_value(&self, wire: &str) -> TokenStream {
        match self.path_args.iter().find(|(p, _, _)| p.wire_name == wire) {
            Some((_, PathArg::Str, name)) => quote! { #name },
            Some((_, PathArg::Display(_), name)) => quote! { #name.to_string().as_str() },
            Some((_, PathArg::Enum(_), name)) => quote! { #name.as_str() },
            Some((_, PathArg::Json(_), name)) => quote! { parameter_text(#name).as_str() },
            // The lowering checks that template and declarations agree.
            None => quote! { #wire },
        }
    }

    /// The `Client` method: takes the required arguments, returns the
    /// `Call` of the request type.
    fn method(&self) -> TokenStream {
        let name = ident(&self.op.method_name);
        let args = self.arguments();
        let call_type = self.call_type();
        let call_name = self.call_type_name();
        let fields = self.call_fields();
        let docs = doc_attrs(Some(&self.method_docs()));
        let generics = self.borrows().then(|| quote! { <'a> });
        let (receiver, call_lifetime) = if self.borrows() {
            (quote! { &'a self }, quote! { 'a })
        } else {
            (quote! { &self }, quote! { '_ })
        };
        if self.op.streams_only() {
            return quote! {
                #docs
                pub fn #name #generics(#receiver, #(#args),*) -> Call<#call_lifetime, Events<#call_type>> {
                    Call::new(self, Events(calls::#call_name { #(#fields),* }))
                }
            };
        }
        quote! {
            #docs
            pub fn #name #generics(#receiver, #(#args),*) -> Call<#call_lifetime, #call_type> {
                Call::new(self, calls::#call_name { #(#fields),* })
            }
        }
    }

    /// `{method}_stream` (or `_events`), for an operation that offers an
    /// event stream beside another body.
    fn events_method(&self) -> Option<TokenStream> {
        let events_name = events_method_name(self.op)?;
        let stream = self.op.event_stream()?;
        let name = ident(&events_name);
        let args = self.arguments();
        let call_type = self.call_type();
        let call_name = self.call_type_name();
        let fields = self.call_fields();
        let generics = self.borrows().then(|| quote! { <'a> });
        let (receiver, call_lifetime) = if self.borrows() {
            (quote! { &'a self }, quote! { 'a })
        } else {
            (quote! { &self }, quote! { '_ })
        };
        let method = names::unraw(&self.op.method_name);
        let docs = doc_attrs(Some(&format!(
            "[`Client::{method}`], asking for its event stream instead (`Accept: {}`): the \
             same arguments (and the same optional ones, set on the returned [`Call`]).\n\n\
             # Returns\n\n\
             A [`Call`]: awaiting it sends the request and gives {} once the response's head \
             has come; the events are read as they arrive. [`Call::send_with_response`] gives \
             the status, headers and request id too.\n\n\
             # Errors\n\n\
             As [`Client::{method}`] for the response; each event whose data does not match \
             its type is [`Error::Event`](crate::Error::Event), with its number.\n\n\
             # Example\n\n{}",
            stream.media_type,
            events_output(stream),
            self.events_example(&events_name),
        )));
        Some(quote! {
            #docs
            pub fn #name #generics(#receiver, #(#args),*) -> Call<#call_lifetime, Events<#call_type>> {
                Call::new(self, Events(calls::#call_name { #(#fields),* }))
            }
        })
    }

    /// The doc example of `{method}_stream`.
    fn events_example(&self, events_name: &str) -> String {
        let example = Example::for_operation(self.api, self.op, self.names.lib_name);
        let call = self.call_expression(&example).replacen(
            &format!("client.{}(", self.op.method_name),
            &format!("client.{events_name}("),
            1,
        );
        example.render_events(&call)
    }

    /// The request type's fields as a method fills them: its required
    /// arguments, `None` for the optional ones.
    fn call_fields(&self) -> Vec<TokenStream> {
        let mut fields: Vec<TokenStream> = self
            .path_args
            .iter()
            .map(|(_, _, name)| quote! { #name })
            .collect();
        if let (Some(body), Some(arg)) = (&self.op.body, &self.body_arg) {
            fields.push(if body.required {
                quote! { #arg }
            } else {
                quote! { #arg: None }
            });
        }
        if let Some(arg) = &self.params_arg {
            fields.push(if self.params_required {
                quote! { #arg }
            } else {
                quote! { #arg: None }
            });
        }
        fields
    }

    /// The request type in `calls`: its arguments, how it builds its
    /// request and reads its success body, and the setters of its optional
    /// arguments (with `walks`, the `Call` methods of its walks).
    fn call_items(&self, walks: Vec<TokenStream>) -> TokenStream {
        let op = self.op;
        let name = self.call_type_name();
        let (generics, anonymous) = if self.borrows() {
            (quote! { <'a> }, quote! { <'_> })
        } else {
            (quote! {}, quote! {})
        };
        let mut fields = self.path_arguments(&quote! { 'a });
        let mut bindings: Vec<TokenStream> = self
            .path_args
            .iter()
            .map(|(_, _, name)| quote! { #name })
            .collect();
        let mut setters = Vec::new();
        if let (Some(body), Some(arg)) = (&op.body, &self.body_arg) {
            let ty = Self::body_type(body);
            bindings.push(quote! { #arg });
            if body.required {
                fields.push(quote! { #arg: &'a #ty });
            } else {
                fields.push(quote! { #arg: Option<&'a #ty> });
                let docs = body.docs.as_deref().unwrap_or("The request body.");
                let doc = doc_attrs(Some(&format!(
                    "Sends this request body (optional: without it, none is sent).\n\n{docs}"
                )));
                setters.push(quote! {
                    #doc
                    pub fn body(mut self, body: &'a #ty) -> Self {
                        self.operation_mut().#arg = Some(body);
                        self
                    }
                });
            }
        }
        if let (Some(ty), Some(arg)) = (self.params_type(), &self.params_arg) {
            bindings.push(quote! { #arg });
            if self.params_required {
                fields.push(quote! { #arg: &'a #ty });
            } else {
                fields.push(quote! { #arg: Option<&'a #ty> });
                let doc = doc_attrs(Some(&format!(
                    "Sends these query and header parameters (all optional: fields left `None` are \
                     not sent; see [`types::{}`]).",
                    q_type(op)
                )));
                setters.push(quote! {
                    #doc
                    pub fn params(mut self, params: &'a #ty) -> Self {
                        self.operation_mut().#arg = Some(params);
                        self
                    }
                });
            }
        }
        let http_method = http_method(op.method);
        let segments = self.segments();
        let params_calls = self.params_arg.as_ref().map(|params| {
            let query = op.query.as_ref();
            let table = self.table_name();
            let string = query
                .is_some_and(|q| !q.params.is_empty())
                .then(|| quote! { .query(#params, #table) });
            let headers = query.iter().flat_map(|q| &q.headers).map(|header| {
                let wire = &header.wire_name;
                let field = ident(&header.field);
                if self.field_is_optional(&q_type(op), &header.field) {
                    quote! { .header_opt(#wire, #params.#field.as_ref()) }
                } else {
                    quote! { .header(#wire, &#params.#field) }
                }
            });
            let calls = quote! { #string #(#headers)* };
            if self.params_required {
                calls
            } else {
                quote! { .with(#params, |request, #params| request #calls) }
            }
        });
        let body = match (&op.body, &self.body_arg) {
            (Some(body), Some(arg)) => Some(body_call(body, arg)),
            _ => None,
        };
        let accept = self
            .accept()
            .filter(|_| !op.streams_only())
            .map(|accept| quote! { .accept(#accept) });
        let auth = auth::auth_call(self.schemes, op);
        let (output, decode) = match op.success_kind() {
            Success::One(SuccessBody::Json(ty)) => (
                type_path(ty),
                quote! { fn decode(_status: u16, body: Payload) -> Result<Self::Output, DecodeFailure> {
                    decode_json(&body.bytes)
                } },
            ),
            Success::One(SuccessBody::Empty) => (
                quote! { () },
                quote! { fn decode(_status: u16, _body: Payload) -> Result<Self::Output, DecodeFailure> {
                    Ok(())
                } },
            ),
            Success::One(SuccessBody::Text) => (
                quote! { String },
                quote! { fn decode(_status: u16, body: Payload) -> Result<Self::Output, DecodeFailure> {
                    decode_text(&body)
                } },
            ),
            Success::One(SuccessBody::Raw) => (
                quote! { Payload },
                quote! { fn decode(_status: u16, body: Payload) -> Result<Self::Output, DecodeFailure> {
                    Ok(body)
                } },
            ),
            // Read by `StreamOperation` below.
            Success::One(SuccessBody::Events(_)) => (quote! {}, quote! {}),
            Success::Several(_) => {
                let success = ident(&super::success_enum_name(&self.error_name));
                (
                    quote! { responses::#success },
                    quote! { fn decode(status: u16, body: Payload) -> Result<Self::Output, DecodeFailure> {
                        responses::#success::from_response(status, body)
                    } },
                )
            }
        };
        let error_type = &self.error_type;
        let id = &op.id;
        let path = &op.path;
        let destructure = (!bindings.is_empty()).then(|| {
            quote! { let Self { #(#bindings),* } = self; }
        });
        let client_var = ident(&self.locals.clone().claim("client".to_owned()));
        let method = names::unraw(&op.method_name);
        let doc = doc_attrs(Some(&format!(
            "The request of [`Client::{method}`](crate::Client::{method}) (`{} {}`): its \
             arguments, as given. Await the [call](crate::Call) the method returns to send it.",
            op.method.as_str(),
            op.path
        )));
        let streams_only = op.streams_only();
        // The optional arguments, on a call of the event stream too.
        let events_setters_impl = (op.event_stream().is_some() && !setters.is_empty()).then(|| {
            let call_type = if self.borrows() {
                quote! { <'a> Call<'a, Events<#name<'a>>> }
            } else {
                quote! { Call<'_, Events<#name>> }
            };
            quote! {
                impl #call_type {
                    #(#setters)*
                }
            }
        });
        setters.extend(walks);
        let setters_impl = (!setters.is_empty() && !streams_only).then(|| {
            let call_type = if self.borrows() {
                quote! { <'a> Call<'a, #name<'a>> }
            } else {
                quote! { Call<'_, #name> }
            };
            quote! {
                impl #call_type {
                    #(#setters)*
                }
            }
        });
        let fields_block = if fields.is_empty() {
            quote! { ; }
        } else {
            let fields = fields.iter().map(|field| quote! { pub(crate) #field, });
            quote! { { #(#fields)* } }
        };
        let build = quote! {
            #destructure
            OperationRequest::new(#client_var, #http_method, &[#(#segments),*])
                #auth
                #params_calls
                #accept
                #body
        };
        let operation_impl = (!streams_only).then(|| {
            quote! {
                impl Operation for #name #anonymous {
                    type Output = #output;
                    type Error = #error_type;
                    const ID: &'static str = #id;
                    const PATH: &'static str = #path;

                    fn request<'c>(self, #client_var: &'c Client) -> OperationRequest<'c> {
                        #build
                    }

                    #decode
                }
            }
        });
        let stream_impl = op.event_stream().map(|stream| {
            let (item, decode_item) = match &stream.item {
                Some(ty) => (type_path(ty), quote! { decode_json(data.as_bytes()) }),
                None => (quote! { String }, quote! { Ok(data.to_owned()) }),
            };
            let media_type = &stream.media_type;
            let framing = match stream.framing {
                Framing::Sse => quote! { Framing::Sse },
                Framing::JsonLines => quote! { Framing::JsonLines },
            };
            let request = if streams_only {
                build.clone()
            } else {
                quote! { Operation::request(self, #client_var) }
            };
            quote! {
                impl StreamOperation for #name #anonymous {
                    type Item = #item;
                    type Error = #error_type;
                    const ID: &'static str = #id;
                    const PATH: &'static str = #path;
                    const MEDIA_TYPE: &'static str = #media_type;
                    const FRAMING: Framing = #framing;

                    fn stream_request<'c>(self, #client_var: &'c Client) -> OperationRequest<'c> {
                        #request
                    }

                    fn decode_item(data: &str) -> Result<Self::Item, DecodeFailure> {
                        #decode_item
                    }
                }
            }
        });
        quote! {
            #doc
            #[derive(Debug, Clone)]
            pub struct #name #generics #fields_block

            #operation_impl

            #stream_impl

            #setters_impl

            #events_setters_impl
        }
    }

    fn method_docs(&self) -> String {
        let op = self.op;
        let mut text = String::new();
        // The summary leads unless the description already starts with it.
        let summary = op.summary.as_deref().and_then(crate::docs::markdown);
        let repeated = |docs: &String| {
            summary
                .as_deref()
                .is_some_and(|s| docs.starts_with(s.trim_end_matches('.')))
        };
        match (&summary, &op.docs) {
            (Some(_), Some(docs)) if repeated(docs) => text.push_str(docs),
            (Some(summary), Some(docs)) => {
                text.push_str(summary);
                push_paragraph(&mut text, docs);
            }
            (Some(only), None) | (None, Some(only)) => text.push_str(only),
            (None, None) => {}
        }
        push_paragraph(
            &mut text,
            &format!(
                "`{} {}` (operation `{}`).",
                op.method.as_str(),
                op.path,
                op.id
            ),
        );
        let mut arguments = Vec::new();
        for (param, _, name) in &self.path_args {
            let docs = param.docs.as_deref().unwrap_or("A path parameter.");
            arguments.push(format!(
                "- `{}`: {}",
                names::unraw(&name.to_string()),
                sentence(&one_line(docs))
            ));
        }
        let mut optional = Vec::new();
        if let (Some(body), Some(name)) = (&op.body, &self.body_arg) {
            let docs = sentence(&one_line(
                body.docs.as_deref().unwrap_or("The request body."),
            ));
            if body.required {
                arguments.push(format!("- `{name}`: {docs}"));
            } else {
                optional.push(format!(
                    "- `.body(&body)`: {docs} Without it, no body is sent."
                ));
            }
        }
        if let Some(query) = &op.query {
            let what = format!(
                // The link names its target: `operations.rs` imports
                // `types` only where a signature uses it.
                "the query and header parameters; fields left `None` are not sent (see \
                 [`types::{name}`](crate::types::{name})).",
                name = query.type_name
            );
            match &self.params_arg {
                Some(name) if self.params_required => {
                    arguments.push(format!("- `{name}`: {what}"));
                }
                _ => optional.push(format!("- `.params(&params)`: {what}")),
            }
        }
        if !arguments.is_empty() {
            push_paragraph(&mut text, "# Arguments");
            push_paragraph(&mut text, &arguments.join("\n"));
        }
        if !optional.is_empty() {
            push_paragraph(&mut text, "# Optional arguments");
            push_paragraph(
                &mut text,
                &format!(
                    "Set on the returned [`Call`] before awaiting it:\n\n{}",
                    optional.join("\n")
                ),
            );
        }
        let output = match op.success_kind() {
            Success::One(SuccessBody::Json(ty)) => {
                format!("`{}`", type_path(ty).to_string().replace(' ', ""))
            }
            Success::One(SuccessBody::Empty) => "`()`".to_owned(),
            Success::One(SuccessBody::Text) => {
                "the body as text (`String`, decoded with the charset of its `Content-Type`)"
                    .to_owned()
            }
            Success::One(SuccessBody::Raw) => {
                "the body as it came ([`Payload`](crate::Payload))".to_owned()
            }
            Success::One(SuccessBody::Events(stream)) => format!(
                "{}, once the response's head has come (the events are read as they arrive)",
                events_output(stream)
            ),
            Success::Several(_) => format!(
                "[`responses::{0}`](crate::responses::{0})",
                super::success_enum_name(&self.error_name)
            ),
        };
        push_paragraph(&mut text, "# Returns");
        push_paragraph(
            &mut text,
            &format!(
                "A [`Call`]: awaiting it sends the request and gives {output}. Per-call options \
                 ([`Call::timeout`], [`Call::max_retries`], [`Call::deadline`], \
                 [`Call::idempotency_key`], [`Call::extra_header`], …) go before the `.await`; \
                 [`Call::send_with_response`] gives the status, headers and request id too."
            ),
        );
        push_paragraph(&mut text, "# Errors");
        let documented: Vec<String> = op
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
            .map(|r| format!("`{}`", r.status))
            .collect();
        let error_type = self.error_type.to_string().replace(' ', "");
        // `operations.rs` imports `errors` only for its pagination methods.
        let error_link = if self.api.operations.iter().any(|op| op.pagination.is_some()) {
            format!("[`{error_type}`]")
        } else {
            format!("[`{error_type}`](crate::{error_type})")
        };
        let mut errors = if documented.is_empty() {
            format!(
                "The operation documents no error status; any error status is \
                 [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) (`E` is {error_link})."
            )
        } else {
            format!(
                "[`Error::Api`](crate::Error::Api) with {error_link} for the documented statuses ({}); \
                 [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) for any other error status.",
                documented.join(", ")
            )
        };
        errors.push_str(
            " [`Error::Decode`](crate::Error::Decode) when a success body does not match its type \
             ([`Error::BodyTooLarge`](crate::Error::BodyTooLarge) past the size limit), and \
             [`Error::Transport`](crate::Error::Transport), [`Error::Timeout`](crate::Error::Timeout) \
             or [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded) when no response arrived.",
        );
        push_paragraph(&mut text, &errors);
        push_paragraph(&mut text, "# Example");
        let example = Example::for_operation(self.api, op, self.names.lib_name);
        push_paragraph(&mut text, &example.render(&self.call_expression(&example)));
        text
    }

    /// The path arguments as a doc example writes them.
    pub(super) fn example_path_args(&self) -> Vec<String> {
        self.path_args
            .iter()
            .map(|(param, kind, _)| match kind {
                PathArg::Str => format!("{:?}", param.wire_name),
                PathArg::Display(_) => examples::scalar_value(self.api, &param.ty),
                PathArg::Enum(_) => format!("&{}", examples::enum_value(self.api, &param.ty)),
                PathArg::Json(_) => format!("&{}", examples::union_value(self.api, &param.ty)),
            })
            .collect()
    }

    /// `client.method(args…)` as the example writes it (the example adds
    /// `.await?`): required arguments, then the parameters' setter when
    /// they are optional.
    fn call_expression(&self, example: &Example) -> String {
        let mut args = self.example_path_args();
        if self.op.body.as_ref().is_some_and(|body| body.required) {
            args.push(format!("&{}", example.body_var()));
        }
        if self.op.query.is_some() && self.params_required {
            args.push("&params".to_owned());
        }
        let mut call = format!("client.{}({})", self.op.method_name, args.join(", "));
        if self.op.query.is_some() && !self.params_required {
            call.push_str(".params(&params)");
        }
        call
    }
}

/// The builder call that adds the body `arg`, by its encoding.
fn body_call(body: &RequestBody, arg: &Ident) -> TokenStream {
    let content_type = crate::media::sent_content_type(&body.content_type);
    let add = |value: TokenStream| match body.encoding {
        BodyEncoding::Json => quote! { .json(#value) },
        BodyEncoding::Form => quote! { .form(#value) },
        BodyEncoding::Multipart => quote! { .multipart(#value.to_multipart()) },
        BodyEncoding::Binary => quote! { .bytes(#content_type, #value) },
        BodyEncoding::Text => quote! { .text(#content_type, #value) },
    };
    if body.required {
        add(quote! { #arg })
    } else if body.encoding == BodyEncoding::Json {
        quote! { .json_opt(#arg) }
    } else {
        let call = add(quote! { #arg });
        quote! { .with(#arg, |request, #arg| request #call) }
    }
}

/// For each multipart body struct, the private method that turns it into
/// its parts: a file field as a file part (each item of a list of files as
/// one), any other field as a text part (each item of a list as one).
fn multipart_impls(api: &Api) -> Vec<TokenStream> {
    let mut done = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for body in api.operations.iter().filter_map(|op| op.body.as_ref()) {
        if body.encoding != BodyEncoding::Multipart {
            continue;
        }
        let Some((owner, structs)) = crate::ir::multipart_structs(&api.types, &body.ty) else {
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
fn struct_multipart(def: &crate::ir::TypeDef) -> Option<TokenStream> {
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

/// The parameters struct's name.
fn q_type(op: &Operation) -> String {
    op.query
        .as_ref()
        .map(|q| q.type_name.clone())
        .unwrap_or_default()
}

fn http_method(method: Method) -> TokenStream {
    let name = ident(method.as_str());
    quote! { Method::#name }
}

pub(super) fn push_paragraph(text: &mut String, paragraph: &str) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(paragraph);
}

/// Markdown joined onto one line, for list items.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text ending with a full stop.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Text for a `format!` string: braces doubled.
fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}
