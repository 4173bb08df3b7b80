//! Reads the public items of generated source files, as parsed by syn for
//! rendering.

use super::{Argument, CallItem, FieldItem, OperationItem, TypeItem, docs_hash};
use quote::ToTokens;
use std::collections::BTreeMap;

/// The public methods of inherent impls in the client's file: `Client`'s
/// by method name, any other type's as `Type::method`.
pub(super) fn client_methods(file: &syn::File) -> BTreeMap<String, OperationItem> {
    let mut methods = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(owner) = inherent_owner(block) else {
            continue;
        };
        for item in &block.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            if !is_public(&method.vis) {
                continue;
            }
            let name = method.sig.ident.to_string();
            let key = if owner == "Client" {
                name
            } else {
                format!("{owner}::{name}")
            };
            methods.insert(key, method_item(&method.sig, &method.attrs));
        }
    }
    methods
}

/// The request types of the calls file: each one's output and error types
/// (from its `impl Operation`) and the public setters of its `Call`, by
/// the type's name.
pub(super) fn calls(file: &syn::File) -> BTreeMap<String, CallItem> {
    let mut calls: BTreeMap<String, CallItem> = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(path) = &*block.self_ty else {
            continue;
        };
        let Some(last) = path.path.segments.last() else {
            continue;
        };
        if block.trait_.is_some() {
            let entry = calls.entry(last.ident.to_string()).or_default();
            for item in &block.items {
                if let syn::ImplItem::Type(assoc) = item {
                    match assoc.ident.to_string().as_str() {
                        "Output" => entry.output = text(&assoc.ty),
                        "Error" => entry.error = text(&assoc.ty),
                        _ => {}
                    }
                }
            }
            continue;
        }
        // `impl Call<'a, Name<'a>>`: the setters of `Name`'s optional arguments.
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            continue;
        };
        let Some(name) = args.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(syn::Type::Path(ty)) => {
                ty.path.segments.last().map(|s| s.ident.to_string())
            }
            _ => None,
        }) else {
            continue;
        };
        let entry = calls.entry(name).or_default();
        for item in &block.items {
            if let syn::ImplItem::Fn(method) = item {
                if is_public(&method.vis) {
                    entry.setters.insert(
                        method.sig.ident.to_string(),
                        method_item(&method.sig, &method.attrs),
                    );
                }
            }
        }
    }
    calls
}

/// Type text without the lifetimes the generated signatures write
/// (`&'a str` reads `&str`, `Call<'a, calls::Get<'a>>` reads
/// `Call<calls::Get>`).
fn without_lifetimes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('\'') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = after[end..]
            .strip_prefix(", ")
            .or_else(|| after[end..].strip_prefix(' '))
            .unwrap_or(&after[end..]);
        if out.ends_with('<') && rest.starts_with('>') {
            out.pop();
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

fn method_item(sig: &syn::Signature, attrs: &[syn::Attribute]) -> OperationItem {
    let arguments = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(arg) => Some(Argument {
                name: text(&arg.pat),
                ty: without_lifetimes(&text(&arg.ty)),
            }),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let returns = match &sig.output {
        syn::ReturnType::Default => "()".to_owned(),
        syn::ReturnType::Type(_, ty) => without_lifetimes(&text(ty)),
    };
    let returns = if sig.asyncness.is_some() {
        format!("async {returns}")
    } else {
        returns
    };
    OperationItem {
        pointer: String::new(),
        arguments,
        returns,
        docs: docs_hash(&docs(attrs)),
    }
}

/// The public structs, enums and aliases of a models or errors file, with
/// the public associated items of their inherent impls.
pub(super) fn types(file: &syn::File) -> BTreeMap<String, TypeItem> {
    let mut items = TypeItems::default();
    items.read(file);
    items.finish()
}

/// The public types of a file that is read in parts (one syn tree each),
/// with the associated items of inherent impls kept apart until every part
/// is read, so that an impl finds its type in whichever part it is.
#[derive(Debug, Default)]
pub struct TypeItems {
    types: BTreeMap<String, TypeItem>,
    /// Owner, name and type or signature of each public associated item.
    associated: Vec<(String, String, String)>,
}

impl TypeItems {
    /// Reads the public types and inherent associated items of one part.
    pub fn read(&mut self, file: &syn::File) {
        for item in &file.items {
            let (name, item) = match item {
                syn::Item::Struct(def) if is_public(&def.vis) => (&def.ident, struct_item(def)),
                syn::Item::Enum(def) if is_public(&def.vis) => (&def.ident, enum_item(def)),
                syn::Item::Type(def) if is_public(&def.vis) => (
                    &def.ident,
                    TypeItem {
                        kind: "type".to_owned(),
                        docs: docs_hash(&docs(&def.attrs)),
                        target: text(&def.ty),
                        ..TypeItem::default()
                    },
                ),
                _ => continue,
            };
            self.types.insert(name.to_string(), item);
        }
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let Some(owner) = inherent_owner(block) else {
                continue;
            };
            for item in &block.items {
                let (name, ty) = match item {
                    syn::ImplItem::Const(c) if is_public(&c.vis) => {
                        (c.ident.to_string(), text(&c.ty))
                    }
                    syn::ImplItem::Fn(f) if is_public(&f.vis) => {
                        let method = method_item(&f.sig, &[]);
                        let args: Vec<_> = method.arguments.iter().map(|a| a.ty.as_str()).collect();
                        let signature = format!("fn({}) -> {}", args.join(", "), method.returns);
                        (f.sig.ident.to_string(), signature)
                    }
                    _ => continue,
                };
                self.associated.push((owner.clone(), name, ty));
            }
        }
    }

    /// Adds what another part read; parts are merged in file order.
    pub fn merge(&mut self, other: TypeItems) {
        self.types.extend(other.types);
        self.associated.extend(other.associated);
    }

    /// The types by name, each with its associated items.
    pub fn finish(mut self) -> BTreeMap<String, TypeItem> {
        for (owner, name, ty) in self.associated {
            if let Some(entry) = self.types.get_mut(&owner) {
                entry.associated.insert(name, ty);
            }
        }
        self.types
    }
}

