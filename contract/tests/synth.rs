//! `contract::synth`: valid values for each keyword the converter writes
//! (checked with the validator and for the property under test), invalid
//! values the validator refuses, and every target of the spec and of the
//! fixture specs synthesized.

use contract::synth::{Fill, SynthOptions};
use contract::{ContractValidator, Target};
use generator::ir::Status;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A spec with one `POST /things` (`CreateThing`, request and 201
/// response) whose body is the component `Thing`, plus `components`.
fn validator(components: &str) -> ContractValidator {
    let text = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Thing'}}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:
{components}"
    );
    let spec = generator::load_str(&text, "inline.yaml".as_ref()).expect("the spec loads");
    ContractValidator::new(&spec).expect("the spec converts")
}

fn request() -> Target {
    Target::Request {
        operation: "CreateThing".to_owned(),
    }
}

fn response() -> Target {
    Target::Response {
        operation: "CreateThing".to_owned(),
        status: Status::Code(201),
    }
}

/// Synthesizes `target` with `options` and asserts the validator takes it.
fn valid(validator: &ContractValidator, target: &Target, options: &SynthOptions) -> Value {
    let value = validator
        .synthesize(target, options)
        .unwrap_or_else(|err| panic!("{target}: {err}"));
    let violations = validator
        .validate(target, &value)
        .expect("the target exists");
    assert!(
        violations.is_empty(),
        "{target}: {value} breaks {violations:?}"
    );
    value
}

fn both(validator: &ContractValidator) -> (Value, Value) {
    let options = SynthOptions::default();
    (
        valid(validator, &request(), &options),
        valid(validator, &response(), &options),
    )
}

#[test]
fn a_pattern_gives_a_matching_string() {
    let v = validator(
        "    Thing:
      type: object
      required: [code]
      properties:
        code: {type: string, pattern: '^[A-Z]{3}-\\d{2}$'}
        tail: {type: string, pattern: 'x+y', minLength: 8}",
    );
    let (value, _) = both(&v);
    assert_eq!(value["code"], "ABC-01");
    assert!(value["tail"].as_str().is_some_and(|t| t.len() >= 8));
}

#[test]
fn read_only_and_write_only_follow_the_direction() {
    let v = validator(
        "    Thing:
      type: object
      required: [id, name, secret]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        name: {type: string}
        secret: {type: string, writeOnly: true}",
    );
    let (sent, received) = both(&v);
    assert!(sent.get("id").is_none() && sent.get("secret").is_some());
    assert!(received.get("id").is_some() && received.get("secret").is_none());
    assert_eq!(sent["name"], "name-1");
}

#[test]
fn formats_have_their_shape() {
    let v = validator(
        "    Thing:
      type: object
      properties:
        id: {type: string, format: uuid}
        email: {type: string, format: email}
        at: {type: string, format: date-time}
        day: {type: string, format: date}
        time: {type: string, format: time}
        link: {type: string, format: uri}
        host: {type: string, format: hostname}
        v4: {type: string, format: ipv4}
        v6: {type: string, format: ipv6}
        data: {type: string, format: byte}
        file: {type: string, format: binary}",
    );
    let (value, _) = both(&v);
    assert_eq!(value["email"], "user1@example.com");
    assert_eq!(value["at"], "2024-01-01T00:00:00Z");
    assert_eq!(value["day"], "2024-01-01");
    assert!(
        value["link"]
            .as_str()
            .is_some_and(|l| l.starts_with("https://example.com/"))
    );
    assert_eq!(value["id"].as_str().map(str::len), Some(36));
    assert_eq!(
        value["id"].as_str().and_then(|id| id.chars().nth(14)),
        Some('4')
    );
    assert_eq!(value["data"], "dmFsdWUtMQ==");
}

#[test]
fn numbers_honour_bounds_and_multiples() {
    let v = validator(
        "    Thing:
      type: object
      required: [a, b, c, d, e, f]
      properties:
        a: {type: integer, format: int32}
        b: {type: integer, minimum: 10, maximum: 12}
        c: {type: integer, minimum: 0, exclusiveMinimum: true, multipleOf: 5}
        d: {type: number, minimum: 0.5, maximum: 0.75}
        e: {type: number, maximum: -3, exclusiveMaximum: true}
        f: {type: integer, format: int64, minimum: 7}",
    );
    let (value, _) = both(&v);
    assert_eq!(value["a"], 1);
    assert_eq!(value["b"], 10);
    assert_eq!(value["c"], 5);
    assert_eq!(value["f"], 7);
    for seed in 0..20 {
        let options = SynthOptions {
            seed,
            ..SynthOptions::default()
        };
        let value = valid(&v, &request(), &options);
        assert!((10..=12).contains(&value["b"].as_i64().unwrap_or(0)));
    }
}

