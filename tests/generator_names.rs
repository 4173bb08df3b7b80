//! Generator tests on the fixture specs about names: keywords, collisions,
//! inline schemas named by their path, the types named after each
//! operation, union variants named by title, `$ref` or shape, and inline
//! schemas that repeat a component.

use generator::ir::{TypeKind, TypeRef};
use tests::ir::{
    SKIP_NONE, alias_of, assert_contains, assert_lacks, def, enum_of, field, named, string,
    struct_of, union_of,
};
use tests::{fixture_ir, render};

#[test]
fn keyword_property_names_are_escaped_and_renamed_only_where_needed() {
    let api = fixture_ir("keyword_field_names");
    let reference = struct_of(&api, "Reference");
    let names: Vec<(&str, &str)> = reference
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("type", "r#type"),
            ("ref", "r#ref"),
            ("self", "self_"),
            ("match", "r#match"),
            ("async", "r#async"),
            ("crate", "crate_"),
            ("Self", "self_2"),
            ("kind", "kind"),
        ]
    );
    let text = render(&api, "Reference");
    // A raw identifier serializes under its plain name: no rename.
    assert_contains(
        &text,
        "    /// A strict keyword.\n    pub r#type: String,\n",
    );
    assert_contains(
        &text,
        "    /// Another strict keyword.\n    pub r#ref: String,\n",
    );
    assert_contains(
        &text,
        &format!("    {SKIP_NONE}\n    pub r#match: Option<bool>,\n"),
    );
    assert_lacks(&text, "rename = \"type\"");
    assert_lacks(&text, "rename = \"match\"");
    assert_contains(
        &text,
        "    #[serde(rename = \"self\", default, skip_serializing_if = \"Option::is_none\")]\n    pub self_: Option<String>,\n",
    );
    assert_contains(&text, "#[serde(rename = \"crate\", default,");
    assert_contains(
        &text,
        "    #[serde(rename = \"Self\", default, skip_serializing_if = \"Option::is_none\")]\n    pub self_2: Option<String>,\n",
    );

    let kind: Vec<&str> = enum_of(&api, "Kind")
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(kind, ["SelfValue", "SelfValue2", "Type", "None", "Fn"]);
}

/// A valid Rust identifier: `r#` plus a word, or a word not starting with a
/// digit.
fn is_identifier(name: &str) -> bool {
    let word = name.strip_prefix("r#").unwrap_or(name);
    !word.is_empty()
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[test]
fn colliding_names_become_unique_valid_names_in_document_order() {
    let api = fixture_ir("name_collisions");
    let names: Vec<&str> = api.types.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "FooBar",
            "FooBar2",
            "FooBar3",
            "Holder",
            "HolderOwner",
            "HolderOwner2",
            "HolderSeparator",
            "OptionType",
            "ResultType",
            "StringType",
            "VecType",
        ]
    );
    // First come keeps the plain name.
    assert_eq!(def(&api, "FooBar").pointer, "#/components/schemas/foo_bar");
    assert_eq!(def(&api, "FooBar2").pointer, "#/components/schemas/FooBar");
    assert_eq!(def(&api, "FooBar3").pointer, "#/components/schemas/foo-bar");
    // Components are named before inline schemas, so the component keeps
    // `HolderOwner` although the inline schema comes first in the document.
    assert_eq!(
        def(&api, "HolderOwner").pointer,
        "#/components/schemas/HolderOwner"
    );
    assert_eq!(
        def(&api, "HolderOwner2").pointer,
        "#/components/schemas/Holder/properties/owner"
    );

    let holder = struct_of(&api, "Holder");
    let fields: Vec<(&str, &str)> = holder
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("option", "option"),
            ("result", "result"),
            ("text", "text"),
            ("numbers", "numbers"),
            ("fooBar", "foo_bar"),
            ("foo_bar", "foo_bar_2"),
            ("FOO_BAR", "foo_bar_3"),
            ("owner", "owner"),
            ("separator", "separator"),
        ]
    );
    assert_eq!(field(holder, "option").ty, named("OptionType"));
    assert_eq!(field(holder, "text").ty, named("StringType"));
    let separator: Vec<(&str, &str)> = enum_of(&api, "HolderSeparator")
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.wire_value.as_str()))
        .collect();
    assert_eq!(separator, [("AB", "a-b"), ("AB2", "a_b"), ("AB3", "a.b")]);

    for (name, def) in &api.types {
        assert!(is_identifier(name), "type name {name}");
        if let TypeKind::Struct(s) = &def.kind {
            for f in s.fields.iter().chain(&s.additional) {
                assert!(is_identifier(&f.name), "field {name}.{}", f.name);
            }
        }
    }
    assert_eq!(
        api,
        fixture_ir("name_collisions"),
        "naming is deterministic"
    );

    let text = render(&api, "Holder");
    assert_contains(&text, "pub option: Option<OptionType>,");
    assert_contains(&text, "pub text: Option<StringType>,");
    assert_contains(
        &text,
        "    #[serde(rename = \"foo_bar\", default, skip_serializing_if = \"Option::is_none\")]\n    pub foo_bar_2: Option<String>,\n",
    );
    assert_contains(&render(&api, "StringType"), "pub type StringType = String;");
    assert_contains(&render(&api, "VecType"), "pub type VecType = Vec<i64>;");
}

