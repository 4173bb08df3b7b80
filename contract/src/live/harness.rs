//! The Rust round trip through a generated crate that is not linked into
//! this binary (`--crate DIR`): a small harness program, compiled against
//! the crate's `contract` feature, reads one response per line on its
//! standard input and answers whether it went through the crate's types.
//!
//! The harness is written under a folder of ours (`target/contract-harness/…`)
//! with a `[workspace]` of its own, built with the same cargo, and kept
//! running for the whole live run.
//!
//! A harness that cannot be written, built or started is a
//! [`super::Error`] (the run does not start); a body the crate refuses, or
//! a harness that stops answering, is a [`super::RoundTripError`] (a failed
//! `rust_round_trip` check).

use super::{Error, RoundTrip, RoundTripError};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

const MAIN: &str = r#"//! Written by the contract runner: round-trips response bodies through
//! the generated crate's types, one JSON line in, one JSON line out.
use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let answer = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(request) => {
                let operation = request["operation"].as_str().unwrap_or_default();
                let status = u16::try_from(request["status"].as_u64().unwrap_or(0)).unwrap_or(0);
                let target = api::contract::Target::Response(status);
                match api::contract::round_trip(operation, target, request["body"].clone()) {
                    Ok(_) => serde_json::json!({"ok": true}),
                    Err(err) => serde_json::json!({"error": err.to_string()}),
                }
            }
            Err(err) => serde_json::json!({"error": err.to_string()}),
        };
        if writeln!(out, "{answer}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
}
"#;

/// A generated crate's round trip, through a harness process.
pub struct CrateHarness {
    crate_name: String,
    process: Mutex<Process>,
}

struct Process {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for CrateHarness {
    fn drop(&mut self) {
        if let Ok(process) = self.process.get_mut() {
            let _ = process.child.kill();
            let _ = process.child.wait();
        }
    }
}

impl CrateHarness {
    /// Writes and builds the harness for the crate in `crate_dir` under
    /// `work_dir`, and starts it.
    pub fn build(crate_dir: &Path, work_dir: &Path) -> Result<Self, Error> {
        let manifest = crate_dir.join("Cargo.toml");
        let config = generator::CrateConfig::load(&manifest)?;
        let crate_dir = crate_dir.canonicalize().map_err(|source| Error::CrateDir {
            path: crate_dir.to_owned(),
            source,
        })?;
        let dir = work_dir.join(&config.crate_name);
        std::fs::create_dir_all(dir.join("src")).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        let cargo_toml = format!(
            "# Written by the contract runner (--crate): do not edit.\n\
             [package]\nname = \"contract-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\napi = {{ package = {}, path = {}, features = [\"contract\"] }}\nserde_json = \"1\"\n\n\
             [workspace]\n",
            toml_string(&config.crate_name),
            toml_string(&crate_dir.display().to_string()),
        );
        write(&dir.join("Cargo.toml"), &cargo_toml)?;
        write(&dir.join("src/main.rs"), MAIN)?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let target_dir: PathBuf = dir.join("target");
        let built = Command::new(cargo)
            .args(["build", "--quiet", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(Error::Cargo)?;
        if !built.status.success() {
            return Err(Error::HarnessBuild {
                crate_dir,
                stderr: String::from_utf8_lossy(&built.stderr).into_owned(),
            });
        }
        let binary = target_dir.join("debug").join("contract-harness");
        let mut child = Command::new(&binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|source| Error::HarnessStart {
                binary: binary.clone(),
                source,
            })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::HarnessPipes);
        };
        Ok(Self {
            crate_name: config.crate_name,
            process: Mutex::new(Process {
                child,
                stdin,
                stdout: BufReader::new(stdout),
            }),
        })
    }
}

impl RoundTrip for CrateHarness {
    fn check(&self, operation: &str, status: u16, body: Value) -> Result<(), RoundTripError> {
        let mut process = self.process.lock().map_err(|_| RoundTripError::Poisoned)?;
        let request = json!({"operation": operation, "status": status, "body": body});
        writeln!(process.stdin, "{request}")
            .and_then(|()| process.stdin.flush())
            .map_err(RoundTripError::Stopped)?;
        let mut line = String::new();
        process
            .stdout
            .read_line(&mut line)
            .map_err(RoundTripError::Stopped)?;
        let answer: Value = serde_json::from_str(&line).map_err(|_| RoundTripError::Silent)?;
        match answer.get("error").and_then(Value::as_str) {
            Some(error) => Err(RoundTripError::Rejected(error.into())),
            None => Ok(()),
        }
    }

    fn describe(&self) -> String {
        format!("through the types of `{}` (--crate)", self.crate_name)
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
