//! What the differences between two manifests mean for the crate's users.
//!
//! Every change is one rule, classed for code that uses the crate:
//!
//! | rule | class |
//! |---|---|
//! | `operation-removed`, `argument-added`, `argument-removed`, `argument-type-changed`, `return-type-changed` | breaking |
//! | `type-removed`, `type-kind-changed`, `alias-target-changed` | breaking |
//! | `field-removed`, `field-added-required`, `field-became-required`, `field-became-optional`, `field-type-changed` | breaking |
//! | `variant-removed`, `variant-payload-changed`, `associated-removed`, `associated-changed` | breaking |
//! | `operation-added`, `type-added`, `field-added-optional`, `variant-added`, `associated-added` | additive |
//! | `operation-docs-changed`, `type-docs-changed`, `field-docs-changed` | documentation-only |
//!
//! Additive changes break no caller that follows the crate's conventions,
//! but two still reach code: a new optional field must be written in
//! struct literals that do not end in `..Default::default()`, and a new
//! variant must be handled by an exhaustive `match` (the message says so).

use super::{FieldItem, Manifest, OperationItem, TypeItem};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How a change reaches the crate's users, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// Only documentation changed.
    Documentation,
    /// Something was added; existing callers keep compiling.
    Additive,
    /// Existing callers may stop compiling or behave differently.
    Breaking,
}

impl fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeClass::Documentation => "documentation-only",
            ChangeClass::Additive => "additive",
            ChangeClass::Breaking => "breaking",
        })
    }
}

/// One change of the public API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiChange {
    /// How it reaches users.
    pub class: ChangeClass,
    /// The rule that found it (see the module docs).
    pub rule: &'static str,
    /// The Rust item it touches, e.g. `types::ManagedAccount::email`.
    pub item: String,
    /// Where it comes from in the spec (the new spec's pointer, or the old
    /// one's for a removal); empty where the item has none.
    pub pointer: String,
    /// What changed.
    pub message: String,
}

/// Every change between two manifests, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApiChanges {
    /// The changes, grouped by item.
    pub changes: Vec<ApiChange>,
}

/// The semver bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// `x.y.z+1`.
    Patch,
    /// `x.y+1.0`.
    Minor,
    /// `x+1.0.0`.
    Major,
}

impl ApiChanges {
    /// The most severe class among the changes.
    pub fn worst(&self) -> Option<ChangeClass> {
        self.changes.iter().map(|change| change.class).max()
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.worst() == Some(ChangeClass::Breaking)
    }

    /// How many changes are of `class`.
    pub fn count(&self, class: ChangeClass) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// The bump these changes imply for a crate now at `version`: under
    /// 1.0, a breaking change bumps the minor number (0.1.3 → 0.2.0) and
    /// anything else the patch; from 1.0, major, minor and patch; under
    /// 0.1 (`0.0.z`) every change bumps the patch.
    pub fn bump(&self, version: &str) -> Bump {
        let Some(worst) = self.worst() else {
            return Bump::None;
        };
        let (major, minor) = match parse_version(version) {
            Some((major, minor, _)) => (major, minor),
            None => (1, 0),
        };
        match (worst, major, minor) {
            (_, 0, 0) => Bump::Patch,
            (ChangeClass::Breaking, 0, _) => Bump::Minor,
            (_, 0, _) => Bump::Patch,
            (ChangeClass::Breaking, _, _) => Bump::Major,
            (ChangeClass::Additive, _, _) => Bump::Minor,
            (ChangeClass::Documentation, _, _) => Bump::Patch,
        }
    }

    /// A report for people: a summary line with the bump, then one line per
    /// change.
    pub fn render(&self, version: &str) -> String {
        let bump = self.bump(version);
        let mut out = format!(
            "API changes: {} breaking, {} additive, {} documentation-only",
            self.count(ChangeClass::Breaking),
            self.count(ChangeClass::Additive),
            self.count(ChangeClass::Documentation),
        );
        match bump.apply(version) {
            Some(next) if bump != Bump::None => {
                out.push_str(&format!("; semver: {version} -> {next} ({bump:?} bump)\n"));
            }
            _ => out.push('\n'),
        }
        for change in &self.changes {
            out.push_str(&format!(
                "  {:<18} {}: {} [{}]",
                change.class.to_string(),
                change.item,
                change.message,
                change.rule
            ));
            if !change.pointer.is_empty() {
                out.push_str(&format!("\n  {:<18} from {}", "", change.pointer));
            }
            out.push('\n');
        }
        out
    }
}

impl Bump {
    /// `version` bumped; `None` when it is not `major.minor.patch`.
    pub fn apply(self, version: &str) -> Option<String> {
        let (major, minor, patch) = parse_version(version)?;
        Some(match self {
            Bump::None => version.to_owned(),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        })
    }
}

