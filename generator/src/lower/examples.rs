//! Every example value of the document, with the schema each illustrates.
//!
//! Found by walking the places OpenAPI allows them (never by searching for
//! the key, which a property may also be called): media types of request
//! bodies and responses (`example`, `examples/*/value`, following `$ref`s
//! into `#/components/examples`), parameters (likewise, against the
//! parameter's schema), and schema objects at any depth (`example`, and the
//! values of a 3.1 `examples` array, which loading keeps under
//! `x-examples`), against that schema object. Components are walked once;
//! an operation's own (inline) parts are attributed to it. A part given by
//! `$ref` is walked where it is defined. An `externalValue`, or a reference
//! that leads nowhere, gives no example: examples never stop generation.

use crate::ir::{Direction, Example, Operation};
use crate::pointer::join;
use crate::refs::Resolver;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, Type,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The extension in which loading keeps a 3.1 schema's `examples` array.
const EXAMPLES_EXTENSION: &str = "x-examples";

/// The first example of a media type: its `example`, else the first of its
/// `examples` that has a value, else its schema's own `example` (through a
/// `$ref`).
pub(super) fn first(resolver: &Resolver<'_>, media: &MediaType) -> Option<Value> {
    if let Some(example) = &media.example {
        return Some(example.clone());
    }
    let listed = media.examples.values().find_map(|item| {
        let resolved = resolver.example(item, "#").ok()?;
        resolved.item.value.clone()
    });
    listed.or_else(|| {
        let schema = resolver.schema(media.schema.as_ref()?.into(), "#").ok()?;
        schema.item.schema_data.example.clone()
    })
}

/// Every example in `doc`: operations first (document order), then
/// components. `operations` gives each operation's id by its pointer.
pub(super) fn collect(doc: &OpenAPI, operations: &[Operation]) -> Vec<Example> {
    let ids: BTreeMap<&str, &str> = operations
        .iter()
        .map(|op| (op.pointer.as_str(), op.id.as_str()))
        .collect();
    let mut walk = Walk {
        resolver: Resolver::new(doc),
        seen: BTreeSet::new(),
        found: Vec::new(),
        operation: None,
    };
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_pointer = join("#/paths", &[path]);
        walk.operation = None;
        walk.parameters(&item.parameters, &join(&item_pointer, &["parameters"]));
        for (method, op) in item.iter() {
            let op_pointer = join(&item_pointer, &[method]);
            walk.operation = ids.get(op_pointer.as_str()).map(|id| (*id).to_owned());
            walk.parameters(&op.parameters, &join(&op_pointer, &["parameters"]));
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                let at = join(&op_pointer, &["requestBody"]);
                walk.content(&body.content, &at, Direction::Request);
            }
            // `default` first, where the document model writes it.
            let default = op
                .responses
                .default
                .iter()
                .map(|r| ("default".to_owned(), r));
            let codes = op.responses.responses.iter();
            for (status, response) in default.chain(codes.map(|(code, r)| (code.to_string(), r))) {
                if let ReferenceOr::Item(response) = response {
                    let at = join(&op_pointer, &["responses", &status]);
                    walk.content(&response.content, &at, Direction::Response);
                }
            }
        }
    }
    walk.operation = None;
    if let Some(components) = &doc.components {
        walk.components(components);
    }
    walk.found
}

/// State of one walk.
struct Walk<'a> {
    resolver: Resolver<'a>,
    /// (value pointer, schema pointer, direction) already recorded: a
    /// shared example is listed once per schema it is checked against.
    seen: BTreeSet<(String, String, Direction)>,
    found: Vec<Example>,
    /// The operation being walked, if any.
    operation: Option<String>,
}

