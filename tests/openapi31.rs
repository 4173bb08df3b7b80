//! OpenAPI 3.1 and JSON input to the load step (`generator::load_str`).
//!
//! Each normalisation rule is shown as a 3.1 document that must load as the
//! 3.0 document it stands for (both written inline, next to each other);
//! then what 3.1 constructs are refused, with their pointer and line; JSON
//! text (escapes, duplicate keys, positions, `line_of`); and the whole
//! upstream Telnyx document, read at run time from `../shared/upstream/`
//! and skipped, with a printed reason, when it is absent.

use generator::{Error, Spec};
use std::path::{Path, PathBuf};

const HEAD_31: &str = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n";
const HEAD_30: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

#[track_caller]
fn load(text: &str) -> Spec {
    generator::load_str(text, Path::new("inline.yaml"))
        .unwrap_or_else(|err| panic!("the spec should load, but: {err}\n{text}"))
}

#[track_caller]
fn load_error(text: &str) -> Error {
    generator::load_str(text, Path::new("inline.yaml")).expect_err("loading should fail")
}

/// A document whose `components.schemas` are `schemas` (YAML, one schema a
/// line, indented by four spaces).
fn with_schemas(head: &str, schemas: &str) -> String {
    format!("{head}paths: {{}}\ncomponents:\n  schemas:\n{schemas}")
}

/// Asserts that the 3.1 `schemas` load as the 3.0 `expected`.
#[track_caller]
fn assert_schemas_load_as(schemas: &str, expected: &str) {
    let got = load(&with_schemas(HEAD_31, schemas));
    let want = load(&with_schemas(HEAD_30, expected));
    assert_same_document(&got, &want);
}

#[track_caller]
fn assert_same_document(got: &Spec, want: &Spec) {
    let pretty = |spec: &Spec| serde_json::to_string_pretty(&spec.document).unwrap();
    assert_eq!(pretty(got), pretty(want));
    assert_eq!(got.document, want.document);
}

#[test]
fn a_type_list_with_null_is_a_nullable_type() {
    assert_schemas_load_as(
        "    A: {type: [string, 'null'], format: date-time}\n    B: {type: ['null', integer], minimum: 1}\n    C: {type: [boolean]}\n",
        "    A: {type: string, format: date-time, nullable: true}\n    B: {type: integer, minimum: 1, nullable: true}\n    C: {type: boolean}\n",
    );
}

#[test]
fn the_null_type_alone_allows_only_null() {
    assert_schemas_load_as(
        "    A: {type: 'null', description: Always null.}\n    B: {type: ['null']}\n",
        "    A: {description: Always null., nullable: true, enum: [null]}\n    B: {nullable: true, enum: [null]}\n",
    );
}

#[test]
fn a_null_member_of_a_union_makes_the_union_nullable() {
    assert_schemas_load_as(
        "    Two: {oneOf: [{type: string}, {type: integer}, {type: 'null'}]}\n    Any: {anyOf: [{type: 'null'}, {type: string}, {type: boolean}], description: d}\n",
        "    Two: {oneOf: [{type: string}, {type: integer}], nullable: true}\n    Any: {anyOf: [{type: string}, {type: boolean}], description: d, nullable: true}\n",
    );
}

#[test]
fn a_union_left_with_one_member_collapses_into_it() {
    assert_schemas_load_as(
        concat!(
            "    B: {type: object}\n",
            // A reference: the 3.0 idiom for a nullable reference.
            "    Ref: {anyOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}], description: d}\n",
            // An inline member merges into the schema.
            "    Inline: {oneOf: [{type: string, format: date}, {type: 'null'}], description: d}\n",
            // A member whose keyword clashes with the schema's stays whole.
            "    Clash: {oneOf: [{type: string, description: inner}, {type: 'null'}], description: outer}\n",
            // Only null members: the null schema.
            "    Null: {anyOf: [{type: 'null'}, {const: null}]}\n",
        ),
        concat!(
            "    B: {type: object}\n",
            "    Ref: {allOf: [{$ref: '#/components/schemas/B'}], description: d, nullable: true}\n",
            "    Inline: {type: string, format: date, description: d, nullable: true}\n",
            "    Clash: {allOf: [{type: string, description: inner}], description: outer, nullable: true}\n",
            "    Null: {nullable: true, enum: [null]}\n",
        ),
    );
}

