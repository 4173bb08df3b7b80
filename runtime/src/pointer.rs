//! JSON pointers (RFC 6901): the one escaper and joiner of the workspace.
//!
//! The generator compiles this same file as its `pointer` module (for spec
//! pointers such as `#/paths/~1things/get`); the runtime uses it for the
//! pointers of payload errors.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_token`].
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends escaped tokens to a pointer.
pub fn join(pointer: &str, tokens: &[&str]) -> String {
    let mut out = pointer.to_owned();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_joins() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(unescape_token("a~1b~0c"), "a/b~c");
        assert_eq!(
            join("#/paths", &["/things/{id}", "get"]),
            "#/paths/~1things~1{id}/get"
        );
    }
}
