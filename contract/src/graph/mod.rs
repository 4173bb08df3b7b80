//! The operation graph: what each operation does to which resource, and
//! where the values of its path parameters (and required query
//! parameters) come from.
//!
//! Read from the spec alone, for any API, in three steps:
//!
//! 1. **Resources from paths.** A path whose last segment is a parameter
//!    (`/a/{a_id}/b/{b_id}`) is an *item* of the collection before it
//!    (`/a/{a_id}/b`); a collection under an item (`/a/{a_id}` → `/a/{a_id}/b`)
//!    is a child of that item's resource. On a collection, `GET` lists and
//!    `POST` creates; on an item, `GET` retrieves, `PUT`/`PATCH` update and
//!    `DELETE` deletes. Anything else under an item is an action (or a
//!    read, for `GET`). A write on a path without parameters that is neither
//!    the create of a listed collection (one with a `GET` or items) nor
//!    documented as a create (a `201`) is *guarded* (e.g. `POST /reset`): a
//!    live run sends it only when it is named.
//! 2. **Sources of values**, for each parameter, the first that applies:
//!    an OpenAPI `link` to the operation that names the parameter; the
//!    path hierarchy (the create of the parameter's resource, reading the
//!    item's id field from its response, or from its request when the
//!    response has none); a field of that resource's list (`/data/0/id`);
//!    else the spec (the parameter's example, or a value built from its
//!    schema).
//! 3. **Id fields by name**: for a parameter `b_id` (or `bId`, `b`,
//!    `b_name`) the item's field named exactly so, else `id` (`name` first
//!    when the parameter names a name or is a bare noun), `uuid`, `key`,
//!    `slug`; the item is the response body or the object under `data`,
//!    `item`, `result`…; a list's items are the body or its array under
//!    `data`, `items`, `results`, the collection's name ….
//!
//! Every choice is kept with the reason ([`Source`], [`Input::explain`]),
//! so a report can say where each value came from and a user can correct
//! a wrong guess with a link in their spec.

mod items;
pub(crate) mod links;
pub(crate) mod schema_view;

pub(crate) use items::id_candidates;
use items::{LIST_FIELDS, find_item, find_items};

use crate::{ContractValidator, Target};
use generator::ir::{Api, Method, Operation, Status};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// `POST` on a collection: adds an item.
    Create,
    /// `GET` on a collection.
    List,
    /// `GET` on an item.
    Retrieve,
    /// `PUT` or `PATCH` on an item.
    Update,
    /// `DELETE` on an item.
    Delete,
    /// Any other write under an item (`POST /a/{id}/enable`).
    Action,
    /// Any other `GET`.
    Read,
    /// A write on a path without parameters that is not a create.
    Write,
}

impl Role {
    /// Whether the role changes data on the server.
    pub fn writes(self) -> bool {
        !matches!(self, Role::List | Role::Retrieve | Role::Read)
    }
}

/// A CRUD-shaped resource: a collection and (usually) its items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// The collection's path template as the spec writes it (`/a/{a_id}/b`).
    pub collection: String,
    /// The item's path template (`/a/{a_id}/b/{b_id}`), if any operation
    /// has one.
    pub item: Option<String>,
    /// The item's path parameter (`b_id`).
    pub id_param: Option<String>,
    /// The resource whose item the collection lives under.
    pub parent: Option<usize>,
    /// The create operation (index into `Api::operations`).
    pub create: Option<usize>,
    /// The list operation.
    pub list: Option<usize>,
    /// The retrieve operation.
    pub retrieve: Option<usize>,
    /// The update operations.
    pub updates: Vec<usize>,
    /// The delete operation.
    pub delete: Option<usize>,
    /// The item's field that holds its id (`id`, `name`, …).
    pub id_field: Option<String>,
    /// Where the item is in the create's success body (`""` for the body
    /// itself, `/data` for an envelope).
    pub created_item: Option<String>,
    /// Where the item is in the retrieve's success body.
    pub retrieved_item: Option<String>,
    /// Where the items are in the list's success body (`""` for a bare
    /// array, `/data` …).
    pub list_items: Option<String>,
}

