//! The generated client in production use, against local servers: per-call
//! options, response metadata, idempotent retries and the server's retry
//! hints, the total deadline and the body size cap, tracing, middleware and
//! page-level access; with the fault cases (a connection reset after the
//! headers, a slow body, a 503 with `retry-after-ms`, `x-should-retry:
//! false`, a 10 MB body).

mod client_support;

use client_support::{
    ACCOUNT_ID, BASE_PATH, TOKEN, builder, client, header, on, received, seed, spec_200_example,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use telnyx_managed_accounts::errors::RetrieveManagedAccountError;
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, ListManagedAccountsPage, ListManagedAccountsParams,
};
use telnyx_managed_accounts::{CallInfo, Error, Middleware, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::{MockServer, ResponseTemplate};

fn retrieve_path() -> String {
    format!("/managed_accounts/{ACCOUNT_ID}")
}

fn account() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(spec_200_example("/managed_accounts/{id}", "get"))
        .insert_header("x-request-id", "req-ok-1")
}

fn create_body() -> CreateManagedAccountRequest {
    serde_json::from_value(seed("create-managed-account-request.json")).unwrap()
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(spec_200_example("/managed_accounts", "post"))
}

#[tokio::test]
async fn per_call_options_override_the_clients_and_add_headers_and_query_pairs() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(account().set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .extra_header("X-Trace", "abc")
        .extra_query("debug", "1")
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the call's timeout applied"
    );
    let requests = received(&server).await;
    assert_eq!(
        requests.len(),
        1,
        "max_retries(0) on this call: one attempt"
    );
    assert_eq!(header(&requests[0], "x-trace").as_deref(), Some("abc"));
    assert_eq!(requests[0].url.query(), Some("debug=1"));
}

#[tokio::test]
async fn a_prepared_options_set_applies_to_each_call_given_it() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let options = RequestOptions::new()
        .max_retries(1)
        .extra_header("X-Tenant", "t1");
    let client = client(&server);

    for _ in 0..2 {
        let err = client
            .retrieve_managed_account(ACCOUNT_ID)
            .options(options.clone())
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(503));
        assert_eq!(err.meta().unwrap().attempts(), 2);
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4, "two calls, one retry each");
    assert!(
        requests
            .iter()
            .all(|r| header(r, "x-tenant").as_deref() == Some("t1"))
    );
    // Extra header values are credentials as far as Debug knows.
    let shown = format!("{:?}", options.extra_header("Authorization", TOKEN));
    assert!(
        !shown.contains(TOKEN) && shown.contains("Authorization"),
        "{shown}"
    );
}

#[tokio::test]
async fn send_with_response_gives_the_status_headers_and_request_id() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(account().insert_header("x-ratelimit-remaining", "99"))
        .mount(&server)
        .await;

    let response = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .send_with_response()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req-ok-1"));
    assert_eq!(response.meta.header("x-ratelimit-remaining"), Some("99"));
    assert_eq!(response.meta.attempts(), 1);
    assert!(response.body.data.is_some());
    // Debug shows header names, not values.
    let shown = format!("{:?}", response.meta);
    assert!(
        shown.contains("x-ratelimit-remaining") && !shown.contains("\"99\""),
        "{shown}"
    );
}

#[tokio::test]
async fn an_error_carries_its_headers_retry_after_and_request_id() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-404")
                .insert_header("retry-after", "7"),
        )
        .mount(&server)
        .await;

    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    assert_eq!(
        err.documented(),
        Some(&RetrieveManagedAccountError::NotFound)
    );
    assert_eq!(err.request_id(), Some("req-404"));
    let meta = err.meta().unwrap();
    assert_eq!(meta.status(), 404);
    assert_eq!(meta.retry_after(), Some(Duration::from_secs(7)));
    // The error and the operation's error enum are std errors: the
    // documented error is the source.
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert_eq!(boxed.source().unwrap().to_string(), "404 Not Found");
}

#[tokio::test]
async fn a_post_is_not_retried_after_the_server_may_have_seen_it() {
    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(ResponseTemplate::new(500).insert_header("x-should-retry", "true"))
        .mount(&server)
        .await;

    let err = client(&server)
        .create_managed_account(&create_body())
        .max_retries(5)
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(500));
    assert_eq!(
        received(&server).await.len(),
        1,
        "without an idempotency key, not even x-should-retry: true resends a POST"
    );
}