#[test]
fn several_types_become_a_one_of_with_the_constraints_of_each() {
    assert_schemas_load_as(
        concat!(
            "    Mixed: {type: [string, integer, 'null'], minLength: 1, maximum: 9, description: d}\n",
            "    Formatted: {type: [string, number], format: int64, pattern: '^x'}\n",
            "    Listed: {type: [object, array], properties: {a: {type: string}}, required: [a], items: {type: string}, minItems: 1}\n",
            // The enum's values go to the member of their type; a type no
            // value has is left out, and `number` covers `integer`.
            "    Enum: {type: [string, integer, boolean], enum: [a, 1, b]}\n",
            "    Covered: {type: [integer, number]}\n",
        ),
        concat!(
            "    Mixed: {oneOf: [{type: string, minLength: 1}, {type: integer, maximum: 9}], nullable: true, description: d}\n",
            "    Formatted: {oneOf: [{type: string, pattern: '^x'}, {type: number, format: int64}]}\n",
            "    Listed: {oneOf: [{type: object, properties: {a: {type: string}}, required: [a]}, {type: array, items: {type: string}, minItems: 1}]}\n",
            "    Enum: {oneOf: [{type: string, enum: [a, b]}, {type: integer, enum: [1]}]}\n",
            "    Covered: {type: number}\n",
        ),
    );
}

#[test]
fn const_is_a_one_value_enum() {
    assert_schemas_load_as(
        "    A: {type: string, const: arithmetic}\n    B: {const: 3, enum: [1, 3]}\n",
        "    A: {type: string, enum: [arithmetic]}\n    B: {enum: [3]}\n",
    );
    let err = load_error(&with_schemas(HEAD_31, "    A: {const: 2, enum: [1, 3]}\n"));
    assert_eq!(
        err.to_string(),
        "#/components/schemas/A/const: invalid: the `const` value is not among the `enum` values: no value is valid (line 8)"
    );
}

#[test]
fn numeric_exclusive_bounds_take_the_3_0_form_keeping_the_tighter_bound() {
    assert_schemas_load_as(
        concat!(
            "    Plain: {type: integer, exclusiveMinimum: 0, maximum: 10}\n",
            "    InclusiveTighter: {type: number, exclusiveMaximum: 5, maximum: 3}\n",
            "    ExclusiveTighter: {type: integer, exclusiveMinimum: 2, minimum: 1}\n",
            "    Equal: {type: number, exclusiveMaximum: 1.5, maximum: 1.5}\n",
        ),
        concat!(
            "    Plain: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10}\n",
            "    InclusiveTighter: {type: number, maximum: 3}\n",
            "    ExclusiveTighter: {type: integer, minimum: 2, exclusiveMinimum: true}\n",
            "    Equal: {type: number, maximum: 1.5, exclusiveMaximum: true}\n",
        ),
    );
}

#[test]
fn schema_examples_give_the_first_as_example_and_keep_all_under_x_examples() {
    assert_schemas_load_as(
        "    A: {type: string, examples: [a, b]}\n    B: {type: string, example: z, examples: [a]}\n    C: {type: string, examples: []}\n",
        "    A: {type: string, example: a, x-examples: [a, b]}\n    B: {type: string, example: z, x-examples: [a]}\n    C: {type: string, x-examples: []}\n",
    );
    let spec = load(&with_schemas(
        HEAD_31,
        "    A: {type: string, examples: [a, b]}\n",
    ));
    let schema = spec.document.components.as_ref().unwrap().schemas["A"]
        .as_item()
        .unwrap();
    assert_eq!(
        schema.schema_data.extensions["x-examples"],
        serde_json::json!(["a", "b"])
    );
}

