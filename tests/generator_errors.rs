//! Specs the generator must reject, each with the exact JSON pointer (or
//! file, line and column) and message it reports; and a robustness test
//! feeding mangled copies of the real spec through the whole pipeline,
//! which may fail but must never panic.
//!
//! The rejected specs are written inline, next to the error they expect.

use generator::Error;
use std::path::Path;

const HEADER: &str = "openapi: 3.0.3\ninfo:\n  title: Errors fixture\n  version: '1'\n";

/// The error that loading and generating `text` fails with. `build_ir` and
/// `generate` must agree on it.
fn error_of(text: &str) -> Error {
    let spec = generator::load_str(text, Path::new("inline.yaml"))
        .unwrap_or_else(|err| panic!("the spec should load, but: {err}"));
    let ir_error = generator::build_ir(&spec).expect_err("build_ir should fail");
    let generate_error =
        generator::generate(&spec, &tests::xtask_options()).expect_err("generate should fail");
    assert_eq!(ir_error.to_string(), generate_error.to_string());
    ir_error
}

/// The error that loading `text` fails with.
fn load_error_of(text: &str) -> Error {
    generator::load_str(text, Path::new("inline.yaml")).expect_err("loading should fail")
}

#[track_caller]
fn assert_error(err: &Error, pointer: &str, message: &str) {
    assert_eq!(err.pointer(), Some(pointer), "pointer of {err:?}");
    assert_eq!(
        err.to_string(),
        format!("{pointer}: {message}"),
        "message of {err:?}"
    );
}

#[track_caller]
fn assert_parse_error(err: &Error, line: usize, column: usize, message: &str) {
    match err {
        Error::Parse {
            file,
            location,
            message: text,
        } => {
            assert_eq!(file, Path::new("inline.yaml"));
            assert_eq!(*location, Some((line, column)), "location of {err:?}");
            assert_eq!(text, message);
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert_eq!(err.pointer(), None);
    assert_eq!(
        err.to_string(),
        format!("inline.yaml:{line}:{column}: {message}")
    );
}

/// A spec whose only schema `Foo` has the property `bar` given by `bar`
/// (indented by ten spaces).
fn with_property(bar: &str) -> String {
    format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    Foo:\n      type: object\n      properties:\n        bar:\n{bar}"
    )
}

/// A spec with one `{method} /things` operation whose body is `operation`
/// (indented by six spaces).
fn with_operation(method: &str, operation: &str) -> String {
    format!("{HEADER}paths:\n  /things:\n    {method}:\n      operationId: Things\n{operation}")
}

#[test]
fn dangling_schema_ref_points_at_the_property() {
    let text = with_property("          $ref: '#/components/schemas/Missing'\n");
    let err = error_of(&text);
    assert_error(
        &err,
        "#/components/schemas/Foo/properties/bar",
        "dangling reference `#/components/schemas/Missing`",
    );
    // The pointer leads back to the line: `bar:` is line 11.
    let spec = generator::load_str(&text, Path::new("inline.yaml")).unwrap();
    assert_eq!(spec.line_of(err.pointer().unwrap()), Some(11));
}

#[test]
fn dangling_ref_behind_another_ref_points_where_it_is_written() {
    let text = with_property(
        "          $ref: '#/components/schemas/Alias'\n    Alias:\n      $ref: '#/components/schemas/Missing'\n",
    );
    assert_error(
        &error_of(&text),
        "#/components/schemas/Alias",
        "dangling reference `#/components/schemas/Missing`",
    );
}

#[test]
fn dangling_parameter_ref_points_at_the_parameter() {
    let text = with_operation(
        "get",
        "      parameters:\n        - $ref: '#/components/parameters/Nope'\n      responses:\n        '200':\n          description: OK.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/get/parameters/0",
        "dangling reference `#/components/parameters/Nope`",
    );
}

#[test]
fn dangling_response_ref_points_at_the_response() {
    let text = with_operation(
        "get",
        "      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/get/responses/200",
        "dangling reference `#/components/responses/Nope`",
    );
}

#[test]
fn dangling_request_body_ref_points_at_the_body() {
    let text = with_operation(
        "post",
        "      requestBody:\n        $ref: '#/components/requestBodies/Nope'\n      responses:\n        '204':\n          description: Done.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/post/requestBody",
        "dangling reference `#/components/requestBodies/Nope`",
    );
}

#[test]
fn a_cycle_of_pure_refs_is_reported_with_its_chain() {
    let text = format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"
    );
    let err = error_of(&text);
    assert!(matches!(err, Error::RefCycle { .. }), "{err:?}");
    assert_error(
        &err,
        "#/components/schemas/A",
        "reference cycle: #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
    );
}