#[test]
fn inline_schemas_are_named_by_their_path() {
    let api = fixture_ir("inline_naming_by_path");
    let names: Vec<&str> = api.types.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "ListThingsFilter",
            "ListThingsFilterEmail",
            "ListThingsFilterStatus",
            "ListThingsPage",
            "ListThingsParams",
            "ListThingsResponse",
            "ListThingsResponseDataItem",
            "ListThingsResponseDataItemTagsItem",
            "ListThingsResponseMeta",
            "Thing",
            "ThingAddress",
            "ThingAddressGeo",
        ]
    );
    assert_eq!(
        def(&api, "ListThingsFilterEmail").pointer,
        "#/paths/~1things/get/parameters/0/schema/properties/email"
    );
    let filter = struct_of(&api, "ListThingsFilter");
    assert_eq!(field(filter, "email").ty, named("ListThingsFilterEmail"));

    let [operation] = api.operations.as_slice() else {
        panic!("one operation expected, got {:?}", api.operations);
    };
    let query = operation
        .query
        .as_ref()
        .expect("ListThings has query parameters");
    assert_eq!(query.type_name, "ListThingsParams");
    // The operation declares its pagination (`x-pagination`).
    let pagination = operation.pagination.as_ref().expect("ListThings pages");
    assert_eq!(pagination.page_param_field, "page");
    assert_eq!(pagination.items_field, "data");
    assert_eq!(pagination.item_type, named("ListThingsResponseDataItem"));
    assert_eq!(pagination.total_pages_field, "total_pages");

    assert_contains(
        &render(&api, "ListThingsResponseDataItem"),
        "pub tags: Option<Vec<ListThingsResponseDataItemTagsItem>>,",
    );
}

#[test]
fn operation_types_are_named_after_the_operation_with_aliases_only_where_needed() {
    let api = fixture_ir("operation_type_names");
    let ids: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|op| (op.id.as_str(), op.method_name.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("ListThings", "list_things"),
            ("CreateThing", "create_thing"),
            ("GetThing", "get_thing"),
            ("ReplaceThing", "replace_thing"),
            ("PatchThing", "patch_thing"),
        ]
    );
    // A component of another name: the operation's name is an alias.
    assert_eq!(alias_of(&api, "CreateThingRequest"), &named("NewThing"));
    assert_eq!(alias_of(&api, "CreateThingResponse"), &named("Thing"));
    assert_eq!(alias_of(&api, "GetThingResponse"), &named("Thing"));
    assert_eq!(
        alias_of(&api, "ListThingsResponse"),
        &TypeRef::Array(Box::new(named("Thing")))
    );
    // A component with the operation's name: one type, no alias.
    for name in ["ReplaceThingRequest", "ReplaceThingResponse"] {
        struct_of(&api, name);
        assert_eq!(
            def(&api, name).pointer,
            format!("#/components/schemas/{name}")
        );
    }
    assert!(!api.types.contains_key("ReplaceThingRequest2"));
    // Written in place: a struct of that name; no body, no type.
    struct_of(&api, "PatchThingRequest");
    assert!(!api.types.contains_key("PatchThingResponse"));
    struct_of(&api, "ListThingsParams");

    let op = |id: &str| api.operations.iter().find(|op| op.id == id).unwrap();
    let create = op("CreateThing")
        .body
        .as_ref()
        .expect("CreateThing has a body");
    assert_eq!(
        (&create.ty, create.required),
        (&named("CreateThingRequest"), true)
    );
    let replace = op("ReplaceThing")
        .body
        .as_ref()
        .expect("ReplaceThing has a body");
    assert_eq!(
        (&replace.ty, replace.required),
        (&named("ReplaceThingRequest"), false)
    );
    let get = op("GetThing");
    assert_eq!(get.path_params.len(), 1);
    assert_eq!(get.path_params[0].wire_name, "id");
    assert_eq!(
        get.success().and_then(|r| r.body.clone()),
        Some(named("GetThingResponse"))
    );

    assert_contains(
        &render(&api, "CreateThingRequest"),
        "pub type CreateThingRequest = NewThing;",
    );
    assert_contains(
        &render(&api, "PatchThingRequest"),
        "pub struct PatchThingRequest {",
    );
}

