//! CRUD-shaped resources, as the live run's operation graph
//! ([`contract::graph`]) infers them, in the terms the stored state needs.
//!
//! The graph says which operation creates, lists, retrieves, updates and
//! deletes which resource, how resources nest, which field holds an
//! item's id and where items sit in create, retrieve and list bodies
//! (`""`, `/data`, …). Read here from the IR: where the item sits in an
//! update's or delete's body, the kind of id to generate (uuid, integer,
//! text) and the `readOnly` fields a replacing update keeps.

use super::query::resolve;
use contract::graph::{self, Graph};
use generator::ir::{Api, Method, StructDef, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// What an operation does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// POST on the collection.
    Create,
    /// GET on the collection.
    List,
    /// GET on the item.
    Retrieve,
    /// PATCH (`replace: false`) or PUT (`replace: true`) on the item.
    Update {
        /// Whether the body replaces the item (PUT) rather than patching it.
        replace: bool,
    },
    /// DELETE on the item.
    Delete,
    /// Any other operation under an item (`POST /a/{id}/enable`, `GET
    /// /a/{id}/stats`): the item must exist.
    Action,
}

/// How ids of new items are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A uuid (`format: uuid`).
    Uuid,
    /// An integer counter.
    Integer,
    /// Unique text.
    Text,
}

/// One inferred resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The collection's path template with parameter names blanked
    /// (`/a/{}/b`), to name the resource in logs and `Debug` output.
    pub collection: String,
    /// The singular name (`b` of `/a/{a_id}/bs`), for generated text ids.
    pub singular: String,
    /// The enclosing resource (index), if its item path is this
    /// collection's prefix.
    pub parent: Option<usize>,
    /// How many path parameters the collection path has (the scope key).
    pub scope_len: usize,
    /// The id's pointer in an item (`/id`), if the item has an id field.
    pub id_field: Option<String>,
    /// What ids look like.
    pub id_kind: IdKind,
    /// `readOnly` fields of the item, kept by a replacing update.
    pub read_only: BTreeSet<String>,
    /// Whether some operation creates items (else the engine does not
    /// keep state for it).
    pub creatable: bool,
    /// Where a create's request names the new item's id, when its
    /// response does not carry the item (`/name`): the client chooses it.
    pub request_id: Option<String>,
}

/// The role of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRole {
    /// What it does.
    pub role: Role,
    /// Its resource (index into [`Resources::resources`]).
    pub resource: usize,
    /// Where the item sits in its success body (`""`, `/data`); `None`
    /// when the body does not carry the item.
    pub item_pointer: Option<String>,
    /// For a list, where the items sit (`""` for a bare array).
    pub list_pointer: Option<String>,
}

/// Every inferred resource, and each operation's role.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// The resources, parents before children.
    pub resources: Vec<Resource>,
    /// By operation index.
    pub roles: Vec<Option<OperationRole>>,
}

impl Resources {
    /// The resources of `api` as `graph` found them.
    pub fn from_graph(api: &Api, graph: &Graph) -> Self {
        let resources = graph
            .resources
            .iter()
            .enumerate()
            .map(|(index, found)| describe(api, graph, index, found))
            .collect();
        let roles = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(index, node)| role_of(api, graph, index, node))
            .collect();
        Self { resources, roles }
    }

    /// The role of operation `index`, if it is CRUD-shaped.
    pub fn role(&self, index: usize) -> Option<&OperationRole> {
        self.roles.get(index)?.as_ref()
    }
}

