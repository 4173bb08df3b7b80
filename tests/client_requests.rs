//! The generated client against a local mock server: for every operation,
//! the exact method, path, query string, headers and JSON body it sends,
//! and the documentation's 200 sample parsed into the typed response; the
//! pagination stream; the builder.

mod client_support;

use client_support::{
    ACCOUNT_ID, BASE_PATH, TOKEN, builder, client, default_user_agent, header, on, received, seed,
    spec_200_example,
};
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, EnableManagedAccountRequest, ListManagedAccountsFilter,
    ListManagedAccountsFilterEmail, ListManagedAccountsFilterOrganizationName,
    ListManagedAccountsFilterStatus, ListManagedAccountsFilterStatusEq, ListManagedAccountsPage,
    ListManagedAccountsParams, ListManagedAccountsSort, ManagedAccountRecordType,
    UpdateManagedAccountGlobalChannelLimitRequest, UpdateManagedAccountRequest,
};
use telnyx_managed_accounts::{BuildError, Client, Error};
use wiremock::{MockServer, ResponseTemplate};

/// What one request must look like.
struct Expected<'a> {
    method: &'a str,
    path: String,
    query: Option<&'a str>,
    body: Option<Value>,
}

/// Checks the only request `server` received against `expected`, headers
/// included.
async fn assert_single_request(server: &MockServer, expected: Expected<'_>) {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), expected.method);
    assert_eq!(request.url.path(), expected.path);
    assert_eq!(request.url.query(), expected.query);
    assert_eq!(
        header(request, "authorization").as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json")
    );
    assert_eq!(header(request, "user-agent"), Some(default_user_agent()));
    match expected.body {
        Some(body) => {
            assert_eq!(
                header(request, "content-type").as_deref(),
                Some("application/json")
            );
            let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            assert_eq!(sent, body);
        }
        None => {
            assert_eq!(header(request, "content-type"), None);
            assert!(request.body.is_empty(), "no body: {:?}", request.body);
        }
    }
}

fn ok_json(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// The typed response, serialized again, is the sample it was parsed from.
fn assert_round_trips<T: serde::Serialize>(typed: &T, sample: &Value) {
    assert_eq!(&serde_json::to_value(typed).unwrap(), sample);
}

#[tokio::test]
async fn list_managed_accounts_sends_deep_object_and_form_parameters() {
    let server = MockServer::start().await;
    let sample = spec_200_example("/managed_accounts", "get");
    on("GET", "/managed_accounts")
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;
    let params = ListManagedAccountsParams {
        filter: Some(ListManagedAccountsFilter {
            email: Some(ListManagedAccountsFilterEmail {
                contains: Some("john".to_owned()),
                eq: None,
            }),
            organization_name: Some(ListManagedAccountsFilterOrganizationName {
                contains: None,
                eq: Some("Example Company LLC & Co".to_owned()),
            }),
            status: Some(ListManagedAccountsFilterStatus {
                eq: Some(ListManagedAccountsFilterStatusEq::Enabled),
            }),
        }),
        page: Some(ListManagedAccountsPage {
            number: Some(2),
            size: Some(50),
        }),
        sort: Some(ListManagedAccountsSort::Email),
        include_cancelled_accounts: Some(true),
    };

    let response = client(&server)
        .list_managed_accounts()
        .params(&params)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "GET",
            path: format!("{BASE_PATH}/managed_accounts"),
            query: Some(
                "filter[email][contains]=john\
                 &filter[organization_name][eq]=Example%20Company%20LLC%20%26%20Co\
                 &filter[status][eq]=enabled\
                 &page[number]=2&page[size]=50\
                 &sort=email\
                 &include_cancelled_accounts=true",
            ),
            body: None,
        },
    )
    .await;
    let accounts = response.data.as_deref().unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].id, ACCOUNT_ID);
    assert_eq!(response.meta.as_ref().unwrap().total_pages, Some(1));
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn list_managed_accounts_sends_only_the_parameters_that_are_set() {
    let server = MockServer::start().await;
    let sample = spec_200_example("/managed_accounts", "get");
    on("GET", "/managed_accounts")
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;
    let client = client(&server);

    client
        .list_managed_accounts()
        .params(&ListManagedAccountsParams::default())
        .await
        .unwrap();
    let params = ListManagedAccountsParams {
        page: Some(ListManagedAccountsPage {
            number: None,
            size: Some(5),
        }),
        include_cancelled_accounts: Some(false),
        ..Default::default()
    };
    client
        .list_managed_accounts()
        .params(&params)
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(
        requests[1].url.query(),
        Some("page[size]=5&include_cancelled_accounts=false")
    );
}

