//! `webhooks.rs`: the events the API sends, for documents with webhooks or
//! callbacks ([`crate::ir::Api::webhooks`]).
//!
//! One `Event` variant per webhook, boxing its body type (a component's
//! type, or the one made for a body written in place), and `Unknown`,
//! which keeps any payload no known event claims. `Event::from_value`
//! dispatches on the tags the lowering chose: for each tag path, the one
//! that tags most events first (ties: the first event's), the string there
//! is matched against the events' values, and the first match decodes the
//! payload into that event's type (the runtime's `decode_event`, whose
//! error names the event and the path inside the payload). A payload that
//! matches nothing is `Unknown`, with the string at the first path. An API
//! with one event and no tag decodes every payload as that event.
//!
//! `verify` and `unwrap` call the runtime's `verify` with
//! `SIGNATURE_HEADERS`: the header names the webhooks' parameters give
//! (lower-cased, first seen first), then the Standard Webhooks names.

use super::ClientNames;
use crate::emit_types::{doc_attrs, ident, type_tokens_with};
use crate::ir::{Api, EventTag, Webhook};
use proc_macro2::TokenStream;
use quote::quote;

/// The standard name of each signature header, after the API's own.
const STANDARD: [&str; 3] = ["webhook-id", "webhook-timestamp", "webhook-signature"];

/// Tokens of `src/webhooks.rs`, or `None` when the API sends no events.
pub(crate) fn webhooks_file(api: &Api, names: &ClientNames<'_>) -> Option<TokenStream> {
    if api.webhooks.is_empty() {
        return None;
    }
    let paths = dispatch_paths(api);
    let module_docs = module_docs(api, names.lib_name, &paths);
    let module_docs = module_docs.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #line] }
    });
    let variants = api.webhooks.iter().map(|webhook| {
        let docs = doc_attrs(Some(&variant_docs(webhook, api.webhooks.len())));
        let name = ident(&webhook.variant);
        let ty = payload_type(webhook);
        quote! { #docs #name(Box<#ty>), }
    });
    let first_path = paths.first().map(|path| path.join("."));
    let unknown_docs = match &first_path {
        Some(path) => format!(" The string at `{path}`, if the payload has one there."),
        None => " Always `None`: no property tells this API's events apart.".to_owned(),
    };
    let names_arms = api.webhooks.iter().map(|webhook| {
        let variant = ident(&webhook.variant);
        let name = &webhook.name;
        quote! { Event::#variant(_) => Some(#name), }
    });
    let dispatch = dispatch(api, &paths);
    let headers = signature_headers(api);
    let imports = if paths.is_empty() {
        quote! { use crate::runtime::webhooks::{decode_event, parse_json}; }
    } else {
        quote! { use crate::runtime::webhooks::{decode_event, parse_json, tag_at}; }
    };
    Some(quote! {
        #(#module_docs)*

        pub use crate::runtime::webhooks::{Error, Key, SignatureHeaders};
        #imports

        /// Where this API's requests carry their signature: the headers its
        /// document names, then the Standard Webhooks ones.
        pub const SIGNATURE_HEADERS: SignatureHeaders = #headers;

        /// Every event this API sends, decoded into its type; `Unknown`
        /// keeps one this crate does not know.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// An event this crate does not know (a newer one, or one no
            /// property tells apart), kept as sent.
            Unknown {
                #[doc = #unknown_docs]
                event_type: Option<String>,
                /// The payload, as JSON.
                raw: serde_json::Value,
            },
        }

        impl Event {
            /// Reads a payload without checking its signature (see
            /// [`unwrap`] for that).
            ///
            /// # Errors
            ///
            /// [`Error::BodyNotJson`] when the body is not JSON, and
            /// [`Error::PayloadMismatch`] when it names an event but does
            /// not match that event's type.
            pub fn parse(body: &[u8]) -> Result<Event, Error> {
                Event::from_value(parse_json(body)?)
            }

            /// Decodes a payload already read as JSON.
            ///
            /// # Errors
            ///
            /// [`Error::PayloadMismatch`] when the payload names an event
            /// but does not match that event's type.
            pub fn from_value(value: serde_json::Value) -> Result<Event, Error> {
                #dispatch
            }

            /// The event's name in the API's document; `None` for
            /// [`Event::Unknown`].
            pub fn name(&self) -> Option<&'static str> {
                match self {
                    #(#names_arms)*
                    Event::Unknown { .. } => None,
                }
            }
        }

        /// Checks that `body` was signed with `key`, as `headers` say, at a
        /// time within the key's tolerance of now.
        ///
        /// # Errors
        ///
        /// Which header is missing or malformed, a signature that does not
        /// match, or a timestamp outside the tolerance.
        pub fn verify(
            body: &[u8],
            headers: &reqwest::header::HeaderMap,
            key: &Key,
        ) -> Result<(), Error> {
            crate::runtime::webhooks::verify(
                body,
                headers,
                key,
                &SIGNATURE_HEADERS,
                std::time::SystemTime::now(),
            )
        }

        /// Checks the signature ([`verify`]), then reads the payload
        /// ([`Event::parse`]).
        ///
        /// # Errors
        ///
        /// Any error of [`verify`] or [`Event::parse`].
        pub fn unwrap(
            body: &[u8],
            headers: &reqwest::header::HeaderMap,
            key: &Key,
        ) -> Result<Event, Error> {
            verify(body, headers, key)?;
            Event::parse(body)
        }
    })
}

