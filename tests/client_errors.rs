//! The generated client's failures against a local mock server: typed
//! documented errors, undocumented statuses, retries (and where they must
//! not happen), timeouts, bodies that do not decode, lenient decoding, and
//! the token kept out of every message.

mod client_support;

use client_support::{
    ACCOUNT_ID, TOKEN, builder, client, on, received, seed, spec_200_example, spec_schema_example,
};
use serde_json::json;
use std::time::{Duration, Instant};
use telnyx_managed_accounts::Error;
use telnyx_managed_accounts::errors::{
    CreateManagedAccountError, ListAllocatableGlobalOutboundChannelsError,
    RetrieveManagedAccountError, UpdateManagedAccountError,
};
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, ManagedAccountBalanceRecordType, ManagedAccountRecordType,
    UpdateManagedAccountRequest,
};
use wiremock::{MockServer, ResponseTemplate};

fn retrieve_path() -> String {
    format!("/managed_accounts/{ACCOUNT_ID}")
}

fn create_body() -> CreateManagedAccountRequest {
    serde_json::from_value(seed("create-managed-account-request.json")).unwrap()
}

/// A body as the server would send it.
fn raw(status: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)
}

#[tokio::test]
async fn a_401_is_the_documented_unauthorized_error() {
    let server = MockServer::start().await;
    let body = json!({"errors": [{"code": "10009", "title": "Authentication failed"}]});
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(401).set_body_json(&body))
        .mount(&server)
        .await;

    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.documented(),
        Some(&RetrieveManagedAccountError::Unauthorized)
    );
    // The spec documents no body for 401; the text is kept for the message.
    assert!(err.body().unwrap().contains("Authentication failed"));
    assert!(err.to_string().contains("401 Unauthorized"), "{err}");
    assert_eq!(received(&server).await.len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn a_404_is_the_documented_not_found_error() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;

    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    match &err {
        Error::Api {
            status: 404,
            error: RetrieveManagedAccountError::NotFound,
            body,
            ..
        } => assert!(body.is_empty()),
        other => panic!("expected a documented 404, got {other:?}"),
    }
    assert!(err.to_string().contains("404 Not Found"), "{err}");
}

#[tokio::test]
async fn a_403_is_the_documented_forbidden_error() {
    let server = MockServer::start().await;
    on(
        "GET",
        "/managed_accounts/allocatable_global_outbound_channels",
    )
    .respond_with(ResponseTemplate::new(403))
    .mount(&server)
    .await;

    let err = client(&server)
        .list_allocatable_global_outbound_channels()
        .await
        .unwrap_err();

    assert_eq!(
        err.documented(),
        Some(&ListAllocatableGlobalOutboundChannelsError::Forbidden)
    );
}