#[tokio::test]
async fn create_managed_account_posts_the_documented_body() {
    let server = MockServer::start().await;
    let sample = seed("managed-account-response.json");
    on("POST", "/managed_accounts")
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;
    let request_sample = seed("create-managed-account-request.json");
    let body: CreateManagedAccountRequest = serde_json::from_value(request_sample.clone()).unwrap();

    let response = client(&server).create_managed_account(&body).await.unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "POST",
            path: format!("{BASE_PATH}/managed_accounts"),
            query: None,
            body: Some(request_sample),
        },
    )
    .await;
    let account = response.data.as_ref().unwrap();
    assert_eq!(
        account.record_type,
        ManagedAccountRecordType::ManagedAccount
    );
    assert_eq!(account.api_token, "x6oexQNHTs-fZ7-QsDMOeg");
    assert_eq!(
        account.balance.as_ref().unwrap().balance.as_deref(),
        Some("300.00")
    );
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn create_managed_account_omits_fields_that_are_not_set() {
    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(ok_json(&seed("managed-account-response.json")))
        .mount(&server)
        .await;
    let body = CreateManagedAccountRequest {
        business_name: "Larry's Cat Food Inc".to_owned(),
        ..Default::default()
    };

    client(&server).create_managed_account(&body).await.unwrap();

    let requests = received(&server).await;
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent, json!({"business_name": "Larry's Cat Food Inc"}));
}

#[tokio::test]
async fn list_allocatable_global_outbound_channels_is_a_plain_get() {
    let server = MockServer::start().await;
    let operation_path = "/managed_accounts/allocatable_global_outbound_channels";
    let sample = spec_200_example(operation_path, "get");
    on("GET", operation_path)
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;

    let response = client(&server)
        .list_allocatable_global_outbound_channels()
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "GET",
            path: format!("{BASE_PATH}{operation_path}"),
            query: None,
            body: None,
        },
    )
    .await;
    let channels = response.data.as_ref().unwrap();
    assert_eq!(channels.allocatable_global_outbound_channels, Some(500));
    assert_eq!(channels.total_global_channels_allocated, Some(135));
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn retrieve_managed_account_puts_the_id_in_the_path() {
    let server = MockServer::start().await;
    let sample = seed("managed-account-response.json");
    on("GET", &format!("/managed_accounts/{ACCOUNT_ID}"))
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;

    let response = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "GET",
            path: format!("{BASE_PATH}/managed_accounts/{ACCOUNT_ID}"),
            query: None,
            body: None,
        },
    )
    .await;
    assert_eq!(response.data.as_ref().unwrap().id, ACCOUNT_ID);
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn a_path_parameter_is_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    let sample = seed("managed-account-response.json");
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;

    client(&server)
        .retrieve_managed_account("a/b c?d#e%f..")
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.path(),
        format!("{BASE_PATH}/managed_accounts/a%2Fb%20c%3Fd%23e%25f..")
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn an_empty_or_dot_path_parameter_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    for id in ["", ".", ".."] {
        let err = client.retrieve_managed_account(id).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{id:?} gave {err:?}"
        );
        assert_eq!(err.status(), None);
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn update_managed_account_patches_with_the_body() {
    let server = MockServer::start().await;
    let sample = spec_200_example("/managed_accounts/{id}", "patch");
    on("PATCH", &format!("/managed_accounts/{ACCOUNT_ID}"))
        .respond_with(ok_json(&sample))
        .mount(&server)
        .await;
    let body = UpdateManagedAccountRequest {
        managed_account_allow_custom_pricing: Some(true),
    };

    let response = client(&server)
        .update_managed_account(ACCOUNT_ID, &body)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "PATCH",
            path: format!("{BASE_PATH}/managed_accounts/{ACCOUNT_ID}"),
            query: None,
            body: Some(json!({"managed_account_allow_custom_pricing": true})),
        },
    )
    .await;
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn disable_managed_account_posts_without_a_body() {
    let server = MockServer::start().await;
    let sample = spec_200_example("/managed_accounts/{id}/actions/disable", "post");
    on(
        "POST",
        &format!("/managed_accounts/{ACCOUNT_ID}/actions/disable"),
    )
    .respond_with(ok_json(&sample))
    .mount(&server)
    .await;

    let response = client(&server)
        .disable_managed_account(ACCOUNT_ID)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "POST",
            path: format!("{BASE_PATH}/managed_accounts/{ACCOUNT_ID}/actions/disable"),
            query: None,
            body: None,
        },
    )
    .await;
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn enable_managed_account_without_a_body_like_the_node_sdk() {
    let server = MockServer::start().await;
    let sample = seed("enable-managed-account-response.json");
    on(
        "POST",
        &format!("/managed_accounts/{ACCOUNT_ID}/actions/enable"),
    )
    .respond_with(ok_json(&sample))
    .mount(&server)
    .await;

    let response = client(&server)
        .enable_managed_account(ACCOUNT_ID)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "POST",
            path: format!("{BASE_PATH}/managed_accounts/{ACCOUNT_ID}/actions/enable"),
            query: None,
            body: None,
        },
    )
    .await;
    let account = response.data.as_ref().unwrap();
    assert_eq!(
        account.organization_name.as_deref(),
        Some("Example Company LLC")
    );
    // Same content as the sample, whatever the key order on the page.
    assert_round_trips(&response, &sample);
}

