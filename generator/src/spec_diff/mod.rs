//! The wire-level difference between two specs (`cargo xtask spec diff OLD
//! NEW`), classed for requests and responses separately.
//!
//! Its neighbour `api_manifest` compares the Rust API generated from two
//! specs (what a regeneration breaks for the crate's users); this module
//! compares the specs themselves (what a new version breaks for any client
//! on the wire), from their IRs.
//!
//! Both specs are lowered to the IR, and their operations are matched by
//! method and path template. A change that makes a request stricter breaks
//! the clients that write it; a change that makes a response looser breaks
//! the clients that read it:
//!
//! | rule | direction | class |
//! |---|---|---|
//! | `operation-removed` / `operation-added` | — | breaking / additive |
//! | `parameter-removed` | request | breaking |
//! | `parameter-added-required` / `parameter-added-optional` | request | breaking / additive |
//! | `parameter-became-required` / `parameter-became-optional` | request | breaking / additive |
//! | `body-added-required` / `body-added-optional` / `body-removed` | request | breaking / additive / breaking |
//! | `body-became-required` / `body-became-optional` | request | breaking / additive |
//! | `media-type-changed` | request | breaking |
//! | `success-status-removed` / `success-status-added` | response | breaking / additive |
//! | `error-status-added` / `error-status-removed` | response | additive |
//! | `response-body-removed` / `response-body-added` | response | breaking / additive |
//! | `property-removed` | request, response | breaking (writers may be refused; readers lose it) |
//! | `property-added-required` | request / response | breaking / additive |
//! | `property-added-optional` | request, response | additive |
//! | `property-became-required` | request / response | breaking / additive |
//! | `property-became-optional` | request / response | additive / breaking |
//! | `property-became-nullable` | request / response | additive / breaking |
//! | `property-became-non-nullable` | request / response | breaking / additive |
//! | `type-changed` | request, response | breaking |
//! | `format-changed`: narrower (`int64` → `int32`, a string gains a format) / wider / other | request / response | breaking, additive / additive, breaking / breaking |
//! | `enum-value-added` | request / response | additive / additive (readers see a new value; generated enums keep it) |
//! | `enum-value-removed` | request / response | breaking / additive |
//! | `union-member-added` / `union-member-removed` | request / response | additive, breaking / breaking, additive |
//! | `description-changed` | — | documentation-only |

mod schema;

use crate::api_manifest::ChangeClass;
use crate::ir::{self, Api, Operation};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Which side of the exchange a change concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// The operation as a whole.
    Operation,
    /// What the client sends.
    Request,
    /// What the client reads.
    Response,
}

/// One wire-level change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WireChange {
    /// How it reaches the API's clients.
    pub class: ChangeClass,
    /// Request, response, or the operation itself.
    pub direction: Direction,
    /// The rule that found it (see the module docs).
    pub rule: &'static str,
    /// The operation, e.g. `POST /things`.
    pub operation: String,
    /// Where in it: a parameter, `body`, `200`, then a property path.
    pub location: String,
    /// The JSON pointer in the new spec (the old one's for a removal).
    pub pointer: String,
    /// What changed.
    pub message: String,
}

/// Every change between two specs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpecDiff {
    /// Changes, by operation, then request before response.
    pub changes: Vec<WireChange>,
}

