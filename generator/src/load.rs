//! Step 1: read a spec file into the `openapiv3` document model.
//!
//! YAML and JSON are both accepted (JSON is YAML). Syntax errors and
//! documents that do not have the shape of OpenAPI 3.0 are reported with
//! the file, line and column the parser gives.

use crate::error::{Error, Result};
use openapiv3::OpenAPI;
use std::path::{Path, PathBuf};

/// A parsed spec and where it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file it was read from (used in messages and in `@generated`).
    pub path: PathBuf,
    /// The parsed document.
    pub document: OpenAPI,
    /// The source text (kept to turn JSON pointers into line numbers).
    pub text: String,
}

impl Spec {
    /// The one-based line where `pointer` is written, best effort (see
    /// `locate`): for messages such as `spec.yaml:42: #/paths/…: …`.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        crate::locate::line_of(&self.text, pointer)
    }
}

/// Reads and parses the spec at `path`.
pub fn load_file(path: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    load_str(&text, path)
}

/// Parses spec text; `path` names it in messages.
pub fn load_str(text: &str, path: &Path) -> Result<Spec> {
    let parse_error = |err: serde_yaml::Error| {
        let location = err.location().map(|l| (l.line(), l.column()));
        Error::Parse {
            file: path.to_owned(),
            location,
            message: strip_location(&err.to_string(), location),
        }
    };
    // The plain YAML first: it rejects duplicate keys, which YAML forbids
    // and `openapiv3` does not handle (its untagged `ReferenceOr` retries
    // through a JSON value, where the last duplicate wins, and panics when
    // that retry succeeds).
    let probe = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(parse_error)?;
    let document = match serde_yaml::from_str::<OpenAPI>(text) {
        Ok(document) => document,
        Err(err) => {
            // A 3.1 or 2.0 document fails the 3.0 model with a confusing
            // message: say what the real problem is when we can tell.
            check_version(probe.get("openapi").and_then(serde_yaml::Value::as_str))?;
            return Err(parse_error(err));
        }
    };
    check_version(Some(&document.openapi))?;
    Ok(Spec {
        path: path.to_owned(),
        document,
        text: text.to_owned(),
    })
}

fn check_version(version: Option<&str>) -> Result<()> {
    match version {
        Some(version) if version.starts_with("3.0") => Ok(()),
        Some(version) => Err(Error::unsupported(
            "#/openapi",
            format!("OpenAPI version {version}; only 3.0.x documents are read"),
        )),
        None => Err(Error::invalid(
            "#/openapi",
            "missing `openapi` version string (is this an OpenAPI 3.0 document?)",
        )),
    }
}

/// serde_yaml writes " at line L column C" into its messages; that
/// location is reported separately, so drop it from the text. A scanner
/// error also names where its context began (`…, while scanning a quoted
/// scalar at line 4 column 12`): that second location is kept.
fn strip_location(message: &str, location: Option<(usize, usize)>) -> String {
    match location {
        Some((line, column)) => {
            message.replacen(&format!(" at line {line} column {column}"), "", 1)
        }
        None => message.to_owned(),
    }
}
