//! Snapshots of the generated client: `operations.rs` (the per-operation
//! methods) and `errors.rs` (the per-operation error enums), from the real
//! spec and from the `client_shapes` fixture, which has the operation
//! shapes the real spec lacks. The runtime under `src/runtime/` is copied
//! from `generator/runtime/` as it is, so it needs no snapshot; it is
//! compiled and exercised by the other client tests.
//!
//! The generated crate builds with `-D warnings` (CI's clippy, and
//! `compile_fixtures` for the fixture); `client_requests` and
//! `client_errors` check its behaviour. After a deliberate change, review
//! with `cargo insta review`.

use std::path::Path;

fn file(files: &[generator::GeneratedFile], path: &str) -> String {
    files
        .iter()
        .find(|file| file.path == Path::new(path))
        .unwrap_or_else(|| panic!("the generator produced no {path}"))
        .contents
        .clone()
}

fn real_spec_files() -> Vec<generator::GeneratedFile> {
    generator::generate(&tests::load_real_spec(), &tests::xtask_options())
        .unwrap_or_else(|err| panic!("generating from the spec: {err}"))
}

fn fixture_files() -> Vec<generator::GeneratedFile> {
    let name = "client_shapes";
    generator::generate(&tests::load_fixture(name), &tests::fixture_options(name))
        .unwrap_or_else(|err| panic!("generating fixture {name}: {err}"))
}

#[test]
fn client_shapes_operations_rs_matches_its_snapshot() {
    insta::assert_snapshot!(
        "client_shapes_operations_rs",
        file(&fixture_files(), "src/operations.rs")
    );
}

#[test]
fn client_shapes_calls_rs_matches_its_snapshot() {
    insta::assert_snapshot!(
        "client_shapes_calls_rs",
        file(&fixture_files(), "src/calls.rs")
    );
}

#[test]
fn client_shapes_errors_rs_matches_its_snapshot() {
    insta::assert_snapshot!(
        "client_shapes_errors_rs",
        file(&fixture_files(), "src/errors.rs")
    );
}

#[test]
fn the_runtime_is_copied_unchanged_from_its_templates() {
    let files = real_spec_files();
    // The runtime crate's sources; its `lib.rs` is the generated `mod.rs`.
    let templates = tests::workspace_root().join("runtime/src");
    let mut copied = 0;
    for file in &files {
        let Ok(relative) = file.path.strip_prefix("src/runtime") else {
            continue;
        };
        let source = if relative == std::path::Path::new("mod.rs") {
            std::path::Path::new("lib.rs")
        } else {
            relative
        };
        let template = std::fs::read_to_string(templates.join(source))
            .unwrap_or_else(|err| panic!("reading the template of {}: {err}", file.path.display()));
        assert!(
            file.contents.ends_with(&template),
            "{} is not its template",
            file.path.display()
        );
        copied += 1;
    }
    // `webhooks.rs` goes only into crates whose document has webhooks or
    // callbacks; this one has none.
    let on_disk = std::fs::read_dir(&templates)
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().file_name() != "webhooks.rs")
        .count();
    assert_eq!(
        copied, on_disk,
        "every other source file of runtime/src is emitted"
    );
}

#[test]
fn generating_twice_gives_identical_client_files() {
    assert_eq!(real_spec_files(), real_spec_files());
    assert_eq!(fixture_files(), fixture_files());
}

#[test]
fn an_operation_named_like_a_client_method_is_rejected_with_its_pointer() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /b:
    get:
      operationId: builder
      responses:
        '200': {description: ok}
"#;
    let spec = generator::load_str(spec, Path::new("inline.yaml")).unwrap();
    let err = generator::generate(&spec, &tests::xtask_options()).unwrap_err();
    assert_eq!(err.pointer(), Some("#/paths/~1b/get/operationId"), "{err}");
    assert!(err.to_string().contains("builder"), "{err}");
}

#[test]
fn security_schemes_credentials_match_their_snapshot() {
    let name = "security_schemes";
    let files = generator::generate(&tests::load_fixture(name), &tests::fixture_options(name))
        .unwrap_or_else(|err| panic!("generating fixture {name}: {err}"));
    let operations = file(&files, "src/operations.rs");
    // The constants, builder, setters and scheme table: everything before
    // the first operation's method.
    let end = operations
        .find("\nimpl Client {\n    /// `")
        .expect("the operations follow");
    insta::assert_snapshot!("security_schemes_credentials", &operations[..end]);
}

/// The `pub fn` names of `impl ClientBuilder` in an inline spec's
/// `operations.rs`, with the variable each scheme is read from.
fn builder_setters(schemes: &str, security: &str) -> (Vec<String>, String) {
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nsecurity: {security}\npaths:\n  /a:\n    get:\n      operationId: GetA\n      responses:\n        '204': {{description: ok}}\ncomponents:\n  securitySchemes:\n{schemes}"
    );
    let spec = generator::load_str(&spec, Path::new("inline.yaml")).unwrap();
    let files = generator::generate(&spec, &tests::xtask_options()).unwrap();
    let operations = file(&files, "src/operations.rs");
    let start = operations.find("impl ClientBuilder {").expect("setters");
    let setters = operations[start..]
        .lines()
        .take_while(|line| *line != "}")
        .filter_map(|line| line.trim().strip_prefix("pub fn "))
        .map(|rest| rest.split('(').next().unwrap().to_owned())
        .collect();
    (setters, operations)
}

#[test]
fn setters_are_named_after_what_a_scheme_sends_and_never_clash() {
    let schemes = "    oauth: {type: oauth2, flows: {}}\n    bearerAuth: {type: http, scheme: bearer}\n    \
                   rid: {type: apiKey, in: header, name: Request-Id}\n    \
                   tenant: {type: apiKey, in: header, name: X-Tenant}\n    \
                   login: {type: http, scheme: BASIC}\n";
    let security = "[{oauth: [], rid: [], tenant: [], login: []}, {bearerAuth: []}]";
    let (setters, operations) = builder_setters(schemes, security);
    assert_eq!(
        setters,
        [
            "oauth_bearer_token",
            "bearer_auth_bearer_token",
            "rid_request_id_header",
            "tenant_header",
            "basic_auth",
        ]
    );
    // Several token schemes: no `token` shorthand, one variable each.
    assert!(!operations.contains("pub fn token("), "{operations}");
    assert!(!operations.contains("API_KEY_ENV"), "{operations}");
    assert!(
        operations.contains("\"TELNYX_TENANT_HEADER\""),
        "{operations}"
    );
    assert!(operations.contains("\"TELNYX_BASIC_AUTH\""), "{operations}");

    // One token scheme: `token` sets it too, read from `{PREFIX}_API_KEY`;
    // a scheme every operation needs is required.
    let (setters, operations) = builder_setters(
        "    key: {type: apiKey, in: query, name: api_key}\n",
        "[{key: []}]",
    );
    assert_eq!(setters, ["api_key_query", "token"]);
    assert!(
        operations.contains("env_var: \"TELNYX_API_KEY\""),
        "{operations}"
    );
    assert!(operations.contains("required: true"), "{operations}");
    let (_, operations) = builder_setters(
        "    key: {type: apiKey, in: query, name: api_key}\n",
        "[{key: []}, {}]",
    );
    assert!(operations.contains("required: false"), "{operations}");
}
