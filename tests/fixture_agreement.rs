//! The agreement check, run by `compile_fixtures` inside its scratch
//! workspace: the generated types and the contract validator judge the same
//! payloads alike, for every fixture crate and the project's spec.
//!
//! For every target the validator knows (each operation's request, query
//! and response bodies, each component schema), the payloads are: values
//! synthesized by `contract::synth` (both [`Fill`]s), the value
//! `synthesize_invalid` finds, and, from each synthesized value, one
//! payload per position with `null` put there (the value itself, every
//! property, array item and map value, a `null` appended to every array and
//! a `null` property added to every object). One harness binary in the
//! scratch workspace (crate `crates/agreement`, linking every fixture crate
//! with its `contract` feature) round-trips them all through the generated
//! types in one run.
//!
//! The rules:
//! 1. a payload the validator accepts decodes into the Rust type, and the
//!    JSON it encodes back to is accepted too;
//! 2. a payload the Rust type decodes is accepted by the validator, unless
//!    every violation is one of the deliberate leniencies in
//!    [`leniency`] (each says why).

use contract::synth::{Fill, SynthOptions};
use contract::{ContractValidator, Target, Violation, ViolationKind};
use generator::ir::{Api, BodyEncoding, Status, TypeKind, TypeRef};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;

/// One generated crate of the scratch workspace.
pub struct Member {
    /// Its folder under `crates/`.
    pub dir: String,
    /// Its package name.
    pub package: String,
    /// Its library name.
    pub lib: String,
    /// The spec it is generated from.
    pub spec: generator::Spec,
}

/// Fixtures the contract validator refuses to build (and why): they are
/// left out of the agreement check. `parameter_types` has query
/// parameters described by `content`, which the validator does not take.
const NO_VALIDATOR: &[&str] = &["parameter_types"];

/// The harness crate's package name.
pub const HARNESS: &str = "fixture-agreement";

/// Writes the harness crate (`crates/agreement`) that round-trips payload
/// files through every member's contract table.
pub fn write_harness(members_dir: &Path, members: &[Member]) {
    let mut manifest = format!(
        "[package]\nname = \"{HARNESS}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [features]\ncontract = []\n\n[dependencies]\nserde_json = \"1\"\n"
    );
    let mut arms = String::new();
    for member in members {
        writeln!(
            manifest,
            // The features the fixture crates were checked with, so
            // that building the harness reuses them.
            "{} = {{ path = \"../{}\", features = [\"contract\", \"webhooks\"] }}",
            member.package, member.dir
        )
        .unwrap();
        writeln!(
            arms,
            "            \"{}\" => round_trip!({}, case, value),",
            member.dir, member.lib
        )
        .unwrap();
    }
    let main = format!(
        r#"//! Round-trips each payload of a file through a fixture crate's contract table.
use std::fmt::Write as _;

macro_rules! round_trip {{
    ($lib:ident, $case:expr, $value:expr) => {{{{
        use $lib::contract::{{Target, round_trip, round_trip_schema}};
        let operation = $case["operation"].as_str().unwrap_or_default();
        let result = match $case["part"].as_str().unwrap_or_default() {{
            "request" => round_trip(operation, Target::Request, $value),
            "query" => round_trip(operation, Target::Query, $value),
            "response" => {{
                let status = $case["status"].as_u64().and_then(|s| u16::try_from(s).ok());
                round_trip(operation, Target::Response(status.unwrap_or(500)), $value)
            }}
            _ => round_trip_schema($case["name"].as_str().unwrap_or_default(), $value),
        }};
        result.map_err(|err| err.to_string())
    }}}};
}}

fn main() {{
    let mut args = std::env::args().skip(1);
    let (input, output) = (args.next().expect("payload file"), args.next().expect("result file"));
    let text = std::fs::read_to_string(&input).expect("reading the payloads");
    let mut out = String::new();
    for line in text.lines() {{
        let case: serde_json::Value = serde_json::from_str(line).expect("a payload line");
        let value = case["value"].clone();
        let result: Result<serde_json::Value, String> = match case["crate"].as_str().unwrap_or_default() {{
{arms}            other => Err(format!("no crate {{other}}")),
        }};
        let line = match result {{
            Ok(value) => serde_json::json!({{"ok": value}}),
            Err(err) => serde_json::json!({{"err": err}}),
        }};
        writeln!(out, "{{line}}").expect("writing to a string");
    }}
    std::fs::write(&output, out).expect("writing the results");
}}
"#
    );
    let dir = members_dir.join("agreement");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
}

/// One payload and what the validator says of it.
struct Case {
    member: usize,
    target: Target,
    /// How the payload was made (for the failure message).
    origin: String,
    value: Value,
    violations: Vec<Violation>,
}

