//! The overlay: local facts merged into a synced fragment.
//!
//! An overlay is a YAML document of the fragment's own shape, merged in the
//! way of a JSON Merge Patch (RFC 7386): a mapping merges key by key into
//! the mapping at the same place; any other value (a scalar, a list)
//! replaces what is there, or adds it; `null` removes the key. So
//!
//! ```yaml
//! components:
//!   schemas:
//!     Account:
//!       properties:
//!         api_key:
//!           x-sensitive: true
//! ```
//!
//! marks one property and changes nothing else. Every value the overlay
//! sets is reported ([`OverlayNote`]), and a new node that is not an `x-`
//! extension is marked as absent upstream: a fact kept for a property
//! upstream removed or renamed shows up in the sync's output instead of
//! silently creating a property of its own.

use crate::error::{Error, Result};
use crate::pointer::join;
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// One value the overlay set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayNote {
    /// Where (a JSON pointer into the fragment).
    pub pointer: String,
    /// What happened there.
    pub action: OverlayAction,
}

/// What the overlay did at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayAction {
    /// Added a key the upstream node lacks.
    Added,
    /// Replaced upstream's value.
    Replaced,
    /// Set the same value upstream has (the overlay entry is redundant).
    Unchanged,
    /// Removed upstream's key (`null`).
    Removed,
    /// Added a node (not an `x-` extension) that upstream lacks: the
    /// overlay describes something upstream does not have (removed or
    /// renamed there?).
    AddedAbsentUpstream,
}

/// Merges the overlay `text` (from `path`) into `fragment`.
pub(super) fn apply(fragment: &mut Value, text: &str, path: &Path) -> Result<Vec<OverlayNote>> {
    let overlay: Value = serde_yaml::from_str(text).map_err(|err| Error::Parse {
        file: path.to_owned(),
        location: err.location().map(|l| (l.line(), l.column())),
        message: err.to_string(),
    })?;
    let Value::Mapping(overlay) = overlay else {
        return Err(Error::Parse {
            file: path.to_owned(),
            location: None,
            message: "an overlay is a mapping of the fragment's shape".to_owned(),
        });
    };
    let Some(target) = fragment.as_mapping_mut() else {
        return Ok(Vec::new());
    };
    let mut notes = Vec::new();
    merge(target, overlay, "#", &mut notes);
    Ok(notes)
}

fn merge(target: &mut Mapping, overlay: Mapping, at: &str, notes: &mut Vec<OverlayNote>) {
    for (key, value) in overlay {
        let here = join(at, &[&crate::load::key_text(&key)]);
        let note = |action| OverlayNote {
            pointer: here.clone(),
            action,
        };
        match (target.get_mut(&key), value) {
            (Some(_), Value::Null) => {
                target.shift_remove(&key);
                notes.push(note(OverlayAction::Removed));
            }
            (None, Value::Null) => {}
            (Some(Value::Mapping(inner)), Value::Mapping(patch)) => {
                merge(inner, patch, &here, notes);
            }
            (None, value @ Value::Mapping(_)) => {
                // An extension is a local fact of its own; any other new
                // node (a property, a schema, a path) is one upstream lacks.
                let action = if key.as_str().is_some_and(|k| k.starts_with("x-")) {
                    OverlayAction::Added
                } else {
                    OverlayAction::AddedAbsentUpstream
                };
                target.insert(key, without_nulls(value));
                notes.push(note(action));
            }
            (Some(existing), value) => {
                let action = if *existing == value {
                    OverlayAction::Unchanged
                } else {
                    OverlayAction::Replaced
                };
                *existing = value;
                notes.push(note(action));
            }
            (None, value) => {
                target.insert(key, value);
                notes.push(note(OverlayAction::Added));
            }
        }
    }
}

/// A new node from the overlay, without the `null`s (which remove, and
/// there is nothing to remove).
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Mapping(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect::<Mapping>()
            .into(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(base: &str, overlay: &str) -> (Value, Vec<(String, OverlayAction)>) {
        let mut value: Value = serde_yaml::from_str(base).unwrap();
        let notes = apply(&mut value, overlay, Path::new("overlay.yaml")).unwrap();
        (
            value,
            notes.into_iter().map(|n| (n.pointer, n.action)).collect(),
        )
    }

    #[test]
    fn mappings_merge_values_replace_and_null_removes() {
        let (value, notes) = merged(
            "a: {b: 1, c: [1, 2], d: x}\n",
            "a: {b: 1, c: [3], d: null, e: true, x-e: {f: 1}}\nf: {g: 1, h: null}\n",
        );
        let want = "a: {b: 1, c: [3], e: true, x-e: {f: 1}}\nf: {g: 1}\n";
        assert_eq!(value, serde_yaml::from_str::<Value>(want).unwrap());
        assert_eq!(
            notes,
            vec![
                ("#/a/b".to_owned(), OverlayAction::Unchanged),
                ("#/a/c".to_owned(), OverlayAction::Replaced),
                ("#/a/d".to_owned(), OverlayAction::Removed),
                ("#/a/e".to_owned(), OverlayAction::Added),
                ("#/a/x-e".to_owned(), OverlayAction::Added),
                ("#/f".to_owned(), OverlayAction::AddedAbsentUpstream),
            ]
        );
    }

    #[test]
    fn an_overlay_that_is_not_a_mapping_is_an_error_naming_its_file() {
        let mut value: Value = serde_yaml::from_str("a: 1").unwrap();
        let err = apply(&mut value, "- 1\n", Path::new("o.yaml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("o.yaml: an overlay is a mapping"),
            "{err}"
        );
    }
}
