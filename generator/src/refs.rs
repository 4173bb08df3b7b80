//! The `$ref` follower that `lower` (step 2) consults: not a pass of its
//! own, but the one place where references are resolved, on demand.
//!
//! Only local references to components (`#/components/{kind}/{name}`) are
//! followed. Chains of references are followed to the end; a chain that
//! comes back on itself is a [`Error::RefCycle`], a reference to nothing a
//! [`Error::DanglingRef`]. Each resolved item comes with the JSON pointer of
//! where it is defined, so later errors point at the right place.

use crate::error::{Error, Result};
use indexmap::IndexMap;
use openapiv3::{Example, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// One `components` map.
type Components<T> = IndexMap<String, ReferenceOr<T>>;

/// Something found by following references, and where it is defined.
#[derive(Debug, Clone)]
pub struct Resolved<'a, T> {
    /// The item itself.
    pub item: &'a T,
    /// The JSON pointer of its definition.
    pub pointer: String,
    /// The component name, when the item was reached through a reference.
    pub component: Option<&'a str>,
}

/// A schema position: either a reference or a schema written in place.
///
/// `openapiv3` stores property schemas boxed and others unboxed; this view
/// lets one resolver serve both.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'a> {
    /// A `$ref`.
    Ref(&'a str),
    /// A schema written in place.
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Schema>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(item: &'a ReferenceOr<Box<Schema>>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// Follows references within one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    doc: &'a OpenAPI,
}

impl<'a> Resolver<'a> {
    /// A resolver over `doc`.
    pub fn new(doc: &'a OpenAPI) -> Self {
        Self { doc }
    }

    /// The component name a schema reference points at (without following
    /// further), checking that it exists.
    pub fn schema_ref_target(&self, reference: &'a str, at: &str) -> Result<&'a str> {
        let name = component_name(reference, "schemas", at)?;
        let found = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(name));
        match found {
            Some((key, _)) => Ok(key),
            None => Err(Error::DanglingRef {
                pointer: at.to_owned(),
                reference: reference.to_owned(),
            }),
        }
    }

    /// Follows a schema reference (and any chain behind it) to a schema.
    pub fn schema(&self, item: SchemaRef<'a>, at: &str) -> Result<Resolved<'a, Schema>> {
        let map = self.doc.components.as_ref().map(|c| &c.schemas);
        let first = match item {
            SchemaRef::Ref(reference) => Err(reference),
            SchemaRef::Inline(schema) => Ok(schema),
        };
        follow(map, first, at, "schemas")
    }

    /// Follows a parameter reference to a parameter.
    pub fn parameter(
        &self,
        item: &'a ReferenceOr<Parameter>,
        at: &str,
    ) -> Result<Resolved<'a, Parameter>> {
        let map = self.doc.components.as_ref().map(|c| &c.parameters);
        follow(map, split(item), at, "parameters")
    }

    /// Follows a request-body reference to a request body.
    pub fn request_body(
        &self,
        item: &'a ReferenceOr<RequestBody>,
        at: &str,
    ) -> Result<Resolved<'a, RequestBody>> {
        let map = self.doc.components.as_ref().map(|c| &c.request_bodies);
        follow(map, split(item), at, "requestBodies")
    }

    /// Follows a response reference to a response.
    pub fn response(
        &self,
        item: &'a ReferenceOr<Response>,
        at: &str,
    ) -> Result<Resolved<'a, Response>> {
        let map = self.doc.components.as_ref().map(|c| &c.responses);
        follow(map, split(item), at, "responses")
    }
}

impl<'a> Resolver<'a> {
    /// Follows an example reference to an example.
    pub fn example(
        &self,
        item: &'a ReferenceOr<Example>,
        at: &str,
    ) -> Result<Resolved<'a, Example>> {
        let map = self.doc.components.as_ref().map(|c| &c.examples);
        follow(map, split(item), at, "examples")
    }
}

fn split<T>(item: &ReferenceOr<T>) -> std::result::Result<&T, &str> {
    match item {
        ReferenceOr::Item(found) => Ok(found),
        ReferenceOr::Reference { reference } => Err(reference),
    }
}

/// The `{name}` of a reference `#/components/{kind}/{name}`: the one
/// parser of references, for every crate that follows them. Other forms
/// (external files, other places in the document, names that need
/// escaping) are [`Error::Unsupported`] at `at`.
pub fn component_name<'r>(reference: &'r str, kind: &str, at: &str) -> Result<&'r str> {
    let prefix = format!("#/components/{kind}/");
    match reference.strip_prefix(&prefix) {
        Some(name) if !name.is_empty() && !name.contains(['/', '~', '%']) => Ok(name),
        _ if reference.is_empty() => Err(Error::unsupported(
            at,
            format!(
                "empty `$ref` (it names the whole document, not one of its {kind}): only `{prefix}<name>` references are followed"
            ),
        )),
        _ if reference.starts_with('#') => Err(Error::unsupported(
            at,
            format!("reference `{reference}`: only `{prefix}<name>` references are followed here"),
        )),
        _ => Err(Error::unsupported(
            at,
            format!(
                "external reference `{reference}`: only references within the document are followed"
            ),
        )),
    }
}

/// Follows a chain of references that starts at `first` (an item in place,
/// or a reference) until it reaches an item.
fn follow<'a, T>(
    map: Option<&'a Components<T>>,
    first: std::result::Result<&'a T, &'a str>,
    at: &str,
    kind: &str,
) -> Result<Resolved<'a, T>> {
    let mut chain: Vec<&'a str> = Vec::new();
    let mut pointer = at.to_owned();
    let mut component = None;
    let mut next = first;
    loop {
        let reference = match next {
            Ok(item) => {
                return Ok(Resolved {
                    item,
                    pointer,
                    component,
                });
            }
            Err(reference) => reference,
        };
        if chain.contains(&reference) {
            let mut names: Vec<String> = chain.iter().map(|s| (*s).to_owned()).collect();
            names.push(reference.to_owned());
            return Err(Error::RefCycle {
                pointer: at.to_owned(),
                chain: names,
            });
        }
        chain.push(reference);
        let name = component_name(reference, kind, &pointer)?;
        let Some((key, target)) = map.and_then(|m| m.get_key_value(name)) else {
            return Err(Error::DanglingRef {
                pointer,
                reference: reference.to_owned(),
            });
        };
        pointer = reference.to_owned();
        component = Some(key.as_str());
        next = split(target);
    }
}
