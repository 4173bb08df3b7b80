//! Contract checks: JSON payloads against the spec's schemas.
//!
//! [`ContractValidator::new`] converts every body schema of every operation
//! (request, each documented response, the query parameters taken as one
//! object) and every component schema into JSON Schema 2020-12 (see
//! `convert` for the OpenAPI 3.0 rules it makes explicit), compiles each
//! once with the `jsonschema` crate, and keeps them. Validating a payload
//! returns its [`Violation`]s, each with the payload's pointer and the
//! spec's.
//!
//! Around it: `samples` reads the sample corpus (`spec/samples/`),
//! `examples` finds every `example`/`examples` value in the spec, `report`
//! checks both and renders the result (`cargo xtask contract`), and
//! `check` validates arbitrary files (`cargo xtask contract check`);
//! [`cli`] is the command line of all three;
//! [`synth`] generates valid and invalid values from the same schemas.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod check;
pub mod cli;
mod convert;
mod error;
mod examples;
pub mod graph;
pub mod live;
mod report;
mod samples;
pub mod synth;
mod violation;

pub use check::{CheckRendering, FileCheck, check_files, render_check};
pub use error::ContractError;
pub use examples::{SpecExample, spec_examples};
pub use generator::ir::Direction;
pub use report::{
    COMPONENTS_GROUP, CheckOutcome, CheckSource, ContractReport, Expected, GroupReport,
    run_contract,
};
pub use samples::{Expectation, ExpectedViolation, Sample, SamplePart, load_samples};
pub use violation::{Violation, ViolationKind, display_pointer};

use convert::{Converter, Document, NodeMap};
use generator::Spec;
use generator::ir::Status;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a payload is checked as.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// An operation's request body.
    Request {
        /// The operationId.
        operation: String,
    },
    /// An operation's query parameters, as one object keyed by parameter
    /// name, each value in its nested form (`{"filter": {"email":
    /// {"contains": "x"}}, "page": {"number": 2}}`), the shape of the
    /// generated `{Op}Params` type. Values are JSON-typed: a query string
    /// must be decoded (and numbers and booleans parsed) first.
    Query {
        /// The operationId.
        operation: String,
    },
    /// An operation's response body for a documented status.
    Response {
        /// The operationId.
        operation: String,
        /// The status as documented (a code, a range or `default`).
        status: Status,
    },
    /// A component schema (`#/components/schemas/{name}`), with neither
    /// `readOnly` nor `writeOnly` enforced.
    Schema {
        /// The component's name.
        name: String,
    },
    /// The JSON payload of a webhook or callback the API sends (checked
    /// as the API writes it: `writeOnly` properties are refused).
    Webhook {
        /// The webhook's name (`generator::ir::Webhook::name`).
        name: String,
    },
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Request { operation } => write!(f, "{operation} request"),
            Target::Query { operation } => write!(f, "{operation} query"),
            Target::Response { operation, status } => write!(f, "{operation} response {status}"),
            Target::Schema { name } => write!(f, "schema {name}"),
            Target::Webhook { name } => write!(f, "webhook {name}"),
        }
    }
}

/// One compiled schema and the way back from its errors to the spec.
struct Compiled {
    validator: jsonschema::Validator,
    document: Value,
    nodes: NodeMap,
    /// The spec pointer of the schema.
    pointer: String,
}

impl Compiled {
    fn new(document: Document, pointer: &str) -> Result<Self, ContractError> {
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build(&document.schema)
            .map_err(|err| ContractError::Compile {
                pointer: pointer.to_owned(),
                message: err.to_string(),
            })?;
        Ok(Self {
            validator,
            document: document.schema,
            nodes: document.nodes,
            pointer: pointer.to_owned(),
        })
    }

    fn validate(&self, value: &Value) -> Vec<Violation> {
        // One pass: jsonschema collects the errors eagerly, and a valid
        // payload yields none (and costs no allocation here). An `is_valid`
        // pre-pass would save ~10% on valid payloads and cost a second
        // evaluation of every invalid one.
        let errors = self.validator.iter_errors(value);
        let mut violations = Vec::with_capacity(errors.size_hint().0);
        for error in errors {
            violation::from_error(&error, &self.nodes, &mut violations);
        }
        if violations.len() > 1 {
            violations.sort();
            violations.dedup();
        }
        violations
    }
}

