//! Violations: one broken rule of the contract, said in terms of the
//! payload (an instance pointer) and of the spec (a pointer into the file).
//!
//! jsonschema's errors are mapped here: their schema location in the
//! converted document goes back to the spec through the converter's
//! [`NodeMap`]; a missing or unexpected property is reported at the
//! property's own pointer (`/business_name`), not at the object holding
//! it, so that a caller can name the field.

use super::convert::NodeMap;
use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::Arc;

fn serialize_str<S: serde::Serializer>(value: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value)
}

/// The kind of rule a payload broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// A `required` property is missing.
    Required,
    /// The value has the wrong JSON type (including `null` where the schema
    /// is not `nullable`).
    Type,
    /// The value is not one of the `enum` values.
    Enum,
    /// A number is out of `minimum`/`maximum` (exclusive or not), or out of
    /// the range of its integer `format` (`int32`, `int64`).
    Range,
    /// A number is not a `multipleOf`.
    MultipleOf,
    /// A string does not match its `format` (`uuid`, `email`, `date-time`…).
    Format,
    /// A string is shorter or longer than `minLength`/`maxLength`.
    Length,
    /// A string does not match its `pattern`.
    Pattern,
    /// An array has too few or too many items.
    ItemCount,
    /// An array's items are not unique.
    UniqueItems,
    /// An object has too few or too many properties.
    PropertyCount,
    /// A property that `additionalProperties: false` does not allow.
    AdditionalProperty,
    /// A `readOnly` property sent in a request.
    ReadOnly,
    /// A `writeOnly` property sent in a response.
    WriteOnly,
    /// No `oneOf` alternative matches, or more than one does.
    OneOf,
    /// No `anyOf` alternative matches.
    AnyOf,
    /// The value matches a `not` schema.
    Not,
    /// Anything else.
    Other,
}

impl ViolationKind {
    /// The name used in reports and sample files (`required`, `type`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::Required => "required",
            ViolationKind::Type => "type",
            ViolationKind::Enum => "enum",
            ViolationKind::Range => "range",
            ViolationKind::MultipleOf => "multiple_of",
            ViolationKind::Format => "format",
            ViolationKind::Length => "length",
            ViolationKind::Pattern => "pattern",
            ViolationKind::ItemCount => "item_count",
            ViolationKind::UniqueItems => "unique_items",
            ViolationKind::PropertyCount => "property_count",
            ViolationKind::AdditionalProperty => "additional_property",
            ViolationKind::ReadOnly => "read_only",
            ViolationKind::WriteOnly => "write_only",
            ViolationKind::OneOf => "one_of",
            ViolationKind::AnyOf => "any_of",
            ViolationKind::Not => "not",
            ViolationKind::Other => "other",
        }
    }

    /// Whether the generated Rust types themselves reject a payload with
    /// this violation (the rules serde enforces: presence of required
    /// fields and JSON types). The others (enum values, ranges, formats,
    /// unknown properties) are accepted by design and left to the
    /// contract check.
    pub fn is_type_level(self) -> bool {
        matches!(self, ViolationKind::Required | ViolationKind::Type)
    }
}

impl std::fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule of the contract that a payload breaks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Violation {
    /// JSON pointer into the payload (`/data/balance/currency`; `""` is the
    /// whole payload). For a missing or unexpected property, the pointer of
    /// the property itself.
    pub instance_pointer: String,
    /// JSON pointer into the spec file of the schema object holding the
    /// broken rule (`#/components/schemas/ManagedAccountBalance/properties/currency`),
    /// shared between the violations that name it.
    #[serde(serialize_with = "serialize_str")]
    pub schema_pointer: Arc<str>,
    /// The keyword of that schema object, as the spec writes it (`type`,
    /// `required`, `format`, `readOnly`…).
    pub keyword: &'static str,
    /// The kind of rule.
    pub kind: ViolationKind,
    /// A one-line explanation.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} (schema {})",
            display_pointer(&self.instance_pointer),
            self.message,
            self.schema_pointer
        )
    }
}

