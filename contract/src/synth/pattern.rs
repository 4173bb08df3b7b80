//! A string that matches a `pattern`, from the regex's HIR
//! (`regex-syntax`): literals as written, one character per class (an
//! alphanumeric when the class has one, chosen by the variant), each
//! repetition at its minimum (grown when `minLength` asks for more), one
//! branch per alternation (by the variant); anchors and word boundaries
//! produce nothing. The result is not checked here: the validator loop of
//! `ContractValidator::synthesize` reports a pattern that could not be
//! honoured.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// How many times repetitions may be grown to reach `minLength`.
const MAX_GROWTH: u32 = 256;

/// The longest text a walk writes (nested repetitions multiply).
const MAX_BYTES: usize = 1 << 20;

/// A string matching `pattern` of `min..=max` characters when one is
/// found, or `None` when the pattern does not parse.
pub(super) fn from_pattern(
    pattern: &str,
    min: u64,
    max: Option<u64>,
    variant: u64,
) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let min = usize::try_from(min).unwrap_or(usize::MAX);
    let mut text = String::new();
    for growth in 0..=MAX_GROWTH {
        text.clear();
        walk(&hir, growth, variant, &mut text);
        if text.chars().count() >= min {
            break;
        }
    }
    let count = text.chars().count();
    if count < min && !anchored_at_end(&hir) {
        // An unanchored pattern matches with anything after it.
        text.extend(std::iter::repeat_n('x', min - count));
    }
    if let Some(max) = max.and_then(|m| usize::try_from(m).ok()) {
        if text.chars().count() > max && !anchored_at_end(&hir) {
            // Only the repetitions' minimum: the shortest match.
            let mut shortest = String::new();
            walk(&hir, 0, variant, &mut shortest);
            text = shortest;
        }
    }
    Some(text)
}

/// Appends a match of `hir` to `out`; each repetition repeats `growth`
/// times more than its minimum (within its maximum).
fn walk(hir: &Hir, growth: u32, variant: u64, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(class) => {
            if let Some(c) = class_char(class, variant) {
                out.push(c);
            }
        }
        HirKind::Repetition(repetition) => {
            let mut count = repetition.min.saturating_add(growth);
            if let Some(max) = repetition.max {
                count = count.min(max);
            }
            // Every repetition of a class gets another character in turn,
            // so `[a-z]{3}` reads `abc`, not `aaa`.
            for index in 0..count {
                if out.len() > MAX_BYTES {
                    break;
                }
                walk(
                    &repetition.sub,
                    growth,
                    variant.wrapping_add(u64::from(index)),
                    out,
                );
            }
        }
        HirKind::Capture(capture) => walk(&capture.sub, growth, variant, out),
        HirKind::Concat(parts) => {
            for part in parts {
                walk(part, growth, variant, out);
            }
        }
        HirKind::Alternation(branches) => {
            let index = usize::try_from(variant % branches.len().max(1) as u64).unwrap_or(0);
            if let Some(branch) = branches.get(index) {
                walk(branch, growth, variant, out);
            }
        }
    }
}

/// One character of a class: the `variant`-th alphanumeric it holds (among
/// the first few), else its first printable character, else its first.
fn class_char(class: &Class, variant: u64) -> Option<char> {
    let ranges: Vec<(char, char)> = match class {
        Class::Unicode(class) => class.iter().map(|r| (r.start(), r.end())).collect(),
        Class::Bytes(class) => class
            .iter()
            .filter(|r| r.start().is_ascii())
            .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
            .collect(),
    };
    // The alphanumerics sit in the first ranges of any class holding them.
    let alphanumerics: Vec<char> = ranges
        .iter()
        .take(16)
        .flat_map(|&(start, end)| {
            ('0'..='9')
                .chain('a'..='z')
                .chain('A'..='Z')
                .filter(move |c| (start..=end).contains(c))
        })
        .collect();
    if !alphanumerics.is_empty() {
        let index = usize::try_from(variant % alphanumerics.len() as u64).unwrap_or(0);
        return alphanumerics.get(index).copied();
    }
    let printable = ranges.iter().find_map(|&(start, end)| {
        (start..=end)
            .take(128)
            .find(|c| c.is_ascii_graphic() || (!c.is_ascii() && !c.is_control()))
    });
    printable.or_else(|| ranges.first().map(|r| r.0))
}

/// Whether the pattern ends with `$` or `\z` (then nothing may follow).
fn anchored_at_end(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(look, Look::End | Look::EndLF | Look::EndCRLF),
        HirKind::Concat(parts) => parts.last().is_some_and(anchored_at_end),
        HirKind::Capture(capture) => anchored_at_end(&capture.sub),
        HirKind::Alternation(branches) => branches.iter().any(anchored_at_end),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::from_pattern;

    #[test]
    fn patterns_give_their_shortest_readable_match() {
        let cases = [
            (r"^[A-Z]{3}-\d{2}$", "ABC-01"),
            (r"^\+1\d{10}$", "+10123456789"),
            (r"^(foo|bar)$", "foo"),
            (r"^[a-z0-9-]+$", "0"),
            (r"^\p{Lu}\w*$", "A"),
            (r"^[^@\s]+@example\.com$", "0@example.com"),
        ];
        for (pattern, expected) in cases {
            let text = from_pattern(pattern, 0, None, 0);
            assert_eq!(text.as_deref(), Some(expected), "{pattern}");
        }
    }

    #[test]
    fn lengths_grow_repetitions_or_pad_an_open_end() {
        assert_eq!(from_pattern("^a+$", 4, None, 0).as_deref(), Some("aaaa"));
        assert_eq!(from_pattern("ab", 4, None, 0).as_deref(), Some("abxx"));
        assert_eq!(from_pattern("^(x|y)$", 0, None, 1).as_deref(), Some("y"));
        assert_eq!(from_pattern("(", 0, None, 0), None);
    }
}
