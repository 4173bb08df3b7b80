//! `cargo xtask spec sync`: a fragment of a larger (upstream) document,
//! made of the selected operations and everything they use, written
//! deterministically.
//!
//! It works on specs before the pipeline reads them, and compares
//! nothing: `spec_diff` compares two specs, `api_manifest` the Rust APIs
//! generated from them, and `on_disk` (`generator::sync`) writes or checks
//! generated files.
//!
//! The steps, on the plain value of the source document (keys as written):
//!
//! 1. select the operations ([`Selection`]: path prefixes and tags), with
//!    the path item's shared keys (`parameters`, `summary`, …);
//! 2. take the transitive closure of what they use (`closure`): every
//!    component a `$ref` reaches (schemas, parameters, responses, request
//!    bodies, headers, examples, links, callbacks, from components too),
//!    the schemas a `discriminator.mapping` names, the security schemes of
//!    the operations' and the document's `security`, and the tags in use;
//! 3. normalise a 3.1 source to the 3.0 form the generator reads (after
//!    selecting, so that what is not selected cannot fail the sync);
//! 4. apply the overlay (`overlay`): the local facts upstream lacks;
//! 5. write YAML with a stable key order (paths and component names
//!    sorted, keys within objects sorted; `openapi`, `info`, `servers`,
//!    `security`, `tags`, `paths`, `components` first at the top), and
//!    check that the result loads.
//!
//! Pointers in errors are those of the source document: selecting keeps
//! every path and component under its own key.

mod closure;
mod overlay;

use crate::error::{Error, Result};
use serde_yaml::{Mapping, Value};
use std::path::Path;

pub use overlay::{OverlayAction, OverlayNote};

/// Which operations a sync (or a generation) keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Path prefixes: `/balance` keeps `/balance` and `/balance/…`, not
    /// `/balances`.
    pub paths: Vec<String>,
    /// Tags: an operation with any of them is kept.
    pub tags: Vec<String>,
}

impl Selection {
    /// Whether nothing is asked for (everything is kept).
    pub fn is_everything(&self) -> bool {
        self.paths.is_empty() && self.tags.is_empty()
    }

    /// Whether the operation at `path` with `tags` is kept: its path is
    /// under a prefix, or it has one of the tags.
    pub fn keeps(&self, path: &str, tags: &[&str]) -> bool {
        self.is_everything()
            || self.paths.iter().any(|prefix| path_under(path, prefix))
            || tags.iter().any(|tag| self.tags.iter().any(|t| t == tag))
    }
}

/// Whether `path` is `prefix` or below it, segment-wise.
fn path_under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The outcome of a sync.
#[derive(Debug, Clone)]
pub struct Synced {
    /// The fragment, as YAML text (with `header` on top).
    pub text: String,
    /// How many operations it has.
    pub operations: usize,
    /// How many components it has.
    pub components: usize,
    /// The `openapi` version of the source.
    pub source_version: String,
    /// What the overlay did, one note per value it set.
    pub overlay: Vec<OverlayNote>,
}

/// The overlay: a YAML document of the fragment's shape, merged into it.
pub struct Overlay<'a> {
    /// Its text.
    pub text: &'a str,
    /// Its file, for messages.
    pub path: &'a Path,
}

