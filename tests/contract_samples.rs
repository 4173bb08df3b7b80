//! The sample corpus (`spec/samples/`) against the contract and against
//! the generated types, through the generated round-trip table. Every test
//! iterates over the folders, so a new operation is covered by adding
//! samples, without new test code.

use contract::{Expectation, SamplePart, ViolationKind, run_contract};
use serde_json::Value;
use std::collections::BTreeSet;
use telnyx_managed_accounts::contract::{self as table, Part, TARGETS};
use tests::contract_support::{
    equal_after_round_trip, round_trip_target, samples, shown, validator,
};

#[test]
fn every_sample_and_spec_example_meets_its_expectation() {
    let validator = validator();
    let report = run_contract(&validator, &samples(), &tests::workspace_root());
    assert!(report.checked > 100, "too few checks: {}", report.to_text());
    assert!(
        report.is_success(),
        "`cargo xtask contract` would fail:\n{}",
        report.to_text()
    );
}

#[test]
fn every_valid_sample_round_trips_through_the_generated_types() {
    let mut checked = 0;
    for sample in samples()
        .iter()
        .filter(|s| s.expectation == Expectation::Valid)
    {
        let target = round_trip_target(sample.part);
        let back = table::round_trip(&sample.operation, target, sample.payload.clone())
            .unwrap_or_else(|err| panic!("{}: does not deserialize: {err}", shown(sample)));
        assert!(
            equal_after_round_trip(&sample.payload, &back),
            "{}: the round trip changed the payload\n  before: {}\n  after:  {back}",
            shown(sample),
            sample.payload
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} valid samples");
}

/// The instance at `pointer`, if there is one.
fn at<'a>(payload: &'a Value, pointer: &str) -> Option<&'a Value> {
    payload.pointer(pointer)
}

#[test]
fn type_level_invalid_samples_fail_to_deserialize_at_their_pointer() {
    let mut rejected = 0;
    let mut lenient = 0;
    for sample in samples() {
        let Expectation::Invalid { violations, .. } = &sample.expectation else {
            continue;
        };
        let type_level: Vec<_> = violations
            .iter()
            .filter(|v| v.kind.is_type_level())
            .collect();
        if type_level.is_empty() {
            continue;
        }
        // `null` for an optional field reads as absent in the generated
        // types (a documented normalisation); the contract check is what
        // rejects it.
        let (null_only, strict): (Vec<&&contract::ExpectedViolation>, Vec<_>) =
            type_level.iter().partition(|v| {
                v.kind == ViolationKind::Type
                    && at(&sample.payload, &v.pointer) == Some(&Value::Null)
                    && !v.pointer.is_empty()
            });
        let result = table::round_trip(
            &sample.operation,
            round_trip_target(sample.part),
            sample.payload.clone(),
        );
        if strict.is_empty() {
            let back = result.unwrap_or_else(|err| {
                panic!(
                    "{}: a null optional field should read as absent: {err}",
                    shown(&sample)
                )
            });
            for v in null_only {
                assert_eq!(
                    at(&back, &v.pointer),
                    None,
                    "{}: {} should be dropped",
                    shown(&sample),
                    v.pointer
                );
            }
            lenient += 1;
            continue;
        }
        let err = match result {
            Ok(back) => panic!(
                "{}: breaks a type-level rule but deserializes (to {back})",
                shown(&sample)
            ),
            Err(err) => err,
        };
        let pointers: BTreeSet<&str> = strict.iter().map(|v| v.pointer.as_str()).collect();
        let reported = err
            .pointer()
            .unwrap_or_else(|| panic!("{}: no pointer in {err:?}", shown(&sample)));
        assert!(
            pointers.contains(reported),
            "{}: deserialization failed at `{reported}` ({err}), expected one of {pointers:?}",
            shown(&sample)
        );
        assert!(
            err.to_string().contains(reported),
            "{}: the message `{err}` lacks the pointer",
            shown(&sample)
        );
        rejected += 1;
    }
    assert!(
        rejected >= 15,
        "only {rejected} type-level samples were rejected"
    );
    assert!(
        lenient >= 1,
        "the null-for-optional samples were not exercised"
    );
}

