//! The build script of every crate in `tests/clients/` (each `Cargo.toml`
//! names it: `build = "../build_runtime.rs"`). It writes the crate's
//! `src/runtime/`, the client's fixed runtime, before the crate compiles.
//!
//! Why it exists: `src/runtime/` is the same 4,600 to 5,700 lines (without
//! or with `webhooks`) in every generated crate. `generated/` commits its
//! copy (`cargo xtask generate --check` keeps it current), but the test
//! clients do not (`.gitignore`), so that a runtime edit is not committed
//! seven times. This script writes
//! the files with the generator's own `runtime_files` module, the one that
//! `cargo xtask generate --out tests/clients/<name>` writes them with too
//! (included here by `#[path]`: it needs only `std`, so the generator is not
//! built for it): the same bytes, so the two never fight. The header names
//! the spec of the crate's `[package.metadata.generator]`; the runtime's
//! `webhooks` module is kept where the crate has its generated
//! `src/webhooks.rs` (the generator writes both for an API that sends
//! events). `tests/freshness.rs` compares the whole crate, these files
//! included, with what the generator makes of the spec.
//!
//! A file is written only when its text differs, so an unchanged one keeps
//! its modification time and cargo does not rebuild in a loop; a `.rs` file
//! in `src/runtime/` that the runtime no longer has is removed.
//!
//! It runs again when the runtime's sources change (they are compiled into
//! it), when the crate's `Cargo.toml` or `src/lib.rs` changes, and when a
//! file it writes is changed or deleted (a `git clean` that keeps `target/`
//! would otherwise leave the crate without its runtime). The cost: after a
//! runtime edit, the files it rewrites are newer than its run, so it runs
//! once more (writing nothing) and the crate builds twice; an unchanged
//! runtime costs nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[path = "../../generator/src/runtime_files.rs"]
mod runtime_files;

/// The command that regenerates the test clients, as their headers name
/// it (the freshness test checks the files against its output).
const GENERATE_COMMAND: &str = "cargo xtask generate";

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?,
    );
    // The runtime's sources are `include_str!`ed by `runtime_files`: an
    // edit rebuilds this script, which then runs again. The crate's
    // `lib.rs` declares `webhooks` exactly when `src/webhooks.rs` exists.
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=src/lib.rs");
    let spec = spec_path(&dir.join("Cargo.toml"))?;
    let header = runtime_files::header(GENERATE_COMMAND, &runtime_files::spec_label(&spec));
    let webhooks = dir.join("src/webhooks.rs").is_file();
    let sources = runtime_files::runtime_sources(&header, webhooks);
    for (path, contents) in &sources {
        write_if_changed(&dir.join(path), contents)?;
        println!("cargo:rerun-if-changed={path}");
    }
    let kept: BTreeSet<PathBuf> = sources.iter().map(|(path, _)| dir.join(path)).collect();
    remove_others(&dir.join("src/runtime"), &kept)
}

/// The crate's spec, as its `[package.metadata.generator]` table gives it
/// (relative to the workspace root).
fn spec_path(manifest: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|err| format!("reading {}: {err}", manifest.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|err| format!("{}: {err}", manifest.display()))?;
    table
        .get("package")
        .and_then(|package| package.get("metadata"))
        .and_then(|metadata| metadata.get("generator"))
        .and_then(|generator| generator.get("spec"))
        .and_then(toml::Value::as_str)
        .map(PathBuf::from)
        .ok_or_else(|| {
            format!(
                "{}: no `spec` in [package.metadata.generator]",
                manifest.display()
            )
        })
}

/// Writes `contents` to `path` unless it holds them already.
fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|current| current == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("creating {}: {err}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|err| format!("writing {}: {err}", path.display()))
}

/// Removes the `.rs` files in `dir` that are not `kept`.
fn remove_others(dir: &Path, kept: &BTreeSet<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("reading {}: {err}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|err| format!("reading {}: {err}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "rs") && !kept.contains(&path) {
            std::fs::remove_file(&path)
                .map_err(|err| format!("removing {}: {err}", path.display()))?;
        }
    }
    Ok(())
}
