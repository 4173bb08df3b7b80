//! Stored resources: the generic CRUD behaviour of every resource the
//! document lets a client create (see [`resources`](super::resources)).
//!
//! Items are kept in memory per resource and per scope (the values of the
//! collection path's parameters, so `/a/1/b` and `/a/2/b` hold different
//! items), in creation order. A create stores the request merged over the
//! response's template item, with a new id that fits the id's schema
//! (uuid, integer counter or text); retrieve, list, update and delete see
//! it; an unknown id gets the documented "not found" refusal. Every body
//! is fitted to its response schema before it is sent (and stored).

use super::Engine;
use super::behaviour::RequestContext;
use super::bodies::{self, conform, put};
use super::paging::{self, Paging};
use super::refuse::Problem;
use super::reply::{self, ErrorItem};
use super::resources::{IdKind, OperationRole, Resource, Resources, Role};
use axum::http::StatusCode;
use axum::response::Response;
use generator::ir::Api;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Items of one resource in one scope, by id, in creation order.
type Items = IndexMap<String, Value>;

/// The stored items of every resource.
#[derive(Debug)]
pub struct State {
    inner: Mutex<Inner>,
    /// How each operation pages, by operation index.
    paging: Vec<Paging>,
}

#[derive(Debug, Default)]
struct Inner {
    /// By (resource index, scope).
    items: HashMap<(usize, Vec<String>), Items>,
    /// Ids handed out, by resource index.
    counters: HashMap<usize, u64>,
}

