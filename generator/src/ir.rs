//! The intermediate representation: plain data that the emitters read.
//!
//! It knows nothing of any particular API, of `quote`, or of files. Every
//! name in it is already a valid, unique Rust identifier (see `names`), and
//! every collection is in a fixed order, so emitting is a straight walk.

use std::collections::BTreeMap;

/// A whole API: named types and operations.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, as markdown.
    pub description: Option<String>,
    /// Server URLs in document order.
    pub servers: Vec<String>,
    /// Every named type, keyed (and so ordered) by its Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Operations in document order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
    /// Every example value of the document with the schema it illustrates:
    /// operations' own first (document order), then components.
    pub examples: Vec<Example>,
    /// The Rust names of the component schemas that also admit `null`
    /// (`nullable: true`, `null` among their `enum` values, a union with a
    /// member that admits `null`): where one is used, its type is wrapped
    /// in `Option` (a field's [`Field::nullable`], else
    /// [`TypeRef::Nullable`]); the named type itself never holds `null`.
    pub nullable_types: std::collections::BTreeSet<String>,
    /// What was wrong in the document but read past, in the order found.
    pub warnings: Vec<crate::error::Warning>,
    /// The response header the document declares for a request id (the
    /// first whose name, without case or punctuation, contains
    /// `requestid`), if any: the client reads it before `x-request-id`.
    pub request_id_header: Option<String>,
    /// The security schemes some operation uses, in the order of
    /// `components.securitySchemes`.
    pub security_schemes: Vec<SecurityScheme>,
    /// The events the API sends: `webhooks` (3.1, or `x-webhooks`) in
    /// document order, then operations' `callbacks` in operation order.
    pub webhooks: Vec<Webhook>,
}

/// One event the API sends to its users' servers: a webhook or a callback
/// operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Its name: the key in `webhooks`, or the callback's key (unique among
    /// the webhooks; a repeated one is numbered).
    pub name: String,
    /// The Rust variant name of the generated `webhooks::Event`
    /// (UpperCamelCase, unique).
    pub variant: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// The HTTP method the API sends it with.
    pub method: Method,
    /// `summary`, as plain text.
    pub summary: Option<String>,
    /// `description`, as markdown.
    pub docs: Option<String>,
    /// The JSON payload, if the operation documents one.
    pub body: Option<RequestBody>,
    /// How a payload is recognised as this event; `None` when nothing
    /// tells it apart from the others.
    pub tag: Option<EventTag>,
    /// The signature headers its parameters name.
    pub signature_headers: SignatureHeaderNames,
    /// For a callback: the operationId of the operation that declares it.
    pub callback_of: Option<String>,
}

/// Where an event's payload says which event it is, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTag {
    /// The property names from the payload's root to the tag (`["data",
    /// "event_type"]`).
    pub path: Vec<String>,
    /// The values that mean this event, in document order.
    pub values: Vec<String>,
}

/// The header parameters of a webhook that carry its signature: those
/// with `x-webhook-equivalent: webhook-id` / `webhook-timestamp` /
/// `webhook-signature`, or named so. Names as the document writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureHeaderNames {
    /// The message id header.
    pub id: Option<String>,
    /// The timestamp header.
    pub timestamp: Option<String>,
    /// The signature header.
    pub signature: Option<String>,
}

/// Which of `readOnly`/`writeOnly` applies where a schema is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A request: `readOnly` properties must not be sent.
    Request,
    /// A response: `writeOnly` properties must not appear.
    Response,
    /// A schema on its own (a component): neither rule applies.
    Neutral,
}