impl<'a> Walk<'a> {
    fn components(&mut self, components: &'a openapiv3::Components) {
        for (key, schema) in &components.schemas {
            if let ReferenceOr::Item(schema) = schema {
                let at = join("#/components/schemas", &[key]);
                self.schema_tree(schema, &at, Direction::Neutral);
            }
        }
        for (key, parameter) in &components.parameters {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter, &join("#/components/parameters", &[key]));
            }
        }
        for (key, body) in &components.request_bodies {
            if let ReferenceOr::Item(body) = body {
                let at = join("#/components/requestBodies", &[key]);
                self.content(&body.content, &at, Direction::Request);
            }
        }
        for (key, response) in &components.responses {
            if let ReferenceOr::Item(response) = response {
                let at = join("#/components/responses", &[key]);
                self.content(&response.content, &at, Direction::Response);
            }
        }
    }

    fn add(&mut self, pointer: String, schema: &str, direction: Direction, value: &Value) {
        if self
            .seen
            .insert((pointer.clone(), schema.to_owned(), direction))
        {
            self.found.push(Example {
                pointer,
                schema_pointer: schema.to_owned(),
                direction,
                operation: self.operation.clone(),
                value: value.clone(),
            });
        }
    }

    fn parameters(&mut self, list: &'a [ReferenceOr<Parameter>], at: &str) {
        for (index, parameter) in list.iter().enumerate() {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter, &join(at, &[&index.to_string()]));
            }
        }
    }

    /// A parameter written in place, against its schema.
    fn parameter(&mut self, parameter: &'a Parameter, at: &str) {
        let data = parameter.parameter_data_ref();
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return;
        };
        let schema_at = join(at, &["schema"]);
        self.example_values(
            data.example.as_ref(),
            &data.examples,
            at,
            &schema_at,
            Direction::Request,
        );
        if let ReferenceOr::Item(schema) = schema {
            self.schema_tree(schema, &schema_at, Direction::Request);
        }
    }

    /// The JSON media types of a request body or response.
    fn content(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
        at: &str,
        direction: Direction,
    ) {
        for (media_type, media) in content {
            if !crate::media::is_json_media_type(media_type) {
                continue;
            }
            let Some(schema) = &media.schema else {
                continue;
            };
            let media_at = join(at, &["content", media_type]);
            let schema_at = join(&media_at, &["schema"]);
            self.example_values(
                media.example.as_ref(),
                &media.examples,
                &media_at,
                &schema_at,
                direction,
            );
            if let ReferenceOr::Item(schema) = schema {
                self.schema_tree(schema, &schema_at, direction);
            }
        }
    }

    /// `example` and `examples/*` of a media type or parameter.
    fn example_values(
        &mut self,
        example: Option<&Value>,
        examples: &'a IndexMap<String, ReferenceOr<openapiv3::Example>>,
        at: &str,
        schema: &str,
        direction: Direction,
    ) {
        if let Some(value) = example {
            self.add(join(at, &["example"]), schema, direction, value);
        }
        for (name, item) in examples {
            let item_at = join(at, &["examples", name]);
            let Ok(resolved) = self.resolver.example(item, &item_at) else {
                continue;
            };
            if let Some(value) = &resolved.item.value {
                self.add(
                    join(&resolved.pointer, &["value"]),
                    schema,
                    direction,
                    value,
                );
            }
        }
    }

    /// Schema-level examples at `at` and below, up to references.
    fn schema_tree(&mut self, schema: &'a Schema, at: &str, direction: Direction) {
        let data = &schema.schema_data;
        match data.extensions.get(EXAMPLES_EXTENSION) {
            Some(Value::Array(values)) => {
                for (index, value) in values.iter().enumerate() {
                    let pointer = join(at, &["examples", &index.to_string()]);
                    self.add(pointer, at, direction, value);
                }
            }
            _ => {
                if let Some(value) = &data.example {
                    self.add(join(at, &["example"]), at, direction, value);
                }
            }
        }
        for (child_at, child) in children(&schema.schema_kind, at) {
            self.schema_tree(child, &child_at, direction);
        }
    }
}

/// The schemas written in place directly below a schema, with their
/// pointers (a child given by `$ref` is walked where it is defined).
fn children<'s>(kind: &'s SchemaKind, at: &str) -> Vec<(String, &'s Schema)> {
    let mut out = Vec::new();
    match kind {
        SchemaKind::Type(Type::Object(o)) => {
            object(
                &o.properties,
                o.additional_properties.as_ref(),
                at,
                &mut out,
            );
        }
        SchemaKind::Type(Type::Array(a)) => {
            boxed(a.items.as_ref(), &join(at, &["items"]), &mut out)
        }
        SchemaKind::Type(_) => {}
        SchemaKind::OneOf { one_of } => members("oneOf", one_of, at, &mut out),
        SchemaKind::AllOf { all_of } => members("allOf", all_of, at, &mut out),
        SchemaKind::AnyOf { any_of } => members("anyOf", any_of, at, &mut out),
        SchemaKind::Not { not } => plain(not, &join(at, &["not"]), &mut out),
        SchemaKind::Any(any) => {
            object(
                &any.properties,
                any.additional_properties.as_ref(),
                at,
                &mut out,
            );
            boxed(any.items.as_ref(), &join(at, &["items"]), &mut out);
            if let Some(not) = &any.not {
                plain(not, &join(at, &["not"]), &mut out);
            }
            members("allOf", &any.all_of, at, &mut out);
            members("oneOf", &any.one_of, at, &mut out);
            members("anyOf", &any.any_of, at, &mut out);
        }
    }
    out
}