impl SpecDiff {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes
            .iter()
            .any(|c| c.class == ChangeClass::Breaking)
    }

    /// The report for people: a summary, then the changes by direction.
    /// A change to a shared component is one line, with the places it
    /// reaches (every operation that sends or reads it).
    pub fn render(&self) -> String {
        let groups = self.grouped();
        let count = |class| groups.iter().filter(|(c, _)| c.class == class).count();
        let mut out = format!(
            "{} breaking, {} additive, {} documentation-only ({} places in all)\n",
            count(ChangeClass::Breaking),
            count(ChangeClass::Additive),
            count(ChangeClass::Documentation),
            self.changes.len()
        );
        for (direction, title) in [
            (Direction::Operation, "operations"),
            (Direction::Request, "requests"),
            (Direction::Response, "responses"),
        ] {
            let mut any = false;
            for (change, places) in groups.iter().filter(|(c, _)| c.direction == direction) {
                if !any {
                    out.push_str(&format!("\n{title}:\n"));
                    any = true;
                }
                out.push_str(&format!(
                    "  {:<18} {}: {} [{}]\n",
                    change.class.to_string(),
                    change.pointer,
                    change.message,
                    change.rule
                ));
                let shown: Vec<&str> = places.iter().take(3).map(String::as_str).collect();
                let more = match places.len().saturating_sub(3) {
                    0 => String::new(),
                    n => format!(", and {n} more"),
                };
                out.push_str(&format!("  {:<18} in {}{more}\n", "", shown.join(", ")));
            }
        }
        out
    }

    /// Changes that are the same change (rule, pointer, message) in several
    /// places, together, in first-seen order.
    fn grouped(&self) -> Vec<(&WireChange, Vec<String>)> {
        let mut groups: Vec<(&WireChange, Vec<String>)> = Vec::new();
        for change in &self.changes {
            let place = if change.location.is_empty() {
                change.operation.clone()
            } else {
                format!("{} {}", change.operation, change.location)
            };
            let same = |c: &WireChange| {
                c.direction == change.direction
                    && c.rule == change.rule
                    && c.pointer == change.pointer
                    && c.message == change.message
                    && c.class == change.class
            };
            match groups.iter_mut().find(|(c, _)| same(c)) {
                Some((_, places)) => places.push(place),
                None => groups.push((change, vec![place])),
            }
        }
        groups
    }

    /// The changes as JSON, for programs.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a diff always serializes");
        text.push('\n');
        text
    }
}

/// The wire-level changes from the spec `old` to the spec `new`.
pub fn diff(old: &Api, new: &Api) -> SpecDiff {
    let key = |op: &Operation| (op.path.clone(), op.method.as_str());
    let old_ops: BTreeMap<_, _> = old.operations.iter().map(|op| (key(op), op)).collect();
    let new_ops: BTreeMap<_, _> = new.operations.iter().map(|op| (key(op), op)).collect();
    let mut keys: Vec<_> = old_ops.keys().chain(new_ops.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    let mut out = Out::default();
    for key in keys {
        let name = format!("{} {}", key.1, key.0);
        match (old_ops.get(&key), new_ops.get(&key)) {
            (Some(op), None) => out.push(Change {
                class: ChangeClass::Breaking,
                direction: Direction::Operation,
                rule: "operation-removed",
                operation: &name,
                location: String::new(),
                pointer: &op.pointer,
                message: "operation removed".to_owned(),
            }),
            (None, Some(op)) => out.push(Change {
                class: ChangeClass::Additive,
                direction: Direction::Operation,
                rule: "operation-added",
                operation: &name,
                location: String::new(),
                pointer: &op.pointer,
                message: "new operation".to_owned(),
            }),
            (Some(a), Some(b)) => {
                let mut cx = Context {
                    old,
                    new,
                    operation: &name,
                    out: &mut out,
                    seen: BTreeSet::new(),
                };
                cx.operation(a, b);
            }
            (None, None) => {}
        }
    }
    SpecDiff { changes: out.0 }
}

/// A change before it is stored.
struct Change<'a> {
    class: ChangeClass,
    direction: Direction,
    rule: &'static str,
    operation: &'a str,
    location: String,
    pointer: &'a str,
    message: String,
}

#[derive(Default)]
struct Out(Vec<WireChange>);

impl Out {
    fn push(&mut self, change: Change<'_>) {
        self.0.push(WireChange {
            class: change.class,
            direction: change.direction,
            rule: change.rule,
            operation: change.operation.to_owned(),
            location: change.location,
            pointer: change.pointer.to_owned(),
            message: change.message,
        });
    }
}