#[test]
fn enums_nullables_and_type_lists() {
    let v = validator(
        "    Thing:
      type: object
      required: [status, maybe, nothing, flag, level]
      properties:
        status: {type: string, enum: [active, disabled]}
        maybe: {type: string, nullable: true, enum: [null, on]}
        nothing: {nullable: true, allOf: [{$ref: '#/components/schemas/Level'}]}
        flag: {type: boolean}
        level: {$ref: '#/components/schemas/Level'}
    Level: {type: integer, enum: [3, 2]}",
    );
    let (value, _) = both(&v);
    assert_eq!(value["status"], "active");
    assert_eq!(value["maybe"], "on");
    assert_eq!(value["nothing"], 3);
    assert_eq!(value["flag"], true);
    assert_eq!(value["level"], 3);
}

#[test]
fn all_of_merges_and_one_of_overlapping_branches_still_validate() {
    let v = validator(
        "    Base:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 5}
    Thing:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [kind]
          properties:
            name: {type: string, minLength: 2}
            kind:
              oneOf:
                - {type: string}
                - {type: string, format: uuid}
                - {type: integer}",
    );
    let (value, _) = both(&v);
    assert!(
        value["name"]
            .as_str()
            .is_some_and(|n| (2..=5).contains(&n.len()))
    );
    assert!(value.get("kind").is_some());
}

#[test]
fn one_of_branches_that_differ_only_by_optional_properties() {
    let v = validator(
        "    Ok:
      type: object
      properties:
        ok: {type: string}
    Err:
      type: object
      properties:
        err: {type: string}
    Thing:
      oneOf:
        - $ref: '#/components/schemas/Ok'
        - $ref: '#/components/schemas/Err'",
    );
    let (value, _) = both(&v);
    // The first branch, with a property the second one refuses.
    assert_eq!(value, json!({"ok": "ok-1", "err": 12345}));
}

#[test]
fn arrays_objects_and_maps() {
    let v = validator(
        "    Thing:
      type: object
      required: [tags, counts, pair]
      properties:
        tags: {type: array, items: {type: string, enum: [a, b, c]}, minItems: 3, uniqueItems: true}
        ids: {type: array, items: {type: integer}, uniqueItems: true, minItems: 2, maxItems: 2}
        counts: {type: object, additionalProperties: {type: integer}, minProperties: 2}
        pair: {type: object, additionalProperties: false, properties: {x: {type: integer}}}
        free: {}",
    );
    let (value, _) = both(&v);
    assert_eq!(value["tags"], json!(["a", "b", "c"]));
    assert_eq!(value["ids"], json!([1, 2]));
    assert_eq!(value["counts"], json!({"key1": 1, "key2": 1}));
    assert_eq!(value["free"], "value");
    let required = SynthOptions {
        fill: Fill::Required,
        ..SynthOptions::default()
    };
    let value = valid(&v, &request(), &required);
    assert!(value.get("ids").is_none() && value.get("free").is_none());
    assert_eq!(value["pair"], json!({}));
}

#[test]
fn recursion_ends() {
    let v = validator(
        "    Thing:
      type: object
      required: [name, parent]
      properties:
        name: {type: string}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    Node:
      type: object
      properties:
        up: {$ref: '#/components/schemas/Node'}",
    );
    both(&v);
}

#[test]
fn a_schema_without_finite_instances_is_an_error_not_a_hang() {
    let v = validator(
        "    Thing:
      type: object
      required: [left, right]
      properties:
        left: {$ref: '#/components/schemas/Thing'}
        right: {$ref: '#/components/schemas/Thing'}",
    );
    let err = v
        .synthesize(&request(), &SynthOptions::default())
        .expect_err("no finite value");
    assert!(err.pointer.starts_with("#/$defs/Thing"), "{err}");
}

#[test]
fn seeds_and_unique_suffixes_vary_a_create_body_and_repeat_exactly() {
    let v = validator(
        "    Thing:
      type: object
      required: [name, email, id, short]
      properties:
        name: {type: string}
        email: {type: string, format: email}
        id: {type: string, format: uuid}
        short: {type: string, maxLength: 6}",
    );
    let first = SynthOptions {
        unique: Some("run-a".to_owned()),
        ..SynthOptions::default()
    };
    let second = SynthOptions {
        unique: Some("run-b".to_owned()),
        ..SynthOptions::default()
    };
    let a = valid(&v, &request(), &first);
    let b = valid(&v, &request(), &second);
    assert_eq!(a, valid(&v, &request(), &first), "deterministic");
    for field in ["name", "email", "id", "short"] {
        assert_ne!(a[field], b[field], "{field}");
    }
    assert_eq!(a["name"], "name-1-run-a");
    assert_eq!(a["email"], "user1+run-a@example.com");
    assert!(
        a["short"]
            .as_str()
            .is_some_and(|s| s.ends_with("run-a") && s.len() <= 6)
    );
    let seeded = SynthOptions {
        seed: 7,
        ..SynthOptions::default()
    };
    let c = valid(&v, &request(), &seeded);
    let d = valid(&v, &request(), &SynthOptions::default());
    for field in ["name", "email", "id"] {
        assert_ne!(c[field], d[field], "{field}");
    }
}