/// The figures of one run, for the test's output.
pub struct Summary {
    /// Payloads checked.
    pub payloads: usize,
    /// Of those, the ones the validator accepts.
    pub accepted: usize,
    /// Rejected by the validator, decoded by the types: deliberate.
    pub lenient: usize,
}

/// Builds the payloads, runs the harness (`run` is given the payload file
/// and the result file) and returns the disagreements, if any.
pub fn check(
    members: &[Member],
    work: &Path,
    run: impl FnOnce(&Path, &Path),
) -> Result<Summary, String> {
    let mut cases = Vec::new();
    let mut validators = Vec::new();
    for member in members {
        match ContractValidator::new(&member.spec) {
            Ok(validator) => validators.push(Some(validator)),
            Err(err) if NO_VALIDATOR.contains(&member.dir.as_str()) => {
                eprintln!("agreement: {} skipped: {err}", member.dir);
                validators.push(None);
            }
            Err(err) => panic!("validator of {}: {err}", member.dir),
        }
    }
    let mut apis: Vec<(Api, Value)> = Vec::new();
    for member in members {
        let api = generator::build_ir(&member.spec).unwrap();
        let document = serde_json::to_value(&member.spec.document).unwrap();
        apis.push((api, document));
    }
    for (index, member) in members.iter().enumerate() {
        let Some(validator) = &validators[index] else {
            continue;
        };
        let api = &apis[index].0;
        for target in validator.targets() {
            if !json_payload(api, &target) {
                continue;
            }
            for (origin, mut value) in payloads(validator, &target) {
                if let Target::Query { operation } = &target {
                    with_required_headers(api, operation, &mut value);
                }
                let violations = validator
                    .validate(&target, &without_headers(api, &target, &value))
                    .unwrap_or_else(|err| panic!("validating {target} of {}: {err}", member.dir));
                cases.push(Case {
                    member: index,
                    target: target.clone(),
                    origin,
                    value,
                    violations,
                });
            }
        }
    }
    let input = work.join("agreement-payloads.jsonl");
    let output = work.join("agreement-results.jsonl");
    let mut lines = String::new();
    for case in &cases {
        let member = &members[case.member];
        let validator = validators[case.member].as_ref();
        let mut line = json!({"crate": member.dir, "value": case.value});
        match &case.target {
            Target::Request { operation } => {
                line["part"] = "request".into();
                line["operation"] = operation.as_str().into();
            }
            Target::Query { operation } => {
                line["part"] = "query".into();
                line["operation"] = operation.as_str().into();
            }
            Target::Response { operation, status } => {
                line["part"] = "response".into();
                line["operation"] = operation.as_str().into();
                line["status"] = concrete_status(validator, operation, *status).into();
            }
            Target::Schema { name } => {
                line["part"] = "schema".into();
                line["name"] = name.as_str().into();
            }
            Target::Webhook { .. } => unreachable!("webhook targets are not collected"),
        }
        writeln!(lines, "{line}").unwrap();
    }
    std::fs::write(&input, lines).unwrap();
    run(&input, &output);
    let results = std::fs::read_to_string(&output).unwrap();
    let results: Vec<Value> = results
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(results.len(), cases.len(), "one result per payload");

    let mut problems = Vec::new();
    let mut summary = Summary {
        payloads: cases.len(),
        accepted: 0,
        lenient: 0,
    };
    for (case, result) in cases.iter().zip(&results) {
        let member = &members[case.member];
        let (api, document) = &apis[case.member];
        let what = format!(
            "{}: {} ({}): {}",
            member.dir, case.target, case.origin, case.value
        );
        match (case.violations.is_empty(), result.get("ok")) {
            (true, None) => problems.push(format!(
                "{what}\n    the validator accepts it; the Rust type refuses it: {}",
                result["err"]
            )),
            (true, Some(back)) => {
                summary.accepted += 1;
                let validator = validators[case.member].as_ref().expect("checked above");
                let again = validator
                    .validate(&case.target, &without_headers(api, &case.target, back))
                    .unwrap();
                // An untagged union decodes into the first alternative that
                // fits and drops what only another one has: written back,
                // the value may fit more than one `oneOf` alternative.
                let ambiguous = |v: &Violation| {
                    v.kind == ViolationKind::OneOf && v.message.contains("more than one")
                };
                if !again.iter().all(ambiguous) {
                    problems.push(format!(
                        "{what}\n    decoded, but the JSON written back ({back}) is refused: {}",
                        list(&again)
                    ));
                }
            }
            (false, None) => {}
            (false, Some(back)) => {
                let unexplained: Vec<&Violation> = case
                    .violations
                    .iter()
                    .filter(|v| leniency(v, &case.value, back, api, document).is_none())
                    .collect();
                if unexplained.is_empty() {
                    summary.lenient += 1;
                } else {
                    problems.push(format!(
                        "{what}\n    the Rust type decodes it; the validator refuses it: {}",
                        unexplained
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(format!(
            "{} of {} payloads are judged differently by the generated types and the contract \
             validator:\n{}",
            problems.len(),
            cases.len(),
            problems.join("\n")
        ))
    }
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A status code the documented `status` answers for (what the validator
/// and the contract table both pick for it).
fn concrete_status(validator: Option<&ContractValidator>, operation: &str, status: Status) -> u16 {
    let candidates: Vec<u16> = match status {
        Status::Code(code) => return code,
        Status::Range(hundreds) => (hundreds * 100..hundreds * 100 + 100).collect(),
        Status::Default => (100..600).rev().collect(),
    };
    candidates
        .into_iter()
        .find(|code| {
            validator
                .and_then(|v| v.documented_status(operation, *code).ok())
                .is_some_and(|found| found == status)
        })
        .unwrap_or(500)
}

/// Why the generated types accept what this violation refuses, when that
/// is deliberate; `None` when it is not.
fn leniency(
    violation: &Violation,
    payload: &Value,
    back: &Value,
    api: &Api,
    document: &Value,
) -> Option<&'static str> {
    let at = &violation.instance_pointer;
    let value = payload.pointer(at);
    let is_null = value.is_some_and(Value::is_null);
    let schema = document.pointer(violation.schema_pointer.trim_start_matches('#'));
    // An optional property sent as `null` is read as absent (its field is
    // an `Option`), and written back without it.
    let parent = at.rsplit_once('/').map(|(parent, _)| parent);
    let in_object = parent
        .and_then(|p| payload.pointer(p))
        .is_some_and(Value::is_object);
    if is_null && in_object && back.pointer(at).is_none() {
        return Some("an optional property sent as null is read as absent");
    }
    match violation.kind {
        // Constraints that no Rust type encodes: only the validator checks them.
        ViolationKind::Range
        | ViolationKind::MultipleOf
        | ViolationKind::Format
        | ViolationKind::Length
        | ViolationKind::Pattern
        | ViolationKind::ItemCount
        | ViolationKind::UniqueItems
        | ViolationKind::PropertyCount => Some("a constraint the types do not encode"),
        // Enums keep unknown values (API.md), never a null.
        ViolationKind::Enum if !is_null => Some("an unknown enum value is kept"),
        // Unknown properties are dropped when decoding.
        ViolationKind::AdditionalProperty => Some("an unknown property is dropped"),
        // One type serves both directions.
        ViolationKind::ReadOnly | ViolationKind::WriteOnly => {
            Some("readOnly / writeOnly is not enforced by the type")
        }
        // `not` and the members of a union that only validate (beside
        // `properties`, see `composition`) are not types; an untagged union
        // takes the first alternative that decodes, whatever the others do.
        ViolationKind::Not => Some("`not` only validates"),
        ViolationKind::OneOf | ViolationKind::AnyOf if !is_null => {
            Some("a union's alternatives are tried in order")
        }
        // A union with a `discriminator` keeps any other payload in its
        // `Unknown(serde_json::Value)` variant (API.md), null too.
        ViolationKind::OneOf | ViolationKind::AnyOf
            if schema.is_some_and(|s| s.get("discriminator").is_some()) =>
        {
            Some("a tagged union keeps an unknown payload")
        }
        // A free-form object (no properties, no `additionalProperties`
        // schema) is a `serde_json::Value`: any JSON.
        ViolationKind::Type
            if schema.is_some_and(|s| {
                s.get("type") == Some(&json!("object"))
                    && s.get("properties").is_none()
                    && !s.get("additionalProperties").is_some_and(Value::is_object)
            }) =>
        {
            Some("a free-form object is any JSON value")
        }
        // A typed enum that lists null without `nullable` (see
        // `lower::nullable`): null is read as `None`.
        ViolationKind::Type
            if is_null
                && schema
                    .and_then(|s| s.get("enum"))
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.contains(&Value::Null)) =>
        {
            Some("an enum that lists null is an Option")
        }
        // Serde reads a missing `Option` field as `None`: a property that
        // is required and nullable may be left out; a property required but
        // not declared has no field at all (the generator warns).
        ViolationKind::Required => {
            let name = violation.instance_pointer.rsplit('/').next()?;
            let name = name.replace("~1", "/").replace("~0", "~");
            let declared = schema
                .and_then(|s| s.get("properties"))
                .is_some_and(|p| p.get(&name).is_some());
            if !declared {
                return Some("a required property that is not declared has no field");
            }
            let optional_field = api.types.values().any(|def| {
                def.pointer == *violation.schema_pointer
                    && matches!(&def.kind, TypeKind::Struct(s)
                        if s.fields.iter().any(|f| f.wire_name == name && f.is_optional()))
            });
            optional_field.then_some("a required nullable property is read as None when missing")
        }
        _ => None,
    }
}

/// Whether the contract table has a JSON type for the target: bytes and
/// text request bodies are sent as they are.
fn json_payload(api: &Api, target: &Target) -> bool {
    // The crates' round-trip tables have no rows for webhook payloads.
    if matches!(target, Target::Webhook { .. }) {
        return false;
    }
    let Target::Request { operation } = target else {
        return true;
    };
    api.operations
        .iter()
        .filter(|op| op.id == *operation)
        .filter_map(|op| op.body.as_ref())
        .all(|body| !matches!(body.encoding, BodyEncoding::Binary | BodyEncoding::Text))
}

/// The `…Params` type holds the header parameters beside the query ones;
/// the validator's query object does not. A required header gets a value.
fn with_required_headers(api: &Api, operation: &str, value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    let headers = api
        .operations
        .iter()
        .filter(|op| op.id == operation)
        .filter_map(|op| op.query.as_ref())
        .flat_map(|query| &query.headers)
        .filter(|header| header.required);
    for header in headers {
        let sample = match &header.ty {
            TypeRef::Integer { .. } => json!(1),
            TypeRef::Number => json!(1.5),
            TypeRef::Boolean => json!(true),
            _ => json!("value"),
        };
        object.insert(header.wire_name.clone(), sample);
    }
}

/// `value` without the header parameters (see [`with_required_headers`]).
fn without_headers(api: &Api, target: &Target, value: &Value) -> Value {
    let mut value = value.clone();
    if let (Target::Query { operation }, Some(object)) = (target, value.as_object_mut()) {
        let headers = api
            .operations
            .iter()
            .filter(|op| op.id == *operation)
            .filter_map(|op| op.query.as_ref())
            .flat_map(|query| &query.headers);
        for header in headers {
            object.remove(&header.wire_name);
        }
    }
    value
}

/// The payloads for one target, with how each was made.
fn payloads(validator: &ContractValidator, target: &Target) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (fill, name) in [(Fill::All, "all"), (Fill::Required, "required")] {
        let options = SynthOptions {
            fill,
            ..SynthOptions::default()
        };
        if let Ok(value) = validator.synthesize(target, &options) {
            let mut nulls = Vec::new();
            with_nulls(&value, "", &value, &mut nulls);
            for (at, mutated) in nulls {
                out.push((
                    format!("synthesized ({name} fields), null at {at}"),
                    mutated,
                ));
            }
            out.push((format!("synthesized ({name} fields)"), value));
        }
    }
    if let Some((value, reason)) = validator.synthesize_invalid(target) {
        out.push((format!("invalid: {reason}"), value));
    }
    out.sort_by_key(|(_, value)| value.to_string());
    out.dedup_by(|a, b| a.1 == b.1);
    out
}

/// Every variant of `root` with one `null` put in: at `at` itself (the
/// node `node`), and below it.
fn with_nulls(root: &Value, at: &str, node: &Value, out: &mut Vec<(String, Value)>) {
    let display = if at.is_empty() { "(root)" } else { at };
    if !node.is_null() {
        out.push((display.to_owned(), replaced(root, at, Value::Null)));
    }
    match node {
        Value::Array(items) => {
            let mut appended = items.clone();
            appended.push(Value::Null);
            out.push((
                format!("{display} (appended)"),
                replaced(root, at, Value::Array(appended)),
            ));
            for (index, item) in items.iter().enumerate() {
                with_nulls(root, &format!("{at}/{index}"), item, out);
            }
        }
        Value::Object(fields) => {
            let mut added = fields.clone();
            added.insert("agreement_extra".to_owned(), Value::Null);
            out.push((
                format!("{display} (added property)"),
                replaced(root, at, Value::Object(added)),
            ));
            for (key, value) in fields {
                let token = key.replace('~', "~0").replace('/', "~1");
                with_nulls(root, &format!("{at}/{token}"), value, out);
            }
        }
        _ => {}
    }
}

/// `root` with the node at `at` replaced by `with`.
fn replaced(root: &Value, at: &str, with: Value) -> Value {
    let mut copy = root.clone();
    if let Some(slot) = copy.pointer_mut(at) {
        *slot = with;
    }
    copy
}
