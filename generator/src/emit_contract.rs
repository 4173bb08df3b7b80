//! Step 4b: the IR → the generated crate's contract table (`src/contract.rs`).
//!
//! For every operation's request body, query parameters and documented
//! response bodies, and for every component schema, the table names the
//! Rust type and `round_trip` deserializes a JSON value into it and
//! serializes it back. The contract tests iterate over the sample corpus
//! with it, so a new operation is covered without new test code.

use crate::ir::{Api, Operation, Status, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

const COMPONENTS: &str = "#/components/schemas/";

/// The tokens of `src/contract.rs`.
pub fn contract_module(api: &Api) -> TokenStream {
    let mut rows = Vec::new();
    let mut arms = Vec::new();
    for op in &api.operations {
        operation_rows(op, &mut rows, &mut arms);
    }
    let (schema_rows, schema_arms): (Vec<_>, Vec<_>) = components(api)
        .map(|(name, ty)| {
            let label = type_label(&ty);
            let rust = qualified(&ty);
            (
                quote! { (#name, #label), },
                quote! { #name => through::<#rust>(value), },
            )
        })
        .unzip();
    // With nothing in a table, its function only refuses; the helpers
    // that the arms call are left out so that nothing is unused.
    let unused_value = arms.is_empty().then(|| quote! { let _ = value; });
    let unused_schema_value = schema_arms.is_empty().then(|| quote! { let _ = value; });
    let helpers = (!arms.is_empty() || !schema_arms.is_empty()).then(|| {
        quote! {
            fn through<T: serde::de::DeserializeOwned + serde::Serialize>(
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

            /// The JSON pointer of a serde path. serde reports a missing field at the object that
            /// lacks it; the pointer names the field itself.
            fn pointer_of(path: &serde_path_to_error::Path, message: &str) -> String {
                let mut pointer = String::new();
                let mut push = |token: &str| {
                    pointer.push('/');
                    pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
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
        }
    });
    let doc = format!(
        " The contract table of {}: the Rust type of every payload the spec describes, and a round trip through it.",
        api.title
    );
    quote! {
        #![doc = #doc]
        //!
        //! [`round_trip`] deserializes a JSON value into the type of an operation's request body,
        //! query parameters (as one object, the shape of the `…Params` type) or response body for a
        //! status, and serializes it back; [`round_trip_schema`] does the same for a component
        //! schema. [`TARGETS`] and [`SCHEMAS`] list what the table covers.
        //!
        //! A value that deserializes comes back equal except for these normalisations: an optional
        //! field sent as `null` is omitted, and numbers keep their value but not necessarily their
        //! spelling (`1` read as a float is written `1.0`). Unknown enum values are kept and unknown
        //! properties are dropped, as everywhere in this crate.

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

        /// The part of an operation a row of [`TARGETS`] covers.
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
            /// The Rust type, as written in this crate.
            pub rust_type: &'static str,
        }

        /// Every payload with a JSON schema, operations in document order.
        pub const TARGETS: &[Row] = &[#(#rows)*];

        /// Every component schema (by name) and its Rust type.
        pub const SCHEMAS: &[(&str, &str)] = &[#(#schema_rows)*];

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
                /// JSON pointer of the offending value (of the missing field, for a missing field).
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
                        let at = if pointer.is_empty() { "(root)" } else { pointer };
                        write!(f, "{at}: {message}")
                    }
                    Self::Serialize { message } => write!(f, "cannot serialize: {message}"),
                }
            }
        }

        impl std::error::Error for RoundTripError {}

        /// Deserializes `value` as the payload `target` of `operation` and serializes it back.
        pub fn round_trip(
            operation: &str,
            target: Target,
            value: serde_json::Value,
        ) -> Result<serde_json::Value, RoundTripError> {
            #unused_value
            match (operation, target) {
                #(#arms)*
                _ => Err(RoundTripError::UnknownTarget {
                    operation: operation.to_owned(),
                    target,
                }),
            }
        }

        /// Deserializes `value` as the component schema `name` and serializes it back.
        pub fn round_trip_schema(
            name: &str,
            value: serde_json::Value,
        ) -> Result<serde_json::Value, RoundTripError> {
            #unused_schema_value
            match name {
                #(#schema_arms)*
                _ => Err(RoundTripError::UnknownSchema { name: name.to_owned() }),
            }
        }

        #helpers
    }
}

/// The table rows and `round_trip` arms of one operation.
fn operation_rows(op: &Operation, rows: &mut Vec<TokenStream>, arms: &mut Vec<TokenStream>) {
    let id = op.id.as_str();
    // A guard follows the tuple pattern: `(…, Target::Response(status)) if …`.
    let mut add =
        |part: TokenStream, pattern: TokenStream, guard: Option<TokenStream>, ty: &TypeRef| {
            let label = type_label(ty);
            let rust = qualified(ty);
            rows.push(quote! { Row { operation: #id, part: #part, rust_type: #label }, });
            arms.push(quote! { (#id, #pattern) #guard => through::<#rust>(value), });
        };
    if let Some(body) = &op.body {
        add(
            quote! { Part::Request },
            quote! { Target::Request },
            None,
            &body.ty,
        );
    }
    if let Some(query) = &op.query {
        let ty = TypeRef::Named(query.type_name.clone());
        add(quote! { Part::Query }, quote! { Target::Query }, None, &ty);
    }
    // Responses come ordered codes, then ranges, then `default`, so the
    // arms try them in the order the spec gives them precedence.
    for response in &op.responses {
        let Some(ty) = &response.body else { continue };
        match response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                let part = quote! { Part::Response(Status::Code(#code)) };
                add(part, quote! { Target::Response(#code) }, None, ty);
            }
            Status::Range(hundreds) => {
                let low = Literal::u16_unsuffixed(hundreds * 100);
                let high = Literal::u16_unsuffixed(hundreds * 100 + 100);
                let hundreds = Literal::u16_unsuffixed(hundreds);
                let part = quote! { Part::Response(Status::Range(#hundreds)) };
                let guard = quote! { if (#low..#high).contains(&status) };
                add(part, quote! { Target::Response(status) }, Some(guard), ty);
            }
            Status::Default => {
                let part = quote! { Part::Response(Status::Default) };
                add(part, quote! { Target::Response(_) }, None, ty);
            }
        }
    }
}

/// Component schemas (by their key in the spec) and their types.
fn components(api: &Api) -> impl Iterator<Item = (String, TypeRef)> + '_ {
    let mut found: Vec<(String, TypeRef)> = api
        .types
        .values()
        .filter_map(|def| {
            let key = def.pointer.strip_prefix(COMPONENTS)?;
            if key.is_empty() || key.contains('/') {
                return None;
            }
            let key = key.replace("~1", "/").replace("~0", "~");
            Some((key, TypeRef::Named(def.name.clone())))
        })
        .collect();
    found.sort();
    found.into_iter()
}

/// The type, with named types written `crate::types::Name`.
fn qualified(ty: &TypeRef) -> TokenStream {
    crate::emit_types::type_tokens_with(ty, &quote! { crate::types:: })
}

/// The type as a reader would write it (`types::ManagedAccount`).
fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "String".to_owned(),
        TypeRef::Integer { bits: 32 } => "i32".to_owned(),
        TypeRef::Integer { .. } => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Boolean => "bool".to_owned(),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::Named(name) => format!("types::{}", crate::names::unraw(name)),
        TypeRef::Array(item) => format!("Vec<{}>", type_label(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_label(value)),
        TypeRef::Boxed(inner) => format!("Box<{}>", type_label(inner)),
    }
}