/// An instance pointer as printed: the empty pointer (the whole payload)
/// reads `(root)`.
pub fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
    }
}

/// Turns one jsonschema error into violations (an error about several
/// properties becomes one violation per property).
pub(super) fn from_error(error: &ValidationError<'_>, nodes: &NodeMap, out: &mut Vec<Violation>) {
    let instance = error.instance_path().as_str();
    let false_schema = matches!(error.kind(), ValidationErrorKind::FalseSchema);
    let located = nodes.locate(error.schema_path().as_str(), false_schema);
    let violation = |instance_pointer: String, kind: ViolationKind, message: String| Violation {
        instance_pointer,
        schema_pointer: Arc::clone(&located.spec),
        keyword: located.keyword,
        kind,
        message,
    };
    // A secret's value (by its schema's markers, see
    // `generator::is_sensitive`) never goes into a message.
    let secret = located.node.is_some_and(|n| n.sensitive);
    let redacted;
    let shown = if secret {
        redacted = Value::String("[redacted]".to_owned());
        &redacted
    } else {
        error.instance()
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let owned;
            let name = match property.as_str() {
                Some(name) => name,
                None => {
                    owned = property.to_string();
                    &owned
                }
            };
            let pointer = child_pointer(instance, name);
            out.push(violation(
                pointer,
                ViolationKind::Required,
                format!("missing required property `{name}`"),
            ));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let pointer = child_pointer(instance, name);
                let message =
                    format!("property `{name}` is not allowed here (additionalProperties: false)");
                out.push(violation(
                    pointer,
                    ViolationKind::AdditionalProperty,
                    message,
                ));
            }
        }
        ValidationErrorKind::AnyOf { context }
            if located.node.is_some_and(|n| n.nullable_wrapper) =>
        {
            // The `anyOf` is ours (null, or the schema): report why the
            // value fails the schema itself.
            let before = out.len();
            for inner in context.get(1).into_iter().flatten() {
                from_error(inner, nodes, out);
            }
            if out.len() == before {
                let message = format!("{} does not match the schema", show(shown));
                out.push(violation(
                    instance.to_owned(),
                    ViolationKind::Other,
                    message,
                ));
            }
        }
        kind => {
            let (kind, message) = describe(kind, error.instance(), secret, located.keyword);
            out.push(violation(instance.to_owned(), kind, message));
        }
    }
}

/// `parent` + `/` + the escaped property name, in one allocation.
fn child_pointer(parent: &str, name: &str) -> String {
    let mut pointer = String::with_capacity(parent.len() + name.len() + 1);
    pointer.push_str(parent);
    pointer.push('/');
    for c in name.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    pointer
}

/// The kind of a jsonschema error and its one-line message.
/// With `secret`, the value itself is written as `[redacted]` (its JSON
/// type is still named).
fn describe(
    kind: &ValidationErrorKind,
    value: &Value,
    secret: bool,
    keyword: &str,
) -> (ViolationKind, String) {
    let mut m = String::with_capacity(64);
    let kind = describe_into(kind, value, secret, keyword, &mut m);
    if secret {
        m = m.replace("\"[redacted]\"", "[redacted]");
    }
    (kind, m)
}

/// Writes the message for `kind` into `m` and returns the violation kind:
/// each group of jsonschema's kinds has its own describer, tried in turn;
/// a kind none of them knows is said by its keyword.
fn describe_into(
    kind: &ValidationErrorKind,
    value: &Value,
    secret: bool,
    keyword: &str,
    m: &mut String,
) -> ViolationKind {
    let redacted;
    let shown = if secret {
        redacted = Value::String("[redacted]".to_owned());
        &redacted
    } else {
        value
    };
    describe_type_or_enum(kind, value, shown, m)
        .or_else(|| describe_number(kind, shown, keyword, m))
        .or_else(|| describe_string(kind, shown, m))
        .or_else(|| describe_count(kind, m))
        .or_else(|| describe_combinator(kind, shown, m))
        .or_else(|| describe_false_schema(kind, keyword, m))
        .unwrap_or_else(|| {
            value_then(
                m,
                shown,
                format_args!(" breaks `{}`", kind.keyword()),
                ViolationKind::Other,
            )
        })
}

