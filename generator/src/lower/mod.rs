//! Step 2: the OpenAPI document → the intermediate representation.
//!
//! Components are named first (so references can be written before their
//! targets are lowered), then lowered in document order, then operations.
//! An inline schema that repeats a component uses the component's type
//! (`same_shape`). A last pass decides which types can implement `Default` and which
//! recursive fields need a `Box`, and the document's examples are
//! collected with the schemas they illustrate. Webhooks and callbacks
//! (`webhooks`) come after the operations.

mod all_of;
mod composition;
mod discriminator;
mod event_tags;
mod examples;
mod graph;
mod nullable;
mod operation;
mod pagination;
mod path_segment;
mod same_shape;
mod schema;
mod schema_docs;
mod security;
mod webhooks;

use crate::error::{Result, Warning};
use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use crate::load::Spec;
use crate::names::{self, Namespace};
use crate::pointer::join;
use crate::refs::{Resolver, SchemaRef};
use std::collections::BTreeMap;

/// Builds the IR for a loaded spec.
pub fn build(spec: &Spec) -> Result<Api> {
    let doc = &spec.document;
    let (operation_ids, warnings) = operation_ids(doc);
    let webhook_items = webhooks::WebhookItems::read(spec)?;
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    let inline_components = schemas
        .into_iter()
        .flatten()
        .filter_map(|(key, schema)| schema.as_item().map(|schema| (key, schema)));
    let mut lowering = Lowering {
        component_shapes: same_shape::ComponentShapes::new(inline_components),
        resolver: Resolver::new(doc),
        type_names: type_namespace(&operation_ids),
        operation_ids,
        warnings,
        component_names: BTreeMap::new(),
        reserved: BTreeMap::new(),
        inline_cache: BTreeMap::new(),
        types: BTreeMap::new(),
    };

    for key in schemas.into_iter().flat_map(|s| s.keys()) {
        let name = lowering.type_names.claim(names::type_name(key));
        let pointer = join("#/components/schemas", &[key]);
        lowering.reserved.insert(pointer, name.clone());
        lowering.component_names.insert(key.clone(), name);
    }
    for (key, schema) in schemas.into_iter().flatten() {
        let pointer = join("#/components/schemas", &[key]);
        let name = lowering.component_type_name(key);
        lowering.lower_component(&name, schema.into(), &pointer)?;
    }

    let operations = lowering.lower_operations(doc)?;
    let webhooks = lowering.lower_webhooks(doc, &webhook_items)?;
    let mut nullable_types = std::collections::BTreeSet::new();
    for (key, schema) in schemas.into_iter().flatten() {
        if lowering.admits_null(schema.into()) {
            nullable_types.insert(lowering.component_type_name(key));
        }
    }
    let mut types = lowering.types;
    for (key, name) in &lowering.component_names {
        let pointer = join("#/components/schemas", &[key]);
        if let Some(def) = types.get_mut(name).filter(|def| def.pointer == pointer) {
            def.component = Some(key.clone());
            if let Some(note) = lowering.type_names.rename_note(key, name) {
                def.docs = Some(match def.docs.take() {
                    Some(docs) => format!("{docs}\n\n{note}"),
                    None => note,
                });
            }
        }
    }
    graph::box_recursive_fields(&mut types);
    graph::mark_defaults(&mut types);
    pagination::check_page_defaults(&operations, &types)?;
    let examples = examples::collect(doc, &operations);
    let security_schemes = security::used_schemes(doc, &operations);

    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc
            .info
            .description
            .as_deref()
            .and_then(crate::docs::markdown),
        servers: doc.servers.iter().map(|s| s.url.clone()).collect(),
        types,
        operations,
        examples,
        nullable_types,
        warnings: lowering.warnings,
        request_id_header: request_id_header(doc),
        security_schemes,
        webhooks,
    })
}

/// The first response header, in document order (operations' responses,
/// then `components.responses`), whose name reads as a request id.
fn request_id_header(doc: &openapiv3::OpenAPI) -> Option<String> {
    let operations = doc
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().map(|(_, op)| op));
    let responses = operations
        .flat_map(|op| op.responses.responses.values().chain(&op.responses.default))
        .filter_map(|response| response.as_item())
        .chain(
            doc.components
                .iter()
                .flat_map(|c| c.responses.values())
                .filter_map(|response| response.as_item()),
        );
    responses
        .flat_map(|response| response.headers.keys())
        .find(|name| {
            let bare: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            bare.contains("requestid")
        })
        .cloned()
}

