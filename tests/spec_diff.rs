//! `cargo xtask spec diff`: one spec pair per wire rule, with a breaking
//! and a non-breaking example where the rule has both, and a cross-check
//! against a real history of the managed-accounts spec.

use generator::api_manifest::ChangeClass::{self, Additive, Breaking, Documentation};
use generator::spec_diff::{Direction, SpecDiff, diff};
use std::path::Path;

const BASE: &str = r#"
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      operationId: ListOrders
      summary: Lists orders.
      parameters:
        - {name: status, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OrderList'}}}}
        '401': {description: unauthorized}
    post:
      operationId: CreateOrder
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewOrder'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
  /orders/{id}:
    get:
      operationId: GetOrder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
components:
  schemas:
    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: string}
        total: {type: integer, format: int32}
        note: {type: string, description: A note.}
        channel: {$ref: '#/components/schemas/Channel'}
        tags: {type: array, items: {type: string}}
    NewOrder:
      type: object
      required: [total]
      properties:
        total: {type: integer, format: int32}
        note: {type: string}
        email: {type: string}
        channel: {$ref: '#/components/schemas/Channel'}
    OrderList:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Order'}}
    Channel: {type: string, enum: [web, phone]}
"#;

fn ir(spec: &str) -> generator::ir::Api {
    let loaded = generator::load_str(spec, Path::new("orders.yaml"))
        .unwrap_or_else(|err| panic!("{err}\n{spec}"));
    generator::build_ir(&loaded).unwrap_or_else(|err| panic!("{err}"))
}

fn edited(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "`{from}` is in the base spec once"
    );
    BASE.replacen(from, to, 1)
}

fn changes(new: &str) -> SpecDiff {
    diff(&ir(BASE), &ir(new))
}

/// Asserts that some change has this rule, class, direction, and a
/// location that ends with `at`; returns its pointer.
fn assert_rule(
    new: &str,
    rule: &str,
    class: ChangeClass,
    direction: Direction,
    at: &str,
) -> String {
    let found = changes(new);
    let hit = found.changes.iter().find(|c| {
        c.rule == rule && c.class == class && c.direction == direction && c.location.ends_with(at)
    });
    match hit {
        Some(change) => change.pointer.clone(),
        None => panic!(
            "expected {rule} ({class}, {direction:?}) at …{at}, found:\n{}",
            found.render()
        ),
    }
}

fn assert_not_breaking(new: &str) {
    let found = changes(new);
    assert!(
        !found.is_breaking(),
        "unexpected breaking change:\n{}",
        found.render()
    );
}

#[test]
fn the_same_spec_has_no_changes() {
    assert!(changes(BASE).changes.is_empty());
}

#[test]
fn operations_removed_break_and_added_do_not() {
    let start = BASE.find("  /orders/{id}:").unwrap();
    let end = BASE.find("components:").unwrap();
    let removed = BASE.replacen(&BASE[start..end], "", 1);
    assert_rule(
        &removed,
        "operation-removed",
        Breaking,
        Direction::Operation,
        "",
    );
    let added = BASE.replacen(
        "components:\n",
        "  /orders/{id}/cancel:\n    post:\n      operationId: CancelOrder\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: done}}\ncomponents:\n",
        1,
    );
    assert_rule(
        &added,
        "operation-added",
        Additive,
        Direction::Operation,
        "",
    );
    assert_not_breaking(&added);
}

#[test]
fn parameters_that_writers_must_now_send_break() {
    let status = "        - {name: status, in: query, schema: {type: string}}\n";
    let required = edited(
        status,
        "        - {name: status, in: query, required: true, schema: {type: string}}\n",
    );
    assert_rule(
        &required,
        "parameter-became-required",
        Breaking,
        Direction::Request,
        "`status`",
    );
    let new_required = edited(
        status,
        &format!(
            "{status}        - {{name: since, in: query, required: true, schema: {{type: string}}}}\n"
        ),
    );
    assert_rule(
        &new_required,
        "parameter-added-required",
        Breaking,
        Direction::Request,
        "`since`",
    );
    let new_optional = edited(
        status,
        &format!("{status}        - {{name: since, in: query, schema: {{type: string}}}}\n"),
    );
    let pointer = assert_rule(
        &new_optional,
        "parameter-added-optional",
        Additive,
        Direction::Request,
        "`since`",
    );
    assert_eq!(pointer, "#/paths/~1orders/get/parameters/1");
    assert_not_breaking(&new_optional);
    let removed = edited(&format!("      parameters:\n{status}"), "");
    assert_rule(
        &removed,
        "parameter-removed",
        Breaking,
        Direction::Request,
        "`status`",
    );
    let retyped = edited(
        status,
        "        - {name: status, in: query, schema: {type: integer}}\n",
    );
    assert_rule(
        &retyped,
        "type-changed",
        Breaking,
        Direction::Request,
        "`status`",
    );
}