#[tokio::test]
async fn a_422_exposes_every_error_item() {
    for sample in [seed("errors-422.json"), spec_schema_example("Errors")] {
        let server = MockServer::start().await;
        on("POST", "/managed_accounts")
            .respond_with(ResponseTemplate::new(422).set_body_json(&sample))
            .mount(&server)
            .await;

        let err = client(&server)
            .create_managed_account(&create_body())
            .await
            .unwrap_err();

        let Error::Api {
            status: 422,
            error: CreateManagedAccountError::UnprocessableEntity(Some(errors)),
            ..
        } = &err
        else {
            panic!("expected a typed 422, got {err:?}");
        };
        let items = errors.errors.as_deref().unwrap();
        let expected = sample["errors"].as_array().unwrap();
        assert_eq!(items.len(), expected.len());
        for (item, expected) in items.iter().zip(expected) {
            assert_eq!(item.code, expected["code"].as_str().unwrap());
            assert_eq!(item.title, expected["title"].as_str().unwrap());
            assert_eq!(item.detail.as_deref(), expected["detail"].as_str());
            let pointer = item.source.as_ref().and_then(|s| s.pointer.as_deref());
            assert_eq!(pointer, expected["source"]["pointer"].as_str());
        }
        assert!(
            err.to_string().contains("422 Unprocessable Entity"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_422_whose_body_does_not_parse_is_still_the_documented_error() {
    let server = MockServer::start().await;
    on("PATCH", &retrieve_path())
        .respond_with(raw(422, "validation failed", "text/plain"))
        .mount(&server)
        .await;

    let err = client(&server)
        .update_managed_account(ACCOUNT_ID, &UpdateManagedAccountRequest::default())
        .await
        .unwrap_err();

    assert_eq!(
        err.documented(),
        Some(&UpdateManagedAccountError::UnprocessableEntity(None))
    );
    assert_eq!(err.body(), Some("validation failed"));
}

#[tokio::test]
async fn an_undocumented_500_with_html_keeps_a_bounded_body() {
    let server = MockServer::start().await;
    let page = format!(
        "<html><head><title>500 Internal Server Error</title></head><body>{}</body></html>",
        "x".repeat(100_000)
    );
    on("GET", &retrieve_path())
        .respond_with(raw(500, &page, "text/html"))
        .mount(&server)
        .await;

    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    let Error::UnexpectedStatus { status, body, .. } = &err else {
        panic!("expected an undocumented status, got {err:?}");
    };
    assert_eq!(*status, 500);
    assert!(body.starts_with("<html><head><title>500"), "{body}");
    assert!(
        body.len() <= 4096 + '…'.len_utf8(),
        "{} bytes kept",
        body.len()
    );
    assert_eq!(err.status(), Some(500));
    let message = err.to_string();
    assert!(message.contains("500 Internal Server Error"), "{message}");
    assert!(message.len() < 600, "the message stays short: {message}");
    // A GET is retried on 500: the first attempt and two retries.
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_and_then_succeeds() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    on("GET", &retrieve_path())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(seed("managed-account-response.json")),
        )
        .mount(&server)
        .await;

    let started = Instant::now();
    let response = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap();

    assert_eq!(response.data.unwrap().id, ACCOUNT_ID);
    assert_eq!(received(&server).await.len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}, not the 1 s Retry-After",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_post_answered_429_is_retried() {
    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    on("POST", "/managed_accounts")
        .respond_with(
            ResponseTemplate::new(200).set_body_json(seed("managed-account-response.json")),
        )
        .mount(&server)
        .await;

    client(&server)
        .create_managed_account(&create_body())
        .await
        .unwrap();

    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_post_answered_500_is_not_retried() {
    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(raw(500, "oops", "text/plain"))
        .mount(&server)
        .await;

    let err = client(&server)
        .create_managed_account(&create_body())
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::UnexpectedStatus { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(
        received(&server).await.len(),
        1,
        "a create is never sent twice"
    );
}

#[tokio::test]
async fn a_patch_answered_503_is_not_retried() {
    let server = MockServer::start().await;
    on("PATCH", &retrieve_path())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;

    let err = client(&server)
        .update_managed_account(ACCOUNT_ID, &UpdateManagedAccountRequest::default())
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_get_is_retried_on_transient_statuses_up_to_max_retries() {
    for status in [408, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        on("GET", &retrieve_path())
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        on("GET", &retrieve_path())
            .respond_with(
                ResponseTemplate::new(200).set_body_json(seed("managed-account-response.json")),
            )
            .mount(&server)
            .await;

        client(&server)
            .retrieve_managed_account(ACCOUNT_ID)
            .await
            .unwrap_or_else(|err| panic!("{status} then 200 gave {err}"));
        assert_eq!(received(&server).await.len(), 2, "{status}");
    }

    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(4).build().unwrap();
    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        received(&server).await.len(),
        5,
        "the first attempt and 4 retries"
    );
}

#[tokio::test]
async fn max_retries_zero_turns_retries_off() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(0).build().unwrap();

    client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_slow_server_times_out_per_attempt() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(seed("managed-account-response.json"))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(200)));
    assert_eq!(err.status(), None);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        received(&server).await.len(),
        2,
        "a GET that timed out is retried"
    );
}

#[tokio::test]
async fn a_post_that_timed_out_is_not_retried() {
    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let err = client
        .create_managed_account(&create_body())
        .await
        .unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn truncated_json_is_reported_with_its_path() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&seed("managed-account-response.json")).unwrap();
    let cut = &full[..full.find("\"currency\"").unwrap() + 5];
    on("GET", &retrieve_path())
        .respond_with(raw(200, cut, "application/json"))
        .mount(&server)
        .await;

    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    let Error::Decode {
        status,
        path,
        source,
        ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*status, 200);
    // Cut inside a key of `data.balance`: the key itself is not known (`?`).
    assert_eq!(path, "data.balance.?");
    assert!(source.is_eof(), "{source}");
    assert!(err.to_string().contains("`data.balance.?`"), "{err}");
    assert_eq!(err.status(), Some(200));

    // Cut inside a value: the path names the field.
    let server = MockServer::start().await;
    let cut = &full[..full.find(ACCOUNT_ID).unwrap() + 8];
    on("GET", &retrieve_path())
        .respond_with(raw(200, cut, "application/json"))
        .mount(&server)
        .await;
    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "data.id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wrong_typed_field_is_reported_with_its_path() {
    let server = MockServer::start().await;
    let mut payload = seed("managed-account-response.json");
    payload["data"]["balance"]["credit_limit"] = json!(100);
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(200).set_body_json(&payload))
        .mount(&server)
        .await;

    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    let Error::Decode { path, source, .. } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(path, "data.balance.credit_limit");
    assert!(source.is_data(), "{source}");
}

