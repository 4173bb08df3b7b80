//! Operations: parameters, request bodies, responses and pagination.
//!
//! Every operation's types are named after its operationId:
//! `{Op}Params` (query parameters), `{Op}Request` (request body) and
//! `{Op}Response` (success body). Where the body is a component, the
//! operation's name is an alias for it, unless the two names are the same.

use super::schema::{Lowered, nullable_type};
use super::{Lowering, examples, path_segment};
use crate::docs;
use crate::error::{Error, Result};
use crate::ir::{
    BodyEncoding, Field, HeaderParam, Method, Operation, PathParam, QueryParam, QueryParams,
    QueryStyle, RequestBody, Response, Status, StructDef, TypeDef, TypeKind, TypeRef,
};
use crate::media::{is_text_media_type, json_media, request_media};
use crate::names::{self, Namespace};
use crate::pointer::join;
use crate::refs::SchemaRef;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, StatusCode};

impl<'a> Lowering<'a> {
    /// Lowers every operation, in path then method order.
    pub(super) fn lower_operations(&mut self, doc: &'a OpenAPI) -> Result<Vec<Operation>> {
        let mut operations = Vec::new();
        let mut method_names = Namespace::new();
        let mut ids = self.operation_ids.clone().into_iter();
        for (path, item) in &doc.paths.paths {
            let path_pointer = join("#/paths", &[path]);
            let ReferenceOr::Item(item) = item else {
                return Err(Error::unsupported(
                    &path_pointer,
                    "path items given by `$ref` are not followed",
                ));
            };
            for (method, op) in item.iter() {
                let pointer = join(&path_pointer, &[method]);
                let id = ids
                    .next()
                    .unwrap_or_else(|| names::default_operation_id(method, path));
                let method = parse_method(method);
                let context = OperationContext {
                    id: &id,
                    path,
                    pointer: &pointer,
                    path_level: &item.parameters,
                    path_pointer: &path_pointer,
                };
                let mut operation = self.lower_operation(&context, op, method)?;
                (operation.security_keys, operation.security) =
                    super::security::operation_security(doc, op.security.as_deref(), &pointer)?;
                operation.method_name = method_names.claim(names::field_name(&id));
                operations.push(operation);
            }
        }
        Ok(operations)
    }

    fn lower_operation(
        &mut self,
        context: &OperationContext<'a, '_>,
        op: &'a openapiv3::Operation,
        method: Method,
    ) -> Result<Operation> {
        let id = context.id;
        let (path_params, query) = self.lower_parameters(context, &op.parameters)?;
        let body = match &op.request_body {
            Some(body) => {
                Some(self.lower_request_body(id, body, &join(context.pointer, &["requestBody"]))?)
            }
            None => None,
        };
        let responses = self.lower_responses(id, op, context.pointer)?;
        let mut operation = Operation {
            id: id.to_owned(),
            method_name: String::new(),
            method,
            path: context.path.to_owned(),
            pointer: context.pointer.to_owned(),
            summary: op.summary.clone(),
            docs: op
                .description
                .as_deref()
                .and_then(docs::markdown)
                .or_else(|| op.summary.as_deref().and_then(docs::markdown)),
            path_params,
            query,
            body,
            responses,
            pagination: None,
            security: Vec::new(),
            security_keys: Vec::new(),
        };
        operation.pagination = self.declared_pagination(&operation, &op.extensions)?;
        Ok(operation)
    }

