//! Live contract runs: every operation of the spec against a running
//! server, each response checked against the contract twice.
//!
//! The plan is derived from the spec, not written per operation:
//! collection reads (no path parameters) first; then, with writes allowed,
//! creates (POST without path parameters) with the documented example body;
//! then the operations on one item, reads before writes, with the id taken
//! from the create (or, read-only, from the first listed item). Two probes
//! follow: an unknown id, and a request without a token. Every response
//! must have a documented status; a JSON body must pass the validator for
//! that operation and status and deserialize into the generated type.

use crate::ContractValidator;
use generator::ir::{Api, Method, Operation};
use serde::Serialize;
use serde_json::Value;
use std::time::Duration;

/// What to run against.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// The server's base URL (without a trailing slash).
    pub base_url: String,
    /// The bearer token.
    pub token: String,
    /// Whether operations that change data may run.
    pub allow_writes: bool,
    /// The generated types' side of the check: deserializes a response body
    /// of (operationId, status) into its Rust type and back, or says why
    /// not (a generated crate's `contract::round_trip`). `None` checks
    /// against the schemas only.
    pub round_trip: Option<RoundTrip>,
}

/// See [`LiveOptions::round_trip`].
pub type RoundTrip = fn(operation: &str, status: u16, body: Value) -> Result<(), String>;

/// The outcome of one request.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The operationId.
    pub operation: String,
    /// What the request was for (`read`, `create`, `probe: unknown id`, …).
    pub purpose: String,
    /// Method and path sent.
    pub request: String,
    /// The status received, if a response came.
    pub status: Option<u16>,
    /// `pass`, `fail` or `skipped`.
    pub verdict: &'static str,
    /// What went wrong (or why it was skipped).
    pub problems: Vec<String>,
}

/// Every step of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LiveReport {
    /// Steps in the order they ran.
    pub steps: Vec<Step>,
}

impl LiveReport {
    /// Whether no step failed.
    pub fn is_success(&self) -> bool {
        self.steps.iter().all(|s| s.verdict != "fail")
    }

    /// A table, one line per step, problems indented below.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            let status = step
                .status
                .map_or_else(|| "-".to_owned(), |s| s.to_string());
            out.push_str(&format!(
                "{:<7} {:<40} {:>3}  {:<24} {}\n",
                step.verdict, step.operation, status, step.purpose, step.request
            ));
            for problem in &step.problems {
                out.push_str(&format!("        {problem}\n"));
            }
        }
        let failed = self.steps.iter().filter(|s| s.verdict == "fail").count();
        let skipped = self.steps.iter().filter(|s| s.verdict == "skipped").count();
        out.push_str(&format!(
            "{} passed, {failed} failed, {skipped} skipped\n",
            self.steps.len() - failed - skipped
        ));
        out
    }
}

/// The request example lowering found for an operation's body.
fn body_example(operation: &Operation) -> Option<Value> {
    operation.body.as_ref()?.example.clone()
}

