//! Helpers for the contract tests: the real spec's validator and sample
//! corpus, and the bridge from a sample to the generated round-trip table.

use contract::{ContractValidator, Sample, SamplePart};
use serde_json::Value;
use std::path::PathBuf;
use telnyx_managed_accounts::contract::Target as RoundTripTarget;

/// The sample corpus folder.
pub fn samples_dir() -> PathBuf {
    crate::workspace_root().join("spec/samples")
}

/// The contract validator of the real spec.
pub fn validator() -> ContractValidator {
    ContractValidator::new(&crate::load_real_spec())
        .unwrap_or_else(|err| panic!("compiling the contract of the spec: {err}"))
}

/// Every sample of the corpus.
pub fn samples() -> Vec<Sample> {
    contract::load_samples(&samples_dir())
        .unwrap_or_else(|err| panic!("reading the samples: {err}"))
}

/// A sample's path relative to the workspace, for messages.
pub fn shown(sample: &Sample) -> String {
    let root = crate::workspace_root();
    sample
        .path
        .strip_prefix(&root)
        .unwrap_or(&sample.path)
        .display()
        .to_string()
}

/// The generated crate's name for a sample's part.
pub fn round_trip_target(part: SamplePart) -> RoundTripTarget {
    match part {
        SamplePart::Request => RoundTripTarget::Request,
        SamplePart::Query => RoundTripTarget::Query,
        SamplePart::Response(status) => RoundTripTarget::Response(status),
    }
}

/// Whether `after` is what the generated types make of `before`, up to the
/// normalisations documented in `telnyx_managed_accounts::contract`: an
/// object member that was `null` may be missing, and numbers compare by
/// value (`1` equals `1.0`).
pub fn equal_after_round_trip(before: &Value, after: &Value) -> bool {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            a.keys().all(|k| b.contains_key(k))
                && b.iter().all(|(key, value)| match a.get(key) {
                    Some(other) => equal_after_round_trip(value, other),
                    None => value.is_null(),
                })
        }
        (Value::Array(b), Value::Array(a)) => {
            b.len() == a.len() && b.iter().zip(a).all(|(x, y)| equal_after_round_trip(x, y))
        }
        (Value::Number(b), Value::Number(a)) => {
            b == a || (b.as_f64().is_some() && b.as_f64() == a.as_f64())
        }
        _ => before == after,
    }
}

/// A concrete status that a documented one answers for (the round-trip
/// table takes the status a server would send).
pub fn concrete_status(status: generator::ir::Status) -> u16 {
    match status {
        generator::ir::Status::Code(code) => code,
        generator::ir::Status::Range(hundreds) => hundreds * 100,
        // Nothing else in the spec answers for 599.
        generator::ir::Status::Default => 599,
    }
}

/// Deserializes `value` into the generated type of a validator target and
/// serializes it back.
pub fn round_trip(
    target: &contract::Target,
    value: Value,
) -> Result<Value, telnyx_managed_accounts::contract::RoundTripError> {
    use contract::Target;
    use telnyx_managed_accounts::contract as table;
    match target {
        Target::Request { operation } => {
            table::round_trip(operation, RoundTripTarget::Request, value)
        }
        Target::Query { operation } => table::round_trip(operation, RoundTripTarget::Query, value),
        Target::Response { operation, status } => table::round_trip(
            operation,
            RoundTripTarget::Response(concrete_status(*status)),
            value,
        ),
        Target::Schema { name } => table::round_trip_schema(name, value),
        // The managed-accounts document has no webhooks (the table has no
        // row for one).
        Target::Webhook { name } => Err(table::RoundTripError::UnknownSchema {
            name: format!("webhook {name}"),
        }),
    }
}