type Children<'s> = Vec<(String, &'s Schema)>;

fn object<'s>(
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    additional: Option<&'s AdditionalProperties>,
    at: &str,
    out: &mut Children<'s>,
) {
    for (name, property) in properties {
        boxed(Some(property), &join(at, &["properties", name]), out);
    }
    if let Some(AdditionalProperties::Schema(schema)) = additional {
        plain(schema, &join(at, &["additionalProperties"]), out);
    }
}

fn members<'s>(keyword: &str, list: &'s [ReferenceOr<Schema>], at: &str, out: &mut Children<'s>) {
    for (index, member) in list.iter().enumerate() {
        plain(member, &join(at, &[keyword, &index.to_string()]), out);
    }
}

fn plain<'s>(item: &'s ReferenceOr<Schema>, at: &str, out: &mut Children<'s>) {
    if let ReferenceOr::Item(schema) = item {
        out.push((at.to_owned(), schema));
    }
}

fn boxed<'s>(item: Option<&'s ReferenceOr<Box<Schema>>>, at: &str, out: &mut Children<'s>) {
    if let Some(ReferenceOr::Item(schema)) = item {
        out.push((at.to_owned(), &**schema));
    }
}

#[cfg(test)]
mod tests {
    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}, example: abc}
    post:
      operationId: CreateThing
      parameters:
        - {name: q, in: query, schema: {type: integer, example: 3}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string, example: n}
            examples:
              shared: {$ref: '#/components/examples/Shared'}
              own: {value: {name: own}}
          text/plain:
            schema: {type: string}
            example: skipped
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {name: made}
        default: {$ref: '#/components/responses/Problem'}
components:
  examples:
    Shared: {value: {name: shared}}
  responses:
    Problem:
      description: p
      content:
        application/json:
          schema: {type: object}
          example: {}
  schemas:
    Thing:
      type: object
      example: {name: whole}
      x-examples: [{name: first}, {name: second}]
      properties:
        name: {type: string}
        tags:
          type: array
          items: {type: string, example: tag}
"##;

    #[test]
    fn finds_every_example_with_its_schema_and_operation() {
        let spec = crate::load::load_str(SPEC, "inline.yaml".as_ref()).unwrap();
        let api = crate::lower::build(&spec).unwrap();
        let found: Vec<String> = api
            .examples
            .iter()
            .map(|e| {
                let op = e.operation.as_deref().unwrap_or("-");
                let (pointer, schema, direction) = (&e.pointer, &e.schema_pointer, e.direction);
                format!("{op} {direction:?} {pointer} against {schema}: {}", e.value)
            })
            .collect();
        let item = "#/paths/~1things~1{id}";
        let op = format!("{item}/post");
        let body = format!("{op}/requestBody/content/application~1json");
        let created = format!("{op}/responses/201/content/application~1json");
        let thing = "#/components/schemas/Thing";
        let problem = "#/components/responses/Problem/content/application~1json";
        let expected = [
            format!(
                "- Request {item}/parameters/0/example against {item}/parameters/0/schema: \"abc\""
            ),
            format!(
                "CreateThing Request {op}/parameters/0/schema/example against {op}/parameters/0/schema: 3"
            ),
            format!(
                "CreateThing Request #/components/examples/Shared/value against {body}/schema: {{\"name\":\"shared\"}}"
            ),
            format!(
                "CreateThing Request {body}/examples/own/value against {body}/schema: {{\"name\":\"own\"}}"
            ),
            format!(
                "CreateThing Request {body}/schema/properties/name/example against {body}/schema/properties/name: \"n\""
            ),
            format!(
                "CreateThing Response {created}/example against {created}/schema: {{\"name\":\"made\"}}"
            ),
            // A 3.1 `examples` array (kept as `x-examples`) stands for `example`.
            format!("- Neutral {thing}/examples/0 against {thing}: {{\"name\":\"first\"}}"),
            format!("- Neutral {thing}/examples/1 against {thing}: {{\"name\":\"second\"}}"),
            format!(
                "- Neutral {thing}/properties/tags/items/example against {thing}/properties/tags/items: \"tag\""
            ),
            format!("- Response {problem}/example against {problem}/schema: {{}}"),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn a_response_carries_its_first_example() {
        let spec = crate::load::load_str(SPEC, "inline.yaml".as_ref()).unwrap();
        let api = crate::lower::build(&spec).unwrap();
        let examples: Vec<Option<String>> = api.operations[0]
            .responses
            .iter()
            .map(|r| r.example.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(
            examples,
            [Some(r#"{"name":"made"}"#.to_owned()), Some("{}".to_owned())]
        );
    }
}
