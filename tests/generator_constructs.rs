//! Generator tests on the small hand-written specs in
//! `tests/fixtures/specs/`, one per type construct: what the IR says, and
//! what the rendered Rust looks like. Naming is tested in
//! `generator_names.rs`; that the rendered code builds, in
//! `compile_fixtures.rs`; how the real generated types behave, in
//! `serde_samples.rs`.

use generator::ir::TypeRef;
use tests::ir::{
    SKIP_NONE, alias_of, assert_contains, assert_lacks, def, enum_of, field, named, string,
    struct_of, union_of,
};
use tests::{fixture_ir, render};

#[test]
fn nullable_fields_are_options_and_only_optional_ones_are_skipped() {
    let api = fixture_ir("nullable");
    let note = struct_of(&api, "Note");
    // (property, required, nullable)
    let expected = [
        ("title", true, false),
        ("body", true, true),
        ("summary", false, false),
        ("archived_at", false, true),
        ("color", false, true),
        ("parent", true, true),
    ];
    for (wire, required, nullable) in expected {
        let f = field(note, wire);
        assert_eq!((f.required, f.nullable), (required, nullable), "`{wire}`");
        assert_eq!(f.is_optional(), !required || nullable, "`{wire}`");
    }
    // `null` among the enum values makes the field nullable, not a variant.
    let color = enum_of(&api, "NoteColor");
    let values: Vec<&str> = color
        .variants
        .iter()
        .map(|v| v.wire_value.as_str())
        .collect();
    assert_eq!(values, ["red", "green"]);

    let text = render(&api, "Note");
    assert_contains(
        &text,
        "    /// Required and not nullable.\n    pub title: String,\n",
    );
    // Required but nullable: an `Option` that is always written (as `null`)
    // and must be present when read.
    assert_contains(
        &text,
        "    /// Required but may be null.\n    #[serde(deserialize_with = \"Option::deserialize\")]\n    pub body: Option<String>,\n",
    );
    assert_contains(
        &text,
        &format!("    {SKIP_NONE}\n    pub summary: Option<String>,\n"),
    );
    assert_contains(
        &text,
        &format!("    {SKIP_NONE}\n    pub archived_at: Option<String>,\n"),
    );
    assert_contains(
        &text,
        &format!("    {SKIP_NONE}\n    pub color: Option<NoteColor>,\n"),
    );
    assert_contains(
        &text,
        "[`Parent`].\n    #[serde(deserialize_with = \"Option::deserialize\")]\n    pub parent: Option<Parent>,\n",
    );
}

#[test]
fn enums_keep_unknown_values_in_a_catch_all_that_does_not_clash() {
    let api = fixture_ir("enum_unknown_value");
    let status = enum_of(&api, "JobStatus");
    let variants: Vec<(&str, &str)> = status
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.wire_value.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("Queued", "queued"),
            ("InProgress", "in_progress"),
            ("Done", "done"),
            ("Unknown", "unknown"),
            ("MinusCreatedAt", "-created_at"),
        ]
    );
    assert_eq!(
        status.other_variant, "Unknown2",
        "`unknown` is a real value"
    );
    assert_eq!(status.default.as_deref(), Some("Queued"));
    assert!(def(&api, "JobStatus").has_default);

    let sort = enum_of(&api, "SortOrder");
    assert_eq!(sort.other_variant, "Unknown");
    assert_eq!(sort.default, None);
    assert!(!def(&api, "SortOrder").has_default);

    let text = render(&api, "JobStatus");
    assert_contains(
        &text,
        "    /// A value this crate does not know (kept as sent).\n    Unknown2(String),\n",
    );
    assert_contains(&text, "\"unknown\" => Self::Unknown,");
    assert_contains(&text, "\"-created_at\" => Self::MinusCreatedAt,");
    assert_contains(&text, "other => Self::Unknown2(other.to_owned()),");
    // Serialized through `as_str`, which gives an unknown value back as is.
    assert_contains(&text, "Self::Unknown2(value) => value,");
    assert_contains(&text, "serializer.serialize_str(self.as_str())");
    assert_contains(&text, "    #[default]\n    Queued,\n");
    assert_contains(&text, "PartialOrd, Ord, Default)]");
    let sort_text = render(&api, "SortOrder");
    assert_contains(
        &sort_text,
        "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]",
    );
}

