//! Generates Rust code from an OpenAPI 3.0 or 3.1 document (YAML or JSON).
//!
//! The pipeline, one module per step:
//!
//! 1. `load`: read the file into the `openapiv3` model ([`load_file`]);
//! 2. `lower`: build the plain-data [`ir::Api`] ([`build_ir`]), following
//!    `$ref`s through `refs` (the one resolver: dangling references and
//!    cycles are errors with their pointer) and naming every type through
//!    the one sanitiser in `names`;
//! 3. emit, from the IR only, tokens with `quote`: (a) `emit_types`, the
//!    models (`src/types.rs`); (b) `emit_client`, the client's
//!    per-operation methods and error enums (`src/operations.rs`,
//!    `src/errors.rs`), beside the client's fixed runtime, embedded from
//!    the `runtime/` crate by `runtime_files`; (c) `emit_contract`, the contract table
//!    (`src/contract.rs`);
//! 4. `render`: parse and print the tokens with `prettyplease`.
//!
//! Steps 3 and 4 run in `parts`, on every core: each worker thread emits,
//! parses and prints a file or a run of models at a time, and the parts are
//! joined in order, so the output does not depend on the number of cores.
//!
//! [`generate`] runs all of it and returns the files of the generated crate;
//! [`sync`] writes them, or checks that what is on disk is current.
//! [`CrateConfig`] reads the generated crate's configuration.
//! [`api_manifest`] records the crate's public Rust API with it
//! (`api-manifest.json`) and says what a regeneration changes for users.
//!
//! # Type mapping
//!
//! | schema | Rust |
//! |---|---|
//! | `string` (any `format`: `uuid`, `email`, `date-time`, `date`, `password`, decimal strings via `x-format`) | `String` — the format is named in the field's docs; a string keeps exactly what the server sent, so values round-trip byte for byte and a server that stretches a format never breaks deserialization. Validation of formats belongs to the contract checks. |
//! | `string` with `enum` | an enum with one variant per value and a catch-all variant keeping any other value |
//! | `integer` (`int32`) | `i32` |
//! | `integer` (`int64` or no format) | `i64` |
//! | `number` | `f64` |
//! | `boolean` | `bool` |
//! | `array` | `Vec<T>` |
//! | `object` with `properties` | a struct; `additionalProperties` beside them is collected into a flattened map field |
//! | `object` with only `additionalProperties: {schema}` | `BTreeMap<String, T>` |
//! | free-form `object`, or no `type` | `serde_json::Value` |
//! | `allOf` | one struct with the members' properties merged; a property one member leaves open (`{}`) takes a later member's type; members that give a property different types keep the first, with a warning at the later one |
//! | `oneOf` / `anyOf` / `allOf` beside `properties`, with members that add no property (`required`, `not`, `additionalProperties`, `minProperties`/`maxProperties`, constraints on declared properties) | the struct of the object part (`properties`, merged with any `allOf` members); a `oneOf`/`anyOf` member's `required` leaves the field optional and the contract checks keep the rule; a property only a member declares is an optional field; a member that is not an object is an error at its pointer |
//! | `oneOf` / `anyOf` | an untagged enum, one variant per member, named from its `title`, its `$ref`, an implicit one-value-enum tag, or its shape (`Strings`, `FloatRows`), numbered only as a last resort |
//! | an inline schema equal to a component but for annotations | the component's type |
//! | `oneOf` / `anyOf` of `$ref`s with a `discriminator` | an enum whose variant the tag property's value picks (the `mapping` keys naming a member, else its component key), one variant per member named after its first mapping key or its component, and an `Unknown(serde_json::Value)` variant keeping any other tag; hand-written serde impls, so each member's struct keeps its tag field; a member that is not a `$ref` leaves the union untagged, with a warning |
//! | not `required` or `nullable` | `Option<T>`, omitted from output when `None` |
//!
//! Fields whose schema has `format: password` or `x-sensitive: true` (the
//! referenced schema's, through a `$ref`) are printed as `"[redacted]"` by
//! the generated `Debug`; a field's name never makes it a secret (see
//! [`is_sensitive`]).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod api_manifest;
mod config;
mod docs;
mod emit_client;
mod emit_contract;
mod emit_types;
mod error;
pub mod ir;
mod load;
mod lower;
mod media;
mod names;
mod parts;
// The one JSON-pointer escaper, shared with the runtime (which generated
// crates embed), so it lives there.
#[path = "../../runtime/src/pointer.rs"]
pub mod pointer;
mod refs;
mod render;
mod runtime_files;
mod secrets;
pub mod spec_diff;
pub mod spec_sync;
mod sync;

