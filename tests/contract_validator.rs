//! The contract validator on small specs written for each OpenAPI 3.0 rule
//! it makes explicit (nullable, readOnly/writeOnly, integer formats, 3.0
//! exclusive bounds, formats, additionalProperties, combinators, recursive
//! references), on the pointers it reports, and on its errors. Also the
//! `check` and report functions behind `cargo xtask contract`.

use contract::{
    ContractError, ContractValidator, Target, Violation, ViolationKind, check_files, load_samples,
    render_check, run_contract,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A spec with one operation `Op` whose request and 200 response bodies are
/// `Thing`, plus the given component schemas (YAML, indented by 4).
fn spec_with(schemas: &str) -> generator::Spec {
    let text = format!(
        r#"openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    post:
      operationId: Op
      parameters:
        - name: limit
          in: query
          required: true
          schema: {{type: integer, format: int32, minimum: 1}}
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Thing'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
        '401': {{description: no body}}
        4XX:
          description: client errors
          content:
            application/json:
              schema: {{type: object, required: [message], properties: {{message: {{type: string}}}}}}
        default:
          description: anything else
          content:
            application/json:
              schema: {{type: object, required: [code], properties: {{code: {{type: integer}}}}}}
components:
  schemas:
{schemas}"#
    );
    generator::load_str(&text, Path::new("inline.yaml"))
        .unwrap_or_else(|err| panic!("{err}\n{text}"))
}

fn validator(schemas: &str) -> ContractValidator {
    ContractValidator::new(&spec_with(schemas)).unwrap_or_else(|err| panic!("{err}"))
}

/// The (instance pointer, kind, keyword) of each violation.
fn summary(violations: &[Violation]) -> Vec<(String, ViolationKind, String)> {
    violations
        .iter()
        .map(|v| (v.instance_pointer.clone(), v.kind, v.keyword.to_owned()))
        .collect()
}

fn one(pointer: &str, kind: ViolationKind, keyword: &str) -> Vec<(String, ViolationKind, String)> {
    vec![(pointer.to_owned(), kind, keyword.to_owned())]
}

const THING: &str = "
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true, format: uuid}
        name: {type: string}
        secret: {type: string, writeOnly: true}
        note: {type: string, nullable: true}
        kind: {type: string, enum: [a, b], nullable: true}
        small: {type: integer, format: int32}
        big: {type: integer, format: int64}
        positive: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true}
        email: {type: string, format: email}
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        price: {type: string, format: decimal}
        tags: {type: object, additionalProperties: false, properties: {x: {type: string}}}
        counts: {type: object, additionalProperties: {type: integer}}
";

#[test]
fn read_only_is_forbidden_in_requests_and_not_required_there() {
    let v = validator(THING);
    assert!(
        v.validate_request("Op", &json!({"name": "n"}))
            .unwrap()
            .is_empty()
    );
    let violations = v
        .validate_request(
            "Op",
            &json!({"name": "n", "id": "f65ceda4-6522-4ad6-aede-98de83385123"}),
        )
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/id", ViolationKind::ReadOnly, "readOnly")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/components/schemas/Thing/properties/id"
    );
    // In a response it is allowed, and required.
    let violations = v
        .validate_response("Op", 200, &json!({"name": "n"}))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/id", ViolationKind::Required, "required")
    );
}

#[test]
fn write_only_is_forbidden_in_responses() {
    let v = validator(THING);
    let body = json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", "secret": "s"});
    let violations = v.validate_response("Op", 200, &body).unwrap();
    assert_eq!(
        summary(&violations),
        one("/secret", ViolationKind::WriteOnly, "writeOnly")
    );
    assert!(
        v.validate_request("Op", &json!({"name": "n", "secret": "s"}))
            .unwrap()
            .is_empty()
    );
    // A component on its own enforces neither.
    assert!(v.validate_schema("Thing", &body).unwrap().is_empty());
}

