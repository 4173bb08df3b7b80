//! `cargo xtask contract`: every sample and every spec example checked,
//! grouped by operation, as text or JSON.
//!
//! A check passes when a valid sample or an example has no violation, or
//! when an invalid sample has exactly the violations it declares (same
//! instance pointers and kinds, and schema pointers where it pins them).

use super::samples::{Expectation, ExpectedViolation, Sample, SamplePart};
use super::violation::{Violation, display_pointer};
use super::{ContractError, ContractValidator, SpecExample, spec_examples};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Where a checked value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum CheckSource {
    /// A file of the sample corpus.
    Sample {
        /// Its path.
        path: String,
    },
    /// An `example`/`examples` value in the spec.
    Example {
        /// Its spec pointer.
        pointer: String,
    },
}

impl std::fmt::Display for CheckSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckSource::Sample { path } => write!(f, "sample {path}"),
            CheckSource::Example { pointer } => write!(f, "example {pointer}"),
        }
    }
}

/// What a check expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Expected {
    /// No violation.
    Valid,
    /// Exactly these violations.
    Invalid {
        /// The declared violations.
        violations: Vec<ExpectedViolation>,
    },
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckOutcome {
    /// What was checked.
    pub source: CheckSource,
    /// What it was checked as (`request`, `response 200`, `schema #/…`).
    pub target: String,
    /// What was expected.
    pub expected: Expected,
    /// Whether the outcome matched the expectation.
    pub passed: bool,
    /// The violations found.
    pub violations: Vec<Violation>,
    /// Why the check failed (empty when it passed).
    pub problems: Vec<String>,
}

/// The checks of one operation (or of the shared components).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupReport {
    /// The operationId, or `components` for shared parts of the spec.
    pub name: String,
    /// Checks run.
    pub checked: usize,
    /// Checks passed.
    pub passed: usize,
    /// Checks failed.
    pub failed: usize,
    /// Every check, samples first.
    pub checks: Vec<CheckOutcome>,
}

/// The whole contract run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractReport {
    /// One group per operation (document order), then `components`, then
    /// samples of operations the spec does not have.
    pub groups: Vec<GroupReport>,
    /// Checks run.
    pub checked: usize,
    /// Checks passed.
    pub passed: usize,
    /// Checks failed.
    pub failed: usize,
}

/// The group name of checks on shared parts of the spec.
pub const COMPONENTS_GROUP: &str = "components";

impl ContractReport {
    /// Whether every check passed.
    pub fn is_success(&self) -> bool {
        self.failed == 0
    }

    /// The report as text: one block per group, one line per check, one
    /// line per violation or problem.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for group in &self.groups {
            let _ = writeln!(
                out,
                "{}: {} checked, {} passed, {} failed",
                group.name, group.checked, group.passed, group.failed
            );
            for check in &group.checks {
                let verdict = if check.passed { "ok  " } else { "FAIL" };
                let expectation = match (&check.expected, check.passed) {
                    (Expected::Invalid { .. }, true) => ": rejected as declared",
                    _ => "",
                };
                let _ = writeln!(
                    out,
                    "  {verdict} {} [{}]{expectation}",
                    check.source, check.target
                );
                for violation in &check.violations {
                    let _ = writeln!(out, "         {} [{}]", violation, violation.kind);
                }
                for problem in &check.problems {
                    let _ = writeln!(out, "         problem: {problem}");
                }
            }
        }
        let _ = writeln!(
            out,
            "contract: {} checked, {} passed, {} failed",
            self.checked, self.passed, self.failed
        );
        out
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"))
    }
}

/// Checks every sample and every example of the spec. Sample paths are
/// shown relative to `base` where they are under it.
pub fn run_contract(
    validator: &ContractValidator,
    samples: &[Sample],
    base: &Path,
) -> ContractReport {
    let mut groups: BTreeMap<String, Vec<CheckOutcome>> = BTreeMap::new();
    for sample in samples {
        let outcome = check_sample(validator, sample, base);
        groups
            .entry(sample.operation.clone())
            .or_default()
            .push(outcome);
    }
    let mut cache = super::SchemaCache::default();
    for example in spec_examples(validator) {
        let result = validator.validate_at(
            &example.schema_pointer,
            example.direction,
            &example.value,
            &mut cache,
        );
        let source = CheckSource::Example {
            pointer: example.pointer.clone(),
        };
        let outcome = judge(source, example_target(&example), Expected::Valid, result);
        let group = example
            .operation
            .clone()
            .unwrap_or_else(|| COMPONENTS_GROUP.to_owned());
        groups.entry(group).or_default().push(outcome);
    }
    assemble(validator, groups)
}

