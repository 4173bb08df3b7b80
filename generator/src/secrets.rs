//! The one rule for which values are secrets.

use serde_json::Value;

/// Whether a schema marks its value as a secret.
///
/// A value is a secret only when its own schema says so, with
/// `x-sensitive: true` or `format: password`; a property's name never
/// counts (a property called `password` without either marker is an
/// ordinary string). Through a `$ref`, the referenced schema's markers
/// count, since `$ref` siblings are ignored in OpenAPI 3.0.
///
/// Secrets are printed as `"[redacted]"` by the generated `Debug`, and
/// the contract checks never show their values in messages. The caller
/// passes the schema's `format` and its `x-sensitive` extension, so the
/// generator (the `openapiv3` model) and the contract converter (raw
/// JSON) share this rule.
pub fn is_sensitive(format: Option<&str>, x_sensitive: Option<&Value>) -> bool {
    format == Some("password") || x_sensitive == Some(&Value::Bool(true))
}