#[test]
fn nullable_adds_null_to_type_and_enum() {
    let v = validator(THING);
    assert!(v.validate_schema("Thing", &json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", "note": null, "kind": null})).unwrap().is_empty());
    let violations = v
        .validate_schema(
            "Thing",
            &json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": null}),
        )
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/name", ViolationKind::Type, "type")
    );
    let violations = v
        .validate_schema(
            "Thing",
            &json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", "kind": "c"}),
        )
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/kind", ViolationKind::Enum, "enum")
    );
}

#[test]
fn integer_formats_bound_the_range_and_say_so() {
    let v = validator(THING);
    let base = |field: &str, value: Value| json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", field: value});
    assert!(
        v.validate_schema("Thing", &base("small", json!(2147483647)))
            .unwrap()
            .is_empty()
    );
    let violations = v
        .validate_schema("Thing", &base("small", json!(2147483648u64)))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/small", ViolationKind::Range, "format")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/components/schemas/Thing/properties/small"
    );
    let violations = v
        .validate_schema("Thing", &base("small", json!(-2147483649i64)))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/small", ViolationKind::Range, "format")
    );
    assert!(
        v.validate_schema("Thing", &base("big", json!(i64::MIN)))
            .unwrap()
            .is_empty()
    );
    let violations = v
        .validate_schema("Thing", &base("big", json!(9223372036854775808u64)))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/big", ViolationKind::Range, "format")
    );
    let violations = v
        .validate_schema("Thing", &base("small", json!(1.5)))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/small", ViolationKind::Type, "type")
    );
}

#[test]
fn openapi_30_boolean_exclusive_minimum_becomes_a_number() {
    let v = validator(THING);
    let base = |value: Value| json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", "positive": value});
    assert!(
        v.validate_schema("Thing", &base(json!(1)))
            .unwrap()
            .is_empty()
    );
    let violations = v.validate_schema("Thing", &base(json!(0))).unwrap();
    assert_eq!(
        summary(&violations),
        one("/positive", ViolationKind::Range, "exclusiveMinimum")
    );
}

