//! The runner: the plan, each request, and the stateful checks.
//!
//! An operation that is not sent is a skipped step whose note is its
//! [`Skip`] reason (chosen here, or by `values` when no body or credential
//! can be built); the run fails as a whole ([`Error`]) only when it cannot
//! start. What the server answers is judged by `super::checks`.

use super::{Error, LiveOptions, Skip};

mod stateful;
use super::checks::{self, Received, fail};
use super::report::{LiveReport, Step, Verdict};
use super::values::{self, Exchange};
use crate::ContractValidator;
use crate::graph::{Graph, Location, Role, Source};
use generator::ir::{Api, Operation};
use serde_json::Value;
use std::time::Instant;

/// Runs the operations of `api` (whose spec is `document`, as JSON)
/// against the server; `Err` when the run cannot start.
pub async fn run(
    api: &Api,
    validator: &ContractValidator,
    document: &Value,
    options: &LiveOptions,
) -> Result<LiveReport, Error> {
    let started = Instant::now();
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first: either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let http = reqwest::Client::builder()
        .timeout(options.timeout)
        .build()
        .map_err(Error::HttpClient)?;
    let graph = Graph::new(api, validator, document);
    let mut runner = Runner {
        api,
        graph,
        validator,
        document,
        options,
        http,
        report: LiveReport {
            round_trip: options.round_trip.as_ref().map_or_else(
                || {
                    "none: no crate generated from this spec (give --crate DIR to use one)"
                        .to_owned()
                },
                |r| r.describe(),
            ),
            ..LiveReport::default()
        },
        exchanges: vec![None; api.operations.len()],
        unique: format!("ct{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        seed: 0,
    };
    let selection = runner.select();
    for (index, purpose) in runner.plan() {
        match &selection[index] {
            Ok(()) => runner.exercise(index, purpose).await,
            Err(reason) => runner.skip(index, purpose, reason.clone()),
        }
    }
    let total = api.operations.len();
    runner
        .report
        .finish(total, started.elapsed().as_millis() as u64);
    Ok(runner.report)
}

/// A request ready to send.
#[derive(Debug, Clone, Default)]
struct Prepared {
    path: Vec<(String, String)>,
    query: Vec<(String, Value)>,
    body: Option<values::Body>,
    notes: Vec<String>,
    /// Whether an item's id in the path came from the spec rather than
    /// from the server (a 404 then says nothing about the server).
    invented: bool,
    /// A stateful check's request, sent outside the contract on purpose
    /// (no credentials, a body that breaks the schema, an unknown id): its
    /// check judges the status, and an undocumented one is only noted.
    probe: bool,
}

struct Runner<'a> {
    api: &'a Api,
    graph: Graph,
    validator: &'a ContractValidator,
    document: &'a Value,
    options: &'a LiveOptions,
    http: reqwest::Client,
    report: LiveReport,
    /// The last successful exchange of each operation.
    exchanges: Vec<Option<Exchange>>,
    /// Makes created values unique to this run.
    unique: String,
    /// Varies built values from one request to the next.
    seed: u64,
}