/// Extracts `selection` from the document `text` (read from `path`),
/// applies `overlay`, and writes the fragment with `header` (comment
/// lines) on top.
pub fn sync_spec(
    text: &str,
    path: &Path,
    selection: &Selection,
    overlay: Option<Overlay<'_>>,
    header: &str,
) -> Result<Synced> {
    let (source, source_version) = crate::load::read_value(text, path)?;
    let root = source
        .as_mapping()
        .ok_or_else(|| Error::invalid("#", "the document is not a mapping"))?;
    let (paths, operations) = select_paths(root, selection)?;
    let components = closure::components(root, &paths)?;
    let component_count = components.values().map(Mapping::len).sum();
    let mut fragment = assemble(root, paths, components);
    if !source_version.starts_with("3.0") {
        crate::load::normalize_value(&mut fragment, text, path)?;
    }
    let notes = match overlay {
        Some(overlay) => overlay::apply(&mut fragment, overlay.text, overlay.path)?,
        None => Vec::new(),
    };
    let fragment = sorted(fragment, true);
    let body =
        serde_yaml::to_string(&fragment).map_err(|err| Error::invalid("#", err.to_string()))?;
    let mut out = String::with_capacity(header.len() + body.len());
    for line in header.lines() {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    out.push_str(&body);
    let label = Path::new("synced fragment.yaml");
    crate::load::load_str(&out, label)?;
    Ok(Synced {
        text: out,
        operations,
        components: component_count,
        source_version,
        overlay: notes,
    })
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The selected path items (only their selected operations) and how many
/// operations they hold. A prefix or tag that selects nothing is an error.
fn select_paths(root: &Mapping, selection: &Selection) -> Result<(Mapping, usize)> {
    let mut kept = Mapping::new();
    let mut count = 0;
    let mut used_prefixes = vec![false; selection.paths.len()];
    let mut used_tags = vec![false; selection.tags.len()];
    let paths = root.get("paths").and_then(Value::as_mapping);
    for (key, item) in paths.into_iter().flatten() {
        let (Some(path), Some(item)) = (key.as_str(), item.as_mapping()) else {
            continue;
        };
        let mut out = Mapping::new();
        let mut any = false;
        for (field, value) in item {
            let is_operation = field.as_str().is_some_and(|f| METHODS.contains(&f));
            if !is_operation {
                out.insert(field.clone(), value.clone());
                continue;
            }
            let tags: Vec<&str> = value
                .get("tags")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if !selection.keeps(path, &tags) {
                continue;
            }
            for (used, prefix) in used_prefixes.iter_mut().zip(&selection.paths) {
                *used |= path_under(path, prefix);
            }
            for (used, tag) in used_tags.iter_mut().zip(&selection.tags) {
                *used |= tags.contains(&tag.as_str());
            }
            out.insert(field.clone(), value.clone());
            any = true;
            count += 1;
        }
        if any {
            kept.insert(key.clone(), out.into());
        }
    }
    unused("path prefix", &selection.paths, &used_prefixes)?;
    unused("tag", &selection.tags, &used_tags)?;
    Ok((kept, count))
}

fn unused(what: &str, asked: &[String], used: &[bool]) -> Result<()> {
    let missing: Vec<_> = asked
        .iter()
        .zip(used)
        .filter(|(_, used)| !**used)
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(
        "#/paths",
        format!("no operation matches the {what} {}", missing.join(", ")),
    ))
}

/// The fragment: the document's own keys, the selected paths, the used
/// tags and components.
fn assemble(root: &Mapping, paths: Mapping, components: closure::Components) -> Value {
    let used_tags = closure::used_tags(&paths);
    let mut out = Mapping::new();
    for (key, value) in root {
        match key.as_str() {
            Some("paths" | "components" | "webhooks") => {}
            Some("tags") => {
                let tags: Vec<Value> = value
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .filter(|tag| {
                        tag.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|name| used_tags.contains(name))
                    })
                    .cloned()
                    .collect();
                if !tags.is_empty() {
                    out.insert(key.clone(), Value::Sequence(tags));
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out.insert("paths".into(), paths.into());
    let mut kinds = Mapping::new();
    for (kind, entries) in components {
        kinds.insert(kind.into(), entries.into());
    }
    if !kinds.is_empty() {
        out.insert("components".into(), kinds.into());
    }
    out.into()
}

/// Top-level keys in the order people read them; the rest sorted.
const TOP: [&str; 9] = [
    "openapi",
    "info",
    "jsonSchemaDialect",
    "servers",
    "security",
    "tags",
    "externalDocs",
    "paths",
    "components",
];

/// `value` with every mapping's keys sorted (at the top, `TOP` first).
fn sorted(value: Value, top: bool) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut entries: Vec<(Value, Value)> = map.into_iter().collect();
            entries.sort_by_key(|(key, _)| {
                let text = key.as_str().unwrap_or_default().to_owned();
                let rank = if top {
                    TOP.iter().position(|t| *t == text).unwrap_or(TOP.len())
                } else {
                    0
                };
                (rank, text)
            });
            entries
                .into_iter()
                .map(|(key, value)| (key, sorted(value, false)))
                .collect::<Mapping>()
                .into()
        }
        Value::Sequence(items) => items.into_iter().map(|v| sorted(v, false)).collect(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_whole_segments() {
        assert!(path_under("/balance", "/balance"));
        assert!(path_under("/balance/x", "/balance"));
        assert!(path_under("/balance/x", "/balance/"));
        assert!(!path_under("/balances", "/balance"));
        assert!(path_under("/anything", "/"));
    }
}