#[test]
fn formats_are_checked_and_unknown_ones_ignored() {
    let v = validator(THING);
    let base = |field: &str, value: &str| json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", field: value});
    for (field, good, bad) in [
        ("email", "a@example.com", "a.example.com"),
        ("when", "2018-02-02T22:25:27.521Z", "2018-02-02 22:25"),
        ("day", "2018-02-02", "02/02/2018"),
        ("id", "f65ceda4-6522-4ad6-aede-98de83385123", "f65ceda4"),
    ] {
        assert!(
            v.validate_schema("Thing", &base(field, good))
                .unwrap()
                .is_empty(),
            "{field}: {good}"
        );
        let violations = v.validate_schema("Thing", &base(field, bad)).unwrap();
        assert_eq!(
            summary(&violations),
            one(&format!("/{field}"), ViolationKind::Format, "format"),
            "{field}: {bad}"
        );
    }
    assert!(
        v.validate_schema("Thing", &base("price", "not a decimal, not checked"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn additional_properties_false_and_schema() {
    let v = validator(THING);
    let base = |field: &str, value: Value| json!({"id": "f65ceda4-6522-4ad6-aede-98de83385123", "name": "n", field: value});
    let violations = v
        .validate_schema(
            "Thing",
            &base("tags", json!({"x": "1", "y": "2", "z": "3"})),
        )
        .unwrap();
    assert_eq!(
        summary(&violations),
        vec![
            (
                "/tags/y".to_owned(),
                ViolationKind::AdditionalProperty,
                "additionalProperties".to_owned()
            ),
            (
                "/tags/z".to_owned(),
                ViolationKind::AdditionalProperty,
                "additionalProperties".to_owned()
            ),
        ]
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/components/schemas/Thing/properties/tags"
    );
    let violations = v
        .validate_schema("Thing", &base("counts", json!({"a": 1, "b": "two"})))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/counts/b", ViolationKind::Type, "type")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/components/schemas/Thing/properties/counts/additionalProperties"
    );
}

#[test]
fn query_parameters_are_one_object() {
    let v = validator(THING);
    assert!(
        v.validate_query("Op", &json!({"limit": 5}))
            .unwrap()
            .is_empty()
    );
    let violations = v.validate_query("Op", &json!({})).unwrap();
    assert_eq!(
        summary(&violations),
        one("/limit", ViolationKind::Required, "required")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/paths/~1things/post/parameters"
    );
    let violations = v.validate_query("Op", &json!({"limit": 0})).unwrap();
    assert_eq!(
        summary(&violations),
        one("/limit", ViolationKind::Range, "minimum")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/paths/~1things/post/parameters/0/schema"
    );
    let violations = v
        .validate_query("Op", &json!({"limit": 3000000000u64}))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/limit", ViolationKind::Range, "format")
    );
}

#[test]
fn responses_fall_back_from_code_to_range_to_default() {
    let v = validator(THING);
    assert_eq!(
        v.documented_status("Op", 200).unwrap(),
        generator::ir::Status::Code(200)
    );
    assert_eq!(
        v.documented_status("Op", 404).unwrap(),
        generator::ir::Status::Range(4)
    );
    assert_eq!(
        v.documented_status("Op", 503).unwrap(),
        generator::ir::Status::Default
    );
    let violations = v.validate_response("Op", 404, &json!({})).unwrap();
    assert_eq!(
        summary(&violations),
        one("/message", ViolationKind::Required, "required")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/paths/~1things/post/responses/4XX/content/application~1json/schema"
    );
    let violations = v
        .validate_response("Op", 503, &json!({"code": "x"}))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/code", ViolationKind::Type, "type")
    );
    // 401 is documented, without a body: nothing to check against.
    let err = v.validate_response("Op", 401, &json!({})).unwrap_err();
    assert!(matches!(err, ContractError::NoSchema { .. }), "{err}");
}

#[test]
fn unknown_operations_schemas_and_statuses_are_errors_that_list_what_exists() {
    let v = validator(THING);
    let err = v.validate_request("Nope", &json!({})).unwrap_err();
    assert_eq!(err.to_string(), "unknown operation `Nope` (known: Op)");
    let err = v.validate_schema("Nope", &json!({})).unwrap_err();
    assert_eq!(err.to_string(), "unknown schema `Nope` (known: Thing)");
    let target = Target::Response {
        operation: "Op".into(),
        status: generator::ir::Status::Code(302),
    };
    let err = v.validate(&target, &json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation `Op` documents no response for status 302 (documented: 200, 401, 4XX, default)"
    );
}

#[test]
fn combinators_and_nullable_without_type() {
    let v = validator(
        "
    Thing:
      type: object
      properties:
        either:
          oneOf:
            - {type: string}
            - {type: integer}
        parent:
          allOf: [{$ref: '#/components/schemas/Part'}]
          nullable: true
    Part:
      type: object
      required: [size]
      properties:
        size: {type: integer}
",
    );
    assert!(
        v.validate_schema("Thing", &json!({"either": "s", "parent": null}))
            .unwrap()
            .is_empty()
    );
    assert!(
        v.validate_schema("Thing", &json!({"either": 5, "parent": {"size": 1}}))
            .unwrap()
            .is_empty()
    );
    let violations = v
        .validate_schema("Thing", &json!({"either": true}))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/either", ViolationKind::OneOf, "oneOf")
    );
    // Through the nullable wrapper, the real reason is reported.
    let violations = v
        .validate_schema("Thing", &json!({"parent": {"size": "big"}}))
        .unwrap();
    assert_eq!(
        summary(&violations),
        one("/parent/size", ViolationKind::Type, "type")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/components/schemas/Part/properties/size"
    );
}