/// One matched operation being compared.
struct Context<'a> {
    old: &'a Api,
    new: &'a Api,
    operation: &'a str,
    out: &'a mut Out,
    /// Pairs of named types already compared in a direction (recursive
    /// types end there).
    seen: BTreeSet<(String, String, Direction)>,
}

/// A parameter of either kind, for comparison.
struct Param<'a> {
    place: &'static str,
    name: &'a str,
    required: bool,
    ty: &'a ir::TypeRef,
    pointer: &'a str,
}

fn params(op: &Operation) -> BTreeMap<(String, &'static str), Param<'_>> {
    let path = op.path_params.iter().map(|p| Param {
        place: "path",
        name: &p.wire_name,
        required: true,
        ty: &p.ty,
        pointer: &p.pointer,
    });
    let query = op.query.iter().flat_map(|q| &q.params).map(|p| Param {
        place: "query",
        name: &p.wire_name,
        required: p.required,
        ty: &p.ty,
        pointer: &p.pointer,
    });
    let headers = op.query.iter().flat_map(|q| &q.headers).map(|p| Param {
        place: "header",
        name: &p.wire_name,
        required: p.required,
        ty: &p.ty,
        pointer: &p.pointer,
    });
    path.chain(query)
        .chain(headers)
        .map(|p| ((p.name.to_owned(), p.place), p))
        .collect()
}

impl Context<'_> {
    fn change(
        &mut self,
        class: ChangeClass,
        direction: Direction,
        rule: &'static str,
        location: String,
        pointer: &str,
        message: String,
    ) {
        self.out.push(Change {
            class,
            direction,
            rule,
            operation: self.operation,
            location,
            pointer,
            message,
        });
    }

    fn operation(&mut self, old: &Operation, new: &Operation) {
        if old.summary != new.summary || old.docs != new.docs {
            self.change(
                ChangeClass::Documentation,
                Direction::Operation,
                "description-changed",
                String::new(),
                &new.pointer,
                "summary or description changed".to_owned(),
            );
        }
        self.parameters(old, new);
        self.request_body(old, new);
        self.responses(old, new);
    }

    fn parameters(&mut self, old: &Operation, new: &Operation) {
        let (old_params, new_params) = (params(old), params(new));
        let mut keys: Vec<_> = old_params
            .keys()
            .chain(new_params.keys())
            .cloned()
            .collect();
        keys.sort();
        keys.dedup();
        use ChangeClass::{Additive, Breaking};
        for key in keys {
            let location = format!("{} parameter `{}`", key.1, key.0);
            match (old_params.get(&key), new_params.get(&key)) {
                (Some(p), None) => self.change(
                    Breaking,
                    Direction::Request,
                    "parameter-removed",
                    location,
                    p.pointer,
                    "parameter removed".to_owned(),
                ),
                (None, Some(p)) => {
                    let (class, rule) = if p.required {
                        (Breaking, "parameter-added-required")
                    } else {
                        (Additive, "parameter-added-optional")
                    };
                    let what = if p.required { "required" } else { "optional" };
                    self.change(
                        class,
                        Direction::Request,
                        rule,
                        location,
                        p.pointer,
                        format!("new {what} {} parameter", p.place),
                    );
                }
                (Some(a), Some(b)) => {
                    if a.required != b.required {
                        let (class, rule, what) = if b.required {
                            (Breaking, "parameter-became-required", "became required")
                        } else {
                            (Additive, "parameter-became-optional", "became optional")
                        };
                        self.change(
                            class,
                            Direction::Request,
                            rule,
                            location.clone(),
                            b.pointer,
                            what.to_owned(),
                        );
                    }
                    self.types(Direction::Request, &location, b.pointer, a.ty, b.ty);
                }
                (None, None) => {}
            }
        }
    }

    fn request_body(&mut self, old: &Operation, new: &Operation) {
        use ChangeClass::{Additive, Breaking};
        let pointer = crate::pointer::join(&new.pointer, &["requestBody"]);
        let old_pointer = crate::pointer::join(&old.pointer, &["requestBody"]);
        let at = || "body".to_owned();
        match (&old.body, &new.body) {
            (Some(_), None) => self.change(
                Breaking,
                Direction::Request,
                "body-removed",
                at(),
                &old_pointer,
                "request body removed".to_owned(),
            ),
            (None, Some(b)) => {
                let (class, rule) = if b.required {
                    (Breaking, "body-added-required")
                } else {
                    (Additive, "body-added-optional")
                };
                self.change(
                    class,
                    Direction::Request,
                    rule,
                    at(),
                    &pointer,
                    "new request body".to_owned(),
                );
            }
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let (class, rule, what) = if b.required {
                        (Breaking, "body-became-required", "became required")
                    } else {
                        (Additive, "body-became-optional", "became optional")
                    };
                    self.change(
                        class,
                        Direction::Request,
                        rule,
                        at(),
                        &pointer,
                        what.to_owned(),
                    );
                }
                if a.content_type != b.content_type {
                    self.change(
                        Breaking,
                        Direction::Request,
                        "media-type-changed",
                        at(),
                        &pointer,
                        format!("sent as {} -> {}", a.content_type, b.content_type),
                    );
                }
                self.types(Direction::Request, "body", &b.schema_pointer, &a.ty, &b.ty);
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, old: &Operation, new: &Operation) {
        use ChangeClass::{Additive, Breaking};
        let by_status = |op: &'_ Operation| -> BTreeMap<ir::Status, ir::Response> {
            op.responses.iter().map(|r| (r.status, r.clone())).collect()
        };
        let (old_responses, new_responses) = (by_status(old), by_status(new));
        let mut statuses: Vec<_> = old_responses
            .keys()
            .chain(new_responses.keys())
            .copied()
            .collect();
        statuses.sort();
        statuses.dedup();
        for status in statuses {
            let location = status.to_string();
            let pointer =
                |op: &Operation| crate::pointer::join(&op.pointer, &["responses", &location]);
            match (old_responses.get(&status), new_responses.get(&status)) {
                (Some(_), None) if status.is_success() => self.change(
                    Breaking,
                    Direction::Response,
                    "success-status-removed",
                    location.clone(),
                    &pointer(old),
                    format!("status {status} no longer documented"),
                ),
                (Some(_), None) => self.change(
                    Additive,
                    Direction::Response,
                    "error-status-removed",
                    location.clone(),
                    &pointer(old),
                    format!("error status {status} no longer documented"),
                ),
                (None, Some(_)) => {
                    let rule = if status.is_success() {
                        "success-status-added"
                    } else {
                        "error-status-added"
                    };
                    self.change(
                        Additive,
                        Direction::Response,
                        rule,
                        location.clone(),
                        &pointer(new),
                        format!("new status {status}"),
                    );
                }
                (Some(a), Some(b)) => self.response(&location, &pointer(new), a, b),
                (None, None) => {}
            }
        }
    }

    fn response(&mut self, location: &str, pointer: &str, old: &ir::Response, new: &ir::Response) {
        use ChangeClass::{Additive, Breaking};
        match (&old.body, &new.body) {
            (Some(_), None) => self.change(
                Breaking,
                Direction::Response,
                "response-body-removed",
                location.to_owned(),
                pointer,
                "the body is no longer documented".to_owned(),
            ),
            (None, Some(_)) => self.change(
                Additive,
                Direction::Response,
                "response-body-added",
                location.to_owned(),
                pointer,
                "a body is now documented".to_owned(),
            ),
            (Some(a), Some(b)) => {
                let at = new.schema_pointer.as_deref().unwrap_or(pointer);
                self.types(Direction::Response, location, at, a, b);
            }
            (None, None) => {}
        }
    }
}
