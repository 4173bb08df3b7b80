//! CRUD-shaped resources, inferred from the document's paths and
//! response shapes (the same rules as the live run's operation graph).
//!
//! A path ending in a parameter (`/a/{a_id}/b/{b_id}`) is an item of the
//! collection before it (`/a/{a_id}/b`); a POST on the collection creates
//! one, a GET lists them, and GET, PATCH, PUT and DELETE on the item
//! retrieve, update, replace and delete one. A collection under another
//! resource's item is nested in it. Where the item sits in a response
//! (`""` or `/data`), where a list's items sit (`""` for a bare array,
//! `/data`, `/items`…) and which field holds the id (`/id`, `/note_id`…)
//! are read from the response types.

use generator::ir::{Api, Method, Operation, StructDef, TypeKind, TypeRef};
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
    /// (`/a/{}/b`), the resource's key.
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

/// Field names that hold a list's items, in order of preference.
const LIST_FIELDS: [&str; 8] = [
    "data", "items", "results", "records", "entries", "values", "content", "list",
];
/// Field names that hold an item in an envelope, in order of preference.
const ITEM_FIELDS: [&str; 5] = ["data", "item", "result", "resource", "object"];

/// A template's segments with parameter names blanked.
fn normalize(segments: &[&str]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        if segment.starts_with('{') && segment.ends_with('}') {
            out.push_str("{}");
        } else {
            out.push_str(segment);
        }
    }
    out
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word.strip_suffix("sses") {
        format!("{stem}ss")
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

impl Resources {
    /// Infers the resources of `api`.
    pub fn infer(api: &Api) -> Self {
        // Collections: paths of items (ending in a parameter) without that
        // last segment, shortest first so parents come first.
        let mut collections: Vec<String> = api
            .operations
            .iter()
            .filter_map(|op| {
                let segs = segments(&op.path);
                let (last, before) = segs.split_last()?;
                (is_param(last) && !before.is_empty() && !is_param(before[before.len() - 1]))
                    .then(|| normalize(before))
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        collections.sort_by_key(|c| (c.matches('/').count(), c.clone()));
        let mut resources: Vec<Resource> = collections
            .iter()
            .map(|collection| {
                let segs = segments(collection);
                let last = segs.last().copied().unwrap_or("item");
                Resource {
                    collection: collection.clone(),
                    singular: singular(last),
                    parent: None,
                    scope_len: segs.iter().filter(|s| is_param(s)).count(),
                    id_field: None,
                    id_kind: IdKind::Text,
                    read_only: BTreeSet::new(),
                    creatable: false,
                }
            })
            .collect();
        for index in 0..resources.len() {
            let segs = segments(&resources[index].collection);
            // `/a/{}/b`'s parent is the resource whose items are `/a/{}`.
            let parent_item = segs
                .iter()
                .rposition(|s| is_param(s))
                .map(|at| normalize(&segs[..at]));
            resources[index].parent = parent_item.and_then(|item_collection| {
                resources
                    .iter()
                    .position(|r| r.collection == item_collection)
            });
        }
        let roles: Vec<Option<OperationRole>> = api
            .operations
            .iter()
            .map(|op| role_of(api, op, &resources))
            .collect();
        for (op, role) in api.operations.iter().zip(&roles) {
            let Some(role) = role else { continue };
            let resource = &mut resources[role.resource];
            if role.role == Role::Create {
                resource.creatable = true;
            }
            if resource.id_field.is_none() {
                describe_item(api, op, role, resource);
            }
        }
        Self { resources, roles }
    }

    /// The role of operation `index`, if it is CRUD-shaped.
    pub fn role(&self, index: usize) -> Option<&OperationRole> {
        self.roles.get(index)?.as_ref()
    }
}

fn role_of(api: &Api, op: &Operation, resources: &[Resource]) -> Option<OperationRole> {
    let segs = segments(&op.path);
    let (last, before) = segs.split_last()?;
    let (role, collection) = if is_param(last) {
        let role = match op.method {
            Method::Get => Role::Retrieve,
            Method::Patch => Role::Update { replace: false },
            Method::Put => Role::Update { replace: true },
            Method::Delete => Role::Delete,
            _ => return None,
        };
        (role, normalize(before))
    } else {
        let role = match op.method {
            Method::Get => Role::List,
            Method::Post => Role::Create,
            _ => return None,
        };
        (role, normalize(&segs))
    };
    let resource = resources.iter().position(|r| r.collection == collection)?;
    let body = op.success().and_then(|r| r.body.as_ref());
    let (item_pointer, list_pointer) = match role {
        Role::List => (None, Some(body.and_then(|ty| list_location(api, ty))?)),
        _ => (body.and_then(|ty| item_location(api, ty)), None),
    };
    Some(OperationRole {
        role,
        resource,
        item_pointer,
        list_pointer,
    })
}

/// Follows aliases and boxes.
fn resolve<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..32 {
        match ty {
            TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(name) => match api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
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
    for name in ITEM_FIELDS {
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
    s.fields
        .iter()
        .any(|f| ITEM_FIELDS.contains(&f.wire_name.as_str()) && struct_of(api, &f.ty).is_some())
}

/// Where a list's items sit: `""` for a bare array, else the array field.
fn list_location(api: &Api, ty: &TypeRef) -> Option<String> {
    if matches!(resolve(api, ty), TypeRef::Array(_)) {
        return Some(String::new());
    }
    let s = struct_of(api, ty)?;
    let arrays: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| matches!(resolve(api, &f.ty), TypeRef::Array(_)))
        .map(|f| f.wire_name.as_str())
        .collect();
    LIST_FIELDS
        .iter()
        .find(|name| arrays.contains(name))
        .or(arrays.first())
        .map(|name| format!("/{name}"))
}

/// Reads the item's id field, its kind and its read-only fields from the
/// operation's success body.
fn describe_item(api: &Api, op: &Operation, role: &OperationRole, resource: &mut Resource) {
    let Some(body) = op.success().and_then(|r| r.body.as_ref()) else {
        return;
    };
    let item_ty = match (&role.item_pointer, &role.list_pointer) {
        (Some(pointer), _) => field_type(api, body, pointer),
        (None, Some(pointer)) => match field_type(api, body, pointer) {
            Some(list) => match resolve(api, list) {
                TypeRef::Array(item) => Some(item.as_ref()),
                _ => None,
            },
            None => None,
        },
        _ => None,
    };
    let Some(item) = item_ty.and_then(|ty| struct_of(api, ty)) else {
        return;
    };
    // The path parameter's own name first (`{note_id}` → `note_id`), then
    // `id`, `{singular}_id`, then other usual names.
    let param = op
        .path_params
        .get(resource.scope_len)
        .map(|p| p.wire_name.as_str());
    let own = format!("{}_id", resource.singular);
    let candidates = [
        param.unwrap_or("id"),
        "id",
        own.as_str(),
        "uuid",
        "name",
        "key",
        "slug",
    ];
    let Some(field) = candidates
        .iter()
        .find_map(|name| item.fields.iter().find(|f| f.wire_name == *name))
    else {
        return;
    };
    resource.id_field = Some(format!(
        "/{}",
        generator::pointer::escape_token(&field.wire_name)
    ));
    resource.id_kind = match resolve(api, &field.ty) {
        TypeRef::Integer { .. } => IdKind::Integer,
        TypeRef::String {
            format: Some(format),
        } if format == "uuid" => IdKind::Uuid,
        _ => IdKind::Text,
    };
    resource.read_only = item
        .fields
        .iter()
        .filter(|f| f.read_only)
        .map(|f| f.wire_name.clone())
        .collect();
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
