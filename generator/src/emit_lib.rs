//! Step 3d: the IR → `src/lib.rs` of the generated crate: the crate docs
//! (the API's title, description and version), its lints, and the module
//! declarations and re-exports, with the client's share of them
//! ([`emit_client::lib_items`], [`emit_client::LIB_DOC`]).
//!
//! The other files have their own emitters (`emit_types`, `emit_client`,
//! `emit_contract`); `parallel` calls each of them and renders the tokens.

use crate::emit_client;
use crate::ir::Api;
use quote::quote;

/// Tokens of `src/lib.rs`.
pub(crate) fn lib_file(api: &Api) -> proc_macro2::TokenStream {
    let mut text = api.title.clone();
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!(
        "\n\nGenerated from version `{}` of the API description. The models are in [`types`]; \
         with the `contract` feature, `contract` maps each operation's payloads to them, for \
         contract tests.",
        api.version
    ));
    text.push_str("\n\n");
    text.push_str(emit_client::LIB_DOC);
    let docs = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #line] }
    });
    // The files are formatted by prettyplease, whose layout differs from
    // rustfmt's in places; `cargo fmt` must leave them as generated, or
    // `generate --check` would then report drift.
    let client = emit_client::lib_items(api);
    quote! {
        #(#docs)*
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #[rustfmt::skip]
        pub mod types;

        #[cfg(feature = "contract")]
        #[rustfmt::skip]
        pub mod contract;
        #client
    }
}
