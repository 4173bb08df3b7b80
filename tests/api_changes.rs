//! The API manifest and the change report of `cargo xtask generate`: one
//! spec pair per rule, each rule with a breaking or additive example and,
//! where one exists, a neighbouring change that is not breaking.

use generator::api_manifest::{ChangeClass, Manifest, compare};
use std::path::Path;

/// A small spec with one of each item the manifest records.
const BASE: &str = r#"
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      operationId: ListThings
      summary: Lists things.
      parameters:
        - {name: color, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ThingList'}}}}
        '404': {description: missing}
    post:
      operationId: CreateThing
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  /things/{id}:
    get:
      operationId: GetThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing:
      type: object
      description: A thing.
      required: [id]
      properties:
        id: {type: string}
        name: {type: string, description: Its name.}
        size: {type: integer}
        kind: {$ref: '#/components/schemas/Kind'}
    NewThing:
      type: object
      required: [name]
      properties:
        name: {type: string}
    ThingList:
      type: object
      properties:
        data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    Kind: {type: string, enum: [big, small]}
"#;

fn manifest(spec: &str) -> Manifest {
    let loaded = generator::load_str(spec, Path::new("things.yaml"))
        .unwrap_or_else(|err| panic!("{err}\n{spec}"));
    let options = generator::Options {
        spec_label: "things.yaml".to_owned(),
        command: tests::GENERATE_COMMAND.to_owned(),
        lib_name: "things".to_owned(),
        env_prefix: "THINGS".to_owned(),
    };
    let files = generator::generate(&loaded, &options).unwrap_or_else(|err| panic!("{err}"));
    let file = files
        .iter()
        .find(|file| file.path == Path::new(generator::api_manifest::MANIFEST_PATH))
        .expect("the generated files include the API manifest");
    Manifest::parse(&file.contents, &file.path).unwrap_or_else(|err| panic!("{err}"))
}

/// `BASE` with `from` replaced by `to` (which must be there once).
fn edited(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "`{from}` is in the base spec once"
    );
    BASE.replacen(from, to, 1)
}

/// The (rule, class, item) of every change from `BASE` to `new`.
fn changes(new: &str) -> Vec<(String, ChangeClass, String)> {
    compare(&manifest(BASE), &manifest(new))
        .changes
        .into_iter()
        .map(|c| (c.rule.to_owned(), c.class, c.item))
        .collect()
}

fn assert_change(new: &str, rule: &str, class: ChangeClass, item: &str) {
    let found = changes(new);
    assert!(
        found
            .iter()
            .any(|(r, c, i)| r == rule && *c == class && i == item),
        "expected {rule} ({class}) on {item}, found {found:#?}"
    );
}

use ChangeClass::{Additive, Breaking, Documentation};

#[test]
fn the_same_spec_changes_nothing_and_the_manifest_is_deterministic() {
    assert_eq!(manifest(BASE), manifest(BASE));
    assert!(changes(BASE).is_empty());
    let text = manifest(BASE).to_json();
    assert_eq!(text, manifest(BASE).to_json());
}

#[test]
fn the_manifest_records_signatures_fields_variants_and_pointers() {
    let manifest = manifest(BASE);
    let get = &manifest.operations["get_thing"];
    assert_eq!(get.pointer, "#/paths/~1things~1{id}/get");
    assert_eq!(get.arguments[0].name, "id");
    assert_eq!(get.arguments[0].ty, "&str");
    assert_eq!(
        get.returns,
        "Call -> Result<types::GetThingResponse, Error<errors::GetThingError>>"
    );
    // Optional arguments are setters of the operation's `Call`.
    let params = &manifest.operations["Call<calls::ListThings>::params"];
    assert_eq!(params.pointer, "#/paths/~1things/get/parameters");
    assert_eq!(params.arguments[0].ty, "&types::ListThingsParams");
    assert_eq!(manifest.types["GetThingResponse"].target, "Thing");
    let thing = &manifest.types["Thing"];
    assert_eq!(thing.pointer, "#/components/schemas/Thing");
    assert!(thing.fields["id"].required);
    assert_eq!(thing.fields["name"].ty, "Option<String>");
    assert_eq!(
        thing.fields["name"].pointer,
        "#/components/schemas/Thing/properties/name"
    );
    assert!(manifest.types["Kind"].variants.contains_key("Big"));
    let errors = &manifest.errors["ListThingsError"];
    assert_eq!(errors.pointer, "#/paths/~1things/get/responses");
    assert!(errors.variants.contains_key("NotFound"));
}