/// The operationId of every operation, in document order: as written, or
/// from the method and path when it is missing or already used (with a
/// warning for the second use).
fn operation_ids(doc: &openapiv3::OpenAPI) -> (Vec<String>, Vec<Warning>) {
    let mut ids = Vec::new();
    let mut warnings = Vec::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, op) in item.iter() {
            let pointer = join("#/paths", &[path, method]);
            let fallback = names::default_operation_id(method, path);
            let mut id = op.operation_id.clone().unwrap_or_else(|| fallback.clone());
            if let Some(first) = taken.get(&id) {
                let mut renamed = fallback.clone();
                let mut n = 2;
                while taken.contains_key(&renamed) {
                    renamed = format!("{fallback}{n}");
                    n += 1;
                }
                warnings.push(Warning {
                    pointer: join(&pointer, &["operationId"]),
                    message: format!(
                        "operationId `{id}` is also used at {first}; this operation is named `{renamed}`"
                    ),
                });
                id = renamed;
            }
            taken.insert(id.clone(), pointer);
            ids.push(id);
        }
    }
    (ids, warnings)
}

/// The scope of the type names: every name the generated code uses for
/// something else is reserved ([`Namespace::for_types`]), the error enums'
/// names too (`errors::{OperationId}Error`), so that no type is named like
/// one of them.
fn type_namespace(ids: &[String]) -> Namespace {
    let mut namespace = Namespace::for_types();
    for (id, error_enum) in ids
        .iter()
        .zip(names::error_enum_names(ids.iter().map(String::as_str)))
    {
        namespace.reserve_for(
            &error_enum,
            &format!("the name of the error enum of operation `{id}`"),
        );
    }
    namespace
}

/// State while lowering one document.
struct Lowering<'a> {
    resolver: Resolver<'a>,
    /// Every Rust type name handed out so far.
    type_names: Namespace,
    /// Component schema key → Rust type name.
    component_names: BTreeMap<String, String>,
    /// Component pointer → the name reserved for the type it defines,
    /// until that type is defined.
    reserved: BTreeMap<String, String>,
    /// Schemas written in place that were already lowered, by pointer (a
    /// shared parameter or response is reached once per operation).
    inline_cache: BTreeMap<String, TypeRef>,
    /// The named types built so far.
    types: BTreeMap<String, TypeDef>,
    /// The component schemas that an inline schema may repeat
    /// ([`same_shape`]).
    component_shapes: same_shape::ComponentShapes,
    /// Each operation's id, in document order ([`operation_ids`]).
    operation_ids: Vec<String>,
    /// What was read past so far.
    warnings: Vec<Warning>,
}

impl<'a> Lowering<'a> {
    /// The Rust name given to a component schema.
    fn component_type_name(&self, key: &str) -> String {
        self.component_names
            .get(key)
            .cloned()
            .unwrap_or_else(|| names::type_name(key))
    }

    /// The name for a type defined by the schema at `pointer`: the name
    /// reserved for it if it is a component, else a fresh one from `hint`.
    fn name_for(&mut self, pointer: &str, hint: &str) -> String {
        match self.reserved.remove(pointer) {
            Some(name) => name,
            None => self.type_names.claim(names::type_name(hint)),
        }
    }

    /// Lowers a component schema so that it is defined under `name`.
    fn lower_component(&mut self, name: &str, item: SchemaRef<'a>, pointer: &str) -> Result<()> {
        let lowered = self.lower_schema_ref(item, pointer, name)?;
        if self.reserved.remove(pointer).is_some() {
            // The schema made no type of its own (a reference, a primitive,
            // an array, a map): the component is an alias.
            let docs = match item {
                SchemaRef::Inline(schema) => schema_docs::type_docs(&schema.schema_data, name),
                SchemaRef::Ref(reference) => Some(format!("Another name for `{reference}`.")),
            };
            self.types.insert(
                name.to_owned(),
                TypeDef {
                    name: name.to_owned(),
                    pointer: pointer.to_owned(),
                    component: None,
                    docs,
                    kind: TypeKind::Alias(lowered.ty),
                    has_default: false,
                },
            );
        }
        Ok(())
    }
}
