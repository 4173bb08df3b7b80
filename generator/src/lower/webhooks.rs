//! Webhooks and callbacks: the events an API sends to its users' servers.
//!
//! Every operation of `webhooks` (3.1; kept by `load` among the document's
//! extensions), of a 3.0 document's `x-webhooks` (the Redoc convention),
//! and of every operation's `callbacks` is one event, in that order
//! (webhooks in document order, then callbacks by operation). An event is
//! named by its key in `webhooks` (or the callback's key); a repeated name
//! is numbered. Its Rust variant name comes from the one sanitiser.
//!
//! - **Body.** The JSON media type of its `requestBody`: a `$ref` reuses
//!   the component's type; a schema written in place gets a type named
//!   `{Variant}Payload`. A body that is not JSON is not read (the event
//!   has no type of its own and carries the JSON value).
//! - **Tag.** How a payload is recognised as this event: see
//!   [`super::event_tags`] for the rule. The candidates are collected here
//!   from the body schema.
//! - **Signature headers.** Header parameters (path-item level, then the
//!   operation's) whose `x-webhook-equivalent` is `webhook-id`,
//!   `webhook-timestamp` or `webhook-signature`, or that are named so.
//!
//! A webhook given by `$ref` (to `components.pathItems`, which the 3.0
//! model has no place for) is skipped with a warning.

use super::Lowering;
use super::event_tags::{self, Candidate};
use crate::docs;
use crate::error::{Error, Result, Warning};
use crate::ir::{BodyEncoding, RequestBody, SignatureHeaderNames, TypeRef, Webhook};
use crate::load::Spec;
use crate::media::json_media;
use crate::names::{self, Namespace};
use crate::pointer::join;
use crate::refs::SchemaRef;
use openapiv3::{OpenAPI, Parameter, PathItem, ReferenceOr, Schema, SchemaKind, Type};

/// How deep the tag search goes into nested objects.
const MAX_TAG_DEPTH: usize = 6;

/// The webhook path items of a document, read from its extensions: the
/// key (`webhooks` or `x-webhooks`), each entry's name and its item.
pub(super) struct WebhookItems {
    items: Vec<(String, String, ReferenceOr<PathItem>)>,
}

impl WebhookItems {
    /// Reads `webhooks` and `x-webhooks` from the document's extensions,
    /// in document order ([`Spec::webhook_names`]).
    pub(super) fn read(spec: &Spec) -> Result<Self> {
        let mut items = Vec::new();
        for (key, name) in &spec.webhook_names {
            let Some(item) = spec
                .document
                .extensions
                .get(key)
                .and_then(|entries| entries.get(name))
            else {
                // `webhooks` in a 3.0 document: not part of its model.
                continue;
            };
            let at = join("#", &[key, name]);
            let item = serde_json::from_value::<ReferenceOr<PathItem>>(item.clone())
                .map_err(|err| Error::invalid(&at, format!("not a path item ({err})")))?;
            items.push((key.clone(), name.clone(), item));
        }
        Ok(Self { items })
    }
}

/// One event before its tag is chosen.
struct Pending {
    webhook: Webhook,
    candidates: Vec<Candidate>,
}

impl<'a> Lowering<'a> {
    /// Lowers every webhook and callback of the document.
    pub(super) fn lower_webhooks(
        &mut self,
        doc: &'a OpenAPI,
        items: &'a WebhookItems,
    ) -> Result<Vec<Webhook>> {
        let mut names = Namespace::new();
        let mut variants = Namespace::new();
        variants.reserve_for("Unknown", "the variant of events this crate does not know");
        let mut pending = Vec::new();
        for (key, name, item) in &items.items {
            let at = join("#", &[key, name]);
            let ReferenceOr::Item(item) = item else {
                self.warnings.push(Warning {
                    pointer: at,
                    message: "a webhook given by `$ref` is not followed; it is not generated"
                        .to_owned(),
                });
                continue;
            };
            for (method, op) in item.iter() {
                let context = EventContext {
                    name,
                    pointer: join(&at, &[method]),
                    method,
                    path_level: &item.parameters,
                    path_pointer: &at,
                    callback_of: None,
                };
                pending.push(self.lower_event(&context, op, &mut names, &mut variants)?);
            }
        }
        let mut ids = self.operation_ids.clone().into_iter();
        for (path, item) in &doc.paths.paths {
            let Some(item) = item.as_item() else { continue };
            for (method, op) in item.iter() {
                let id = ids.next();
                let op_at = join("#/paths", &[path, method]);
                for (callback, expressions) in &op.callbacks {
                    for (expression, item) in expressions {
                        let at = join(&op_at, &["callbacks", callback, expression]);
                        for (method, callback_op) in item.iter() {
                            let context = EventContext {
                                name: callback,
                                pointer: join(&at, &[method]),
                                method,
                                path_level: &item.parameters,
                                path_pointer: &at,
                                callback_of: id.clone(),
                            };
                            pending.push(self.lower_event(
                                &context,
                                callback_op,
                                &mut names,
                                &mut variants,
                            )?);
                        }
                    }
                }
            }
        }
        Ok(self.choose_tags(pending))
    }