/// Every name of the Rust 2024 prelude (with the derive macros `Debug` and
/// `Hash`), the std and serde names the generated code writes, some common
/// std and serde names, and the client's items: the schemas of `prelude_names.yaml`, each renamed to
/// `{Name}Type`.
const RESERVED_SCHEMAS: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "BTreeMap",
    "Deserialize",
    "DeserializeOwned",
    "Deserializer",
    "Display",
    "Formatter",
    "Map",
    "Serialize",
    "Serializer",
    "Value",
    "HashMap",
    "Duration",
    "Arc",
    "Number",
    "BuildError",
    "Client",
    "ClientBuilder",
    "Error",
    "ItemStream",
];

#[test]
fn no_type_is_named_like_the_prelude_std_serde_or_the_client() {
    let api = fixture_ir("prelude_names");
    // The schema's name → the Rust type's name.
    let mut expected: Vec<(&str, String)> = RESERVED_SCHEMAS
        .iter()
        .map(|&schema| (schema, format!("{schema}Type")))
        .collect();
    expected.extend([
        // An operation's error enum is `errors::FromError`.
        ("FromError", "FromErrorType".to_owned()),
        // `FromType` is taken by the schema `From`.
        ("FromType", "FromType2".to_owned()),
        ("Self", "SelfType".to_owned()),
    ]);
    for (schema, rust) in &expected {
        assert!(
            !api.types.contains_key(*schema) || schema == &"FromType",
            "a type is named `{schema}`"
        );
        let def = def(&api, rust);
        assert_eq!(def.component.as_deref(), Some(*schema), "the type {rust}");
        if RESERVED_SCHEMAS.contains(schema) || *schema == "FromError" {
            let docs = def.docs.as_deref().unwrap_or_default();
            assert!(
                docs.contains(&format!("Named `{rust}` in Rust because `{schema}` is ")),
                "the docs of {rust} do not say why it is renamed: {docs:?}"
            );
        }
    }
    assert!(
        def(&api, "FromErrorType")
            .docs
            .as_deref()
            .is_some_and(|docs| docs.contains("the error enum of operation `From`")),
        "the docs of FromErrorType name the operation"
    );

    // Only the Rust name changes: every property keeps its wire name, and
    // refers to the renamed type.
    let holder = struct_of(&api, "Holder");
    assert_eq!(holder.fields.len(), expected.len());
    for f in &holder.fields {
        assert_eq!(
            f.name.trim_start_matches("r#").trim_end_matches('_'),
            f.wire_name
        );
    }
    assert_eq!(field(holder, "from").ty, named("FromType"));
    assert_eq!(field(holder, "option").ty, named("OptionType"));
    assert_eq!(field(holder, "self").ty, named("SelfType"));
    assert_eq!(field(holder, "b_tree_map").ty, named("BTreeMapType"));
    let values: Vec<&str> = enum_of(&api, "EqType")
        .variants
        .iter()
        .map(|v| v.wire_value.as_str())
        .collect();
    assert_eq!(values, ["equal", "not-equal"]);
    let text = render(&api, "FromType");
    assert_contains(&text, "pub struct FromType {");
    assert_lacks(&text, "rename");
    assert_contains(&text, "    pub from: String,\n");

    // Operations name the renamed types through the aliases named after
    // them (`FromRequest`), whose names are free.
    let from = api.operations.iter().find(|op| op.id == "From").unwrap();
    assert_eq!(from.method_name, "from");
    assert_eq!(
        from.body.as_ref().map(|b| &b.ty),
        Some(&named("FromRequest"))
    );
    assert_eq!(alias_of(&api, "FromRequest"), &named("FromType"));
    assert_eq!(alias_of(&api, "FromResponse"), &named("OptionType"));
    assert_eq!(alias_of(&api, "From400Response"), &named("FromErrorType"));
    assert_eq!(alias_of(&api, "From422Response"), &named("ErrorType"));
    assert_eq!(from.path_params[0].ty, named("IntoType"));

    // The contract table maps the spec's schema name to the renamed type.
    let files = generator::generate(
        &tests::load_fixture("prelude_names"),
        &tests::fixture_options("prelude_names"),
    )
    .expect("the fixture generates");
    let file = |path: &str| {
        files
            .iter()
            .find(|file| file.path == std::path::Path::new(path))
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
            .as_str()
    };
    assert_contains(file("src/contract.rs"), "(\"From\", \"types::FromType\"),");
    assert_contains(
        file("src/contract.rs"),
        "(\"FromType\", \"types::FromType2\"),",
    );
    assert_contains(file("src/errors.rs"), "pub enum FromError {");
    assert_contains(file("src/errors.rs"), "pub enum ClientError {");
}