#[test]
fn examples_maps_of_parameters_and_media_types_are_left_as_they_are() {
    let paths = "paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: {type: string}\n          examples: {one: {value: x}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: string}\n              examples: {two: {summary: s, value: y}}\n";
    let got = load(&format!("{HEAD_31}{paths}"));
    let want = load(&format!("{HEAD_30}{paths}"));
    assert_same_document(&got, &want);
    let operation = got.document.operations().next().unwrap().2;
    assert_eq!(operation.parameters.len(), 1);
}

#[test]
fn a_schema_ref_with_siblings_keeps_them_beside_an_all_of() {
    assert_schemas_load_as(
        concat!(
            "    B: {type: object}\n",
            "    Described: {$ref: '#/components/schemas/B', description: d, nullable: true}\n",
            "    Bare: {$ref: '#/components/schemas/B'}\n",
            "    Nested:\n",
            "      type: object\n",
            "      properties:\n",
            "        p: {$ref: '#/components/schemas/B', type: object, additionalProperties: true}\n",
            "        q: {type: array, items: {$ref: '#/components/schemas/B', readOnly: true}}\n",
            "        r: {$ref: '#/components/schemas/B', allOf: [{required: [x]}]}\n",
        ),
        concat!(
            "    B: {type: object}\n",
            "    Described: {allOf: [{$ref: '#/components/schemas/B'}], description: d, nullable: true}\n",
            "    Bare: {$ref: '#/components/schemas/B'}\n",
            "    Nested:\n",
            "      type: object\n",
            "      properties:\n",
            "        p: {allOf: [{$ref: '#/components/schemas/B'}], type: object, additionalProperties: true}\n",
            "        q: {type: array, items: {allOf: [{$ref: '#/components/schemas/B'}], readOnly: true}}\n",
            "        r: {allOf: [{$ref: '#/components/schemas/B'}, {required: [x]}]}\n",
        ),
    );
}

#[test]
fn references_that_are_not_schemas_drop_their_summary_and_description() {
    let paths = |siblings: &str| {
        format!(
            "paths:\n  /a: {{$ref: '#/components/pathItems/A'{siblings}}}\n  /b:\n    get:\n      parameters:\n        - {{$ref: '#/components/parameters/P'{siblings}}}\n      responses:\n        '200': {{$ref: '#/components/responses/R'{siblings}}}\n"
        )
    };
    let got = load(&format!(
        "{HEAD_31}{}",
        paths(", summary: s, description: d")
    ));
    let want = load(&format!("{HEAD_30}{}", paths("")));
    assert_same_document(&got, &want);
}

#[test]
fn what_3_1_adds_outside_schemas_is_tolerated() {
    let extra = concat!(
        "openapi: 3.1.1\n",
        "jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base\n",
        "info:\n  title: t\n  summary: A summary.\n  version: '1'\n  license: {name: MIT, identifier: MIT}\n",
        "webhooks:\n  ping:\n    post:\n      responses:\n        '200': {description: ok}\n",
        "components:\n  pathItems:\n    A: {get: {responses: {'200': {description: ok}}}}\n",
    );
    let mut got = load(extra);
    // `webhooks` is kept beside the 3.0 model, among the extensions.
    let webhooks = got
        .document
        .extensions
        .shift_remove("webhooks")
        .expect("the webhooks are kept");
    assert!(webhooks.pointer("/ping/post/responses/200").is_some());
    assert_eq!(
        got.webhook_names,
        [("webhooks".to_owned(), "ping".to_owned())]
    );
    let want = load(concat!(
        "openapi: 3.0.3\n",
        "info:\n  title: t\n  version: '1'\n  license: {name: MIT}\n",
        "paths: {}\n",
        "components: {}\n",
    ));
    assert_same_document(&got, &want);
    assert_eq!(got.source_version, "3.1.1");
    assert_eq!(got.document.openapi, "3.0.3");
}

#[test]
fn an_operation_without_responses_has_none() {
    let got = load(&format!(
        "{HEAD_31}paths:\n  /a:\n    get: {{operationId: A}}\n"
    ));
    let want = load(&format!(
        "{HEAD_30}paths:\n  /a:\n    get: {{operationId: A, responses: {{}}}}\n"
    ));
    assert_same_document(&got, &want);
}

