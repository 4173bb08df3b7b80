//! Violations: one broken rule of the contract, said in terms of the
//! payload (an instance pointer) and of the spec (a pointer into the file).
//!
//! jsonschema's errors are mapped here: their schema location in the
//! converted document goes back to the spec through the converter's
//! [`NodeMap`]; a missing or unexpected property is reported at the
//! property's own pointer (`/business_name`), not at the object holding
//! it, so that a caller can name the field.

use super::convert::NodeMap;
use crate::error::escape_token;
use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Violation {
    /// JSON pointer into the payload (`/data/balance/currency`; `""` is the
    /// whole payload). For a missing or unexpected property, the pointer of
    /// the property itself.
    pub instance_pointer: String,
    /// JSON pointer into the spec file of the schema object holding the
    /// broken rule (`#/components/schemas/ManagedAccountBalance/properties/currency`).
    pub schema_pointer: String,
    /// The keyword of that schema object, as the spec writes it (`type`,
    /// `required`, `format`, `readOnly`…).
    pub keyword: String,
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
    let located = nodes.locate(error.schema_path().as_str());
    let value = error.instance();
    let push = |out: &mut Vec<Violation>, pointer: String, kind: ViolationKind, message: String| {
        out.push(Violation {
            instance_pointer: pointer,
            schema_pointer: located.spec.clone(),
            keyword: located.keyword.clone(),
            kind,
            message,
        });
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            let pointer = format!("{instance}/{}", escape_token(&name));
            push(
                out,
                pointer,
                ViolationKind::Required,
                format!("missing required property `{name}`"),
            );
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let pointer = format!("{instance}/{}", escape_token(name));
                let message =
                    format!("property `{name}` is not allowed here (additionalProperties: false)");
                push(out, pointer, ViolationKind::AdditionalProperty, message);
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
                push(
                    out,
                    instance.to_owned(),
                    ViolationKind::Other,
                    format!("{} does not match the schema", show(value)),
                );
            }
        }
        kind => {
            let (kind, message) = describe(kind, value, &located.keyword);
            push(out, instance.to_owned(), kind, message);
        }
    }
}

fn describe(kind: &ValidationErrorKind, value: &Value, keyword: &str) -> (ViolationKind, String) {
    let shown = show(value);
    match kind {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(ty) => ty.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            (
                ViolationKind::Type,
                format!("expected {expected}, found {} {shown}", json_type(value)),
            )
        }
        ValidationErrorKind::Enum { options } => {
            let options = match options.as_ref() {
                Value::Array(values) => values.iter().map(show).collect::<Vec<_>>().join(", "),
                other => show(other),
            };
            (
                ViolationKind::Enum,
                format!("{shown} is not one of {options}"),
            )
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::Maximum { limit }
            if keyword == "format" =>
        {
            (
                ViolationKind::Range,
                format!("{shown} is out of range for its integer format (limit {limit})"),
            )
        }
        ValidationErrorKind::Minimum { limit } => (
            ViolationKind::Range,
            format!("{shown} is less than the minimum {limit}"),
        ),
        ValidationErrorKind::Maximum { limit } => (
            ViolationKind::Range,
            format!("{shown} is greater than the maximum {limit}"),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => (
            ViolationKind::Range,
            format!("{shown} is not greater than the exclusive minimum {limit}"),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => (
            ViolationKind::Range,
            format!("{shown} is not less than the exclusive maximum {limit}"),
        ),
        ValidationErrorKind::MultipleOf { multiple_of } => (
            ViolationKind::MultipleOf,
            format!("{shown} is not a multiple of {multiple_of}"),
        ),
        ValidationErrorKind::Format { format } => (
            ViolationKind::Format,
            format!("{shown} is not a valid `{format}`"),
        ),
        ValidationErrorKind::MinLength { limit } => (
            ViolationKind::Length,
            format!("{shown} is shorter than {limit} character(s)"),
        ),
        ValidationErrorKind::MaxLength { limit } => (
            ViolationKind::Length,
            format!("{shown} is longer than {limit} character(s)"),
        ),
        ValidationErrorKind::Pattern { pattern } => (
            ViolationKind::Pattern,
            format!("{shown} does not match the pattern `{pattern}`"),
        ),
        ValidationErrorKind::MinItems { limit } => (
            ViolationKind::ItemCount,
            format!("fewer than {limit} item(s)"),
        ),
        ValidationErrorKind::MaxItems { limit } => (
            ViolationKind::ItemCount,
            format!("more than {limit} item(s)"),
        ),
        ValidationErrorKind::UniqueItems => (
            ViolationKind::UniqueItems,
            "items are not unique".to_owned(),
        ),
        ValidationErrorKind::MinProperties { limit } => (
            ViolationKind::PropertyCount,
            format!("fewer than {limit} propert(ies)"),
        ),
        ValidationErrorKind::MaxProperties { limit } => (
            ViolationKind::PropertyCount,
            format!("more than {limit} propert(ies)"),
        ),
        ValidationErrorKind::OneOfNotValid { .. } => (
            ViolationKind::OneOf,
            format!("{shown} matches none of the `oneOf` alternatives"),
        ),
        ValidationErrorKind::OneOfMultipleValid { .. } => (
            ViolationKind::OneOf,
            format!("{shown} matches more than one `oneOf` alternative"),
        ),
        ValidationErrorKind::AnyOf { .. } => (
            ViolationKind::AnyOf,
            format!("{shown} matches none of the `anyOf` alternatives"),
        ),
        ValidationErrorKind::Not { .. } => (
            ViolationKind::Not,
            format!("{shown} matches a schema it must not match"),
        ),
        ValidationErrorKind::FalseSchema if keyword == "readOnly" => (
            ViolationKind::ReadOnly,
            "the property is read-only and must not be sent in a request".to_owned(),
        ),
        ValidationErrorKind::FalseSchema if keyword == "writeOnly" => (
            ViolationKind::WriteOnly,
            "the property is write-only and must not appear in a response".to_owned(),
        ),
        other => (
            ViolationKind::Other,
            format!("{shown} breaks `{}`", other.keyword()),
        ),
    }
}

/// A JSON value, shortened for a one-line message.
pub(super) fn show(value: &Value) -> String {
    const LIMIT: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        return text;
    }
    let mut short: String = text.chars().take(LIMIT).collect();
    short.push('…');
    short
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