/// One example value written in the document.
///
/// Taken from every place OpenAPI allows one: media types of request bodies
/// and responses (`example`, `examples/*/value`, through `$ref`s into
/// `#/components/examples`), parameters (against the parameter's schema)
/// and schema objects at any depth (`example`, and each value of a 3.1
/// `examples` array, against that schema object). An `externalValue` is
/// not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// JSON pointer of the value.
    pub pointer: String,
    /// JSON pointer of the schema the value must satisfy.
    pub schema_pointer: String,
    /// How the schema is used there.
    pub direction: Direction,
    /// The operationId it is written in; `None` for components and
    /// path-level parameters.
    pub operation: Option<String>,
    /// The value.
    pub value: serde_json::Value,
}

/// The struct type `ty` is, seen through aliases and boxes: its
/// definition, whose name is the struct's.
pub fn struct_behind<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    ty: &TypeRef,
) -> Option<&'t TypeDef> {
    let mut ty = ty;
    // Aliases nest; a chain this long is a cycle.
    for _ in 0..32 {
        match ty {
            TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(name) => {
                let def = types.get(name)?;
                match &def.kind {
                    TypeKind::Struct(_) => return Some(def),
                    TypeKind::Alias(target) => ty = target,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    None
}

/// The structs a multipart body's parts come from: the owner's name, and
/// each struct with the union variant that holds it (`None` for a plain
/// struct).
pub type MultipartStructs<'t> = (&'t str, Vec<(Option<&'t str>, &'t TypeDef)>);

/// How a multipart body of type `ty` splits into parts: the struct whose
/// fields are the parts, or, for a union (`oneOf`) of structs, the union's
/// name with each variant and its struct. `None` for any other type.
pub fn multipart_structs<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    ty: &TypeRef,
) -> Option<MultipartStructs<'t>> {
    if let Some(def) = struct_behind(types, ty) {
        return Some((&def.name, vec![(None, def)]));
    }
    let mut ty = ty;
    for _ in 0..32 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let def = types.get(name)?;
        match &def.kind {
            TypeKind::Alias(target) => ty = target,
            TypeKind::Union(variants) => {
                let structs = variants
                    .iter()
                    .map(|v| struct_behind(types, &v.ty).map(|s| (Some(v.name.as_str()), s)))
                    .collect::<Option<Vec<_>>>()?;
                return Some((&def.name, structs));
            }
            _ => return None,
        }
    }
    None
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique).
    pub name: String,
    /// JSON pointer of the schema this type comes from.
    pub pointer: String,
    /// The key in `components.schemas` when the type is a component schema
    /// (as written in the spec, e.g. `ManagedAccount`).
    pub component: Option<String>,
    /// Documentation, as markdown.
    pub docs: Option<String>,
    /// What the type is.
    pub kind: TypeKind,
    /// Whether every field or variant has a sensible default, so that the
    /// type can implement `Default`.
    pub has_default: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string enumeration that keeps unknown values.
    Enum(EnumDef),
    /// One of several shapes (`oneOf`/`anyOf`), told apart by trying each,
    /// or, when every variant has a [`UnionVariant::tag`], by the value of
    /// the `discriminator` property.
    Union(Vec<UnionVariant>),
    /// Another name for a type expression.
    Alias(TypeRef),
    /// An integer, number or boolean enumeration: a newtype of the scalar
    /// (any value is kept) with a constant per documented value.
    Constants(ConstantsDef),
}

/// An enumeration of integers, numbers or booleans.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstantsDef {
    /// The scalar type (`Integer`, `Number` or `Boolean`).
    pub base: TypeRef,
    /// The documented values in document order: the constant's name
    /// (SCREAMING_SNAKE_CASE) and its value.
    pub values: Vec<(String, serde_json::Value)>,
}

