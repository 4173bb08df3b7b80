//! The public Rust API of a generated crate, as a small deterministic
//! manifest (`api-manifest.json` at the crate's root), and what changes
//! between two of them mean for the crate's users.
//!
//! The manifest is read off the generated source itself (parsed with syn),
//! so it records exactly what callers compile against: each method of
//! `Client` with its arguments and return type, each type in `types` with
//! its fields (Rust type, whether it must be given) or variants, and each
//! error enum in `errors` with its variants. The IR adds where each item
//! comes from in the spec (a JSON pointer), and a hash of each item's docs
//! lets documentation-only changes be told apart.
//!
//! [`compare()`] classes the differences as breaking, additive or
//! documentation-only, and [`Bump`] turns the worst of them into the
//! semver bump it implies.
//!
//! Its neighbour `spec_diff` compares two specs on the wire; this module
//! compares the Rust APIs generated from them. The manifest is built in
//! `parallel` (which reads the items off each rendered file) and the crate
//! root's `generate`.

mod compare;
mod extract;

pub use compare::{ApiChange, ApiChanges, Bump, ChangeClass, compare};
pub(crate) use extract::TypeItems;

use crate::error::{Error, Result};
use crate::ir;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the manifest is written, relative to the crate root.
pub const MANIFEST_PATH: &str = "api-manifest.json";

/// The public API of one generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Says how the file was made (JSON has no comments).
    #[serde(rename = "@generated", default)]
    pub generated: String,
    /// `Client` methods, by name.
    pub operations: BTreeMap<String, OperationItem>,
    /// Items of the `types` module, by name.
    pub types: BTreeMap<String, TypeItem>,
    /// Items of the `errors` module, by name.
    pub errors: BTreeMap<String, TypeItem>,
    /// Items of the `responses` module (enums of several success
    /// statuses), by name; absent when the crate has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, TypeItem>,
    /// Items of the `webhooks` module (the `Event` enum), by name; absent
    /// when the API sends no events.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub webhooks: BTreeMap<String, TypeItem>,
}

/// One public method of `Client`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationItem {
    /// The spec operation it calls (JSON pointer), if it calls one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    /// Arguments after `&self`, in order: name and Rust type.
    pub arguments: Vec<Argument>,
    /// The return type, as written.
    pub returns: String,
    /// A hash of the method's docs.
    pub docs: String,
}

/// One argument of a method.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argument {
    /// Its name.
    pub name: String,
    /// Its Rust type, as written.
    #[serde(rename = "type")]
    pub ty: String,
}

/// One public type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeItem {
    /// The schema or operation it comes from (JSON pointer).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    /// `struct`, `enum` or `type` (an alias).
    pub kind: String,
    /// A hash of the type's docs.
    pub docs: String,
    /// A struct's public fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldItem>,
    /// An enum's variants: the payload's Rust type, empty for none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    /// An alias's target.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// Public associated items of inherent impls: a constant's type, or a
    /// function's signature.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub associated: BTreeMap<String, String>,
}

/// One public field of a struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldItem {
    /// Its Rust type, as written.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether a value must be given (the type is not an `Option`).
    pub required: bool,
    /// The property it comes from (JSON pointer).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    /// A hash of the field's docs.
    pub docs: String,
}

/// The public items read off the generated files, before the IR adds
/// their spec pointers: each part is read from its file's syn tree while
/// the file is rendered ([`Sources::operations_of`], [`Sources::types_of`]).
#[derive(Debug, Default)]
pub struct Sources {
    /// The public methods in `src/operations.rs`.
    pub operations: BTreeMap<String, OperationItem>,
    /// The public items of `src/types.rs`.
    pub types: BTreeMap<String, TypeItem>,
    /// The public items of `src/errors.rs`.
    pub errors: BTreeMap<String, TypeItem>,
    /// The public items of `src/responses.rs`, if there is one.
    pub responses: BTreeMap<String, TypeItem>,
    /// The public items of `src/webhooks.rs`, if there is one.
    pub webhooks: BTreeMap<String, TypeItem>,
    /// The request types of `src/calls.rs`, by name.
    pub calls: BTreeMap<String, CallItem>,
}