    fn lower_parameters(
        &mut self,
        context: &OperationContext<'a, '_>,
        own: &'a [ReferenceOr<Parameter>],
    ) -> Result<(Vec<PathParam>, Option<QueryParams>)> {
        let all = self.effective_parameters(context, own)?;

        let mut path_params = Vec::new();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        let mut path_names = Namespace::new();
        let mut query_names = Namespace::new();
        let params_type = format!("{}Params", names::type_name(context.id));
        for (parameter, at) in &all {
            let data = parameter.parameter_data_ref();
            let (schema, schema_at, json_text) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (schema, join(at, &["schema"]), false),
                ParameterSchemaOrContent::Content(content) => {
                    let (media_type, schema) = json_content(parameter, content, at)?;
                    (schema, join(at, &["content", media_type, "schema"]), true)
                }
            };
            let hint = format!("{}_{}", context.id, data.name);
            let lowered = self.lower_schema_ref(schema.into(), &schema_at, &hint)?;
            match parameter {
                Parameter::Path { .. } => path_params.push(PathParam {
                    name: path_names.claim(names::field_name(&data.name)),
                    wire_name: data.name.clone(),
                    docs: data.description.as_deref().and_then(docs::markdown),
                    value: path_segment::path_value(&self.types, &lowered.ty).map_err(
                        |reason| {
                            Error::unsupported(
                                at,
                                format!("path parameter `{}`: {reason}", data.name),
                            )
                        },
                    )?,
                    ty: lowered.ty,
                    pointer: at.clone(),
                }),
                Parameter::Query { style, .. } => {
                    let style = if json_text {
                        QueryStyle::Json
                    } else {
                        query_style(style, data.explode)
                    };
                    query.push((
                        QueryParam {
                            field: query_names.claim(names::field_name(&data.name)),
                            wire_name: data.name.clone(),
                            style,
                            required: data.required,
                            ty: lowered.ty.clone(),
                            pointer: at.clone(),
                        },
                        lowered,
                        data.description.as_deref().and_then(docs::markdown),
                    ));
                }
                Parameter::Header { .. } => {
                    if data.name.eq_ignore_ascii_case("content-type")
                        || data.name.eq_ignore_ascii_case("authorization")
                    {
                        // Ignored, as OpenAPI says: the body and the
                        // security scheme set these.
                        continue;
                    }
                    if http::HeaderName::from_bytes(data.name.as_bytes()).is_err() {
                        return Err(Error::invalid(
                            &join(at, &["name"]),
                            format!("`{}` is not a valid header name", data.name),
                        ));
                    }
                    headers.push((
                        HeaderParam {
                            field: query_names.claim(names::field_name(&data.name)),
                            wire_name: data.name.clone(),
                            required: data.required,
                            ty: lowered.ty.clone(),
                            pointer: at.clone(),
                        },
                        lowered,
                        data.description.as_deref().and_then(docs::markdown),
                    ));
                }
                Parameter::Cookie { .. } => {
                    return Err(Error::unsupported(
                        at,
                        format!(
                            "cookie parameter `{}`: cookie parameters are not generated",
                            data.name
                        ),
                    ));
                }
            }
        }

