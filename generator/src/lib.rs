//! Generates Rust code from an OpenAPI 3.0 or 3.1 document (YAML or JSON).
//!
//! # The pipeline
//!
//! load → resolve → IR → emit → render, each step in its own module:
//!
//! 1. **load** (`load`): read the file into the `openapiv3` model
//!    ([`load_file`], [`load_str`]); syntax and shape errors give the file,
//!    line and column.
//! 2. **resolve and lower** (`lower`): build the plain-data IR,
//!    [`ir::Api`] ([`build_ir`]). `$ref`s are followed on demand through
//!    `refs`, the one resolver (dangling references and cycles are errors
//!    with their pointer), and every type is named through the one
//!    sanitiser in `names`. From here on nothing reads the document.
//! 3. **emit**, from the IR only, tokens with `quote`, one emitter per
//!    file of the generated crate:
//!    - `emit_lib`: `src/lib.rs` (crate docs, modules, re-exports);
//!    - `emit_types`: the models (`src/types.rs`);
//!    - `emit_client`: the client: its per-operation methods and request
//!      types (`src/operations.rs`, `src/calls.rs`), error and success
//!      enums (`src/errors.rs`, `src/responses.rs`) and webhook events
//!      (`src/webhooks.rs`), beside the client's fixed runtime, embedded
//!      from the `runtime/` crate (`src/runtime/`) by `runtime_files`;
//!    - `emit_contract`: the contract table (`src/contract.rs`).
//!
//!    They share `docs` (spec text → rustdoc-safe markdown), `media`
//!    (which media types are JSON or text) and `secrets` (which fields are
//!    secrets).
//! 4. **render** (`render`): parse the tokens with syn and print them with
//!    `prettyplease`.
//!
//! Steps 3 and 4 run in `parallel`, on every core: each worker thread
//! emits, parses and prints a file or a run of models at a time, and the
//! parts are joined in order, so the output does not depend on the number
//! of cores.
//!
//! # Around the pipeline
//!
//! - [`generate`] runs all of it and returns the files of the generated
//!   crate ([`GeneratedFile`]); [`Options`] (`options`) says what the files
//!   name as their origin and what the client is called.
//! - [`sync`] (`on_disk`) writes the files, or checks that what is on disk
//!   is current; `cargo xtask generate` and its `--check` both use it.
//! - [`CrateConfig`] (`config`) reads a generated crate's configuration
//!   from its `Cargo.toml`.
//! - Three modules compare or cut documents, and are easy to confuse:
//!   [`spec_diff`] compares two specs on the wire (what a new spec version
//!   breaks for requests and responses); [`api_manifest`] records the
//!   public Rust API generated from a spec (`api-manifest.json`) and
//!   compares two of those (what a regeneration breaks for the crate's
//!   users, [`api_changes`]); [`upstream_sync`] cuts a fragment (the
//!   selected operations and what they use, plus a local overlay) out of
//!   a larger upstream document (`cargo xtask spec sync`), with no
//!   comparison at all.
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
mod emit_lib;
mod emit_types;
mod error;
pub mod ir;
mod load;
mod lower;
mod media;
mod names;
mod on_disk;
mod options;
mod parallel;
// The one JSON-pointer escaper, shared with the runtime (which generated
// crates embed), so it lives there.
#[path = "../../runtime/src/pointer.rs"]
pub mod pointer;
mod refs;
mod render;
mod runtime_files;
mod secrets;
pub mod spec_diff;
pub mod upstream_sync;

pub use config::{CrateConfig, DEPENDENCIES, FEATURES};
pub use error::{Error, Result, Warning};
pub use load::{Spec, line_in, load_file, load_str};
pub use media::{is_json_media_type, json_media};
pub use on_disk::{Drift, GeneratedFile, sync, unified_diff};
pub use options::Options;
pub use pointer::join;
pub use refs::component_name;
pub use secrets::is_sensitive;

/// Builds the intermediate representation of a loaded spec.
pub fn build_ir(spec: &Spec) -> Result<ir::Api> {
    lower::build(spec)
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
    generate_with(api, options, workers, parallel::TYPES_PER_PART)
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
        parallel::render_files(api, &header, &client_names, workers, types_per_part)?;
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
