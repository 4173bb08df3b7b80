//! Security: which credentials each operation sends.
//!
//! An operation's `security` (else the document's) lists alternatives,
//! each naming schemes of `components.securitySchemes` that are sent
//! together. Schemes become [`Credential`]s: `http` `bearer`, `oauth2` and
//! `openIdConnect` send the token as a bearer token (the client does not
//! run an OAuth flow), `http` `basic` the user name and password, `apiKey`
//! the token in its header, query parameter or cookie. An alternative that
//! needs a scheme the client cannot send (another `http` scheme) is
//! dropped; an operation left with none is refused. An operation keeps its
//! alternatives by scheme key as well, so that the client can tell two
//! schemes that send the same kind of credential apart.

use crate::error::{Error, Result};
use crate::ir::{Credential, Operation, SecurityScheme as UsedScheme};
use crate::pointer::join;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

/// An operation's alternatives by scheme key, and the same as
/// credentials.
type Alternatives = (Vec<Vec<String>>, Vec<Vec<Credential>>);

/// The credential alternatives of one operation (`security` at
/// `pointer`, or the document's when the operation has none): by scheme
/// key, and as credentials.
pub(super) fn operation_security(
    doc: &OpenAPI,
    own: Option<&[SecurityRequirement]>,
    pointer: &str,
) -> Result<Alternatives> {
    let (requirements, at) = match own {
        Some(own) => (own, join(pointer, &["security"])),
        None => (
            doc.security.as_deref().unwrap_or(&[]),
            "#/security".to_owned(),
        ),
    };
    let mut alternatives: Vec<Vec<String>> = Vec::new();
    let mut credentials = Vec::new();
    let mut refused = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let at = join(&at, &[&index.to_string()]);
        let mut keys = Vec::new();
        let mut sent = Vec::new();
        let mut usable = true;
        for key in requirement.keys() {
            match credential(doc, key, &at)? {
                Ok(credential) => {
                    keys.push(key.clone());
                    sent.push(credential);
                }
                Err(reason) => {
                    refused.push(format!("`{key}`: {reason}"));
                    usable = false;
                }
            }
        }
        if usable && !alternatives.contains(&keys) {
            alternatives.push(keys);
            credentials.push(sent);
        }
    }
    if alternatives == [Vec::<String>::new()] {
        // Only "no credentials": the same as no requirement.
        alternatives.clear();
        credentials.clear();
    } else if alternatives.is_empty() && !refused.is_empty() {
        return Err(Error::unsupported(
            &at,
            format!(
                "no security alternative the client can send ({})",
                refused.join("; ")
            ),
        ));
    }
    Ok((alternatives, credentials))
}

/// The schemes `operations` use, in the order of
/// `components.securitySchemes`.
pub(super) fn used_schemes(doc: &OpenAPI, operations: &[Operation]) -> Vec<UsedScheme> {
    let used = |key: &str| {
        operations
            .iter()
            .flat_map(|op| op.security_keys.iter().flatten())
            .any(|used| used == key)
    };
    let declared = doc.components.iter().flat_map(|c| &c.security_schemes);
    declared
        .filter(|(key, _)| used(key))
        .filter_map(|(key, scheme)| {
            // Every used scheme was read when its operation was lowered.
            let credential = credential(doc, key, "#/components/securitySchemes")
                .ok()?
                .ok()?;
            let description = match scheme {
                ReferenceOr::Item(scheme) => match scheme {
                    SecurityScheme::APIKey { description, .. }
                    | SecurityScheme::HTTP { description, .. }
                    | SecurityScheme::OAuth2 { description, .. }
                    | SecurityScheme::OpenIDConnect { description, .. } => description.as_deref(),
                },
                ReferenceOr::Reference { .. } => None,
            };
            Some(UsedScheme {
                key: key.clone(),
                credential,
                docs: description.and_then(crate::docs::markdown),
                pointer: join("#/components/securitySchemes", &[key]),
            })
        })
        .collect()
}

/// The credential a scheme asks for, or why the client cannot send it.
fn credential(
    doc: &OpenAPI,
    key: &str,
    at: &str,
) -> Result<std::result::Result<Credential, String>> {
    let scheme_at = join("#/components/securitySchemes", &[key]);
    let scheme = doc
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(key))
        .ok_or_else(|| {
            Error::invalid(
                at,
                format!("security scheme `{key}` is not in `components.securitySchemes`"),
            )
        })?;
    let scheme = match scheme {
        ReferenceOr::Item(scheme) => scheme,
        ReferenceOr::Reference { .. } => {
            return Err(Error::unsupported(
                &scheme_at,
                "security schemes given by `$ref` are not followed",
            ));
        }
    };
    Ok(match scheme {
        SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
            "bearer" => Ok(Credential::Bearer),
            "basic" => Ok(Credential::Basic),
            other => Err(format!("the `http` scheme `{other}` is not supported")),
        },
        SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
            Ok(Credential::Bearer)
        }
        SecurityScheme::APIKey { location, name, .. } => match location {
            APIKeyLocation::Header => {
                if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                    return Err(Error::invalid(
                        &join(&scheme_at, &["name"]),
                        format!("`{name}` is not a valid header name"),
                    ));
                }
                Ok(Credential::ApiKeyHeader(name.clone()))
            }
            APIKeyLocation::Query => Ok(Credential::ApiKeyQuery(name.clone())),
            APIKeyLocation::Cookie => {
                // RFC 6265 cookie-name: a token (no separators or spaces).
                let token = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
                if !token {
                    return Err(Error::invalid(
                        &join(&scheme_at, &["name"]),
                        format!("`{name}` is not a valid cookie name"),
                    ));
                }
                Ok(Credential::ApiKeyCookie(name.clone()))
            }
        },
    })
}