/// A runtime expression of OpenAPI links (a subset): where a value is
/// read in another operation's exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", content = "at", rename_all = "snake_case")]
pub enum Expression {
    /// `$response.body#/pointer`.
    ResponseBody(String),
    /// `$request.body#/pointer`.
    RequestBody(String),
    /// `$request.path.name`.
    RequestPath(String),
    /// `$request.query.name`.
    RequestQuery(String),
    /// `$response.header.name`.
    ResponseHeader(String),
}

impl std::fmt::Display for Expression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expression::ResponseBody(pointer) => write!(f, "$response.body#{pointer}"),
            Expression::RequestBody(pointer) => write!(f, "$request.body#{pointer}"),
            Expression::RequestPath(name) => write!(f, "$request.path.{name}"),
            Expression::RequestQuery(name) => write!(f, "$request.query.{name}"),
            Expression::ResponseHeader(name) => write!(f, "$response.header.{name}"),
        }
    }
}

/// Where a parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// An OpenAPI link of `operation`'s response, named `link`.
    Link {
        /// The operation whose exchange supplies the value.
        operation: usize,
        /// The link's name.
        link: String,
        /// What it reads.
        expression: Expression,
    },
    /// The path hierarchy: the create of the parameter's resource.
    Created {
        /// The create operation.
        operation: usize,
        /// What it reads.
        expression: Expression,
    },
    /// A field found by name in another operation's response (a list).
    Field {
        /// The operation whose response has the field.
        operation: usize,
        /// What it reads.
        expression: Expression,
    },
    /// Nothing supplies it: the parameter's example, or a value built
    /// from its schema.
    Spec,
}

impl Source {
    /// The operation that supplies the value, if any.
    pub fn operation(&self) -> Option<usize> {
        match self {
            Source::Link { operation, .. }
            | Source::Created { operation, .. }
            | Source::Field { operation, .. } => Some(*operation),
            Source::Spec => None,
        }
    }

    /// What it reads, if it reads another exchange.
    pub fn expression(&self) -> Option<&Expression> {
        match self {
            Source::Link { expression, .. }
            | Source::Created { expression, .. }
            | Source::Field { expression, .. } => Some(expression),
            Source::Spec => None,
        }
    }
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// In the path.
    Path,
    /// In the query string.
    Query,
}

/// One value an operation needs, and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// The parameter's name on the wire.
    pub name: String,
    /// Path or query.
    pub location: Location,
    /// The resource whose item this parameter names, if it names one.
    pub resource: Option<usize>,
    /// Where the value comes from.
    pub source: Source,
}

impl Input {
    /// A sentence on where the value comes from, for reports:
    /// `tenant_id from CreateTenant $response.body#/id (path hierarchy)`.
    pub fn explain(&self, api: &Api) -> String {
        let op_name = |index: usize| {
            api.operations
                .get(index)
                .map_or("?", |op| op.id.as_str())
                .to_owned()
        };
        match &self.source {
            Source::Link {
                operation,
                link,
                expression,
            } => format!(
                "{} from {} {expression} (link `{link}`)",
                self.name,
                op_name(*operation)
            ),
            Source::Created {
                operation,
                expression,
            } => format!(
                "{} from {} {expression} (path hierarchy)",
                self.name,
                op_name(*operation)
            ),
            Source::Field {
                operation,
                expression,
            } => format!(
                "{} from {} {expression} (field name)",
                self.name,
                op_name(*operation)
            ),
            Source::Spec => format!("{} from the spec (example or schema)", self.name),
        }
    }
}

/// What the graph knows of one operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// What it does.
    pub role: Role,
    /// The resource it acts on (for an action or read under an item, that
    /// item's resource).
    pub resource: Option<usize>,
    /// Its path parameters (template order), then its required query
    /// parameters.
    pub inputs: Vec<Input>,
    /// Why a live run sends it only when it is named (see [`Role::Write`]).
    pub guarded: Option<String>,
}

/// The graph of a whole API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graph {
    /// One node per operation, in the order of `Api::operations`.
    pub nodes: Vec<Node>,
    /// The resources found.
    pub resources: Vec<Resource>,
}