/// The IR and text above, in behaviour: an enum of the real generated
/// crate reads a value it does not know and writes it back unchanged.
#[test]
fn a_generated_enum_round_trips_an_unknown_value() {
    use telnyx_managed_accounts::types::ListManagedAccountsSort;
    let parsed: ListManagedAccountsSort = serde_json::from_str("\"-updated_at\"").unwrap();
    assert_eq!(
        parsed,
        ListManagedAccountsSort::Unknown("-updated_at".to_owned())
    );
    assert_eq!(parsed.as_str(), "-updated_at");
    assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"-updated_at\"");
    let known: ListManagedAccountsSort = serde_json::from_str("\"email\"").unwrap();
    assert_eq!(known, ListManagedAccountsSort::Email);
    assert_eq!(known.to_string(), "email");
}

#[test]
fn all_of_merges_members_into_one_struct() {
    let api = fixture_ir("all_of_merge");
    let widget = struct_of(&api, "Widget");
    let fields: Vec<(&str, bool)> = widget
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    // `created_at` is declared optional by `Resource` and required by the
    // last member, which declares no property of its own.
    assert_eq!(
        fields,
        [
            ("id", true),
            ("created_at", true),
            ("labels", false),
            ("size", true)
        ]
    );
    assert_eq!(field(widget, "size").ty, TypeRef::Integer { bits: 32 });
    assert_eq!(def(&api, "Widget").pointer, "#/components/schemas/Widget");
    // The members keep their own types, unchanged by the merge.
    assert!(!field(struct_of(&api, "Resource"), "created_at").required);
    // A one-member `allOf` is the member with a description: an alias.
    assert_eq!(alias_of(&api, "DescribedResource"), &named("Resource"));

    let text = render(&api, "Widget");
    assert_contains(&text, "pub struct Widget {");
    assert_contains(&text, "    pub id: String,\n");
    assert_contains(&text, "    pub created_at: String,\n");
    assert_contains(&text, "    pub labels: Option<Vec<String>>,\n");
    assert_contains(&text, "    pub size: i32,\n");
    assert_contains(
        &render(&api, "DescribedResource"),
        "pub type DescribedResource = Resource;",
    );
}

#[test]
fn one_of_and_any_of_become_untagged_enums() {
    let api = fixture_ir("one_of_untagged");
    let pet: Vec<(&str, &TypeRef)> = union_of(&api, "Pet")
        .iter()
        .map(|v| (v.name.as_str(), &v.ty))
        .collect();
    assert_eq!(
        pet,
        [
            ("Cat", &named("Cat")),
            ("Dog", &named("Dog")),
            ("String", &string())
        ]
    );
    let contact: Vec<(&str, &TypeRef)> = union_of(&api, "OwnerContact")
        .iter()
        .map(|v| (v.name.as_str(), &v.ty))
        .collect();
    assert_eq!(
        contact,
        [
            ("String", &string()),
            ("Integer", &TypeRef::Integer { bits: 64 })
        ]
    );
    assert!(
        !def(&api, "Pet").has_default,
        "a union has no natural default"
    );

    let text = render(&api, "Pet");
    assert_contains(&text, "#[serde(untagged)]\n");
    assert_contains(&text, "pub enum Pet {");
    assert_contains(&text, "    Cat(Cat),\n");
    assert_contains(&text, "    Dog(Dog),\n");
    assert_contains(&text, "    String(String),\n");
    assert_contains(&render(&api, "Owner"), "pub contact: Option<OwnerContact>,");
}

