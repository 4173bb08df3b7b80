//! Authentication that follows the spec (fixtures `security_schemes.yaml`
//! and `security_none.yaml`, crates `tests/clients/security_schemes` and
//! `tests/clients/security_none`): what each operation sends with and
//! without credentials, the error of an operation whose credentials are
//! missing, and `from_env` when nothing is required.

use fixture_client_security_schemes::{BuildError, Client, Error};
use std::collections::HashMap;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "key-3141";
const BEARER: &str = "bearer-2718";

/// A server that answers every request with 204.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> fixture_client_security_schemes::ClientBuilder {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .max_retries(0)
}

/// What a request carried that could be a credential: the
/// `Authorization`, `X-API-Key` and `Cookie` headers and the query.
#[derive(Debug, Default, PartialEq, Eq)]
struct Sent {
    authorization: Option<String>,
    api_key: Option<String>,
    cookie: Option<String>,
    query: Option<String>,
}

impl Sent {
    fn of(request: &Request) -> Self {
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        Sent {
            authorization: header("authorization"),
            api_key: header("x-api-key"),
            cookie: header("cookie"),
            query: request.url.query().map(str::to_owned),
        }
    }

    fn bearer() -> Self {
        Sent {
            authorization: Some(format!("Bearer {BEARER}")),
            ..Sent::default()
        }
    }

    fn key() -> Self {
        Sent {
            api_key: Some(KEY.to_owned()),
            ..Sent::default()
        }
    }
}

/// The credentials of the only request `server` got (and forgets it).
async fn sent(server: &MockServer) -> Sent {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(server)
        .await;
    Sent::of(&requests[0])
}

#[tokio::test]
async fn without_credentials_unsecured_and_optional_operations_send_none() {
    let server = server().await;
    let client = builder(&server)
        .build()
        .expect("builds without credentials");

    client.get_health().await.expect("security: []");
    assert_eq!(sent(&server).await, Sent::default());

    client.get_feed().await.expect("[{}, bearer]");
    assert_eq!(sent(&server).await, Sent::default());
}

