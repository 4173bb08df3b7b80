//! [`OperationEmitter`]: everything known about one operation while its
//! items are emitted (its arguments and their names, its error type, the
//! client's security schemes), and the `Client` methods it gets in
//! `operations.rs`.
//!
//! The other files of `methods` add to the same emitter: `request` the
//! operation's request type in `calls.rs`, `docs` the methods' docs; and
//! `streams` (beside `methods`) the pagination walks.

use super::super::auth::ClientScheme;
use super::super::{ClientNames, type_path};
use super::{events_method_name, params_required};
use crate::emit_types::{doc_attrs, ident};
use crate::error::Result;
use crate::ir::{
    Api, BodyEncoding, Operation, PathParam, PathValue, RequestBody, TypeKind, TypeRef,
};
use crate::names::Namespace;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// How a path parameter is taken and written into the path.
pub(crate) enum PathArg {
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
pub(crate) struct OperationEmitter<'a> {
    pub(crate) api: &'a Api,
    pub(crate) op: &'a Operation,
    pub(crate) error_type: TokenStream,
    pub(crate) error_name: String,
    /// The request type's name in `calls`.
    pub(crate) call_name: String,
    pub(crate) names: &'a ClientNames<'a>,
    /// The spec's security schemes, as the client names them.
    pub(crate) schemes: &'a [ClientScheme<'a>],
    pub(crate) path_args: Vec<(&'a PathParam, PathArg, Ident)>,
    pub(crate) body_arg: Option<Ident>,
    pub(crate) params_arg: Option<Ident>,
    /// Whether the parameters are a required argument (some field is
    /// required) rather than set with `.params(..)`.
    pub(crate) params_required: bool,
    /// Names still free for locals of the stream method.
    pub(crate) locals: Namespace,
}

impl<'a> OperationEmitter<'a> {
    pub(super) fn new(
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

    /// The Rust type of the body as the request holds it (behind `&`).
    pub(super) fn body_type(body: &RequestBody) -> TokenStream {
        match body.encoding {
            BodyEncoding::Binary => quote! { [u8] },
            BodyEncoding::Text => quote! { str },
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                type_path(&body.ty)
            }
        }
    }

    /// The parameters struct's type.
    pub(crate) fn params_type(&self) -> Option<TokenStream> {
        let query = self.op.query.as_ref()?;
        Some(type_path(&TypeRef::Named(query.type_name.clone())))
    }

    /// The parameters struct's name (empty when the operation has none).
    pub(super) fn params_type_name(&self) -> String {
        self.op
            .query
            .as_ref()
            .map(|q| q.type_name.clone())
            .unwrap_or_default()
    }

    /// Whether the request type borrows (has a lifetime).
    pub(crate) fn borrows(&self) -> bool {
        self.op.body.is_some()
            || self.op.query.is_some()
            || self
                .path_args
                .iter()
                .any(|(_, kind, _)| !matches!(kind, PathArg::Display(_)))
    }

    /// The path arguments, each `name: type` with references of lifetime
    /// `lifetime`.
    pub(crate) fn path_arguments(&self, lifetime: &TokenStream) -> Vec<TokenStream> {
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
    pub(crate) fn arguments(&self) -> Vec<TokenStream> {
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
    pub(crate) fn call_type_name(&self) -> Ident {
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
    pub(crate) fn call_tokens(
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
    pub(super) fn field_is_optional(&self, type_name: &str, field: &str) -> bool {
        match self.api.types.get(type_name).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => {
                s.fields.iter().any(|f| f.name == field && f.is_optional())
            }
            _ => true,
        }
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

    /// The `Client` method: takes the required arguments, returns the
    /// `Call` of the request type (of `Events` of it when the operation
    /// only streams).
    pub(super) fn method(&self) -> TokenStream {
        let docs = doc_attrs(Some(&self.method_docs()));
        self.client_method(&ident(&self.op.method_name), &docs, self.op.streams_only())
    }

    /// `{method}_stream` (or `_events`), for an operation that offers an
    /// event stream beside another body.
    pub(super) fn events_method(&self) -> Option<TokenStream> {
        let events_name = events_method_name(self.op)?;
        let stream = self.op.event_stream()?;
        let docs = doc_attrs(Some(&self.events_method_docs(stream, &events_name)));
        Some(self.client_method(&ident(&events_name), &docs, true))
    }

    /// A method `name` on `Client` with the required arguments, returning
    /// the `Call` of the request type, or of `Events` of it when `events`.
    fn client_method(&self, name: &Ident, docs: &TokenStream, events: bool) -> TokenStream {
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
        if events {
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
}
