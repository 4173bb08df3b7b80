//! `cargo xtask contract check`: arbitrary payload files against one
//! target.
//!
//! Every file is checked even when an earlier one fails; the exit code
//! tells the worst: 2 for a file that could not be read or parsed, else 1
//! for a payload with violations, else 0.

use super::samples::read_json;
use super::violation::{Violation, display_pointer};
use super::{ContractError, ContractValidator, Target};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The result of checking one file.
#[derive(Debug)]
pub struct FileCheck {
    /// The file, as given.
    pub path: PathBuf,
    /// Its violations (empty when valid), or why it could not be checked.
    pub outcome: Result<Vec<Violation>, ContractError>,
}

/// Checks each file against `target`. Fails before reading any file when
/// the target itself is unknown or has no schema.
pub fn check_files(
    validator: &ContractValidator,
    target: &Target,
    files: &[PathBuf],
) -> Result<Vec<FileCheck>, ContractError> {
    validator.json_schema(target)?;
    Ok(files
        .iter()
        .map(|path| FileCheck {
            path: path.clone(),
            outcome: read_json(path).and_then(|value| validator.validate(target, &value)),
        })
        .collect())
}

/// Text and JSON forms of a check run, and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRendering {
    /// For standard output: one `FILE: POINTER: message (schema POINTER)`
    /// line per violation and `FILE: valid` per valid file (or the JSON).
    pub stdout: String,
    /// For standard error: one line per file that could not be checked.
    pub stderr: String,
    /// 0 all valid, 1 some violation, 2 some file unreadable or not JSON.
    pub exit_code: u8,
}

/// Renders check results as text, or as JSON when `json` is set.
pub fn render_check(checks: &[FileCheck], json: bool) -> CheckRendering {
    let mut stdout = String::new();
    let mut stderr = String::new();
    let mut exit_code = 0u8;
    let mut entries = Vec::new();
    for check in checks {
        let file = check.path.display().to_string();
        match &check.outcome {
            Ok(violations) if violations.is_empty() => {
                let _ = writeln!(stdout, "{file}: valid");
                entries.push(json!({ "file": file, "valid": true, "violations": [] }));
            }
            Ok(violations) => {
                exit_code = exit_code.max(1);
                for v in violations {
                    let _ = writeln!(
                        stdout,
                        "{file}: {}: {} (schema {})",
                        display_pointer(&v.instance_pointer),
                        v.message,
                        v.schema_pointer
                    );
                }
                entries.push(json!({ "file": file, "valid": false, "violations": violations }));
            }
            Err(err) => {
                exit_code = 2;
                let _ = writeln!(stderr, "error: {}", with_file(&check.path, err));
                entries.push(json!({ "file": file, "error": with_file(&check.path, err) }));
            }
        }
    }
    if json {
        stdout = serde_json::to_string_pretty(&Value::Array(entries)).unwrap_or_default();
        stdout.push('\n');
    }
    CheckRendering {
        stdout,
        stderr,
        exit_code,
    }
}

/// The error's message, naming the file if the message does not already.
fn with_file(path: &Path, err: &ContractError) -> String {
    match err {
        ContractError::Io { .. } | ContractError::Json { .. } => err.to_string(),
        other => format!("{}: {other}", path.display()),
    }
}