#[tokio::test]
async fn a_paginated_list_with_a_wrong_item_names_its_index() {
    let server = MockServer::start().await;
    let mut payload = spec_200_example("/managed_accounts", "get");
    payload["data"][0]["id"] = json!(42);
    on("GET", "/managed_accounts")
        .respond_with(ResponseTemplate::new(200).set_body_json(&payload))
        .mount(&server)
        .await;

    let err = client(&server).list_managed_accounts().await.unwrap_err();

    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "data[0].id"),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_are_accepted() {
    let server = MockServer::start().await;
    let mut payload = seed("managed-account-response.json");
    payload["data"]["record_type"] = json!("managed_account_v2");
    payload["data"]["balance"]["record_type"] = json!("ledger");
    payload["data"]["a_new_field"] = json!({"nested": [1, 2, 3]});
    payload["a_new_top_level_field"] = json!(true);
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(200).set_body_json(&payload))
        .mount(&server)
        .await;

    let response = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap();

    let account = response.data.unwrap();
    assert_eq!(
        account.record_type,
        ManagedAccountRecordType::Unknown("managed_account_v2".to_owned())
    );
    assert_eq!(
        account.balance.unwrap().record_type,
        Some(ManagedAccountBalanceRecordType::Unknown(
            "ledger".to_owned()
        ))
    );
}

#[tokio::test]
async fn a_connection_failure_is_a_transport_error() {
    // A port that was just listening and is now closed. (Not a dropped
    // MockServer: wiremock pools those and keeps them listening.)
    let uri = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = telnyx_managed_accounts::Client::builder()
        .base_url(uri)
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap();

    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(std::error::Error::source(&err).is_some());
}

/// One error of every kind, each from a server that does its worst to
/// leak the token: it echoes it in every body it sends.
async fn one_error_of_each_kind() -> Vec<Error<RetrieveManagedAccountError>> {
    let server = MockServer::start().await;
    let echo = format!("request had Authorization: Bearer {TOKEN}");
    let cases = [
        (
            401,
            json!({"errors": [{"code": "1", "title": TOKEN}]}).to_string(),
        ),
        (404, echo.clone()),
        (500, format!("<html>{echo}</html>")),
        (418, echo.clone()),
        (200, format!("{{\"data\": {{\"id\": \"{TOKEN}")),
        (200, json!({"data": {"id": 1, "note": TOKEN}}).to_string()),
    ];
    let mut errors = Vec::new();
    for (n, (status, body)) in cases.into_iter().enumerate() {
        let id = format!("case-{n}");
        on("GET", &format!("/managed_accounts/{id}"))
            .respond_with(raw(status, &body, "application/json"))
            .mount(&server)
            .await;
        errors.push(
            client(&server)
                .retrieve_managed_account(&id)
                .await
                .unwrap_err(),
        );
    }
    on("GET", "/managed_accounts/slow")
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let impatient = builder(&server)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(
        impatient
            .retrieve_managed_account("slow")
            .await
            .unwrap_err(),
    );
    errors.push(
        client(&server)
            .retrieve_managed_account("")
            .await
            .unwrap_err(),
    );
    let closed = telnyx_managed_accounts::Client::builder()
        .base_url("http://127.0.0.1:9")
        .token(TOKEN)
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(closed.retrieve_managed_account("x").await.unwrap_err());
    errors
}

#[tokio::test]
async fn the_token_never_appears_in_any_error() {
    let errors = one_error_of_each_kind().await;
    let kinds: Vec<&str> = errors
        .iter()
        .map(|err| match err {
            Error::Api { .. } => "api",
            Error::UnexpectedStatus { .. } => "unexpected",
            Error::Decode { .. } => "decode",
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::InvalidRequest { .. } => "invalid",
            _ => "other",
        })
        .collect();
    for kind in [
        "api",
        "unexpected",
        "decode",
        "transport",
        "timeout",
        "invalid",
    ] {
        assert!(kinds.contains(&kind), "no {kind} error among {kinds:?}");
    }
    for err in &errors {
        let mut texts = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
        let mut source = std::error::Error::source(err);
        while let Some(inner) = source {
            texts.push(inner.to_string());
            texts.push(format!("{inner:?}"));
            source = inner.source();
        }
        for text in texts {
            assert!(!text.contains(TOKEN), "the token leaked: {text}");
        }
    }
    let echoed: Vec<&str> = errors.iter().filter_map(Error::body).collect();
    assert!(
        echoed.iter().any(|body| body.contains("Bearer [redacted]")),
        "the echoed token is replaced: {echoed:?}"
    );
}

#[test]
fn an_error_is_a_std_error_that_can_be_boxed() {
    fn boxed(err: Error<RetrieveManagedAccountError>) -> Box<dyn std::error::Error + Send + Sync> {
        Box::new(err)
    }
    let err = boxed(Error::Timeout {
        timeout: Duration::from_secs(60),
    });
    assert!(err.to_string().contains("60s"), "{err}");
}
