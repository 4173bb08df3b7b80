//! Self-consistency: the live contract run against the mock of the same
//! document finds nothing and exercises at least 80% of its operations.
//!
//! Held for this project's spec and for every public document the
//! generator accepts among the `openapiv3` crate's fixtures (Stripe,
//! Slack, Twilio, Docker, …), read where Cargo unpacked them (nothing is
//! copied into this project); when that folder cannot be found, those
//! documents are skipped with a printed reason.

use contract::ContractValidator;
use contract::live::{self, LinkedRoundTrip, LiveOptions, LiveReport, Secret};
use std::path::{Path, PathBuf};

const TOKEN: &str = "self-consistency-token";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The `fixtures/` folder of the `openapiv3` crate in Cargo's registry.
fn public_documents() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    let lock = std::fs::read_to_string(workspace().join("Cargo.lock")).ok()?;
    let version = lock
        .split("[[package]]")
        .find(|entry| entry.contains("name = \"openapiv3\""))?
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))?
        .trim_end_matches('"')
        .to_owned();
    let registry = home.join("registry").join("src");
    std::fs::read_dir(registry)
        .ok()?
        .flatten()
        .find_map(|index| {
            let fixtures = index
                .path()
                .join(format!("openapiv3-{version}"))
                .join("fixtures");
            fixtures.is_dir().then_some(fixtures)
        })
}

/// The managed-accounts crate's types check the project's own spec.
fn linked(operation: &str, status: u16, body: serde_json::Value) -> Result<(), live::BoxError> {
    use telnyx_managed_accounts::contract::{Target, round_trip};
    round_trip(operation, Target::Response(status), body)
        .map(drop)
        .map_err(Into::into)
}

/// Serves `spec` with the mock and runs the live contract run against it
/// with writes allowed; `None` when the generator refuses the document.
async fn run_against_mock(spec: &Path, own: bool) -> Option<LiveReport> {
    let loaded = generator::load_file(spec).ok()?;
    let api = generator::build_ir(&loaded).ok()?;
    let validator = ContractValidator::new(&loaded).ok()?;
    let document = serde_json::to_value(&loaded.document).ok()?;
    let config = telnyx_mock::Config {
        settings: telnyx_mock::Settings {
            tokens: [TOKEN.to_owned()].into_iter().collect(),
            ..Default::default()
        },
        seed: None,
    };
    let server = telnyx_mock::start(spec, "127.0.0.1:0".parse().ok()?, config)
        .await
        .unwrap_or_else(|err| panic!("{}: the mock does not start: {err}", spec.display()));
    let options = LiveOptions {
        base_url: server.base_url(),
        secret: Some(Secret::new(TOKEN)),
        allow_writes: true,
        // Every operation named: against our own mock, guarded writes
        // (`POST /reset`, RPC-style `POST /chat.postMessage`) are safe.
        include: api.operations.iter().map(|op| op.id.clone()).collect(),
        round_trip: own.then(|| {
            Box::new(LinkedRoundTrip {
                crate_name: "telnyx-managed-accounts".to_owned(),
                check: linked,
            }) as Box<dyn live::RoundTrip>
        }),
        ..LiveOptions::default()
    };
    let report = live::run(&api, &validator, &document, &options)
        .await
        .unwrap_or_else(|err| panic!("{}: the run does not start: {err}", spec.display()));
    Some(report)
}

/// What is wrong with a report, if anything.
fn judge(name: &str, report: &LiveReport) -> Option<String> {
    let exercised = report.operations_exercised * 100;
    let enough = exercised >= report.operations_total * 80;
    if report.is_success() && enough {
        return None;
    }
    let failures: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.verdict == live::Verdict::Fail)
        .take(5)
        .map(|s| {
            format!(
                "  {} {}: {}",
                s.operation,
                s.purpose,
                s.problems().join("; ")
            )
        })
        .collect();
    let skipped: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.verdict == live::Verdict::Skipped)
        .take(5)
        .map(|s| format!("  skipped {}: {}", s.operation, s.notes.join("; ")))
        .collect();
    Some(format!(
        "{name}: exercised {} of {} operations, {} check(s) failed\n{}\n{}",
        report.operations_exercised,
        report.operations_total,
        report.checks_failed,
        failures.join("\n"),
        skipped.join("\n")
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_run_finds_nothing_in_the_mock_of_the_projects_spec() {
    let spec = workspace().join("spec/managed_accounts.yaml");
    let report = run_against_mock(&spec, true).await.expect("the spec loads");
    assert_eq!(report.operations_exercised, report.operations_total);
    assert!(report.round_trip.contains("telnyx-managed-accounts"));
    if let Some(problem) = judge("spec/managed_accounts.yaml", &report) {
        panic!("{problem}\n{}", report.to_text());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_run_finds_nothing_in_the_mock_of_public_documents() {
    let Some(dir) = public_documents() else {
        println!("skipped: the openapiv3 crate's fixtures were not found in Cargo's registry");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures folder is readable")
        .flatten()
        .map(|entry| entry.path())
        .collect();
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(report) = run_against_mock(file, false).await else {
            println!("{name}: refused by the generator (not a document the tools accept)");
            continue;
        };
        checked += 1;
        println!(
            "{name}: exercised {} of {} operations, {} checks passed, {} failed, {} ms",
            report.operations_exercised,
            report.operations_total,
            report.checks_passed,
            report.checks_failed,
            report.wall_millis
        );
        problems.extend(judge(&name, &report));
    }
    assert!(checked >= 2, "fewer than two public documents were checked");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_run_finds_nothing_in_the_mock_of_event_streams() {
    let spec = workspace().join("tests/fixtures/specs/event_streams.yaml");
    let report = run_against_mock(&spec, false)
        .await
        .expect("the fixture loads");
    assert_eq!(report.operations_exercised, report.operations_total);
    if let Some(problem) = judge("event_streams.yaml", &report) {
        panic!("{problem}\n{}", report.to_text());
    }
}