#[test]
fn operations_removed_and_added() {
    let without_get = BASE.replace(
        &BASE[BASE.find("  /things/{id}:").unwrap()..BASE.find("components:").unwrap()],
        "",
    );
    assert_change(
        &without_get,
        "operation-removed",
        Breaking,
        "Client::get_thing",
    );
    let with_delete = edited(
        "components:\n",
        "  /things/{id}/archive:\n    post:\n      operationId: ArchiveThing\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: done}}\ncomponents:\n",
    );
    assert_change(
        &with_delete,
        "operation-added",
        Additive,
        "Client::archive_thing",
    );
}

#[test]
fn a_new_argument_breaks_callers_and_a_new_optional_query_field_does_not() {
    let new_query = edited(
        "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\ncomponents:",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: expand, in: query, schema: {type: boolean}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\ncomponents:",
    );
    // The first query parameter, optional: a setter on the call, callers
    // are not broken.
    assert_change(
        &new_query,
        "operation-added",
        Additive,
        "Call<calls::GetThing>::params",
    );
    assert!(
        changes(&new_query)
            .iter()
            .all(|(_, class, _)| *class != Breaking)
    );
    let required_query = edited(
        "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\ncomponents:",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: expand, in: query, required: true, schema: {type: boolean}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\ncomponents:",
    );
    assert_change(
        &required_query,
        "argument-added",
        Breaking,
        "Client::get_thing",
    );
    let optional = edited(
        "        - {name: color, in: query, schema: {type: string}}\n",
        "        - {name: color, in: query, schema: {type: string}}\n        - {name: shape, in: query, schema: {type: string}}\n",
    );
    assert_change(
        &optional,
        "field-added-optional",
        Additive,
        "types::ListThingsParams::shape",
    );
    assert!(
        changes(&optional)
            .iter()
            .all(|(_, class, _)| *class != Breaking)
    );
    let required = edited(
        "        - {name: color, in: query, schema: {type: string}}\n",
        "        - {name: color, in: query, schema: {type: string}}\n        - {name: shape, in: query, required: true, schema: {type: string}}\n",
    );
    assert_change(
        &required,
        "field-added-required",
        Breaking,
        "types::ListThingsParams::shape",
    );
}

#[test]
fn a_changed_argument_return_or_alias_type_breaks_callers() {
    let optional_body = edited(
        "requestBody: {required: true,",
        "requestBody: {required: false,",
    );
    // A body that becomes optional leaves the arguments for a setter.
    assert_change(
        &optional_body,
        "argument-removed",
        Breaking,
        "Client::create_thing",
    );
    assert_change(
        &optional_body,
        "operation-added",
        Additive,
        "Call<calls::CreateThing>::body",
    );
    let other_path_type = edited(
        "parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200'",
        "parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses:\n        '200'",
    );
    assert_change(
        &other_path_type,
        "argument-type-changed",
        Breaking,
        "Client::get_thing",
    );
    let no_body = edited(
        "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}\n  /things/{id}:",
        "        '204': {description: created}\n  /things/{id}:",
    );
    assert_change(
        &no_body,
        "return-type-changed",
        Breaking,
        "Client::create_thing",
    );
    let other_body = edited(
        "schema: {$ref: '#/components/schemas/NewThing'}",
        "schema: {$ref: '#/components/schemas/Thing'}",
    );
    assert_change(
        &other_body,
        "alias-target-changed",
        Breaking,
        "types::CreateThingRequest",
    );
}

#[test]
fn fields_added_removed_and_changed() {
    let added = edited(
        "        size: {type: integer}\n",
        "        size: {type: integer}\n        color: {type: string}\n",
    );
    assert_change(
        &added,
        "field-added-optional",
        Additive,
        "types::Thing::color",
    );
    let removed = edited("        size: {type: integer}\n", "");
    assert_change(&removed, "field-removed", Breaking, "types::Thing::size");
    let retyped = edited(
        "        size: {type: integer}\n",
        "        size: {type: string}\n",
    );
    assert_change(
        &retyped,
        "field-type-changed",
        Breaking,
        "types::Thing::size",
    );
    let required = edited(
        "      required: [id]\n      properties:\n        id",
        "      required: [id, name]\n      properties:\n        id",
    );
    assert_change(
        &required,
        "field-became-required",
        Breaking,
        "types::Thing::name",
    );
    let optional = edited(
        "      required: [id]\n      properties:\n        id",
        "      properties:\n        id",
    );
    assert_change(
        &optional,
        "field-became-optional",
        Breaking,
        "types::Thing::id",
    );
}

#[test]
fn types_removed_added_and_changed_in_kind() {
    let without_kind = edited("        kind: {$ref: '#/components/schemas/Kind'}\n", "")
        .replace("    Kind: {type: string, enum: [big, small]}\n", "");
    assert_change(&without_kind, "type-removed", Breaking, "types::Kind");
    assert_change(
        &without_kind,
        "field-removed",
        Breaking,
        "types::Thing::kind",
    );
    let with_color = edited(
        "    Kind: {type: string, enum: [big, small]}\n",
        "    Kind: {type: string, enum: [big, small]}\n    Color: {type: string, enum: [red]}\n",
    );
    assert_change(&with_color, "type-added", Additive, "types::Color");
    let kind_struct = edited(
        "    Kind: {type: string, enum: [big, small]}\n",
        "    Kind: {type: object, properties: {big: {type: boolean}}}\n",
    );
    assert_change(&kind_struct, "type-kind-changed", Breaking, "types::Kind");
}