#[test]
fn not_is_unsupported() {
    let text = with_property("          not:\n            type: string\n");
    assert_error(
        &error_of(&text),
        "#/components/schemas/Foo/properties/bar/not",
        "unsupported: `not` schemas have no Rust type",
    );
}

#[test]
fn a_security_requirement_naming_no_scheme_is_invalid() {
    let text = format!(
        "{HEADER}security:\n  - missing: []\npaths:\n  /things:\n    get:\n      operationId: ListThings\n      responses:\n        '204':\n          description: Done.\n"
    );
    assert_error(
        &error_of(&text),
        "#/security/0",
        "invalid: security scheme `missing` is not in `components.securitySchemes`",
    );
}

#[test]
fn an_operation_whose_every_security_alternative_is_unsupported_is_refused() {
    let text = format!(
        "{HEADER}paths:\n  /things:\n    get:\n      operationId: ListThings\n      security:\n        - session: []\n      responses:\n        '204':\n          description: Done.\ncomponents:\n  securitySchemes:\n    session:\n      type: http\n      scheme: digest\n"
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/get/security",
        "unsupported: no security alternative the client can send (`session`: the `http` scheme `digest` is not supported)",
    );
}

#[test]
fn an_api_key_cookie_needs_a_valid_cookie_name() {
    let text = format!(
        "{HEADER}paths:\n  /things:\n    get:\n      operationId: ListThings\n      security:\n        - session: []\n      responses:\n        '204':\n          description: Done.\ncomponents:\n  securitySchemes:\n    session:\n      type: apiKey\n      in: cookie\n      name: 'my session'\n"
    );
    assert_error(
        &error_of(&text),
        "#/components/securitySchemes/session/name",
        "invalid: `my session` is not a valid cookie name",
    );
}

#[test]
fn a_cookie_parameter_is_unsupported() {
    let text = with_operation(
        "get",
        "      parameters:\n        - name: q\n          in: query\n          schema:\n            type: string\n        - name: session\n          in: cookie\n          schema:\n            type: string\n      responses:\n        '200':\n          description: OK.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/get/parameters/1",
        "unsupported: cookie parameter `session`: cookie parameters are not generated",
    );
}

#[test]
fn a_header_name_that_is_not_a_token_is_invalid() {
    let text = with_operation(
        "get",
        "      parameters:\n        - name: 'X Request'\n          in: header\n          schema:\n            type: string\n      responses:\n        '200':\n          description: OK.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/get/parameters/0/name",
        "invalid: `X Request` is not a valid header name",
    );
}

#[test]
fn a_multipart_body_that_is_not_an_object_is_unsupported() {
    let text = with_operation(
        "post",
        "      requestBody:\n        content:\n          multipart/form-data:\n            schema:\n              type: string\n      responses:\n        '204':\n          description: Done.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/post/requestBody/content/multipart~1form-data/schema",
        "unsupported: a multipart body's schema must be an object with properties (one part each), or a `oneOf` of such objects",
    );
}

#[test]
fn a_form_body_without_a_schema_is_unsupported() {
    let text = with_operation(
        "post",
        "      requestBody:\n        content:\n          application/x-www-form-urlencoded: {}\n      responses:\n        '204':\n          description: Done.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/post/requestBody/content/application~1x-www-form-urlencoded",
        "unsupported: a request body of type `application/x-www-form-urlencoded` without a schema",
    );
}

#[test]
fn a_request_body_without_media_types_is_invalid() {
    let text = with_operation(
        "post",
        "      requestBody:\n        content: {}\n      responses:\n        '204':\n          description: Done.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/post/requestBody/content",
        "invalid: a request body must offer at least one media type",
    );
}

#[test]
fn an_external_ref_is_unsupported() {
    let text = with_property("          $ref: 'common.yaml#/components/schemas/Thing'\n");
    assert_error(
        &error_of(&text),
        "#/components/schemas/Foo/properties/bar",
        "unsupported: external reference `common.yaml#/components/schemas/Thing`: only references within the document are followed",
    );
}

#[test]
fn parameters_described_by_content_are_refused_unless_json_in_the_query() {
    let parameter = |location: &str, content: &str| {
        with_operation(
            "get",
            &format!(
                "      parameters:\n        - name: f\n          in: {location}\n          content:\n{content}      responses:\n        '204':\n          description: Done.\n"
            ),
        )
    };
    let json =
        "            application/json:\n              schema:\n                type: object\n";
    assert_error(
        &error_of(&parameter("header", json)),
        "#/paths/~1things/get/parameters/0/content",
        "unsupported: a header parameter described by `content` instead of `schema` (only query parameters with a JSON media type are)",
    );
    assert_error(
        &error_of(&parameter(
            "query",
            "            text/plain:\n              schema:\n                type: string\n",
        )),
        "#/paths/~1things/get/parameters/0/content/text~1plain",
        "unsupported: a query parameter of media type `text/plain`: only JSON media types are sent (as JSON text)",
    );
    assert_error(
        &error_of(&parameter(
            "query",
            &format!(
                "{json}            application/xml:\n              schema:\n                type: object\n"
            ),
        )),
        "#/paths/~1things/get/parameters/0/content",
        "invalid: a parameter's `content` must have exactly one media type, not 2",
    );
}