    fn lower_event(
        &mut self,
        context: &EventContext<'a, '_>,
        op: &'a openapiv3::Operation,
        names: &mut Namespace,
        variants: &mut Namespace,
    ) -> Result<Pending> {
        let name = names.claim(context.name.to_owned());
        let variant = variants.claim(names::variant_name(&name));
        let (body, candidates) = match &op.request_body {
            Some(body) => {
                let at = join(&context.pointer, &["requestBody"]);
                self.lower_event_body(body, &at, &variant)?
            }
            None => (None, Vec::new()),
        };
        let signature_headers = self.signature_headers(context, &op.parameters)?;
        Ok(Pending {
            webhook: Webhook {
                name,
                variant,
                pointer: context.pointer.clone(),
                method: super::operation::parse_method(context.method),
                summary: op.summary.clone(),
                docs: op.description.as_deref().and_then(docs::markdown),
                body,
                tag: None,
                signature_headers,
                callback_of: context.callback_of.clone(),
            },
            candidates,
        })
    }

    /// The event's JSON body and the tag candidates its schema offers.
    fn lower_event_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        variant: &str,
    ) -> Result<(Option<RequestBody>, Vec<Candidate>)> {
        let resolved = self.resolver.request_body(body, pointer)?;
        let Some((content_type, media)) = json_media(&resolved.item.content) else {
            return Ok((None, Vec::new()));
        };
        let schema_pointer = join(&resolved.pointer, &["content", content_type, "schema"]);
        let (ty, candidates) = match &media.schema {
            Some(schema) => {
                let hint = format!("{variant}Payload");
                let ty = self
                    .lower_schema_ref(schema.into(), &schema_pointer, &hint)?
                    .into_type();
                (ty, self.tag_candidates(schema.into(), &schema_pointer)?)
            }
            None => (TypeRef::Any, Vec::new()),
        };
        let body = RequestBody {
            content_type: content_type.to_owned(),
            encoding: BodyEncoding::Json,
            ty,
            required: resolved.item.required,
            docs: resolved
                .item
                .description
                .as_deref()
                .and_then(docs::markdown),
            schema_pointer,
            example: super::examples::first(&self.resolver, media),
        };
        Ok((Some(body), candidates))
    }

    /// Every string property with `enum` values reachable from the body
    /// schema through `properties` (see [`event_tags`]).
    fn tag_candidates(&self, schema: SchemaRef<'a>, pointer: &str) -> Result<Vec<Candidate>> {
        let mut found = Vec::new();
        let mut declared = Vec::new();
        let mut walk = Walk {
            path: Vec::new(),
            seen: Vec::new(),
            found: &mut found,
            declared: &mut declared,
        };
        self.collect_candidates(schema, pointer, true, &mut walk)?;
        let mut merged = event_tags::merge_same_paths(found);
        for candidate in &mut merged {
            candidate.declared |= declared.contains(&candidate.path);
        }
        Ok(merged)
    }

    fn collect_candidates(
        &self,
        schema: SchemaRef<'a>,
        pointer: &str,
        required: bool,
        walk: &mut Walk<'_>,
    ) -> Result<()> {
        let resolved = self.resolver.schema(schema, pointer)?;
        if walk.seen.contains(&resolved.pointer) || walk.path.len() > MAX_TAG_DEPTH {
            return Ok(());
        }
        walk.seen.push(resolved.pointer.clone());
        let at = resolved.pointer.as_str();
        let schema: &'a Schema = resolved.item;
        if let Some(discriminator) = &schema.schema_data.discriminator {
            let mut path = walk.path.clone();
            path.push(discriminator.property_name.clone());
            walk.declared.push(path);
        }
        let mut strings: Vec<String> = Vec::new();
        // A string without `enum`: any value (an open candidate).
        let mut open_string = false;
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for (name, property) in &object.properties {
                    let required = required && object.required.contains(name);
                    let at = join(at, &["properties", name]);
                    walk.path.push(name.clone());
                    self.collect_candidates(property.into(), &at, required, walk)?;
                    walk.path.pop();
                }
            }
            SchemaKind::Type(Type::String(string)) => {
                strings = string.enumeration.iter().flatten().cloned().collect();
                open_string = strings.is_empty();
            }
            SchemaKind::AllOf { all_of } => {
                for (index, member) in all_of.iter().enumerate() {
                    let at = join(at, &["allOf", &index.to_string()]);
                    self.collect_candidates(member.into(), &at, required, walk)?;
                }
            }
            SchemaKind::OneOf { one_of }
                if walk.path.is_empty() && one_of.iter().all(Self::names_a_component) =>
            {
                if let Some(discriminator) = &schema.schema_data.discriminator {
                    let tags = self.discriminator_tags(discriminator, one_of, at, "oneOf")?;
                    walk.found.push(Candidate {
                        path: vec![discriminator.property_name.clone()],
                        values: tags.into_iter().flat_map(|tag| tag.values).collect(),
                        required: true,
                        declared: true,
                    });
                }
            }
            SchemaKind::Any(any) => {
                for (name, property) in &any.properties {
                    let required = required && any.required.contains(name);
                    let at = join(at, &["properties", name]);
                    walk.path.push(name.clone());
                    self.collect_candidates(property.into(), &at, required, walk)?;
                    walk.path.pop();
                }
                for (index, member) in any.all_of.iter().enumerate() {
                    let at = join(at, &["allOf", &index.to_string()]);
                    self.collect_candidates(member.into(), &at, required, walk)?;
                }
                if any.typ.as_deref().is_none_or(|typ| typ == "string") {
                    strings = any
                        .enumeration
                        .iter()
                        .filter_map(|value| value.as_str().map(str::to_owned))
                        .collect();
                    open_string = strings.is_empty() && any.typ.as_deref() == Some("string");
                }
            }
            _ => {}
        }
        if open_string && !walk.path.is_empty() {
            walk.found.push(Candidate {
                path: walk.path.clone(),
                values: Vec::new(),
                required,
                declared: false,
            });
        }
        if !strings.is_empty() && !walk.path.is_empty() {
            walk.found.push(Candidate {
                path: walk.path.clone(),
                values: strings,
                required,
                declared: false,
            });
        }
        walk.seen.pop();
        Ok(())
    }

    /// The signature headers among the event's header parameters.
    fn signature_headers(
        &self,
        context: &EventContext<'a, '_>,
        own: &'a [ReferenceOr<Parameter>],
    ) -> Result<SignatureHeaderNames> {
        let mut names = SignatureHeaderNames::default();
        let levels = [
            (
                context.path_level,
                join(context.path_pointer, &["parameters"]),
            ),
            (own, join(&context.pointer, &["parameters"])),
        ];
        for (list, base) in levels {
            for (index, item) in list.iter().enumerate() {
                let at = join(&base, &[&index.to_string()]);
                let resolved = self.resolver.parameter(item, &at)?;
                let Parameter::Header { parameter_data, .. } = resolved.item else {
                    continue;
                };
                let equivalent = parameter_data
                    .extensions
                    .get("x-webhook-equivalent")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(&parameter_data.name)
                    .to_ascii_lowercase();
                let slot = match equivalent.as_str() {
                    "webhook-id" => &mut names.id,
                    "webhook-timestamp" => &mut names.timestamp,
                    "webhook-signature" => &mut names.signature,
                    _ => continue,
                };
                *slot = Some(parameter_data.name.clone());
            }
        }
        Ok(names)
    }

    /// Chooses every event's tag, with warnings for events that cannot be
    /// told apart.
    fn choose_tags(&mut self, pending: Vec<Pending>) -> Vec<Webhook> {
        let candidates: Vec<Vec<Candidate>> =
            pending.iter().map(|p| p.candidates.clone()).collect();
        let choice = event_tags::choose(&candidates);
        let mut webhooks: Vec<Webhook> = pending.into_iter().map(|p| p.webhook).collect();
        for (webhook, tag) in webhooks.iter_mut().zip(choice.tags) {
            webhook.tag = tag;
        }
        let mut pairs: Vec<(usize, usize)> = choice.collisions.iter().map(|c| (c.0, c.1)).collect();
        pairs.dedup();
        for (event, owner) in pairs {
            let (this, first) = (&webhooks[event], &webhooks[owner]);
            let path = first
                .tag
                .as_ref()
                .map(|tag| tag.path.join("."))
                .unwrap_or_default();
            let values: Vec<String> = choice
                .collisions
                .iter()
                .filter(|c| (c.0, c.1) == (event, owner))
                .map(|c| format!("`{}`", c.2))
                .collect();
            self.warnings.push(Warning {
                pointer: this.pointer.clone(),
                message: format!(
                    "webhook `{}` carries `{path}` = {} like webhook `{}`, which comes first: \
                     such a payload is parsed as `{}`",
                    this.name,
                    values.join(", "),
                    first.name,
                    first.name
                ),
            });
        }
        for (event, path) in &choice.open {
            let webhook = &webhooks[*event];
            self.warnings.push(Warning {
                pointer: webhook.pointer.clone(),
                message: format!(
                    "webhook `{}` allows any string at `{}`, where the other events say \
                     which they are: it arrives as `Event::Unknown`",
                    webhook.name,
                    path.join(".")
                ),
            });
        }
        let told_apart = webhooks.len() > 1;
        let collided: Vec<usize> = choice
            .collisions
            .iter()
            .map(|c| c.0)
            .chain(choice.open.iter().map(|o| o.0))
            .collect();
        for (index, webhook) in webhooks.iter().enumerate() {
            if webhook.tag.is_none() && told_apart && !collided.contains(&index) {
                self.warnings.push(Warning {
                    pointer: webhook.pointer.clone(),
                    message: format!(
                        "webhook `{}` has no property whose `enum`/`const` value tells its \
                         payloads apart from the other events': it arrives as `Event::Unknown`",
                        webhook.name
                    ),
                });
            }
        }
        webhooks
    }
}