#[tokio::test]
async fn an_idempotent_post_is_retried_with_the_same_key() {
    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    on("POST", "/managed_accounts")
        .respond_with(created())
        .mount(&server)
        .await;

    let response = client(&server)
        .create_managed_account(&create_body())
        .idempotency_key("key-123")
        .send_with_response()
        .await
        .unwrap();

    assert_eq!(response.meta.attempts(), 3);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let keys: Vec<Option<String>> = requests
        .iter()
        .map(|r| header(r, "idempotency-key"))
        .collect();
    assert_eq!(keys, vec![Some("key-123".to_owned()); 3]);
    let bodies: Vec<&[u8]> = requests.iter().map(|r| r.body.as_slice()).collect();
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "the same body"
    );
}

#[tokio::test]
async fn a_503_with_retry_after_ms_waits_that_long() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "300"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on("GET", &retrieve_path())
        .respond_with(account())
        .mount(&server)
        .await;

    // The client's own backoff is 1 ms: only the header makes it wait.
    let started = Instant::now();
    let response = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .send_with_response()
        .await
        .unwrap();

    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(response.meta.attempts(), 2);
}

#[tokio::test]
async fn x_should_retry_false_on_a_500_is_final_and_true_on_a_400_retries() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(500).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    let err = client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(received(&server).await.len(), 1);

    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(400).insert_header("x-should-retry", "true"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on("GET", &retrieve_path())
        .respond_with(account())
        .mount(&server)
        .await;
    client(&server)
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

/// A server on loopback that answers every connection with `answer`, and
/// counts connections.
async fn raw_server<F, Fut>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{BASE_PATH}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            // Read the request head (these requests have no body).
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte).await {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            tokio::spawn(answer(stream));
        }
    });
    (url, count)
}

fn raw_client(url: &str) -> telnyx_managed_accounts::Client {
    telnyx_managed_accounts::Client::builder()
        .base_url(url)
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_connection_reset_after_the_headers_is_retried_for_a_get_only() {
    let (url, connections) = raw_server(|mut stream| async move {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"data\":";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.flush().await;
        // An RST, not a clean close.
        #[allow(deprecated)] // A zero linger sends the RST at once; nothing blocks.
        let _ = stream.set_linger(Some(Duration::ZERO));
        drop(stream);
    })
    .await;
    let client = raw_client(&url);

    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 3, "a GET: 2 retries");
    assert!(!err.to_string().contains(TOKEN));

    connections.store(0, Ordering::SeqCst);
    let err = client
        .create_managed_account(&create_body())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "a POST the server may have seen is not resent"
    );
}

#[tokio::test]
async fn a_slow_body_past_the_deadline_ends_the_call() {
    let (url, connections) = raw_server(|mut stream| async move {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        for _ in 0..100 {
            if stream.write_all(b" ").await.is_err() {
                return;
            }
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let client = raw_client(&url);

    let started = Instant::now();
    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_millis(600))
        .await
        .unwrap_err();

    assert!(
        matches!(
            err,
            Error::DeadlineExceeded { deadline, attempts: 1 } if deadline == Duration::from_millis(600)
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn retries_stop_when_their_wait_would_pass_the_deadline() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();

    assert_eq!(
        err.status(),
        Some(503),
        "the last answer, not a wait of 30 s"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_10_mb_body_past_the_cap_is_a_clear_error() {
    let server = MockServer::start().await;
    let mut big = spec_200_example("/managed_accounts/{id}", "get");
    big["padding"] = json!("x".repeat(10 * 1024 * 1024));
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(200).set_body_json(&big))
        .mount(&server)
        .await;
    let client = builder(&server).max_body_size(1024 * 1024).build().unwrap();

    let err = client
        .retrieve_managed_account(ACCOUNT_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::BodyTooLarge { limit, .. } if *limit == 1024 * 1024),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(200));
    assert!(
        err.to_string()
            .contains("larger than the limit of 1048576 bytes"),
        "{err}"
    );
    assert_eq!(received(&server).await.len(), 1, "not retried");

    // A call may raise its own limit.
    let account = client
        .retrieve_managed_account(ACCOUNT_ID)
        .max_body_size(32 * 1024 * 1024)
        .await
        .unwrap();
    assert!(account.data.is_some());
}

/// The fields of a span or event, by name, as text.
type FieldMap = BTreeMap<String, String>;

/// What a tracing subscriber saw: spans (name and fields) and events.
#[derive(Default, Clone)]
struct Captured {
    spans: Arc<Mutex<Vec<(String, FieldMap)>>>,
    events: Arc<Mutex<Vec<FieldMap>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S> tracing_subscriber::Layer<S> for Captured
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        fields.insert("#id".to_owned(), id.into_u64().to_string());
        let name = attrs.metadata().name().to_owned();
        self.spans.lock().unwrap().push((name, fields));
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let id = id.into_u64().to_string();
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, fields)) = spans.iter_mut().find(|(_, f)| f["#id"] == id) {
            values.record(&mut Fields(fields));
        }
    }

    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        fields.insert("#level".to_owned(), event.metadata().level().to_string());
        self.events.lock().unwrap().push(fields);
    }
}

