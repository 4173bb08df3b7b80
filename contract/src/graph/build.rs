//! Building the graph: each operation's role and resource from its path
//! and method, the resources' id fields, and each input's source.

use super::items::{LIST_FIELDS, find_item, find_items, id_candidates};
use super::{
    Expression, Input, Location, Resource, Role, Source, links, normalized, param_name,
    schema_view, segments, success_target,
};
use crate::{ContractValidator, Target};
use generator::ir::{Api, Method, Operation, Status};
use std::collections::BTreeMap;

pub(super) type RoleOf = (Role, Option<usize>, Option<String>);

pub(super) struct Builder<'a> {
    pub(super) api: &'a Api,
    pub(super) validator: &'a ContractValidator,
    pub(super) resources: Vec<Resource>,
    /// Normalized collection template → resource.
    pub(super) by_collection: BTreeMap<String, usize>,
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
    pub(super) fn roles(&mut self) -> Vec<RoleOf> {
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
    pub(super) fn find_id_fields(&mut self) {
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

    pub(super) fn inputs(&self, index: usize, op: &Operation, links: &links::Links) -> Vec<Input> {
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