/// A path template's segments, parameters written `{}` (so that two
/// operations naming a parameter differently share a resource).
fn normalized(segments: &[&str]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(if param_name(segment).is_some() {
            "{}"
        } else {
            segment
        });
    }
    out
}

fn param_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The first documented 2xx status with a JSON body schema.
fn success_target(op: &Operation) -> Option<Target> {
    op.responses
        .iter()
        .find(|r| r.status.is_success() && r.schema_pointer.is_some())
        .map(|r| Target::Response {
            operation: op.id.clone(),
            status: r.status,
        })
}

impl Graph {
    /// Works out the graph of `api` (whose schemas `validator` holds) and
    /// `document` (the spec as JSON, for its links).
    pub fn new(api: &Api, validator: &ContractValidator, document: &Value) -> Self {
        let mut builder = Builder {
            api,
            validator,
            resources: Vec::new(),
            by_collection: BTreeMap::new(),
        };
        let roles = builder.roles();
        builder.find_id_fields();
        let links = links::collect(api, document);
        let nodes = api
            .operations
            .iter()
            .enumerate()
            .map(|(index, op)| {
                let (role, resource, guarded) = roles[index].clone();
                Node {
                    role,
                    resource,
                    inputs: builder.inputs(index, op, &links),
                    guarded,
                }
            })
            .collect();
        Self {
            nodes,
            resources: builder.resources,
        }
    }

    /// Resources ordered parents first (ties in the order found).
    pub fn resource_order(&self) -> Vec<usize> {
        let depth = |mut index: usize| {
            let mut depth = 0;
            while let Some(parent) = self.resources[index].parent {
                depth += 1;
                index = parent;
                if depth > self.resources.len() {
                    break;
                }
            }
            depth
        };
        let mut order: Vec<usize> = (0..self.resources.len()).collect();
        order.sort_by_key(|&index| depth(index));
        order
    }
}

type RoleOf = (Role, Option<usize>, Option<String>);

struct Builder<'a> {
    api: &'a Api,
    validator: &'a ContractValidator,
    resources: Vec<Resource>,
    /// Normalized collection template → resource.
    by_collection: BTreeMap<String, usize>,
}

