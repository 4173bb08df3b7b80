//! Sloppy but real documents: what the generator reads past with a
//! warning that names the node (`cargo xtask generate` prints each with
//! its file and line; `--strict` refuses the document).

use std::path::Path;

const HEADER: &str = "openapi: 3.0.3\ninfo:\n  title: Warnings fixture\n  version: '1'\n";

/// The IR of `text` (which must generate) and its warnings as text.
fn warnings_of(text: &str) -> (generator::ir::Api, Vec<String>) {
    let spec = generator::load_str(text, Path::new("inline.yaml"))
        .unwrap_or_else(|err| panic!("the spec should load, but: {err}"));
    let api = generator::build_ir(&spec).unwrap_or_else(|err| panic!("{err}"));
    generator::generate_from_ir(&api, &tests::xtask_options())
        .unwrap_or_else(|err| panic!("{err}"));
    let warnings = api.warnings.iter().map(ToString::to_string).collect();
    (api, warnings)
}

#[test]
fn a_required_name_no_property_declares_is_a_warning_at_the_required_list() {
    let (api, warnings) = warnings_of(&format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      required: [id, ghost]\n      properties:\n        id:\n          type: string\n"
    ));
    assert_eq!(
        warnings,
        [
            "#/components/schemas/Thing/required: `ghost` is required but not among the properties: no field is generated for it (contract checks still require it)"
        ]
    );
    let generator::ir::TypeKind::Struct(thing) = &api.types["Thing"].kind else {
        panic!("a struct");
    };
    let fields: Vec<_> = thing
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("id", true)]);
}

#[test]
fn a_required_name_no_all_of_member_declares_is_a_warning_at_that_member() {
    let (_, warnings) = warnings_of(&format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      properties:\n        id:\n          type: string\n    Widget:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [id, size]\n"
    ));
    assert_eq!(
        warnings,
        [
            "#/components/schemas/Widget/allOf/1/required: `size` is required but not among the properties of any `allOf` member: no field is generated for it (contract checks still require it)"
        ]
    );
}

#[test]
fn all_of_members_that_disagree_on_a_property_type_keep_the_first_with_a_warning() {
    let (api, warnings) = warnings_of(&format!(
        "{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      properties:\n        id:\n          type: string\n        meta: {{}}\n    Widget:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          properties:\n            id:\n              type: integer\n            meta:\n              type: object\n              properties:\n                page:\n                  type: integer\n"
    ));
    assert_eq!(
        warnings,
        [
            "#/components/schemas/Widget/allOf/1/properties/id: `id` is an integer here but a string in an earlier `allOf` member: the field keeps the first type (a value must match both; contract checks still check both)"
        ]
    );
    let generator::ir::TypeKind::Struct(widget) = &api.types["Widget"].kind else {
        panic!("a struct");
    };
    let types: Vec<_> = widget
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.ty.clone()))
        .collect();
    // `meta: {}` left it open; the later member's object types it, quietly.
    assert_eq!(
        types,
        [
            ("id", generator::ir::TypeRef::String { format: None }),
            (
                "meta",
                generator::ir::TypeRef::Named("WidgetMeta".to_owned())
            ),
        ]
    );
}

#[test]
fn a_second_use_of_an_operation_id_is_renamed_from_its_method_and_path() {
    let (api, warnings) = warnings_of(&format!(
        "{HEADER}paths:\n  /a:\n    get:\n      operationId: Same\n      responses:\n        '204':\n          description: Done.\n  /b/items:\n    get:\n      operationId: Same\n      responses:\n        '204':\n          description: Done.\n  /c:\n    get:\n      operationId: GetBItems\n      responses:\n        '204':\n          description: Done.\n"
    ));
    assert_eq!(
        warnings,
        [
            "#/paths/~1b~1items/get/operationId: operationId `Same` is also used at #/paths/~1a/get; this operation is named `GetBItems`",
            "#/paths/~1c/get/operationId: operationId `GetBItems` is also used at #/paths/~1b~1items/get; this operation is named `GetC`",
        ]
    );
    let methods: Vec<_> = api
        .operations
        .iter()
        .map(|op| op.method_name.as_str())
        .collect();
    assert_eq!(methods, ["same", "get_b_items", "get_c"]);
}

#[test]
fn a_clean_document_has_no_warnings() {
    let api = generator::build_ir(&tests::load_real_spec()).unwrap_or_else(|err| panic!("{err}"));
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
}