/// The variant names of the union `name`.
fn variant_names<'a>(api: &'a generator::ir::Api, name: &str) -> Vec<&'a str> {
    union_of(api, name)
        .iter()
        .map(|v| v.name.as_str())
        .collect()
}

#[test]
fn union_variants_are_named_by_title_ref_tag_or_shape() {
    let api = fixture_ir("one_of_untagged");
    // `$ref` names, then the shape of a scalar.
    assert_eq!(variant_names(&api, "Pet"), ["Cat", "Dog", "String"]);
    // Lists are named by their items, in the plural.
    assert_eq!(
        variant_names(&api, "Embedding"),
        ["FloatRows", "Strings", "CatList"]
    );
    let embedding = union_of(&api, "Embedding");
    assert_eq!(
        embedding[0].ty,
        TypeRef::Array(Box::new(TypeRef::Array(Box::new(TypeRef::Number))))
    );
    assert_eq!(embedding[1].ty, TypeRef::Array(Box::new(string())));
    // A title first; a number is a `Number`.
    assert_eq!(
        variant_names(&api, "Setting"),
        ["Flag", "Integer", "Number"]
    );
    // A one-value enum an inline object requires tells it apart; numbers
    // only where nothing else does.
    assert_eq!(
        variant_names(&api, "Config"),
        ["Legacy", "Known", "Object", "Object2"]
    );
    let text = render(&api, "Embedding");
    assert_contains(&text, "    FloatRows(Vec<Vec<f64>>),\n");
    assert_contains(&text, "    CatList(Vec<Cat>),\n");
}

#[test]
fn an_inline_schema_that_repeats_a_component_is_that_component() {
    let api = fixture_ir("repeated_components");
    // As list items, whatever the annotations.
    assert_eq!(
        alias_of(&api, "Collections"),
        &TypeRef::Array(Box::new(named("Collection")))
    );
    let shelf = struct_of(&api, "Shelf");
    // As a property, and as a union member.
    assert_eq!(field(shelf, "main").ty, named("Collection"));
    assert_eq!(variant_names(&api, "ShelfEither"), ["Collection", "String"]);
    assert_eq!(union_of(&api, "ShelfEither")[0].ty, named("Collection"));
    // A different constraint is a different schema.
    assert_eq!(field(shelf, "draft").ty, named("ShelfDraft"));
    // As a response body: the operation's alias names the component.
    assert_eq!(
        alias_of(&api, "GetLatestCollectionResponse"),
        &named("Collection")
    );
    // No duplicate struct was made.
    let structs: Vec<&str> = api
        .types
        .values()
        .filter(|def| matches!(def.kind, TypeKind::Struct(_)))
        .map(|def| def.name.as_str())
        .collect();
    assert_eq!(structs, ["Collection", "Shelf", "ShelfDraft"]);
    let text = render(&api, "Collections");
    assert_contains(&text, "pub type Collections = Vec<Collection>;");
}