#[test]
fn validation_only_keywords_are_dropped_and_true_is_the_empty_schema() {
    assert_schemas_load_as(
        concat!(
            "    A:\n",
            "      type: array\n",
            "      items: true\n",
            "      contains: {type: string}\n",
            "      minContains: 1\n",
            "      $comment: c\n",
            "    B: {type: object, propertyNames: {pattern: '^a'}, dependentRequired: {a: [b]}, additionalProperties: false}\n",
            "    C: {type: string, contentEncoding: quoted-printable}\n",
        ),
        concat!(
            "    A: {type: array, items: {}}\n",
            "    B: {type: object, additionalProperties: false}\n",
            "    C: {type: string}\n",
        ),
    );
}

#[test]
fn content_keywords_give_the_3_0_binary_and_byte_formats() {
    assert_schemas_load_as(
        concat!(
            "    Raw: {type: string, contentMediaType: image/png}\n",
            "    Untyped: {contentMediaType: application/pdf}\n",
            "    Encoded: {type: string, contentEncoding: base64, contentMediaType: image/png}\n",
            "    Written: {type: string, format: uri, contentMediaType: text/uri-list}\n",
            "    NotAString: {type: object, contentMediaType: application/json}\n",
        ),
        concat!(
            "    Raw: {type: string, format: binary}\n",
            "    Untyped: {type: string, format: binary}\n",
            "    Encoded: {type: string, format: byte}\n",
            "    Written: {type: string, format: uri}\n",
            "    NotAString: {type: object}\n",
        ),
    );
}

#[test]
fn a_3_0_document_is_read_as_written() {
    // 3.1 rules would rewrite all of these; in 3.0, `$ref` siblings are
    // ignored and the other keywords are not OpenAPI 3.0 (openapiv3
    // ignores them), so nothing is changed.
    let text = with_schemas(
        HEAD_30,
        "    B: {type: object}\n    A: {$ref: '#/components/schemas/B', description: d}\n    C: {type: string, const: x, examples: [a]}\n",
    );
    let spec = load(&text);
    assert_eq!(spec.source_version, "3.0.3");
    let schemas = &spec.document.components.as_ref().unwrap().schemas;
    assert_eq!(
        serde_json::to_value(&schemas["A"]).unwrap(),
        serde_json::json!({"$ref": "#/components/schemas/B"})
    );
    let c = schemas["C"].as_item().unwrap();
    assert!(c.schema_data.example.is_none());
    assert!(c.schema_data.extensions.is_empty());
    // And the text parser's positions are kept for shape errors.
    let err = load_error(&format!("{HEAD_30}paths: 5\n"));
    assert!(err.to_string().starts_with("inline.yaml:5:8: "), "{err}");
}