fn describe(api: &Api, graph: &Graph, index: usize, found: &graph::Resource) -> Resource {
    // The graph reads a new item's id from the create's request when its
    // response has none; the store keys the item by the same value.
    let request_id = graph
        .nodes
        .iter()
        .flat_map(|node| &node.inputs)
        .filter(|input| input.resource == Some(index))
        .find_map(|input| match &input.source {
            graph::Source::Created {
                expression: graph::Expression::RequestBody(pointer),
                ..
            } => Some(pointer.clone()),
            _ => None,
        });
    let noun = found
        .collection
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("item");
    let mut resource = Resource {
        collection: graph::template_key(&found.collection),
        singular: graph::singular(noun),
        parent: found.parent,
        scope_len: graph::param_count(&found.collection),
        id_field: found
            .id_field
            .as_ref()
            .map(|field| format!("/{}", generator::pointer::escape_token(field))),
        id_kind: IdKind::Text,
        read_only: BTreeSet::new(),
        creatable: found.create.is_some(),
        request_id,
    };
    // The item's type, from the retrieve's or the create's body.
    let item = [
        (found.retrieve, &found.retrieved_item),
        (found.create, &found.created_item),
    ]
    .into_iter()
    .find_map(|(op, pointer)| {
        let body = api.operations.get(op?)?.success()?.body.as_ref()?;
        struct_of(api, field_type(api, body, pointer.as_deref()?)?)
    });
    if let Some(item) = item {
        let id = found
            .id_field
            .as_ref()
            .and_then(|name| item.fields.iter().find(|f| &f.wire_name == name));
        resource.id_kind = match id.map(|f| resolve(api, &f.ty)) {
            Some(TypeRef::Integer { .. }) => IdKind::Integer,
            Some(TypeRef::String {
                format: Some(format),
            }) if format == "uuid" => IdKind::Uuid,
            _ => IdKind::Text,
        };
        resource.read_only = item
            .fields
            .iter()
            .filter(|f| f.read_only)
            .map(|f| f.wire_name.clone())
            .collect();
    }
    resource
}

fn role_of(api: &Api, graph: &Graph, index: usize, node: &graph::Node) -> Option<OperationRole> {
    let resource = node.resource?;
    let found = graph.resources.get(resource)?;
    let op = api.operations.get(index)?;
    let own_item = || {
        op.success()
            .and_then(|r| r.body.as_ref())
            .and_then(|ty| item_location(api, ty))
    };
    let (role, item_pointer, list_pointer) = match node.role {
        graph::Role::Create => (Role::Create, found.created_item.clone(), None),
        graph::Role::List => (Role::List, None, Some(found.list_items.clone()?)),
        graph::Role::Retrieve => (Role::Retrieve, found.retrieved_item.clone(), None),
        graph::Role::Update => (
            Role::Update {
                replace: op.method == Method::Put,
            },
            own_item(),
            None,
        ),
        graph::Role::Delete => (Role::Delete, own_item(), None),
        graph::Role::Action | graph::Role::Read => {
            let scope_len = graph::param_count(&found.collection);
            // Only under an item of the resource (not a read beside it).
            if op.path_params.len() <= scope_len {
                return None;
            }
            (Role::Action, own_item(), None)
        }
        graph::Role::Write => return None,
    };
    Some(OperationRole {
        role,
        resource,
        item_pointer,
        list_pointer,
    })
}

fn struct_of<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<&'a StructDef> {
    match &generator::ir::struct_behind(&api.types, ty)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// Whether an object looks like an item: it has an id-like field.
fn has_id(s: &StructDef) -> bool {
    s.fields.iter().any(|f| is_id_name(&f.wire_name))
}

fn is_id_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "id" || lower == "uuid" || lower.ends_with("_id") || name.ends_with("Id")
}

/// Where the item sits in a body: `""` for an item itself, `/data` (or
/// another envelope field) around one.
fn item_location(api: &Api, ty: &TypeRef) -> Option<String> {
    let s = struct_of(api, ty)?;
    if s.fields.iter().any(|f| f.wire_name == "id") || (has_id(s) && !is_envelope(api, s)) {
        return Some(String::new());
    }
    for name in graph::ITEM_FIELDS {
        if let Some(field) = s.fields.iter().find(|f| f.wire_name == name) {
            if struct_of(api, &field.ty).is_some() {
                return Some(format!("/{name}"));
            }
        }
    }
    (!is_envelope(api, s)).then(String::new)
}

/// Whether an object wraps its content in an item field.
fn is_envelope(api: &Api, s: &StructDef) -> bool {
    s.fields.iter().any(|f| {
        graph::ITEM_FIELDS.contains(&f.wire_name.as_str()) && struct_of(api, &f.ty).is_some()
    })
}

/// The type at `/field` of a body (`""`: the body's own).
fn field_type<'a>(api: &'a Api, body: &'a TypeRef, pointer: &str) -> Option<&'a TypeRef> {
    let Some(name) = pointer.strip_prefix('/') else {
        return Some(body);
    };
    struct_of(api, body)?
        .fields
        .iter()
        .find(|f| f.wire_name == name)
        .map(|f| &f.ty)
}