#[test]
fn additional_properties_become_maps_and_flattened_map_fields() {
    let api = fixture_ir("additional_properties");
    let int_map = TypeRef::Map(Box::new(TypeRef::Integer { bits: 64 }));
    assert_eq!(alias_of(&api, "Counts"), &int_map);
    assert_eq!(alias_of(&api, "FreeForm"), &TypeRef::Any);

    let tagged = struct_of(&api, "Tagged");
    let extra = tagged
        .additional
        .as_ref()
        .expect("Tagged collects other properties");
    // The property `additional_properties` keeps its name; the map moves.
    assert_eq!(
        field(tagged, "additional_properties").name,
        "additional_properties"
    );
    assert_eq!(extra.name, "additional_properties_2");
    assert_eq!(extra.ty, TypeRef::Map(Box::new(string())));

    let open = struct_of(&api, "Open");
    let open_extra = open
        .additional
        .as_ref()
        .expect("Open collects other properties");
    assert_eq!(open_extra.ty, TypeRef::Map(Box::new(TypeRef::Any)));

    let scores = field(struct_of(&api, "Scoreboard"), "scores");
    assert_eq!(
        scores.ty,
        TypeRef::Map(Box::new(named("ScoreboardScoresValue")))
    );
    struct_of(&api, "ScoreboardScoresValue");

    assert_contains(
        &render(&api, "Counts"),
        "pub type Counts = std::collections::BTreeMap<String, i64>;",
    );
    assert_contains(
        &render(&api, "Tagged"),
        "    #[serde(flatten)]\n    pub additional_properties_2: std::collections::BTreeMap<String, String>,\n",
    );
    assert_contains(
        &render(&api, "Open"),
        "    #[serde(flatten)]\n    pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,\n",
    );
    assert_contains(
        &render(&api, "FreeForm"),
        "pub type FreeForm = serde_json::Value;",
    );
}

#[test]
fn recursive_fields_are_boxed_only_where_needed() {
    let api = fixture_ir("recursive_schema");
    let boxed = |name: &str| TypeRef::Boxed(Box::new(named(name)));

    let tree = struct_of(&api, "TreeNode");
    assert_eq!(field(tree, "parent").ty, boxed("TreeNode"));
    // A `Vec` already has a finite size.
    assert_eq!(
        field(tree, "children").ty,
        TypeRef::Array(Box::new(named("TreeNode")))
    );

    // One `Box` on the cycle Company -> Person -> Company is enough; the
    // first type in name order gets it.
    assert_eq!(field(struct_of(&api, "Company"), "ceo").ty, boxed("Person"));
    assert_eq!(
        field(struct_of(&api, "Person"), "employer").ty,
        named("Company")
    );
    assert_eq!(
        field(struct_of(&api, "Company"), "departments").ty,
        TypeRef::Map(Box::new(named("Company")))
    );

    let expression = union_of(&api, "Expression");
    assert_eq!(expression[1].ty, boxed("Sum"));
    assert_eq!(
        field(struct_of(&api, "Sum"), "left").ty,
        named("Expression")
    );

    assert_contains(
        &render(&api, "TreeNode"),
        "pub parent: Option<Box<TreeNode>>,",
    );
    assert_contains(
        &render(&api, "TreeNode"),
        "pub children: Option<Vec<TreeNode>>,",
    );
    assert_contains(&render(&api, "Expression"), "    Sum(Box<Sum>),\n");
}

#[test]
fn secrets_are_redacted_in_debug() {
    let api = fixture_ir("secrets_redacted");
    let credentials = struct_of(&api, "Credentials");
    let sensitive: Vec<(&str, bool)> = credentials
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.sensitive))
        .collect();
    assert_eq!(
        sensitive,
        [
            ("username", false),
            ("password", false),
            ("api_key", true),
            ("api_token", true),
            ("pin", true),
            ("session", true),
            ("note", false),
            ("recovery", true),
        ]
    );

    let text = render(&api, "Credentials");
    assert_contains(
        &text,
        "#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]",
    );
    assert_contains(&text, "impl std::fmt::Debug for Credentials {");
    assert_contains(&text, ".field(\"username\", &self.username)");
    // Named like a secret but unmarked: shown.
    assert_contains(&text, ".field(\"password\", &self.password)");
    assert_contains(&text, ".field(\"api_key\", &\"[redacted]\")");
    for optional in ["api_token", "pin", "session", "recovery"] {
        assert_contains(
            &text,
            &format!(".field(\"{optional}\", &self.{optional}.as_ref().map(|_| \"[redacted]\"))"),
        );
    }
    assert_contains(&text, ".field(\"note\", &self.note)");

    let profile = render(&api, "Profile");
    assert_contains(&profile, "#[derive(Debug, Clone,");
    assert_lacks(&profile, "impl std::fmt::Debug");
}

