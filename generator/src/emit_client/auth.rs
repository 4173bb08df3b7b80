//! Credentials in the client: one `ClientBuilder` setter and one
//! environment variable per security scheme the operations use, the
//! `schemes` table the runtime reads, and each operation's alternatives.
//!
//! A setter is named after what its scheme sends: `bearer_token` (`http`
//! `bearer`, `oauth2`, `openIdConnect`), `basic_auth(user, password)`
//! (`http` `basic`), and for an API key its name and place:
//! `{name}_header` (without a leading `X-`), `{name}_query`,
//! `{name}_cookie`. When two schemes would get the same name, or a name
//! the builder already has, each of them is prefixed with its scheme key
//! (`petstore_auth_bearer_token`). When exactly one scheme sends a token,
//! `token(..)` sets it as well, and its variable is `{PREFIX}_API_KEY`;
//! otherwise each scheme's variable is `{PREFIX}_{SETTER}`.
//!
//! A scheme that every operation needs (each of its alternatives names
//! it) is required: `build()` and `from_env()` fail without it. Every
//! other credential is checked when an operation that needs it is called.

use super::ClientNames;
use crate::emit_types::doc_attrs;
use crate::ir::{Api, Credential, Operation, SecurityScheme};
use crate::names::{self, Namespace};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Methods of the runtime's `ClientBuilder` that a setter must not take.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "base_url",
    "from_env_lookup",
    "security_schemes",
    "scheme_token",
    "scheme_basic",
    "timeout",
    "max_retries",
    "deadline",
    "max_body_size",
    "middleware",
    "request_id_header",
    "user_agent",
    "http_client",
    "retry_base_delay",
    "build",
    "token",
    "clone",
    "fmt",
];

/// How many operations a setter's docs list before summing up the rest.
const LISTED_OPERATIONS: usize = 20;

/// One scheme as the client names it.
pub(super) struct ClientScheme<'a> {
    scheme: &'a SecurityScheme,
    /// The `ClientBuilder` method that sets it.
    setter: String,
    /// The constant in `operations::schemes`.
    constant: Ident,
    /// The environment variable `from_env` reads.
    env_var: String,
    /// Whether every operation needs it.
    required: bool,
    /// Whether `token(..)` sets it too.
    shorthand: bool,
}

/// The schemes of `api`, named.
pub(super) fn client_schemes<'a>(api: &'a Api, names: &ClientNames<'_>) -> Vec<ClientScheme<'a>> {
    let bases: Vec<String> = api.security_schemes.iter().map(base_name).collect();
    let mut taken = Namespace::new();
    for reserved in BUILDER_METHODS {
        taken.reserve(reserved);
    }
    let tokens = api
        .security_schemes
        .iter()
        .filter(|scheme| scheme.credential != Credential::Basic)
        .count();
    api.security_schemes
        .iter()
        .zip(&bases)
        .map(|(scheme, base)| {
            let shared = bases.iter().filter(|other| *other == base).count() > 1;
            let name = if shared || BUILDER_METHODS.contains(&base.as_str()) {
                format!("{}_{base}", snake(&scheme.key))
            } else {
                base.clone()
            };
            let setter = taken.claim(name);
            let shorthand = tokens == 1 && scheme.credential != Credential::Basic;
            let env_var = if shorthand {
                format!("{}_API_KEY", names.env_prefix)
            } else {
                format!("{}_{}", names.env_prefix, setter.to_ascii_uppercase())
            };
            ClientScheme {
                scheme,
                constant: format_ident!("{}", setter.to_ascii_uppercase()),
                setter,
                env_var,
                required: required(api, &scheme.key),
                shorthand,
            }
        })
        .collect()
}

/// The setter name a scheme gets unless another shares it.
fn base_name(scheme: &SecurityScheme) -> String {
    match &scheme.credential {
        Credential::Bearer => "bearer_token".to_owned(),
        Credential::Basic => "basic_auth".to_owned(),
        Credential::ApiKeyHeader(name) => {
            let bare = name
                .strip_prefix("x-")
                .or_else(|| name.strip_prefix("X-"))
                .filter(|rest| !rest.is_empty())
                .unwrap_or(name);
            format!("{}_header", snake(bare))
        }
        Credential::ApiKeyQuery(name) => format!("{}_query", snake(name)),
        Credential::ApiKeyCookie(name) => format!("{}_cookie", snake(name)),
    }
}

/// `raw` in snake_case, for the start of a longer name (no `r#`, no
/// trailing `_`).
fn snake(raw: &str) -> String {
    names::unraw(&names::field_name(raw))
        .trim_end_matches('_')
        .to_owned()
}

