//! The one name sanitiser: every Rust identifier the generator emits comes
//! from here.
//!
//! Spec names may be anything (`type`, `2fa`, `foo-bar`, `Option`); these
//! functions turn them into valid, readable identifiers, and [`Namespace`]
//! makes them unique within a scope in a deterministic way (first come keeps
//! the plain name, later ones get `2`, `3`, … appended).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be used as identifiers, even raw.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that generated code uses unqualified, or that would shadow
/// the prelude for a user's glob import.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Send",
    "Sync",
    "Sized",
    "Serialize",
    "Deserialize",
    "BTreeMap",
    "Value",
    "Map",
    "Error",
    "Fn",
    "Self",
];

/// Splits off characters that cannot appear in an identifier and joins the
/// rest with underscores, so that heck sees word boundaries.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '-' && out.is_empty() {
            // A leading minus is meaningful in wire values such as `-created_at`.
            out.push_str("minus_");
        } else if c == '+' && out.is_empty() {
            out.push_str("plus_");
        } else {
            out.push('_');
        }
    }
    out
}

/// An UpperCamelCase type name for `raw`.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// An UpperCamelCase enum variant name for `raw`.
pub fn variant_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// A snake_case field, argument or method name for `raw`, `r#`-escaped
/// where it is a keyword.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// The name as it appears without a raw-identifier prefix.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A set of names in one scope that hands out unique ones.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `name` as used without checking (for names fixed in advance).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(unraw(name).to_owned());
    }

    /// Whether `name` is already used.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(unraw(name))
    }

    /// Returns `name`, or `name2`, `name3`, … (`name_2` for snake_case
    /// names, but `self_2` for `self_`) — whichever is free first — and
    /// marks it used.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(unraw(&name).to_owned()) {
            return name;
        }
        let base = unraw(&name).to_owned();
        let snake = base.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        // `self_` + `_2` would be `self__2`, which rustc's snake-case lint
        // rejects: after a trailing underscore the number goes on directly.
        let separator = if snake && !base.ends_with('_') {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(type_name("managed-account"), "ManagedAccount");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("2fa"), "T2fa");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn fields() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("createdAt"), "created_at");
        assert_eq!(field_name("a.b"), "a_b");
        assert_eq!(field_name("1st"), "_1st");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("-created_at"), "MinusCreatedAt");
        assert_eq!(variant_name("created_at"), "CreatedAt");
        assert_eq!(variant_name("Self"), "SelfValue");
    }

    #[test]
    fn namespace_suffixes() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim("Foo".into()), "Foo");
        assert_eq!(ns.claim("Foo".into()), "Foo2");
        assert_eq!(ns.claim("foo_bar".into()), "foo_bar");
        assert_eq!(ns.claim("foo_bar".into()), "foo_bar_2");
        assert_eq!(ns.claim("r#type".into()), "r#type");
        assert_eq!(ns.claim("r#type".into()), "type_2");
        assert_eq!(ns.claim("self_".into()), "self_");
        assert_eq!(ns.claim("self_".into()), "self_2");
    }
}
