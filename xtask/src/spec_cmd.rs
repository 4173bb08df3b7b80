//! `cargo xtask spec …`: commands on spec files rather than on the crate.

use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `spec` subcommands.
#[derive(Subcommand)]
pub enum SpecCommand {
    /// The wire-level changes from one spec to another, for requests and
    /// responses separately (breaking, additive, documentation-only).
    Diff {
        /// The older spec (relative to the workspace root).
        old: PathBuf,
        /// The newer spec.
        new: PathBuf,
        /// `text` for people, `json` for programs.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when a change is breaking.
        #[arg(long)]
        deny_breaking: bool,
    },
}

/// How a report is printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// Runs a `spec` subcommand from the workspace `root`.
pub fn run(root: &Path, command: SpecCommand) -> ExitCode {
    match command {
        SpecCommand::Diff {
            old,
            new,
            format,
            deny_breaking,
        } => diff(root, &old, &new, format, deny_breaking),
    }
}

fn diff(root: &Path, old: &Path, new: &Path, format: Format, deny_breaking: bool) -> ExitCode {
    let (old_api, new_api) = match (ir(root, old), ir(root, new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let diff = generator::spec_diff::diff(&old_api, &new_api);
    match format {
        Format::Text => {
            println!("{} -> {}", old.display(), new.display());
            print!("{}", diff.render());
        }
        Format::Json => print!("{}", diff.to_json()),
    }
    if deny_breaking && diff.is_breaking() {
        eprintln!("error: breaking changes (--deny-breaking)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The IR of the spec at `path`, or the error as a located message.
fn ir(root: &Path, path: &Path) -> Result<generator::ir::Api, String> {
    let spec = generator::load_file(&root.join(path)).map_err(|err| err.to_string())?;
    generator::build_ir(&spec).map_err(|err| match err.pointer().map(|p| spec.line_of(p)) {
        Some(Some(line)) => format!("{}:{line}: {err}", path.display()),
        _ => format!("{}: {err}", path.display()),
    })
}
