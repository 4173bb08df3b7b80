//! Property tests of the contract: for every schema the validator knows
//! (each operation's request, query and response bodies, each component),
//! values generated from the schema itself pass the validator, deserialize
//! into the generated type through the round-trip table, and come back as a
//! value that still passes and equals the original (up to the documented
//! normalisations). A new operation is covered without new test code.

use contract::ContractValidator;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tests::contract_support::{equal_after_round_trip, round_trip, validator};
use tests::json_schema_strategy::instances;

/// Cases per schema (the issue asks for at least 256).
const CASES: u32 = 256;

fn check_target(validator: &ContractValidator, target: &contract::Target) -> Result<(), String> {
    let document = validator
        .json_schema(target)
        .map_err(|err| err.to_string())?;
    let strategy = instances(document).map_err(|err| format!("no strategy: {err}"))?;
    let config = Config {
        cases: CASES,
        // The runner is driven by hand over many schemas: a regression
        // file would not know which schema a case belongs to.
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&strategy, |value| {
            let violations = validator
                .validate(target, &value)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            if !violations.is_empty() {
                return Err(TestCaseError::fail(format!(
                    "the generated value is rejected: {violations:?}"
                )));
            }
            let back = round_trip(target, value.clone())
                .map_err(|err| TestCaseError::fail(format!("round trip: {err}")))?;
            let again = validator
                .validate(target, &back)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            if !again.is_empty() {
                return Err(TestCaseError::fail(format!(
                    "after the round trip {back} is rejected: {again:?}"
                )));
            }
            if !equal_after_round_trip(&value, &back) {
                return Err(TestCaseError::fail(format!(
                    "the round trip changed the value to {back}"
                )));
            }
            Ok(())
        })
        .map_err(|err| err.to_string())
}

#[test]
fn generated_instances_pass_round_trip_and_pass_again() {
    let validator = validator();
    let targets = validator.targets();
    assert!(
        targets.len() > 20,
        "expected every operation and component, got {targets:?}"
    );
    let failures: Vec<String> = targets
        .iter()
        .filter_map(|target| {
            check_target(&validator, target)
                .err()
                .map(|err| format!("{target}: {err}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} schema(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
