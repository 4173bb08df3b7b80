//! Authentication from the operation's security requirements.
//!
//! An operation lists credential alternatives (each a set sent together);
//! a request is let in when one alternative is fully present and well
//! formed, and, when the server is given secrets (`--token`), each of its
//! secrets is one of them: the bearer token, the API key's value (in a
//! header, the query or a cookie), or the basic password (or
//! `user:password`). An operation without
//! alternatives, or with an empty one, needs nothing.
//!
//! Why a credential is refused is a [`Problem`], which names the header,
//! cookie or query parameter at fault and never holds the secret; the
//! engine (`super`) sends its text as the 401's detail and challenge.

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine as _;
use generator::ir::Credential;
use std::collections::BTreeSet;

/// What is missing or wrong with one credential of a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// No `Authorization` header.
    #[error("missing Authorization header")]
    MissingAuthorization,
    /// An `Authorization` header that is not visible ASCII.
    #[error("the Authorization header is not text")]
    AuthorizationNotText,
    /// An `Authorization` header without a scheme and credentials.
    #[error("expected `Authorization: {scheme} <credentials>`")]
    AuthorizationShape {
        /// The scheme the operation takes.
        scheme: &'static str,
    },
    /// Another scheme than the operation's.
    #[error("expected the {scheme} scheme")]
    WrongScheme {
        /// The scheme the operation takes.
        scheme: &'static str,
    },
    /// A bearer token that is not an RFC 6750 `b64token`.
    #[error("malformed bearer token")]
    MalformedBearer,
    /// Basic credentials that are not base64 of `user:password`.
    #[error("malformed basic credentials (base64 of `user:password`)")]
    MalformedBasic,
    /// The API key's header is absent.
    #[error("missing {name} header")]
    MissingHeader {
        /// The header's name.
        name: String,
    },
    /// The API key's header is not visible ASCII.
    #[error("the {name} header is not text")]
    HeaderNotText {
        /// The header's name.
        name: String,
    },
    /// The API key's header is empty.
    #[error("the {name} header is empty")]
    EmptyHeader {
        /// The header's name.
        name: String,
    },
    /// The API key's cookie is absent or empty.
    #[error("missing cookie `{name}`")]
    MissingCookie {
        /// The cookie's name.
        name: String,
    },
    /// The API key's query parameter is absent or empty.
    #[error("missing query parameter `{name}`")]
    MissingQuery {
        /// The parameter's name.
        name: String,
    },
    /// A well-formed secret that is not one of `--token`'s.
    #[error("the token is not known to this server")]
    UnknownToken,
    /// No alternative was tried (never for a secured operation).
    #[error("missing credentials")]
    Missing,
}

/// Why a request was not let in, and the challenges to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// What was missing or wrong (of the first alternative).
    pub reason: Problem,
    /// `WWW-Authenticate` values, one per HTTP scheme the operation takes.
    pub challenges: Vec<HeaderValue>,
}

/// Checks the request's credentials against `security`: the secret of the
/// alternative that let it in (`None` when no credential was needed), or
/// why none did.
pub fn authenticate(
    security: &[Vec<Credential>],
    headers: &HeaderMap,
    query: &str,
    accepted: &BTreeSet<String>,
) -> Result<Option<String>, Refused> {
    if security.is_empty() || security.iter().any(Vec::is_empty) {
        return Ok(None);
    }
    let mut first_reason = None;
    for alternative in security {
        let mut secrets = Vec::with_capacity(alternative.len());
        let mut failed = None;
        for credential in alternative {
            match secret(credential, headers, query) {
                Ok(secret) if secret.accepted_by(accepted) => secrets.push(secret.value),
                Ok(_) => {
                    failed = Some(Problem::UnknownToken);
                    break;
                }
                Err(reason) => {
                    failed = Some(reason);
                    break;
                }
            }
        }
        match failed {
            None => return Ok(secrets.into_iter().next()),
            Some(reason) => {
                first_reason.get_or_insert(reason);
            }
        }
    }
    let reason = first_reason.unwrap_or(Problem::Missing);
    Err(Refused {
        challenges: challenges(security, &reason.to_string()),
        reason,
    })
}

/// A secret found in the request.
struct Secret {
    /// The bearer token, API key or basic password.
    value: String,
    /// For basic authentication, `user:password`.
    pair: Option<String>,
}

impl Secret {
    fn accepted_by(&self, accepted: &BTreeSet<String>) -> bool {
        accepted.is_empty()
            || accepted.contains(&self.value)
            || self
                .pair
                .as_ref()
                .is_some_and(|pair| accepted.contains(pair))
    }
}

