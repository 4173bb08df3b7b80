//! Turns spec descriptions into rustdoc-safe markdown.
//!
//! Descriptions in real specs carry HTML (`<code>`, `<br/>`, lists) and
//! text that rustdoc would misread (`filter[email]` as an intra-doc link,
//! bare URLs). The result is plain markdown that `cargo doc` accepts
//! without warnings.

/// Converts a description to markdown; `None` for empty text.
pub fn markdown(text: &str) -> Option<String> {
    let text = html_to_markdown(text);
    let lines: Vec<String> = text
        .lines()
        .map(|line| escape_line(line.trim_end()))
        .collect();
    // Collapse runs of blank lines and trim blank edges; indent the lines
    // that continue a list item (rustdoc reads them lazily, clippy asks
    // for the indentation).
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut item_indent: Option<usize> = None;
    for line in lines {
        let mut line = if line.trim().is_empty() {
            String::new()
        } else {
            line
        };
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        if line.is_empty() || is_fence(&line) {
            item_indent = None;
        } else if let Some(width) = list_marker_width(&line) {
            item_indent = Some(width);
        } else if let Some(width) = item_indent.filter(|_| !line.starts_with(' ')) {
            line.insert_str(0, &" ".repeat(width));
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    if out.is_empty() {
        None
    } else {
        Some(out.join("\n"))
    }
}

/// The width of a list item's marker and the space after it (`- `, `* `,
/// `+ `, `1. `, `12) `), with any indentation before it; `None` for a line
/// that does not start a list item.
fn list_marker_width(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let after = rest[digits..].chars().next();
        if digits == 0 || digits > 9 || !matches!(after, Some('.' | ')')) {
            return None;
        }
        digits + 1
    };
    rest[marker..]
        .starts_with(' ')
        .then_some(indent + marker + 1)
}

/// Whether a line opens or closes a code block.
fn is_fence(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("```") || line.starts_with("~~~")
}

/// The HTML elements a description may use as markup. A tag of another
/// name is text that only looks like a tag, such as the placeholder in
/// `Authorization: Bearer <token>`, and is kept.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Replaces the HTML tags seen in API descriptions with markdown and drops
/// any other HTML element's tag; text that only looks like a tag is kept.
fn html_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // The target of the `<a href>` being read, written after its text.
    let mut link: Option<String> = None;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            return decode_entities(&out);
        };
        let tag = after[1..end].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let closing = tag.starts_with('/');
        if !name.chars().all(|c| c.is_ascii_alphanumeric())
            || name.is_empty()
            || !HTML_ELEMENTS.contains(&name)
        {
            // Not a tag (`a < b`), or a placeholder that only looks like one
            // (`Bearer <token>`): keep the text.
            out.push('<');
            rest = &after[1..];
            continue;
        }
        match (name, closing) {
            ("code" | "tt", _) => out.push('`'),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("br", _) => out.push('\n'),
            ("p", false) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n- "),
            ("ul" | "ol" | "p", _) => out.push('\n'),
            ("a", false) => link = href(&after[1..end]),
            ("a", true) => {
                if let Some(url) = link.take() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            _ => {}
        }
        rest = &after[end + 1..];
        if name == "li" && !closing {
            // The item's text often starts on the next line; keep it on the
            // `- ` line, or the list item would be empty.
            rest = rest.trim_start();
        }
    }
    out.push_str(rest);
    // Whitespace inside list markup leaves `-   text`; tidy it.
    let tidied: Vec<String> = decode_entities(&out)
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            match trimmed.strip_prefix("- ") {
                Some(item) => format!("- {}", item.trim_start()),
                None => trimmed.to_owned(),
            }
        })
        .collect();
    tidied.join("\n")
}

/// The `href` of an `a` tag's text (`a href="…"`), if it is a web link.
fn href(tag: &str) -> Option<String> {
    let start = tag.find("href=")? + "href=".len();
    let value = &tag[start..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    let url = &value[..value.find(quote)?];
    (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_owned())
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Escapes what rustdoc would misread, outside inline code spans.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut word_start = true;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            continue;
        }
        if in_code {
            out.push(c);
            continue;
        }
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            'h' if word_start
                && (line[i..].starts_with("http://") || line[i..].starts_with("https://")) =>
            {
                let end = line[i..]
                    .find(char::is_whitespace)
                    .map_or(line.len(), |n| i + n);
                let url = line[i..end].trim_end_matches(['.', ',', ')', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                let consumed = i + url.len();
                while chars.peek().is_some_and(|&(j, _)| j < consumed) {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
        word_start = c.is_whitespace() || c == '(';
    }
    if in_code {
        // An unbalanced backtick would swallow the rest of the doc block.
        out.push('`');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn list_items_continue_indented() {
        let text = "Sorts by:\n- `name`: the\nname.\n- `-name`: reversed\nand more.\n\nAfter.\n1. one\ntwo";
        assert_eq!(
            markdown(text).unwrap(),
            "Sorts by:\n- `name`: the\n  name.\n- `-name`: reversed\n  and more.\n\nAfter.\n1. one\n   two"
        );
        assert_eq!(markdown("-1 is fine\nnext").unwrap(), "-1 is fine\nnext");
    }

    #[test]
    fn converts_html() {
        assert_eq!(
            markdown("Sorts by <code>email</code>.<br/>Use <code>-</code> to reverse.").unwrap(),
            "Sorts by `email`.\nUse `-` to reverse."
        );
        assert_eq!(
            markdown("<ul>\n  <li>\n    <code>a</code>: first\n  </li></ul>").unwrap(),
            "- `a`: first"
        );
    }

    #[test]
    fn escapes_links_and_urls() {
        assert_eq!(
            markdown("Use filter[email] see https://x.org/a.").unwrap(),
            "Use filter\\[email\\] see <https://x.org/a>."
        );
        assert_eq!(markdown("`page[number]`").unwrap(), "`page[number]`");
        assert_eq!(markdown("  \n "), None);
        assert_eq!(markdown("a < b").unwrap(), "a \\< b");
        assert_eq!(
            markdown("Bearer <token>, where <token> is your key. <span>Kept</span>").unwrap(),
            "Bearer \\<token\\>, where \\<token\\> is your key. Kept"
        );
    }
}