/// Schemas compiled on demand (for examples below the targets' roots),
/// each once; a schema that does not compile keeps its error.
#[derive(Default)]
pub(crate) struct SchemaCache(BTreeMap<(String, Direction), Result<Compiled, ContractError>>);

/// The compiled schemas of one operation.
struct OperationSchemas {
    request: Option<Compiled>,
    query: Option<Compiled>,
    /// Every documented response in status order, with its compiled body
    /// schema if it has a JSON one.
    responses: Vec<(Status, Option<Compiled>)>,
    /// The schema of each item of the event stream a 2xx response offers,
    /// if it has one.
    stream_item: Option<Compiled>,
}

/// Validates JSON payloads against the contract of one spec.
///
/// Built once (every schema is converted and compiled in
/// [`ContractValidator::new`]) and then shared: it is `Send + Sync`, and
/// validating does not allocate unless the payload is invalid.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let spec = generator::load_str(r#"
/// openapi: 3.0.3
/// info: {title: t, version: '1'}
/// paths:
///   /things:
///     post:
///       operationId: CreateThing
///       requestBody:
///         content:
///           application/json:
///             schema: {$ref: '#/components/schemas/Thing'}
///       responses:
///         '200': {description: ok}
/// components:
///   schemas:
///     Thing:
///       type: object
///       required: [name]
///       properties:
///         name: {type: string}
/// "#, "inline.yaml".as_ref())?;
/// let validator = contract::ContractValidator::new(&spec)?;
/// let violations = validator.validate_request("CreateThing", &serde_json::json!({"name": 5}))?;
/// assert_eq!(violations[0].instance_pointer, "/name");
/// assert_eq!(&*violations[0].schema_pointer, "#/components/schemas/Thing/properties/name");
/// # Ok(()) }
/// ```
pub struct ContractValidator {
    /// Operations in document order.
    operations: Vec<(String, OperationSchemas)>,
    /// operationId → index in `operations`.
    by_id: BTreeMap<String, usize>,
    schemas: BTreeMap<String, Compiled>,
    /// The webhooks with a JSON payload, in document order, by name.
    webhooks: Vec<(String, Compiled)>,
    /// Compiled schemas by (spec pointer, direction), for checking values
    /// (examples) against the schemas the targets already compiled.
    by_pointer: BTreeMap<(String, Direction), TargetRef>,
    /// The spec's examples, as lowering found them.
    examples: Vec<SpecExample>,
    spec: Value,
}

/// Where in [`ContractValidator`] a compiled schema lives.
#[derive(Debug, Clone, Copy)]
enum TargetRef {
    Request(usize),
    Response(usize, usize),
    StreamItem(usize),
    Schema,
    Webhook(usize),
}

