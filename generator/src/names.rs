//! The one name sanitiser: every Rust identifier the generator emits comes
//! from here.
//!
//! Spec names may be anything (`type`, `2fa`, `foo-bar`, `Option`); these
//! functions turn them into valid, readable identifiers, and [`Namespace`]
//! makes them unique within a scope in a deterministic way (first come keeps
//! the plain name, later ones get `2`, `3`, … appended).
//!
//! The scope of the generated types ([`Namespace::for_types`]) never hands
//! out a name the generated code uses for something else (`Option`, `From`,
//! `Serialize`, `Client`, an operation's error enum) or a common std or
//! serde name a user imports beside the types (`HashMap`, `Duration`,
//! `Arc`): such a type is `{Name}Type` instead, and its docs say why. Only
//! the Rust name changes; a type's name is never on the wire.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

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

/// The Rust 2024 prelude's types, traits and variants (and the derive
/// macros `Debug` and `Hash`): a type of one of these names would shadow
/// the prelude in `types.rs`, which writes them unqualified
/// (`Option<String>`, `impl From<&str>`, `Result<S::Ok, S::Error>`), and in
/// any module that glob-imports `types`.
const PRELUDE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The std and serde names the generated code writes (`Serialize` and
/// `Deserialize` unqualified in `types.rs`, the others behind a path today:
/// reserving them keeps an emitter that drops the path correct).
const OUTPUT_NAMES: &[&str] = &[
    "BTreeMap",
    "Deserialize",
    "DeserializeOwned",
    "Deserializer",
    "Display",
    "Formatter",
    "Map",
    "Serialize",
    "Serializer",
    "Value",
];

/// The types of std and of serde_json a user is likely to import next to
/// `use types::*` (the collections, smart pointers, cells, time, `Cow`,
/// `Ordering`, `PhantomData`, paths, and serde_json's `Number`): a
/// component of one of these names would shadow it, or clash with it, in
/// such a module. Together with the prelude and the names the output writes,
/// the principle is: no type is named like a std or serde item a Rust user
/// writes unqualified.
const COMMON_STD_NAMES: &[&str] = &[
    "Arc",
    "BTreeSet",
    "BinaryHeap",
    "Cell",
    "Cow",
    "Duration",
    "HashMap",
    "HashSet",
    "Instant",
    "LinkedList",
    "Mutex",
    "Number",
    "Ordering",
    "Path",
    "PathBuf",
    "PhantomData",
    "Rc",
    "RefCell",
    "RwLock",
    "SystemTime",
    "VecDeque",
    "Weak",
];

/// The client's items at the root of the generated crate, which its docs
/// and users name next to `types::…`.
const CLIENT_NAMES: &[&str] = &[
    "BuildError",
    "Client",
    "ClientBuilder",
    "Error",
    "ItemStream",
];

/// The names `calls.rs` imports or writes besides the request types.
const CALLS_NAMES: &[&str] = &[
    "Auth",
    "Call",
    "Client",
    "DecodeFailure",
    "Method",
    "Multipart",
    "Operation",
    "OperationRequest",
    "OperationSuccess",
    "Payload",
    "Style",
];

/// What a generated type name is appended with when the name it would
/// have is reserved.
const RESERVED_SUFFIX: &str = "Type";

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

/// An UpperCamelCase identifier for `raw`, to name a type or to start one
/// (`{OperationId}Params`). Whether it may be used as it is, the type
/// namespace ([`Namespace::for_types`]) decides.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push_str(RESERVED_SUFFIX);
    }
    name
}

/// The operation id of an operation the spec gives none: its method and
/// path (`get /things/{id}` → `GetThingsId`).
pub fn default_operation_id(method: &str, path: &str) -> String {
    type_name(&format!("{method} {path}"))
}

/// The name of each operation's error enum in the `errors` module
/// (`{OperationId}Error`), in the order of `operation_ids`, unique among
/// themselves.
pub fn error_enum_names<'a>(operation_ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut namespace = Namespace::new();
    operation_ids
        .into_iter()
        .map(|id| namespace.claim(format!("{}Error", type_name(id))))
        .collect()
}

/// The name of each operation's request type in `calls` (the operation
/// id in UpperCamelCase), in operation order, unique and clear of the
/// prelude and of the names `calls.rs` imports.
pub fn call_type_names<'a>(operation_ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut namespace = Namespace::new();
    for name in PRELUDE_NAMES.iter().chain(CALLS_NAMES) {
        namespace.reserve_for(name, "a name `calls.rs` uses");
    }
    operation_ids
        .into_iter()
        .map(|id| namespace.claim(type_name(id)))
        .collect()
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
    /// Names never handed out, with why: asked for one, [`Namespace::claim`]
    /// gives it with `Type` appended (`From` → `FromType`).
    reserved: BTreeMap<String, String>,
}