impl Builder<'_> {
    fn resource(&mut self, collection: &str) -> usize {
        let segs = segments(collection);
        let key = normalized(&segs);
        if let Some(&index) = self.by_collection.get(&key) {
            return index;
        }
        let index = self.resources.len();
        self.resources.push(Resource {
            collection: collection.to_owned(),
            item: None,
            id_param: None,
            parent: None,
            create: None,
            list: None,
            retrieve: None,
            updates: Vec::new(),
            delete: None,
            id_field: None,
            created_item: None,
            retrieved_item: None,
            list_items: None,
        });
        self.by_collection.insert(key, index);
        index
    }

    /// Every operation's role and resource; registers the resources.
    fn roles(&mut self) -> Vec<RoleOf> {
        let api = self.api;
        // Collections: templates that some item path extends by one
        // parameter, or that are listed.
        let mut collections: BTreeMap<String, ()> = BTreeMap::new();
        for op in &api.operations {
            let segs = segments(&op.path);
            if let Some((last, prefix)) = segs.split_last() {
                if param_name(last).is_some() && !prefix.is_empty() {
                    collections.insert(normalized(prefix), ());
                }
            }
            if op.method == Method::Get && lists(self.validator, op) {
                collections.insert(normalized(&segs), ());
            }
        }
        let mut roles = Vec::with_capacity(api.operations.len());
        for (index, op) in api.operations.iter().enumerate() {
            roles.push(self.role(index, op, &collections));
        }
        // Parents: a collection right under an item.
        for index in 0..self.resources.len() {
            let segs: Vec<String> = segments(&self.resources[index].collection)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let parent_key =
                (segs.len() > 1 && param_name(&segs[segs.len() - 2]).is_some()).then(|| {
                    let prefix: Vec<&str> = segs[..segs.len() - 2].iter().map(|s| &**s).collect();
                    normalized(&prefix)
                });
            self.resources[index].parent = parent_key
                .and_then(|key| self.by_collection.get(&key).copied())
                .filter(|&parent| parent != index);
        }
        roles
    }

    fn role(&mut self, index: usize, op: &Operation, collections: &BTreeMap<String, ()>) -> RoleOf {
        let segs = segments(&op.path);
        let Some((last, prefix)) = segs.split_last() else {
            // The root path.
            return match op.method {
                Method::Get | Method::Head | Method::Options => (Role::Read, None, None),
                _ => (Role::Write, None, Some(guard_reason())),
            };
        };
        let has_params = segs.iter().any(|s| param_name(s).is_some());
        if let Some(param) = param_name(last) {
            if prefix.is_empty() {
                return (plain_role(op.method), None, None);
            }
            let resource = self.resource(&rebuild(prefix));
            let entry = &mut self.resources[resource];
            if entry.item.is_none() {
                entry.item = Some(op.path.clone());
                entry.id_param = Some(param.to_owned());
            }
            let role = match op.method {
                Method::Get => {
                    entry.retrieve.get_or_insert(index);
                    Role::Retrieve
                }
                Method::Put | Method::Patch => {
                    entry.updates.push(index);
                    Role::Update
                }
                Method::Delete => {
                    entry.delete.get_or_insert(index);
                    Role::Delete
                }
                Method::Head | Method::Options | Method::Trace => Role::Read,
                Method::Post => Role::Action,
            };
            return (role, Some(resource), None);
        }
        let key = normalized(&segs);
        let is_collection = collections.contains_key(&key);
        match op.method {
            Method::Get if is_collection => {
                let resource = self.resource(&op.path);
                self.resources[resource].list.get_or_insert(index);
                (Role::List, Some(resource), None)
            }
            Method::Post if is_collection || documents_create(op) => {
                let resource = self.resource(&op.path);
                self.resources[resource].create.get_or_insert(index);
                (Role::Create, Some(resource), None)
            }
            Method::Get | Method::Head | Method::Options | Method::Trace => {
                (Role::Read, self.enclosing(&segs), None)
            }
            _ if has_params => (Role::Action, self.enclosing(&segs), None),
            _ => (Role::Write, None, Some(guard_reason())),
        }
    }

    /// The resource of the longest item path that `segs` extends.
    fn enclosing(&self, segs: &[&str]) -> Option<usize> {
        (1..segs.len()).rev().find_map(|end| {
            let item = &segs[..end];
            let (last, prefix) = item.split_last()?;
            param_name(last)?;
            self.by_collection.get(&normalized(prefix)).copied()
        })
    }

    /// Each resource's id field and where its items sit in responses.
    fn find_id_fields(&mut self) {
        for index in 0..self.resources.len() {
            let resource = self.resources[index].clone();
            let param = resource.id_param.clone().unwrap_or_default();
            let candidates = id_candidates(&param, &resource.collection);
            let mut id_field = None;
            let ops = self.api;
            let item_at = |op: Option<usize>, id_field: &mut Option<String>| {
                let op = &ops.operations[op?];
                let target = success_target(op)?;
                let document = self.validator.json_schema(&target).ok()?;
                let (pointer, field) = find_item(document, document, &candidates)?;
                id_field.get_or_insert(field);
                Some(pointer)
            };
            let retrieved_item = item_at(resource.retrieve, &mut id_field);
            let created_item = item_at(resource.create, &mut id_field);
            let list_items = resource.list.and_then(|list| {
                let op = &self.api.operations[list];
                let document = self.validator.json_schema(&success_target(op)?).ok()?;
                let (pointer, items) = find_items(document, &resource.collection)?;
                if id_field.is_none() {
                    id_field = find_item(document, items, &candidates).map(|(_, field)| field);
                }
                Some(pointer)
            });
            let entry = &mut self.resources[index];
            entry.id_field = id_field;
            entry.retrieved_item = retrieved_item;
            entry.created_item = created_item;
            entry.list_items = list_items;
        }
    }

    fn inputs(&self, index: usize, op: &Operation, links: &links::Links) -> Vec<Input> {
        let segs = segments(&op.path);
        let mut inputs = Vec::new();
        for (position, segment) in segs.iter().enumerate() {
            let Some(name) = param_name(segment) else {
                continue;
            };
            let prefix = &segs[..position];
            // The resource whose items the path names here; when nothing
            // supplies its ids, one whose items are named so elsewhere
            // (`/things/by-id/{thing_id}` → `/things/{thing_id}`).
            let here = self.by_collection.get(&normalized(prefix)).copied();
            let from =
                |resource: usize| self.hierarchy(resource, name, index).map(|s| (resource, s));
            let (resource, source) = match links.find(index, Location::Path, name) {
                Some(link) => (here, link),
                None => match here.and_then(from).or_else(|| {
                    (0..self.resources.len())
                        .filter(|&r| Some(r) != here)
                        .filter(|&r| self.resources[r].id_param.as_deref() == Some(name))
                        .find_map(from)
                }) {
                    Some((resource, source)) => (Some(resource), source),
                    None => (here, Source::Spec),
                },
            };
            inputs.push(Input {
                name: name.to_owned(),
                location: Location::Path,
                resource,
                source,
            });
        }
        if let Some(query) = &op.query {
            for param in query.params.iter().filter(|p| p.required) {
                let source = links
                    .find(index, Location::Query, &param.wire_name)
                    .unwrap_or(Source::Spec);
                inputs.push(Input {
                    name: param.wire_name.clone(),
                    location: Location::Query,
                    resource: None,
                    source,
                });
            }
        }
        inputs
    }

    /// The path hierarchy's source for the id of `resource`'s items: its
    /// create (the response's id field, else the request's), else a field
    /// of its list. Never the operation itself.
    fn hierarchy(&self, resource: usize, param: &str, itself: usize) -> Option<Source> {
        let entry = &self.resources[resource];
        let candidates = id_candidates(param, &entry.collection);
        if let Some(create) = entry.create.filter(|&c| c != itself) {
            if let (Some(item), Some(field)) = (&entry.created_item, &entry.id_field) {
                return Some(Source::Created {
                    operation: create,
                    expression: Expression::ResponseBody(format!(
                        "{item}/{}",
                        generator::pointer::escape_token(field)
                    )),
                });
            }
            let op = &self.api.operations[create];
            let request = Target::Request {
                operation: op.id.clone(),
            };
            if let Ok(document) = self.validator.json_schema(&request) {
                let names = schema_view::properties(document, document);
                if let Some(field) = candidates
                    .iter()
                    .find(|c| names.iter().any(|(name, _)| name == *c))
                {
                    return Some(Source::Created {
                        operation: create,
                        expression: Expression::RequestBody(format!(
                            "/{}",
                            generator::pointer::escape_token(field)
                        )),
                    });
                }
            }
        }
        if let (Some(list), Some(items), Some(field)) =
            (entry.list, &entry.list_items, &entry.id_field)
        {
            if list != itself {
                return Some(Source::Field {
                    operation: list,
                    expression: Expression::ResponseBody(format!(
                        "{items}/0/{}",
                        generator::pointer::escape_token(field)
                    )),
                });
            }
        }
        None
    }
}