        let path_params = order_path_params(context, path_params)?;
        let query = if query.is_empty() && headers.is_empty() {
            None
        } else {
            Some(self.define_query_params(context, params_type, query, headers))
        };
        Ok((path_params, query))
    }

    /// The operation's parameters with their pointers: path-level ones,
    /// overridden by operation-level ones with the same name and location.
    fn effective_parameters(
        &self,
        context: &OperationContext<'a, '_>,
        own: &'a [ReferenceOr<Parameter>],
    ) -> Result<Vec<(&'a Parameter, String)>> {
        let mut all: Vec<(&'a Parameter, String)> = Vec::new();
        let levels = [
            (
                context.path_level,
                join(context.path_pointer, &["parameters"]),
            ),
            (own, join(context.pointer, &["parameters"])),
        ];
        for (list, base) in levels {
            for (index, item) in list.iter().enumerate() {
                let at = join(&base, &[&index.to_string()]);
                let resolved = self.resolver.parameter(item, &at)?;
                let key = (
                    location(resolved.item),
                    &resolved.item.parameter_data_ref().name,
                );
                all.retain(|(p, _)| (location(p), &p.parameter_data_ref().name) != key);
                all.push((resolved.item, resolved.pointer));
            }
        }
        Ok(all)
    }

    /// Defines the `{Op}Params` struct of the query parameters.
    fn define_query_params(
        &mut self,
        context: &OperationContext<'a, '_>,
        params_type: String,
        query: Vec<(QueryParam, Lowered, Option<String>)>,
        headers: Vec<(HeaderParam, Lowered, Option<String>)>,
    ) -> QueryParams {
        let type_name = self.type_names.claim(params_type);
        let field = |name: &str,
                     wire: &str,
                     docs: Option<String>,
                     ty: &TypeRef,
                     required,
                     lowered: &Lowered,
                     pointer: &str| Field {
            name: name.to_owned(),
            wire_name: wire.to_owned(),
            docs,
            ty: ty.clone(),
            required,
            nullable: lowered.nullable,
            sensitive: false,
            read_only: false,
            write_only: false,
            default: None,
            pointer: pointer.to_owned(),
        };
        let mut fields: Vec<Field> = query
            .iter()
            .map(|(param, lowered, docs)| {
                field(
                    &param.field,
                    &param.wire_name,
                    docs.clone(),
                    &param.ty,
                    param.required,
                    lowered,
                    &param.pointer,
                )
            })
            .collect();
        fields.extend(headers.iter().map(|(param, lowered, docs)| {
            let sent = format!("Sent as the `{}` header.", param.wire_name);
            let docs = Some(match docs {
                Some(docs) => format!("{docs}\n\n{sent}"),
                None => sent,
            });
            field(
                &param.field,
                &param.wire_name,
                docs,
                &param.ty,
                param.required,
                lowered,
                &param.pointer,
            )
        }));
        let what = if headers.is_empty() {
            "Query parameters"
        } else if query.is_empty() {
            "Header parameters"
        } else {
            "Query and header parameters"
        };
        let pointer = join(context.pointer, &["parameters"]);
        self.types.insert(
            type_name.clone(),
            TypeDef {
                name: type_name.clone(),
                pointer,
                component: None,
                docs: Some(format!("{what} of `{}`.", context.id)),
                kind: TypeKind::Struct(StructDef {
                    fields,
                    additional: None,
                }),
                has_default: false,
            },
        );
        QueryParams {
            type_name,
            params: query.into_iter().map(|(p, _, _)| p).collect(),
            headers: headers.into_iter().map(|(p, _, _)| p).collect(),
        }
    }

    fn lower_request_body(
        &mut self,
        id: &str,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Result<RequestBody> {
        let resolved = self.resolver.request_body(body, pointer)?;
        let (content_type, media, mut encoding) = request_media(&resolved.item.content)
            .ok_or_else(|| {
                Error::invalid(
                    &join(&resolved.pointer, &["content"]),
                    "a request body must offer at least one media type",
                )
            })?;
        let schema_pointer = join(&resolved.pointer, &["content", content_type, "schema"]);
        let name = format!("{}Request", names::type_name(id));
        let docs = resolved
            .item
            .description
            .as_deref()
            .and_then(docs::markdown);
        if encoding == BodyEncoding::Text && self.is_binary_schema(media, &schema_pointer)? {
            // Text media type, but the schema says the body is bytes.
            encoding = BodyEncoding::Binary;
        }
        let ty = match (encoding, &media.schema) {
            // Bytes and text are sent as they are, whatever their schema.
            (BodyEncoding::Binary, _) => TypeRef::Binary,
            (BodyEncoding::Text, _) => TypeRef::String { format: None },
            // JSON of any shape.
            (BodyEncoding::Json, None) => TypeRef::Any,
            (_, Some(schema)) => {
                self.lower_operation_type(&name, schema.into(), &schema_pointer, docs.clone())?
            }
            (_, None) => {
                return Err(Error::unsupported(
                    &join(&resolved.pointer, &["content", content_type]),
                    format!("a request body of type `{content_type}` without a schema"),
                ));
            }
        };
        if encoding == BodyEncoding::Multipart
            && crate::ir::multipart_structs(&self.types, &ty).is_none()
        {
            return Err(Error::unsupported(
                &schema_pointer,
                "a multipart body's schema must be an object with properties (one part each), \
                 or a `oneOf` of such objects",
            ));
        }
        Ok(RequestBody {
            content_type: content_type.to_owned(),
            encoding,
            ty,
            required: resolved.item.required,
            docs,
            schema_pointer,
            example: examples::first(&self.resolver, media),
        })
    }

    fn lower_responses(
        &mut self,
        id: &str,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Vec<Response>> {
        let base = join(pointer, &["responses"]);
        let mut entries: Vec<(Status, &'a ReferenceOr<openapiv3::Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, item)| {
                let (status, key) = match code {
                    StatusCode::Code(c) => (Status::Code(*c), c.to_string()),
                    StatusCode::Range(r) => (Status::Range(*r), format!("{r}XX")),
                };
                (status, item, join(&base, &[&key]))
            })
            .collect();
        if let Some(default) = &op.responses.default {
            entries.push((Status::Default, default, join(&base, &["default"])));
        }
        entries.sort_by_key(|(status, _, _)| *status);

        let first_success = entries.iter().map(|(s, _, _)| *s).find(|s| s.is_success());
        let mut responses = Vec::with_capacity(entries.len());
        for (status, item, at) in entries {
            let resolved = self.resolver.response(item, &at)?;
            let docs = docs::markdown(&resolved.item.description);
            let mut body = None;
            let mut schema_pointer = None;
            let mut example = None;
            if let Some((content_type, media)) = json_media(&resolved.item.content) {
                example = examples::first(&self.resolver, media);
                if media.schema.is_none() {
                    // JSON of any shape.
                    body = Some(TypeRef::Any);
                }
                if let Some(schema) = &media.schema {
                    let at = join(&resolved.pointer, &["content", content_type, "schema"]);
                    let name = if Some(status) == first_success {
                        format!("{}Response", names::type_name(id))
                    } else if let Some(component) = resolved.component {
                        format!("{}Body", names::type_name(component))
                    } else {
                        // `GetThing404Response`, `GetThing4XXResponse`,
                        // `GetThingDefaultResponse`.
                        let status = match status {
                            Status::Default => "Default".to_owned(),
                            other => other.to_string(),
                        };
                        format!("{}{status}Response", names::type_name(id))
                    };
                    let shared = resolved.component.is_some() && Some(status) != first_success;
                    body = Some(if shared {
                        // A shared response's body keeps one type for all
                        // operations that refer to it.
                        self.lower_schema_ref(schema.into(), &at, &name)?
                            .into_type()
                    } else {
                        self.lower_operation_type(&name, schema.into(), &at, docs.clone())?
                    });
                    schema_pointer = Some(at);
                }
            }
            let content = &resolved.item.content;
            let mut text = body.is_none() && !content.is_empty();
            for (media_type, media) in content {
                let at = join(&resolved.pointer, &["content", media_type, "schema"]);
                text &= is_text_media_type(media_type) && !self.is_binary_schema(media, &at)?;
            }
            responses.push(Response {
                status,
                docs,
                body,
                text,
                media_types: content.keys().cloned().collect(),
                schema_pointer,
                example,
            });
        }
        Ok(responses)
    }

    /// Whether the schema of a media type, after `$ref`s, is a string of
    /// `format: binary` (bytes, whatever the media type says).
    fn is_binary_schema(&self, media: &'a openapiv3::MediaType, pointer: &str) -> Result<bool> {
        let Some(schema) = &media.schema else {
            return Ok(false);
        };
        let resolved = self.resolver.schema(schema.into(), pointer)?;
        Ok(match &resolved.item.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) => matches!(
                &string.format,
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
            ),
            openapiv3::SchemaKind::Any(any) => any.format.as_deref() == Some("binary"),
            _ => false,
        })
    }

    /// Lowers a body schema so that the operation's name for it (`name`)
    /// exists: the type itself, or an alias to what the schema names.
    fn lower_operation_type(
        &mut self,
        name: &str,
        schema: SchemaRef<'a>,
        pointer: &str,
        docs: Option<String>,
    ) -> Result<TypeRef> {
        let Lowered { ty, nullable } = self.lower_schema_ref(schema, pointer, name)?;
        // A body that may be `null` is an `Option` of its type.
        if ty == TypeRef::Named(name.to_owned()) {
            return Ok(nullable_type(ty, nullable));
        }
        let ty = nullable_type(ty, nullable);
        if self.type_names.contains(name) {
            // The name is taken (by a component of the same name, or by a
            // type created for the schema itself): no alias is needed.
            return Ok(ty);
        }
        let alias = self.type_names.claim(name.to_owned());
        self.types.insert(
            alias.clone(),
            TypeDef {
                name: alias.clone(),
                pointer: pointer.to_owned(),
                component: None,
                docs: docs
                    .or_else(|| Some(format!("The body type of this operation (`{alias}`)."))),
                kind: TypeKind::Alias(ty),
                has_default: false,
            },
        );
        Ok(TypeRef::Named(alias))
    }
}