impl Namespace {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// The scope of the generated types (`types.rs`), which reserves every
    /// name the generated code uses for something else: the prelude, the
    /// std and serde names it writes, the common std and serde names a user
    /// imports beside the types, and the client's items. The error
    /// enums' names are added with [`Namespace::reserve_for`].
    pub fn for_types() -> Self {
        let mut namespace = Self::new();
        let groups = [
            (PRELUDE_NAMES, "a name of Rust's prelude"),
            (OUTPUT_NAMES, "a std or serde name the generated code uses"),
            (COMMON_STD_NAMES, "a common std or serde name"),
            (CLIENT_NAMES, "the name of one of the client's items"),
        ];
        for (names, why) in groups {
            for name in names {
                namespace.reserve_for(name, why);
            }
        }
        namespace
    }

    /// Reserves `name` for something other than what this scope names, so
    /// that a claim of it gets another name; `why` says what it is.
    pub fn reserve_for(&mut self, name: &str, why: &str) {
        self.reserved.insert(unraw(name).to_owned(), why.to_owned());
    }

    /// What a reserved name is kept for, if `name` is one.
    pub fn reserved_for(&self, name: &str) -> Option<&str> {
        self.reserved.get(unraw(name)).map(String::as_str)
    }

    /// A line for the docs of the type named `given` for the spec's name
    /// `raw`, when `given` is not `raw`'s own name because that is reserved.
    pub fn rename_note(&self, raw: &str, given: &str) -> Option<String> {
        let wanted = type_name(raw);
        let why = self.reserved_for(&wanted).filter(|_| wanted != given)?;
        let spelled = if raw == wanted {
            String::new()
        } else {
            format!(" (the spec's `{raw}`)")
        };
        Some(format!(
            "Named `{given}` in Rust because `{wanted}`{spelled} is {why}."
        ))
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
    /// marks it used. A reserved name is asked for as `{name}Type` instead
    /// (then `{name}Type2`, …).
    pub fn claim(&mut self, name: String) -> String {
        let name = if self.reserved.contains_key(unraw(&name)) {
            format!("{}{RESERVED_SUFFIX}", unraw(&name))
        } else {
            name
        };
        if !self.reserved.contains_key(&name) && self.taken.insert(unraw(&name).to_owned()) {
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
            .find(|candidate| {
                !self.reserved.contains_key(candidate) && self.taken.insert(candidate.clone())
            })
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(type_name("managed-account"), "ManagedAccount");
        assert_eq!(type_name("Option"), "Option");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("2fa"), "T2fa");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn the_type_scope_never_hands_out_a_reserved_name() {
        let mut ns = Namespace::for_types();
        ns.reserve_for("GetThingError", "the error enum of `GetThing`");
        assert_eq!(ns.claim("From".into()), "FromType");
        assert_eq!(ns.claim("From".into()), "FromType2");
        assert_eq!(ns.claim("FromType".into()), "FromType3");
        assert_eq!(ns.claim("Client".into()), "ClientType");
        assert_eq!(ns.claim("GetThingError".into()), "GetThingErrorType");
        assert_eq!(ns.claim("FromRequest".into()), "FromRequest");
        let all = [PRELUDE_NAMES, OUTPUT_NAMES, COMMON_STD_NAMES, CLIENT_NAMES];
        for name in all.into_iter().flatten() {
            assert_ne!(ns.claim((*name).to_owned()), *name);
        }
        assert_eq!(
            ns.rename_note("from", "FromType").as_deref(),
            Some(
                "Named `FromType` in Rust because `From` (the spec's `from`) is a name of Rust's prelude."
            )
        );
        assert_eq!(
            ns.rename_note("Client", "ClientType").as_deref(),
            Some(
                "Named `ClientType` in Rust because `Client` is the name of one of the client's items."
            )
        );
        assert_eq!(ns.rename_note("FromRequest", "FromRequest"), None);
        assert_eq!(ns.rename_note("foo", "Foo2"), None);
    }

    #[test]
    fn error_enums_are_named_after_their_operation() {
        assert_eq!(
            error_enum_names(["ListThings", "list_things", "From"]),
            ["ListThingsError", "ListThingsError2", "FromError"]
        );
        assert_eq!(default_operation_id("get", "/things/{id}"), "GetThingsId");
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
