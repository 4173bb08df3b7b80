//! Writing generated files, or checking that the files on disk are current
//! ([`sync`], re-exported as `generator::sync`): the last step, after
//! `parallel` has produced the files in memory.
//!
//! One function does both so that `cargo xtask generate`, its `--check`
//! mode and the freshness test cannot disagree about what "current" means.
//!
//! Not to be confused with `upstream_sync`, which cuts a spec fragment out
//! of an upstream document: this module knows nothing of specs, only of
//! generated files and the drift between them and the disk.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root, e.g. `src/types.rs`.
    pub path: PathBuf,
    /// The full text.
    pub contents: String,
}

/// A file on disk that differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Path relative to the crate root.
    pub path: PathBuf,
    /// When checking, a unified diff from the file on disk to the
    /// generated text (a file that is missing diffs from nothing; a stale
    /// one to nothing). Empty when writing: the files are then replaced,
    /// and a large crate's diff would cost more than the writing.
    pub diff: String,
}

/// The first line of every generated file starts with this.
const MARKER: &str = "// @generated";

/// Writes `files` under `root` (when `check` is false), or compares them
/// with what is there (when `check` is true). Either way, returns the files
/// that differ(ed). Generated `.rs` files under `root/src` that are no
/// longer produced count as drift and are removed when writing.
pub fn sync(root: &Path, files: &[GeneratedFile], check: bool) -> Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for file in files {
        let full = root.join(&file.path);
        let current = match std::fs::read_to_string(&full) {
            Ok(text) => Some(text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(Error::Io { path: full, source }),
        };
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        drift.push(Drift {
            path: file.path.clone(),
            diff: if check {
                unified_diff(&file.path, current.as_deref().unwrap_or(""), &file.contents)
            } else {
                String::new()
            },
        });
        if !check {
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            std::fs::write(&full, &file.contents)
                .map_err(|source| Error::Io { path: full, source })?;
        }
    }
    for stale in stale_files(root, files)? {
        let full = root.join(&stale);
        let diff = if check {
            unified_diff(
                &stale,
                &std::fs::read_to_string(&full).unwrap_or_default(),
                "",
            )
        } else {
            String::new()
        };
        drift.push(Drift { diff, path: stale });
        if !check {
            std::fs::remove_file(&full).map_err(|source| Error::Io { path: full, source })?;
        }
    }
    Ok(drift)
}

/// Generated files under `root/src` that `files` does not list.
fn stale_files(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let mut dirs = vec![PathBuf::from("src")];
    while let Some(dir) = dirs.pop() {
        let entries = match std::fs::read_dir(root.join(&dir)) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::Io {
                    path: root.join(&dir),
                    source,
                });
            }
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for path in names {
            let relative = dir.join(path.file_name().unwrap_or_default());
            if path.is_dir() {
                dirs.push(relative);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !files.iter().any(|f| f.path == relative)
                && std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with(MARKER))
            {
                stale.push(relative);
            }
        }
    }
    Ok(stale)
}

/// A unified diff (3 lines of context) from `old` to `new`, both named
/// `path`.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
