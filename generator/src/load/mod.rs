//! Step 1: read a spec file into the `openapiv3` document model.
//!
//! OpenAPI 3.0.x and 3.1.x documents are read, written in YAML or JSON. A
//! file named `*.json`, or text whose first non-space character is `{`, is
//! read with serde_json (`json`); anything else with serde_yaml. Syntax
//! errors, duplicate keys and documents that do not have the shape of
//! OpenAPI are reported with the file, line and column.
//!
//! The text is first read into a plain value (`value`, every key a string
//! as written), which rejects duplicate keys: `openapiv3` does not handle
//! them (its untagged `ReferenceOr` retries through a JSON value, where the
//! last duplicate wins, and panics when that retry succeeds). Then, by the
//! `openapi` version:
//!
//! - 3.0.x: the text itself is parsed into the model, exactly as before 3.1
//!   was read, so that shape errors keep the parser's line and column;
//! - 3.1.x: that value is rewritten into its 3.0 form (`normalize`, which
//!   refuses what 3.0 cannot express, with the pointer and line) and the
//!   model is read from it; a shape error is then located by `shape`. The
//!   model has no `webhooks`: the normalised mapping is put back into the
//!   document's `extensions` under `webhooks` (which `openapiv3` serializes
//!   flattened, so `#/webhooks/…` pointers resolve in the serialized
//!   document too). A 3.0 document's `x-webhooks` is an extension already;
//! - 3.2.x: read as 3.1 is. Of what 3.2 adds, a media type's `itemSchema`
//!   (the schema of each event of a stream) is kept (see `normalize`); the
//!   rest, which the 3.0 model has no place for, is dropped like any
//!   unknown key.
//!
//! [`Spec::line_of`] turns a JSON pointer back into a line, for messages
//! (`locate_yaml`, `locate_json`).

mod locate_json;
mod locate_yaml;
mod normalize;
mod shape;
mod value;

use crate::error::{Error, Result};
use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_yaml::Value;
use std::path::{Path, PathBuf};

/// A parsed spec and where it came from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file it was read from (used in messages and in `@generated`).
    pub path: PathBuf,
    /// The parsed document. A 3.1 document is held in its 3.0 form (its
    /// `openapi` field reads `3.0.3`); see [`Spec::source_version`].
    pub document: OpenAPI,
    /// The source text (kept to turn JSON pointers into line numbers).
    pub text: String,
    /// The `openapi` version the source declares (`3.0.3`, `3.1.0`, …).
    pub source_version: String,
    /// The webhooks in document order: the key they are under
    /// (`webhooks` or `x-webhooks`) and each one's name. Their path items
    /// are in `document.extensions` under that key, whose JSON objects do
    /// not keep the order.
    pub webhook_names: Vec<(String, String)>,
}

impl Spec {
    /// The one-based line where `pointer` is written, best effort (see
    /// `locate_yaml` and `locate_json`): for messages such as
    /// `spec.yaml:42: #/paths/…: …`.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        position_of(&self.text, &self.path, pointer).map(|(line, _)| line)
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

/// Parses spec text; `path` names it in messages (and a `.json` extension
/// makes it JSON).
pub fn load_str(text: &str, path: &Path) -> Result<Spec> {
    let is_json = is_json(text, path);
    let value = if is_json {
        value::from_json(text).map_err(|err| json_error(&err, path))?
    } else {
        value::from_yaml(text).map_err(|err| {
            // serde_yaml's own value reader names the path to the mapping
            // in its message for a duplicate key: prefer its message when
            // it fails too.
            match serde_yaml::from_str::<Value>(text) {
                Err(plain) => yaml_error(&plain, path),
                Ok(_) => yaml_error(&err, path),
            }
        })?
    };
    let source_version = check_version(&value)?;
    let webhook_names = normalize::WEBHOOK_KEYS
        .iter()
        .flat_map(|key| {
            let names = value.get(*key).and_then(Value::as_mapping).into_iter();
            names
                .flat_map(|entries| entries.keys())
                .map(|name| ((*key).to_owned(), key_text(name)))
        })
        .collect();
    let document = if source_version.starts_with("3.0") {
        // The value already read; when it does not fit the model, the text
        // itself, so that the shape error keeps the parser's line and
        // column (and the outcome is the text's, whatever it is).
        match OpenAPI::deserialize(&value) {
            Ok(document) => document,
            Err(_) if is_json => {
                serde_json::from_str::<OpenAPI>(text).map_err(|err| json_error(&err, path))?
            }
            Err(_) => {
                serde_yaml::from_str::<OpenAPI>(text).map_err(|err| yaml_error(&err, path))?
            }
        }
    } else {
        let mut value = value;
        normalize::document(&mut value).map_err(|err| with_line(err, text, path))?;
        let mut document = OpenAPI::deserialize(&value).map_err(|err| {
            let pointer = shape::failing_part(&value).unwrap_or_else(|| "#".to_owned());
            Error::Parse {
                file: path.to_owned(),
                location: position_of(text, path, &pointer),
                message: format!("{pointer}: {err}"),
            }
        })?;
        if let Some(webhooks) = value.get("webhooks") {
            let webhooks = serde_json::to_value(webhooks).map_err(|err| Error::Parse {
                file: path.to_owned(),
                location: position_of(text, path, "#/webhooks"),
                message: format!("#/webhooks: {err}"),
            })?;
            document.extensions.insert("webhooks".to_owned(), webhooks);
        }
        document
    };
    Ok(Spec {
        path: path.to_owned(),
        document,
        text: text.to_owned(),
        source_version,
        webhook_names,
    })
}

/// Reads spec text into a plain value (keys as written, in order) and the
/// `openapi` version it declares, without the typed parse: for tools that
/// rewrite documents (`upstream_sync`).
pub(crate) fn read_value(text: &str, path: &Path) -> Result<(Value, String)> {
    let value = if is_json(text, path) {
        value::from_json(text).map_err(|err| json_error(&err, path))?
    } else {
        value::from_yaml(text).map_err(|err| yaml_error(&err, path))?
    };
    let version = check_version(&value)?;
    Ok((value, version))
}

/// Rewrites a 3.1 document value into its 3.0 form, as loading does; an
/// error names the line of its pointer in `text`, the source of `value`'s
/// pointers.
pub(crate) fn normalize_value(value: &mut Value, text: &str, path: &Path) -> Result<()> {
    normalize::document(value).map_err(|err| with_line(err, text, path))
}

fn is_json(text: &str, path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "json") || text.trim_start().starts_with('{')
}