#[tokio::test]
async fn each_call_is_a_span_and_each_retry_an_event_without_secrets() {
    use tracing_subscriber::layer::SubscriberExt;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::registry().with(captured.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    on("POST", "/managed_accounts")
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "5"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on("POST", "/managed_accounts")
        .respond_with(created())
        .mount(&server)
        .await;
    let mut body = create_body();
    body.business_name = format!("secret {TOKEN}");
    client(&server)
        .create_managed_account(&body)
        .idempotency_key("key-trace")
        .await
        .unwrap();

    let spans = captured.spans.lock().unwrap().clone();
    let requests: Vec<_> = spans.iter().filter(|(name, _)| name == "request").collect();
    assert_eq!(requests.len(), 1, "one span per call: {spans:?}");
    let fields = &requests[0].1;
    assert_eq!(fields["operation"], "CreateManagedAccount");
    assert_eq!(fields["method"], "POST");
    assert_eq!(fields["path"], "/managed_accounts");
    assert_eq!(fields["attempt"], "2", "the last attempt is recorded");

    let events = captured.events.lock().unwrap().clone();
    let retries: Vec<_> = events
        .iter()
        .filter(|e| e.get("message").map(String::as_str) == Some("retrying"))
        .collect();
    assert_eq!(retries.len(), 1, "{events:?}");
    assert_eq!(retries[0]["reason"], "status 503");
    assert_eq!(retries[0]["wait_ms"], "5");
    assert_eq!(retries[0]["#level"], "WARN");
    let responses = events
        .iter()
        .filter(|e| e.get("message").map(String::as_str) == Some("response"))
        .count();
    assert_eq!(responses, 2);

    let everything = format!("{spans:?}{events:?}");
    assert!(!everything.contains(TOKEN), "no token or secret body field");
    assert!(!everything.contains("key-trace"), "no header values");
}

/// Adds a header to every attempt and records what came back.
struct Recorder {
    seen: Arc<Mutex<Vec<(String, u32, u16)>>>,
}

impl Middleware for Recorder {
    fn before_send(&self, request: &mut reqwest::Request, _call: &CallInfo) {
        request
            .headers_mut()
            .insert("x-signed", reqwest::header::HeaderValue::from_static("yes"));
    }

    fn after_receive(&self, status: u16, _headers: &reqwest::header::HeaderMap, call: &CallInfo) {
        self.seen
            .lock()
            .unwrap()
            .push((call.operation.to_owned(), call.attempt, status));
    }
}

#[tokio::test]
async fn middleware_sees_every_attempt() {
    let server = MockServer::start().await;
    on("GET", &retrieve_path())
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    on("GET", &retrieve_path())
        .respond_with(account())
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = builder(&server)
        .middleware(Recorder { seen: seen.clone() })
        .build()
        .unwrap();

    client.retrieve_managed_account(ACCOUNT_ID).await.unwrap();

    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("RetrieveManagedAccount".to_owned(), 1, 502),
            ("RetrieveManagedAccount".to_owned(), 2, 200)
        ]
    );
    let requests = received(&server).await;
    assert!(
        requests
            .iter()
            .all(|r| header(r, "x-signed").as_deref() == Some("yes"))
    );
}