impl ContractValidator {
    /// Converts and compiles every schema of the spec.
    pub fn new(spec: &Spec) -> Result<Self, ContractError> {
        let api = generator::build_ir(spec)?;
        let document = serde_json::to_value(&spec.document).map_err(|err| {
            generator::Error::invalid("#", format!("the document cannot be read as JSON: {err}"))
        })?;
        let mut converter = Converter::new(&document);
        let mut operations = Vec::with_capacity(api.operations.len());
        let mut by_pointer = BTreeMap::new();
        for (index, op) in api.operations.iter().enumerate() {
            let request = match &op.body {
                Some(body) => {
                    by_pointer.insert(
                        (body.schema_pointer.clone(), Direction::Request),
                        TargetRef::Request(index),
                    );
                    let doc = converter.document(&body.schema_pointer, Direction::Request)?;
                    Some(Compiled::new(doc, &body.schema_pointer)?)
                }
                None => None,
            };
            let query = match &op.query {
                Some(query) => {
                    let params: Vec<(String, String, bool)> = query
                        .params
                        .iter()
                        .map(|p| (p.wire_name.clone(), p.pointer.clone(), p.required))
                        .collect();
                    let doc = converter.query_document(&op.pointer, &params)?;
                    Some(Compiled::new(
                        doc,
                        &generator::join(&op.pointer, &["parameters"]),
                    )?)
                }
                None => None,
            };
            let mut responses = Vec::with_capacity(op.responses.len());
            for (position, response) in op.responses.iter().enumerate() {
                let compiled = match &response.schema_pointer {
                    Some(pointer) => {
                        by_pointer
                            .entry((pointer.clone(), Direction::Response))
                            .or_insert(TargetRef::Response(index, position));
                        let doc = converter.document(pointer, Direction::Response)?;
                        Some(Compiled::new(doc, pointer)?)
                    }
                    None => None,
                };
                responses.push((response.status, compiled));
            }
            let stream_item = match op
                .event_stream()
                .and_then(|stream| stream.item_schema_pointer.as_ref())
            {
                Some(pointer) => {
                    by_pointer
                        .entry((pointer.clone(), Direction::Response))
                        .or_insert(TargetRef::StreamItem(index));
                    let doc = converter.document(pointer, Direction::Response)?;
                    Some(Compiled::new(doc, pointer)?)
                }
                None => None,
            };
            operations.push((
                op.id.clone(),
                OperationSchemas {
                    request,
                    query,
                    responses,
                    stream_item,
                },
            ));
        }
        let mut schemas = BTreeMap::new();
        // Every component schema is a type of the IR, which knows its key.
        for def in api.types.values() {
            let Some(name) = &def.component else { continue };
            by_pointer.insert((def.pointer.clone(), Direction::Neutral), TargetRef::Schema);
            let doc = converter.document(&def.pointer, Direction::Neutral)?;
            schemas.insert(name.clone(), Compiled::new(doc, &def.pointer)?);
        }
        let mut webhooks = Vec::new();
        for hook in &api.webhooks {
            let Some(body) = &hook.body else { continue };
            if body.encoding != generator::ir::BodyEncoding::Json {
                continue;
            }
            // The API writes the payload: checked as a response is.
            by_pointer
                .entry((body.schema_pointer.clone(), Direction::Response))
                .or_insert(TargetRef::Webhook(webhooks.len()));
            let doc = converter.document(&body.schema_pointer, Direction::Response)?;
            webhooks.push((hook.name.clone(), Compiled::new(doc, &body.schema_pointer)?));
        }
        let by_id = operations
            .iter()
            .enumerate()
            .map(|(index, (id, _))| (id.clone(), index))
            .collect();
        drop(converter);
        Ok(Self {
            operations,
            by_id,
            schemas,
            webhooks,
            by_pointer,
            examples: api.examples,
            spec: document,
        })
    }

    /// Validates an operation's request body.
    pub fn validate_request(
        &self,
        operation: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        let op = self.operation(operation)?;
        let compiled = op.request.as_ref().ok_or_else(|| ContractError::NoSchema {
            operation: operation.to_owned(),
            part: "request body".to_owned(),
        })?;
        Ok(compiled.validate(value))
    }

    /// Validates an operation's query parameters given as one object (see
    /// [`Target::Query`]).
    pub fn validate_query(
        &self,
        operation: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        let op = self.operation(operation)?;
        let compiled = op.query.as_ref().ok_or_else(|| ContractError::NoSchema {
            operation: operation.to_owned(),
            part: "query parameters".to_owned(),
        })?;
        Ok(compiled.validate(value))
    }

    /// Validates a response body sent with `status`: the schema of the
    /// exact code if documented, else of its range (`4XX`), else of
    /// `default`.
    pub fn validate_response(
        &self,
        operation: &str,
        status: u16,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        let (documented, compiled) = self.response(operation, status)?;
        let compiled = compiled.ok_or_else(|| ContractError::NoSchema {
            operation: operation.to_owned(),
            part: format!("response {documented} (documented without a JSON body)"),
        })?;
        Ok(compiled.validate(value))
    }

    /// Validates one item of the event stream an operation's 2xx response
    /// offers (each server-sent event's data or JSON line, decoded as
    /// JSON) against the stream's item schema.
    pub fn validate_stream_item(
        &self,
        operation: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        Ok(self.stream_item(operation)?.validate(value))
    }