/// Constructs with no 3.0 form: refused at their pointer, with the line.
#[test]
fn what_3_0_cannot_express_is_an_error_with_pointer_and_line() {
    let cases = [
        (
            "    T: {type: array, prefixItems: [{type: string}]}\n",
            "#/components/schemas/T/prefixItems",
            "unsupported: a tuple (`prefixItems`) has no OpenAPI 3.0 form (line 8)",
        ),
        (
            "    T: {type: array, items: [{type: string}]}\n",
            "#/components/schemas/T/items",
            "unsupported: `items` as a list (a tuple) has no OpenAPI 3.0 form (line 8)",
        ),
        (
            "    T:\n      type: object\n      properties:\n        a:\n          if: {type: string}\n          then: {minLength: 1}\n",
            "#/components/schemas/T/properties/a/if",
            "unsupported: a conditional schema (`if`/`then`/`else`) has no OpenAPI 3.0 form (line 12)",
        ),
        (
            "    T: {type: object, dependentSchemas: {a: {required: [b]}}}\n",
            "#/components/schemas/T/dependentSchemas",
            "unsupported: `dependentSchemas` has no OpenAPI 3.0 form (line 8)",
        ),
        (
            "    T: {allOf: [{type: object}], unevaluatedProperties: false}\n",
            "#/components/schemas/T/unevaluatedProperties",
            "unsupported: `unevaluatedProperties` has no OpenAPI 3.0 form (`additionalProperties` has) (line 8)",
        ),
        (
            "    T: {$dynamicRef: '#node'}\n",
            "#/components/schemas/T/$dynamicRef",
            "unsupported: `$dynamicRef` has no OpenAPI 3.0 form (line 8)",
        ),
        (
            "    T: {type: object, patternProperties: {'^x': {type: string}}}\n",
            "#/components/schemas/T/patternProperties",
            "unsupported: `patternProperties` has no OpenAPI 3.0 form (the `openapiv3` model has no field for it) (line 8)",
        ),
        (
            "    T: {type: object, properties: {never: false}}\n",
            "#/components/schemas/T/properties/never",
            "unsupported: the schema `false` (no value is valid) has no OpenAPI 3.0 form (line 8)",
        ),
        (
            "    T: {type: [string, integer], oneOf: [{minLength: 1}]}\n",
            "#/components/schemas/T/type",
            "unsupported: several types beside `oneOf` or `anyOf` have no OpenAPI 3.0 form (line 8)",
        ),
    ];
    for (schemas, pointer, message) in cases {
        let err = load_error(&with_schemas(HEAD_31, schemas));
        assert_eq!(err.pointer(), Some(pointer), "{schemas}");
        assert_eq!(
            err.to_string(),
            format!("{pointer}: {message}"),
            "{schemas}"
        );
    }
    // Schemas outside components are walked too.
    let err = load_error(&format!(
        "{HEAD_31}paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema:\n            type: object\n            patternProperties: {{'^x': {{}}}}\n"
    ));
    assert_eq!(
        err.pointer(),
        Some("#/paths/~1a/get/parameters/0/schema/patternProperties")
    );
    assert!(err.to_string().ends_with("(line 13)"), "{err}");
}

#[test]
fn keywords_are_only_rewritten_where_schemas_are() {
    // A property named `const` and an example holding `type: [...]` are
    // data, not keywords.
    assert_schemas_load_as(
        "    A: {type: object, properties: {const: {type: string}, type: {type: string}}, example: {type: [a, 'null'], const: 1}}\n",
        "    A: {type: object, properties: {const: {type: string}, type: {type: string}}, example: {type: [a, 'null'], const: 1}}\n",
    );
}