#[test]
fn invalid_values_are_refused() {
    let v = validator(
        "    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Id: {type: string, format: uuid}
    Tags: {type: array, items: {type: string}, minItems: 1}",
    );
    let (value, reason) = v.synthesize_invalid(&request()).expect("an invalid body");
    assert_eq!(reason, "a string where the schema wants an object");
    assert!(
        !v.validate(&request(), &value)
            .unwrap_or_default()
            .is_empty()
    );
    for name in ["Id", "Tags"] {
        let target = Target::Schema {
            name: name.to_owned(),
        };
        let (value, reason) = v.synthesize_invalid(&target).expect("an invalid value");
        assert!(
            !v.validate(&target, &value).unwrap_or_default().is_empty(),
            "{reason}"
        );
    }
    let document = v.json_schema(&request()).expect("the request");
    let candidates = contract::synth::invalid_instance(document, document);
    assert!(candidates.is_some());
}

/// Synthesizes every target of a spec under both fills; returns the
/// failures. Also checks that every invalid value found is refused, and
/// prints how many targets have one.
fn every_target(validator: &ContractValidator) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let targets = validator.targets();
    let mut invalid = 0;
    for target in &targets {
        if let Some((value, reason)) = validator.synthesize_invalid(target) {
            invalid += 1;
            let violations = validator.validate(target, &value).unwrap_or_default();
            if violations.is_empty() {
                failures.push(format!("{target}: the invalid {value} ({reason}) passes"));
            }
        }
        for fill in [Fill::All, Fill::Required] {
            let options = SynthOptions {
                fill,
                ..SynthOptions::default()
            };
            if let Err(err) = validator.synthesize(target, &options) {
                failures.push(format!("{target} ({fill:?}): {err}"));
            }
        }
    }
    println!(
        "{invalid} of {} targets have an invalid value",
        targets.len()
    );
    (targets.len() * 2, failures)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_target_of_the_spec_and_the_fixtures_synthesizes() {
    let mut paths = vec![workspace().join("spec/managed_accounts.yaml")];
    let fixtures = workspace().join("tests/fixtures/specs");
    let mut listed: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("the fixtures folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    listed.sort();
    paths.extend(listed);
    let mut failures = Vec::new();
    for path in &paths {
        let spec = match generator::load_file(path) {
            Ok(spec) => spec,
            Err(err) => {
                println!("skipped {}: {err}", path.display());
                continue;
            }
        };
        let validator = match ContractValidator::new(&spec) {
            Ok(validator) => validator,
            Err(err) => {
                println!("skipped {}: {err}", path.display());
                continue;
            }
        };
        let (count, failed) = every_target(&validator);
        println!(
            "{}: {count} syntheses, {} failed",
            path.display(),
            failed.len()
        );
        failures.extend(
            failed
                .into_iter()
                .map(|f| format!("{}: {f}", path.display())),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The full upstream spec, when present (shared by the team, not in the
/// repository): ~6 s in a debug build.
#[test]
fn every_target_of_the_upstream_spec() {
    // `../shared` beside the workspace.
    let path =
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream/telnyx-spec3.yml");
    if !path.exists() {
        println!("skipped: {} is absent", path.display());
        return;
    }
    let spec = generator::load_file(path).expect("the upstream spec loads");
    let validator = ContractValidator::new(&spec).expect("the upstream spec converts");
    let (count, failures) = every_target(&validator);
    for failure in failures.iter().take(40) {
        println!("{failure}");
    }
    let passed = count - failures.len();
    println!("{passed} of {count} syntheses are valid");
    assert!(passed * 100 >= count * 99, "{passed} of {count}");
}

#[test]
fn stream_items_validate_and_synthesize_against_their_item_schema() {
    let path = workspace().join("tests/fixtures/specs/event_streams.yaml");
    let spec = generator::load_file(&path).expect("the fixture loads");
    let validator = ContractValidator::new(&spec).expect("the fixture converts");
    // `schema` taken as the item (3.1), `itemSchema` (3.2), JSON Lines.
    for operation in [
        "watchTicks",
        "createCompletion",
        "streamExportRows",
        "watchJobProgress",
    ] {
        assert!(validator.has_stream_item(operation), "{operation}");
        let first = validator
            .synthesize_stream_item(operation, &SynthOptions::default())
            .unwrap_or_else(|err| panic!("{operation}: {err}"));
        let violations = validator
            .validate_stream_item(operation, &first)
            .expect("the item schema");
        assert!(violations.is_empty(), "{operation}: {first} {violations:?}");
    }
    let bad = validator
        .validate_stream_item("watchJobProgress", &json!({"percent": 101}))
        .expect("the item schema");
    assert_eq!(bad[0].instance_pointer, "/percent");
    let missing = validator
        .validate_stream_item("watchTicks", &json!({"price": 1.5}))
        .expect("the item schema");
    assert!(!missing.is_empty());
    // A text stream has no item schema; the JSON body's target is untouched.
    assert!(!validator.has_stream_item("tailLogs"));
    assert!(
        validator
            .validate_stream_item("tailLogs", &json!("x"))
            .is_err()
    );
    let completion = Target::Response {
        operation: "createCompletion".to_owned(),
        status: Status::Code(200),
    };
    assert!(
        validator
            .validate(&completion, &json!({"id": "c", "text": "t"}))
            .expect("the JSON body")
            .is_empty()
    );
}