/// What the manifest needs of one request type in `calls`: a method that
/// returns a `Call` of it is recorded as returning `Result<Output,
/// Error<E>>`, and the setters of its optional arguments as methods of
/// `Call<calls::Name>`.
#[derive(Debug, Default)]
pub struct CallItem {
    /// `Operation::Output`, as written.
    pub output: String,
    /// `Operation::Error`, as written.
    pub error: String,
    /// The public methods of `Call<Name>`, by name.
    pub setters: BTreeMap<String, OperationItem>,
}

impl Sources {
    /// The public methods of inherent impls in the client's file: `Client`'s
    /// by method name, any other type's as `Type::method`.
    pub fn operations_of(file: &syn::File) -> BTreeMap<String, OperationItem> {
        extract::client_methods(file)
    }

    /// The request types of the calls file.
    pub fn calls_of(file: &syn::File) -> BTreeMap<String, CallItem> {
        extract::calls(file)
    }

    /// The public structs, enums and aliases of a models, errors or
    /// responses file, with the public associated items of their inherent
    /// impls.
    pub fn types_of(file: &syn::File) -> BTreeMap<String, TypeItem> {
        extract::types(file)
    }
}

impl Manifest {
    /// The manifest of the crate whose files are `sources`, generated
    /// from `api`.
    pub fn build(api: &ir::Api, sources: Sources, generated: &str) -> Self {
        let mut operations = sources.operations;
        for item in operations.values_mut() {
            let call = item
                .returns
                .strip_prefix("Call<calls::")
                .and_then(|rest| rest.strip_suffix('>'))
                .and_then(|name| sources.calls.get(name));
            if let Some(call) = call {
                item.returns = format!("Call -> Result<{}, Error<{}>>", call.output, call.error);
            }
        }
        for (name, call) in sources.calls {
            for (setter, item) in call.setters {
                operations.insert(format!("Call<calls::{name}>::{setter}"), item);
            }
        }
        let mut manifest = Manifest {
            generated: generated.to_owned(),
            operations,
            types: sources.types,
            errors: sources.errors,
            responses: sources.responses,
            webhooks: sources.webhooks,
        };
        manifest.locate(api);
        manifest
    }

    /// Adds the spec pointer of every item the IR knows.
    fn locate(&mut self, api: &ir::Api) {
        for def in api.types.values() {
            let Some(item) = self.types.get_mut(&def.name) else {
                continue;
            };
            item.pointer.clone_from(&def.pointer);
            if let ir::TypeKind::Struct(fields) = &def.kind {
                for field in fields.fields.iter().chain(&fields.additional) {
                    if let Some(entry) = item.fields.get_mut(&field.name) {
                        entry.pointer.clone_from(&field.pointer);
                    }
                }
            }
        }
        let call_names = crate::emit_client::call_type_names(api);
        for (op, name) in api.operations.iter().zip(call_names) {
            for (setter, part) in [("body", "requestBody"), ("params", "parameters")] {
                let key = format!("Call<calls::{name}>::{setter}");
                if let Some(item) = self.operations.get_mut(&key) {
                    item.pointer = crate::pointer::join(&op.pointer, &[part]);
                }
            }
        }
        let error_names = crate::emit_client::error_enum_names(api);
        for (op, error_name) in api.operations.iter().zip(error_names) {
            for method in [
                op.method_name.clone(),
                format!("{}_stream", op.method_name),
                format!("{}_pages", op.method_name),
            ] {
                if let Some(item) = self.operations.get_mut(&method) {
                    item.pointer.clone_from(&op.pointer);
                }
            }
            for item in [
                self.errors.get_mut(&error_name),
                self.responses
                    .get_mut(&crate::emit_client::success_enum_name(&error_name)),
            ]
            .into_iter()
            .flatten()
            {
                item.pointer = crate::pointer::join(&op.pointer, &["responses"]);
            }
        }
    }

    /// The manifest as JSON text: keys sorted, one style, a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest always serializes");
        text.push('\n');
        text
    }

    /// Reads a manifest written by [`Manifest::to_json`].
    pub fn parse(text: &str, file: &Path) -> Result<Self> {
        serde_json::from_str(text).map_err(|err| Error::Parse {
            file: file.to_owned(),
            location: Some((err.line(), err.column())),
            message: format!("not an API manifest: {err}"),
        })
    }
}

/// A short, stable hash of documentation text (FNV-1a, 64 bits, in hex):
/// enough to notice that docs changed, without keeping them.
fn docs_hash(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