    /// Whether the operation's event stream has an item schema (see
    /// [`ContractValidator::validate_stream_item`]).
    pub fn has_stream_item(&self, operation: &str) -> bool {
        self.stream_item(operation).is_ok()
    }

    /// Validates a value against a component schema.
    pub fn validate_schema(
        &self,
        name: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        Ok(self.schema(name)?.validate(value))
    }

    /// Validates a value against any target (see [`ContractValidator::targets`]).
    pub fn validate(
        &self,
        target: &Target,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        Ok(self.compiled(target)?.validate(value))
    }

    /// The documented status that answers for `status`, following the
    /// exact code → range → `default` rule.
    pub fn documented_status(&self, operation: &str, status: u16) -> Result<Status, ContractError> {
        self.response(operation, status)
            .map(|(documented, _)| documented)
    }

    /// Every target that has a schema: each operation's request, query and
    /// responses with a JSON body (document order), then each component
    /// schema (by name), then each webhook with a JSON payload (document
    /// order).
    pub fn targets(&self) -> Vec<Target> {
        let mut targets = Vec::new();
        for (id, op) in &self.operations {
            if op.request.is_some() {
                targets.push(Target::Request {
                    operation: id.clone(),
                });
            }
            if op.query.is_some() {
                targets.push(Target::Query {
                    operation: id.clone(),
                });
            }
            for (status, compiled) in &op.responses {
                if compiled.is_some() {
                    targets.push(Target::Response {
                        operation: id.clone(),
                        status: *status,
                    });
                }
            }
        }
        targets.extend(
            self.schemas
                .keys()
                .map(|name| Target::Schema { name: name.clone() }),
        );
        targets.extend(
            self.webhooks
                .iter()
                .map(|(name, _)| Target::Webhook { name: name.clone() }),
        );
        targets
    }

    /// Validates a webhook's payload.
    pub fn validate_webhook(
        &self,
        name: &str,
        value: &Value,
    ) -> Result<Vec<Violation>, ContractError> {
        Ok(self.webhook(name)?.validate(value))
    }

    /// The names of the webhooks with a JSON payload, in document order.
    pub fn webhook_names(&self) -> impl Iterator<Item = &str> {
        self.webhooks.iter().map(|(name, _)| name.as_str())
    }

    /// The operationIds, in document order.
    pub fn operation_ids(&self) -> impl Iterator<Item = &str> {
        self.operations.iter().map(|(id, _)| id.as_str())
    }

    /// The converted JSON Schema a target is checked with (its root and
    /// `$defs`), e.g. to generate or coerce values.
    pub fn json_schema(&self, target: &Target) -> Result<&Value, ContractError> {
        Ok(&self.compiled(target)?.document)
    }

    /// The spec pointer of a target's schema.
    pub fn schema_pointer(&self, target: &Target) -> Result<&str, ContractError> {
        Ok(&self.compiled(target)?.pointer)
    }

    /// The spec's examples with the schemas they illustrate.
    pub fn examples(&self) -> &[SpecExample] {
        &self.examples
    }

    /// Validates a value against the schema at any spec pointer, checked in
    /// `direction`: the already compiled schema when a target has it, else
    /// one compiled for the purpose (for a schema-level example).
    pub(crate) fn validate_at(
        &self,
        pointer: &str,
        direction: Direction,
        value: &Value,
        cache: &mut SchemaCache,
    ) -> Result<Vec<Violation>, ContractError> {
        let cache = &mut cache.0;
        if let Some(found) = self.by_pointer.get(&(pointer.to_owned(), direction)) {
            let compiled = match *found {
                TargetRef::Request(i) => self.operations[i].1.request.as_ref(),
                TargetRef::Response(i, r) => self.operations[i].1.responses[r].1.as_ref(),
                TargetRef::StreamItem(i) => self.operations[i].1.stream_item.as_ref(),
                TargetRef::Schema => {
                    convert::component_of(pointer).and_then(|name| self.schemas.get(&name))
                }
                TargetRef::Webhook(i) => self.webhooks.get(i).map(|(_, compiled)| compiled),
            };
            if let Some(compiled) = compiled {
                return Ok(compiled.validate(value));
            }
        }
        let key = (pointer.to_owned(), direction);
        if !cache.contains_key(&key) {
            let mut converter = Converter::new(&self.spec);
            let compiled = converter
                .document(pointer, direction)
                .map_err(ContractError::from)
                .and_then(|doc| Compiled::new(doc, pointer));
            cache.insert(key.clone(), compiled);
        }
        match &cache[&key] {
            Ok(compiled) => Ok(compiled.validate(value)),
            Err(err) => Err(ContractError::Compile {
                pointer: pointer.to_owned(),
                message: err.to_string(),
            }),
        }
    }