/// Whether every operation needs the scheme `key`: there is one, and each
/// alternative of each names it.
fn required(api: &Api, key: &str) -> bool {
    !api.operations.is_empty()
        && api.operations.iter().all(|op| {
            !op.security_keys.is_empty()
                && op
                    .security_keys
                    .iter()
                    .all(|alternative| alternative.iter().any(|k| k == key))
        })
}

/// The operations whose security names the scheme `key`.
fn users<'a>(api: &'a Api, key: &str) -> Vec<&'a Operation> {
    api.operations
        .iter()
        .filter(|op| op.security_keys.iter().flatten().any(|k| k == key))
        .collect()
}

/// `pub(crate) mod schemes`, in `operations.rs`: one `Scheme` per scheme
/// and the list of them all.
pub(super) fn schemes_module(schemes: &[ClientScheme<'_>]) -> TokenStream {
    let items = schemes.iter().map(|each| {
        let key = &each.scheme.key;
        let setter = &each.setter;
        let env_var = &each.env_var;
        let required = each.required;
        let constant = &each.constant;
        let auth = match &each.scheme.credential {
            Credential::Bearer => quote! { Auth::Bearer },
            Credential::Basic => quote! { Auth::Basic },
            Credential::ApiKeyHeader(name) => quote! { Auth::Header(#name) },
            Credential::ApiKeyQuery(name) => quote! { Auth::Query(#name) },
            Credential::ApiKeyCookie(name) => quote! { Auth::Cookie(#name) },
        };
        let doc = doc_attrs(Some(&format!(
            "The `{key}` scheme, set with [`ClientBuilder::{setter}`](crate::ClientBuilder::{setter})."
        )));
        quote! {
            #doc
            pub(crate) const #constant: Scheme = Scheme {
                key: #key,
                auth: #auth,
                setter: #setter,
                env_var: #env_var,
                required: #required,
            };
        }
    });
    if schemes.is_empty() {
        return TokenStream::new();
    }
    let constants = schemes.iter().map(|each| &each.constant);
    quote! {
        /// The spec's security schemes, as the runtime reads them.
        pub(crate) mod schemes {
            use crate::runtime::{Auth, Scheme};

            #(#items)*

            /// Every scheme, in the spec's order.
            pub(crate) const ALL: &[Scheme] = &[#(#constants),*];
        }
    }
}

/// `.auth(..)` of one operation's request: its alternatives, each a list
/// of `schemes` constants.
pub(super) fn auth_call(schemes: &[ClientScheme<'_>], op: &Operation) -> Option<TokenStream> {
    if op.security_keys.is_empty() {
        return None;
    }
    let alternatives = op.security_keys.iter().map(|alternative| {
        let each = alternative.iter().filter_map(|key| {
            let scheme = schemes.iter().find(|s| s.scheme.key == *key)?;
            let constant = &scheme.constant;
            Some(quote! { schemes::#constant })
        });
        quote! { &[#(#each),*] }
    });
    Some(quote! { .auth(&[#(#alternatives),*]) })
}

/// `impl ClientBuilder` with one setter per scheme (and `token` when one
/// scheme sends a token).
pub(super) fn builder_setters(api: &Api, schemes: &[ClientScheme<'_>]) -> TokenStream {
    let setters = schemes.iter().map(|each| {
        let scheme = each.scheme;
        let key = &scheme.key;
        let setter = format_ident!("{}", each.setter);
        let what = match &scheme.credential {
            Credential::Bearer => "the token, sent as `Authorization: Bearer <token>`".to_owned(),
            Credential::Basic => "HTTP basic authentication: the user name and password".to_owned(),
            Credential::ApiKeyHeader(name) => format!("the API key, sent as the `{name}` header"),
            Credential::ApiKeyQuery(name) => {
                format!("the API key, sent as the `{name}` query parameter")
            }
            Credential::ApiKeyCookie(name) => format!("the API key, sent as the `{name}` cookie"),
        };
        let mut text = format!("The credential of the `{key}` security scheme: {what}.");
        if let Some(docs) = &scheme.docs {
            text.push_str(&format!("\n\n{docs}"));
        }
        text.push_str("\n\n");
        text.push_str(&usage(api, each));
        let format = if scheme.credential == Credential::Basic {
            " (as `user:password`)"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n\n[`Client::from_env`](crate::Client::from_env) reads it from `{}`{format}. \
             Neither `Debug` nor any error shows it.",
            each.env_var
        ));
        let doc = doc_attrs(Some(&text));
        if scheme.credential == Credential::Basic {
            quote! {
                #doc
                pub fn #setter(self, user: impl Into<String>, password: impl Into<String>) -> Self {
                    self.scheme_basic(#key, user, password)
                }
            }
        } else {
            quote! {
                #doc
                pub fn #setter(self, token: impl Into<String>) -> Self {
                    self.scheme_token(#key, token)
                }
            }
        }
    });
    let token = schemes.iter().find(|each| each.shorthand).map(|each| {
        let key = &each.scheme.key;
        let setter = &each.setter;
        let doc = doc_attrs(Some(&format!(
            "The API token: the same as [`ClientBuilder::{setter}`], the only security scheme \
             of the spec that takes a token (`{key}`)."
        )));
        quote! {
            #doc
            pub fn token(self, token: impl Into<String>) -> Self {
                self.scheme_token(#key, token)
            }
        }
    });
    if schemes.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl ClientBuilder {
            #(#setters)*
            #token
        }
    }
}

/// Which operations use a scheme, for its setter's docs.
fn usage(api: &Api, scheme: &ClientScheme<'_>) -> String {
    if scheme.required {
        return "Every operation needs it: [`ClientBuilder::build`] fails without it.".to_owned();
    }
    let users = users(api, &scheme.scheme.key);
    let links: Vec<String> = users
        .iter()
        .take(LISTED_OPERATIONS)
        .map(|op| {
            let method = names::unraw(&op.method_name);
            format!("[`Client::{method}`](crate::Client::{method})")
        })
        .collect();
    let more = users.len().saturating_sub(LISTED_OPERATIONS);
    let rest = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "The operations that use it: {}{rest}. Each checks its credentials when it is called.",
        links.join(", ")
    )
}

/// The docs and body of `Client::builder` and the docs of
/// `Client::from_env`.
pub(super) fn builder_docs(
    schemes: &[ClientScheme<'_>],
    base_url_env: &str,
) -> (TokenStream, TokenStream) {
    let mut builder = "A builder with the defaults: [`Client::DEFAULT_BASE_URL`], a 60 s timeout \
                       per attempt and 2 retries."
        .to_owned();
    let mut from_env = "A client configured from the environment:".to_owned();
    if schemes.is_empty() {
        builder.push_str(" No operation of the spec needs credentials.");
        from_env.push_str(" no operation needs credentials, so none is read;");
    } else {
        let setters: Vec<String> = schemes
            .iter()
            .map(|each| format!("[`ClientBuilder::{}`]", each.setter))
            .collect();
        builder.push_str(&format!(
            "\n\nCredentials: {} (one per security scheme of the spec).",
            setters.join(", ")
        ));
        let required: Vec<&str> = schemes
            .iter()
            .filter(|each| each.required)
            .map(|each| each.setter.as_str())
            .collect();
        if required.is_empty() {
            builder.push_str(
                " None is needed to build the client; an operation checks its own credentials \
                 when it is called.",
            );
        } else {
            builder.push_str(&format!(
                " Every operation needs `{}`, so [`ClientBuilder::build`] fails without it; any \
                 other credential is checked when an operation that needs it is called.",
                required.join("` and `")
            ));
        }
        from_env.push_str(" each credential from its variable,\n");
        for each in schemes {
            let need = if each.required {
                "required: every operation needs it"
            } else {
                "read if set"
            };
            let format = if each.scheme.credential == Credential::Basic {
                ", as `user:password`"
            } else {
                ""
            };
            from_env.push_str(&format!(
                "\n- `{}`: [`ClientBuilder::{}`] ({need}{format}),",
                each.env_var, each.setter
            ));
        }
        from_env.push_str("\n\nand");
    }
    from_env.push_str(&format!(
        " the base URL from `{base_url_env}` ([`Client::BASE_URL_ENV`]) when it is set.\n\n\
         # Errors\n\n"
    ));
    let mut errors = Vec::new();
    if schemes.iter().any(|each| each.required) {
        errors.push(
            "[`BuildError::MissingEnvVar`] naming the variable of a required credential that is \
             unset or empty",
        );
    }
    if schemes
        .iter()
        .any(|each| each.scheme.credential == Credential::Basic)
    {
        errors.push("[`BuildError::InvalidEnvVar`] for basic credentials without a `:`");
    }
    if errors.is_empty() {
        from_env.push_str("Any error of [`ClientBuilder::build`].");
    } else {
        from_env.push_str(&format!(
            "{}, and any error of [`ClientBuilder::build`].",
            errors.join(", ")
        ));
    }
    (doc_attrs(Some(&builder)), doc_attrs(Some(&from_env)))
}

/// `Client::API_KEY_ENV`, when one scheme sends a token.
pub(super) fn api_key_env(schemes: &[ClientScheme<'_>]) -> Option<TokenStream> {
    let each = schemes.iter().find(|each| each.shorthand)?;
    let name = &each.env_var;
    let setter = &each.setter;
    let doc = doc_attrs(Some(&format!(
        "The environment variable [`Client::from_env`] reads the API token from \
         ([`ClientBuilder::{setter}`])."
    )));
    Some(quote! {
        #doc
        pub const API_KEY_ENV: &'static str = #name;
    })
}
