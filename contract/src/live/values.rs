//! The values a request is built from: path and query parameters (from
//! other exchanges, as the graph says, or from the spec), bodies (the
//! spec's example, or one built from the schema), credentials, and the
//! query-string encoding of each parameter style. A body or credential
//! that cannot be built is the [`Skip`] reason of the operation's step.

use super::Skip;
use crate::graph::Expression;
use crate::synth::{Fill, SynthOptions};
use crate::{ContractValidator, Target};
use generator::ir::{Api, Credential, Operation, QueryStyle, TypeKind, TypeRef};
use serde_json::Value;

/// A secret (token, API key, or `user:password` for basic
/// authentication) that never shows in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// One exchange kept for later requests to read values from.
#[derive(Debug, Clone, Default)]
pub(super) struct Exchange {
    /// Path parameters sent, in template order.
    pub path: Vec<(String, String)>,
    /// Query parameters sent.
    pub query: Vec<(String, String)>,
    /// The JSON request body sent.
    pub request_body: Option<Value>,
    /// The JSON response body received.
    pub response_body: Option<Value>,
    /// The response headers received.
    pub headers: reqwest::header::HeaderMap,
}

/// A value as it goes into a path or query: strings as they are, other
/// scalars as JSON writes them; objects and arrays do not fit.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Reads `expression` out of an exchange.
pub(super) fn evaluate(expression: &Expression, exchange: &Exchange) -> Option<String> {
    match expression {
        Expression::ResponseBody(pointer) => exchange
            .response_body
            .as_ref()?
            .pointer(pointer)
            .and_then(scalar_text),
        Expression::RequestBody(pointer) => exchange
            .request_body
            .as_ref()?
            .pointer(pointer)
            .and_then(scalar_text),
        Expression::RequestPath(name) => exchange
            .path
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone()),
        Expression::RequestQuery(name) => exchange
            .query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone()),
        Expression::ResponseHeader(name) => exchange
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

/// A path parameter's value from the spec: its example, else one that
/// fits its type (the first value of an enumeration, a uuid for a uuid).
pub(super) fn path_value_from_spec(
    api: &Api,
    document: &Value,
    op: &Operation,
    name: &str,
) -> String {
    let Some(param) = op.path_params.iter().find(|p| p.wire_name == name) else {
        return "1".to_owned();
    };
    let written = document.pointer(param.pointer.trim_start_matches('#'));
    let example = written.and_then(|p| {
        p.get("example")
            .or_else(|| p.pointer("/schema/example"))
            .or_else(|| p.pointer("/schema/default"))
            .or_else(|| {
                p.get("examples")
                    .and_then(Value::as_object)
                    .and_then(|e| e.values().next())
                    .and_then(|e| e.get("value"))
            })
    });
    if let Some(text) = example.and_then(scalar_text) {
        return text;
    }
    value_of_type(api, &param.ty)
}

fn value_of_type(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { format } => match format.as_deref() {
            Some("uuid") => uuid::Uuid::new_v4().to_string(),
            Some("date") => "2024-01-01".to_owned(),
            Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
            _ => "value".to_owned(),
        },
        TypeRef::Integer { .. } | TypeRef::Number => "1".to_owned(),
        TypeRef::Boolean => "true".to_owned(),
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => value_of_type(api, inner),
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(def)) => def
                .variants
                .first()
                .map_or_else(|| "value".to_owned(), |v| v.wire_value.clone()),
            Some(TypeKind::Constants(def)) => def
                .values
                .first()
                .and_then(|(_, v)| scalar_text(v))
                .unwrap_or_else(|| "1".to_owned()),
            Some(TypeKind::Alias(target)) => value_of_type(api, target),
            _ => "value".to_owned(),
        },
        _ => "value".to_owned(),
    }
}

