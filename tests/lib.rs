//! Shared helpers for the integration tests in this folder: where the
//! workspace, the spec and the fixture specs are, and the options `cargo
//! xtask generate` uses.
//!
//! It also includes the pages of `docs/` (one private module each, at the
//! end of this file), so that `cargo test -p tests --doc` compiles every
//! `rust` block of the documentation against the real crates: the
//! project's generated crate and the fixture crates of `tests/clients/`.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

/// The workspace root (this crate lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

/// The command that regenerates `generated/`.
pub const GENERATE_COMMAND: &str = "cargo xtask generate";

/// The generated crate's configuration (`[package.metadata.generator]` in
/// `generated/Cargo.toml`), as `cargo xtask generate` reads it.
pub fn crate_config() -> generator::CrateConfig {
    let manifest = workspace_root().join("generated/Cargo.toml");
    generator::CrateConfig::load(&manifest).unwrap_or_else(|err| panic!("{err}"))
}

/// The options `cargo xtask generate` passes to the generator.
pub fn xtask_options() -> generator::Options {
    crate_config().options(GENERATE_COMMAND)
}

/// Loads the real spec, failing the test with the generator's message.
pub fn load_real_spec() -> generator::Spec {
    let path = workspace_root().join(crate_config().spec);
    generator::load_file(&path).unwrap_or_else(|err| panic!("loading the spec: {err}"))
}

/// The folder of hand-written fixture specs.
pub fn fixture_specs_dir() -> PathBuf {
    workspace_root().join("tests/fixtures/specs")
}

/// The names (file stems) of every fixture spec, sorted.
pub fn fixture_spec_names() -> Vec<String> {
    let dir = fixture_specs_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .collect();
    names.sort();
    names
}

/// Loads the fixture spec `tests/fixtures/specs/{name}.yaml`.
pub fn load_fixture(name: &str) -> generator::Spec {
    let path = fixture_specs_dir().join(format!("{name}.yaml"));
    generator::load_file(&path).unwrap_or_else(|err| panic!("loading fixture {name}: {err}"))
}

/// Loads a fixture spec and builds its IR.
pub fn fixture_ir(name: &str) -> generator::ir::Api {
    generator::build_ir(&load_fixture(name))
        .unwrap_or_else(|err| panic!("building the IR of fixture {name}: {err}"))
}

/// Options for generating a fixture spec.
pub fn fixture_options(name: &str) -> generator::Options {
    generator::Options {
        spec_label: format!("tests/fixtures/specs/{name}.yaml"),
        command: "the compile_fixtures test".to_owned(),
        lib_name: format!("fixture_{name}"),
        env_prefix: "FIXTURE".to_owned(),
    }
}

/// Renders one type of `api`, failing the test with the generator's message.
pub fn render(api: &generator::ir::Api, name: &str) -> String {
    generator::render_type(api, name).unwrap_or_else(|err| panic!("rendering {name}: {err}"))
}

/// Lookups into the IR and assertions on rendered code, for the generator
/// tests. Each fails the test with a message naming what it looked for.
pub mod ir {
    use generator::ir::{Api, EnumDef, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionVariant};

    /// The serde attribute of an optional field.
    pub const SKIP_NONE: &str = "#[serde(default, skip_serializing_if = \"Option::is_none\")]";

    /// The named type `name`.
    #[track_caller]
    pub fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        api.types
            .get(name)
            .unwrap_or_else(|| panic!("no type {name}; the types are {:?}", api.types.keys()))
    }

    /// The struct `name`.
    #[track_caller]
    pub fn struct_of<'a>(api: &'a Api, name: &str) -> &'a StructDef {
        match &def(api, name).kind {
            TypeKind::Struct(s) => s,
            other => panic!("{name} should be a struct, is {other:?}"),
        }
    }

    /// The enum `name`.
    #[track_caller]
    pub fn enum_of<'a>(api: &'a Api, name: &str) -> &'a EnumDef {
        match &def(api, name).kind {
            TypeKind::Enum(e) => e,
            other => panic!("{name} should be an enum, is {other:?}"),
        }
    }

    /// The variants of the union `name`.
    #[track_caller]
    pub fn union_of<'a>(api: &'a Api, name: &str) -> &'a [UnionVariant] {
        match &def(api, name).kind {
            TypeKind::Union(variants) => variants,
            other => panic!("{name} should be a union, is {other:?}"),
        }
    }

    /// What the alias `name` stands for.
    #[track_caller]
    pub fn alias_of<'a>(api: &'a Api, name: &str) -> &'a TypeRef {
        match &def(api, name).kind {
            TypeKind::Alias(ty) => ty,
            other => panic!("{name} should be an alias, is {other:?}"),
        }
    }

    /// The field for the property `wire_name`.
    #[track_caller]
    pub fn field<'a>(s: &'a StructDef, wire_name: &str) -> &'a Field {
        s.fields
            .iter()
            .find(|f| f.wire_name == wire_name)
            .unwrap_or_else(|| panic!("no field for property `{wire_name}`"))
    }

    /// A reference to the named type `name`.
    pub fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    /// A string without a format.
    pub fn string() -> TypeRef {
        TypeRef::String { format: None }
    }

    /// Fails unless `text` contains `snippet`.
    #[track_caller]
    pub fn assert_contains(text: &str, snippet: &str) {
        assert!(
            text.contains(snippet),
            "expected the rendered code to contain\n{snippet}\n--- but it is:\n{text}"
        );
    }

    /// Fails if `text` contains `snippet`.
    #[track_caller]
    pub fn assert_lacks(text: &str, snippet: &str) {
        assert!(
            !text.contains(snippet),
            "expected the rendered code not to contain\n{snippet}\n--- but it is:\n{text}"
        );
    }
}

pub mod contract_support;
pub mod json_schema_strategy;

// The README and the documentation pages, one module each: their `rust`
// blocks are doctests (`tests/docs.rs` checks that every page is here, and
// checks their other blocks).
#[doc = include_str!("../README.md")]
mod readme {}
#[doc = include_str!("../docs/README.md")]
mod docs_index {}
#[doc = include_str!("../docs/architecture.md")]
mod docs_architecture {}
#[doc = include_str!("../docs/generating.md")]
mod docs_generating {}
#[doc = include_str!("../docs/client.md")]
mod docs_client {}
#[doc = include_str!("../docs/mapping.md")]
mod docs_mapping {}
#[doc = include_str!("../docs/contract.md")]
mod docs_contract {}
#[doc = include_str!("../docs/mock.md")]
mod docs_mock {}
#[doc = include_str!("../docs/spec-sync.md")]
mod docs_spec_sync {}
#[doc = include_str!("../docs/webhooks-and-streams.md")]
mod docs_webhooks_and_streams {}
#[doc = include_str!("../docs/benchmarks.md")]
mod docs_benchmarks {}