/// What an operation's lowering needs to know about its place.
pub(super) struct OperationContext<'a, 'p> {
    id: &'p str,
    path: &'a str,
    pointer: &'p str,
    path_level: &'a [ReferenceOr<Parameter>],
    path_pointer: &'p str,
}

pub(super) fn parse_method(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// The media type and schema of a parameter described by `content`: a
/// query parameter with one JSON media type is sent as JSON text; anything
/// else is refused at its pointer.
fn json_content<'a>(
    parameter: &Parameter,
    content: &'a indexmap::IndexMap<String, openapiv3::MediaType>,
    at: &str,
) -> Result<(&'a str, &'a ReferenceOr<Schema>)> {
    let at = join(at, &["content"]);
    if !matches!(parameter, Parameter::Query { .. }) {
        return Err(Error::unsupported(
            &at,
            format!(
                "a {} parameter described by `content` instead of `schema` (only query \
                 parameters with a JSON media type are)",
                location(parameter)
            ),
        ));
    }
    if content.len() != 1 {
        return Err(Error::invalid(
            &at,
            format!(
                "a parameter's `content` must have exactly one media type, not {}",
                content.len()
            ),
        ));
    }
    let Some((media_type, media)) = json_media(content) else {
        let media_type = content.keys().next().map_or("", String::as_str);
        return Err(Error::unsupported(
            &join(&at, &[media_type]),
            format!(
                "a query parameter of media type `{media_type}`: only JSON media types are sent \
                 (as JSON text)"
            ),
        ));
    };
    let schema = media.schema.as_ref().ok_or_else(|| {
        Error::unsupported(
            &join(&at, &[media_type]),
            "a query parameter's JSON media type without a schema",
        )
    })?;
    Ok((media_type, schema))
}

