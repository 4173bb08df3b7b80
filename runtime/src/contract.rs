//! The fixed part of a generated crate's contract table: what a row of the
//! table is, the round trip through a Rust type, and its error. The
//! generated `contract` module (behind the crate's `contract` feature)
//! re-exports these and adds the tables and the `round_trip` functions,
//! whose arms call [`through`].

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The part of an operation a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The request body.
    Request,
    /// The query parameters, as one object.
    Query,
    /// A response body sent with this status.
    Response(u16),
}

/// A response status as the spec documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// One exact status code.
    Code(u16),
    /// A range such as `4XX` (the digit is the hundreds).
    Range(u16),
    /// `default`: any status not otherwise documented.
    Default,
}

/// The part of an operation a row of the table covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The request body.
    Request,
    /// The query parameters.
    Query,
    /// The response body for a documented status.
    Response(Status),
}

/// One payload of one operation, and its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The operationId.
    pub operation: &'static str,
    /// The part of the operation.
    pub part: Part,
    /// The Rust type, as written in the generated crate.
    pub rust_type: &'static str,
}

/// Why a value did not make the round trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundTripError {
    /// The operation has no such payload in the table.
    UnknownTarget {
        /// The operationId asked for.
        operation: String,
        /// The part asked for.
        target: Target,
    },
    /// No component schema has this name.
    UnknownSchema {
        /// The name asked for.
        name: String,
    },
    /// The value does not fit the type.
    Deserialize {
        /// JSON pointer of the offending value (of the missing field, for a
        /// missing field).
        pointer: String,
        /// serde's message.
        message: String,
    },
    /// The typed value could not be written back as JSON.
    Serialize {
        /// serde's message.
        message: String,
    },
}

impl RoundTripError {
    /// The JSON pointer of the value that failed to deserialize.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Self::Deserialize { pointer, .. } => Some(pointer),
            _ => None,
        }
    }
}

impl std::fmt::Display for RoundTripError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownTarget { operation, target } => {
                write!(f, "no type for {target:?} of operation `{operation}`")
            }
            Self::UnknownSchema { name } => write!(f, "no component schema `{name}`"),
            Self::Deserialize { pointer, message } => {
                let at = if pointer.is_empty() {
                    "(root)"
                } else {
                    pointer
                };
                write!(f, "{at}: {message}")
            }
            Self::Serialize { message } => write!(f, "cannot serialize: {message}"),
        }
    }
}

impl std::error::Error for RoundTripError {}

/// Deserializes `value` as a `T` and serializes it back.
///
/// # Errors
///
/// [`RoundTripError::Deserialize`] with the pointer of the value that does
/// not fit, or [`RoundTripError::Serialize`].
pub fn through<T: DeserializeOwned + Serialize>(
    value: serde_json::Value,
) -> Result<serde_json::Value, RoundTripError> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|err| {
        let message = err.inner().to_string();
        RoundTripError::Deserialize {
            pointer: pointer_of(err.path(), &message),
            message,
        }
    })?;
    serde_json::to_value(&typed).map_err(|err| RoundTripError::Serialize {
        message: err.to_string(),
    })
}

/// The JSON pointer of a serde path. serde reports a missing field at the
/// object that lacks it; the pointer names the field itself.
fn pointer_of(path: &serde_path_to_error::Path, message: &str) -> String {
    let mut pointer = String::new();
    let mut push = |token: &str| {
        pointer.push('/');
        pointer.push_str(&super::pointer::escape_token(token));
    };
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => push(&index.to_string()),
            serde_path_to_error::Segment::Map { key } => push(key),
            _ => {}
        }
    }
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    if let Some(field) = missing {
        push(field);
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Serialize, Deserialize)]
    struct Inner {
        #[serde(rename = "a/b")]
        name: String,
    }

    #[test]
    fn a_value_that_fits_comes_back() {
        let value = serde_json::json!({"items": [{"a/b": "x"}]});
        assert_eq!(through::<Outer>(value.clone()), Ok(value));
    }

    #[test]
    fn a_missing_field_is_named_by_its_pointer() {
        let err = through::<Outer>(serde_json::json!({"items": [{}]})).unwrap_err();
        assert_eq!(err.pointer(), Some("/items/0/a~1b"));
        assert!(
            err.to_string().starts_with("/items/0/a~1b: missing field"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_type_is_named_by_its_pointer() {
        let err = through::<Outer>(serde_json::json!({"items": [{"a/b": 5}]})).unwrap_err();
        assert_eq!(err.pointer(), Some("/items/0/a~1b"));
    }
}