#[tokio::test]
async fn enable_managed_account_with_the_optional_body() {
    let server = MockServer::start().await;
    on(
        "POST",
        &format!("/managed_accounts/{ACCOUNT_ID}/actions/enable"),
    )
    .respond_with(ok_json(&seed("enable-managed-account-response.json")))
    .mount(&server)
    .await;
    let request_sample = seed("enable-managed-account-request.json");
    let body: EnableManagedAccountRequest = serde_json::from_value(request_sample.clone()).unwrap();

    client(&server)
        .enable_managed_account(ACCOUNT_ID)
        .body(&body)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "POST",
            path: format!("{BASE_PATH}/managed_accounts/{ACCOUNT_ID}/actions/enable"),
            query: None,
            body: Some(request_sample),
        },
    )
    .await;
}

#[tokio::test]
async fn update_global_channel_limit_patches_the_limit() {
    let server = MockServer::start().await;
    let operation_path = "/managed_accounts/{id}/update_global_channel_limit";
    let sample = spec_200_example(operation_path, "patch");
    on(
        "PATCH",
        &format!("/managed_accounts/{ACCOUNT_ID}/update_global_channel_limit"),
    )
    .respond_with(ok_json(&sample))
    .mount(&server)
    .await;
    let body = UpdateManagedAccountGlobalChannelLimitRequest {
        channel_limit: Some(30),
    };

    let response = client(&server)
        .update_managed_account_global_channel_limit(ACCOUNT_ID, &body)
        .await
        .unwrap();

    assert_single_request(
        &server,
        Expected {
            method: "PATCH",
            path: format!("{BASE_PATH}/managed_accounts/{ACCOUNT_ID}/update_global_channel_limit"),
            query: None,
            body: Some(json!({"channel_limit": 30})),
        },
    )
    .await;
    let limits = response.data.as_ref().unwrap();
    assert_eq!(limits.channel_limit, Some(30));
    assert_eq!(limits.email.as_deref(), Some("allocate_demo@customer.com"));
    assert_round_trips(&response, &sample);
}

/// A page of `count` listings numbered from `first`, out of `total_pages`.
fn listing_page(page: i64, first: usize, count: usize, total_pages: i64) -> Value {
    let item = spec_200_example("/managed_accounts", "get")["data"][0].clone();
    let data: Vec<Value> = (first..first + count)
        .map(|n| {
            let mut item = item.clone();
            item["email"] = json!(format!("user{n}@example.com"));
            item
        })
        .collect();
    json!({
        "data": data,
        "meta": {"page_number": page, "page_size": 2, "total_pages": total_pages, "total_results": 5},
    })
}