impl Runner<'_> {
    /// For each operation: `Ok` when it runs, else why not.
    fn select(&self) -> Vec<Result<(), Skip>> {
        let options = self.options;
        let named = |op: &Operation| options.include.contains(&op.id);
        let mut wanted: Vec<bool> = self
            .api
            .operations
            .iter()
            .map(|op| options.include.is_empty() || named(op))
            .collect();
        // What the wanted operations need runs too.
        if !options.include.is_empty() {
            for _ in 0..self.api.operations.len() {
                let mut changed = false;
                for index in 0..wanted.len() {
                    if !wanted[index] {
                        continue;
                    }
                    for input in &self.graph.nodes[index].inputs {
                        if let Some(supplier) = input.source.operation() {
                            if !wanted[supplier] {
                                wanted[supplier] = true;
                                changed = true;
                            }
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
        }
        self.api
            .operations
            .iter()
            .enumerate()
            .map(|(index, op)| {
                let node = &self.graph.nodes[index];
                if options.exclude.contains(&op.id) {
                    return Err(Skip::Excluded);
                }
                if let Some(regex) = options.exclude_paths.iter().find(|r| r.is_match(&op.path)) {
                    return Err(Skip::ExcludedPath {
                        pattern: regex.to_string(),
                    });
                }
                if !wanted[index] {
                    return Err(Skip::NotIncluded);
                }
                if let Some(reason) = &node.guarded {
                    if !named(op) {
                        return Err(Skip::Guarded(reason.clone()));
                    }
                }
                if node.role.writes() && !options.allow_writes {
                    return Err(Skip::WritesNotAllowed);
                }
                Ok(())
            })
            .collect()
    }

    /// The operations in the order they run, each with its purpose.
    fn plan(&self) -> Vec<(usize, &'static str)> {
        let graph = &self.graph;
        let order = graph.resource_order();
        let mut plan: Vec<(usize, &'static str)> = Vec::new();
        let push = |plan: &mut Vec<(usize, &'static str)>, index: usize, purpose| {
            if !plan.iter().any(|(i, _)| *i == index) {
                plan.push((index, purpose));
            }
        };
        for &resource in &order {
            if let Some(create) = graph.resources[resource].create {
                push(&mut plan, create, "create");
            }
        }
        for &resource in &order {
            if let Some(list) = graph.resources[resource].list {
                push(&mut plan, list, "list");
            }
        }
        let by_role = |roles: &[Role]| -> Vec<usize> {
            graph
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, node)| roles.contains(&node.role))
                .map(|(index, _)| index)
                .collect()
        };
        for index in by_role(&[Role::Create]) {
            push(&mut plan, index, "create");
        }
        for index in by_role(&[Role::List, Role::Retrieve, Role::Read]) {
            push(&mut plan, index, "read");
        }
        for index in by_role(&[Role::Update, Role::Action, Role::Write]) {
            push(&mut plan, index, "write");
        }
        for &resource in order.iter().rev() {
            if let Some(delete) = graph.resources[resource].delete {
                push(&mut plan, delete, "delete");
            }
        }
        for index in by_role(&[Role::Delete]) {
            push(&mut plan, index, "delete");
        }
        plan
    }

    fn skip(&mut self, index: usize, purpose: &str, reason: Skip) {
        let op = &self.api.operations[index];
        self.report.steps.push(Step {
            operation: op.id.clone(),
            purpose: purpose.to_owned(),
            request: format!("{} {}", op.method.as_str(), op.path),
            status: None,
            verdict: Verdict::Skipped,
            checks: Vec::new(),
            notes: vec![reason.to_string()],
            millis: 0,
        });
    }

    fn next_seed(&mut self) -> u64 {
        self.seed += 1;
        self.seed
    }

    /// The values of an operation's parameters and its body.
    fn prepare(&mut self, index: usize) -> Result<Prepared, Skip> {
        let seed = self.next_seed();
        let op = &self.api.operations[index];
        let node = &self.graph.nodes[index];
        let mut prepared = Prepared::default();
        let mut query = values::required_query(self.validator, op, seed);
        for input in &node.inputs {
            let (value, note) = self.resolve(index, input);
            match input.location {
                Location::Path => {
                    if value.is_none() && input.resource.is_some() {
                        prepared.invented = true;
                    }
                    let value = value.unwrap_or_else(|| {
                        values::path_value_from_spec(self.api, self.document, op, &input.name)
                    });
                    prepared.path.push((input.name.clone(), value));
                }
                Location::Query => {
                    if let Some(value) = value {
                        query.insert(input.name.clone(), Value::String(value));
                    }
                }
            }
            prepared.notes.push(note);
        }
        prepared.query = query.into_iter().collect();
        let unique = format!("{}-{seed}", self.unique);
        if let Some((body, origin)) = values::request_body(self.validator, op, seed, &unique)? {
            prepared.notes.push(format!("body: {origin}"));
            prepared.body = Some(body);
        }
        Ok(prepared)
    }

    /// An input's value from the exchange its source names, else from its
    /// resource's list, with a note on where it came from.
    fn resolve(&self, index: usize, input: &crate::graph::Input) -> (Option<String>, String) {
        let from = |operation: usize, expression| {
            self.exchanges[operation]
                .as_ref()
                .and_then(|exchange| values::evaluate(expression, exchange))
        };
        if let (Some(operation), Some(expression)) =
            (input.source.operation(), input.source.expression())
        {
            if let Some(value) = from(operation, expression) {
                return (Some(value), input.explain(self.api));
            }
        }
        // The resource's list, when the source gave nothing (it did not
        // run, e.g. in a read-only run).
        if let Some(resource) = input.resource.map(|r| &self.graph.resources[r]) {
            if let (Some(list), Some(items), Some(field)) =
                (resource.list, &resource.list_items, &resource.id_field)
            {
                if list != index {
                    let expression = crate::graph::Expression::ResponseBody(format!(
                        "{items}/0/{}",
                        generator::pointer::escape_token(field)
                    ));
                    if let Some(value) = from(list, &expression) {
                        let list_id = &self.api.operations[list].id;
                        return (
                            Some(value),
                            format!(
                                "{} from {list_id} {expression} (the first listed item)",
                                input.name
                            ),
                        );
                    }
                }
            }
        }
        let why = match input.source.operation() {
            Some(operation) if !matches!(input.source, Source::Spec) => format!(
                "{} from the spec: {} gave no value",
                input.name, self.api.operations[operation].id
            ),
            _ => input.explain(self.api),
        };
        (None, why)
    }

    /// Sends one request and checks its response; returns the status and
    /// the JSON body, and keeps a successful exchange.
    async fn send(
        &mut self,
        index: usize,
        purpose: &str,
        prepared: &Prepared,
        with_credentials: bool,
    ) -> (Option<u16>, Option<Value>) {
        let op = &self.api.operations[index];
        let mut path = op.path.clone();
        for (name, value) in &prepared.path {
            path = path.replace(&format!("{{{name}}}"), &encode_segment(value));
        }
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &prepared.query {
            values::encode_query(op, name, value, &mut query);
        }
        let shown = query.finish();
        let target = if shown.is_empty() {
            path
        } else {
            format!("{path}?{shown}")
        };
        // An API key in the query is sent, never shown.
        let mut url = format!("{}{target}", self.options.base_url.trim_end_matches('/'));
        if with_credentials {
            if let Some((name, secret)) =
                values::query_credential(&op.security, self.options.secret.as_ref())
            {
                let pair = form_urlencoded::Serializer::new(String::new())
                    .append_pair(name, secret)
                    .finish();
                url.push(if shown.is_empty() { '?' } else { '&' });
                url.push_str(&pair);
            }
        }
        let method = reqwest::Method::from_bytes(op.method.as_str().as_bytes())
            .unwrap_or(reqwest::Method::GET);
        let mut request = self
            .http
            .request(method, &url)
            .header(reqwest::header::ACCEPT, "application/json, */*;q=0.5");
        if let Some(headers) = op.query.as_ref().map(|q| &q.headers) {
            for header in headers.iter().filter(|h| h.required) {
                request = request.header(
                    header.wire_name.as_str(),
                    format!("{}-{}", self.unique, self.seed),
                );
            }
        }
        if with_credentials {
            match values::authenticate(request, &op.security, self.options.secret.as_ref()) {
                Ok(authenticated) => request = authenticated,
                Err(reason) => {
                    self.skip(index, purpose, reason);
                    return (None, None);
                }
            }
        }
        match &prepared.body {
            Some(values::Body::Json(body)) => request = request.json(body),
            Some(values::Body::Form(Value::Object(members))) => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                for (name, value) in members {
                    form.append_pair(name, &values::member_text(value));
                }
                request = request
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(form.finish());
            }
            Some(values::Body::Multipart(Value::Object(members))) => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in members {
                    form = form.text(name.clone(), values::member_text(value));
                }
                request = request.multipart(form);
            }
            Some(values::Body::Raw {
                content_type,
                bytes,
            }) => {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                    .body(bytes.clone());
            }
            Some(values::Body::Form(_) | values::Body::Multipart(_)) | None => {}
        }
        let mut step = Step {
            operation: op.id.clone(),
            purpose: purpose.to_owned(),
            request: format!("{} {target}", op.method.as_str()),
            status: None,
            verdict: Verdict::Pass,
            checks: Vec::new(),
            notes: prepared.notes.clone(),
            millis: 0,
        };
        let started = Instant::now();
        let response = request.send().await;
        let received = match response {
            Ok(response) => {
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let content_type = headers
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                match response.text().await {
                    Ok(text) => Ok(Received {
                        status,
                        content_type,
                        headers,
                        text,
                    }),
                    Err(err) => Err(format!("the body could not be read: {}", err.without_url())),
                }
            }
            // Without the URL: it may carry an API key.
            Err(err) => Err(format!("no response: {}", err.without_url())),
        };
        step.millis = started.elapsed().as_millis() as u64;
        let received = match received {
            Ok(received) => received,
            Err(problem) => {
                step.checks.push(fail(checks::STATUS, problem));
                step.verdict = Verdict::Fail;
                self.report.steps.push(step);
                return (None, None);
            }
        };
        step.status = Some(received.status);
        let body = checks::conformance(
            self.validator,
            self.document,
            self.options,
            op,
            &received,
            &mut step.checks,
        );
        if prepared.invented && matches!(received.status, 404 | 410) {
            unjudge_status(&mut step, "the id came from the spec, not from the server");
        }
        if prepared.probe {
            unjudge_status(&mut step, "a request outside the contract");
        }
        if step.checks.iter().any(|c| !c.passed) {
            step.verdict = Verdict::Fail;
        }
        self.report.steps.push(step);
        if (200..300).contains(&received.status) && with_credentials {
            self.exchanges[index] = Some(Exchange {
                path: prepared.path.clone(),
                query: prepared
                    .query
                    .iter()
                    .filter_map(|(n, v)| values::scalar_text(v).map(|v| (n.clone(), v)))
                    .collect(),
                request_body: prepared.body.as_ref().and_then(|b| b.value()).cloned(),
                response_body: body.clone(),
                headers: received.headers,
            });
        }
        (Some(received.status), body)
    }
}

/// Turns a failed `status_code_conformance` of `step` into a note: the
/// status of a request the contract does not describe is not judged.
fn unjudge_status(step: &mut Step, why: &str) {
    if let Some(at) = step
        .checks
        .iter()
        .position(|c| c.name == checks::STATUS && !c.passed)
    {
        let check = step.checks.remove(at);
        step.notes.push(format!(
            "not judged: {} ({why})",
            check.message.unwrap_or_default()
        ));
    }
}

/// A path segment, percent-encoded (everything but RFC 3986's unreserved
/// characters).
fn encode_segment(value: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}