/// An id that no item has, shaped like `known` (another uuid, a large
/// integer, or a text).
pub(super) fn unknown_like(known: &str) -> String {
    if uuid::Uuid::parse_str(known).is_ok() {
        uuid::Uuid::new_v4().to_string()
    } else if known.parse::<i64>().is_ok() {
        "987654321".to_owned()
    } else {
        format!(
            "unknown-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        )
    }
}

/// Makes e-mail addresses in an example unique, so that a create can run
/// more than once against the same server.
pub(super) fn uniquify(value: &mut Value, suffix: &str) {
    match value {
        Value::String(text) => {
            if let Some((local, domain)) = text.split_once('@') {
                if domain.contains('.') && !local.is_empty() && !text.contains(' ') {
                    *text = format!("{local}+{suffix}@{domain}");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| uniquify(v, suffix)),
        Value::Object(map) => map.values_mut().for_each(|v| uniquify(v, suffix)),
        _ => {}
    }
}

/// A request body, as it is sent.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Body {
    /// JSON: the value.
    Json(Value),
    /// `application/x-www-form-urlencoded`: the object's members.
    Form(Value),
    /// `multipart/form-data`: one text part per member.
    Multipart(Value),
    /// Bytes (text or binary) with their media type.
    Raw {
        /// The media type sent.
        content_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl Body {
    /// The body as JSON, for expressions and checks (`None` for bytes).
    pub(super) fn value(&self) -> Option<&Value> {
        match self {
            Body::Json(value) | Body::Form(value) | Body::Multipart(value) => Some(value),
            Body::Raw { .. } => None,
        }
    }
}

/// The body to send, and where it came from; `Err` says why no body could
/// be built.
pub(super) fn request_body(
    validator: &ContractValidator,
    op: &Operation,
    seed: u64,
    unique: &str,
) -> Result<Option<(Body, &'static str)>, Skip> {
    use generator::ir::BodyEncoding;
    let Some(body) = &op.body else {
        return Ok(None);
    };
    let concrete = |media: &str| {
        if media.contains('*') {
            "application/octet-stream".to_owned()
        } else {
            media.to_owned()
        }
    };
    match body.encoding {
        BodyEncoding::Binary => {
            return Ok(Some((
                Body::Raw {
                    content_type: concrete(&body.content_type),
                    bytes: b"contract run".to_vec(),
                },
                "bytes",
            )));
        }
        BodyEncoding::Text => {
            let text = body
                .example
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or("contract run")
                .to_owned();
            return Ok(Some((
                Body::Raw {
                    content_type: concrete(&body.content_type),
                    bytes: text.into_bytes(),
                },
                "text",
            )));
        }
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {}
    }
    let wrap = |value: Value| match body.encoding {
        BodyEncoding::Form => Body::Form(value),
        BodyEncoding::Multipart => Body::Multipart(value),
        _ => Body::Json(value),
    };
    let target = Target::Request {
        operation: op.id.clone(),
    };
    if let Some(mut example) = body.example.clone() {
        uniquify(&mut example, unique);
        if validator
            .validate(&target, &example)
            .is_ok_and(|v| v.is_empty())
        {
            return Ok(Some((wrap(example), "the spec's example")));
        }
    }
    let options = SynthOptions {
        seed,
        fill: Fill::Required,
        unique: Some(unique.to_owned()),
    };
    match validator.synthesize(&target, &options) {
        Ok(value) => Ok(Some((wrap(value), "built from the schema"))),
        Err(_) if !body.required => Ok(None),
        Err(err) => Err(Skip::NoBody(err)),
    }
}

/// The text of one form or multipart member: scalars as they are, other
/// values as JSON.
pub(super) fn member_text(value: &Value) -> String {
    scalar_text(value).unwrap_or_else(|| value.to_string())
}

/// The required query parameters (and required header parameters) built
/// from the spec, as JSON values by name.
pub(super) fn required_query(
    validator: &ContractValidator,
    op: &Operation,
    seed: u64,
) -> serde_json::Map<String, Value> {
    let Some(query) = &op.query else {
        return serde_json::Map::new();
    };
    if !query.params.iter().any(|p| p.required) {
        return serde_json::Map::new();
    }
    let target = Target::Query {
        operation: op.id.clone(),
    };
    let options = SynthOptions {
        seed,
        fill: Fill::Required,
        unique: None,
    };
    match validator.synthesize(&target, &options) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// Writes one query parameter's value in its style.
pub(super) fn encode_query(
    op: &Operation,
    name: &str,
    value: &Value,
    out: &mut form_urlencoded::Serializer<'_, String>,
) {
    let style = op
        .query
        .as_ref()
        .and_then(|q| q.params.iter().find(|p| p.wire_name == name))
        .map_or(QueryStyle::Form { explode: true }, |p| p.style);
    match (style, value) {
        (QueryStyle::Json, value) => {
            out.append_pair(name, &value.to_string());
        }
        (QueryStyle::DeepObject, Value::Object(_)) => deep(name, value, out),
        (QueryStyle::Form { explode: true }, Value::Array(items)) => {
            for item in items {
                out.append_pair(name, &scalar_text(item).unwrap_or_else(|| item.to_string()));
            }
        }
        (QueryStyle::Form { explode: true }, Value::Object(map)) => {
            for (key, item) in map {
                out.append_pair(key, &scalar_text(item).unwrap_or_else(|| item.to_string()));
            }
        }
        (style, Value::Array(items)) => {
            let separator = match style {
                QueryStyle::Delimited { separator } => separator.to_string(),
                _ => ",".to_owned(),
            };
            let joined: Vec<String> = items
                .iter()
                .map(|item| scalar_text(item).unwrap_or_else(|| item.to_string()))
                .collect();
            out.append_pair(name, &joined.join(&separator));
        }
        (_, Value::Object(map)) => {
            let joined: Vec<String> = map
                .iter()
                .flat_map(|(k, v)| [k.clone(), scalar_text(v).unwrap_or_else(|| v.to_string())])
                .collect();
            out.append_pair(name, &joined.join(","));
        }
        (_, Value::Null) => {}
        (_, value) => {
            out.append_pair(name, &scalar_text(value).unwrap_or_default());
        }
    }
}

fn deep(prefix: &str, value: &Value, out: &mut form_urlencoded::Serializer<'_, String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                deep(&format!("{prefix}[{key}]"), item, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep(prefix, item, out);
            }
        }
        Value::Null => {}
        other => {
            out.append_pair(prefix, &scalar_text(other).unwrap_or_default());
        }
    }
}

/// Adds the credentials of the first alternative that `secret` can give;
/// `Err` when the operation needs credentials and none can be sent.
pub(super) fn authenticate(
    mut request: reqwest::RequestBuilder,
    alternatives: &[Vec<Credential>],
    secret: Option<&Secret>,
) -> Result<reqwest::RequestBuilder, Skip> {
    if alternatives.is_empty() || alternatives.iter().any(Vec::is_empty) {
        return Ok(request);
    }
    let Some(secret) = secret else {
        return Err(Skip::NoCredentials);
    };
    let alternative = &alternatives[0];
    for credential in alternative {
        request = match credential {
            Credential::Bearer => request.bearer_auth(secret.expose()),
            Credential::Basic => {
                // `user:password`; a secret without `:` is the password.
                let (user, password) = secret
                    .expose()
                    .split_once(':')
                    .unwrap_or(("", secret.expose()));
                request.basic_auth(user, Some(password))
            }
            Credential::ApiKeyHeader(name) => {
                let mut value = reqwest::header::HeaderValue::from_str(secret.expose())
                    .map_err(|_| Skip::SecretNotHeader)?;
                value.set_sensitive(true);
                request.header(name.as_str(), value)
            }
            // Added to the URL by the caller (see `query_credential`).
            Credential::ApiKeyQuery(_) => request,
            Credential::ApiKeyCookie(name) => {
                let mut value =
                    reqwest::header::HeaderValue::from_str(&format!("{name}={}", secret.expose()))
                        .map_err(|_| Skip::SecretNotCookie)?;
                value.set_sensitive(true);
                request.header(reqwest::header::COOKIE, value)
            }
        };
    }
    Ok(request)
}

/// The query parameter an API key goes in, for the alternative
/// [`authenticate`] sends.
pub(super) fn query_credential<'a>(
    alternatives: &'a [Vec<Credential>],
    secret: Option<&'a Secret>,
) -> Option<(&'a str, &'a str)> {
    let secret = secret?;
    alternatives
        .first()?
        .iter()
        .find_map(|credential| match credential {
            Credential::ApiKeyQuery(name) => Some((name.as_str(), secret.expose())),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_in_debug() {
        let secret = Secret::new("sk-live-123");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
    }

    #[test]
    fn expressions_read_bodies_paths_and_headers() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("location", "/things/7".parse().expect("header"));
        let exchange = Exchange {
            path: vec![("tenant".to_owned(), "acme".to_owned())],
            query: vec![],
            request_body: Some(serde_json::json!({"name": "n1"})),
            response_body: Some(serde_json::json!({"data": {"id": 7}})),
            headers,
        };
        let read = |e: Expression| evaluate(&e, &exchange);
        assert_eq!(
            read(Expression::ResponseBody("/data/id".into())).as_deref(),
            Some("7")
        );
        assert_eq!(
            read(Expression::RequestBody("/name".into())).as_deref(),
            Some("n1")
        );
        assert_eq!(
            read(Expression::RequestPath("tenant".into())).as_deref(),
            Some("acme")
        );
        assert_eq!(
            read(Expression::ResponseHeader("Location".into())).as_deref(),
            Some("/things/7")
        );
        assert_eq!(read(Expression::ResponseBody("/missing".into())), None);
    }

    #[test]
    fn unknown_ids_keep_the_shape_of_known_ones() {
        assert!(
            uuid::Uuid::parse_str(&unknown_like("0cf21235-8046-4fd3-b500-25f3f06fd361")).is_ok()
        );
        assert_eq!(unknown_like("42"), "987654321");
        assert!(unknown_like("acme").starts_with("unknown-"));
    }
}