#[test]
fn request_bodies_and_their_properties_follow_the_writer() {
    let optional_body = edited(
        "requestBody: {required: true,",
        "requestBody: {required: false,",
    );
    assert_rule(
        &optional_body,
        "body-became-optional",
        Additive,
        Direction::Request,
        "body",
    );
    assert_not_breaking(&optional_body);
    let now_required = edited(
        "      required: [total]\n",
        "      required: [total, email]\n",
    );
    assert_rule(
        &now_required,
        "property-became-required",
        Breaking,
        Direction::Request,
        "body.email",
    );
    let now_optional = edited("      required: [total]\n", "");
    assert_rule(
        &now_optional,
        "property-became-optional",
        Additive,
        Direction::Request,
        "body.total",
    );
    assert_not_breaking(&now_optional);
    let new_required = edited(
        "      required: [total]\n      properties:\n",
        "      required: [total, currency]\n      properties:\n        currency: {type: string}\n",
    );
    assert_rule(
        &new_required,
        "property-added-required",
        Breaking,
        Direction::Request,
        "body.currency",
    );
    let new_optional = edited(
        "      required: [total]\n      properties:\n",
        "      required: [total]\n      properties:\n        currency: {type: string}\n",
    );
    assert_rule(
        &new_optional,
        "property-added-optional",
        Additive,
        Direction::Request,
        "body.currency",
    );
    assert_not_breaking(&new_optional);
    let email_format = edited(
        "        email: {type: string}\n",
        "        email: {type: string, format: email}\n",
    );
    assert_rule(
        &email_format,
        "format-changed",
        Breaking,
        Direction::Request,
        "body.email",
    );
}

#[test]
fn responses_follow_the_reader() {
    let order = "      required: [id, total]\n";
    let looser = edited(order, "      required: [id]\n");
    let pointer = assert_rule(
        &looser,
        "property-became-optional",
        Breaking,
        Direction::Response,
        "200.total",
    );
    assert_eq!(pointer, "#/components/schemas/Order/properties/total");
    let stricter = edited(order, "      required: [id, total, note]\n");
    assert_rule(
        &stricter,
        "property-became-required",
        Additive,
        Direction::Response,
        "200.note",
    );
    let nullable = edited(
        "        note: {type: string, description: A note.}\n",
        "        note: {type: string, nullable: true, description: A note.}\n",
    );
    assert_rule(
        &nullable,
        "property-became-nullable",
        Breaking,
        Direction::Response,
        "200.note",
    );
    assert_rule(
        &nullable,
        "property-became-nullable",
        Breaking,
        Direction::Response,
        "200.data[].note",
    );
    let removed = edited("        tags: {type: array, items: {type: string}}\n", "");
    assert_rule(
        &removed,
        "property-removed",
        Breaking,
        Direction::Response,
        "200.tags",
    );
    let added = edited(
        "        tags: {type: array, items: {type: string}}\n",
        "        tags: {type: array, items: {type: string}}\n        placed_at: {type: string, format: date-time}\n",
    );
    assert_rule(
        &added,
        "property-added-optional",
        Additive,
        Direction::Response,
        "201.placed_at",
    );
    assert_not_breaking(&added);
    let wider = edited(
        "        total: {type: integer, format: int32}\n        note: {type: string, description: A note.}\n",
        "        total: {type: integer, format: int64}\n        note: {type: string, description: A note.}\n",
    );
    assert_rule(
        &wider,
        "format-changed",
        Breaking,
        Direction::Response,
        "200.total",
    );
    let items = edited(
        "        tags: {type: array, items: {type: string}}\n",
        "        tags: {type: array, items: {type: integer}}\n",
    );
    assert_rule(
        &items,
        "type-changed",
        Breaking,
        Direction::Response,
        "200.tags[]",
    );
}

