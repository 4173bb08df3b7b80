//! Webhook payloads as validator targets (`Target::Webhook`).

use contract::{ContractError, ContractValidator, Target};
use serde_json::json;
use std::path::Path;

fn validator() -> ContractValidator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/specs/webhooks_standard.yaml");
    ContractValidator::new(&generator::load_file(&path).unwrap()).unwrap()
}

#[test]
fn each_webhook_with_a_json_payload_is_a_target() {
    let validator = validator();
    let names: Vec<&str> = validator.webhook_names().collect();
    assert!(names.contains(&"invoice.paid"), "{names:?}");
    let target = Target::Webhook {
        name: "invoice.paid".into(),
    };
    assert!(validator.targets().contains(&target));
    assert!(
        validator
            .schema_pointer(&target)
            .unwrap()
            .starts_with("#/webhooks/invoice.paid/post/requestBody")
    );
    let good = json!({"type": "invoice.paid", "invoice_id": "in_1", "amount": 5});
    assert!(validator.validate(&target, &good).unwrap().is_empty());
    let bad = json!({"type": "invoice.voided", "invoice_id": "in_1"});
    let violations = validator.validate_webhook("invoice.paid", &bad).unwrap();
    let pointers: Vec<&str> = violations
        .iter()
        .map(|v| v.instance_pointer.as_str())
        .collect();
    assert!(pointers.contains(&"/type"), "{violations:?}");
    assert!(pointers.contains(&"/amount"), "{violations:?}");
    assert_eq!(target.to_string(), "webhook invoice.paid");
    // A synthesized payload fits.
    let synthesized = validator
        .synthesize(&target, &contract::synth::SynthOptions::default())
        .unwrap();
    assert!(
        validator
            .validate(&target, &synthesized)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_unknown_webhook_names_the_known_ones() {
    let err = validator()
        .validate_webhook("invoice.lost", &json!({}))
        .unwrap_err();
    assert!(matches!(err, ContractError::UnknownWebhook { .. }), "{err}");
    assert!(err.to_string().contains("invoice.paid"), "{err}");
}