#[tokio::test]
async fn the_stream_walks_every_page_keeping_the_callers_parameters() {
    let server = MockServer::start().await;
    for (page, first, count) in [(1, 0, 2), (2, 2, 2), (3, 4, 1)] {
        on("GET", "/managed_accounts")
            .and(wiremock::matchers::query_param(
                "page[number]",
                page.to_string(),
            ))
            .respond_with(ok_json(&listing_page(page, first, count, 3)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let params = ListManagedAccountsParams {
        filter: Some(ListManagedAccountsFilter {
            email: Some(ListManagedAccountsFilterEmail {
                contains: Some("user".to_owned()),
                eq: None,
            }),
            ..Default::default()
        }),
        page: Some(ListManagedAccountsPage {
            number: None,
            size: Some(2),
        }),
        ..Default::default()
    };

    let emails: Vec<String> = client(&server)
        .list_managed_accounts()
        .params(&params)
        .stream()
        .map(|item| item.unwrap().email)
        .collect()
        .await;

    assert_eq!(
        emails,
        (0..5)
            .map(|n| format!("user{n}@example.com"))
            .collect::<Vec<_>>()
    );
    let queries: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [1, 2, 3]
            .map(|n| format!("filter[email][contains]=user&page[number]={n}&page[size]=2"))
            .to_vec()
    );
}

#[tokio::test]
async fn the_stream_starts_at_the_given_page_and_stops_on_an_error() {
    let server = MockServer::start().await;
    on("GET", "/managed_accounts")
        .and(wiremock::matchers::query_param("page[number]", "2"))
        .respond_with(ok_json(&listing_page(2, 2, 2, 4)))
        .mount(&server)
        .await;
    on("GET", "/managed_accounts")
        .and(wiremock::matchers::query_param("page[number]", "3"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let params = ListManagedAccountsParams {
        page: Some(ListManagedAccountsPage {
            number: Some(2),
            size: None,
        }),
        ..Default::default()
    };

    let items: Vec<_> = client(&server)
        .list_managed_accounts()
        .params(&params)
        .stream()
        .collect()
        .await;

    assert_eq!(items.len(), 3, "two items, then the error, then the end");
    assert!(items[0].is_ok() && items[1].is_ok());
    assert_eq!(items[2].as_ref().unwrap_err().status(), Some(401));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_base_url_may_end_with_a_slash() {
    let server = MockServer::start().await;
    on(
        "GET",
        "/managed_accounts/allocatable_global_outbound_channels",
    )
    .respond_with(ok_json(&json!({"data": {}})))
    .mount(&server)
    .await;
    let client = Client::builder()
        .base_url(format!("{}{BASE_PATH}/", server.uri()))
        .token(TOKEN)
        .build()
        .unwrap();

    client
        .list_allocatable_global_outbound_channels()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_user_agent_and_http_client_can_be_replaced() {
    let server = MockServer::start().await;
    on(
        "GET",
        "/managed_accounts/allocatable_global_outbound_channels",
    )
    .respond_with(ok_json(&json!({"data": {}})))
    .mount(&server)
    .await;
    let client = builder(&server)
        .user_agent("my-app/1.0")
        .http_client({
            telnyx_managed_accounts::install_tls_provider();
            reqwest::Client::new()
        })
        .build()
        .unwrap();

    client
        .list_allocatable_global_outbound_channels()
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "user-agent").as_deref(),
        Some("my-app/1.0")
    );
}

#[test]
fn the_builder_defaults_to_the_specs_first_server() {
    let client = Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://api.telnyx.com/v2");
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.telnyx.com/v2");
}

#[test]
fn the_builder_refuses_to_build_without_the_token_every_operation_needs() {
    for builder in [
        Client::builder(),
        Client::builder().token("  "),
        Client::builder().bearer_token(""),
    ] {
        let err = builder.build().unwrap_err();
        assert!(
            matches!(
                err,
                BuildError::MissingCredential {
                    scheme: "bearerAuth",
                    setter: "bearer_token"
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("ClientBuilder::bearer_token"),
            "{err}"
        );
    }
    // `token` and `bearer_token` set the same, only, scheme.
    Client::builder().bearer_token(TOKEN).build().unwrap();
}

#[test]
fn the_builder_refuses_unusable_settings() {
    let err = Client::builder()
        .token(TOKEN)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    assert!(err.to_string().contains("not a url"), "{err}");
    let err = Client::builder()
        .token(format!("{TOKEN}\u{1}x"))
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidToken), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

/// Builds a client the way `Client::from_env` does, from `vars` instead of
/// the process environment (which a test can neither rely on nor change
/// without racing the others).
fn from_vars(vars: &[(&str, &str)]) -> Result<Client, BuildError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    Client::builder().from_env_lookup(Client::BASE_URL_ENV, |name| vars.get(name).cloned())
}

#[test]
fn from_env_names_the_variable_it_needs() {
    assert_eq!(Client::API_KEY_ENV, "TELNYX_API_KEY");
    assert_eq!(Client::BASE_URL_ENV, "TELNYX_BASE_URL");
    let unset: &[(&str, &str)] = &[];
    let empty: &[(&str, &str)] = &[("TELNYX_API_KEY", "")];
    let blank: &[(&str, &str)] = &[("TELNYX_API_KEY", "  \n")];
    let only_url: &[(&str, &str)] = &[("TELNYX_BASE_URL", "http://127.0.0.1:1/v2")];
    for vars in [unset, empty, blank, only_url] {
        let err = from_vars(vars).unwrap_err();
        assert!(
            matches!(
                err,
                BuildError::MissingEnvVar {
                    name: "TELNYX_API_KEY"
                }
            ),
            "{vars:?}: {err:?}"
        );
        assert!(err.to_string().contains("TELNYX_API_KEY"), "{err}");
    }
}

#[test]
fn from_env_takes_the_token_and_the_base_url() {
    let client = from_vars(&[
        ("TELNYX_API_KEY", TOKEN),
        ("TELNYX_BASE_URL", "http://127.0.0.1:1/v2"),
    ])
    .unwrap();
    assert_eq!(client.base_url().as_str(), "http://127.0.0.1:1/v2");
    assert!(!format!("{client:?}").contains(TOKEN));

    // Without (or with an empty) base URL variable, the spec's server.
    let default = Client::builder().token(TOKEN).build().unwrap();
    for vars in [
        &[("TELNYX_API_KEY", TOKEN)][..],
        &[("TELNYX_API_KEY", TOKEN), ("TELNYX_BASE_URL", "")][..],
    ] {
        let client = from_vars(vars).unwrap();
        assert_eq!(client.base_url(), default.base_url(), "{vars:?}");
    }

    let err =
        from_vars(&[("TELNYX_API_KEY", TOKEN), ("TELNYX_BASE_URL", "not a url")]).unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
}

#[tokio::test]
async fn a_client_from_env_sends_to_that_base_url() {
    let server = MockServer::start().await;
    let operation_path = "/managed_accounts/allocatable_global_outbound_channels";
    on("GET", operation_path)
        .respond_with(ok_json(&spec_200_example(operation_path, "get")))
        .mount(&server)
        .await;
    let base_url = format!("{}{BASE_PATH}", server.uri());
    let client = from_vars(&[
        ("TELNYX_API_KEY", TOKEN),
        ("TELNYX_BASE_URL", base_url.as_str()),
    ])
    .unwrap();

    client
        .list_allocatable_global_outbound_channels()
        .await
        .unwrap();

    // Headers included: the token from the environment is the one sent.
    assert_single_request(
        &server,
        Expected {
            method: "GET",
            path: format!("{BASE_PATH}{operation_path}"),
            query: None,
            body: None,
        },
    )
    .await;
}

#[test]
fn debug_output_never_shows_the_token() {
    let builder = Client::builder().token(TOKEN);
    let client = builder.clone().build().unwrap();
    for text in [format!("{client:?}"), format!("{builder:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(text.contains("[redacted]"), "{text}");
    }
}