/// `major.minor.patch`, without pre-release or build parts.
fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(|part| part.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// The changes from `old` to `new`.
pub fn compare(old: &Manifest, new: &Manifest) -> ApiChanges {
    let mut out = Changes::default();
    keyed(&old.operations, &new.operations, |name, old, new| {
        // `Call<calls::Name>::setter` names its owner already.
        let item = if name.contains("::") {
            name.to_owned()
        } else {
            format!("Client::{name}")
        };
        match (old, new) {
            (Some(old), None) => out.push(
                ChangeClass::Breaking,
                "operation-removed",
                &item,
                &old.pointer,
                "method removed".to_owned(),
            ),
            (None, Some(new)) => out.push(
                ChangeClass::Additive,
                "operation-added",
                &item,
                &new.pointer,
                format!("new method ({})", signature(new)),
            ),
            (Some(old), Some(new)) => out.operation(&item, old, new),
            (None, None) => {}
        }
    });
    for (module, old, new) in [
        ("types", &old.types, &new.types),
        ("errors", &old.errors, &new.errors),
        ("responses", &old.responses, &new.responses),
        ("webhooks", &old.webhooks, &new.webhooks),
    ] {
        keyed(old, new, |name, old, new| {
            let item = format!("{module}::{name}");
            match (old, new) {
                (Some(old), None) => out.push(
                    ChangeClass::Breaking,
                    "type-removed",
                    &item,
                    &old.pointer,
                    format!("{} removed", old.kind),
                ),
                (None, Some(new)) => out.push(
                    ChangeClass::Additive,
                    "type-added",
                    &item,
                    &new.pointer,
                    format!("new {}", new.kind),
                ),
                (Some(old), Some(new)) => out.type_item(&item, old, new),
                (None, None) => {}
            }
        });
    }
    ApiChanges { changes: out.0 }
}

#[derive(Default)]
struct Changes(Vec<ApiChange>);

impl Changes {
    fn push(
        &mut self,
        class: ChangeClass,
        rule: &'static str,
        item: &str,
        pointer: &str,
        message: String,
    ) {
        self.0.push(ApiChange {
            class,
            rule,
            item: item.to_owned(),
            pointer: pointer.to_owned(),
            message,
        });
    }

    fn operation(&mut self, item: &str, old: &OperationItem, new: &OperationItem) {
        let at = &new.pointer;
        for (index, pair) in pairs(&old.arguments, &new.arguments).enumerate() {
            match pair {
                (Some(old), None) => self.push(
                    ChangeClass::Breaking,
                    "argument-removed",
                    item,
                    at,
                    format!("argument {} `{}: {}` removed", index + 1, old.name, old.ty),
                ),
                (None, Some(new)) => self.push(
                    ChangeClass::Breaking,
                    "argument-added",
                    item,
                    at,
                    format!("new argument {} `{}: {}`", index + 1, new.name, new.ty),
                ),
                (Some(old), Some(new)) if old.ty != new.ty => self.push(
                    ChangeClass::Breaking,
                    "argument-type-changed",
                    item,
                    at,
                    format!(
                        "argument {} `{}`: {} -> {}",
                        index + 1,
                        new.name,
                        old.ty,
                        new.ty
                    ),
                ),
                _ => {}
            }
        }
        if old.returns != new.returns {
            self.push(
                ChangeClass::Breaking,
                "return-type-changed",
                item,
                at,
                format!("returns {} -> {}", old.returns, new.returns),
            );
        }
        if old.docs != new.docs {
            self.docs("operation-docs-changed", item, at);
        }
    }

    fn type_item(&mut self, item: &str, old: &TypeItem, new: &TypeItem) {
        let at = &new.pointer;
        if old.kind != new.kind {
            self.push(
                ChangeClass::Breaking,
                "type-kind-changed",
                item,
                at,
                format!("{} -> {}", old.kind, new.kind),
            );
            return;
        }
        if old.target != new.target {
            self.push(
                ChangeClass::Breaking,
                "alias-target-changed",
                item,
                at,
                format!("{} -> {}", old.target, new.target),
            );
        }
        keyed(&old.fields, &new.fields, |name, old, new| {
            self.field(&format!("{item}::{name}"), old, new);
        });
        keyed(&old.variants, &new.variants, |name, old, new| {
            self.variant(&format!("{item}::{name}"), at, old, new);
        });
        keyed(&old.associated, &new.associated, |name, old, new| {
            let path = format!("{item}::{name}");
            match (old, new) {
                (Some(_), None) => self.push(
                    ChangeClass::Breaking,
                    "associated-removed",
                    &path,
                    at,
                    "removed".to_owned(),
                ),
                (None, Some(new)) => self.push(
                    ChangeClass::Additive,
                    "associated-added",
                    &path,
                    at,
                    format!("new: {new}"),
                ),
                (Some(old), Some(new)) if old != new => self.push(
                    ChangeClass::Breaking,
                    "associated-changed",
                    &path,
                    at,
                    format!("{old} -> {new}"),
                ),
                _ => {}
            }
        });
        if old.docs != new.docs {
            self.docs("type-docs-changed", item, at);
        }
    }

    fn field(&mut self, item: &str, old: Option<&FieldItem>, new: Option<&FieldItem>) {
        match (old, new) {
            (Some(old), None) => self.push(
                ChangeClass::Breaking,
                "field-removed",
                item,
                &old.pointer,
                format!("field removed (was {})", old.ty),
            ),
            (None, Some(new)) if new.required => self.push(
                ChangeClass::Breaking,
                "field-added-required",
                item,
                &new.pointer,
                format!("new required field `{}`: every value must now give it", new.ty),
            ),
            (None, Some(new)) => self.push(
                ChangeClass::Additive,
                "field-added-optional",
                item,
                &new.pointer,
                format!(
                    "new optional field `{}` (struct literals without `..Default::default()` must name it)",
                    new.ty
                ),
            ),
            (Some(old), Some(new)) => {
                let at = &new.pointer;
                let (rule, what) = match (old.required, new.required) {
                    (false, true) => ("field-became-required", "became required"),
                    (true, false) => ("field-became-optional", "became optional"),
                    _ => ("field-type-changed", "type changed"),
                };
                if old.ty != new.ty {
                    self.push(
                        ChangeClass::Breaking,
                        rule,
                        item,
                        at,
                        format!("{what}: {} -> {}", old.ty, new.ty),
                    );
                } else if old.docs != new.docs {
                    self.docs("field-docs-changed", item, at);
                }
            }
            (None, None) => {}
        }
    }

    fn variant(&mut self, item: &str, at: &str, old: Option<&String>, new: Option<&String>) {
        match (old, new) {
            (Some(_), None) => self.push(
                ChangeClass::Breaking,
                "variant-removed",
                item,
                at,
                "variant removed".to_owned(),
            ),
            (None, Some(_)) => self.push(
                ChangeClass::Additive,
                "variant-added",
                item,
                at,
                "new variant (an exhaustive `match` must handle it)".to_owned(),
            ),
            (Some(old), Some(new)) if old != new => self.push(
                ChangeClass::Breaking,
                "variant-payload-changed",
                item,
                at,
                format!("payload {} -> {}", shown(old), shown(new)),
            ),
            _ => {}
        }
    }

    fn docs(&mut self, rule: &'static str, item: &str, at: &str) {
        self.push(
            ChangeClass::Documentation,
            rule,
            item,
            at,
            "documentation changed".to_owned(),
        );
    }
}

fn shown(payload: &str) -> &str {
    if payload.is_empty() { "none" } else { payload }
}

fn signature(op: &OperationItem) -> String {
    let args: Vec<_> = op
        .arguments
        .iter()
        .map(|a| format!("{}: {}", a.name, a.ty))
        .collect();
    format!("({}) -> {}", args.join(", "), op.returns)
}

/// Calls `each` for every key of either map, in key order.
fn keyed<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
    mut each: impl FnMut(&str, Option<&'a V>, Option<&'a V>),
) {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        each(key, old.get(key), new.get(key));
    }
}