#[test]
fn a_3_1_document_of_the_wrong_shape_gives_the_part_and_its_line() {
    let err = load_error(&format!(
        "{HEAD_31}paths:\n  /a:\n    get:\n      operationId: A\n      responses:\n        '200': 5\n"
    ));
    match &err {
        Error::Parse {
            location, message, ..
        } => {
            assert_eq!(*location, Some((10, 9)), "{err}");
            assert!(
                message.starts_with("#/paths/~1a/get/responses/200: "),
                "{message}"
            );
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn other_versions_are_refused() {
    let err = load_error("openapi: 3.3.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_eq!(
        err.to_string(),
        "#/openapi: unsupported: OpenAPI version 3.3.0; only 3.0.x, 3.1.x and 3.2.x documents are read"
    );
}

fn fixture(name: &str) -> PathBuf {
    tests::fixture_specs_dir().join(name)
}

#[test]
fn a_json_document_loads_with_its_escapes() {
    let spec =
        generator::load_file(&fixture("openapi31_json.json")).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(spec.source_version, "3.1.0");
    let description = spec.document.info.description.as_deref().unwrap();
    assert!(description.contains("\u{e9}scapes, a surrogate pair (\u{1f44d})"));
    let schemas = &spec.document.components.as_ref().unwrap().schemas;
    let text = serde_json::to_string(schemas["Reaction"].as_item().unwrap()).unwrap();
    assert!(text.contains(r#""enum":["👍","❤"]"#), "{text}");
    assert!(
        text.contains(r#""x-examples":[[[1,null],[2,3]]]"#),
        "{text}"
    );
    // Key order is the document's, not sorted.
    let reaction = serde_json::to_value(schemas["Reaction"].as_item().unwrap()).unwrap();
    let names: Vec<&String> = reaction["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names.len(), 3);
    assert_eq!(spec.document.operations().count(), 1);
}

#[test]
fn line_of_finds_json_pointers() {
    let spec = generator::load_file(&fixture("openapi31_json.json")).unwrap();
    let line = |pointer: &str| spec.line_of(pointer);
    assert_eq!(line("#/openapi"), Some(2));
    assert_eq!(
        line("#/paths/~1reactions~1{id}/get/parameters/0/in"),
        Some(15)
    );
    assert_eq!(
        line("#/paths/~1reactions~1{id}/get/responses/200"),
        Some(18)
    );
    assert_eq!(
        line("#/components/schemas/Reaction/properties/note"),
        Some(38)
    );
    assert_eq!(
        line("#/components/schemas/Reaction/properties/grid/items/items/type"),
        Some(37)
    );
    assert_eq!(line("#/components/schemas/Nope"), Some(31));
}

#[test]
fn json_errors_give_line_and_column() {
    let json = Path::new("inline.json");
    let syntax = generator::load_str("{\n  \"openapi\": \"3.1.0\",\n  \"info\": }\n", json)
        .expect_err("not JSON");
    assert_eq!(syntax.to_string(), "inline.json:3:11: expected value");
    let duplicate = generator::load_str(
        "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {}, \"paths\": {}}",
        json,
    )
    .expect_err("a duplicate key");
    assert_eq!(
        duplicate.to_string(),
        "inline.json:3:21: duplicate key `paths`"
    );
    // A 3.0 JSON document is parsed from the text: shape errors keep
    // serde_json's position.
    let shape = generator::load_str(
        "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": 5}",
        json,
    )
    .expect_err("paths is not a map");
    assert!(shape.to_string().starts_with("inline.json:3:"), "{shape}");
    // Text that starts with `{` is JSON whatever the file is called.
    let braced = generator::load_str("{\"openapi\": 1, \"openapi\": 2}", Path::new("x.yaml"))
        .expect_err("a duplicate key");
    assert!(braced.to_string().starts_with("x.yaml:1:"), "{braced}");
}

#[test]
fn json_and_yaml_of_one_3_0_document_load_alike() {
    let yaml = load(&format!(
        "{HEAD_30}paths:\n  /a:\n    get:\n      responses:\n        '200': {{description: \"\\u00e9 \\U0001F44D\"}}\n"
    ));
    let json = generator::load_str(
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "\u00e9 \ud83d\udc4d"}}}}}}"#,
        Path::new("inline.json"),
    )
    .unwrap();
    assert_same_document(&json, &yaml);
}

/// The upstream document, or `None` (with the reason printed) when this
/// checkout has no `../shared/upstream/`.
fn upstream() -> Option<PathBuf> {
    let path = tests::workspace_root().join("../shared/upstream/telnyx-spec3.yml");
    if path.exists() {
        Some(path)
    } else {
        println!(
            "skipped: {} is absent (it is read at run time only)",
            path.display()
        );
        None
    }
}

/// The operations the document declares, counted on the plain YAML.
fn declared_operations(text: &str) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    let paths = value["paths"].as_mapping().unwrap();
    paths
        .values()
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

#[test]
fn the_upstream_3_1_document_loads() {
    let Some(path) = upstream() else {
        return;
    };
    let spec = generator::load_file(&path).unwrap_or_else(|err| panic!("{err}"));
    assert!(
        spec.source_version.starts_with("3.1"),
        "{}",
        spec.source_version
    );
    let declared = declared_operations(&spec.text);
    assert_eq!(spec.document.operations().count(), declared);
    assert!(declared > 1000, "{declared} operations");
}

/// How long the load step takes on the upstream document; run with
/// `cargo test --release -p tests --test openapi31 -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn time_loading_the_upstream_document() {
    let Some(path) = upstream() else {
        return;
    };
    let runs = 5;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        generator::load_file(&path).unwrap();
    }
    println!(
        "generator::load_file on {}: {:?} per run ({runs} runs)",
        path.display(),
        started.elapsed() / runs
    );
}