#[tokio::test]
async fn a_secured_operation_without_its_credential_fails_before_sending() {
    let server = server().await;
    let client = builder(&server)
        .basic_auth("ann", "pw-secret")
        .build()
        .unwrap();
    for (call, wanted) in [
        (
            client.list_items().await.map_err(|err| err.to_string()),
            "`ListItems` needs credentials the client was not given: the `apiKeyAuth` scheme \
             (`ClientBuilder::api_key_header`)",
        ),
        (
            client.run_admin_task().await.map_err(|err| err.to_string()),
            "the `apiKeyAuth` and `bearerAuth` schemes (`ClientBuilder::api_key_header` and \
             `ClientBuilder::bearer_token`)",
        ),
        (
            client.get_report().await.map_err(|err| err.to_string()),
            "the `bearerAuth` scheme (`ClientBuilder::bearer_token`), or the `apiKeyAuth` \
             scheme (`ClientBuilder::api_key_header`)",
        ),
    ] {
        let message = call.expect_err("no credential");
        assert!(message.contains(wanted), "{message}");
        assert!(!message.contains("pw-secret"), "{message}");
    }
    // The AND alternative needs both: one is not enough.
    let only_key = builder(&server).api_key_header(KEY).build().unwrap();
    let err = only_key.run_admin_task().await.expect_err("bearer missing");
    assert!(
        matches!(&err, Error::InvalidRequest { message } if message.contains("bearer_token")),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn each_scheme_setter_sends_its_credential_where_the_scheme_says() {
    let server = server().await;
    let client = builder(&server)
        .api_key_header(KEY)
        .bearer_token(BEARER)
        .key_query("q-secret")
        .session_cookie("c-secret")
        .basic_auth("ann", "s3cret")
        .build()
        .unwrap();

    client.list_items().await.unwrap();
    assert_eq!(sent(&server).await, Sent::key(), "the document's scheme");
    client.create_item().await.unwrap();
    assert_eq!(sent(&server).await, Sent::bearer(), "the operation's own");
    client.get_health().await.unwrap();
    assert_eq!(sent(&server).await, Sent::default(), "security: []");
    client.get_feed().await.unwrap();
    assert_eq!(
        sent(&server).await,
        Sent::bearer(),
        "optional, with a token"
    );
    client.run_admin_task().await.unwrap();
    assert_eq!(
        sent(&server).await,
        Sent {
            authorization: Some(format!("Bearer {BEARER}")),
            api_key: Some(KEY.to_owned()),
            ..Sent::default()
        },
        "both schemes of one alternative"
    );
    client.get_report().await.unwrap();
    assert_eq!(
        sent(&server).await,
        Sent::bearer(),
        "the first alternative the client has"
    );
    client.search().await.unwrap();
    assert_eq!(
        sent(&server).await,
        Sent {
            query: Some("key=q-secret".to_owned()),
            ..Sent::default()
        }
    );
    client.get_session().await.unwrap();
    assert_eq!(
        sent(&server).await,
        Sent {
            cookie: Some("session=c-secret".to_owned()),
            ..Sent::default()
        }
    );
    client.list_exports().await.unwrap();
    // base64("ann:s3cret")
    assert_eq!(
        sent(&server).await,
        Sent {
            authorization: Some("Basic YW5uOnMzY3JldA==".to_owned()),
            ..Sent::default()
        }
    );

    // Either alternative: with only the API key, the second one.
    let only_key = builder(&server).api_key_header(KEY).build().unwrap();
    only_key.get_report().await.unwrap();
    assert_eq!(sent(&server).await, Sent::key());

    let text = format!("{client:?}");
    for secret in [KEY, BEARER, "q-secret", "c-secret", "s3cret"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[tokio::test]
async fn secrets_are_redacted_from_error_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/items"))
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("bad key {KEY}")))
        .mount(&server)
        .await;
    let client = builder(&server).api_key_header(KEY).build().unwrap();
    let err = client.list_items().await.expect_err("500");
    let text = format!("{err} {err:?}");
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
}

/// `Client::from_env` over `vars` instead of the process environment.
fn from_vars(vars: &[(&str, &str)]) -> Result<Client, BuildError> {
    let vars: HashMap<&str, &str> = vars.iter().copied().collect();
    Client::builder().from_env_lookup(Client::BASE_URL_ENV, |name| {
        vars.get(name).map(|value| (*value).to_owned())
    })
}

#[tokio::test]
async fn from_env_requires_nothing_here_and_reads_one_variable_per_scheme() {
    let client = from_vars(&[]).expect("no scheme is needed by every operation");
    assert_eq!(client.base_url().as_str(), Client::DEFAULT_BASE_URL);

    let server = server().await;
    let base_url = format!("{}/v1", server.uri());
    let client = from_vars(&[
        ("SECURITY_SCHEMES_BASE_URL", &base_url),
        ("SECURITY_SCHEMES_API_KEY_HEADER", KEY),
        ("SECURITY_SCHEMES_BEARER_TOKEN", BEARER),
        ("SECURITY_SCHEMES_BASIC_AUTH", "ann:s3cret"),
    ])
    .unwrap();
    client.run_admin_task().max_retries(0).await.unwrap();
    assert_eq!(
        sent(&server).await,
        Sent {
            authorization: Some(format!("Bearer {BEARER}")),
            api_key: Some(KEY.to_owned()),
            ..Sent::default()
        }
    );
    client.list_exports().max_retries(0).await.unwrap();
    assert_eq!(
        sent(&server).await.authorization.as_deref(),
        Some("Basic YW5uOnMzY3JldA==")
    );

    let err = from_vars(&[("SECURITY_SCHEMES_BASIC_AUTH", "no-colon")]).unwrap_err();
    assert!(
        matches!(
            err,
            BuildError::InvalidEnvVar {
                name: "SECURITY_SCHEMES_BASIC_AUTH",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_document_without_security_needs_no_credentials() {
    use fixture_client_security_none::Client;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#""pong""#))
        .mount(&server)
        .await;
    let vars = HashMap::from([("NO_SECURITY_BASE_URL", format!("{}/v1", server.uri()))]);
    let client = Client::builder()
        .from_env_lookup(Client::BASE_URL_ENV, |name| vars.get(name).cloned())
        .expect("no variable but the base URL is read");
    assert_eq!(client.ping().await.unwrap(), "pong");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(Sent::of(&requests[0]), Sent::default());
    Client::builder().build().expect("builds without anything");
}