/// Makes e-mail addresses in an example unique, so that a create can run
/// more than once against the same server.
fn uniquify(value: &mut Value, suffix: &str) {
    match value {
        Value::String(text) => {
            if let Some((local, domain)) = text.split_once('@') {
                if domain.contains('.') && !local.is_empty() && !text.contains(' ') {
                    *text = format!("{local}+{suffix}@{domain}");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| uniquify(v, suffix)),
        Value::Object(map) => map.values_mut().for_each(|v| uniquify(v, suffix)),
        _ => {}
    }
}

fn pointer_text(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The path with `{param}`s replaced by `id` (percent-encoded).
fn fill_path(operation: &Operation, id: &str) -> String {
    // Everything but RFC 3986's unreserved characters.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let encoded = percent_encoding::utf8_percent_encode(id, SEGMENT).to_string();
    let mut path = operation.path.clone();
    for param in &operation.path_params {
        path = path.replace(&format!("{{{}}}", param.wire_name), &encoded);
    }
    path
}

struct Runner<'a> {
    validator: &'a ContractValidator,
    http: reqwest::Client,
    options: &'a LiveOptions,
    report: LiveReport,
}

impl Runner<'_> {
    async fn send(
        &mut self,
        operation: &Operation,
        purpose: &str,
        id: Option<&str>,
        body: Option<&Value>,
        with_token: bool,
    ) -> Option<Value> {
        let path = fill_path(operation, id.unwrap_or(""));
        let url = format!("{}{}", self.options.base_url.trim_end_matches('/'), path);
        let method = reqwest::Method::from_bytes(operation.method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let mut request = self
            .http
            .request(method, &url)
            .header("Accept", "application/json");
        if with_token {
            request = request.bearer_auth(&self.options.token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let mut step = Step {
            operation: operation.id.clone(),
            purpose: purpose.to_owned(),
            request: format!("{} {path}", operation.method.as_str()),
            status: None,
            verdict: "pass",
            problems: Vec::new(),
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => {
                step.verdict = "fail";
                step.problems.push(format!("no response: {err}"));
                self.report.steps.push(step);
                return None;
            }
        };
        let status = response.status().as_u16();
        step.status = Some(status);
        let text = response.text().await.unwrap_or_default();
        let parsed = self.check(operation, status, &text, &mut step.problems);
        if !step.problems.is_empty() {
            step.verdict = "fail";
        }
        self.report.steps.push(step);
        parsed.filter(|_| (200..300).contains(&status))
    }

    /// Checks one response; returns its JSON body when it has one.
    fn check(
        &self,
        operation: &Operation,
        status: u16,
        text: &str,
        problems: &mut Vec<String>,
    ) -> Option<Value> {
        let documented = match self.validator.documented_status(&operation.id, status) {
            Ok(documented) => documented,
            Err(_) => {
                let known: Vec<String> = operation
                    .responses
                    .iter()
                    .map(|r| r.status.to_string())
                    .collect();
                problems.push(format!(
                    "status {status} is not documented (documented: {})",
                    known.join(", ")
                ));
                return None;
            }
        };
        let expects_body = operation
            .responses
            .iter()
            .any(|r| r.status == documented && r.body.is_some());
        if text.trim().is_empty() {
            if expects_body {
                problems.push(format!(
                    "status {status} documents a JSON body, but the body is empty"
                ));
            }
            return None;
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(err) => {
                problems.push(format!("the body is not JSON: {err}"));
                return None;
            }
        };
        if !expects_body {
            // A body where none is documented is not a contract breach by
            // itself; there is just nothing to check it against.
            return Some(value);
        }
        match self
            .validator
            .validate_response(&operation.id, status, &value)
        {
            Ok(violations) => problems.extend(violations.iter().map(ToString::to_string)),
            Err(err) => problems.push(format!("cannot validate: {err}")),
        }
        let round_trip = self.options.round_trip;
        if let Some(Err(err)) = round_trip.map(|check| check(&operation.id, status, value.clone()))
        {
            problems.push(format!(
                "does not deserialize into the generated type: {err}"
            ));
        }
        Some(value)
    }
}

/// Runs every operation of `api` against the server.
pub async fn run(
    api: &Api,
    validator: &ContractValidator,
    options: &LiveOptions,
) -> Result<LiveReport, String> {
    telnyx_managed_accounts::install_tls_provider();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|err| format!("cannot build the HTTP client: {err}"))?;
    let mut runner = Runner {
        validator,
        http,
        options,
        report: LiveReport::default(),
    };
    let listed = runner.read_collections(api).await;
    let created = runner.create_items(api).await;
    let mut item_ops: Vec<&Operation> = api.operations.iter().filter(has_path_params).collect();
    // Reads first, deletes last, the rest in document order.
    item_ops.sort_by_key(|op| match op.method {
        Method::Get => 0,
        Method::Delete => 2,
        _ => 1,
    });
    runner.work_on_items(&item_ops, created.or(listed)).await;
    runner.probe(api, &item_ops).await;
    Ok(runner.report)
}

fn has_path_params(op: &&Operation) -> bool {
    !op.path_params.is_empty()
}

impl Runner<'_> {
    /// Reads every collection (a `GET` without path parameters); returns
    /// the id of the first item listed.
    async fn read_collections(&mut self, api: &Api) -> Option<String> {
        let mut id = None;
        for op in api
            .operations
            .iter()
            .filter(|op| op.method == Method::Get && !has_path_params(op))
        {
            if let Some(body) = self.send(op, "read", None, None, true).await {
                id = id.or_else(|| pointer_text(&body, "/data/0/id"));
            }
        }
        id
    }

    /// Creates (a `POST` without path parameters, with the spec's request
    /// example made unique); returns the id of the last item created.
    async fn create_items(&mut self, api: &Api) -> Option<String> {
        let mut id = None;
        let suffix = format!(
            "contract-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        for op in api
            .operations
            .iter()
            .filter(|op| op.method == Method::Post && !has_path_params(op))
        {
            if !self.options.allow_writes {
                self.skip(op, "create", "writes not allowed (--allow-writes)");
                continue;
            }
            let Some(mut body) =
                body_example(op).or_else(|| op.body.is_none().then_some(Value::Null))
            else {
                self.skip(op, "create", "no request example in the spec");
                continue;
            };
            uniquify(&mut body, &suffix);
            let body = (!body.is_null()).then_some(body);
            if let Some(created) = self.send(op, "create", None, body.as_ref(), true).await {
                if let Some(created_id) =
                    pointer_text(&created, "/data/id").or_else(|| pointer_text(&created, "/id"))
                {
                    id = Some(created_id);
                }
            }
        }
        id
    }

    /// Reads, writes and deletes the item `id` through every operation with
    /// path parameters.
    async fn work_on_items(&mut self, item_ops: &[&Operation], id: Option<String>) {
        for op in item_ops {
            let writes = op.method != Method::Get;
            if writes && !self.options.allow_writes {
                self.skip(op, "item", "writes not allowed (--allow-writes)");
                continue;
            }
            let Some(item_id) = id.clone() else {
                self.skip(op, "item", "no item to work on (none listed, none created)");
                continue;
            };
            let body = match (&op.body, body_example(op)) {
                (None, _) => None,
                (Some(_), Some(example)) => Some(example),
                (Some(body), None) if !body.required => None,
                (Some(_), None) => {
                    self.skip(op, "item", "no request example in the spec");
                    continue;
                }
            };
            self.send(
                op,
                if writes { "write" } else { "read" },
                Some(&item_id),
                body.as_ref(),
                true,
            )
            .await;
        }
    }

    /// The error paths: an unknown id, and a request without a token.
    async fn probe(&mut self, api: &Api, item_ops: &[&Operation]) {
        if let Some(op) = item_ops.iter().find(|op| op.method == Method::Get) {
            let unknown = uuid::Uuid::new_v4().to_string();
            self.send(op, "probe: unknown id", Some(&unknown), None, true)
                .await;
        }
        if let Some(op) = api
            .operations
            .iter()
            .find(|op| op.method == Method::Get && !has_path_params(op))
        {
            self.send(op, "probe: no token", None, None, false).await;
        }
    }
}

impl Runner<'_> {
    fn skip(&mut self, operation: &Operation, purpose: &str, why: &str) {
        self.report.steps.push(Step {
            operation: operation.id.clone(),
            purpose: purpose.to_owned(),
            request: format!("{} {}", operation.method.as_str(), operation.path),
            status: None,
            verdict: "skipped",
            problems: vec![why.to_owned()],
        });
    }
}