// Writing into a String cannot fail: the describers ignore the results.

/// `type` (the JSON type is named even for a secret) and `enum`.
fn describe_type_or_enum(
    kind: &ValidationErrorKind,
    value: &Value,
    shown: &Value,
    m: &mut String,
) -> Option<ViolationKind> {
    match kind {
        ValidationErrorKind::Type { kind } => {
            m.push_str("expected ");
            match kind {
                TypeKind::Single(ty) => {
                    let _ = write!(m, "{ty}");
                }
                TypeKind::Multiple(set) => {
                    for (index, ty) in set.iter().enumerate() {
                        let _ = write!(m, "{}{ty}", if index > 0 { " or " } else { "" });
                    }
                }
            }
            let _ = write!(m, ", found {} ", json_type(value));
            show_into(m, shown);
            Some(ViolationKind::Type)
        }
        ValidationErrorKind::Enum { options } => {
            show_into(m, shown);
            m.push_str(" is not one of ");
            match options.as_ref() {
                Value::Array(values) => {
                    for (index, option) in values.iter().enumerate() {
                        if index > 0 {
                            m.push_str(", ");
                        }
                        show_into(m, option);
                    }
                }
                other => show_into(m, other),
            }
            Some(ViolationKind::Enum)
        }
        _ => None,
    }
}

/// Bounds (a bound written for an integer `format` says so) and
/// `multipleOf`.
fn describe_number(
    kind: &ValidationErrorKind,
    shown: &Value,
    keyword: &str,
    m: &mut String,
) -> Option<ViolationKind> {
    let (relation, limit) = match kind {
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit }
            if keyword == "format" =>
        {
            let rest = format_args!(" is out of range for its integer format (limit {limit})");
            return Some(value_then(m, shown, rest, ViolationKind::Range));
        }
        ValidationErrorKind::MultipleOf { multiple_of } => {
            let rest = format_args!(" is not a multiple of {multiple_of}");
            return Some(value_then(m, shown, rest, ViolationKind::MultipleOf));
        }
        ValidationErrorKind::Minimum { limit } => ("is less than the minimum", limit),
        ValidationErrorKind::Maximum { limit } => ("is greater than the maximum", limit),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            ("is not greater than the exclusive minimum", limit)
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            ("is not less than the exclusive maximum", limit)
        }
        _ => return None,
    };
    let rest = format_args!(" {relation} {limit}");
    Some(value_then(m, shown, rest, ViolationKind::Range))
}

/// `minLength`/`maxLength`, `format` and `pattern`: the value, then the
/// rule it breaks.
fn describe_string(
    kind: &ValidationErrorKind,
    shown: &Value,
    m: &mut String,
) -> Option<ViolationKind> {
    use ValidationErrorKind as Kind;
    let violation = match kind {
        Kind::MinLength { .. } | Kind::MaxLength { .. } => ViolationKind::Length,
        Kind::Format { .. } => ViolationKind::Format,
        Kind::Pattern { .. } => ViolationKind::Pattern,
        _ => return None,
    };
    show_into(m, shown);
    let _ = match kind {
        Kind::MinLength { limit } => write!(m, " is shorter than {limit} character(s)"),
        Kind::MaxLength { limit } => write!(m, " is longer than {limit} character(s)"),
        Kind::Format { format } => write!(m, " is not a valid `{format}`"),
        Kind::Pattern { pattern } => write!(m, " does not match the pattern `{pattern}`"),
        // Not reached: the match above returned for any other kind.
        _ => Ok(()),
    };
    Some(violation)
}