fn location(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Puts path parameters in template order and checks that template and
/// declarations agree.
fn order_path_params(
    context: &OperationContext<'_, '_>,
    mut declared: Vec<PathParam>,
) -> Result<Vec<PathParam>> {
    let mut ordered = Vec::with_capacity(declared.len());
    let mut rest = context.path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(Error::invalid(
                context.pointer,
                "unclosed `{` in the path template",
            ));
        };
        let name = &rest[start + 1..start + len];
        let Some(index) = declared.iter().position(|p| p.wire_name == name) else {
            return Err(Error::invalid(
                &join(context.pointer, &["parameters"]),
                format!("path parameter `{name}` is in the template but not declared"),
            ));
        };
        ordered.push(declared.remove(index));
        rest = &rest[start + len + 1..];
    }
    if let Some(extra) = declared.first() {
        return Err(Error::invalid(
            &extra.pointer,
            format!(
                "path parameter `{}` is declared but not in the template",
                extra.wire_name
            ),
        ));
    }
    Ok(ordered)
}

/// The IR's style of a query parameter.
fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    // `explode` defaults to true only for `form`.
    let explode = explode.unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
    let delimited = |separator| {
        if explode {
            QueryStyle::Form { explode: true }
        } else {
            QueryStyle::Delimited { separator }
        }
    };
    match style {
        openapiv3::QueryStyle::Form => QueryStyle::Form { explode },
        // Only the exploded form is defined, and documents often leave
        // `explode` out.
        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
        openapiv3::QueryStyle::SpaceDelimited => delimited(' '),
        openapiv3::QueryStyle::PipeDelimited => delimited('|'),
    }
}
