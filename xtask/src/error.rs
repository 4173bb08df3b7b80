//! What can stop a `cargo xtask` command, each variant naming the file,
//! option or spec location at fault. Spec problems wrap the generator's
//! own [`generator::Error`] (which carries the JSON pointer) with the file
//! and, where known, the line the pointer leads to ([`Error::Spec`]).
//!
//! Which exit code an error gives is the caller's choice (a spec that does
//! not load is a failed `generate` (1) but a usage error of `spec diff` (2)).

use std::path::PathBuf;

/// Everything that can stop an xtask command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A crate's `Cargo.toml` does not hold a generator configuration, or a
    /// generator step failed without a spec location.
    #[error(transparent)]
    Generator(#[from] generator::Error),

    /// A spec problem, at a location in the spec file.
    #[error("{}{source}", spec_prefix(path, *line, source))]
    Spec {
        /// The spec file, as the user named it.
        path: PathBuf,
        /// The line the error's JSON pointer leads to, when found.
        line: Option<usize>,
        /// The generator's error.
        source: generator::Error,
    },

    /// `generate --out DIR` for a folder without a crate, and no `--spec`.
    #[error("{} has no Cargo.toml; a new crate needs --spec FILE", out.display())]
    NewCrateNeedsSpec {
        /// The folder given.
        out: PathBuf,
    },

    /// `generate --check` for a folder without a crate.
    #[error("{} has no Cargo.toml: nothing to check", out.display())]
    NothingToCheck {
        /// The folder given.
        out: PathBuf,
    },

    /// `generate` options that differ from what the crate's `Cargo.toml`
    /// stores (each difference a sentence naming the option and setting).
    #[error(
        "{} exists and stores this crate's configuration; these options differ from it:\n{}\n  Change the stored value in {} (or remove the folder to make a new crate), then run the command again.",
        manifest.display(),
        differences.iter().map(|d| format!("  - {d}")).collect::<Vec<_>>().join("\n"),
        manifest.display()
    )]
    ConfigDiffers {
        /// The crate's `Cargo.toml`.
        manifest: PathBuf,
        /// One sentence per differing option.
        differences: Vec<String>,
    },

    /// `generate --strict` and the spec has warnings.
    #[error("{count} warning(s) in {} and --strict: nothing written", spec.display())]
    Strict {
        /// The number of warnings.
        count: usize,
        /// The spec file.
        spec: PathBuf,
    },

    /// `generate --deny-breaking` and the public Rust API breaks.
    #[error(
        "{count} breaking change(s) to the public API, refused by --deny-breaking; nothing written"
    )]
    DenyBreaking {
        /// The number of breaking changes.
        count: usize,
    },

    /// A crate's `Cargo.toml` has no `[package] version` line to bump.
    #[error("{}: no `version = \"…\"` line in [package] to bump", path.display())]
    NoVersionLine {
        /// The `Cargo.toml`.
        path: PathBuf,
    },

    /// `spec diff --deny-breaking` and the wire contract breaks.
    #[error("breaking changes (--deny-breaking)")]
    BreakingSpecChanges,

    /// `spec sync --check` and the spec differs from what a sync writes.
    #[error("{} differs from what the sync writes; run the command without --check", out.display())]
    SyncStale {
        /// The spec file.
        out: PathBuf,
    },

    /// `generate --check` and generated files differ.
    #[error(
        "{count} file(s) in {} are stale; run `{command}` and commit the result",
        out.display()
    )]
    Stale {
        /// The number of stale files.
        count: usize,
        /// The crate folder, as the user named it.
        out: PathBuf,
        /// The command that regenerates it.
        command: String,
    },

    /// `spec sync --from DIR` and the folder holds no OpenAPI document.
    #[error("{}: no OpenAPI document in this folder", path.display())]
    NoDocument {
        /// The folder.
        path: PathBuf,
    },

    /// `spec sync --from DIR` and the folder holds several.
    #[error(
        "{}: several OpenAPI documents, name one: {}",
        path.display(),
        found.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    SeveralDocuments {
        /// The folder.
        path: PathBuf,
        /// The documents found, sorted.
        found: Vec<PathBuf>,
    },

    /// A folder could not be listed.
    #[error("{}: {source}", path.display())]
    ReadDir {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// Cargo could not be run (for `contract` and `mock`).
    #[error("cannot run cargo: {0}")]
    Cargo(#[source] std::io::Error),
}

impl Error {
    /// A generator error about the spec at `path`, located with `line_of`
    /// (the spec's line for a JSON pointer) when the error has a pointer.
    pub fn spec(
        path: impl Into<PathBuf>,
        source: generator::Error,
        line_of: impl FnOnce(&str) -> Option<usize>,
    ) -> Self {
        let line = source.pointer().and_then(line_of);
        Error::Spec {
            path: path.into(),
            line,
            source,
        }
    }

    /// A failed read of `path`.
    pub fn read(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Read { path, source }
    }

    /// A failed write of `path`.
    pub fn write(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Write { path, source }
    }
}

/// `file:line: ` or `file: ` before an error that points into the spec;
/// nothing before one that names its own file (I/O, YAML).
fn spec_prefix(path: &std::path::Path, line: Option<usize>, source: &generator::Error) -> String {
    match (source.pointer(), line) {
        (Some(_), Some(line)) => format!("{}:{line}: ", path.display()),
        (Some(_), None) => format!("{}: ", path.display()),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn spec_errors_name_the_file_and_line_of_their_pointer() {
        let invalid = || generator::Error::invalid("#/paths/~1a", "no responses");
        let at_line = Error::spec("api.yaml", invalid(), |_| Some(7));
        assert_eq!(
            at_line.to_string(),
            "api.yaml:7: #/paths/~1a: invalid: no responses"
        );
        let no_line = Error::spec("api.yaml", invalid(), |_| None);
        assert_eq!(
            no_line.to_string(),
            "api.yaml: #/paths/~1a: invalid: no responses"
        );
        // An error that names its own file is not prefixed again.
        let io = generator::Error::Io {
            path: "api.yaml".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        let text = Error::spec("api.yaml", io, |_| Some(1)).to_string();
        assert!(text.starts_with("cannot read api.yaml: "), "{text}");
    }
}
