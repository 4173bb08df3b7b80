//! Finds where a JSON pointer is written in JSON source text, for messages.
//!
//! The JSON counterpart of `locate_yaml`: a small scanner follows the
//! pointer through the text, member by member and element by element,
//! skipping every value it does not descend into (strings with their
//! escapes, nested objects and arrays). Keys are compared after decoding
//! their escapes (`"\u0024ref"` is `$ref`, a surrogate pair is one
//! character). Best effort like its YAML sibling: when a token is not found,
//! the position of the deepest ancestor that was found is returned, and
//! `None` only when not even the first token is found.

use crate::pointer::unescape_token;

/// The one-based line and column (in characters) where `pointer` is
/// written in `text`: the opening quote of its key, or the first character
/// of an array element.
pub(super) fn position_of(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    let mut found = None;
    for token in pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(unescape_token)
    {
        scanner.skip_space();
        let hit = match scanner.peek() {
            Some(b'{') => scanner.find_member(&token),
            Some(b'[') => token
                .parse::<usize>()
                .ok()
                .and_then(|index| scanner.find_element(index)),
            _ => None,
        };
        match hit {
            Some(start) => found = Some(start),
            None => break,
        }
    }
    found.map(|offset| line_and_column(text, offset))
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A cursor over the text; every method leaves it just past what it read.
struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// At `{`: finds the member named `key`, returns where its key starts
    /// and leaves the cursor at its value.
    fn find_member(&mut self, key: &str) -> Option<usize> {
        self.at += 1;
        loop {
            self.skip_space();
            if self.peek()? != b'"' {
                return None;
            }
            let start = self.at;
            let name = self.read_string()?;
            self.skip_space();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.skip_space();
            if name == key {
                return Some(start);
            }
            self.skip_value()?;
            self.skip_space();
            if self.peek()? != b',' {
                return None;
            }
            self.at += 1;
        }
    }

    /// At `[`: finds element `index`, returns where it starts and leaves
    /// the cursor there.
    fn find_element(&mut self, index: usize) -> Option<usize> {
        self.at += 1;
        for _ in 0..index {
            self.skip_space();
            if self.peek()? == b']' {
                return None;
            }
            self.skip_value()?;
            self.skip_space();
            if self.peek()? != b',' {
                return None;
            }
            self.at += 1;
        }
        self.skip_space();
        (self.peek()? != b']').then_some(self.at)
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' if depth > 0 => self.at += 1,
                b if b.is_ascii_whitespace() && depth > 0 => self.at += 1,
                _ if depth > 0 => self.skip_scalar(),
                _ => {
                    self.skip_scalar();
                    return Some(());
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// Skips a number, `true`, `false` or `null`.
    fn skip_scalar(&mut self) {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !b.is_ascii_whitespace() && !b",:]}\"".contains(&b))
        {
            self.at += 1;
        }
        if self.at == start {
            // Not a scalar (stray punctuation): step over it so that the
            // walk always advances.
            self.at += 1;
        }
    }

    fn skip_string(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
    }

    /// Reads a string at `"`, decoding its escapes.
    fn read_string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.bytes[self.at..];
            let plain = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
            out.push_str(std::str::from_utf8(&rest[..plain]).ok()?);
            self.at += plain;
            if self.peek()? == b'"' {
                self.at += 1;
                return Some(out);
            }
            self.at += 1;
            let escaped = self.peek()?;
            self.at += 1;
            out.push(match escaped {
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.read_unicode_escape()?,
                other => char::from(other),
            });
        }
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining
    /// a surrogate pair written as two escapes; a lone surrogate reads as
    /// U+FFFD (serde_json rejects it when parsing anyway).
    fn read_unicode_escape(&mut self) -> Option<char> {
        let first = self.read_hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return Some(char::from_u32(first).unwrap_or('\u{fffd}'));
        }
        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
            return Some('\u{fffd}');
        }
        self.at += 2;
        let second = self.read_hex4()?;
        if !(0xDC00..0xE000).contains(&second) {
            return Some('\u{fffd}');
        }
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    }

    fn read_hex4(&mut self) -> Option<u32> {
        let digits = std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?).ok()?;
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::position_of;

    const TEXT: &str = r#"{
  "openapi": "3.1.0",
  "paths": {
    "/a/b": {"get": {"parameters": [
      {"name": "q\"x", "in": "query", "schema": {"enum": [[1, [2]], {"k": "]"}]}},
      {"name": "\ud83d\udc4d", "in": "header"}
    ]}}
  },
  "\u0024defs": {"x~y": true, "é": {"k": 1}}
}"#;

    #[test]
    fn finds_members_and_elements() {
        assert_eq!(position_of(TEXT, "#/openapi"), Some((2, 3)));
        assert_eq!(position_of(TEXT, "#/paths/~1a~1b/get"), Some((4, 14)));
        assert_eq!(
            position_of(TEXT, "#/paths/~1a~1b/get/parameters/1"),
            Some((6, 7))
        );
        assert_eq!(
            position_of(TEXT, "#/paths/~1a~1b/get/parameters/1/in"),
            Some((6, 32))
        );
    }

    #[test]
    fn skips_escapes_and_nested_arrays() {
        assert_eq!(
            position_of(TEXT, "#/paths/~1a~1b/get/parameters/0/schema/enum/1/k"),
            Some((5, 70))
        );
        assert_eq!(position_of(TEXT, "#/$defs/x~0y"), Some((9, 18)));
        // Columns count characters, not bytes.
        assert_eq!(position_of(TEXT, "#/$defs/é/k"), Some((9, 37)));
    }

    #[test]
    fn falls_back_to_the_deepest_ancestor() {
        assert_eq!(
            position_of(TEXT, "#/paths/~1a~1b/get/parameters/7"),
            Some((4, 22))
        );
        assert_eq!(position_of(TEXT, "#/nothing"), None);
        assert_eq!(position_of("[1, 2]", "#/1"), Some((1, 5)));
        assert_eq!(position_of("{\"a\": ", "#/a/b"), Some((1, 2)));
    }
}
