//! `cargo xtask spec sync`: selecting operations from a larger document
//! with the closure of what they use, deterministic output, the overlay,
//! and the real upstream document when `../shared/upstream` is present.

use generator::upstream_sync::{Overlay, OverlayAction, Selection, Synced, sync_spec};
use serde_yaml::Value;
use std::path::{Path, PathBuf};

fn library() -> (String, PathBuf) {
    let path = tests::workspace_root().join("tests/fixtures/sync/library.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    (text, path)
}

fn select(paths: &[&str], tags: &[&str]) -> Selection {
    Selection {
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    }
}

fn synced(selection: &Selection) -> Synced {
    let (text, path) = library();
    sync_spec(&text, &path, selection, None, "header line").unwrap_or_else(|err| panic!("{err}"))
}

fn keys(value: &Value, pointer: &[&str]) -> Vec<String> {
    let mut node = value;
    for part in pointer {
        node = &node[*part];
    }
    node.as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn parsed(synced: &Synced) -> Value {
    serde_yaml::from_str(&synced.text).unwrap()
}

#[test]
fn a_path_prefix_keeps_its_operations_and_everything_they_use() {
    let out = synced(&select(&["/books"], &[]));
    let doc = parsed(&out);
    // `/books` and `/books/{id}`, not `/bookshelves`.
    assert_eq!(keys(&doc, &["paths"]), ["/books", "/books/{id}"]);
    assert_eq!(out.operations, 3);
    assert_eq!(
        keys(&doc, &["components", "schemas"]),
        ["Audio", "Book", "BookId", "BookPage", "Paper", "Problem"],
        "schemas reached through refs in components and a discriminator mapping by name"
    );
    assert_eq!(keys(&doc, &["components", "parameters"]), ["Page"]);
    assert_eq!(keys(&doc, &["components", "headers"]), ["Total"]);
    assert_eq!(keys(&doc, &["components", "examples"]), ["OneBook"]);
    assert_eq!(keys(&doc, &["components", "responses"]), ["Unauthorized"]);
    assert!(keys(&doc, &["components", "requestBodies"]).is_empty());
    // The document's scheme and the one DeleteBook names.
    assert_eq!(
        keys(&doc, &["components", "securitySchemes"]),
        ["admin_key", "token"]
    );
    let tags: Vec<_> = doc["tags"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["Books", "Admin"], "in the document's order");
    assert!(doc.get("webhooks").is_none());
    // Path-item parameters stay with their path.
    assert_eq!(doc["paths"]["/books/{id}"]["parameters"][0]["name"], "id");
}

#[test]
fn a_3_1_source_is_written_in_the_3_0_form() {
    let out = synced(&select(&["/books"], &[]));
    assert_eq!(out.source_version, "3.1.0");
    let doc = parsed(&out);
    assert_eq!(doc["openapi"], "3.0.3");
    let subtitle = &doc["components"]["schemas"]["Book"]["properties"]["subtitle"];
    assert_eq!(subtitle["type"], "string");
    assert_eq!(subtitle["nullable"], true);
    // The fragment loads and generates.
    let spec = generator::load_str(&out.text, Path::new("fragment.yaml")).unwrap();
    generator::generate(&spec, &tests::xtask_options()).unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn tags_select_across_paths() {
    let out = synced(&select(&[], &["Admin"]));
    let doc = parsed(&out);
    assert_eq!(keys(&doc, &["paths"]), ["/books/{id}"]);
    assert_eq!(
        keys(&doc, &["paths", "/books/{id}"]),
        ["delete", "parameters"]
    );
    assert_eq!(
        keys(&doc, &["components", "securitySchemes"]),
        ["admin_key", "token"]
    );
    assert!(doc["components"].get("schemas").is_none());
    // A path or a tag: either keeps an operation.
    let both = synced(&select(&["/bookshelves"], &["Admin"]));
    assert_eq!(
        keys(&parsed(&both), &["paths"]),
        ["/books/{id}", "/bookshelves"]
    );
}

#[test]
fn the_output_is_deterministic_and_sorted() {
    let selection = select(&["/books"], &[]);
    let first = synced(&selection);
    assert_eq!(first.text, synced(&selection).text);
    let doc = parsed(&first);
    assert_eq!(
        keys(&doc, &[]),
        [
            "openapi",
            "info",
            "servers",
            "security",
            "tags",
            "paths",
            "components"
        ]
    );
    // Within objects, keys are sorted (the source writes `required` first).
    assert_eq!(
        keys(&doc, &["components", "schemas", "Book"]),
        ["properties", "required", "type"]
    );
    assert_eq!(
        keys(&doc, &["components", "schemas", "Book", "properties"]),
        ["id", "medium", "subtitle", "title"]
    );
    assert!(
        first.text.starts_with("# header line\nopenapi: 3.0.3\n"),
        "{}",
        first.text
    );
}

#[test]
fn a_prefix_or_tag_that_selects_nothing_is_an_error_naming_it() {
    let (text, path) = library();
    let err = sync_spec(
        &text,
        &path,
        &select(&["/book", "/books"], &["Nope"]),
        None,
        "",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no operation matches the path prefix `/book`"),
        "{err}"
    );
    let err = sync_spec(&text, &path, &select(&["/books"], &["Nope"]), None, "")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no operation matches the tag `Nope`"), "{err}");
}

#[test]
fn what_is_not_selected_cannot_fail_the_sync_and_what_is_fails_at_its_pointer() {
    let (text, path) = library();
    let err = sync_spec(&text, &path, &select(&["/loans"], &[]), None, "")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("#/components/schemas/Loan/properties/tuple/prefixItems: unsupported"),
        "{err}"
    );
    let line = text
        .lines()
        .position(|l| l.contains("prefixItems"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("(line {line})")), "{err}");
}

#[test]
fn a_dangling_reference_in_the_selection_is_an_error_at_the_ref() {
    let (text, path) = library();
    let broken = text.replace(
        "schema: {$ref: '#/components/schemas/Book'}",
        "schema: {$ref: '#/components/schemas/Nope'}",
    );
    let err = sync_spec(&broken, &path, &select(&["/books/{id}"], &[]), None, "")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "#/paths/~1books~1{id}/get/responses/200/content/application~1json/schema/$ref: \
         dangling reference `#/components/schemas/Nope`"
    );
}

#[test]
fn the_overlay_adds_local_facts_and_says_what_it_did() {
    let (text, path) = library();
    let overlay = concat!(
        "paths:\n",
        "  /books:\n",
        "    get:\n",
        "      x-pagination: {style: page-number, page: page, items: data}\n",
        "components:\n",
        "  schemas:\n",
        "    Book:\n",
        "      properties:\n",
        "        title: {x-sensitive: true, type: string}\n",
        "        isbn: {x-sensitive: true}\n",
        "    BookId:\n",
        "      description: Ours.\n",
    );
    let out = sync_spec(
        &text,
        &path,
        &select(&["/books"], &[]),
        Some(Overlay {
            text: overlay,
            path: Path::new("library.overlay.yaml"),
        }),
        "",
    )
    .unwrap();
    let doc = parsed(&out);
    assert_eq!(
        doc["components"]["schemas"]["Book"]["properties"]["title"]["x-sensitive"],
        true
    );
    assert_eq!(
        doc["components"]["schemas"]["BookId"]["description"],
        "Ours."
    );
    let notes: Vec<_> = out
        .overlay
        .iter()
        .map(|n| (n.pointer.as_str(), n.action))
        .collect();
    assert_eq!(
        notes,
        [
            ("#/paths/~1books/get/x-pagination", OverlayAction::Added),
            (
                "#/components/schemas/Book/properties/title/x-sensitive",
                OverlayAction::Added
            ),
            (
                "#/components/schemas/Book/properties/title/type",
                OverlayAction::Unchanged
            ),
            (
                "#/components/schemas/Book/properties/isbn",
                OverlayAction::AddedAbsentUpstream
            ),
            (
                "#/components/schemas/BookId/description",
                OverlayAction::Replaced
            ),
        ]
    );
}

fn upstream() -> Option<(String, PathBuf)> {
    let path = tests::workspace_root().join("../shared/upstream/telnyx-spec3.yml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((text, path)),
        Err(err) => {
            eprintln!("skipped: {} is not readable ({err})", path.display());
            None
        }
    }
}

/// Syncing `/managed_accounts` from the upstream document with the
/// project's overlay gives a fragment equivalent to `spec/` in everything
/// a client depends on: the same operations, parameters and statuses,
/// the same local facts. The differences that remain are printed, and the
/// README lists them with their reasons.
#[test]
fn syncing_managed_accounts_from_upstream_reproduces_the_fragment() {
    let Some((text, path)) = upstream() else {
        return;
    };
    let root = tests::workspace_root();
    let overlay_path = root.join("spec/managed_accounts.overlay.yaml");
    let overlay_text = std::fs::read_to_string(&overlay_path).unwrap();
    let out = sync_spec(
        &text,
        &path,
        &select(&["/managed_accounts"], &[]),
        Some(Overlay {
            text: &overlay_text,
            path: &overlay_path,
        }),
        "synced in a test",
    )
    .unwrap_or_else(|err| panic!("{err}"));
    // Written to a temp dir, never into spec/.
    let dir = std::env::temp_dir().join(format!("spec-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let written = dir.join("managed_accounts.yaml");
    std::fs::write(&written, &out.text).unwrap();
    assert!(
        out.overlay
            .iter()
            .all(|n| n.action != OverlayAction::AddedAbsentUpstream),
        "the overlay describes nodes upstream lacks: {:?}",
        out.overlay
    );
    let synced = generator::build_ir(&generator::load_file(&written).unwrap()).unwrap();
    let ours = generator::build_ir(&tests::load_real_spec()).unwrap();
    let signature = |api: &generator::ir::Api| {
        let mut ops: Vec<_> = api
            .operations
            .iter()
            .map(|op| {
                (
                    op.method,
                    op.path.clone(),
                    op.id.clone(),
                    op.pagination.is_some(),
                )
            })
            .collect();
        ops.sort();
        ops
    };
    assert_eq!(signature(&ours), signature(&synced));
    let diff = generator::spec_diff::diff(&ours, &synced);
    println!("{}", diff.render());
    let structural = [
        "operation-removed",
        "operation-added",
        "parameter-removed",
        "parameter-added-required",
        "parameter-added-optional",
        "body-removed",
        "body-added-required",
        "success-status-removed",
        "property-removed",
        "property-added-required",
    ];
    let found: Vec<_> = diff
        .changes
        .iter()
        .filter(|c| structural.contains(&c.rule))
        .collect();
    assert!(found.is_empty(), "structural differences: {found:#?}");
    // The overlay's secrets are secrets in the synced fragment too.
    for (type_name, field) in [
        ("ManagedAccount", "api_key"),
        ("ManagedAccount", "api_token"),
        ("CreateManagedAccountRequest", "password"),
    ] {
        let def = tests::ir::struct_of(&synced, type_name);
        assert!(
            tests::ir::field(def, field).sensitive,
            "{type_name}.{field}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn several_prefixes_of_the_upstream_document_sync_into_a_document_that_loads() {
    let Some((text, path)) = upstream() else {
        return;
    };
    let selection = select(&["/balance", "/managed_accounts", "/phone_numbers"], &[]);
    let out = sync_spec(&text, &path, &selection, None, "").unwrap_or_else(|err| panic!("{err}"));
    assert!(out.operations > 8, "{} operations", out.operations);
    let spec = generator::load_str(&out.text, Path::new("fragment.yaml")).unwrap();
    let ops = spec.document.paths.paths.len();
    assert!(ops > 3, "{ops} paths");
}

#[test]
fn a_default_response_and_named_maps_are_followed_not_taken_for_data() {
    let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      operationId: GetA\n      responses:\n        '200':\n          description: OK.\n          headers:\n            default:\n              $ref: '#/components/headers/Trace'\n        default:\n          $ref: '#/components/responses/Problem'\ncomponents:\n  headers:\n    Trace:\n      schema:\n        type: string\n  responses:\n    Problem:\n      description: An error.\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/Error'\n  schemas:\n    Error:\n      type: object\n      properties:\n        default:\n          type: string\n          default: '#/not/a/ref'\n";
    let out = generator::upstream_sync::sync_spec(
        text,
        Path::new("inline.yaml"),
        &select(&["/a"], &[]),
        None,
        "",
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let doc = parsed(&out);
    assert_eq!(keys(&doc, &["components", "responses"]), ["Problem"]);
    assert_eq!(keys(&doc, &["components", "headers"]), ["Trace"]);
    assert_eq!(keys(&doc, &["components", "schemas"]), ["Error"]);
    generator::load_str(&out.text, Path::new("synced.yaml")).unwrap_or_else(|err| panic!("{err}"));
}
