//! Finds where a JSON pointer is written in YAML source text, for messages.
//!
//! The `openapiv3` model keeps no positions, so errors carry a JSON pointer;
//! this turns the pointer back into a line and column by walking the block
//! structure of the text (indentation, `key:` and `- ` items). It is best
//! effort: where the text uses flow style (`{…}`, `[…]`) below some point,
//! the position of the deepest block-style ancestor is returned, and `None`
//! only when not even the first token is found. (JSON text has its own
//! walker, `locate_json`.)

/// One significant line: its indentation and its text after it. A
/// `- key: value` item is split into a `-` line and a `key: value` line two
/// columns deeper (with the same number), so items and mappings are walked
/// alike.
struct Line<'t> {
    number: usize,
    indent: usize,
    text: &'t str,
}

fn significant_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let mut rest = raw.trim_start();
        if rest.is_empty() || rest.starts_with('#') || rest == "---" {
            continue;
        }
        let mut indent = raw.len() - rest.len();
        while let Some(after) =
            rest.strip_prefix("- ")
                .or(if rest == "-" { Some("") } else { None })
        {
            lines.push(Line {
                number: index + 1,
                indent,
                text: "-",
            });
            let trimmed = after.trim_start();
            indent += 1 + (after.len() - trimmed.len()) + 1;
            rest = trimmed;
        }
        if !rest.is_empty() {
            lines.push(Line {
                number: index + 1,
                indent,
                text: rest,
            });
        }
    }
    lines
}

/// The one-based line and column where `pointer` (`#/a/b/0`) is written in
/// `text`: the start of its key, or of its `-` for an item.
pub(super) fn position_of(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let lines = significant_lines(text);
    let tokens = pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(crate::pointer::unescape_token);

    // The current node's children are lines[start..end] indented more than
    // `parent`.
    let (mut start, mut end, mut parent) = (0, lines.len(), None::<usize>);
    let mut found = None::<(usize, usize)>;
    for token in tokens {
        let Some(child_indent) = lines[start..end]
            .iter()
            .map(|l| l.indent)
            .find(|&i| parent.is_none_or(|p| i > p))
        else {
            return found;
        };
        let mut siblings = lines[start..end]
            .iter()
            .enumerate()
            .filter(|(_, l)| l.indent == child_indent);
        let hit = match token.parse::<usize>() {
            Ok(index)
                if lines[start..end]
                    .iter()
                    .any(|l| l.indent == child_indent && l.text == "-") =>
            {
                siblings.filter(|(_, l)| l.text == "-").nth(index)
            }
            _ => siblings.find(|(_, l)| is_key(l.text, &token)),
        };
        let Some((offset, line)) = hit else {
            return found;
        };
        found = Some((line.number, line.indent + 1));
        let at = start + offset;
        start = at + 1;
        end = lines[start..end]
            .iter()
            .position(|l| l.indent <= line.indent)
            .map_or(end, |p| start + p);
        parent = Some(line.indent);
    }
    found
}

/// Whether `text` starts with the mapping key `key` (plain or quoted).
fn is_key(text: &str, key: &str) -> bool {
    [
        format!("{key}:"),
        format!("'{key}':"),
        format!("\"{key}\":"),
    ]
    .iter()
    .any(|prefix| {
        text.strip_prefix(prefix.as_str())
            .is_some_and(|after| after.is_empty() || after.starts_with(' '))
    })
}

#[cfg(test)]
mod tests {
    use super::position_of;

    fn line_of(text: &str, pointer: &str) -> Option<usize> {
        position_of(text, pointer).map(|(line, _)| line)
    }

    const TEXT: &str = "\
openapi: 3.0.3
paths:
  /a/b:
    get:
      parameters:
        - $ref: '#/components/parameters/P'
        - name: q
          in: query
      responses:
        '200':
          description: ok
components:
  schemas:
    Foo:
      properties:
        bar: {type: string}
";

    #[test]
    fn finds_block_keys() {
        assert_eq!(
            line_of(TEXT, "#/components/schemas/Foo/properties/bar"),
            Some(16)
        );
        assert_eq!(line_of(TEXT, "#/paths/~1a~1b/get/responses/200"), Some(10));
        assert_eq!(line_of(TEXT, "#/paths/~1a~1b/get/parameters/1/in"), Some(8));
        assert_eq!(line_of(TEXT, "#/paths/~1a~1b/get/parameters/0"), Some(6));
    }

    #[test]
    fn gives_the_column_of_the_key_or_item() {
        assert_eq!(position_of(TEXT, "#/paths/~1a~1b/get"), Some((4, 5)));
        assert_eq!(
            position_of(TEXT, "#/paths/~1a~1b/get/parameters/1"),
            Some((7, 9))
        );
        assert_eq!(
            position_of(TEXT, "#/paths/~1a~1b/get/parameters/1/name"),
            Some((7, 11))
        );
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor() {
        assert_eq!(
            line_of(TEXT, "#/components/schemas/Foo/properties/bar/type"),
            Some(16)
        );
        assert_eq!(line_of(TEXT, "#/components/schemas/Nope"), Some(13));
        assert_eq!(line_of(TEXT, "#/nothing"), None);
    }
}
