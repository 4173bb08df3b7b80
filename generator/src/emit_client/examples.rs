//! The `no_run` doc example of each client method.
//!
//! Examples are built from the IR only: a body is constructed from the
//! type's `Default` (with its required string fields spelled out), query
//! parameters start from `Default`, and a value that cannot be built that
//! way becomes an argument of the example function, so every example
//! compiles as a doctest.

use crate::ir::{Api, BodyEncoding, Operation, TypeDef, TypeKind, TypeRef};

/// How the example gets a value of some type.
enum Value {
    /// `let {var} = {expr};`
    Built(String),
    /// An argument of the example function, of this type.
    Argument(String),
}

/// The parts of one operation's example.
pub(crate) struct Example {
    lib_name: String,
    body: Option<Value>,
    params: Option<Value>,
    returns_value: bool,
    /// The call gives an event stream.
    events: bool,
}

impl Example {
    pub(crate) fn for_operation(api: &Api, op: &Operation, lib_name: &str) -> Self {
        let body = op
            .body
            .as_ref()
            .filter(|body| body.required)
            .map(|body| match body.encoding {
                BodyEncoding::Binary => Value::Built("std::fs::read(\"upload.bin\")?".to_owned()),
                BodyEncoding::Text => Value::Built("String::from(\"text\")".to_owned()),
                _ => value_of(api, &body.ty),
            });
        let params = op
            .query
            .as_ref()
            .map(|query| value_of(api, &TypeRef::Named(query.type_name.clone())));
        Self {
            lib_name: lib_name.to_owned(),
            body,
            params,
            returns_value: op.success().is_some_and(|r| r.body.is_some()),
            events: op.streams_only(),
        }
    }

    /// The example without a parameters variable (for a call that is given
    /// none).
    pub(crate) fn without_params(mut self) -> Self {
        self.params = None;
        self
    }

    /// The variable that holds the body.
    pub(crate) fn body_var(&self) -> &'static str {
        "body"
    }

    /// A full example calling `call` (e.g. `client.retrieve("id")`).
    pub(crate) fn render(&self, call: &str) -> String {
        if self.events {
            return self.render_events(call);
        }
        let mut lines = self.preamble(&[], call);
        if self.returns_value {
            lines.push(format!("let response = {call}.await?;"));
            lines.push("println!(\"{response:?}\");".to_owned());
        } else {
            lines.push(format!("{call}.await?;"));
        }
        self.close(lines)
    }

    /// A full example reading the event stream that awaiting `call` gives.
    pub(crate) fn render_events(&self, call: &str) -> String {
        let mut lines = self.preamble(&[], call);
        lines.push(format!("let mut events = {call}.await?;"));
        lines.push("while let Some(event) = events.next().await {".to_owned());
        lines.push("    println!(\"{:?}\", event?.data);".to_owned());
        lines.push("}".to_owned());
        self.close(lines)
    }

    /// A full example reading the stream returned by `call`.
    pub(crate) fn render_stream(&self, call: &str) -> String {
        let mut lines = self.preamble(
            &["use futures_util::StreamExt; // or futures::StreamExt"],
            call,
        );
        lines.push(format!("let mut items = {call};"));
        lines.push("while let Some(item) = items.next().await {".to_owned());
        lines.push("    println!(\"{:?}\", item?);".to_owned());
        lines.push("}".to_owned());
        self.close(lines)
    }

    /// A full example walking the pages returned by `call`, printing each
    /// page's `meta_field`.
    pub(crate) fn render_pages(&self, call: &str, meta_field: &str) -> String {
        let mut lines = self.preamble(&[], call);
        lines.push(format!("let mut pages = {call};"));
        lines.push("while let Some(page) = pages.next_page().await {".to_owned());
        lines.push("    let page = page?;".to_owned());
        lines.push(format!(
            "    println!(\"page {{}}: {{:?}}\", page.number, page.response.{meta_field});"
        ));
        lines.push("}".to_owned());
        self.close(lines)
    }

    /// The example's first lines, up to the client; `call` is what it
    /// then calls (an enum path argument names `types` too).
    fn preamble(&self, extra_uses: &[&str], call: &str) -> Vec<String> {
        let mut arguments = Vec::new();
        let mut lets = Vec::new();
        for (var, value) in [("body", &self.body), ("params", &self.params)] {
            match value {
                Some(Value::Built(expr)) => lets.push(format!("let {var} = {expr};")),
                Some(Value::Argument(ty)) => {
                    arguments.push(format!("{var}: {}", qualified(ty, &self.lib_name)))
                }
                None => {}
            }
        }
        let uses_types = self.body.is_some() || self.params.is_some() || call.contains("types::");
        let mut lines = vec![
            "```no_run".to_owned(),
            format!(
                "# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{",
                arguments.join(", ")
            ),
        ];
        lines.extend(extra_uses.iter().map(|line| (*line).to_owned()));
        lines.push(if uses_types {
            format!("use {}::{{Client, types}};", self.lib_name)
        } else {
            format!("use {}::Client;", self.lib_name)
        });
        lines.push(String::new());
        lines.push("let client = Client::from_env()?;".to_owned());
        lines.extend(lets);
        lines
    }

    fn close(&self, mut lines: Vec<String>) -> String {
        lines.push("# Ok(())".to_owned());
        lines.push("# }".to_owned());
        lines.push("```".to_owned());
        lines.join("\n")
    }
}

