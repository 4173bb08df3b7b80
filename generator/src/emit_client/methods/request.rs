//! An operation's request type in `calls.rs`, and how it becomes an HTTP
//! request: the struct of its arguments, the setters of the optional ones,
//! and its `Operation` (and `StreamOperation`) impl, which builds the
//! request (path, query, headers, `Accept`, credentials, body) and decodes
//! the success body.
//!
//! The emitter's state is in `emitter`; the method that returns a `Call`
//! of this type is there too. The query-style table that `query` names is
//! made here as well, and gathered at the top of `calls.rs` by the parent
//! module.

use super::super::{auth, success_enum_name, type_path};
use super::emitter::{OperationEmitter, PathArg};
use crate::emit_types::{doc_attrs, ident};
use crate::ir::{BodyEncoding, Framing, Method, QueryStyle, RequestBody, Success, SuccessBody};
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The request type's fields and what it does with them.
struct CallArguments {
    /// The struct's fields, `name: type`.
    fields: Vec<TokenStream>,
    /// The names the request builder destructures `self` into.
    bindings: Vec<TokenStream>,
    /// The setters of the optional arguments (`body`, `params`).
    setters: Vec<TokenStream>,
}

impl OperationEmitter<'_> {
    /// The request type in `calls`: its arguments, how it builds its
    /// request and reads its success body, and the setters of its optional
    /// arguments (with `walks`, the `Call` methods of its walks).
    pub(super) fn call_items(&self, walks: Vec<TokenStream>) -> TokenStream {
        let name = self.call_type_name();
        let generics = self.borrows().then(|| quote! { <'a> });
        let CallArguments {
            fields,
            bindings,
            mut setters,
        } = self.call_arguments();
        let client_var = ident(&self.locals.clone().claim("client".to_owned()));
        let build = self.request_build(&bindings, &client_var);
        let operation_impl =
            (!self.op.streams_only()).then(|| self.operation_impl(&build, &client_var));
        let stream_impl = self.stream_impl(&build, &client_var);
        // The optional arguments, on a call of the event stream too.
        let events_setters_impl = (self.op.event_stream().is_some() && !setters.is_empty())
            .then(|| self.call_impl(true, &setters));
        setters.extend(walks);
        let setters_impl = (!setters.is_empty() && !self.op.streams_only())
            .then(|| self.call_impl(false, &setters));
        let fields_block = if fields.is_empty() {
            quote! { ; }
        } else {
            let fields = fields.iter().map(|field| quote! { pub(crate) #field, });
            quote! { { #(#fields)* } }
        };
        let doc = self.call_type_docs();
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

    /// The request type's docs.
    fn call_type_docs(&self) -> TokenStream {
        let op = self.op;
        let method = names::unraw(&op.method_name);
        doc_attrs(Some(&format!(
            "The request of [`Client::{method}`](crate::Client::{method}) (`{} {}`): its \
             arguments, as given. Await the [call](crate::Call) the method returns to send it.",
            op.method.as_str(),
            op.path
        )))
    }

    /// The lifetime the request type's impls name it with: `<'_>` when it
    /// borrows, nothing otherwise.
    fn anonymous_lifetime(&self) -> Option<TokenStream> {
        self.borrows().then(|| quote! { <'_> })
    }

    /// `impl Call<'_, Op> { setters }`, or of `Call<'_, Events<Op>>` when
    /// `events`.
    fn call_impl(&self, events: bool, setters: &[TokenStream]) -> TokenStream {
        let name = self.call_type_name();
        let call_type = match (self.borrows(), events) {
            (true, true) => quote! { <'a> Call<'a, Events<#name<'a>>> },
            (false, true) => quote! { Call<'_, Events<#name>> },
            (true, false) => quote! { <'a> Call<'a, #name<'a>> },
            (false, false) => quote! { Call<'_, #name> },
        };
        quote! {
            impl #call_type {
                #(#setters)*
            }
        }
    }

    /// The request type's fields: the path arguments, then the body and
    /// the parameters (each an `Option` with a setter when optional).
    fn call_arguments(&self) -> CallArguments {
        let mut out = CallArguments {
            fields: self.path_arguments(&quote! { 'a }),
            bindings: self
                .path_args
                .iter()
                .map(|(_, _, name)| quote! { #name })
                .collect(),
            setters: Vec::new(),
        };
        if let (Some(body), Some(arg)) = (&self.op.body, &self.body_arg) {
            let ty = Self::body_type(body);
            out.bindings.push(quote! { #arg });
            if body.required {
                out.fields.push(quote! { #arg: &'a #ty });
            } else {
                out.fields.push(quote! { #arg: Option<&'a #ty> });
                out.setters.push(body_setter(body, &ty, arg));
            }
        }
        if let (Some(ty), Some(arg)) = (self.params_type(), &self.params_arg) {
            out.bindings.push(quote! { #arg });
            if self.params_required {
                out.fields.push(quote! { #arg: &'a #ty });
            } else {
                out.fields.push(quote! { #arg: Option<&'a #ty> });
                out.setters.push(self.params_setter(&ty, arg));
            }
        }
        out
    }

    /// `Call::params`, setting optional parameters.
    fn params_setter(&self, ty: &TokenStream, arg: &Ident) -> TokenStream {
        let doc = doc_attrs(Some(&format!(
            "Sends these query and header parameters (all optional: fields left `None` are \
             not sent; see [`types::{}`]).",
            self.params_type_name()
        )));
        quote! {
            #doc
            pub fn params(mut self, params: &'a #ty) -> Self {
                self.operation_mut().#arg = Some(params);
                self
            }
        }
    }

    /// The body of `request`: `self` destructured into `bindings`, then the
    /// request built on `client_var` step by step.
    fn request_build(&self, bindings: &[TokenStream], client_var: &Ident) -> TokenStream {
        let op = self.op;
        let destructure = (!bindings.is_empty()).then(|| {
            quote! { let Self { #(#bindings),* } = self; }
        });
        let http_method = http_method(op.method);
        let segments = self.segments();
        let auth = auth::auth_call(self.schemes, op);
        let params_calls = self.params_calls();
        let accept = self
            .accept()
            .filter(|_| !op.streams_only())
            .map(|accept| quote! { .accept(#accept) });
        let body = match (&op.body, &self.body_arg) {
            (Some(body), Some(arg)) => Some(body_call(body, arg)),
            _ => None,
        };
        quote! {
            #destructure
            OperationRequest::new(#client_var, #http_method, &[#(#segments),*])
                #auth
                #params_calls
                #accept
                #body
        }
    }

    /// The request's `Operation` impl: its types, ID and path, the request
    /// (`build`) and the decoding of its success body.
    fn operation_impl(&self, build: &TokenStream, client_var: &Ident) -> TokenStream {
        let name = self.call_type_name();
        let anonymous = self.anonymous_lifetime();
        let (output, decode) = self.success_decode();
        let error_type = &self.error_type;
        let id = &self.op.id;
        let path = &self.op.path;
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
    }

    /// What a success gives (`Operation::Output`) and the `decode` reading
    /// it from the body.
    fn success_decode(&self) -> (TokenStream, TokenStream) {
        match self.op.success_kind() {
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
            // Read by `StreamOperation` instead.
            Success::One(SuccessBody::Events(_)) => (quote! {}, quote! {}),
            Success::Several(_) => {
                let success = ident(&success_enum_name(&self.error_name));
                (
                    quote! { responses::#success },
                    quote! { fn decode(status: u16, body: Payload) -> Result<Self::Output, DecodeFailure> {
                        responses::#success::from_response(status, body)
                    } },
                )
            }
        }
    }

    /// The request's `StreamOperation` impl, when it can answer with an
    /// event stream: its item type and framing, the request (`build`, or
    /// the `Operation`'s when it has one) and the decoding of each item.
    fn stream_impl(&self, build: &TokenStream, client_var: &Ident) -> Option<TokenStream> {
        let stream = self.op.event_stream()?;
        let name = self.call_type_name();
        let anonymous = self.anonymous_lifetime();
        let error_type = &self.error_type;
        let id = &self.op.id;
        let path = &self.op.path;
        let (item, decode_item) = match &stream.item {
            Some(ty) => (type_path(ty), quote! { decode_json(data.as_bytes()) }),
            None => (quote! { String }, quote! { Ok(data.to_owned()) }),
        };
        let media_type = &stream.media_type;
        let framing = match stream.framing {
            Framing::Sse => quote! { Framing::Sse },
            Framing::JsonLines => quote! { Framing::JsonLines },
        };
        let request = if self.op.streams_only() {
            build.clone()
        } else {
            quote! { Operation::request(self, #client_var) }
        };
        Some(quote! {
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
        })
    }

    /// The `const` listing how each query parameter is written.
    pub(super) fn query_table(&self) -> Option<TokenStream> {
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

    /// The name of the query-style table: `{METHOD}_QUERY`.
    fn table_name(&self) -> Ident {
        format_ident!(
            "{}_QUERY",
            names::unraw(&self.op.method_name).to_uppercase()
        )
    }

    /// The builder calls that add the query string and the header
    /// parameters (under `.with` when the parameters are optional).
    fn params_calls(&self) -> Option<TokenStream> {
        let params = self.params_arg.as_ref()?;
        let query = self.op.query.as_ref();
        let table = self.table_name();
        let string = query
            .is_some_and(|q| !q.params.is_empty())
            .then(|| quote! { .query(#params, #table) });
        let params_type = self.params_type_name();
        let headers = query.iter().flat_map(|q| &q.headers).map(|header| {
            let wire = &header.wire_name;
            let field = ident(&header.field);
            if self.field_is_optional(&params_type, &header.field) {
                quote! { .header_opt(#wire, #params.#field.as_ref()) }
            } else {
                quote! { .header(#wire, &#params.#field) }
            }
        });
        let calls = quote! { #string #(#headers)* };
        Some(if self.params_required {
            calls
        } else {
            quote! { .with(#params, |request, #params| request #calls) }
        })
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
                self.templated_segment(segment)
            })
            .collect()
    }

    /// A segment mixing text and parameters (`pre{a}mid{b}`), as a
    /// `format!` of the literal text and the parameters.
    fn templated_segment(&self, segment: &str) -> TokenStream {
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
}

/// `Call::body`, setting an optional body `arg` of type `ty`.
fn body_setter(body: &RequestBody, ty: &TokenStream, arg: &Ident) -> TokenStream {
    let docs = body.docs.as_deref().unwrap_or("The request body.");
    let doc = doc_attrs(Some(&format!(
        "Sends this request body (optional: without it, none is sent).\n\n{docs}"
    )));
    quote! {
        #doc
        pub fn body(mut self, body: &'a #ty) -> Self {
            self.operation_mut().#arg = Some(body);
            self
        }
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

/// The `reqwest::Method` constant of an HTTP method.
fn http_method(method: Method) -> TokenStream {
    let name = ident(method.as_str());
    quote! { Method::#name }
}

/// Text for a `format!` string: braces doubled.
fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}