#[test]
fn html_in_descriptions_becomes_markdown() {
    let api = fixture_ir("html_descriptions");
    assert_eq!(
        api.description.as_deref(),
        Some("The **API** for `things`.")
    );
    let report = def(&api, "Report");
    assert_eq!(
        report.docs.as_deref(),
        Some("A report.\nSee the docs (<https://example.com/docs>) & more.")
    );
    let fields = struct_of(&api, "Report");
    let docs = |wire: &str| field(fields, wire).docs.clone().unwrap_or_default();
    assert_eq!(
        docs("sort"),
        "Sorts the results:\n\n- `name`: by name\n- `-name`: reversed"
    );
    assert_eq!(
        docs("filter"),
        "Use `filter[name]` or filter\\[id\\]; a \\< b; see <https://example.com/help>."
    );
    assert_eq!(
        docs("note"),
        "First paragraph.\n\nSecond, *emphasised* and **strong**."
    );

    let text = render(&api, "Report");
    assert_contains(
        &text,
        "    /// - `name`: by name\n    /// - `-name`: reversed\n",
    );
    for tag in [
        "<b>", "<code>", "<br", "<ul>", "<li>", "<p>", "<a ", "&amp;", "&lt;",
    ] {
        assert_lacks(&text, tag);
    }
    let files = generator::generate(
        &tests::load_fixture("html_descriptions"),
        &tests::fixture_options("html_descriptions"),
    )
    .unwrap();
    assert_contains(&files[0].contents, "//! The **API** for `things`.\n");
}