#[test]
fn enum_variants_added_are_additive_and_removed_are_breaking() {
    let added = edited("enum: [big, small]", "enum: [big, small, medium]");
    assert_change(&added, "variant-added", Additive, "types::Kind::Medium");
    assert!(
        changes(&added)
            .iter()
            .all(|(_, class, _)| *class != Breaking)
    );
    let removed = edited("enum: [big, small]", "enum: [big]");
    assert_change(&removed, "variant-removed", Breaking, "types::Kind::Small");
}

#[test]
fn error_variants_follow_the_documented_statuses() {
    let conflict = edited(
        "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ThingList'}}}}\n        '404': {description: missing}\n",
        "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ThingList'}}}}\n        '404': {description: missing}\n        '409': {description: conflict}\n",
    );
    assert_change(
        &conflict,
        "variant-added",
        Additive,
        "errors::ListThingsError::Conflict",
    );
    // Its only documented error gone, the enum becomes an alias of the
    // runtime's empty `NoDocumentedError`: still breaking.
    let none = edited("        '404': {description: missing}\n", "");
    assert_change(
        &none,
        "type-kind-changed",
        Breaking,
        "errors::ListThingsError",
    );
}

#[test]
fn documentation_changes_are_only_that() {
    let docs = edited("description: Its name.", "description: What it is called.");
    assert_eq!(
        changes(&docs),
        vec![(
            "field-docs-changed".to_owned(),
            Documentation,
            "types::Thing::name".to_owned()
        )]
    );
    let type_docs = edited("description: A thing.", "description: One thing.");
    assert_change(
        &type_docs,
        "type-docs-changed",
        Documentation,
        "types::Thing",
    );
    let summary = edited("summary: Lists things.", "summary: Lists every thing.");
    assert_change(
        &summary,
        "operation-docs-changed",
        Documentation,
        "Client::list_things",
    );
}

#[test]
fn the_report_gives_the_bump_and_each_change_with_its_pointer() {
    let removed = edited("        size: {type: integer}\n", "");
    let report = compare(&manifest(BASE), &manifest(&removed));
    assert!(report.is_breaking());
    let text = report.render("0.1.3");
    tests::ir::assert_contains(
        &text,
        "1 breaking, 0 additive, 0 documentation-only; semver: 0.1.3 -> 0.2.0",
    );
    tests::ir::assert_contains(
        &text,
        "types::Thing::size: field removed (was Option<i64>) [field-removed]",
    );
    tests::ir::assert_contains(&text, "from #/components/schemas/Thing/properties/size");
    let added = edited("enum: [big, small]", "enum: [big, small, medium]");
    let text = compare(&manifest(BASE), &manifest(&added)).render("1.4.2");
    tests::ir::assert_contains(&text, "semver: 1.4.2 -> 1.5.0");
}

#[test]
fn associated_items_added_removed_and_changed() {
    use generator::api_manifest::TypeItem;
    let with = |items: &[(&str, &str)]| {
        let mut manifest = Manifest::default();
        let mut item = TypeItem {
            kind: "struct".to_owned(),
            ..TypeItem::default()
        };
        for (name, ty) in items {
            item.associated.insert((*name).to_owned(), (*ty).to_owned());
        }
        manifest.types.insert("Level".to_owned(), item);
        manifest
    };
    let rules = |old: &Manifest, new: &Manifest| {
        compare(old, new)
            .changes
            .into_iter()
            .map(|c| (c.rule, c.class, c.item))
            .collect::<Vec<_>>()
    };
    let base = with(&[("LOW", "Level"), ("as_i64", "fn() -> i64")]);
    assert_eq!(
        rules(
            &base,
            &with(&[
                ("LOW", "Level"),
                ("HIGH", "Level"),
                ("as_i64", "fn() -> i64")
            ])
        ),
        [(
            "associated-added",
            Additive,
            "types::Level::HIGH".to_owned()
        )]
    );
    assert_eq!(
        rules(&base, &with(&[("as_i64", "fn() -> i64")])),
        [(
            "associated-removed",
            Breaking,
            "types::Level::LOW".to_owned()
        )]
    );
    assert_eq!(
        rules(&base, &with(&[("LOW", "Level"), ("as_i64", "fn() -> i32")])),
        [(
            "associated-changed",
            Breaking,
            "types::Level::as_i64".to_owned()
        )]
    );
}