    fn operation(&self, operation: &str) -> Result<&OperationSchemas, ContractError> {
        self.by_id
            .get(operation)
            .map(|&index| &self.operations[index].1)
            .ok_or_else(|| ContractError::UnknownOperation {
                operation: operation.to_owned(),
                known: self.operation_ids().map(str::to_owned).collect(),
            })
    }

    fn response(
        &self,
        operation: &str,
        status: u16,
    ) -> Result<(Status, Option<&Compiled>), ContractError> {
        let op = self.operation(operation)?;
        let find = |wanted: &dyn Fn(Status) -> bool| op.responses.iter().find(|(s, _)| wanted(*s));
        let found = find(&|s| s == Status::Code(status))
            .or_else(|| find(&|s| s == Status::Range(status / 100)))
            .or_else(|| find(&|s| s == Status::Default));
        match found {
            Some((documented, compiled)) => Ok((*documented, compiled.as_ref())),
            None => Err(ContractError::UnknownStatus {
                operation: operation.to_owned(),
                status,
                documented: op.responses.iter().map(|(s, _)| s.to_string()).collect(),
            }),
        }
    }

    fn stream_item(&self, operation: &str) -> Result<&Compiled, ContractError> {
        self.operation(operation)?
            .stream_item
            .as_ref()
            .ok_or_else(|| ContractError::NoSchema {
                operation: operation.to_owned(),
                part: "event stream items".to_owned(),
            })
    }

    fn schema(&self, name: &str) -> Result<&Compiled, ContractError> {
        self.schemas
            .get(name)
            .ok_or_else(|| ContractError::UnknownSchema {
                name: name.to_owned(),
                known: self.schemas.keys().cloned().collect(),
            })
    }

    fn webhook(&self, name: &str) -> Result<&Compiled, ContractError> {
        self.webhooks
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, compiled)| compiled)
            .ok_or_else(|| ContractError::UnknownWebhook {
                name: name.to_owned(),
                known: self.webhook_names().map(str::to_owned).collect(),
            })
    }

    fn compiled(&self, target: &Target) -> Result<&Compiled, ContractError> {
        match target {
            Target::Request { operation } => self
                .operation(operation)?
                .request
                .as_ref()
                .ok_or_else(|| ContractError::NoSchema {
                    operation: operation.clone(),
                    part: "request body".to_owned(),
                }),
            Target::Query { operation } => {
                self.operation(operation)?
                    .query
                    .as_ref()
                    .ok_or_else(|| ContractError::NoSchema {
                        operation: operation.clone(),
                        part: "query parameters".to_owned(),
                    })
            }
            Target::Response { operation, status } => {
                let op = self.operation(operation)?;
                let found = op.responses.iter().find(|(s, _)| s == status);
                match found {
                    Some((_, Some(compiled))) => Ok(compiled),
                    Some((_, None)) => Err(ContractError::NoSchema {
                        operation: operation.clone(),
                        part: format!("response {status} (documented without a JSON body)"),
                    }),
                    None => Err(ContractError::UnknownStatus {
                        operation: operation.clone(),
                        status: match status {
                            Status::Code(code) => *code,
                            Status::Range(hundreds) => hundreds * 100,
                            Status::Default => 0,
                        },
                        documented: op.responses.iter().map(|(s, _)| s.to_string()).collect(),
                    }),
                }
            }
            Target::Schema { name } => self.schema(name),
            Target::Webhook { name } => self.webhook(name),
        }
    }
}
