//! Credentials: the security schemes a generated crate declares, the
//! secrets a client was given for them, which alternative of an
//! operation's security requirement a request uses, and how its
//! credentials go on the request.
//!
//! Nothing here knows one API: the generated code describes each scheme
//! as a [`Scheme`] and each operation's requirement as alternatives of
//! schemes.

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};
use std::collections::BTreeMap;
use std::fmt;

/// How one security scheme's credential is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The token as `Authorization: Bearer <token>` (`http` `bearer`, and
    /// the access token of `oauth2` and `openIdConnect`).
    Bearer,
    /// `http` `basic`: the user name and password.
    Basic,
    /// `apiKey` in a header: the token as this header.
    Header(&'static str),
    /// `apiKey` in the query: the token as this query parameter.
    Query(&'static str),
    /// `apiKey` in a cookie: the token as this cookie.
    Cookie(&'static str),
}

/// One security scheme of the spec, as the generated code describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Its key in `components.securitySchemes`.
    pub key: &'static str,
    /// How its credential is sent.
    pub auth: Auth,
    /// The `ClientBuilder` method that sets it (named in error messages).
    pub setter: &'static str,
    /// The environment variable `Client::from_env` reads it from.
    pub env_var: &'static str,
    /// Whether every operation needs it: then the client cannot be built
    /// without it.
    pub required: bool,
}

/// A credential given to the builder.
#[derive(Clone)]
pub(super) enum Secret {
    /// A token or API key, without surrounding whitespace.
    Token(String),
    /// HTTP basic credentials.
    Basic { user: String, password: String },
}

/// The credentials of a client, by scheme key. `Debug` shows the keys
/// only.
#[derive(Clone, Default)]
pub(super) struct Credentials {
    secrets: BTreeMap<&'static str, Secret>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.secrets.keys().map(|key| (key, "[redacted]")))
            .finish()
    }
}

impl Credentials {
    /// Sets the credential of the scheme `key`.
    pub(super) fn insert(&mut self, key: &'static str, secret: Secret) {
        self.secrets.insert(key, secret);
    }

    /// Whether the scheme `key` has a credential.
    pub(super) fn has(&self, key: &str) -> bool {
        self.secrets.contains_key(key)
    }

    /// Drops blank tokens and trims the others (a newline from a file is
    /// never part of a token).
    pub(super) fn normalized(mut self) -> Self {
        self.secrets.retain(|_, secret| match secret {
            Secret::Token(token) => {
                *token = token.trim().to_owned();
                !token.is_empty()
            }
            Secret::Basic { .. } => true,
        });
        self
    }

    /// Whether every token can be sent in a header.
    pub(super) fn sendable(&self) -> bool {
        self.secrets.values().all(|secret| match secret {
            Secret::Token(token) => HeaderValue::from_str(&format!("Bearer {token}")).is_ok(),
            Secret::Basic { .. } => true,
        })
    }

    /// Every secret, to keep them out of error text.
    pub(super) fn secrets(&self) -> Vec<&str> {
        self.secrets
            .values()
            .map(|secret| match secret {
                Secret::Token(token) => token.as_str(),
                Secret::Basic { password, .. } => password.as_str(),
            })
            .collect()
    }

