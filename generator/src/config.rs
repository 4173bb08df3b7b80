//! The generated crate's configuration: where its spec is and what the
//! generated code calls things, read from the crate's own `Cargo.toml`.
//!
//! ```toml
//! [package]
//! name = "telnyx-managed-accounts"   # the crate name
//!
//! [lib]
//! name = "telnyx_managed_accounts"   # optional: the library name
//!
//! [package.metadata.generator]
//! spec = "spec/managed_accounts.yaml"  # relative to the workspace root
//! env_prefix = "TELNYX"                # {prefix}_API_KEY, {prefix}_BASE_URL
//! ```
//!
//! `cargo xtask generate`, its `--check`, the freshness test and the
//! contract commands all read it through [`CrateConfig::load`], so there is
//! one place to change.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What `cargo xtask generate` needs to know about the crate it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateConfig {
    /// The package name (`[package] name`).
    pub crate_name: String,
    /// The library name (`[lib] name`, or the package name with `-` as `_`).
    pub lib_name: String,
    /// Prefix of the environment variables the client reads.
    pub env_prefix: String,
    /// The spec, relative to the workspace root.
    pub spec: PathBuf,
}

#[derive(Deserialize)]
struct Manifest {
    package: Package,
    lib: Option<Lib>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Lib {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    generator: Option<GeneratorMetadata>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratorMetadata {
    spec: PathBuf,
    env_prefix: String,
}

impl CrateConfig {
    /// Reads the configuration from the crate's `Cargo.toml`.
    pub fn load(manifest: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(manifest).map_err(|source| Error::Io {
            path: manifest.to_path_buf(),
            source,
        })?;
        Self::parse(&text, manifest)
    }

    /// Parses the text of a `Cargo.toml`; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let manifest: Manifest = toml::from_str(text).map_err(|err| Error::Parse {
            file: path.to_path_buf(),
            location: err.span().map(|span| line_and_column(text, span.start)),
            message: err.message().to_owned(),
        })?;
        let metadata = manifest
            .package
            .metadata
            .and_then(|m| m.generator)
            .ok_or_else(|| Error::Parse {
                file: path.to_path_buf(),
                location: None,
                message: "no [package.metadata.generator] table (with `spec` and `env_prefix`)"
                    .to_owned(),
            })?;
        let lib_name = manifest
            .lib
            .and_then(|lib| lib.name)
            .unwrap_or_else(|| manifest.package.name.replace('-', "_"));
        Ok(Self {
            crate_name: manifest.package.name,
            lib_name,
            env_prefix: metadata.env_prefix,
            spec: metadata.spec,
        })
    }

    /// The generator options for writing this crate with `command`.
    pub fn options(&self, command: &str) -> crate::Options {
        crate::Options {
            spec_label: self.spec.display().to_string().replace('\\', "/"),
            command: command.to_owned(),
            lib_name: self.lib_name.clone(),
            env_prefix: self.env_prefix.clone(),
        }
    }
}

/// One-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_metadata() {
        let text = r#"
[package]
name = "my-api"
[package.metadata.generator]
spec = "spec/my.yaml"
env_prefix = "MY"
"#;
        let config = CrateConfig::parse(text, "Cargo.toml".as_ref()).unwrap();
        assert_eq!(config.lib_name, "my_api");
        assert_eq!(config.env_prefix, "MY");
        assert_eq!(config.spec, PathBuf::from("spec/my.yaml"));
    }

    #[test]
    fn a_syntax_error_has_its_line() {
        let err = CrateConfig::parse("[package]\nname = \n", "Cargo.toml".as_ref()).unwrap_err();
        assert!(err.to_string().starts_with("Cargo.toml:2:"), "{err}");
    }

    #[test]
    fn missing_table_is_an_error_naming_the_file() {
        let err =
            CrateConfig::parse("[package]\nname = \"x\"\n", "x/Cargo.toml".as_ref()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("x/Cargo.toml"), "{text}");
        assert!(text.contains("package.metadata.generator"), "{text}");
    }
}