fn secret(credential: &Credential, headers: &HeaderMap, query: &str) -> Result<Secret, Problem> {
    let plain = |value: String| Secret { value, pair: None };
    match credential {
        Credential::Bearer => authorization(headers, "Bearer")
            .and_then(bearer_token)
            .map(plain),
        Credential::Basic => authorization(headers, "Basic").and_then(basic_pair),
        Credential::ApiKeyHeader(name) => {
            let value = headers
                .get(name.as_str())
                .ok_or_else(|| Problem::MissingHeader { name: name.clone() })?
                .to_str()
                .map_err(|_| Problem::HeaderNotText { name: name.clone() })?
                .trim();
            if value.is_empty() {
                return Err(Problem::EmptyHeader { name: name.clone() });
            }
            Ok(plain(value.to_owned()))
        }
        Credential::ApiKeyCookie(name) => headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().trim_matches('"').to_owned())
            .filter(|value| !value.is_empty())
            .map(plain)
            .ok_or_else(|| Problem::MissingCookie { name: name.clone() }),
        Credential::ApiKeyQuery(name) => form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name.as_str())
            .map(|(_, value)| value.into_owned())
            .filter(|value| !value.is_empty())
            .map(plain)
            .ok_or_else(|| Problem::MissingQuery { name: name.clone() }),
    }
}

/// The credentials of `Authorization: <scheme> <credentials>`.
fn authorization<'h>(headers: &'h HeaderMap, scheme: &'static str) -> Result<&'h str, Problem> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(Problem::MissingAuthorization)?
        .to_str()
        .map_err(|_| Problem::AuthorizationNotText)?;
    let (sent, credentials) = value
        .split_once(' ')
        .ok_or(Problem::AuthorizationShape { scheme })?;
    if !sent.eq_ignore_ascii_case(scheme) {
        return Err(Problem::WrongScheme { scheme });
    }
    Ok(credentials.trim())
}

/// An RFC 6750 `b64token`.
fn bearer_token(token: &str) -> Result<String, Problem> {
    let well_formed = !token.is_empty()
        && token
            .trim_end_matches('=')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/'));
    if well_formed {
        Ok(token.to_owned())
    } else {
        Err(Problem::MalformedBearer)
    }
}

/// `base64(user:password)`.
fn basic_pair(encoded: &str) -> Result<Secret, Problem> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| Problem::MalformedBasic)?;
    let pair = String::from_utf8(bytes).map_err(|_| Problem::MalformedBasic)?;
    let (_, password) = pair.split_once(':').ok_or(Problem::MalformedBasic)?;
    Ok(Secret {
        value: password.to_owned(),
        pair: Some(pair),
    })
}

/// One challenge per HTTP scheme among the alternatives.
fn challenges(security: &[Vec<Credential>], reason: &str) -> Vec<HeaderValue> {
    let mut out = Vec::new();
    let reason: String = reason
        .chars()
        .map(|c| if c == '"' || c == '\\' { '\'' } else { c })
        .collect();
    let wants = |wanted: &Credential| security.iter().flatten().any(|c| c == wanted);
    if wants(&Credential::Bearer) {
        let value = format!("Bearer error=\"invalid_token\", error_description=\"{reason}\"");
        out.extend(HeaderValue::from_str(&value).ok());
    }
    if wants(&Credential::Basic) {
        out.push(HeaderValue::from_static(
            "Basic realm=\"mock\", charset=\"UTF-8\"",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn each_scheme_reads_its_secret() {
        let none = BTreeSet::new();
        let bearer = vec![vec![Credential::Bearer]];
        let got = authenticate(
            &bearer,
            &headers(&[("authorization", "Bearer abc")]),
            "",
            &none,
        );
        assert_eq!(got, Ok(Some("abc".to_owned())));
        let basic = vec![vec![Credential::Basic]];
        // "user:pw"
        let sent = headers(&[("authorization", "Basic dXNlcjpwdw==")]);
        assert_eq!(
            authenticate(&basic, &sent, "", &none),
            Ok(Some("pw".to_owned()))
        );
        let only: BTreeSet<String> = ["user:pw".to_owned()].into();
        assert!(authenticate(&basic, &sent, "", &only).is_ok());
        let key = vec![vec![Credential::ApiKeyQuery("key".into())]];
        assert!(authenticate(&key, &HeaderMap::new(), "a=1&key=s3", &none).is_ok());
        let cookie = vec![vec![Credential::ApiKeyCookie("session".into())]];
        let sent = headers(&[("cookie", "theme=dark; session=s3")]);
        assert_eq!(
            authenticate(&cookie, &sent, "", &none),
            Ok(Some("s3".into()))
        );
        let refused = authenticate(&key, &HeaderMap::new(), "a=1", &none).unwrap_err();
        assert_eq!(refused.reason.to_string(), "missing query parameter `key`");
        assert!(refused.challenges.is_empty());
    }

    #[test]
    fn any_alternative_lets_in_and_an_empty_one_needs_nothing() {
        let none = BTreeSet::new();
        let either = vec![
            vec![Credential::ApiKeyHeader("X-Key".into())],
            vec![Credential::Bearer],
        ];
        let sent = headers(&[("authorization", "Bearer t")]);
        assert_eq!(
            authenticate(&either, &sent, "", &none),
            Ok(Some("t".into()))
        );
        let refused = authenticate(&either, &HeaderMap::new(), "", &none).unwrap_err();
        assert_eq!(refused.reason.to_string(), "missing X-Key header");
        assert_eq!(refused.challenges.len(), 1);
        let optional = vec![vec![Credential::Bearer], vec![]];
        assert_eq!(
            authenticate(&optional, &HeaderMap::new(), "", &none),
            Ok(None)
        );
    }
}