#[test]
fn an_empty_ref_is_refused_as_such() {
    let text = with_property("          $ref: ''\n");
    assert_error(
        &error_of(&text),
        "#/components/schemas/Foo/properties/bar",
        "unsupported: empty `$ref` (it names the whole document, not one of its schemas): only `#/components/schemas/<name>` references are followed",
    );
}

/// 3.0, 3.1 and 3.2 are read (3.1 input is tested in `tests/openapi31.rs`).
#[test]
fn an_openapi_4_document_is_rejected_at_the_version() {
    let err = load_error_of("openapi: 4.0.0\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_error(
        &err,
        "#/openapi",
        "unsupported: OpenAPI version 4.0.0; only 3.0.x, 3.1.x and 3.2.x documents are read",
    );
}

#[test]
fn a_swagger_2_document_is_rejected_at_the_version() {
    let err = load_error_of("swagger: '2.0'\ninfo:\n  title: t\n  version: '1'\npaths: {}\n");
    assert_error(
        &err,
        "#/openapi",
        "invalid: missing `openapi` version string (is this an OpenAPI 3.0 document?)",
    );
}

#[test]
fn a_yaml_syntax_error_gives_file_line_and_column() {
    // Line 4 is indented one space too far.
    let err = load_error_of("openapi: 3.0.3\ninfo:\n  title: t\n   version: '1'\npaths: {}\n");
    assert_parse_error(
        &err,
        4,
        11,
        "mapping values are not allowed in this context",
    );
}

#[test]
fn an_unclosed_quote_names_where_the_quote_opened() {
    let err = load_error_of("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1\npaths: {}\n");
    assert_parse_error(
        &err,
        6,
        1,
        "found unexpected end of stream, while scanning a quoted scalar at line 4 column 12",
    );
}

#[test]
fn a_document_of_the_wrong_shape_gives_the_location() {
    let err = load_error_of(&format!("{HEADER}paths: 5\n"));
    assert_parse_error(
        &err,
        5,
        8,
        "paths: invalid type: integer `5`, expected struct Paths",
    );
}

