//! Project commands, run as `cargo xtask <command>`.
//!
//! Thin by design: argument parsing and calls into the `generator` library.

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Project commands for the Telnyx managed-accounts generator.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the `generated/` crate from the spec.
    Generate {
        /// Generate in memory and fail with a diff if `generated/` is stale.
        #[arg(long)]
        check: bool,
        /// The spec to read (relative to the workspace root).
        #[arg(long, default_value = "spec/managed_accounts.yaml")]
        spec: PathBuf,
        /// The crate to write (relative to the workspace root).
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { check, spec, out } => generate(check, &spec, &out),
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(check: bool, spec: &Path, out: &Path) -> ExitCode {
    let root = workspace_root();
    let spec_path = root.join(spec);
    let options = generator::Options {
        spec_label: spec.display().to_string(),
        command: "cargo xtask generate".to_owned(),
        lib_name: "telnyx_managed_accounts".to_owned(),
        env_prefix: "TELNYX".to_owned(),
    };
    let loaded = match generator::load_file(&spec_path) {
        Ok(loaded) => loaded,
        Err(err) => {
            match err.pointer() {
                Some(_) => eprintln!("error: {}: {err}", spec.display()),
                None => eprintln!("error: {err}"),
            }
            return ExitCode::FAILURE;
        }
    };
    let result = generator::generate(&loaded, &options)
        .and_then(|files| generator::sync(&root.join(out), &files, check).map(|d| (files, d)));
    let (files, drift) = match result {
        Ok(done) => done,
        Err(err) => {
            // Spec errors carry a JSON pointer; say which file and line it
            // points into.
            match err.pointer().map(|p| loaded.line_of(p)) {
                Some(Some(line)) => eprintln!("error: {}:{line}: {err}", spec.display()),
                Some(None) => eprintln!("error: {}: {err}", spec.display()),
                None => eprintln!("error: {err}"),
            }
            return ExitCode::FAILURE;
        }
    };
    if check {
        if drift.is_empty() {
            println!("{} is up to date with {}", out.display(), spec.display());
            return ExitCode::SUCCESS;
        }
        for file in &drift {
            eprint!("{}", file.diff);
        }
        eprintln!(
            "error: {} file(s) in {} are stale; run `cargo xtask generate` and commit the result",
            drift.len(),
            out.display()
        );
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} of {} file(s) in {} from {}",
        drift.len(),
        files.len(),
        out.display(),
        spec.display()
    );
    ExitCode::SUCCESS
}