/// The items of two lists side by side, the shorter padded with `None`.
fn pairs<'a, T>(
    old: &'a [T],
    new: &'a [T],
) -> impl Iterator<Item = (Option<&'a T>, Option<&'a T>)> {
    (0..old.len().max(new.len())).map(|index| (old.get(index), new.get(index)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(classes: &[ChangeClass]) -> ApiChanges {
        ApiChanges {
            changes: classes
                .iter()
                .map(|&class| ApiChange {
                    class,
                    rule: "r",
                    item: "i".to_owned(),
                    pointer: String::new(),
                    message: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_bump_follows_the_worst_change_and_the_version() {
        use ChangeClass::*;
        assert_eq!(changes(&[]).bump("0.1.0"), Bump::None);
        assert_eq!(changes(&[Additive, Breaking]).bump("0.1.3"), Bump::Minor);
        assert_eq!(changes(&[Additive]).bump("0.1.3"), Bump::Patch);
        assert_eq!(changes(&[Documentation]).bump("0.1.3"), Bump::Patch);
        assert_eq!(changes(&[Breaking]).bump("1.2.3"), Bump::Major);
        assert_eq!(changes(&[Additive]).bump("1.2.3"), Bump::Minor);
        assert_eq!(changes(&[Breaking]).bump("0.0.4"), Bump::Patch);
        assert_eq!(Bump::Minor.apply("0.1.3").as_deref(), Some("0.2.0"));
        assert_eq!(Bump::Major.apply("1.2.3").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Patch.apply("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Patch.apply("1.0.0-rc.1"), None);
    }
}