/// YAML forbids duplicate keys; `openapiv3` alone would keep the last one,
/// or panic (this input made it panic before the generator checked).
#[test]
fn a_duplicate_key_is_a_parse_error() {
    let err = load_error_of(&with_operation(
        "get",
        "      responses:\n        '401':\n          $ref: '#/components/responses/A'\n          $ref: '#/components/responses/B'\n",
    ));
    // serde_yaml reports where the mapping holding the duplicate begins.
    assert_parse_error(
        &err,
        11,
        11,
        "paths./things.get.responses.401: duplicate entry with key \"$ref\"",
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let path = tests::fixture_specs_dir().join("does-not-exist.yaml");
    let err = generator::load_file(&path).expect_err("the file does not exist");
    match &err {
        Error::Io {
            path: reported,
            source,
        } => {
            assert_eq!(reported, &path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected an Io error, got {other:?}"),
    }
    assert_eq!(err.pointer(), None);
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("cannot read {}: ", path.display())),
        "{message}"
    );
}

#[test]
fn an_operation_named_like_another_ones_pages_walk_is_refused() {
    let text = format!(
        "{HEADER}paths:
  /things:
    get:
      operationId: ListThings
      x-pagination:
        style: page-number
        page: page.number
        total_pages: meta.total_pages
        items: data
      parameters:
        - name: page
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties:
              number:
                type: integer
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: array
                    items:
                      type: string
                  meta:
                    type: object
                    properties:
                      total_pages:
                        type: integer
  /thing-pages:
    get:
      operationId: ListThingsPages
      responses:
        '204':
          description: Done.
"
    );
    // The IR is fine; the clash is between emitted method names.
    let spec = generator::load_str(&text, Path::new("inline.yaml")).expect("the spec loads");
    generator::build_ir(&spec).expect("the IR builds");
    let err = generator::generate(&spec, &tests::xtask_options()).expect_err("generate fails");
    assert_error(
        &err,
        "#/paths/~1thing-pages/get/operationId",
        "unsupported: the method `list_things_pages` is also generated for `ListThings`",
    );
}

#[test]
fn a_template_parameter_that_is_not_declared_is_rejected() {
    let text = format!(
        "{HEADER}paths:\n  /things/{{id}}:\n    get:\n      operationId: GetThing\n      responses:\n        '204':\n          description: Done.\n"
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things~1{id}/get/parameters",
        "invalid: path parameter `id` is in the template but not declared",
    );
}

#[test]
fn a_declared_path_parameter_missing_from_the_template_is_rejected() {
    let text = with_operation(
        "get",
        "      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: Done.\n",
    );
    assert_error(
        &error_of(&text),
        "#/paths/~1things/get/parameters/0",
        "invalid: path parameter `id` is declared but not in the template",
    );
}

/// A path parameter's error points at the parameter object as the document
/// lists it (not at its place in the template), also for one declared on
/// the path item, and names its type as the spec does, not as Rust debug
/// text.
#[test]
fn a_path_parameter_error_points_at_its_declaration() {
    let object = "schema:\n            type: object\n            properties:\n              a:\n                type: string";
    let text = format!(
        "{HEADER}paths:\n  /things/{{a}}/{{b}}:\n    get:\n      operationId: GetThing\n      parameters:\n        - name: b\n          in: path\n          required: true\n          {object}\n        - name: a\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: Done.\n"
    );
    let err = error_of(&text);
    assert_error(
        &err,
        "#/paths/~1things~1{a}~1{b}/get/parameters/0",
        "unsupported: path parameter `b`: an object cannot be a path segment",
    );
    let named = format!(
        "{HEADER}paths:\n  /things/{{a}}/{{b}}:\n    parameters:\n      - name: a\n        in: path\n        required: true\n        schema:\n          type: string\n      - name: b\n        in: path\n        required: true\n        schema:\n          $ref: '#/components/schemas/Pair'\n    get:\n      operationId: GetThing\n      responses:\n        '204':\n          description: Done.\ncomponents:\n  schemas:\n    Pair:\n      type: array\n      items:\n        type: string\n"
    );
    let err = error_of(&named);
    assert_error(
        &err,
        "#/paths/~1things~1{a}~1{b}/parameters/1",
        "unsupported: path parameter `b`: a list cannot be a path segment",
    );
    assert!(!err.to_string().contains("Named("), "{err}");
}

/// A small deterministic generator (an LCG), so that the mangled inputs are
/// the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// Mangled copies of `text`: truncated at byte offsets spread over the
/// file, with lines deleted, with one line indented further, and with one
/// line repeated (which often repeats a key).
fn mangled_variants(text: &str) -> Vec<(String, String)> {
    let mut variants = Vec::new();
    for step in 1..=24 {
        let mut offset = text.len() * step / 25;
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        variants.push((
            format!("truncated at byte {offset}"),
            text[..offset].to_owned(),
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut rng = Lcg(2);
    for round in 0..24 {
        let mut kept = lines.clone();
        let mut deleted = Vec::new();
        for _ in 0..=round % 4 {
            let index = rng.below(kept.len());
            deleted.push(index);
            kept.remove(index);
        }
        variants.push((format!("lines {deleted:?} deleted"), kept.join("\n")));
    }
    for _ in 0..12 {
        let index = rng.below(lines.len());
        let mut changed = lines.clone();
        let shifted = format!("  {}", changed[index]);
        changed[index] = &shifted;
        variants.push((format!("line {index} indented"), changed.join("\n")));
    }
    for _ in 0..12 {
        let index = rng.below(lines.len());
        let mut changed = lines.clone();
        changed.insert(index, lines[index]);
        variants.push((format!("line {index} repeated"), changed.join("\n")));
    }
    variants
}

#[test]
fn mangled_specs_give_errors_not_panics() {
    let path = tests::workspace_root().join(tests::crate_config().spec);
    let text = std::fs::read_to_string(&path).expect("reading the spec");
    let variants = mangled_variants(&text);
    assert_eq!(variants.len(), 72);
    let mut panicked = Vec::new();
    let mut failed = 0;
    for (label, mangled) in &variants {
        let outcome = std::panic::catch_unwind(|| {
            let spec = generator::load_str(mangled, &path)?;
            generator::generate(&spec, &tests::xtask_options()).inspect_err(|err| {
                // Turning the pointer into a line walks the mangled text too.
                if let Some(pointer) = err.pointer() {
                    spec.line_of(pointer);
                }
            })
        });
        match outcome {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => {
                failed += 1;
                assert!(!err.to_string().is_empty(), "{label}: an empty message");
            }
            Err(_) => panicked.push(label.clone()),
        }
    }
    assert!(
        panicked.is_empty(),
        "the generator panicked on: {panicked:?}"
    );
    // Most of the variants are broken; if none fails, the mangling is not
    // reaching the generator.
    assert!(
        failed >= variants.len() / 3,
        "only {failed} variants failed"
    );
}
