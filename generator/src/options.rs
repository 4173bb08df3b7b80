//! [`Options`]: how the generated files describe where they came from and
//! what the generated client is called.
//!
//! Near a leaf (the header's wording is `runtime_files`', which the test
//! clients' build script shares): the emitters read it (the `@generated` header, the library name
//! of doc examples, the environment prefix), and `config` builds it from a
//! generated crate's `Cargo.toml` ([`crate::CrateConfig::options`]). It is
//! re-exported as `generator::Options`.

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
        crate::runtime_files::header(&self.command, &self.spec_label)
    }
}