/// An object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Properties in document order.
    pub fields: Vec<Field>,
    /// The value type of `additionalProperties` when the object also has
    /// known properties; collected into a map field.
    pub additional: Option<Field>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name (snake_case, possibly `r#`-escaped).
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// Documentation, as markdown.
    pub docs: Option<String>,
    /// The value's type (without the `Option` for optional fields).
    pub ty: TypeRef,
    /// Whether the property must be present.
    pub required: bool,
    /// Whether the value may be `null` (`nullable: true`).
    pub nullable: bool,
    /// Whether the value is a secret that `Debug` must not show.
    pub sensitive: bool,
    /// `readOnly`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only.
    pub write_only: bool,
    /// The schema's `default`, if any.
    pub default: Option<serde_json::Value>,
    /// JSON pointer of the property's schema.
    pub pointer: String,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Known values in document order.
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps any other value.
    pub other_variant: String,
    /// The variant named by the schema's `default`, if any.
    pub default: Option<String>,
}

/// One known value of a string enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The alternative's type.
    pub ty: TypeRef,
    /// In a union with a `discriminator`, the tag values that select this
    /// variant. Either every variant of a union has one (all naming the
    /// same property) or none does.
    pub tag: Option<VariantTag>,
}

/// The discriminator values that select one variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantTag {
    /// The discriminator's `propertyName`.
    pub property: String,
    /// The values of that property that select the variant (the
    /// `mapping` keys naming its member, else the member's component
    /// key). Empty for the one variant that keeps, as a JSON value, any
    /// other value or a payload without the property.
    pub values: Vec<String>,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A string; `format` is kept for documentation and validation.
    String {
        /// The schema's `format`, if any.
        format: Option<String>,
    },
    /// A signed or unsigned integer of the given width.
    Integer {
        /// Width in bits (32 or 64).
        bits: u8,
    },
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// Any JSON value (free-form objects, schemas without a type).
    Any,
    /// A named type from [`Api::types`].
    Named(String),
    /// A list.
    Array(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// A boxed value (breaks recursion in a type that contains itself).
    Boxed(Box<TypeRef>),
    /// A value that may be `null` (`Option<T>`), where the schema admits
    /// `null` in a position that is not a field: an array's items, a map's
    /// values, a body. A field's own nullability is [`Field::nullable`]
    /// instead, so a field's `ty` never starts with this.
    Nullable(Box<TypeRef>),
    /// `type: string, format: binary`: a file's bytes, with the name and
    /// media type a multipart part carries (the runtime's `File`).
    Binary,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// The method's name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation (path + method).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`, as written.
    pub id: String,
    /// The Rust method name (snake_case of the operationId).
    pub method_name: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/things/{id}`.
    pub path: String,
    /// JSON pointer of the operation object.
    pub pointer: String,
    /// `summary`, as plain text.
    pub summary: Option<String>,
    /// `description`, as markdown.
    pub docs: Option<String>,
    /// Path parameters in the order they appear in the template.
    pub path_params: Vec<PathParam>,
    /// Query parameters, gathered into one struct, if there are any.
    pub query: Option<QueryParams>,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// Documented responses, ordered by status.
    pub responses: Vec<Response>,
    /// How the operation pages, if it follows the page-number convention.
    pub pagination: Option<Pagination>,
    /// The credentials it sends: alternatives (the first the client has
    /// is used), each a set sent together; an empty set sends none. No
    /// alternatives: the operation needs no credentials.
    pub security: Vec<Vec<Credential>>,
    /// The same alternatives by scheme: in each place of `security`, the
    /// key of its scheme in [`Api::security_schemes`].
    pub security_keys: Vec<Vec<String>>,
}

impl Operation {
    /// The response documented for a 2xx status (the lowest one).
    pub fn success(&self) -> Option<&Response> {
        self.responses.iter().find(|r| r.status.is_success())
    }

    /// What the method returns: the one thing every 2xx status gives
    /// back, or each status's own.
    pub fn success_kind(&self) -> Success<'_> {
        let successes: Vec<&Response> = self
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .collect();
        let Some(first) = successes.first() else {
            return Success::One(SuccessBody::Empty);
        };
        let body = first.success_body();
        if successes.iter().all(|r| r.success_body() == body) {
            Success::One(body)
        } else {
            Success::Several(successes)
        }
    }
}

/// A security scheme of `components.securitySchemes` that some operation
/// uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes` (`bearerAuth`).
    pub key: String,
    /// What it sends.
    pub credential: Credential,
    /// Its `description`, as markdown.
    pub docs: Option<String>,
    /// JSON pointer of the scheme object.
    pub pointer: String,
}

