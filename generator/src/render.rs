//! Step 4: tokens → formatted source text.
//!
//! Tokens are parsed with syn and printed with prettyplease, so the output
//! is stable and needs no rustfmt on the user's machine.

use crate::error::{Error, Result};
use proc_macro2::TokenStream;

/// Formats a whole file; `header` lines (comments) are put on top.
pub fn file(tokens: TokenStream, header: &str, item: &str) -> Result<String> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|err| Error::Render {
        item: item.to_owned(),
        message: err.to_string(),
    })?;
    // prettyplease puts items right after each other; a blank line between
    // top-level items reads better, so print them one by one.
    let mut body = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: parsed.attrs,
        items: Vec::new(),
    });
    for item in parsed.items {
        let text = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        });
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
    Ok(out)
}