/// Item and property counts, and `uniqueItems` (the value is not shown).
fn describe_count(kind: &ValidationErrorKind, m: &mut String) -> Option<ViolationKind> {
    use ValidationErrorKind as Kind;
    const ITEMS: (&str, ViolationKind) = ("item(s)", ViolationKind::ItemCount);
    const PROPERTIES: (&str, ViolationKind) = ("propert(ies)", ViolationKind::PropertyCount);
    let (relation, limit, (counted, violation)) = match kind {
        Kind::MinItems { limit } => ("fewer than", limit, ITEMS),
        Kind::MaxItems { limit } => ("more than", limit, ITEMS),
        Kind::MinProperties { limit } => ("fewer than", limit, PROPERTIES),
        Kind::MaxProperties { limit } => ("more than", limit, PROPERTIES),
        Kind::UniqueItems => {
            m.push_str("items are not unique");
            return Some(ViolationKind::UniqueItems);
        }
        _ => return None,
    };
    let _ = write!(m, "{relation} {limit} {counted}");
    Some(violation)
}

/// `oneOf` (none or several match), `anyOf` and `not`.
fn describe_combinator(
    kind: &ValidationErrorKind,
    shown: &Value,
    m: &mut String,
) -> Option<ViolationKind> {
    let (rest, violation) = match kind {
        ValidationErrorKind::OneOfNotValid { .. } => (
            " matches none of the `oneOf` alternatives",
            ViolationKind::OneOf,
        ),
        ValidationErrorKind::OneOfMultipleValid { .. } => (
            " matches more than one `oneOf` alternative",
            ViolationKind::OneOf,
        ),
        ValidationErrorKind::AnyOf { .. } => (
            " matches none of the `anyOf` alternatives",
            ViolationKind::AnyOf,
        ),
        ValidationErrorKind::Not { .. } => {
            (" matches a schema it must not match", ViolationKind::Not)
        }
        _ => return None,
    };
    show_into(m, shown);
    m.push_str(rest);
    Some(violation)
}

/// A `false` schema standing for a `readOnly` or `writeOnly` property
/// (any other `false` schema is left to the fallback).
fn describe_false_schema(
    kind: &ValidationErrorKind,
    keyword: &str,
    m: &mut String,
) -> Option<ViolationKind> {
    let (message, violation) = match (kind, keyword) {
        (ValidationErrorKind::FalseSchema, "readOnly") => (
            "the property is read-only and must not be sent in a request",
            ViolationKind::ReadOnly,
        ),
        (ValidationErrorKind::FalseSchema, "writeOnly") => (
            "the property is write-only and must not appear in a response",
            ViolationKind::WriteOnly,
        ),
        _ => return None,
    };
    m.push_str(message);
    Some(violation)
}

/// Writes the value, then the rest of the message; returns `violation`.
fn value_then(
    m: &mut String,
    shown: &Value,
    rest: std::fmt::Arguments<'_>,
    violation: ViolationKind,
) -> ViolationKind {
    show_into(m, shown);
    let _ = m.write_fmt(rest);
    violation
}

/// A JSON value, shortened for a one-line message.
pub(super) fn show(value: &Value) -> String {
    let mut out = String::new();
    show_into(&mut out, value);
    out
}

/// Writes a JSON value, cut (with `…`) past a limit without serializing the
/// rest of a large value.
fn show_into(out: &mut String, value: &Value) {
    const LIMIT: usize = 60;
    struct Limited<'a> {
        out: &'a mut String,
        left: usize,
        cut: bool,
    }
    impl std::fmt::Write for Limited<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            if text.len() <= self.left {
                self.out.push_str(text);
                self.left -= text.len();
                return Ok(());
            }
            let mut end = self.left;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            self.out.push_str(&text[..end]);
            self.left = 0;
            self.cut = true;
            Err(std::fmt::Error)
        }
    }
    let mut limited = Limited {
        out,
        left: LIMIT,
        cut: false,
    };
    let _ = write!(limited, "{value}");
    if limited.cut {
        out.push('…');
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