/// `ty` with every `types::` and `crate::` path rooted at the crate: the
/// example's signature comes before its `use` line.
fn qualified(ty: &str, lib_name: &str) -> String {
    let mut out = String::with_capacity(ty.len());
    let mut rest = ty;
    while let Some(at) = rest.find("types::") {
        let starts_path = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ':'));
        out.push_str(&rest[..at]);
        if starts_path {
            out.push_str(lib_name);
            out.push_str("::");
        }
        out.push_str("types::");
        rest = &rest[at + "types::".len()..];
    }
    out.push_str(rest);
    // `crate::File` (and any `crate::types::…`, left alone above).
    out.replace("crate::", &format!("{lib_name}::"))
}

/// How the example gets a value of `ty`.
fn value_of(api: &Api, ty: &TypeRef) -> Value {
    let TypeRef::Named(name) = ty else {
        return Value::Argument(rust_type(ty));
    };
    let Some(def) = api.types.get(name) else {
        return Value::Argument(rust_type(ty));
    };
    if !def.has_default {
        return Value::Argument(rust_type(ty));
    }
    Value::Built(construct(def))
}

/// `types::T::default()`, or a struct literal naming the required string
/// fields (so that the example shows what must be filled in).
fn construct(def: &TypeDef) -> String {
    let required: Vec<String> = match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| !f.is_optional() && matches!(f.ty, TypeRef::String { .. }))
            .map(|f| format!("    {}: \"example\".to_owned(),", f.name))
            .collect(),
        _ => Vec::new(),
    };
    if required.is_empty() {
        return format!("types::{}::default()", def.name);
    }
    format!(
        "types::{} {{\n{}\n    ..Default::default()\n}}",
        def.name,
        required.join("\n")
    )
}

/// A literal for a number or boolean path parameter (also through an
/// alias).
pub(crate) fn scalar_value(api: &Api, ty: &TypeRef) -> String {
    match unalias(api, ty) {
        TypeRef::Number => "1.0".to_owned(),
        TypeRef::Boolean => "true".to_owned(),
        _ => "1".to_owned(),
    }
}

/// A value of a string enum (also through an alias): its first known
/// variant.
pub(crate) fn enum_value(api: &Api, ty: &TypeRef) -> String {
    let TypeRef::Named(name) = unalias_to_named(api, ty) else {
        return rust_type(ty);
    };
    match api.types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Enum(e)) => match e.variants.first() {
            Some(v) => format!("types::{name}::{}", v.name),
            None => format!("types::{name}::{}(String::new())", e.other_variant),
        },
        _ => format!("types::{name}::default()"),
    }
}

/// A value of a union of scalars (also through an alias): its first
/// variant holding a sample scalar.
pub(crate) fn union_value(api: &Api, ty: &TypeRef) -> String {
    let TypeRef::Named(name) = unalias_to_named(api, ty) else {
        return rust_type(ty);
    };
    let variants = match api.types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Union(variants)) => variants,
        Some(TypeKind::Constants(constants)) => {
            return match constants.values.first() {
                Some((constant, _)) => format!("types::{name}::{constant}"),
                None => format!("types::{name}::default()"),
            };
        }
        _ => return format!("types::{name}::default()"),
    };
    let Some(first) = variants.first() else {
        return format!("types::{name}::default()");
    };
    let inner = match unalias(api, &first.ty) {
        TypeRef::String { .. } => "\"1\".to_owned()".to_owned(),
        TypeRef::Named(_) => enum_value(api, &first.ty),
        other => scalar_value(api, other),
    };
    format!("types::{name}::{}({inner})", first.name)
}

/// The type an alias (or a chain of them) stands for.
fn unalias<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..32 {
        match ty {
            TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// Like [`unalias`], but stops at the last named type.
fn unalias_to_named<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    match unalias(api, ty) {
        named @ TypeRef::Named(_) => named,
        _ => ty,
    }
}

/// A type as the example writes it.
fn rust_type(ty: &TypeRef) -> String {
    super::type_path(ty)
        .to_string()
        .replace(" :: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
}