pub use config::{CrateConfig, DEPENDENCIES, FEATURES};
pub use error::{Error, Result, Warning};
pub use load::{Spec, line_in, load_file, load_str};
pub use media::{is_json_media_type, json_media};
pub use pointer::join;
pub use refs::component_name;
pub use secrets::is_sensitive;
pub use sync::{Drift, GeneratedFile, sync, unified_diff};

use quote::quote;

/// Builds the intermediate representation of a loaded spec.
pub fn build_ir(spec: &Spec) -> Result<ir::Api> {
    lower::build(spec)
}

/// How the generated files describe where they came from.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec's path as it should appear in the `@generated` line
    /// (relative to the workspace, so the output does not depend on where
    /// the repository is checked out).
    pub spec_label: String,
    /// The command that regenerates the files.
    pub command: String,
    /// The generated crate's library name, as its doc examples `use` it
    /// (e.g. `telnyx_managed_accounts`).
    pub lib_name: String,
    /// Prefix of the environment variables the client's `from_env` reads:
    /// `{prefix}_API_KEY` and `{prefix}_BASE_URL` (e.g. `TELNYX`).
    pub env_prefix: String,
}

impl Options {
    /// The `// @generated` header of every generated file.
    pub fn header(&self) -> String {
        runtime_files::header(&self.command, &self.spec_label)
    }
}

/// Generates the source files of the crate (paths relative to its root).
pub fn generate(spec: &Spec, options: &Options) -> Result<Vec<GeneratedFile>> {
    let api = build_ir(spec)?;
    generate_from_ir(&api, options)
}

/// Generates the source files from an already built IR, on as many
/// threads as the machine has cores (the output does not depend on it).
pub fn generate_from_ir(api: &ir::Api, options: &Options) -> Result<Vec<GeneratedFile>> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    generate_with(api, options, workers, parts::TYPES_PER_PART)
}

/// [`generate_from_ir`] with `workers` threads and `types_per_part` models
/// in each part of `src/types.rs`.
fn generate_with(
    api: &ir::Api,
    options: &Options,
    workers: usize,
    types_per_part: usize,
) -> Result<Vec<GeneratedFile>> {
    let header = options.header();
    let client_names = emit_client::ClientNames {
        lib_name: &options.lib_name,
        env_prefix: &options.env_prefix,
    };
    let (mut files, sources) =
        parts::render_files(api, &header, &client_names, workers, types_per_part)?;
    for (path, contents) in runtime_files::runtime_sources(&header, !api.webhooks.is_empty()) {
        files.push(GeneratedFile {
            path: path.into(),
            contents,
        });
    }
    let note = header.trim_start_matches("// ").trim_end();
    let manifest = api_manifest::Manifest::build(api, sources, note);
    files.push(GeneratedFile {
        path: api_manifest::MANIFEST_PATH.into(),
        contents: manifest.to_json(),
    });
    Ok(files)
}

