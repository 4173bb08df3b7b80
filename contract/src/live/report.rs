//! What a live run found: steps, each with its named checks, and the
//! renderings of the same list as text, JSON and JUnit XML.

use serde::Serialize;

/// The verdict of a step or a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Everything checked holds.
    Pass,
    /// Something checked does not hold.
    Fail,
    /// Not sent (the reason is in the step's notes).
    Skipped,
}

impl Verdict {
    /// `pass`, `fail` or `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Skipped => "skipped",
        }
    }
}

/// One named check of one response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The check's name (see [`super::checks::CHECKS`]).
    pub name: &'static str,
    /// Whether it holds.
    pub passed: bool,
    /// What is wrong, when it does not hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One request of a run, or one that was not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The operationId.
    pub operation: String,
    /// What the request was for (`create`, `read`, `stateful: deleted then gone`, …).
    pub purpose: String,
    /// Method and path sent (with the query, if any).
    pub request: String,
    /// The status received, if a response came.
    pub status: Option<u16>,
    /// The step's verdict: `fail` if any check failed.
    pub verdict: Verdict,
    /// The checks made on the response.
    pub checks: Vec<Check>,
    /// Where each parameter's value came from, and why a step was skipped.
    pub notes: Vec<String>,
    /// How long the exchange took, in milliseconds.
    pub millis: u64,
}

impl Step {
    /// The messages of the failed checks, each prefixed with its name.
    pub fn problems(&self) -> Vec<String> {
        self.checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| format!("{}: {}", c.name, c.message.as_deref().unwrap_or("failed")))
            .collect()
    }
}

/// Every step of a run, and its totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveReport {
    /// Steps in the order they ran.
    pub steps: Vec<Step>,
    /// The number of operations in the spec.
    pub operations_total: usize,
    /// How many operations got at least one response.
    pub operations_exercised: usize,
    /// Checks that held.
    pub checks_passed: usize,
    /// Checks that did not hold.
    pub checks_failed: usize,
    /// The whole run's wall time, in milliseconds.
    pub wall_millis: u64,
    /// Whether responses were also deserialized into a generated crate's
    /// types, and which, or why not.
    pub round_trip: String,
}

impl LiveReport {
    /// Whether no step failed.
    pub fn is_success(&self) -> bool {
        self.steps.iter().all(|s| s.verdict != Verdict::Fail)
    }

    /// Fills in the totals from the steps.
    pub(crate) fn finish(&mut self, operations_total: usize, wall_millis: u64) {
        let mut exercised: Vec<&str> = self
            .steps
            .iter()
            .filter(|s| s.status.is_some())
            .map(|s| s.operation.as_str())
            .collect();
        exercised.sort_unstable();
        exercised.dedup();
        self.operations_exercised = exercised.len();
        self.operations_total = operations_total;
        self.checks_passed = self.checks().filter(|c| c.passed).count();
        self.checks_failed = self.checks().filter(|c| !c.passed).count();
        self.wall_millis = wall_millis;
    }

    fn checks(&self) -> impl Iterator<Item = &Check> {
        self.steps.iter().flat_map(|s| &s.checks)
    }

    fn count(&self, verdict: Verdict) -> usize {
        self.steps.iter().filter(|s| s.verdict == verdict).count()
    }