#[test]
fn statuses_and_bodies_of_responses() {
    let created = "        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}\n";
    let no_body = edited(created, "        '201': {description: created}\n");
    assert_rule(
        &no_body,
        "response-body-removed",
        Breaking,
        Direction::Response,
        "201",
    );
    let other_status = edited(
        created,
        "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}\n",
    );
    assert_rule(
        &other_status,
        "success-status-removed",
        Breaking,
        Direction::Response,
        "201",
    );
    assert_rule(
        &other_status,
        "success-status-added",
        Additive,
        Direction::Response,
        "200",
    );
    let conflict = edited(
        created,
        &format!("{created}        '409': {{description: conflict}}\n"),
    );
    assert_rule(
        &conflict,
        "error-status-added",
        Additive,
        Direction::Response,
        "409",
    );
    assert_not_breaking(&conflict);
    let no_401 = edited("        '401': {description: unauthorized}\n", "");
    assert_rule(
        &no_401,
        "error-status-removed",
        Additive,
        Direction::Response,
        "401",
    );
}

#[test]
fn enum_values_removed_break_writers_and_added_do_not_break_readers() {
    let added = edited("enum: [web, phone]", "enum: [web, phone, email]");
    assert_rule(
        &added,
        "enum-value-added",
        Additive,
        Direction::Response,
        "200.channel",
    );
    assert_rule(
        &added,
        "enum-value-added",
        Additive,
        Direction::Request,
        "body.channel",
    );
    assert_not_breaking(&added);
    let removed = edited("enum: [web, phone]", "enum: [web]");
    assert_rule(
        &removed,
        "enum-value-removed",
        Breaking,
        Direction::Request,
        "body.channel",
    );
    assert_rule(
        &removed,
        "enum-value-removed",
        Additive,
        Direction::Response,
        "200.channel",
    );
}

#[test]
fn descriptions_are_documentation_only() {
    let summary = edited("summary: Lists orders.", "summary: Lists every order.");
    assert_rule(
        &summary,
        "description-changed",
        Documentation,
        Direction::Operation,
        "",
    );
    let note = edited("description: A note.", "description: Free text.");
    assert_rule(
        &note,
        "description-changed",
        Documentation,
        Direction::Response,
        "200.note",
    );
    assert_not_breaking(&note);
}

#[test]
fn the_json_report_carries_every_field() {
    let removed = edited("        tags: {type: array, items: {type: string}}\n", "");
    let json: serde_json::Value = serde_json::from_str(&changes(&removed).to_json()).unwrap();
    let first = &json["changes"][0];
    for key in [
        "class",
        "direction",
        "rule",
        "operation",
        "location",
        "pointer",
        "message",
    ] {
        assert!(first.get(key).is_some(), "no `{key}` in {first}");
    }
    assert_eq!(first["class"], "breaking");
    assert_eq!(first["direction"], "response");
}