/// One sample checked against its target.
fn check_sample(validator: &ContractValidator, sample: &Sample, base: &Path) -> CheckOutcome {
    let shown = sample.path.strip_prefix(base).unwrap_or(&sample.path);
    let source = CheckSource::Sample {
        path: shown.display().to_string(),
    };
    let result = match sample.part {
        SamplePart::Request => validator.validate_request(&sample.operation, &sample.payload),
        SamplePart::Query => validator.validate_query(&sample.operation, &sample.payload),
        SamplePart::Response(status) => {
            validator.validate_response(&sample.operation, status, &sample.payload)
        }
    };
    let expected = match &sample.expectation {
        Expectation::Valid => Expected::Valid,
        Expectation::Invalid { violations, .. } => Expected::Invalid {
            violations: violations.clone(),
        },
    };
    judge(source, sample.part.to_string(), expected, result)
}

/// What an example is checked as: its direction, and the schema unless it
/// is the one right beside the example (its own schema object, or its
/// media type's schema).
fn example_target(example: &SpecExample) -> String {
    let direction = match example.direction {
        super::Direction::Neutral => "schema",
        super::Direction::Request => "request",
        super::Direction::Response => "response",
    };
    let parent = example
        .schema_pointer
        .rsplit_once('/')
        .map_or("", |(p, _)| p);
    let beside = example
        .pointer
        .starts_with(&format!("{}/example", example.schema_pointer))
        || (example.schema_pointer.ends_with("/schema")
            && example.pointer.starts_with(&format!("{parent}/example")));
    if beside {
        direction.to_owned()
    } else {
        format!("{direction}: schema {}", example.schema_pointer)
    }
}

/// The report: groups in operation order, then components, then samples
/// of operations the spec does not have.
fn assemble(
    validator: &ContractValidator,
    mut groups: BTreeMap<String, Vec<CheckOutcome>>,
) -> ContractReport {
    let mut order: Vec<String> = validator.operation_ids().map(str::to_owned).collect();
    order.push(COMPONENTS_GROUP.to_owned());
    let mut report = ContractReport {
        groups: Vec::new(),
        checked: 0,
        passed: 0,
        failed: 0,
    };
    let mut push = |name: String, checks: Vec<CheckOutcome>| {
        let passed = checks.iter().filter(|c| c.passed).count();
        let group = GroupReport {
            checked: checks.len(),
            passed,
            failed: checks.len() - passed,
            name,
            checks,
        };
        report.checked += group.checked;
        report.passed += group.passed;
        report.failed += group.failed;
        report.groups.push(group);
    };
    for name in order {
        let checks = groups.remove(&name).unwrap_or_default();
        push(name, checks);
    }
    // Samples for operations the spec does not have: their checks failed
    // with an "unknown operation" problem.
    for (name, checks) in groups {
        push(name, checks);
    }
    report
}

fn judge(
    source: CheckSource,
    target: String,
    expected: Expected,
    result: Result<Vec<Violation>, ContractError>,
) -> CheckOutcome {
    let violations = match result {
        Ok(violations) => violations,
        Err(err) => {
            return CheckOutcome {
                source,
                target,
                expected,
                passed: false,
                violations: Vec::new(),
                problems: vec![err.to_string()],
            };
        }
    };
    let mut problems = Vec::new();
    match &expected {
        Expected::Valid => {
            if !violations.is_empty() {
                problems.push(format!(
                    "expected to be valid, rejected with {} violation(s)",
                    violations.len()
                ));
            }
        }
        Expected::Invalid {
            violations: declared,
        } => {
            if violations.is_empty() {
                problems.push("expected to be rejected, but it passes".to_owned());
            }
            let matches = |e: &ExpectedViolation, v: &Violation| {
                e.pointer == v.instance_pointer
                    && e.kind == v.kind
                    && e.schema.as_deref().is_none_or(|s| s == &*v.schema_pointer)
            };
            for e in declared {
                if !violations.iter().any(|v| matches(e, v)) {
                    problems.push(format!("declared violation not reported: {e}"));
                }
            }
            for v in &violations {
                if !declared.iter().any(|e| matches(e, v)) {
                    problems.push(format!(
                        "undeclared violation: {} at {}",
                        v.kind,
                        display_pointer(&v.instance_pointer)
                    ));
                }
            }
        }
    }
    CheckOutcome {
        source,
        target,
        expected,
        passed: problems.is_empty(),
        violations,
        problems,
    }
}
