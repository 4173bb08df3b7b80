//! Documentation of lowered types and fields, from the schema's
//! description, title, format and default.

use crate::docs;
use crate::ir::TypeRef;

/// Documentation for a named type: the description, else the title, else a
/// line naming the type (every public item is documented).
pub(super) fn type_docs(data: &openapiv3::SchemaData, name: &str) -> Option<String> {
    data.description
        .as_deref()
        .and_then(docs::markdown)
        .or_else(|| data.title.as_deref().and_then(docs::markdown))
        .or_else(|| Some(format!("The `{name}` schema.")))
}

/// Documentation for a field: the description plus what the type alone
/// does not say (the wire format, the server's default).
pub(super) fn field_docs(data: &openapiv3::SchemaData, ty: &TypeRef) -> Option<String> {
    let mut text = data.description.as_deref().and_then(docs::markdown);
    let mut notes = Vec::new();
    if let TypeRef::String {
        format: Some(format),
    } = ty
    {
        notes.push(format!("Format: `{format}`."));
    }
    if let Some(format) = data.extensions.get("x-format").and_then(|v| v.as_str()) {
        notes.push(format!("Format: `{format}`."));
    }
    if let Some(default) = &data.default {
        notes.push(format!("Defaults to `{default}` when not sent."));
    }
    if !notes.is_empty() {
        let joined = notes.join(" ");
        text = Some(match text {
            Some(t) => format!("{t}\n\n{joined}"),
            None => joined,
        });
    }
    text
}