fn history(commit: &str) -> String {
    let path = tests::workspace_root()
        .join("tests/fixtures/spec_history")
        .join(format!("managed_accounts.{commit}.yaml"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A real change with a known content: 4b81862 documented a 422 on the list
/// operation and gave four integers `format: int32` (see the fixture's
/// README). Nothing else changed on the wire.
#[test]
fn a_real_history_is_classed_as_its_commit_describes() {
    let old = ir(&history("7be53d8"));
    let new = ir(&history("4b81862"));
    let found = diff(&old, &new);
    let mut seen: Vec<_> = found
        .changes
        .iter()
        .map(|c| (c.rule, c.class, c.direction, c.location.as_str()))
        .collect();
    seen.sort();
    let mut want = vec![
        ("error-status-added", Additive, Direction::Response, "422"),
        (
            "format-changed",
            Breaking,
            Direction::Request,
            "query parameter `page`.number",
        ),
        (
            "format-changed",
            Breaking,
            Direction::Request,
            "query parameter `page`.size",
        ),
        (
            "format-changed",
            Breaking,
            Direction::Request,
            "body.channel_limit",
        ),
        (
            "format-changed",
            Additive,
            Direction::Response,
            "200.data.channel_limit",
        ),
    ];
    want.sort();
    assert_eq!(seen, want, "{}", found.render());
    // The same change as the Rust API sees it: i64 fields became i32.
    let rust = |text: &str| {
        let spec = generator::load_str(text, Path::new("spec.yaml")).unwrap();
        let files = generator::generate(&spec, &tests::xtask_options()).unwrap();
        let file = files
            .into_iter()
            .find(|f| f.path == Path::new(generator::api_manifest::MANIFEST_PATH))
            .unwrap();
        generator::api_manifest::Manifest::parse(&file.contents, &file.path).unwrap()
    };
    let report =
        generator::api_manifest::compare(&rust(&history("7be53d8")), &rust(&history("4b81862")));
    assert!(report.is_breaking());
    assert!(
        report.changes.iter().any(|c| c.item
            == "errors::ListManagedAccountsError::UnprocessableEntity"
            && c.class == Additive),
        "{}",
        report.render("0.1.0")
    );
    assert!(
        report.changes.iter().any(|c| c.rule == "field-type-changed"
            && c.message == "type changed: Option<i64> -> Option<i32>"),
        "{}",
        report.render("0.1.0")
    );
}

#[test]
fn request_bodies_added_removed_and_sent_differently() {
    let create = "      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewOrder'}}}}\n";
    let removed = edited(create, "");
    assert_rule(
        &removed,
        "body-removed",
        Breaking,
        Direction::Request,
        "body",
    );
    let optional = edited(create, &create.replace("required: true", "required: false"));
    assert_rule(
        &optional,
        "body-became-optional",
        Additive,
        Direction::Request,
        "body",
    );
    // From the optional body back to a required one, and bodies added.
    let back = diff(&ir(&optional), &ir(BASE));
    assert!(
        back.changes
            .iter()
            .any(|c| c.rule == "body-became-required" && c.class == Breaking)
    );
    let added_required = diff(&ir(&removed), &ir(BASE));
    assert!(
        added_required
            .changes
            .iter()
            .any(|c| c.rule == "body-added-required" && c.class == Breaking)
    );
    let optional_only = removed.clone();
    let added_optional = diff(&ir(&optional_only), &ir(&optional));
    assert!(
        added_optional
            .changes
            .iter()
            .any(|c| c.rule == "body-added-optional" && c.class == Additive)
    );
    assert!(!added_optional.is_breaking(), "{}", added_optional.render());
    let vendor = edited(
        create,
        &create.replace("application/json", "application/vnd.orders+json"),
    );
    assert_rule(
        &vendor,
        "media-type-changed",
        Breaking,
        Direction::Request,
        "body",
    );
}

#[test]
fn union_members_and_nullability_follow_the_direction() {
    let tags = "        tags: {type: array, items: {type: string}}\n";
    let union = edited(
        tags,
        &format!("{tags}        ref: {{$ref: '#/components/schemas/Ref'}}\n"),
    )
    .replacen(
        "    Channel: {type: string, enum: [web, phone]}\n",
        "    Channel: {type: string, enum: [web, phone]}\n    Ref: {oneOf: [{type: string}, {type: integer}]}\n",
        1,
    );
    let more = union.replacen(
        "{oneOf: [{type: string}, {type: integer}]}",
        "{oneOf: [{type: string}, {type: integer}, {type: boolean}]}",
        1,
    );
    let found = diff(&ir(&union), &ir(&more));
    assert!(
        found.changes.iter().any(|c| c.rule == "union-member-added"
            && c.class == Breaking
            && c.direction == Direction::Response),
        "{}",
        found.render()
    );
    let back = diff(&ir(&more), &ir(&union));
    assert!(
        back.changes.iter().any(|c| c.rule == "union-member-removed"
            && c.class == Additive
            && c.direction == Direction::Response),
        "{}",
        back.render()
    );
    let note = "        note: {type: string, description: A note.}\n";
    let nullable = edited(
        note,
        "        note: {type: string, nullable: true, description: A note.}\n",
    );
    let stricter = diff(&ir(&nullable), &ir(BASE));
    assert!(
        stricter
            .changes
            .iter()
            .any(|c| c.rule == "property-became-non-nullable"
                && c.class == Additive
                && c.direction == Direction::Response),
        "{}",
        stricter.render()
    );
}

#[test]
fn a_response_body_documented_where_there_was_none_is_additive() {
    let created = "        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}\n";
    let without = edited(created, "        '201': {description: created}\n");
    let found = diff(&ir(&without), &ir(BASE));
    assert!(
        found
            .changes
            .iter()
            .any(|c| c.rule == "response-body-added" && c.class == Additive),
        "{}",
        found.render()
    );
    assert!(!found.is_breaking(), "{}", found.render());
}
