//! Pagination, as the spec declares it: an `x-pagination` extension on the
//! operation. Nothing is inferred from names.
//!
//! ```yaml
//! x-pagination:
//!   style: page-number        # the only style so far
//!   page: page.number         # <query parameter>.<property>: the page to fetch
//!   size: page.size           # optional: <query parameter>.<property>, the page size
//!   total_pages: meta.total_pages  # <body property>.<property>, in the success body
//!   items: data               # <body property>: the array of items
//! ```
//!
//! Every name is the wire name of a parameter or property. A declaration
//! that does not fit the operation (an unknown parameter, a property that is
//! not an integer, items that are not an array, …) is an error with the
//! pointer of the key that is wrong, never a silently missing stream.

use super::Lowering;
use crate::error::{Error, Result};
use crate::ir::{Field, Operation, Pagination, StructDef, TypeKind, TypeRef};
use crate::pointer::join;
use serde::Deserialize;

/// The extension's name.
const EXTENSION: &str = "x-pagination";

/// The extension as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Declared {
    style: String,
    page: String,
    size: Option<String>,
    total_pages: String,
    items: String,
}

impl Lowering<'_> {
    /// The operation's pagination, if it declares one.
    pub(super) fn declared_pagination(
        &self,
        operation: &Operation,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
    ) -> Result<Option<Pagination>> {
        let Some(value) = extensions.get(EXTENSION) else {
            return Ok(None);
        };
        let at = join(&operation.pointer, &[EXTENSION]);
        let declared = Declared::deserialize(value).map_err(|err| {
            Error::invalid(
                &at,
                format!("expected {{style, page, size?, total_pages, items}}: {err}"),
            )
        })?;
        if declared.style != "page-number" {
            return Err(Error::unsupported(
                &join(&at, &["style"]),
                format!(
                    "pagination style `{}`: only `page-number` is supported",
                    declared.style
                ),
            ));
        }
        if operation.body.is_some() {
            return Err(Error::unsupported(
                &at,
                "paging an operation that takes a request body",
            ));
        }
        let (page_param_field, page_param_type, page_number_field) =
            self.page_parameter(operation, &declared.page, &join(&at, &["page"]))?;
        if let Some(size) = &declared.size {
            self.page_parameter(operation, size, &join(&at, &["size"]))?;
        }
        let body = self.success_body(operation, &at)?;
        let items_at = join(&at, &["items"]);
        let items = find_field(&body, &declared.items, &items_at)?;
        let TypeRef::Array(item_type) = &items.ty else {
            return Err(Error::invalid(
                &items_at,
                format!("`{}` is not an array in the success body", declared.items),
            ));
        };
        let total_at = join(&at, &["total_pages"]);
        let (meta_name, total_name) = two_segments(&declared.total_pages, &total_at)?;
        let meta = find_field(&body, meta_name, &total_at)?;
        let meta_struct = self.struct_of(&meta.ty, meta_name, &total_at)?;
        let total_pages = integer_field(meta_struct, total_name, &total_at)?;
        Ok(Some(Pagination {
            page_param_field,
            page_number_field,
            page_param_type,
            items_field: items.name.clone(),
            item_type: (**item_type).clone(),
            meta_field: meta.name.clone(),
            meta_optional: meta.is_optional(),
            total_pages_field: total_pages.name.clone(),
            total_pages_optional: total_pages.is_optional(),
        }))
    }

    /// `param.property` in the query: (the parameter's field, its type's
    /// name, the property's field).
    fn page_parameter(
        &self,
        operation: &Operation,
        path: &str,
        at: &str,
    ) -> Result<(String, String, String)> {
        let (param_name, property) = two_segments(path, at)?;
        let param = operation
            .query
            .iter()
            .flat_map(|query| &query.params)
            .find(|param| param.wire_name == param_name)
            .ok_or_else(|| {
                Error::invalid(
                    at,
                    format!("the operation has no query parameter `{param_name}`"),
                )
            })?;
        let TypeRef::Named(type_name) = &param.ty else {
            return Err(Error::invalid(
                at,
                format!("query parameter `{param_name}` is not an object"),
            ));
        };
        let page = self.struct_of(&param.ty, param_name, at)?;
        let number = integer_field(page, property, at)?;
        Ok((param.field.clone(), type_name.clone(), number.name.clone()))
    }

    /// The struct of the lowest 2xx response's body.
    fn success_body(&self, operation: &Operation, at: &str) -> Result<StructDef> {
        let body = operation
            .success()
            .and_then(|response| response.body.as_ref())
            .ok_or_else(|| Error::invalid(at, "the operation has no 2xx response body"))?;
        self.struct_of(body, "the success body", at).cloned()
    }

    /// The struct a type expression names, through aliases (a body that
    /// is a component, or repeats one, is an alias of it).
    fn struct_of(&self, ty: &TypeRef, what: &str, at: &str) -> Result<&StructDef> {
        let mut ty = ty;
        // Aliases nest; a chain this long is a cycle.
        for _ in 0..32 {
            let def = match ty {
                TypeRef::Named(name) => self.types.get(name),
                _ => None,
            };
            match def.map(|def| &def.kind) {
                Some(TypeKind::Struct(found)) => return Ok(found),
                Some(TypeKind::Alias(target)) => ty = target,
                _ => break,
            }
        }
        Err(Error::invalid(at, format!("`{what}` is not an object")))
    }
}

