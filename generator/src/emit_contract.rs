//! Step 3c: the IR → the generated crate's contract table (`src/contract.rs`).
//! The table's fixed types and the round trip itself are in the runtime
//! (`runtime/src/contract.rs`); this writes only what depends on the spec.
//!
//! For every operation's request body, query parameters and documented
//! response bodies, and for every component schema, the table names the
//! Rust type and `round_trip` deserializes a JSON value into it and
//! serializes it back. The contract tests iterate over the sample corpus
//! with it, so a new operation is covered without new test code.

use crate::ir::{Api, BodyEncoding, Operation, RequestBody, Status, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

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
    // With nothing in a table, its function only refuses; `through`, which
    // the arms call, is not imported then, so that nothing is unused.
    let through_import = (!arms.is_empty() || !schema_arms.is_empty())
        .then(|| quote! { use crate::runtime::contract::through; });
    let unused_value = arms.is_empty().then(|| quote! { let _ = value; });
    let unused_schema_value = schema_arms.is_empty().then(|| quote! { let _ = value; });
    // An empty table's function only refuses (a `match` with nothing but
    // its fallback arm would not pass clippy).
    let unknown_target = quote! {
        Err(RoundTripError::UnknownTarget {
            operation: operation.to_owned(),
            target,
        })
    };
    let target_body = if arms.is_empty() {
        unknown_target
    } else {
        quote! {
            match (operation, target) {
                #(#arms)*
                _ => #unknown_target,
            }
        }
    };
    let unknown_schema = quote! { Err(RoundTripError::UnknownSchema { name: name.to_owned() }) };
    let schema_body = if schema_arms.is_empty() {
        unknown_schema
    } else {
        quote! {
            match name {
                #(#schema_arms)*
                _ => #unknown_schema,
            }
        }
    };
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

        pub use crate::runtime::contract::{Part, RoundTripError, Row, Status, Target};
        #through_import

        /// Every payload with a JSON schema, operations in document order.
        pub const TARGETS: &[Row] = &[#(#rows)*];

        /// Every component schema (by name) and its Rust type.
        pub const SCHEMAS: &[(&str, &str)] = &[#(#schema_rows)*];

        /// Deserializes `value` as the payload `target` of `operation` and serializes it back.
        pub fn round_trip(
            operation: &str,
            target: Target,
            value: serde_json::Value,
        ) -> Result<serde_json::Value, RoundTripError> {
            #unused_value
            #target_body
        }

        /// Deserializes `value` as the component schema `name` and serializes it back.
        pub fn round_trip_schema(
            name: &str,
            value: serde_json::Value,
        ) -> Result<serde_json::Value, RoundTripError> {
            #unused_schema_value
            #schema_body
        }

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
    // Bytes and text bodies have no JSON to round-trip.
    let json_shaped =
        |body: &&RequestBody| !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text);
    if let Some(body) = op.body.as_ref().filter(json_shaped) {
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
            let named = TypeRef::Named(def.name.clone());
            // A component that admits `null` is an `Option` of its type.
            let ty = if api.nullable_types.contains(&def.name) {
                TypeRef::Nullable(Box::new(named))
            } else {
                named
            };
            Some((def.component.clone()?, ty))
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
        TypeRef::Nullable(inner) => format!("Option<{}>", type_label(inner)),
        TypeRef::Binary => "File".to_owned(),
    }
}
