//! Event streams from the engine, on `tests/fixtures/specs/event_streams.yaml`:
//! the generated client (`tests/clients/event_streams`) reads each stream
//! operation's events, and each item validates against the stream's item
//! schema; the framing, the media type and the choice between JSON and a
//! stream are checked on the wire.

use contract::ContractValidator;
use fixture_client_event_streams::{Client, ServerEvent, install_tls_provider, types};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::PathBuf;
use telnyx_mock::{Config, Running};

fn document() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/specs/event_streams.yaml")
}

async fn start() -> (Running, ContractValidator) {
    // reqwest's rustls needs a provider when the workspace builds it
    // without one (as `cargo test --workspace` does).
    install_tls_provider();
    let addr = "127.0.0.1:0".parse().expect("an address");
    let running = telnyx_mock::start(&document(), addr, Config::default())
        .await
        .expect("the mock starts");
    let spec = generator::load_file(&document()).expect("the fixture loads");
    let validator = ContractValidator::new(&spec).expect("the contract compiles");
    (running, validator)
}

fn client(running: &Running) -> Client {
    Client::builder()
        .base_url(running.base_url())
        .max_retries(0)
        .build()
        .expect("client")
}

/// Checks each event's data against the item schema of `operation` and
/// returns the items as JSON.
fn checked<T: Serialize>(
    validator: &ContractValidator,
    operation: &str,
    events: Vec<ServerEvent<T>>,
) -> Vec<Value> {
    events
        .into_iter()
        .enumerate()
        .map(|(n, event)| {
            assert_eq!(
                event.id,
                Some((n + 1).to_string()),
                "{operation}: ids 1, 2, 3"
            );
            assert_eq!(
                event.event, None,
                "{operation}: the document names no event"
            );
            let item = serde_json::to_value(&event.data).expect("the item serializes");
            let violations = validator
                .validate_stream_item(operation, &item)
                .expect("the item schema");
            assert!(violations.is_empty(), "{operation}: {item} {violations:?}");
            item
        })
        .collect()
}

/// Reads a whole stream of the generated client.
macro_rules! collect {
    ($events:expr) => {{
        let mut events = $events;
        let mut all = Vec::new();
        while let Some(event) = events.next().await {
            all.push(event.expect("the event decodes"));
        }
        all
    }};
}

#[tokio::test]
async fn the_generated_client_reads_valid_items_from_every_stream() {
    let (running, validator) = start().await;
    let client = client(&running);

    let params = types::WatchTicksParams {
        feed: "main".to_owned(),
    };
    let ticks = collect!(client.watch_ticks(&params).await.expect("ticks"));
    assert_eq!(ticks.len(), 3);
    let ticks = checked(&validator, "watchTicks", ticks);
    // Each item is synthesized with its own seed.
    assert_ne!(ticks[0], ticks[1], "{ticks:?}");

    let body = types::CreateCompletionRequest {
        prompt: "Say hello".to_owned(),
        max_length: None,
    };
    let chunks = collect!(
        client
            .create_completion_stream(&body)
            .await
            .expect("chunks")
    );
    assert_eq!(checked(&validator, "createCompletion", chunks).len(), 3);

    let progress = collect!(client.watch_job_progress(7).await.expect("progress"));
    assert_eq!(checked(&validator, "watchJobProgress", progress).len(), 3);

    let logs = collect!(client.tail_logs().await.expect("logs"));
    let lines: Vec<String> = logs.into_iter().map(|event| event.data).collect();
    assert_eq!(lines, ["event 1", "event 2", "event 3"]);
}

#[tokio::test]
async fn json_lines_are_one_compact_item_per_line() {
    let (running, validator) = start().await;
    let rows = collect!(
        client(&running)
            .stream_export_rows("e1")
            .await
            .expect("rows")
    );
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!((&row.event, &row.id, row.retry), (&None, &None, None));
        let item = serde_json::to_value(&row.data).expect("the row serializes");
        let violations = validator
            .validate_stream_item("streamExportRows", &item)
            .expect("the item schema");
        assert!(violations.is_empty(), "{item} {violations:?}");
    }

    // On the wire: the documented media type, one JSON value per line.
    let response = reqwest::get(format!("{}/exports/e1/rows", running.base_url()))
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[CONTENT_TYPE].to_str().ok(),
        Some("application/x-ndjson")
    );
    let text = response.text().await.expect("a body");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text:?}");
    assert!(text.ends_with('\n'));
    for line in lines {
        let item: Value = serde_json::from_str(line).expect("each line is JSON");
        assert_eq!(line, item.to_string(), "compact JSON");
        assert!(
            validator
                .validate_stream_item("streamExportRows", &item)
                .expect("the item schema")
                .is_empty()
        );
    }
}

#[tokio::test]
async fn accept_chooses_between_the_json_body_and_the_stream() {
    let (running, validator) = start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/completions", running.base_url());
    let body = json!({"prompt": "Say hello"});

    // JSON asked for (or anything): the JSON body, as before.
    for accept in [Some("application/json"), Some("*/*"), None] {
        let mut request = http.post(&url).json(&body);
        if let Some(accept) = accept {
            request = request.header(ACCEPT, accept);
        }
        let response = request.send().await.expect("an answer");
        assert_eq!(response.status(), 200, "{accept:?}");
        let media = response.headers()[CONTENT_TYPE].to_str().map(str::to_owned);
        assert_eq!(
            media.ok().as_deref(),
            Some("application/json"),
            "{accept:?}"
        );
        let value: Value = response.json().await.expect("JSON");
        let violations = validator
            .validate_response("createCompletion", 200, &value)
            .expect("the JSON schema");
        assert!(violations.is_empty(), "{value} {violations:?}");
    }

    // The stream asked for: server-sent events, framed by hand here.
    let response = http
        .post(&url)
        .header(ACCEPT, "text/event-stream")
        .json(&body)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[CONTENT_TYPE].to_str().ok(),
        Some("text/event-stream")
    );
    let text = response.text().await.expect("a body");
    let events: Vec<&str> = text
        .split("\n\n")
        .filter(|event| !event.is_empty())
        .collect();
    assert_eq!(events.len(), 3, "{text:?}");
    for (n, event) in events.iter().enumerate() {
        let lines: Vec<&str> = event.lines().collect();
        assert_eq!(lines[0], format!("id: {}", n + 1));
        let data = lines[1].strip_prefix("data: ").expect("a data line");
        let item: Value = serde_json::from_str(data).expect("JSON data");
        assert!(
            validator
                .validate_stream_item("createCompletion", &item)
                .expect("the item schema")
                .is_empty(),
            "{item}"
        );
    }
    assert!(!text.contains("[DONE]"));

    // A stream-only operation streams whatever the client accepts.
    let response = http
        .get(format!("{}/ticks?feed=main", running.base_url()))
        .header(ACCEPT, "application/json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.headers()[CONTENT_TYPE].to_str().ok(),
        Some("text/event-stream")
    );
}