/// Checks, once every type's `Default` is known, that each paged
/// operation's page parameter has a value to start from when the caller
/// leaves it out: the stream fills in the page number.
pub(super) fn check_page_defaults(
    operations: &[Operation],
    types: &std::collections::BTreeMap<String, crate::ir::TypeDef>,
) -> Result<()> {
    for operation in operations {
        let Some(pagination) = &operation.pagination else {
            continue;
        };
        let optional = operation
            .query
            .iter()
            .flat_map(|query| &query.params)
            .any(|param| param.field == pagination.page_param_field && !param.required);
        let has_default = types
            .get(&pagination.page_param_type)
            .is_some_and(|def| def.has_default);
        if optional && !has_default {
            return Err(Error::invalid(
                &join(&operation.pointer, &[EXTENSION, "page"]),
                "the page parameter is optional but its type has no default value, so a \
                 stream could not start without it",
            ));
        }
    }
    Ok(())
}

/// `a.b` → (`a`, `b`).
fn two_segments<'p>(path: &'p str, at: &str) -> Result<(&'p str, &'p str)> {
    path.split_once('.')
        .filter(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('.'))
        .ok_or_else(|| Error::invalid(at, format!("`{path}`: expected `<name>.<property>`")))
}

/// The field for the property `wire_name`.
fn find_field<'s>(found: &'s StructDef, wire_name: &str, at: &str) -> Result<&'s Field> {
    found
        .fields
        .iter()
        .find(|field| field.wire_name == wire_name)
        .ok_or_else(|| Error::invalid(at, format!("there is no property `{wire_name}`")))
}

/// The integer field for the property `wire_name`.
fn integer_field<'s>(found: &'s StructDef, wire_name: &str, at: &str) -> Result<&'s Field> {
    let field = find_field(found, wire_name, at)?;
    match field.ty {
        TypeRef::Integer { .. } => Ok(field),
        _ => Err(Error::invalid(
            at,
            format!("property `{wire_name}` is not an integer"),
        )),
    }
}

#[cfg(test)]
mod tests {
    /// A paged list operation with `x-pagination` set to `declaration`.
    fn spec(declaration: &str) -> String {
        format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    get:
      operationId: ListThings
      x-pagination: {declaration}
      parameters:
        - name: page
          in: query
          style: deepObject
          schema:
            type: object
            properties:
              number: {{type: integer}}
              size: {{type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {{type: array, items: {{type: string}}}}
                  meta:
                    type: object
                    properties:
                      total_pages: {{type: integer}}
                      label: {{type: string}}
"#
        )
    }

    fn lower(declaration: &str) -> crate::Result<crate::ir::Api> {
        let spec = crate::load::load_str(&spec(declaration), "spec.yaml".as_ref())?;
        crate::lower::build(&spec)
    }

    const GOOD: &str = "{style: page-number, page: page.number, size: page.size, total_pages: meta.total_pages, items: data}";

    #[test]
    fn a_declaration_that_fits_gives_the_pagination() {
        let api = lower(GOOD).unwrap();
        let pagination = api.operations[0].pagination.as_ref().unwrap();
        assert_eq!(pagination.page_param_field, "page");
        assert_eq!(pagination.page_number_field, "number");
        assert_eq!(pagination.items_field, "data");
        assert_eq!(pagination.meta_field, "meta");
        assert_eq!(pagination.total_pages_field, "total_pages");
    }

    #[test]
    fn without_a_declaration_nothing_is_inferred() {
        let text = spec(GOOD).replace(&format!("      x-pagination: {GOOD}\n"), "");
        let spec = crate::load::load_str(&text, "spec.yaml".as_ref()).unwrap();
        let api = crate::lower::build(&spec).unwrap();
        assert!(api.operations[0].pagination.is_none());
    }

    #[track_caller]
    fn refused(declaration: &str, pointer: &str, words: &str) {
        let err = lower(declaration).unwrap_err();
        assert_eq!(err.pointer(), Some(pointer), "{err}");
        assert!(err.to_string().contains(words), "{err}");
    }

    #[test]
    fn a_declaration_that_does_not_fit_is_an_error_at_its_key() {
        let at = "#/paths/~1things/get/x-pagination";
        refused(
            "{style: cursor, page: page.number, total_pages: meta.total_pages, items: data}",
            &format!("{at}/style"),
            "only `page-number`",
        );
        refused(
            "{style: page-number, page: p.number, total_pages: meta.total_pages, items: data}",
            &format!("{at}/page"),
            "no query parameter `p`",
        );
        refused(
            "{style: page-number, page: page.number, size: page.count, total_pages: meta.total_pages, items: data}",
            &format!("{at}/size"),
            "no property `count`",
        );
        refused(
            "{style: page-number, page: page.number, total_pages: meta.label, items: data}",
            &format!("{at}/total_pages"),
            "not an integer",
        );
        refused(
            "{style: page-number, page: page.number, total_pages: meta.total_pages, items: meta}",
            &format!("{at}/items"),
            "not an array",
        );
        refused(
            "{style: page-number, page: page, total_pages: meta.total_pages, items: data}",
            &format!("{at}/page"),
            "expected `<name>.<property>`",
        );
        refused("{page: page.number}", at, "expected {style");
    }
}
