//! The sample corpus: payload files laid out by operation and part, so a
//! new operation needs folders, not code.
//!
//! ```text
//! spec/samples/{OperationId}/{part}/valid/{name}.json     the payload itself
//! spec/samples/{OperationId}/{part}/invalid/{name}.json   {"description", "expect", "payload"}
//! ```
//!
//! `{part}` is `request`, `query` or `response-{STATUS}` (a concrete
//! three-digit status; a range or `default` in the spec answers for it as
//! it would for a server). An invalid sample states every violation it
//! must be rejected for, by instance pointer and kind (and, optionally, the
//! spec pointer of the schema):
//!
//! ```json
//! {
//!   "description": "business_name is required",
//!   "expect": [{"pointer": "/business_name", "kind": "required"}],
//!   "payload": {"email": "a@example.com"}
//! }
//! ```
//!
//! Markdown files (a README) may sit anywhere and are skipped.

use super::error::ContractError;
use super::violation::ViolationKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Which part of an operation a sample is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "part", content = "status")]
pub enum SamplePart {
    /// The request body (`request/`).
    Request,
    /// The query parameters as one object (`query/`).
    Query,
    /// A response body sent with this status (`response-{STATUS}/`).
    Response(u16),
}

impl SamplePart {
    /// Parses a folder name (`request`, `query`, `response-200`).
    pub fn from_folder(name: &str) -> Option<Self> {
        match name {
            "request" => Some(SamplePart::Request),
            "query" => Some(SamplePart::Query),
            _ => {
                let status = name.strip_prefix("response-")?;
                let valid = status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit());
                valid
                    .then(|| status.parse().ok())
                    .flatten()
                    .filter(|s| (100..600).contains(s))
                    .map(SamplePart::Response)
            }
        }
    }
}

impl SamplePart {
    /// The folder name (`request`, `query`, `response-200`).
    pub fn folder(self) -> String {
        match self {
            SamplePart::Request => "request".to_owned(),
            SamplePart::Query => "query".to_owned(),
            SamplePart::Response(status) => format!("response-{status}"),
        }
    }
}

impl std::fmt::Display for SamplePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SamplePart::Request => f.write_str("request"),
            SamplePart::Query => f.write_str("query"),
            SamplePart::Response(status) => write!(f, "response {status}"),
        }
    }
}

/// One violation an invalid sample must be rejected for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedViolation {
    /// The instance pointer.
    pub pointer: String,
    /// The kind of violation.
    pub kind: ViolationKind,
    /// The spec pointer of the schema, when the sample pins it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
}

impl std::fmt::Display for ExpectedViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at {}",
            self.kind,
            super::display_pointer(&self.pointer)
        )?;
        if let Some(schema) = &self.schema {
            write!(f, " (schema {schema})")?;
        }
        Ok(())
    }
}

/// What a sample must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// Pass the contract.
    Valid,
    /// Be rejected for exactly these violations.
    Invalid {
        /// Why the sample is wrong, in words.
        description: String,
        /// The violations, by pointer and kind.
        violations: Vec<ExpectedViolation>,
    },
}

/// One sample payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The file.
    pub path: PathBuf,
    /// The operationId (its folder).
    pub operation: String,
    /// The part of the operation.
    pub part: SamplePart,
    /// What it must do.
    pub expectation: Expectation,
    /// The payload.
    pub payload: Value,
}

/// The shape of an `invalid/*.json` file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InvalidFile {
    description: String,
    expect: Vec<ExpectedViolation>,
    payload: Value,
}

/// Reads every sample under `dir`, in path order.
pub fn load_samples(dir: &Path) -> Result<Vec<Sample>, ContractError> {
    let mut samples = Vec::new();
    for operation_dir in subfolders(dir)? {
        let operation = file_name(&operation_dir);
        for part_dir in subfolders(&operation_dir)? {
            let part = SamplePart::from_folder(&file_name(&part_dir)).ok_or_else(|| ContractError::SampleLayout {
                path: part_dir.clone(),
                reason: "expected a folder named `request`, `query` or `response-{STATUS}` (three digits)".to_owned(),
            })?;
            for verdict_dir in subfolders(&part_dir)? {
                let verdict = file_name(&verdict_dir);
                if verdict != "valid" && verdict != "invalid" {
                    return Err(ContractError::SampleLayout {
                        path: verdict_dir,
                        reason: "expected a folder named `valid` or `invalid`".to_owned(),
                    });
                }
                for file in files(&verdict_dir)? {
                    let value = read_json(&file)?;
                    let (expectation, payload) = if verdict == "valid" {
                        (Expectation::Valid, value)
                    } else {
                        let parsed: InvalidFile = serde_json::from_value(value).map_err(|err| ContractError::SampleLayout {
                            path: file.clone(),
                            reason: format!(
                                "an invalid sample is {{\"description\": …, \"expect\": [{{\"pointer\": …, \"kind\": …}}], \"payload\": …}}: {err}"
                            ),
                        })?;
                        if parsed.expect.is_empty() {
                            return Err(ContractError::SampleLayout {
                                path: file,
                                reason: "an invalid sample must expect at least one violation"
                                    .to_owned(),
                            });
                        }
                        let mut violations = parsed.expect;
                        violations.sort();
                        (
                            Expectation::Invalid {
                                description: parsed.description,
                                violations,
                            },
                            parsed.payload,
                        )
                    };
                    samples.push(Sample {
                        path: file,
                        operation: operation.clone(),
                        part,
                        expectation,
                        payload,
                    });
                }
            }
        }
    }
    Ok(samples)
}

/// Reads a JSON file, reporting the line and column of a syntax error.
pub(crate) fn read_json(path: &Path) -> Result<Value, ContractError> {
    let text = std::fs::read_to_string(path).map_err(|source| ContractError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|err| ContractError::Json {
        path: path.to_owned(),
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    })
}

/// serde_json ends its messages with " at line L column C"; the error
/// carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_note(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// The entries of a folder, sorted, without notes.
fn entries(dir: &Path) -> Result<Vec<PathBuf>, ContractError> {
    let io = |source| ContractError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if !is_note(&path) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn subfolders(dir: &Path) -> Result<Vec<PathBuf>, ContractError> {
    let paths = entries(dir)?;
    if let Some(file) = paths.iter().find(|p| !p.is_dir()) {
        return Err(ContractError::SampleLayout {
            path: file.clone(),
            reason: "expected only folders here".to_owned(),
        });
    }
    Ok(paths)
}

fn files(dir: &Path) -> Result<Vec<PathBuf>, ContractError> {
    let paths = entries(dir)?;
    if let Some(odd) = paths
        .iter()
        .find(|p| p.is_dir() || p.extension().is_none_or(|e| e != "json"))
    {
        return Err(ContractError::SampleLayout {
            path: odd.clone(),
            reason: "expected only `.json` files here".to_owned(),
        });
    }
    Ok(paths)
}
