//! Step 4: tokens → formatted source text.
//!
//! Tokens are parsed with syn and printed with prettyplease, so the output
//! is stable and needs no rustfmt on the user's machine. The parsed file is
//! also what [`crate::api_manifest`] reads the public items from, so that a
//! file is parsed once.

use crate::error::{Error, Result};
use proc_macro2::TokenStream;

/// Parses the tokens of a whole file; `item` names it in an error.
pub fn parse(tokens: TokenStream, item: &str) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|err| Error::Render {
        item: item.to_owned(),
        message: err.to_string(),
    })
}

/// Prints a parsed file; `header` lines (comments) are put on top. The
/// file is left as it was given.
pub fn print(parsed: &mut syn::File, header: &str) -> String {
    // prettyplease puts items right after each other; a blank line between
    // top-level items reads better, so print them one by one (each is
    // lent to a one-item file and put back).
    let attrs = syn::File {
        shebang: None,
        attrs: std::mem::take(&mut parsed.attrs),
        items: Vec::new(),
    };
    let mut body = prettyplease::unparse(&attrs);
    parsed.attrs = attrs.attrs;
    let mut one = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: Vec::with_capacity(1),
    };
    for item in &mut parsed.items {
        let placeholder = syn::Item::Verbatim(TokenStream::new());
        one.items.push(std::mem::replace(item, placeholder));
        let text = prettyplease::unparse(&one);
        *item = one.items.pop().expect("the item just lent");
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&text);
    }
    let mut out = String::with_capacity(header.len() + body.len() + 1);
    out.push_str(header);
    if !header.is_empty() && !header.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&body);
    out
}

/// Formats a whole file; `header` lines (comments) are put on top.
pub fn file(tokens: TokenStream, header: &str, item: &str) -> Result<String> {
    Ok(print(&mut parse(tokens, item)?, header))
}
