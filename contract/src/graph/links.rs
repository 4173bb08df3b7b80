//! OpenAPI `links`: which response of which operation supplies a
//! parameter of another.
//!
//! Read from the document as JSON (the IR does not carry links): every
//! response of every operation (through `$ref`s into
//! `components.responses` and `components.links`), each link naming its
//! target by `operationId` (or by an `operationRef` of the form
//! `#/paths/~1x/get`), each parameter by name (`id`) or qualified
//! (`path.id`, `query.id`), with a runtime expression we can read
//! (`$response.body#/id`, `$request.path.id`, …). Other links and
//! expressions are passed over.

use super::schema_view::resolve as follow;
use super::{Expression, Location, Source};
use generator::ir::Api;
use serde_json::Value;

/// One usable link parameter.
#[derive(Debug, Clone)]
struct LinkParam {
    /// The operation whose response has the link.
    from: usize,
    /// The link's name.
    link: String,
    /// The target operation.
    to: usize,
    /// The parameter's location, when the link qualifies its name.
    location: Option<Location>,
    /// The parameter's name.
    name: String,
    expression: Expression,
}

/// Every usable link parameter of a document.
#[derive(Debug, Clone, Default)]
pub(super) struct Links(Vec<LinkParam>);

impl Links {
    /// The link that supplies parameter `name` in `location` of operation
    /// `to`, if one does (the first in document order).
    pub(super) fn find(&self, to: usize, location: Location, name: &str) -> Option<Source> {
        self.0
            .iter()
            .find(|p| {
                p.to == to
                    && p.from != to
                    && p.name == name
                    && p.location.is_none_or(|l| l == location)
            })
            .map(|p| Source::Link {
                operation: p.from,
                link: p.link.clone(),
                expression: p.expression.clone(),
            })
    }
}

/// Reads a runtime expression (`$response.body#/id`, `{$request.path.id}`).
pub(super) fn parse_expression(text: &str) -> Option<Expression> {
    let text = text.trim();
    let text = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    if let Some(pointer) = text.strip_prefix("$response.body") {
        return Some(Expression::ResponseBody(
            pointer.strip_prefix('#').unwrap_or(pointer).to_owned(),
        ));
    }
    if let Some(pointer) = text.strip_prefix("$request.body") {
        return Some(Expression::RequestBody(
            pointer.strip_prefix('#').unwrap_or(pointer).to_owned(),
        ));
    }
    if let Some(name) = text.strip_prefix("$request.path.") {
        return Some(Expression::RequestPath(name.to_owned()));
    }
    if let Some(name) = text.strip_prefix("$request.query.") {
        return Some(Expression::RequestQuery(name.to_owned()));
    }
    if let Some(name) = text.strip_prefix("$response.header.") {
        return Some(Expression::ResponseHeader(name.to_owned()));
    }
    None
}

/// Every usable link parameter of `document`, against the operations of
/// `api`.
pub(super) fn collect(api: &Api, document: &Value) -> Links {
    let mut found = Vec::new();
    for (from, op) in api.operations.iter().enumerate() {
        let Some(operation) = document.pointer(op.pointer.trim_start_matches('#')) else {
            continue;
        };
        let Some(Value::Object(responses)) = operation.get("responses") else {
            continue;
        };
        for response in responses.values() {
            let response = follow(document, response);
            let Some(Value::Object(links)) = response.get("links") else {
                continue;
            };
            for (link_name, link) in links {
                let link = follow(document, link);
                let Some(to) = target(api, link) else {
                    continue;
                };
                let Some(Value::Object(parameters)) = link.get("parameters") else {
                    continue;
                };
                for (qualified, expression) in parameters {
                    let Some(expression) = expression.as_str().and_then(parse_expression) else {
                        continue;
                    };
                    let (location, name) = match qualified.split_once('.') {
                        Some(("path", name)) => (Some(Location::Path), name),
                        Some(("query", name)) => (Some(Location::Query), name),
                        Some(("header" | "cookie", _)) => continue,
                        _ => (None, qualified.as_str()),
                    };
                    found.push(LinkParam {
                        from,
                        link: link_name.clone(),
                        to,
                        location,
                        name: name.to_owned(),
                        expression,
                    });
                }
            }
        }
    }
    Links(found)
}

/// The operation a link targets.
fn target(api: &Api, link: &Value) -> Option<usize> {
    if let Some(id) = link.get("operationId").and_then(Value::as_str) {
        return api.operations.iter().position(|op| op.id == id);
    }
    let reference = link.get("operationRef").and_then(Value::as_str)?;
    // Only references into this document: `#/paths/~1x/get`.
    let pointer = reference.strip_prefix('#')?;
    api.operations
        .iter()
        .position(|op| op.pointer.trim_start_matches('#') == pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_are_read_with_or_without_braces() {
        assert_eq!(
            parse_expression("$response.body#/id"),
            Some(Expression::ResponseBody("/id".to_owned()))
        );
        assert_eq!(
            parse_expression("{$request.path.tenant}"),
            Some(Expression::RequestPath("tenant".to_owned()))
        );
        assert_eq!(
            parse_expression("$response.header.Location"),
            Some(Expression::ResponseHeader("Location".to_owned()))
        );
        assert_eq!(parse_expression("$url"), None);
        assert_eq!(parse_expression("literal"), None);
    }
}
