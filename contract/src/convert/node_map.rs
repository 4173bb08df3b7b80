//! The map from a converted JSON Schema document back to the spec.
//!
//! Every schema object the converter writes is recorded here as a [`Node`]
//! under its pointer in the converted document, with the spec pointer it
//! came from and what the converter did to it (a forbidden property, a
//! keyword written for `format`, the `anyOf` around a nullable schema).
//! [`NodeMap::locate`] turns a validation error's schema location into the
//! spec's schema object and keyword.

use super::keywords::PLAIN_KEYWORDS;
use std::collections::HashMap;
use std::sync::Arc;

/// Why a property's schema became `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Forbidden {
    /// `readOnly`, and the document checks a request.
    ReadOnly,
    /// `writeOnly`, and the document checks a response.
    WriteOnly,
}

/// What the converter knows about one schema object it wrote.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// The spec pointer of the schema object it came from (shared with
    /// every violation that names it).
    pub spec: Arc<str>,
    /// Set when the object is a `false` standing for a forbidden property.
    pub forbidden: Option<Forbidden>,
    /// Keywords written for a spec keyword of another name
    /// (`maximum` written for `format: int32`): converted → spec keyword.
    pub synthesized: Vec<(&'static str, &'static str)>,
    /// Set on the `anyOf` written around a nullable schema without `type`.
    pub nullable_wrapper: bool,
    /// Set when the value is a secret by its schema's markers
    /// ([`generator::is_sensitive`]: `format: password` or
    /// `x-sensitive: true`, never a property's name): messages then never
    /// show the value.
    pub sensitive: bool,
}

/// A node for the schema object at spec pointer `spec`, nothing else known
/// yet.
pub(super) fn node(spec: &str) -> Node {
    Node {
        spec: Arc::from(spec),
        ..Node::default()
    }
}

/// Converted-document pointer → the node written there.
///
/// A hash map: its keys share long prefixes (`/$defs/X/properties/…`),
/// which make ordered lookups compare many bytes, and nothing iterates it
/// in an order that reaches any output.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeMap {
    nodes: HashMap<String, Node>,
}

/// Where an error's schema location lands in the spec.
#[derive(Debug, Clone)]
pub(crate) struct Located<'a> {
    /// The node holding the failing keyword.
    pub node: Option<&'a Node>,
    /// The spec pointer of the schema object holding the keyword.
    pub spec: Arc<str>,
    /// The keyword as the spec writes it.
    pub keyword: &'static str,
}

impl NodeMap {
    /// Records the node written at converted pointer `at`.
    pub(super) fn insert(&mut self, at: String, node: Node) {
        self.nodes.insert(at, node);
    }

    /// Adds another map's nodes, their pointers put under `prefix`.
    pub(super) fn extend_under(&mut self, prefix: &str, other: &NodeMap) {
        for (at, node) in &other.nodes {
            self.nodes.insert(format!("{prefix}{at}"), node.clone());
        }
    }

    /// Maps a keyword location in the converted document (jsonschema's
    /// `schema_path`, e.g. `/$defs/Balance/properties/currency/type`) to
    /// the spec: the schema object and the keyword. A `false_schema` error's
    /// path is the schema itself, not one of its keywords.
    pub fn locate<'p>(&'p self, schema_path: &str, false_schema: bool) -> Located<'p> {
        // A `false` schema fails as a whole: its path is the node itself.
        if let Some(node) = self.nodes.get(schema_path).filter(|_| false_schema) {
            if let Some(forbidden) = node.forbidden {
                let keyword = match forbidden {
                    Forbidden::ReadOnly => "readOnly",
                    Forbidden::WriteOnly => "writeOnly",
                };
                return Located {
                    node: Some(node),
                    spec: Arc::clone(&node.spec),
                    keyword,
                };
            }
        }
        let (parent, keyword) = schema_path.rsplit_once('/').unwrap_or(("", schema_path));
        let mut probe = parent;
        loop {
            if let Some(node) = self.nodes.get(probe) {
                let rest = &parent[probe.len()..];
                let keyword = node
                    .synthesized
                    .iter()
                    .find(|(written, _)| *written == keyword)
                    .map_or_else(|| static_keyword(keyword), |(_, spec)| *spec);
                let spec = if rest.is_empty() {
                    Arc::clone(&node.spec)
                } else {
                    Arc::from(format!("{}{rest}", node.spec))
                };
                return Located {
                    node: Some(node),
                    spec,
                    keyword,
                };
            }
            match probe.rsplit_once('/') {
                Some((up, _)) => probe = up,
                None => {
                    return Located {
                        node: None,
                        spec: Arc::from(format!("#{parent}")),
                        keyword: static_keyword(keyword),
                    };
                }
            }
        }
    }
}

/// The keywords the converter writes, as static strings (violations
/// carry them without allocating).
fn static_keyword(keyword: &str) -> &'static str {
    /// Those it writes besides [`PLAIN_KEYWORDS`].
    const CONVERTED: [&str; 15] = [
        "type",
        "enum",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
    ];
    CONVERTED
        .iter()
        .chain(&PLAIN_KEYWORDS)
        .find(|k| **k == keyword)
        .copied()
        .unwrap_or("$ref")
}