/// What regenerating a crate into `files` changes in its public Rust API,
/// against the manifest `previous` read from the crate on disk (`at` names
/// it in errors). `None` when `files` has no manifest.
pub fn api_changes(
    previous: &str,
    at: &std::path::Path,
    files: &[GeneratedFile],
) -> Result<Option<api_manifest::ApiChanges>> {
    let Some(file) = files
        .iter()
        .find(|file| file.path == std::path::Path::new(api_manifest::MANIFEST_PATH))
    else {
        return Ok(None);
    };
    let old = api_manifest::Manifest::parse(previous, at)?;
    let new = api_manifest::Manifest::parse(&file.contents, at)?;
    Ok(Some(api_manifest::compare(&old, &new)))
}

/// Renders one named type and its impls on their own (for review and
/// snapshots).
pub fn render_type(api: &ir::Api, name: &str) -> Result<String> {
    let def = api.types.get(name).ok_or_else(|| Error::Render {
        item: name.to_owned(),
        message: "no such type".to_owned(),
    })?;
    let tokens = emit_types::type_def(def);
    render::file(tokens, "", name)
}

/// Tokens of `src/lib.rs`.
fn lib_tokens(api: &ir::Api) -> proc_macro2::TokenStream {
    let mut text = api.title.clone();
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!(
        "\n\nGenerated from version `{}` of the API description. The models are in [`types`]; \
         with the `contract` feature, `contract` maps each operation's payloads to them, for \
         contract tests.",
        api.version
    ));
    text.push_str("\n\n");
    text.push_str(emit_client::LIB_DOC);
    let docs = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #line] }
    });
    // The files are formatted by prettyplease, whose layout differs from
    // rustfmt's in places; `cargo fmt` must leave them as generated, or
    // `generate --check` would then report drift.
    let client = emit_client::lib_items(api);
    quote! {
        #(#docs)*
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #[rustfmt::skip]
        pub mod types;

        #[cfg(feature = "contract")]
        #[rustfmt::skip]
        pub mod contract;
        #client
    }
}

/// Tokens of the models from the `skip`-th, `take` of them, in name
/// order: a part of `src/types.rs`. The first part has the file's docs and
/// imports.
fn types_tokens(api: &ir::Api, skip: usize, take: usize) -> proc_macro2::TokenStream {
    let items = api
        .types
        .values()
        .skip(skip)
        .take(take)
        .map(emit_types::type_def);
    if skip > 0 {
        return quote! { #(#items)* };
    }
    let doc = format!(
        " Models for the schemas, parameters and bodies of {}.",
        api.title
    );
    // Aliases name other types; every other kind derives or implements
    // the serde traits.
    let uses_serde = api
        .types
        .values()
        .any(|def| !matches!(def.kind, ir::TypeKind::Alias(_)));
    let imports = uses_serde.then(|| quote! { use serde::{Deserialize, Serialize}; });
    quote! {
        #![doc = #doc]

        #imports

        #(#items)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output is the same whether one thread renders each file whole
    /// or several threads render the models one per part.
    #[test]
    fn the_output_does_not_depend_on_workers_or_parts() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/specs/client_shapes.yaml");
        let spec = load_file(&path).expect("the fixture loads");
        let api = build_ir(&spec).expect("the fixture lowers");
        assert!(api.types.len() > 3, "the fixture has several models");
        let options = Options {
            spec_label: "client_shapes.yaml".to_owned(),
            command: "test".to_owned(),
            lib_name: "client_shapes".to_owned(),
            env_prefix: "SHAPES".to_owned(),
        };
        let whole = generate_with(&api, &options, 1, usize::MAX).expect("generates");
        for (workers, per_part) in [(3, 1), (2, 2), (8, 3)] {
            let split = generate_with(&api, &options, workers, per_part).expect("generates");
            assert_eq!(split.len(), whole.len());
            for (a, b) in whole.iter().zip(&split) {
                assert_eq!(a.path, b.path);
                assert!(
                    a.contents == b.contents,
                    "{} differs with {workers} workers and {per_part} model(s) per part",
                    a.path.display()
                );
            }
        }
    }
}