    /// The alternative a request uses: the first one, in the spec's order,
    /// that sends credentials and whose schemes all have one; else an
    /// empty alternative (`{}`: no credentials), if the operation has one;
    /// with no alternatives at all, none. Otherwise why the operation
    /// cannot be sent, naming the schemes and the builder methods that
    /// set them.
    pub(super) fn select(
        &self,
        operation: &str,
        alternatives: &'static [&'static [Scheme]],
    ) -> Result<&'static [Scheme], String> {
        if alternatives.is_empty() {
            return Ok(&[]);
        }
        let satisfied = alternatives.iter().copied().find(|alternative| {
            !alternative.is_empty() && alternative.iter().all(|scheme| self.has(scheme.key))
        });
        if let Some(alternative) = satisfied {
            return Ok(alternative);
        }
        if alternatives
            .iter()
            .any(|alternative| alternative.is_empty())
        {
            return Ok(&[]);
        }
        let wanted: Vec<String> = alternatives
            .iter()
            .map(|alternative| {
                let keys: Vec<String> = alternative
                    .iter()
                    .map(|scheme| format!("`{}`", scheme.key))
                    .collect();
                let setters: Vec<String> = alternative
                    .iter()
                    .map(|scheme| format!("`ClientBuilder::{}`", scheme.setter))
                    .collect();
                let noun = if keys.len() == 1 { "scheme" } else { "schemes" };
                format!(
                    "the {} {noun} ({})",
                    keys.join(" and "),
                    setters.join(" and ")
                )
            })
            .collect();
        Err(format!(
            "`{operation}` needs credentials the client was not given: {}",
            wanted.join(", or ")
        ))
    }

    /// The query pairs of `alternative` (API keys in the query).
    pub(super) fn query_pairs(
        &self,
        alternative: &[Scheme],
    ) -> impl Iterator<Item = (&'static str, &str)> {
        alternative
            .iter()
            .filter_map(|scheme| match (scheme.auth, self.secrets.get(scheme.key)) {
                (Auth::Query(name), Some(Secret::Token(token))) => Some((name, token.as_str())),
                _ => None,
            })
    }

    /// `request` with the headers of `alternative` (everything but API
    /// keys in the query). Header values are marked sensitive.
    pub(super) fn apply(
        &self,
        mut request: reqwest::RequestBuilder,
        alternative: &[Scheme],
    ) -> reqwest::RequestBuilder {
        let sensitive = |text: &str| {
            HeaderValue::from_str(text).ok().map(|mut value| {
                value.set_sensitive(true);
                value
            })
        };
        for scheme in alternative {
            let Some(secret) = self.secrets.get(scheme.key) else {
                continue;
            };
            match (scheme.auth, secret) {
                (Auth::Basic, Secret::Basic { user, password }) => {
                    request = request.basic_auth(user, Some(password));
                }
                (Auth::Bearer, Secret::Token(token)) => {
                    if let Some(value) = sensitive(&format!("Bearer {token}")) {
                        request = request.header(AUTHORIZATION, value);
                    }
                }
                (Auth::Header(name), Secret::Token(token)) => {
                    if let (Ok(name), Some(value)) =
                        (HeaderName::from_bytes(name.as_bytes()), sensitive(token))
                    {
                        request = request.header(name, value);
                    }
                }
                (Auth::Cookie(name), Secret::Token(token)) => {
                    if let Some(value) = sensitive(&format!("{name}={token}")) {
                        request = request.header(COOKIE, value);
                    }
                }
                // In the URL already; a token given for basic, or a user and
                // password for a token scheme, cannot happen through the
                // generated setters.
                _ => {}
            }
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEARER: Scheme = Scheme {
        key: "bearer",
        auth: Auth::Bearer,
        setter: "bearer_token",
        env_var: "API_BEARER_TOKEN",
        required: false,
    };
    const KEY: Scheme = Scheme {
        key: "apiKey",
        auth: Auth::Query("key"),
        setter: "key_query",
        env_var: "API_KEY_QUERY",
        required: false,
    };

    fn with(keys: &[&'static str]) -> Credentials {
        let mut credentials = Credentials::default();
        for key in keys {
            credentials.insert(key, Secret::Token(format!(" {key}-secret\n")));
        }
        credentials.normalized()
    }

    #[test]
    fn the_first_satisfied_alternative_that_sends_credentials_is_used() {
        const BOTH: &[&[Scheme]] = &[&[BEARER, KEY], &[KEY]];
        assert_eq!(with(&["bearer", "apiKey"]).select("Op", BOTH), Ok(BOTH[0]));
        assert_eq!(with(&["apiKey"]).select("Op", BOTH), Ok(BOTH[1]));
        const OPTIONAL: &[&[Scheme]] = &[&[], &[BEARER]];
        assert_eq!(with(&["bearer"]).select("Op", OPTIONAL), Ok(OPTIONAL[1]));
        assert_eq!(with(&[]).select("Op", OPTIONAL), Ok(&[][..]));
        assert_eq!(with(&[]).select("Op", &[]), Ok(&[][..]));
    }

    #[test]
    fn a_missing_credential_names_the_schemes_and_setters() {
        const BOTH: &[&[Scheme]] = &[&[BEARER, KEY], &[KEY]];
        let message = with(&["bearer"]).select("GetThing", BOTH).unwrap_err();
        assert_eq!(
            message,
            "`GetThing` needs credentials the client was not given: the `bearer` and \
             `apiKey` schemes (`ClientBuilder::bearer_token` and `ClientBuilder::key_query`), \
             or the `apiKey` scheme (`ClientBuilder::key_query`)"
        );
    }

    #[test]
    fn blank_tokens_are_dropped_and_the_rest_trimmed() {
        let mut credentials = Credentials::default();
        credentials.insert("bearer", Secret::Token(" \n".to_owned()));
        credentials.insert("apiKey", Secret::Token(" k\n".to_owned()));
        let credentials = credentials.normalized();
        assert!(!credentials.has("bearer"));
        assert_eq!(credentials.secrets(), ["k"]);
        assert_eq!(
            credentials.query_pairs(&[BEARER, KEY]).collect::<Vec<_>>(),
            [("key", "k")]
        );
        assert_eq!(format!("{credentials:?}"), r#"{"apiKey": "[redacted]"}"#);
    }
}