/// Where one event is written.
struct EventContext<'a, 'p> {
    name: &'a str,
    pointer: String,
    method: &'a str,
    path_level: &'a [ReferenceOr<Parameter>],
    path_pointer: &'p str,
    callback_of: Option<String>,
}

/// The state of one walk through a body schema.
struct Walk<'w> {
    path: Vec<String>,
    /// The schemas on the way down (a schema that contains itself stops).
    seen: Vec<String>,
    found: &'w mut Vec<Candidate>,
    /// The paths a `discriminator` names.
    declared: &'w mut Vec<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeRef, Webhook};

    fn fixture(name: &str) -> Api {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/specs")
            .join(name);
        let spec = crate::load::load_file(&path).expect("the fixture loads");
        crate::lower::build(&spec).expect("the fixture lowers")
    }

    fn tag(webhook: &Webhook) -> Option<(String, Vec<&str>)> {
        webhook.tag.as_ref().map(|tag| {
            (
                tag.path.join("."),
                tag.values.iter().map(String::as_str).collect(),
            )
        })
    }

    #[test]
    fn webhooks_keep_document_order_names_bodies_and_tags() {
        let api = fixture("webhooks_ed25519.yaml");
        let names: Vec<(&str, &str)> = api
            .webhooks
            .iter()
            .map(|w| (w.name.as_str(), w.variant.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("callAnswered", "CallAnswered"),
                ("callHangup", "CallHangup"),
                ("messageStatus", "MessageStatus"),
                ("floorChanged", "FloorChanged"),
                ("number.ported", "NumberPorted"),
                ("orderStatus", "OrderStatus"),
                ("ping", "Ping"),
            ]
        );
        let by_name = |name: &str| api.webhooks.iter().find(|w| w.name == name).unwrap();
        // Through a `$ref` and an `allOf` over the envelope.
        assert_eq!(
            tag(by_name("callAnswered")),
            Some(("data.event_type".into(), vec!["call.answered"]))
        );
        assert_eq!(
            tag(by_name("messageStatus")),
            Some((
                "data.event_type".into(),
                vec!["message.sent", "message.delivered"]
            ))
        );
        assert_eq!(
            tag(by_name("floorChanged")),
            Some(("event_type".into(), vec!["conference.floor.changed"]))
        );
        assert_eq!(tag(by_name("ping")), None);
        // Any string at `data.event_type`: its status enum is not a tag.
        assert_eq!(tag(by_name("orderStatus")), None);
        // A component body is used as it is; one written in place is named.
        assert_eq!(
            by_name("callAnswered").body.as_ref().unwrap().ty,
            TypeRef::Named("CallAnsweredEvent".into())
        );
        assert_eq!(
            by_name("number.ported").body.as_ref().unwrap().ty,
            TypeRef::Named("NumberPortedPayload".into())
        );
        assert!(api.types.contains_key("NumberPortedPayload"));
        assert_eq!(
            by_name("callAnswered").pointer,
            "#/webhooks/callAnswered/post"
        );
        let headers = &by_name("callHangup").signature_headers;
        assert_eq!(headers.signature.as_deref(), Some("acme-signature-ed25519"));
        assert_eq!(headers.timestamp.as_deref(), Some("acme-timestamp"));
        assert_eq!(headers.id, None);
        let warned: Vec<&str> = api
            .warnings
            .iter()
            .filter(|w| w.pointer.starts_with("#/webhooks"))
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(
            warned,
            ["#/webhooks/orderStatus/post", "#/webhooks/ping/post"]
        );
    }

    #[test]
    fn callbacks_follow_webhooks_and_a_discriminator_tags_one_event() {
        let api = fixture("webhooks_standard.yaml");
        let last = api.webhooks.last().unwrap();
        assert_eq!(last.name, "subscriptionRenewed");
        assert_eq!(last.callback_of.as_deref(), Some("createSubscription"));
        assert_eq!(
            last.pointer,
            "#/paths/~1subscriptions/post/callbacks/subscriptionRenewed/{$request.body#~1callback_url}/post"
        );
        let refund = api.webhooks.iter().find(|w| w.name == "refund").unwrap();
        assert_eq!(
            tag(refund),
            Some(("type".into(), vec!["refund.created", "refund.failed"]))
        );
        assert!(api.webhooks.iter().all(|w| {
            w.signature_headers.id.as_deref() == Some("webhook-id")
                && w.signature_headers.signature.as_deref() == Some("webhook-signature")
        }));
    }

    #[test]
    fn x_webhooks_of_a_3_0_document_are_read() {
        let api = fixture("webhooks_x_webhooks.yaml");
        let tags: Vec<_> = api.webhooks.iter().map(tag).collect();
        assert_eq!(
            tags,
            [
                Some(("kind".into(), vec!["user.created"])),
                Some(("kind".into(), vec!["user.deleted"])),
            ]
        );
        assert_eq!(api.webhooks[1].pointer, "#/x-webhooks/userDeleted/post");
    }

    #[test]
    fn two_webhooks_with_one_body_keep_the_first_with_a_warning() {
        let text = r##"
openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  first:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/E'}
      responses: {'200': {description: ok}}
  second:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/E'}
      responses: {'200': {description: ok}}
components:
  schemas:
    E:
      type: object
      properties:
        type: {const: thing.happened}
"##;
        let spec = crate::load::load_str(text, std::path::Path::new("t.yaml")).unwrap();
        // Serialized, the document holds the webhooks where pointers say.
        let serialized = serde_json::to_value(&spec.document).unwrap();
        assert!(
            serialized
                .pointer("/webhooks/first/post/requestBody")
                .is_some()
        );
        let api = crate::lower::build(&spec).unwrap();
        assert_eq!(
            tag(&api.webhooks[0]),
            Some(("type".into(), vec!["thing.happened"]))
        );
        assert_eq!(tag(&api.webhooks[1]), None);
        let warning = api
            .warnings
            .iter()
            .find(|w| w.pointer == "#/webhooks/second/post")
            .expect("a warning at the second webhook");
        assert!(warning.message.contains("`first`"), "{}", warning.message);
        assert!(warning.message.contains("`second`"), "{}", warning.message);
    }
}