/// The Rust type an event's variant boxes.
fn payload_type(webhook: &Webhook) -> TokenStream {
    match &webhook.body {
        Some(body) => type_tokens_with(&body.ty, &quote! { crate::types:: }),
        None => quote! { serde_json::Value },
    }
}

/// The tag paths in dispatch order: the one that tags most events first,
/// ties by the first event that has it.
fn dispatch_paths(api: &Api) -> Vec<Vec<String>> {
    let mut counts: Vec<(&[String], usize, usize)> = Vec::new();
    for (index, tag) in api.webhooks.iter().enumerate() {
        let Some(tag) = &tag.tag else { continue };
        match counts.iter_mut().find(|(path, _, _)| *path == tag.path) {
            Some(entry) => entry.1 += 1,
            None => counts.push((&tag.path, 1, index)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts
        .into_iter()
        .map(|(path, _, _)| path.to_vec())
        .collect()
}

/// The body of `Event::from_value`.
fn dispatch(api: &Api, paths: &[Vec<String>]) -> TokenStream {
    if let [only] = api.webhooks.as_slice() {
        if only.tag.is_none() {
            let variant = ident(&only.variant);
            let name = &only.name;
            return quote! {
                Ok(Event::#variant(Box::new(decode_event(value, #name)?)))
            };
        }
    }
    let matches = paths.iter().map(|path| {
        let keys = path.iter().map(String::as_str);
        let arms: Vec<(TokenStream, TokenStream)> = api
            .webhooks
            .iter()
            .filter_map(|webhook| {
                let tag = webhook.tag.as_ref().filter(|tag| tag.path == *path)?;
                let values = tag.values.iter().map(String::as_str);
                let variant = ident(&webhook.variant);
                let name = &webhook.name;
                Some((
                    quote! { Some(#(#values)|*) },
                    quote! { return Ok(Event::#variant(Box::new(decode_event(value, #name)?))); },
                ))
            })
            .collect();
        if let [(pattern, decode)] = arms.as_slice() {
            return quote! {
                if let #pattern = tag_at(&value, &[#(#keys),*]) {
                    #decode
                }
            };
        }
        let arms = arms
            .iter()
            .map(|(pattern, decode)| quote! { #pattern => { #decode } });
        quote! {
            match tag_at(&value, &[#(#keys),*]) {
                #(#arms)*
                _ => {}
            }
        }
    });
    let event_type = match paths.first() {
        Some(path) => {
            let keys = path.iter().map(String::as_str);
            quote! { tag_at(&value, &[#(#keys),*]).map(str::to_owned) }
        }
        None => quote! { None },
    };
    quote! {
        #(#matches)*
        let event_type = #event_type;
        Ok(Event::Unknown { event_type, raw: value })
    }
}

/// `SignatureHeaders { … }` with the API's names then the standard ones.
fn signature_headers(api: &Api) -> TokenStream {
    let list = |pick: fn(&Webhook) -> Option<&String>, standard: &str| {
        let mut names: Vec<String> = Vec::new();
        let own = api
            .webhooks
            .iter()
            .filter_map(pick)
            .map(|name| name.to_ascii_lowercase());
        for name in own.chain([standard.to_owned()]) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        quote! { &[#(#names),*] }
    };
    let id = list(|w| w.signature_headers.id.as_ref(), STANDARD[0]);
    let timestamp = list(|w| w.signature_headers.timestamp.as_ref(), STANDARD[1]);
    let signature = list(|w| w.signature_headers.signature.as_ref(), STANDARD[2]);
    quote! {
        SignatureHeaders {
            id: #id,
            timestamp: #timestamp,
            signature: #signature,
        }
    }
}

/// A variant's docs: the webhook's name and summary, and how its payloads
/// are recognised.
fn variant_docs(webhook: &Webhook, events: usize) -> String {
    let mut docs = format!("`{}`", webhook.name);
    if let Some(summary) = webhook
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        docs.push_str(" — ");
        docs.push_str(&escape(summary.trim_end_matches('.')));
        docs.push('.');
    }
    if let Some(operation) = &webhook.callback_of {
        docs.push_str(&format!("\n\nA callback of operation `{operation}`."));
    }
    docs.push_str("\n\n");
    docs.push_str(&match &webhook.tag {
        Some(tag) => sent_with(tag),
        None if events == 1 => "Every payload is read as this event.".to_owned(),
        None => "No property tells its payloads apart from the other events': they arrive as \
                 [`Event::Unknown`]."
            .to_owned(),
    });
    docs
}

/// "Sent with `data.event_type` = `a` or `b`."
fn sent_with(tag: &EventTag) -> String {
    let values: Vec<String> = tag.values.iter().map(|v| format!("`{v}`")).collect();
    let values = match values.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    format!("Sent with `{}` = {values}.", tag.path.join("."))
}

/// Text for docs that must not read as markdown links or HTML.
fn escape(text: &str) -> String {
    text.replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The module docs, with an example that reads a payload.
fn module_docs(api: &Api, lib_name: &str, paths: &[Vec<String>]) -> String {
    let first = &api.webhooks[0];
    let mut docs = format!(
        "The events {} sends to your server (webhooks and callbacks), and how to check and \
         read them (with the `webhooks` feature).\n\n\
         [`unwrap`] checks a request's signature with your [`Key`] and decodes its body into an \
         [`Event`]; [`verify`] only checks, [`Event::parse`] only decodes. An event this crate \
         does not know is kept as [`Event::Unknown`], never an error.\n\n",
        escape(&api.title)
    );
    docs.push_str("```\n");
    docs.push_str(&format!(
        "use {lib_name}::reqwest::header::HeaderMap;\n\
         use {lib_name}::webhooks::{{self, Error, Event, Key}};\n\n\
         // In your HTTP handler, with the request's headers and raw body:\n\
         fn handle(headers: &HeaderMap, body: &[u8], key: &Key) -> Result<(), Error> {{\n\
         \x20   match webhooks::unwrap(body, headers, key)? {{\n\
         \x20       Event::{}(event) => println!(\"{}: {{event:?}}\"),\n\
         \x20       other => println!(\"{{:?}}\", other.name()),\n\
         \x20   }}\n\
         \x20   Ok(())\n\
         }}\n",
        first.variant, first.name
    ));
    match paths.first() {
        Some(path) => {
            let known: Vec<&String> = api
                .webhooks
                .iter()
                .filter_map(|w| w.tag.as_ref())
                .flat_map(|tag| &tag.values)
                .collect();
            let mut unknown = "an.event.from.the.future".to_owned();
            while known.contains(&&unknown) {
                unknown.push('_');
            }
            let mut json = serde_json::Value::String(unknown.clone());
            for key in path.iter().rev() {
                json = serde_json::json!({ key: json });
            }
            docs.push_str(&format!(
                "\n// An event newer than this crate is kept as it was sent.\n\
                 let event = Event::parse(br#\"{json}\"#)?;\n\
                 assert_eq!(event.name(), None);\n\
                 assert!(matches!(event, Event::Unknown {{ event_type: Some(ref t), .. }} if t == {unknown:?}));\n"
            ));
        }
        None => {
            docs.push_str(
                "\n// A body that is not JSON is refused.\n\
                 assert!(matches!(Event::parse(b\"not json\"), Err(Error::BodyNotJson { .. })));\n",
            );
        }
    }
    docs.push_str(&format!(
        "# let _ = handle;\n# Ok::<(), {lib_name}::webhooks::Error>(())\n```"
    ));
    docs
}