fn guard_reason() -> String {
    "a write on a path without parameters that is neither the create of a listed collection \
     nor documented as a create (201): sent only when named with --include-operation"
        .to_owned()
}

fn plain_role(method: Method) -> Role {
    match method {
        Method::Get | Method::Head | Method::Options | Method::Trace => Role::Read,
        _ => Role::Action,
    }
}

fn rebuild(segments: &[&str]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        out.push_str(segment);
    }
    out
}

/// Whether the operation documents a create: a `201` response.
fn documents_create(op: &Operation) -> bool {
    op.responses.iter().any(|r| r.status == Status::Code(201))
}

/// Whether a `GET`'s success body is a list: a bare array, or an object
/// with an array property among its first-level properties.
fn lists(validator: &ContractValidator, op: &Operation) -> bool {
    let Some(target) = success_target(op) else {
        return false;
    };
    let Ok(document) = validator.json_schema(&target) else {
        return false;
    };
    schema_view::array_items(document, document)
        .is_some_and(|items| schema_view::is_object(document, items))
        || schema_view::properties(document, document)
            .into_iter()
            .any(|(name, schema)| {
                LIST_FIELDS.contains(&name)
                    && schema_view::array_items(document, schema)
                        .is_some_and(|items| schema_view::is_object(document, items))
            })
}

#[cfg(test)]
mod tests;