/// The one-based line where `pointer` is written in the document `text`
/// (read from `path`), best effort, without loading it: for messages about
/// documents that are read as plain values.
pub fn line_in(text: &str, path: &Path, pointer: &str) -> Option<usize> {
    position_of(text, path, pointer).map(|(line, _)| line)
}

fn position_of(text: &str, path: &Path, pointer: &str) -> Option<(usize, usize)> {
    if is_json(text, path) {
        locate_json::position_of(text, pointer)
    } else {
        locate_yaml::position_of(text, pointer)
    }
}

/// A mapping key as it appears in a pointer (YAML keys need not be
/// strings: `200:` is a number).
pub(crate) fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Null => "null".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The declared version, if it is one we read.
fn check_version(document: &Value) -> Result<String> {
    // An unquoted `openapi: 3.0` is a YAML number; the 3.0 text parser
    // reads it as the string it is written as, so accept it here too.
    let version = match document.get("openapi") {
        Some(Value::String(version)) => version.clone(),
        Some(Value::Number(version)) => version.to_string(),
        _ => {
            return Err(Error::invalid(
                "#/openapi",
                "missing `openapi` version string (is this an OpenAPI 3.0 document?)",
            ));
        }
    };
    let minor = |prefix: &str| {
        version
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    if minor("3.0") || minor("3.1") || minor("3.2") {
        Ok(version)
    } else {
        Err(Error::unsupported(
            "#/openapi",
            format!("OpenAPI version {version}; only 3.0.x, 3.1.x and 3.2.x documents are read"),
        ))
    }
}

/// Adds the line of a normalisation error's pointer to its reason: the
/// error is raised before there is a [`Spec`] whose `line_of` a caller
/// could ask.
fn with_line(err: Error, text: &str, path: &Path) -> Error {
    let line = err
        .pointer()
        .and_then(|pointer| position_of(text, path, pointer))
        .map(|(line, _)| line);
    match (err, line) {
        (Error::Unsupported { pointer, reason }, Some(line)) => Error::Unsupported {
            pointer,
            reason: format!("{reason} (line {line})"),
        },
        (Error::Invalid { pointer, reason }, Some(line)) => Error::Invalid {
            pointer,
            reason: format!("{reason} (line {line})"),
        },
        (err, _) => err,
    }
}

fn yaml_error(err: &serde_yaml::Error, path: &Path) -> Error {
    let location = err.location().map(|l| (l.line(), l.column()));
    Error::Parse {
        file: path.to_owned(),
        location,
        message: strip_location(&err.to_string(), location),
    }
}

fn json_error(err: &serde_json::Error, path: &Path) -> Error {
    let location = (err.line() > 0).then(|| (err.line(), err.column()));
    Error::Parse {
        file: path.to_owned(),
        location,
        message: strip_location(&err.to_string(), location),
    }
}

/// serde_yaml and serde_json write " at line L column C" into their
/// messages; that location is reported separately, so drop it from the
/// text. A YAML scanner error also names where its context began (`…, while
/// scanning a quoted scalar at line 4 column 12`): that second location is
/// kept.
fn strip_location(message: &str, location: Option<(usize, usize)>) -> String {
    match location {
        Some((line, column)) => {
            message.replacen(&format!(" at line {line} column {column}"), "", 1)
        }
        None => message.to_owned(),
    }
}
