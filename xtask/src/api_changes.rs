//! `cargo xtask generate`'s report of what a regeneration changes in the
//! crate's public Rust API, with `--deny-breaking` and `--bump`.
//!
//! The comparison itself is the generator's: `generator::api_changes` reads
//! the crate's stored `api-manifest.json` and the one just generated, and
//! `generator::api_manifest` classifies each change of the Rust API and the
//! semver bump it implies. This module only prints that, refuses or bumps.
//! (Changes of the wire contract between two specs are `cargo xtask spec
//! diff`, [`crate::spec_cmd`], over `generator::spec_diff`.)

use crate::Error;
use generator::GeneratedFile;
use generator::api_manifest::{Bump, MANIFEST_PATH};
use std::path::Path;

/// What the user asked for beside the report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    /// Refuse (write nothing, exit 1) when a change is breaking.
    pub deny_breaking: bool,
    /// Write the implied version into the crate's `Cargo.toml`.
    pub bump: bool,
    /// Refuse (write nothing, exit 1) when the spec has warnings.
    pub strict: bool,
}

/// What happened, for the caller to act on after writing.
pub struct Outcome {
    /// The new version to write into `Cargo.toml`, with `--bump`.
    pub bump_to: Option<String>,
}

/// Prints the changes between the manifest on disk in `dir` and the one in
/// `files`. `Err` when the manifest cannot be read or `--deny-breaking`
/// refuses them.
pub fn report(dir: &Path, files: &[GeneratedFile], flags: Flags) -> Result<Outcome, Error> {
    let none = Outcome { bump_to: None };
    let path = dir.join(MANIFEST_PATH);
    let previous = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "API changes: none to report ({} has no {MANIFEST_PATH} yet; it is written now)",
                dir.display()
            );
            return Ok(none);
        }
        Err(err) => return Err(Error::read(path)(err)),
    };
    let Some(changes) = generator::api_changes(&previous, &path, files)? else {
        return Ok(none);
    };
    let cargo_toml = dir.join("Cargo.toml");
    let version = std::fs::read_to_string(&cargo_toml)
        .ok()
        .and_then(|text| package_version(&text))
        .unwrap_or_else(|| "0.0.0".to_owned());
    if changes.changes.is_empty() {
        println!("API changes: none (the public Rust API is the same; version {version})");
        return Ok(none);
    }
    print!("{}", changes.render(&version));
    if flags.deny_breaking && changes.is_breaking() {
        return Err(Error::DenyBreaking {
            count: changes.count(generator::api_manifest::ChangeClass::Breaking),
        });
    }
    let bump = changes.bump(&version);
    if !flags.bump || bump == Bump::None {
        if bump != Bump::None {
            println!(
                "(run with --bump to write the new version into {})",
                cargo_toml.display()
            );
        }
        return Ok(none);
    }
    Ok(Outcome {
        bump_to: bump.apply(&version),
    })
}

/// Writes `version` as the `[package] version` of `cargo_toml`, keeping
/// everything else as it is.
pub fn write_version(cargo_toml: &Path, version: &str) -> Result<(), Error> {
    let text = std::fs::read_to_string(cargo_toml).map_err(Error::read(cargo_toml))?;
    let mut section = String::new();
    let mut done = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_owned();
        }
        if !done
            && section == "[package]"
            && trimmed.starts_with("version")
            && trimmed.contains('=')
        {
            out.push_str(&format!("version = \"{version}\"\n"));
            done = true;
            continue;
        }
        out.push_str(line);
    }
    if !done {
        return Err(Error::NoVersionLine {
            path: cargo_toml.to_owned(),
        });
    }
    std::fs::write(cargo_toml, out).map_err(Error::write(cargo_toml))?;
    println!("bumped {} to version {version}", cargo_toml.display());
    Ok(())
}

/// The `[package] version` of a `Cargo.toml`, when it is written there.
fn package_version(text: &str) -> Option<String> {
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
        } else if section == "[package]" {
            if let Some(value) = line.strip_prefix("version") {
                let value = value.trim_start().strip_prefix('=')?.trim();
                return Some(value.trim_matches('"').to_owned());
            }
        }
    }
    None
}
