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

mod build;
use build::Builder;
mod items;
mod links;
pub(crate) mod schema_view;

#[cfg(test)]
use items::id_candidates;
pub use items::{ITEM_FIELDS, singular};

use crate::{ContractValidator, Target};
use generator::ir::{Api, Operation};
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

/// A path template with its parameter names blanked (`/a/{a_id}/b` →
/// `/a/{}/b`): the key two templates that name a parameter differently
/// share.
pub fn template_key(path: &str) -> String {
    normalized(&segments(path))
}

/// How many parameters a path template has.
pub fn param_count(path: &str) -> usize {
    segments(path)
        .into_iter()
        .filter(|s| param_name(s).is_some())
        .count()
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

#[cfg(test)]
mod tests;