    /// One line per step (verdict, operationId, status, purpose, request),
    /// its notes and problems indented below, then the summary.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let status = step
                .status
                .map_or_else(|| "-".to_owned(), |s| s.to_string());
            out.push_str(&format!(
                "{:<7} {:<40} {:>3}  {:<28} {}\n",
                step.verdict.as_str(),
                step.operation,
                status,
                step.purpose,
                step.request
            ));
            for problem in step.problems() {
                out.push_str(&format!("        {problem}\n"));
            }
            for note in &step.notes {
                out.push_str(&format!("        - {note}\n"));
            }
        }
        out.push_str(&format!("round trip: {}\n", self.round_trip));
        let wall = if self.wall_millis < 10_000 {
            format!("{} ms", self.wall_millis)
        } else {
            format!("{:.1} s", self.wall_millis as f64 / 1000.0)
        };
        out.push_str(&format!(
            "exercised {} of {} operations; checks: {} passed, {} failed; {wall}\n",
            self.operations_exercised,
            self.operations_total,
            self.checks_passed,
            self.checks_failed,
        ));
        out.push_str(&format!(
            "{} passed, {} failed, {} skipped\n",
            self.count(Verdict::Pass),
            self.count(Verdict::Fail),
            self.count(Verdict::Skipped)
        ));
        out
    }

    /// JUnit XML: one test case per step (class: the operationId), a
    /// `failure` listing its failed checks, `skipped` with the reason.
    pub fn to_junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<testsuites name=\"contract\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            self.steps.len(),
            self.count(Verdict::Fail),
            self.count(Verdict::Skipped),
            self.wall_millis as f64 / 1000.0
        ));
        out.push_str(&format!(
            "  <testsuite name=\"live contract run\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            self.steps.len(),
            self.count(Verdict::Fail),
            self.count(Verdict::Skipped),
            self.wall_millis as f64 / 1000.0
        ));
        for step in &self.steps {
            let status = step.status.map(|s| format!(" -> {s}")).unwrap_or_default();
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                xml(&step.operation),
                xml(&format!("{}: {}{status}", step.purpose, step.request)),
                step.millis as f64 / 1000.0
            ));
            match step.verdict {
                Verdict::Pass if step.notes.is_empty() => out.push_str("/>\n"),
                verdict => {
                    out.push_str(">\n");
                    let problems = step.problems();
                    match verdict {
                        Verdict::Fail => out.push_str(&format!(
                            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                            xml(problems.first().map_or("failed", String::as_str)),
                            xml(&failed_names(step)),
                            xml(&problems.join("\n"))
                        )),
                        Verdict::Skipped => out.push_str(&format!(
                            "      <skipped message=\"{}\"/>\n",
                            xml(&step.notes.join("; "))
                        )),
                        Verdict::Pass => {}
                    }
                    if !step.notes.is_empty() {
                        out.push_str(&format!(
                            "      <system-out>{}</system-out>\n",
                            xml(&step.notes.join("\n"))
                        ));
                    }
                    out.push_str("    </testcase>\n");
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

fn failed_names(step: &Step) -> String {
    let names: Vec<&str> = step
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.name)
        .collect();
    names.join(",")
}

/// Text escaped for XML attributes and content (control characters other
/// than tab and newline, which XML 1.0 forbids, become spaces).
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(verdict: Verdict, checks: Vec<Check>, notes: Vec<String>) -> Step {
        Step {
            operation: "CreateThing".to_owned(),
            purpose: "create".to_owned(),
            request: "POST /things?q=<&>".to_owned(),
            status: Some(201),
            verdict,
            checks,
            notes,
            millis: 12,
        }
    }

    #[test]
    fn junit_escapes_and_marks_failures_and_skips() {
        let mut report = LiveReport {
            steps: vec![
                step(
                    Verdict::Fail,
                    vec![Check {
                        name: "response_schema_conformance",
                        passed: false,
                        message: Some("/id: expected \"string\"".to_owned()),
                    }],
                    vec![],
                ),
                step(
                    Verdict::Skipped,
                    vec![],
                    vec!["writes not allowed".to_owned()],
                ),
                step(
                    Verdict::Pass,
                    vec![Check {
                        name: "status_code_conformance",
                        passed: true,
                        message: None,
                    }],
                    vec![],
                ),
            ],
            ..LiveReport::default()
        };
        report.finish(3, 1500);
        let xml = report.to_junit();
        assert!(
            xml.contains("tests=\"3\" failures=\"1\" skipped=\"1\""),
            "{xml}"
        );
        assert!(
            xml.contains("POST /things?q=&lt;&amp;&gt; -&gt; 201"),
            "{xml}"
        );
        assert!(xml.contains(
            "<failure message=\"response_schema_conformance: /id: expected &quot;string&quot;\" type=\"response_schema_conformance\">"
        ));
        assert!(xml.contains("<skipped message=\"writes not allowed\"/>"));
        let text = report.to_text();
        assert!(text.contains("exercised 1 of 3 operations; checks: 1 passed, 1 failed; 1500 ms"));
        assert!(text.ends_with("1 passed, 1 failed, 1 skipped\n"), "{text}");
    }
}