fn struct_item(def: &syn::ItemStruct) -> TypeItem {
    let fields = def
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| is_public(&field.vis))
        .map(|(index, field)| {
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| index.to_string(), |ident| unraw(&ident.to_string()));
            let ty = text(&field.ty);
            let item = FieldItem {
                required: !ty.starts_with("Option<"),
                ty,
                pointer: String::new(),
                docs: docs_hash(&docs(&field.attrs)),
            };
            (name, item)
        })
        .collect();
    TypeItem {
        kind: "struct".to_owned(),
        docs: docs_hash(&docs(&def.attrs)),
        fields,
        ..TypeItem::default()
    }
}

fn enum_item(def: &syn::ItemEnum) -> TypeItem {
    let variants = def
        .variants
        .iter()
        .map(|variant| {
            let payload = match &variant.fields {
                syn::Fields::Unit => String::new(),
                syn::Fields::Unnamed(fields) => {
                    let types: Vec<_> = fields.unnamed.iter().map(|f| text(&f.ty)).collect();
                    format!("({})", types.join(", "))
                }
                syn::Fields::Named(fields) => {
                    let fields: Vec<_> = fields
                        .named
                        .iter()
                        .map(|f| format!("{}: {}", text(&f.ident), text(&f.ty)))
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                }
            };
            (variant.ident.to_string(), payload)
        })
        .collect();
    TypeItem {
        kind: "enum".to_owned(),
        docs: docs_hash(&docs(&def.attrs)),
        variants,
        ..TypeItem::default()
    }
}

/// The type an inherent (not trait) impl block is for, by its last name.
fn inherent_owner(block: &syn::ItemImpl) -> Option<String> {
    if block.trait_.is_some() {
        return None;
    }
    match &*block.self_ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_owned()
}

/// The text of the `///` docs among `attrs`.
fn docs(attrs: &[syn::Attribute]) -> String {
    let mut text = String::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(line),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            text.push_str(&line.value());
            text.push('\n');
        }
    }
    text
}

/// Tokens as compact text: a space is kept only between two words
/// (`&'a str`, `impl Future`), so `Option < String >` reads `Option<String>`.
fn text(tokens: &impl ToTokens) -> String {
    let raw = tokens.to_token_stream().to_string();
    let chars: Vec<char> = raw.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(raw.len());
    for (index, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = index.checked_sub(1).map(|i| chars[i]);
            let after = chars.get(index + 1).copied();
            let keep = before.is_some_and(word) && after.is_some_and(word) || before == Some(',');
            if !keep {
                continue;
            }
        }
        if matches!(c, '>' | ')' | ']') {
            let kept = out.trim_end().trim_end_matches(',').len();
            out.truncate(kept);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_left_out() {
        for (written, read) in [
            ("&'a str", "&str"),
            ("Call<'a, calls::Get<'a>>", "Call<calls::Get>"),
            ("Call<'_, calls::Get>", "Call<calls::Get>"),
            ("Option<&'a types::Body>", "Option<&types::Body>"),
            ("&str", "&str"),
        ] {
            assert_eq!(without_lifetimes(written), read);
        }
    }

    #[test]
    fn types_read_as_compact_text() {
        let ty: syn::Type = syn::parse_str("Option < Vec < types :: Thing > >").unwrap();
        assert_eq!(text(&ty), "Option<Vec<types::Thing>>");
        let ty: syn::Type = syn::parse_str("& 'a str").unwrap();
        assert_eq!(text(&ty), "&'a str");
        let ty: syn::Type = syn::parse_str("Result < T , Error < E > >").unwrap();
        assert_eq!(text(&ty), "Result<T, Error<E>>");
        let ty: syn::Type = syn::parse_str("Result < T , Error < E > , >").unwrap();
        assert_eq!(text(&ty), "Result<T, Error<E>>");
    }
}