#[test]
fn every_fixture_renders_every_type() {
    let names = tests::fixture_spec_names();
    assert!(names.len() >= 10, "fixture specs: {names:?}");
    let mut with_types = 0;
    for name in names {
        let api = fixture_ir(&name);
        // `no_json_payloads` has none, on purpose.
        with_types += usize::from(!api.types.is_empty());
        for type_name in api.types.keys() {
            // Rendering parses the tokens as Rust, so this fails on any
            // emitted item that is not valid syntax.
            generator::render_type(&api, type_name)
                .unwrap_or_else(|err| panic!("fixture {name}, type {type_name}: {err}"));
        }
    }
    assert!(with_types >= 10, "only {with_types} fixtures define types");
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let mut specs: Vec<(String, generator::Spec, generator::Options)> = tests::fixture_spec_names()
        .into_iter()
        .map(|name| {
            let options = tests::fixture_options(&name);
            (name.clone(), tests::load_fixture(&name), options)
        })
        .collect();
    specs.push((
        "the spec".to_owned(),
        tests::load_real_spec(),
        tests::xtask_options(),
    ));
    for (name, spec, options) in &specs {
        let first = generator::generate(spec, options).unwrap();
        let second = generator::generate(spec, options).unwrap();
        assert_eq!(first, second, "{name}: two runs differ");
        // A fresh parse of the same text must not change anything either.
        let reloaded = generator::load_file(&spec.path).unwrap();
        assert_eq!(
            generator::generate(&reloaded, options).unwrap(),
            first,
            "{name}"
        );
        assert_eq!(
            generator::build_ir(spec).unwrap(),
            generator::build_ir(&reloaded).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn null_admitted_outside_fields_becomes_an_option_in_place() {
    let nullable = |ty: TypeRef| TypeRef::Nullable(Box::new(ty));
    let array = |ty: TypeRef| TypeRef::Array(Box::new(ty));
    let map = |ty: TypeRef| TypeRef::Map(Box::new(ty));
    for fixture in ["nullable_items", "nullable_items_31"] {
        let api = fixture_ir(fixture);
        let (batch, alias) = if fixture == "nullable_items" {
            ("Batch", "NullableStrings")
        } else {
            ("Collection", "OptionalNumbers")
        };
        let s = struct_of(&api, batch);
        assert_eq!(
            field(s, "documents").ty,
            array(nullable(string())),
            "{fixture}"
        );
        let labels = &field(s, "labels").ty;
        assert_eq!(*labels, map(nullable(string())), "{fixture}");
        let item = if fixture == "nullable_items" {
            string()
        } else {
            TypeRef::Number
        };
        assert_eq!(*alias_of(&api, alias), array(nullable(item)), "{fixture}");
        // A field's own nullability stays on the field, never in its type.
        for def in api.types.values() {
            if let generator::ir::TypeKind::Struct(s) = &def.kind {
                for f in &s.fields {
                    assert!(
                        !matches!(f.ty, TypeRef::Nullable(_)),
                        "{fixture}: {}.{}",
                        def.name,
                        f.name
                    );
                }
            }
        }
    }

    let api = fixture_ir("nullable_items");
    let s = struct_of(&api, "Batch");
    let number = nullable(TypeRef::Number);
    assert_eq!(field(s, "grid").ty, array(array(number)));
    let rows = nullable(array(TypeRef::Integer { bits: 64 }));
    assert_eq!(field(s, "rows").ty, array(rows));
    let groups = map(array(nullable(TypeRef::Boolean)));
    assert_eq!(field(s, "groups").ty, groups);
    assert_eq!(field(s, "related").ty, array(nullable(named("Document"))));
    assert_eq!(field(s, "parents").ty, array(nullable(named("Owner"))));
    for wire in ["states", "choices"] {
        let TypeRef::Array(item) = &field(s, wire).ty else {
            panic!("{wire} is a list");
        };
        assert!(
            matches!(item.as_ref(), TypeRef::Nullable(inner) if matches!(inner.as_ref(), TypeRef::Named(_))),
            "{wire}: {item:?}"
        );
    }
    // A union with a nullable member admits null where it is used.
    assert!(field(s, "owner").nullable);
    let scores = struct_of(&api, "Scores");
    let extra = scores.additional.as_ref().expect("a flattened map");
    assert_eq!(extra.ty, map(nullable(TypeRef::Integer { bits: 64 })));
    assert_eq!(
        *alias_of(&api, "Names"),
        array(nullable(named("NullableName")))
    );
    let nullable_types: Vec<&str> = api.nullable_types.iter().map(String::as_str).collect();
    assert_eq!(nullable_types, ["Document", "MaybeOwner", "NullableName"]);
    // Parameters and bodies.
    let op = |id: &str| api.operations.iter().find(|o| o.id == id).unwrap();
    let query = op("listDocuments").query.as_ref().unwrap();
    assert_eq!(query.params[0].ty, array(nullable(string())));
    let TypeRef::Named(request) = &op("createDocuments").body.as_ref().unwrap().ty else {
        panic!("an alias for the request body");
    };
    let integers = array(nullable(TypeRef::Integer { bits: 64 }));
    assert_eq!(*alias_of(&api, request), integers);
    let latest = op("getLatestDocument")
        .success()
        .unwrap()
        .body
        .clone()
        .unwrap();
    let TypeRef::Named(latest) = latest else {
        panic!("an alias for the body");
    };
    assert_eq!(*alias_of(&api, &latest), nullable(named("Document")));
    let rendered = render(&api, "Batch");
    assert_contains(&rendered, "pub documents: Vec<Option<String>>,");
    assert_contains(
        &rendered,
        "pub labels: Option<std::collections::BTreeMap<String, Option<String>>>,",
    );

    let api = fixture_ir("nullable_items_31");
    let s = struct_of(&api, "Collection");
    let matrix = array(nullable(array(nullable(TypeRef::Number))));
    assert_eq!(field(s, "matrix").ty, matrix);
    assert_eq!(
        field(s, "records").ty,
        array(nullable(named("MaybeRecord")))
    );
    for wire in ["nothing", "levels", "mixed"] {
        assert!(
            matches!(&field(s, wire).ty, TypeRef::Array(item) if matches!(item.as_ref(), TypeRef::Nullable(_) | TypeRef::Any)),
            "{wire}: {:?}",
            field(s, wire).ty
        );
    }
    let tally = struct_of(&api, "Tally");
    let extra = tally.additional.as_ref().expect("a flattened map");
    assert_eq!(extra.ty, map(nullable(TypeRef::Integer { bits: 64 })));
}