impl State {
    /// Empty state for the operations of `api`.
    pub fn new(api: &Api, resources: &Resources) -> Self {
        let paging = api
            .operations
            .iter()
            .enumerate()
            .map(|(index, op)| match resources.role(index) {
                Some(role) if role.role == Role::List => paging::detect(api, op),
                _ => Paging::None,
            })
            .collect();
        Self {
            inner: Mutex::new(Inner::default()),
            paging,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every change is one insert or remove: a poisoned lock is usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The text form of an id value, as it appears in a path.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// RFC 7386 merge patch.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(map) = target else { return };
    for (key, value) in patch {
        if value.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// A path parameter's value typed like the template's value there.
fn typed_like(template: Option<&Value>, text: &str) -> Value {
    match template {
        Some(Value::Number(_)) => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        _ => Value::String(text.to_owned()),
    }
}

impl Engine {
    /// The stored item `id` of the resource and scope `key`.
    fn stored(&self, key: &(usize, Vec<String>), id: &str) -> Option<Value> {
        self.state
            .lock()
            .items
            .get(key)
            .and_then(|items| items.get(id))
            .cloned()
    }

    /// Answers a CRUD operation of a creatable resource from the stored
    /// items; `None` for any other operation.
    pub(super) fn stateful(&self, ctx: &RequestContext<'_>) -> Option<Response> {
        let role = self.resources.role(ctx.index)?;
        let resource = &self.resources.resources[role.resource];
        if !resource.creatable {
            return None;
        }
        let scope: Vec<String> = ctx
            .path_params
            .iter()
            .take(resource.scope_len)
            .map(|(_, value)| value.clone())
            .collect();
        // A create under an unknown parent is refused; other operations
        // only where the document says how (else a list is just empty).
        if role.role == Role::Create || self.not_found_status(ctx.operation).is_some() {
            if let Some(missing) = self.missing_parent(resource, &scope) {
                return Some(self.not_found(ctx, missing));
            }
        }
        let key = (role.resource, scope);
        let id = ctx
            .path_params
            .get(resource.scope_len)
            .map(|(_, value)| value.as_str());
        Some(match (role.role, id) {
            (Role::Create, _) => self.create(ctx, role, resource, key),
            (Role::List, _) => self.list(ctx, role, key),
            (Role::Retrieve, Some(id)) => match self.stored(&key, id) {
                Some(item) => self.answer_item(ctx, role, item).0,
                None => self.not_found(ctx, format!("no {} with id {id}", resource.singular)),
            },
            (Role::Update { replace }, Some(id)) => {
                self.update(ctx, role, resource, key, id, replace)
            }
            (Role::Delete, Some(id)) => {
                let removed = self
                    .state
                    .lock()
                    .items
                    .get_mut(&key)
                    .and_then(|items| items.shift_remove(id));
                match removed {
                    Some(item) => self.answer_item(ctx, role, item).0,
                    None => self.not_found(ctx, format!("no {} with id {id}", resource.singular)),
                }
            }
            (Role::Action, Some(id)) => match self.stored(&key, id) {
                Some(item) => self.answer_item(ctx, role, item).0,
                None => self.not_found(ctx, format!("no {} with id {id}", resource.singular)),
            },
            _ => return None,
        })
    }

    /// Why the parent of a scope is missing, when the parent is a stored
    /// resource and has no item with the scope's last id.
    fn missing_parent(&self, resource: &Resource, scope: &[String]) -> Option<String> {
        let parent_index = resource.parent?;
        let parent = &self.resources.resources[parent_index];
        if !parent.creatable {
            return None;
        }
        let (parent_id, _) = scope.split_last()?;
        let parent_scope = scope.get(..parent.scope_len)?.to_vec();
        let state = self.state.lock();
        let known = state
            .items
            .get(&(parent_index, parent_scope))
            .is_some_and(|items| items.contains_key(parent_id));
        (!known).then(|| format!("no {} with id {parent_id}", parent.singular))
    }

    /// The documented status for an unknown id: 404 (exactly, by range or
    /// by `default`), else 410, else another documented client error that
    /// can mean it (400, 422, then the lowest other); `None` when the
    /// operation documents none.
    fn not_found_status(&self, op: &generator::ir::Operation) -> Option<StatusCode> {
        if bodies::documented(op, 404).is_some() {
            return Some(StatusCode::NOT_FOUND);
        }
        let codes: Vec<u16> = op
            .responses
            .iter()
            .filter_map(|r| match r.status {
                generator::ir::Status::Code(code) => Some(code),
                _ => None,
            })
            .filter(|code| (400..500).contains(code))
            // Statuses about credentials, methods, media or load say
            // something else.
            .filter(|code| !matches!(code, 401 | 403 | 405 | 406 | 408 | 413 | 415 | 429))
            .collect();
        [410, 400, 422]
            .into_iter()
            .find(|code| codes.contains(code))
            .or_else(|| codes.first().copied())
            .and_then(|code| StatusCode::from_u16(code).ok())
    }

    /// The refusal for an unknown id (see [`Engine::not_found_status`];
    /// 404 when nothing is documented).
    fn not_found(&self, ctx: &RequestContext<'_>, detail: String) -> Response {
        let status = self
            .not_found_status(ctx.operation)
            .unwrap_or(StatusCode::NOT_FOUND);
        ctx.refuse(Problem::new(
            status,
            ErrorItem::new("not_found", "Not found", detail),
        ))
    }

    /// The success answer of an item operation with `item` in its body,
    /// and the item as sent (fitted to the response schema).
    fn answer_item(
        &self,
        ctx: &RequestContext<'_>,
        role: &OperationRole,
        item: Value,
    ) -> (Response, Value) {
        let Some((position, response)) = bodies::success(ctx.operation) else {
            return (reply::empty(StatusCode::NO_CONTENT), item);
        };
        let status = bodies::code_of(response.status, 200);
        if response.body.is_none() {
            return (reply::empty(status), item);
        }
        let validator = self.checker.validator();
        let template = self
            .bodies
            .template(validator, &self.api, ctx.index, position);
        let (Some(template), Some(pointer)) = (template, role.item_pointer.as_deref()) else {
            let (status, media, bytes) = self.bodies.canned(validator, &self.api, ctx.index);
            let response = match media {
                Some(media) => reply::json_bytes(status, media, bytes),
                None => reply::empty(status),
            };
            return (response, item);
        };
        let target = contract::Target::Response {
            operation: ctx.operation.id.clone(),
            status: response.status,
        };
        let mut body = template.clone();
        put(&mut body, pointer, item.clone());
        conform(&mut body, template, |value| {
            validator.validate(&target, value).unwrap_or_default()
        });
        let sent = body.pointer(pointer).cloned().unwrap_or(item);
        let media = bodies::json_media(&response.media_types);
        (
            reply::json_bytes(status, media, bodies::to_vec(&body)),
            sent,
        )
    }

    /// The item of a template body of another operation of the same
    /// resource (for a create that answers without the item).
    fn item_template(&self, resource: usize) -> Value {
        let validator = self.checker.validator();
        self.resources
            .roles
            .iter()
            .enumerate()
            .filter_map(|(index, role)| Some((index, role.as_ref()?)))
            .filter(|(_, role)| role.resource == resource)
            .find_map(|(index, role)| {
                let pointer = role.item_pointer.as_deref()?;
                let op = self.api.operations.get(index)?;
                let (position, _) = bodies::success(op)?;
                let template = self
                    .bodies
                    .template(validator, &self.api, index, position)?;
                template.pointer(pointer).cloned()
            })
            .unwrap_or_else(|| Value::Object(Map::new()))
    }

    fn create(
        &self,
        ctx: &RequestContext<'_>,
        role: &OperationRole,
        resource: &Resource,
        key: (usize, Vec<String>),
    ) -> Response {
        let mut item = match (role.item_pointer.as_deref(), bodies::success(ctx.operation)) {
            (Some(pointer), Some((position, _))) => self
                .bodies
                .template(self.checker.validator(), &self.api, ctx.index, position)
                .and_then(|template| template.pointer(pointer).cloned()),
            _ => None,
        }
        .unwrap_or_else(|| self.item_template(key.0));
        if let (Value::Object(map), Some(Value::Object(request))) = (&mut item, ctx.body) {
            for (name, value) in request {
                map.insert(name.clone(), value.clone());
            }
        }
        let generated = {
            let mut state = self.state.lock();
            let counter = state.counters.entry(key.0).or_insert(0);
            *counter += 1;
            match resource.id_kind {
                IdKind::Uuid => {
                    Value::String(format!("{:08x}-0000-4000-8000-{:012x}", key.0, *counter))
                }
                IdKind::Integer => Value::from(*counter),
                IdKind::Text => Value::String(format!("{}-{}", resource.singular, *counter)),
            }
        };
        // An id the client chose (a writable id field, or the request
        // field the graph reads it from) is kept; otherwise it is made.
        let chosen = |pointer: Option<&str>| {
            pointer
                .and_then(|pointer| ctx.body?.pointer(pointer))
                .and_then(id_text)
        };
        let requested =
            chosen(resource.request_id.as_deref()).or_else(|| chosen(resource.id_field.as_deref()));
        if let Some(field) = &resource.id_field {
            if chosen(Some(field)).is_none() {
                put(&mut item, field, generated.clone());
            }
        }
        self.set_scope_fields(ctx, resource, &mut item);
        let (response, sent) = self.answer_item(ctx, role, item);
        let id = requested
            .or_else(|| {
                resource
                    .id_field
                    .as_deref()
                    .and_then(|field| sent.pointer(field))
                    .and_then(id_text)
            })
            .or_else(|| id_text(&generated))
            .unwrap_or_default();
        self.state
            .lock()
            .items
            .entry(key)
            .or_default()
            .insert(id, sent);
        response
    }

    /// Fields named like the collection path's parameters (`project_id`)
    /// take their values.
    fn set_scope_fields(&self, ctx: &RequestContext<'_>, resource: &Resource, item: &mut Value) {
        let Value::Object(map) = item else { return };
        for (name, value) in ctx.path_params.iter().take(resource.scope_len) {
            if let Some(slot) = map.get_mut(name) {
                *slot = typed_like(Some(slot), value);
            }
        }
    }

    fn update(
        &self,
        ctx: &RequestContext<'_>,
        role: &OperationRole,
        resource: &Resource,
        key: (usize, Vec<String>),
        id: &str,
        replace: bool,
    ) -> Response {
        let Some(stored) = self.stored(&key, id) else {
            return self.not_found(ctx, format!("no {} with id {id}", resource.singular));
        };
        let request = ctx.body.cloned().unwrap_or(Value::Object(Map::new()));
        let mut item = if replace {
            let mut replaced = request;
            if let (Value::Object(new), Value::Object(old)) = (&mut replaced, &stored) {
                for (name, value) in old {
                    let id_field = resource.id_field.as_deref() == Some(&format!("/{name}"));
                    if id_field || resource.read_only.contains(name) {
                        new.insert(name.clone(), value.clone());
                    }
                }
            }
            replaced
        } else {
            let mut merged = stored.clone();
            merge_patch(&mut merged, &request);
            merged
        };
        if let Some(field) = &resource.id_field {
            if let Some(old) = stored.pointer(field) {
                put(&mut item, field, old.clone());
            }
        }
        self.set_scope_fields(ctx, resource, &mut item);
        let (response, sent) = self.answer_item(ctx, role, item);
        // A body that does not carry the item leaves the merged one stored.
        if response.status().is_success() {
            if let Some(items) = self.state.lock().items.get_mut(&key) {
                if let Some(slot) = items.get_mut(id) {
                    *slot = sent;
                }
            }
        }
        response
    }

    fn list(
        &self,
        ctx: &RequestContext<'_>,
        role: &OperationRole,
        key: (usize, Vec<String>),
    ) -> Response {
        let Some(list_pointer) = role.list_pointer.as_deref() else {
            return self.canned_answer(ctx.index);
        };
        let Some((position, response)) = bodies::success(ctx.operation) else {
            return self.canned_answer(ctx.index);
        };
        let (ids, items): (Vec<String>, Vec<Value>) = self
            .state
            .lock()
            .items
            .get(&key)
            .map(|items| {
                items
                    .iter()
                    .map(|(id, item)| (id.clone(), item.clone()))
                    .unzip()
            })
            .unwrap_or_default();
        let paging = self.state.paging.get(ctx.index).unwrap_or(&Paging::None);
        let window = paging::window(paging, ctx.query, &ids);
        let page: Vec<Value> = items
            .into_iter()
            .skip(window.start)
            .take(window.size)
            .collect();
        let shown = page.len();
        let validator = self.checker.validator();
        let empty = Value::Array(Vec::new());
        let template = self
            .bodies
            .template(validator, &self.api, ctx.index, position)
            .unwrap_or(&empty);
        let mut body = template.clone();
        put(&mut body, list_pointer, Value::Array(page));
        paging::fill_meta(&mut body, &window, shown, ids.len());
        let target = contract::Target::Response {
            operation: ctx.operation.id.clone(),
            status: response.status,
        };
        conform(&mut body, template, |value| {
            validator.validate(&target, value).unwrap_or_default()
        });
        reply::json_bytes(
            bodies::code_of(response.status, 200),
            bodies::json_media(&response.media_types),
            bodies::to_vec(&body),
        )
    }
}
