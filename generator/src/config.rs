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
use crate::options::Options;
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
    /// Only the operations under these path prefixes or with these tags
    /// (and what they use) are generated; both empty: the whole spec.
    pub selection: crate::upstream_sync::Selection,
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
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
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
            selection: crate::upstream_sync::Selection {
                paths: metadata.paths,
                tags: metadata.tags,
            },
        })
    }

    /// The generator options for writing this crate with `command`.
    pub fn options(&self, command: &str) -> Options {
        Options {
            spec_label: crate::runtime_files::spec_label(&self.spec),
            command: command.to_owned(),
            lib_name: self.lib_name.clone(),
            env_prefix: self.env_prefix.clone(),
        }
    }
}

/// The dependencies of every generated crate, with explicit versions (the
/// workspace pins the same ones): serde for the models, the rest for the
/// client and its runtime; the crypto crates only with the `webhooks`
/// feature.
pub const DEPENDENCIES: &str = "\
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"multipart\"] }
rustls = { version = \"0.23\", default-features = false, features = [\"std\", \"tls12\", \"ring\"], optional = true }
tokio = { version = \"1\", default-features = false, features = [\"time\"] }
futures-core = { version = \"0.3\", default-features = false }
futures-util = { version = \"0.3\", default-features = false }
serde_path_to_error = \"0.1\"
percent-encoding = \"2\"
httpdate = \"1\"
tracing = { version = \"0.1\", default-features = false, features = [\"std\"] }
ed25519-dalek = { version = \"2\", default-features = false, features = [\"std\"], optional = true }
hmac = { version = \"0.12\", optional = true }
sha2 = { version = \"0.10\", default-features = false, optional = true }
base64 = { version = \"0.22\", optional = true }
";

/// The `[features]` of a generated crate: the TLS backend (rustls with the
/// `ring` provider by default, which needs no CMake; rustls with aws-lc-rs,
/// or the platform's native TLS, instead), the contract table, and webhook
/// verification.
pub const FEATURES: &str = "\
default = [\"rustls-ring\"]
# TLS with rustls and its `ring` provider (the default: no CMake or OpenSSL).
rustls-ring = [\"reqwest/rustls-no-provider\", \"dep:rustls\"]
# TLS with rustls and its `aws-lc-rs` provider (builds aws-lc-sys: CMake and a C compiler).
rustls-aws-lc = [\"reqwest/rustls\"]
# The platform's TLS (OpenSSL on Linux, Secure Transport on macOS, SChannel on Windows).
native-tls = [\"reqwest/native-tls\"]
# The contract table (`contract` module), for contract tests.
contract = []
# Webhooks: verify and parse the events the API sends (the `webhooks` module), where the document has any.
webhooks = [\"dep:ed25519-dalek\", \"dep:hmac\", \"dep:sha2\", \"dep:base64\"]
";

impl CrateConfig {
    /// A configuration for a new crate, with names derived from the spec's
    /// `info.title` where none is given: `Pet Store API` gives the crate
    /// `pet-store-api`, the library `pet_store_api` and the prefix
    /// `PET_STORE_API`.
    pub fn for_new_crate(
        title: &str,
        spec: &Path,
        crate_name: Option<&str>,
        lib_name: Option<&str>,
        env_prefix: Option<&str>,
    ) -> Self {
        use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase};
        let words: String = title
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        // Words are split as written; inside one, case changes split it too
        // (`PetStore` → `pet-store`), except for a plural acronym (`APIs`).
        let mut base = words
            .split_whitespace()
            .map(|word| match word.strip_suffix('s') {
                Some(acronym)
                    if acronym.len() > 1 && acronym.chars().all(|c| !c.is_ascii_lowercase()) =>
                {
                    word.to_ascii_lowercase()
                }
                _ => word.to_kebab_case(),
            })
            .collect::<Vec<_>>()
            .join("-");
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("api-{base}").trim_end_matches('-').to_owned();
        }
        let crate_name = crate_name.map_or(base.clone(), str::to_owned);
        let lib_name = lib_name.map_or_else(|| crate_name.to_snake_case(), str::to_owned);
        let env_prefix = env_prefix.map_or_else(|| base.to_shouty_snake_case(), str::to_owned);
        Self {
            crate_name,
            lib_name,
            env_prefix,
            spec: spec.to_path_buf(),
            selection: crate::upstream_sync::Selection::default(),
        }
    }

    /// The `Cargo.toml` of a crate that builds on its own: explicit
    /// dependency versions, the `contract` feature, and this configuration
    /// in `[package.metadata.generator]` so that regenerating reads it back.
    pub fn manifest(&self, description: &str) -> String {
        let quote = |text: &str| format!("{text:?}");
        format!(
            "[package]\n\
             name = {name}\n\
             version = \"0.1.0\"\n\
             description = {description}\n\
             edition = \"2024\"\n\
             publish = false\n\n\
             [lib]\n\
             name = {lib}\n\n\
             # How the generator writes this crate; `cargo xtask generate --out` reads it back.\n\
             [package.metadata.generator]\n\
             spec = {spec}\n\
             env_prefix = {prefix}\n\
             {selection}\n\
             [dependencies]\n\
             {DEPENDENCIES}\n\
             [features]\n\
             {FEATURES}\n\
             [dev-dependencies]\n\
             tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
            name = quote(&self.crate_name),
            description = quote(description),
            lib = quote(&self.lib_name),
            spec = quote(&self.spec.display().to_string().replace('\\', "/")),
            prefix = quote(&self.env_prefix),
            selection = [
                ("paths", &self.selection.paths),
                ("tags", &self.selection.tags)
            ]
            .iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(key, list)| {
                let items: Vec<String> = list.iter().map(|item| quote(item)).collect();
                format!("{key} = [{}]\n", items.join(", "))
            })
            .collect::<String>(),
        )
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
    fn a_new_crate_takes_its_names_from_the_title_unless_given() {
        let spec = Path::new("specs/pets.yaml");
        let derived = CrateConfig::for_new_crate("Pet Store API (v2)", spec, None, None, None);
        assert_eq!(derived.crate_name, "pet-store-api-v2");
        assert_eq!(derived.lib_name, "pet_store_api_v2");
        assert_eq!(derived.env_prefix, "PET_STORE_API_V2");
        let given = CrateConfig::for_new_crate("x", spec, Some("pets"), None, Some("PETS"));
        assert_eq!(
            (given.lib_name.as_str(), given.env_prefix.as_str()),
            ("pets", "PETS")
        );
        let numeric = CrateConfig::for_new_crate("42", spec, None, None, None);
        assert_eq!(numeric.crate_name, "api-42");
        let acronyms = CrateConfig::for_new_crate("1Forge Finance APIs", spec, None, None, None);
        assert_eq!(acronyms.crate_name, "api-1forge-finance-apis");
        assert_eq!(acronyms.env_prefix, "API_1FORGE_FINANCE_APIS");
        let camel = CrateConfig::for_new_crate("PetStore IDs", spec, None, None, None);
        assert_eq!(camel.crate_name, "pet-store-ids");
    }

    #[test]
    fn a_new_crate_manifest_reads_back_and_names_every_version() {
        let config = CrateConfig::for_new_crate("Pets", Path::new("pets.yaml"), None, None, None);
        let manifest = config.manifest("Pets \"client\"");
        assert_eq!(
            CrateConfig::parse(&manifest, Path::new("Cargo.toml")).unwrap(),
            config
        );
        assert!(!manifest.contains("workspace"), "{manifest}");
        let parsed: toml::Table = toml::from_str(&manifest).unwrap();
        for (name, dependency) in parsed["dependencies"].as_table().unwrap() {
            let version = dependency
                .as_str()
                .or_else(|| dependency.get("version")?.as_str());
            assert!(version.is_some(), "{name} has no version");
        }
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