/// One credential an operation sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The token as `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic authentication.
    Basic,
    /// The token as the value of this header.
    ApiKeyHeader(String),
    /// The token as the value of this query parameter.
    ApiKeyQuery(String),
    /// The token as the value of this cookie (`Cookie: name=token`).
    ApiKeyCookie(String),
}

/// A parameter substituted into the path.
#[derive(Debug, Clone, PartialEq)]
pub struct PathParam {
    /// The Rust argument name.
    pub name: String,
    /// The name in the path template.
    pub wire_name: String,
    /// Documentation, as markdown.
    pub docs: Option<String>,
    /// The parameter's type.
    pub ty: TypeRef,
    /// How its value is written into the path.
    pub value: PathValue,
    /// JSON pointer of the parameter object.
    pub pointer: String,
}

/// How a path parameter's value becomes (part of) a path segment, seen
/// through aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathValue {
    /// A string, written as is.
    Text,
    /// A number or a boolean, written as JSON writes it.
    Scalar,
    /// A named string enumeration, written as its wire value.
    Enum,
    /// A named type whose JSON form is a string, number or boolean (a
    /// union of those), written as that scalar.
    Json,
}

/// The query and header parameters of one operation, gathered into a
/// struct.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryParams {
    /// The name of the generated struct in [`Api::types`].
    pub type_name: String,
    /// One entry per query parameter, in document order.
    pub params: Vec<QueryParam>,
    /// One entry per header parameter, in document order.
    pub headers: Vec<HeaderParam>,
}

/// One header parameter (a field of the parameters struct, sent as a
/// header). `Content-Type` and `Authorization` parameters are not among
/// them: OpenAPI says they are ignored (the body and the security scheme
/// set those headers).
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderParam {
    /// The field name in the parameters struct.
    pub field: String,
    /// The header name as the spec writes it (`Idempotency-Key`).
    pub wire_name: String,
    /// Whether the header must be sent.
    pub required: bool,
    /// The value's type.
    pub ty: TypeRef,
    /// JSON pointer of the parameter object.
    pub pointer: String,
}

/// One query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryParam {
    /// The field name in the parameters struct.
    pub field: String,
    /// The parameter name on the wire.
    pub wire_name: String,
    /// How the value is written into the query string.
    pub style: QueryStyle,
    /// Whether the parameter must be sent.
    pub required: bool,
    /// The value's type.
    pub ty: TypeRef,
    /// JSON pointer of the parameter object.
    pub pointer: String,
}

/// Serialization styles for query parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; arrays repeat the name when `explode` is set, otherwise
    /// join with commas; objects spread their properties when exploded.
    Form {
        /// The `explode` flag.
        explode: bool,
    },
    /// `name[prop]=value`, nesting for nested objects.
    DeepObject,
    /// `spaceDelimited` or `pipeDelimited` without `explode`: an array's
    /// items (an object's keys and values) joined by `separator` (` ` or
    /// `|`). With `explode` these styles are [`QueryStyle::Form`].
    Delimited {
        /// The separator.
        separator: char,
    },
    /// A parameter described by `content` with a JSON media type instead of
    /// a `schema`: `name=` the value as compact JSON text.
    Json,
}