/// A page of the listing, as the server would send it.
fn listing_page(page: i64, count: usize, total_pages: i64) -> Value {
    let item = spec_200_example("/managed_accounts", "get")["data"][0].clone();
    json!({
        "data": vec![item; count],
        "meta": {"page_number": page, "page_size": 2, "total_pages": total_pages, "total_results": 5},
    })
}

#[tokio::test]
async fn pages_give_each_page_with_its_meta_and_resume_from_a_number() {
    let server = MockServer::start().await;
    for (page, count) in [(1, 2), (2, 2), (3, 1)] {
        on("GET", "/managed_accounts")
            .and(wiremock::matchers::query_param(
                "page[number]",
                page.to_string(),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(listing_page(page, count, 3)))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let mut params = ListManagedAccountsParams {
        page: Some(ListManagedAccountsPage {
            number: None,
            size: Some(2),
        }),
        ..Default::default()
    };

    let mut pages = client.list_managed_accounts().params(&params).pages();
    let first = pages.next_page().await.unwrap().unwrap();
    assert_eq!(first.number, 1);
    assert_eq!(first.total_pages, Some(3));
    let meta = first.response.meta.as_ref().unwrap();
    assert_eq!(meta.total_results, Some(5));
    assert!(first.has_next());
    // Stop here, and resume later from where the walk was.
    let resume_at = pages.next_number().unwrap();
    assert_eq!(resume_at, 2);
    drop(pages);

    params.page.as_mut().unwrap().number = Some(i32::try_from(resume_at).unwrap());
    let mut pages = client.list_managed_accounts().params(&params).pages();
    let mut numbers = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        numbers.push((page.number, page.response.data.unwrap_or_default().len()));
    }
    assert_eq!(numbers, [(2, 2), (3, 1)]);
    assert_eq!(pages.next_number(), None);
    let queries: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [1, 2, 3].map(|n| format!("page[number]={n}&page[size]=2"))
    );
}

#[tokio::test]
async fn a_walk_sends_every_page_with_the_calls_parameters_and_options() {
    let server = MockServer::start().await;
    for (page, count) in [(1, 2), (2, 2), (3, 1)] {
        on("GET", "/managed_accounts")
            .and(wiremock::matchers::query_param(
                "page[number]",
                page.to_string(),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(listing_page(page, count, 3)))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let params = ListManagedAccountsParams {
        page: Some(ListManagedAccountsPage {
            number: Some(2),
            size: Some(2),
        }),
        ..Default::default()
    };

    let items: Vec<_> = futures::StreamExt::collect(
        client
            .list_managed_accounts()
            .params(&params)
            .extra_header("X-Walk", "yes")
            .extra_query("trace", "1")
            .stream(),
    )
    .await;

    assert_eq!(items.len(), 3, "pages 2 and 3: {items:?}");
    assert!(items.iter().all(Result::is_ok));
    let requests = received(&server).await;
    let queries: Vec<&str> = requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        [2, 3].map(|n| format!("page[number]={n}&page[size]=2&trace=1"))
    );
    assert!(
        requests
            .iter()
            .all(|r| header(r, "x-walk").as_deref() == Some("yes"))
    );

    // With no parameters at all, from page 1.
    let all: Vec<_> = futures::StreamExt::collect(client.list_managed_accounts_stream()).await;
    assert_eq!(all.len(), 5);
    // Read with the stream's own `next`, without `futures::StreamExt`: the
    // same items in the same order.
    let mut stream = client.list_managed_accounts_stream();
    let mut read = Vec::new();
    while let Some(item) = stream.next().await {
        read.push(item.expect("every page is served"));
    }
    let collected: Vec<_> = all.into_iter().map(Result::unwrap).collect();
    assert_eq!(read, collected);
    let pages = client.list_managed_accounts_pages().next_page().await;
    assert_eq!(pages.unwrap().unwrap().number, 1);
}