#[test]
fn every_operation_with_a_body_has_valid_and_three_invalid_samples() {
    let validator = validator();
    let samples = samples();
    for operation in validator.operation_ids() {
        let with_body = validator.targets().iter().any(|t| match t {
            contract::Target::Request { operation: o }
            | contract::Target::Response { operation: o, .. } => o == operation,
            _ => false,
        });
        if !with_body {
            continue;
        }
        let mine = samples.iter().filter(|s| s.operation == operation);
        let invalid = mine
            .clone()
            .filter(|s| matches!(s.expectation, Expectation::Invalid { .. }))
            .count();
        let valid = mine.filter(|s| s.expectation == Expectation::Valid).count();
        assert!(
            invalid >= 3 && valid >= 1,
            "spec/samples/{operation}/ needs at least one valid and three invalid samples (has {valid} and {invalid})"
        );
    }
}

#[test]
fn every_sample_folder_names_a_documented_payload() {
    let validator = validator();
    for sample in samples() {
        let found = match sample.part {
            SamplePart::Request => validator
                .validate_request(&sample.operation, &sample.payload)
                .map(drop),
            SamplePart::Query => validator
                .validate_query(&sample.operation, &sample.payload)
                .map(drop),
            SamplePart::Response(status) => validator
                .validate_response(&sample.operation, status, &sample.payload)
                .map(drop),
        };
        found.unwrap_or_else(|err| panic!("{}: {err}", shown(&sample)));
    }
}

#[test]
fn documentation_samples_are_the_seed_fixtures() {
    let root = tests::workspace_root();
    let pairs = [
        (
            "create-managed-account-request.json",
            "CreateManagedAccount/request/valid/docs.json",
        ),
        (
            "managed-account-response.json",
            "CreateManagedAccount/response-200/valid/docs.json",
        ),
        (
            "errors-422.json",
            "CreateManagedAccount/response-422/valid/docs.json",
        ),
        (
            "enable-managed-account-request.json",
            "EnableManagedAccount/request/valid/docs.json",
        ),
        (
            "enable-managed-account-response.json",
            "EnableManagedAccount/response-200/valid/docs.json",
        ),
        (
            "managed-account-response.json",
            "RetrieveManagedAccount/response-200/valid/docs.json",
        ),
        (
            "managed-account-response.json",
            "UpdateManagedAccount/response-200/valid/docs.json",
        ),
        (
            "managed-account-response.json",
            "DisableManagedAccount/response-200/valid/docs.json",
        ),
    ];
    let read = |path: std::path::PathBuf| -> Value {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    };
    for (seed, sample) in pairs {
        assert_eq!(
            read(root.join("tests/fixtures/seeds").join(seed)),
            read(root.join("spec/samples").join(sample)),
            "spec/samples/{sample} should hold the documentation payload tests/fixtures/seeds/{seed}"
        );
    }
}

#[test]
fn the_round_trip_table_covers_exactly_the_validator_targets() {
    use contract::Target;
    use generator::ir::Status;
    let validator = validator();
    let from_validator: BTreeSet<String> = validator
        .targets()
        .iter()
        .filter(|t| !matches!(t, Target::Schema { .. }))
        .map(ToString::to_string)
        .collect();
    let from_table: BTreeSet<String> = TARGETS
        .iter()
        .map(|row| match row.part {
            Part::Request => format!("{} request", row.operation),
            Part::Query => format!("{} query", row.operation),
            Part::Response(status) => {
                let status = match status {
                    table::Status::Code(code) => Status::Code(code),
                    table::Status::Range(hundreds) => Status::Range(hundreds),
                    table::Status::Default => Status::Default,
                };
                format!("{} response {status}", row.operation)
            }
        })
        .collect();
    assert_eq!(from_validator, from_table);
    let schemas: BTreeSet<String> = validator
        .targets()
        .iter()
        .filter_map(|t| match t {
            Target::Schema { name } => Some(name.clone()),
            _ => None,
        })
        .collect();
    let table_schemas: BTreeSet<String> = table::SCHEMAS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    assert_eq!(schemas, table_schemas);
}

#[test]
fn the_round_trip_table_refuses_what_it_does_not_know() {
    let err =
        table::round_trip("NoSuchOperation", table::Target::Request, Value::Null).unwrap_err();
    assert!(err.to_string().contains("NoSuchOperation"), "{err}");
    let err = table::round_trip(
        "CreateManagedAccount",
        table::Target::Response(418),
        Value::Null,
    )
    .unwrap_err();
    assert!(
        matches!(err, table::RoundTripError::UnknownTarget { .. }),
        "{err:?}"
    );
    let err = table::round_trip_schema("Nope", Value::Null).unwrap_err();
    assert!(
        matches!(err, table::RoundTripError::UnknownSchema { .. }),
        "{err:?}"
    );
}