/// How a request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json`, `*+json`): the body type serialized.
    Json,
    /// `application/x-www-form-urlencoded`: each top-level field as a form
    /// parameter.
    Form,
    /// `multipart/form-data`: one part per field of the body struct, a
    /// [`TypeRef::Binary`] field as a file part.
    Multipart,
    /// Bytes as they are (`application/octet-stream`, `*/*`, images...).
    Binary,
    /// Text (`text/plain`, `application/xml`, … as `media` defines text)
    /// whose schema is not `format: binary`: a `&str` sent as it is.
    Text,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type, as the spec writes it (`application/json`).
    pub content_type: String,
    /// How the body is written.
    pub encoding: BodyEncoding,
    /// The body's type ([`TypeRef::Binary`] for bytes, a string for text).
    pub ty: TypeRef,
    /// Whether a body must be sent.
    pub required: bool,
    /// Documentation, as markdown.
    pub docs: Option<String>,
    /// JSON pointer of the body's schema.
    pub schema_pointer: String,
    /// The body's first example (`example`, else the first of `examples`,
    /// else the schema's own `example`).
    pub example: Option<serde_json::Value>,
}

/// A response status as written in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One exact status code.
    Code(u16),
    /// A range such as `4XX` (the digit is the hundreds).
    Range(u16),
    /// `default`: any status not otherwise documented.
    Default,
}

impl Status {
    /// Whether the status is in the 2xx range.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(hundreds) => hundreds == 2,
            Status::Default => false,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(hundreds) => write!(f, "{hundreds}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// What a success response gives back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SuccessBody<'a> {
    /// No body.
    Empty,
    /// A JSON body of this type.
    Json(&'a TypeRef),
    /// A text body (a text media type whose schema is not `format:
    /// binary`), decoded with the charset its `Content-Type` names.
    Text,
    /// A body that is neither JSON nor text, returned as bytes with its
    /// content type.
    Raw,
}

/// What an operation's method returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum Success<'a> {
    /// Every 2xx status gives back the same thing (nothing, when the
    /// operation documents no 2xx status).
    One(SuccessBody<'a>),
    /// The 2xx statuses give back different things: an enum with one
    /// variant per status.
    Several(Vec<&'a Response>),
}

impl Response {
    /// What the response gives back, seen as a success.
    pub fn success_body(&self) -> SuccessBody<'_> {
        match &self.body {
            Some(ty) => SuccessBody::Json(ty),
            None if self.media_types.is_empty() => SuccessBody::Empty,
            None if self.text => SuccessBody::Text,
            None => SuccessBody::Raw,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status it answers.
    pub status: Status,
    /// Its description, as markdown.
    pub docs: Option<String>,
    /// The JSON body's type, if the response documents one
    /// ([`TypeRef::Any`] for JSON without a schema).
    pub body: Option<TypeRef>,
    /// The media types of `content`, in document order.
    pub media_types: Vec<String>,
    /// Whether the body is text: no JSON is offered, and every media type
    /// is text whose schema is not `format: binary`.
    pub text: bool,
    /// JSON pointer of the body's schema, if there is one.
    pub schema_pointer: Option<String>,
    /// The body's first example (`example`, else the first of `examples`,
    /// else the schema's own `example`).
    pub example: Option<serde_json::Value>,
}

/// Page-number pagination, as the operation declares it with
/// `x-pagination` (`{style: page-number, page: page.number, total_pages:
/// meta.total_pages, items: data}`): the page to fetch is a property of an
/// object query parameter; the success body holds the items and, in an
/// object beside them, the number of pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The query parameter's field in the parameters struct.
    pub page_param_field: String,
    /// The page-number field inside that parameter's type.
    pub page_number_field: String,
    /// The type of the page parameter.
    pub page_param_type: String,
    /// The success body's field holding the items.
    pub items_field: String,
    /// The item type.
    pub item_type: TypeRef,
    /// The success body's field holding the metadata.
    pub meta_field: String,
    /// Whether the metadata field is optional in the body.
    pub meta_optional: bool,
    /// The metadata's `total_pages` field.
    pub total_pages_field: String,
    /// Whether `total_pages` is optional in the metadata.
    pub total_pages_optional: bool,
}