#[test]
fn recursive_schemas_validate_at_depth() {
    let v = validator(
        "
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Thing'}
",
    );
    let deep = json!({"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]});
    let violations = v.validate_schema("Thing", &deep).unwrap();
    assert_eq!(
        summary(&violations),
        one("/children/0/children/0/name", ViolationKind::Type, "type")
    );
    assert_eq!(
        &*violations[0].schema_pointer,
        "#/components/schemas/Thing/properties/name"
    );
}

#[test]
fn targets_list_every_schema_once() {
    let v = validator(THING);
    let names: Vec<String> = v.targets().iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "Op request",
            "Op query",
            "Op response 200",
            "Op response 4XX",
            "Op response default",
            "schema Thing"
        ]
    );
    let schema = v
        .json_schema(&Target::Schema {
            name: "Thing".into(),
        })
        .unwrap();
    assert_eq!(schema["$ref"], "#/$defs/Thing");
    assert_eq!(
        schema["$defs"]["Thing"]["properties"]["small"]["maximum"],
        2147483647
    );
}

#[test]
fn the_validator_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<ContractValidator>();
}

#[test]
fn odd_payloads_are_judged_not_panicked_on() {
    let v = validator(THING);
    let mut deep = json!("leaf");
    for _ in 0..200 {
        deep = json!({"name": deep});
    }
    for payload in [
        Value::Null,
        json!([]),
        json!(1e308),
        json!(u64::MAX),
        json!("\u{0}"),
        deep,
    ] {
        let violations = v.validate_request("Op", &payload).unwrap();
        assert!(!violations.is_empty(), "{payload}");
        for violation in violations {
            assert!(
                !violation.message.contains('\n'),
                "one line: {}",
                violation.message
            );
            assert!(
                violation.schema_pointer.starts_with("#/"),
                "{}",
                violation.schema_pointer
            );
        }
    }
}

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("contract-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_exit_codes_and_lines() {
    let v = validator(THING);
    let dir = TempDir::new("check");
    let good = dir.write("good.json", r#"{"name": "n"}"#);
    let bad = dir.write("bad.json", r#"{"name": 5}"#);
    let broken = dir.write("broken.json", "{\n  \"name\": \n}");
    let missing = dir.0.join("missing.json");
    let target = Target::Request {
        operation: "Op".into(),
    };

    let checks = check_files(&v, &target, std::slice::from_ref(&good)).unwrap();
    assert_eq!(render_check(&checks, false).exit_code, 0);

    let checks = check_files(&v, &target, &[good.clone(), bad.clone()]).unwrap();
    let rendering = render_check(&checks, false);
    assert_eq!(rendering.exit_code, 1);
    assert!(
        rendering.stdout.contains(&format!(
            "{}: /name: expected string, found integer 5 (schema #/components/schemas/Thing/properties/name)",
            bad.display()
        )),
        "{}",
        rendering.stdout
    );

    let checks = check_files(&v, &target, &[bad.clone(), broken.clone(), missing.clone()]).unwrap();
    let rendering = render_check(&checks, false);
    assert_eq!(rendering.exit_code, 2);
    assert!(
        rendering
            .stderr
            .contains(&format!("{}:3:1: invalid JSON", broken.display())),
        "{}",
        rendering.stderr
    );
    assert!(
        rendering
            .stderr
            .contains(&format!("cannot read {}", missing.display())),
        "{}",
        rendering.stderr
    );

    let json = render_check(&check_files(&v, &target, &[bad]).unwrap(), true);
    let parsed: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(parsed[0]["violations"][0]["instance_pointer"], "/name");

    let err = check_files(
        &v,
        &Target::Request {
            operation: "Nope".into(),
        },
        &[good],
    )
    .unwrap_err();
    assert!(err.is_usage());
}

#[test]
fn the_report_flags_wrong_examples_and_mismatched_samples() {
    let spec = generator::load_str(
        r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: Op
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            example: {name: 5}
            examples:
              good: {value: {name: ok}}
              shared: {$ref: '#/components/examples/Bad'}
      responses:
        '200': {description: ok}
components:
  examples:
    Bad: {value: {}}
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string, example: 7}
"#,
        Path::new("inline.yaml"),
    )
    .unwrap();
    let v = ContractValidator::new(&spec).unwrap();
    let dir = TempDir::new("report");
    dir.write("Op/request/valid/ok.json", r#"{"name": "x"}"#);
    dir.write(
        "Op/request/invalid/wrong-kind.json",
        r#"{"description": "declares the wrong kind", "expect": [{"pointer": "/name", "kind": "enum"}], "payload": {"name": 1}}"#,
    );
    dir.write(
        "Op/request/invalid/accepted.json",
        r#"{"description": "is in fact valid", "expect": [{"pointer": "/name", "kind": "type"}], "payload": {"name": "x"}}"#,
    );
    dir.write("Other/request/valid/x.json", "{}");
    let samples = load_samples(&dir.0).unwrap();
    let report = run_contract(&v, &samples, &dir.0);
    assert!(!report.is_success());
    let failed: Vec<String> = report
        .groups
        .iter()
        .flat_map(|g| &g.checks)
        .filter(|c| !c.passed)
        .map(|c| c.source.to_string())
        .collect();
    assert_eq!(
        failed,
        [
            "sample Op/request/invalid/accepted.json",
            "sample Op/request/invalid/wrong-kind.json",
            "example #/paths/~1things/post/requestBody/content/application~1json/example",
            "example #/components/examples/Bad/value",
            "example #/components/schemas/Thing/properties/name/example",
            "sample Other/request/valid/x.json",
        ]
    );
    let text = report.to_text();
    assert!(
        text.contains("declared violation not reported: enum at /name"),
        "{text}"
    );
    assert!(
        text.contains("undeclared violation: type at /name"),
        "{text}"
    );
    assert!(text.contains("unknown operation `Other`"), "{text}");
    assert!(report.to_json().contains("\"failed\": 6"));
}

#[test]
fn sample_layout_mistakes_name_the_file() {
    let dir = TempDir::new("layout");
    dir.write("Op/reqest/valid/x.json", "{}");
    let err = load_samples(&dir.0).unwrap_err();
    assert!(
        err.to_string().contains("reqest") && err.to_string().contains("`request`"),
        "{err}"
    );

    let dir = TempDir::new("layout2");
    dir.write("Op/request/invalid/x.json", r#"{"payload": {}}"#);
    let err = load_samples(&dir.0).unwrap_err();
    assert!(
        err.to_string().contains("x.json") && err.to_string().contains("expect"),
        "{err}"
    );

    let dir = TempDir::new("layout3");
    dir.write("Op/response-200/valid/x.json", "{,}");
    let err = load_samples(&dir.0).unwrap_err();
    assert!(
        err.to_string().contains("x.json:1:2: invalid JSON"),
        "{err}"
    );
}

#[test]
fn secret_values_never_appear_in_messages() {
    let validator = validator(
        r#"    Thing:
      type: object
      properties:
        password: {type: string, minLength: 50, x-sensitive: true}
        pin: {type: string, format: password, enum: [a]}
        hidden: {type: integer, x-sensitive: true, maximum: 1}
        recovery: {$ref: '#/components/schemas/Code'}
        api_key: {type: string}
        visible: {type: string}
    Code:
      type: string
      format: password
      maxLength: 2
"#,
    );
    let secrets = ["hunter2-secret", "pin-secret", "987654", "recovery-secret"];
    let payload = json!({
        "password": "hunter2-secret",
        "pin": "pin-secret",
        "hidden": 987654,
        "recovery": "recovery-secret",
        "api_key": 424242,
        "visible": 13,
    });
    let violations = validator
        .validate_request("Op", &payload)
        .expect("validates");
    assert_eq!(violations.len(), 6, "{violations:?}");
    // Only the schema's markers make a secret, never a property's name.
    let shown = ["/api_key", "/visible"];
    for violation in &violations {
        let text = violation.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{text}");
        }
        if !shown.contains(&violation.instance_pointer.as_str()) {
            assert!(text.contains("[redacted]"), "{text}");
        }
    }
    // Other values are still shown, `api_key` too: it carries no marker.
    for (pointer, value) in [("/api_key", "424242"), ("/visible", "13")] {
        let violation = violations
            .iter()
            .find(|v| v.instance_pointer == pointer)
            .expect("reported");
        assert!(violation.message.contains(value), "{}", violation.message);
        assert!(
            !violation.message.contains("[redacted]"),
            "{}",
            violation.message
        );
    }
}
