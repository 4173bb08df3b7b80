//! Event streams (fixture `event_streams.yaml`, crate
//! `tests/clients/event_streams`) against a wiremock server: items decoded
//! from server-sent events and JSON Lines, `event`/`id`/`retry` kept,
//! `[DONE]` ending the stream, a bad item reported with its event number
//! while the stream goes on, text items, the `_stream` variant's `Accept`,
//! and error statuses read whole as for any operation. (Chunk boundaries
//! are covered by the runtime's unit tests: wiremock sends whole bodies.)

use fixture_client_event_streams::{Client, Error, errors, types};
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client")
}

fn stream(media_type: &str, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), media_type)
}

#[tokio::test]
async fn server_sent_events_decode_with_their_fields_until_done() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ticks"))
        .and(query_param("feed", "main"))
        .and(header("accept", "text/event-stream"))
        .respond_with(stream(
            "text/event-stream",
            ": keep-alive\n\
             event: tick\nid: 1\nretry: 2500\ndata: {\"sequence\":1,\n\
             data: \"price\":9.5}\n\n\
             id: 2\r\ndata: {\"sequence\":2,\"price\":10,\"symbol\":\"ABC\"}\r\n\r\n\
             data: [DONE]\n\n\
             data: {\"sequence\":3,\"price\":1}\n\n",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let params = types::WatchTicksParams {
        feed: "main".to_owned(),
    };
    let response = client(&server)
        .watch_ticks(&params)
        .send_with_response()
        .await
        .expect("stream");
    assert_eq!(response.status(), 200);
    let mut events = response.into_body();
    let first = events.next().await.expect("first").expect("decodes");
    assert_eq!(first.event.as_deref(), Some("tick"));
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, Some(Duration::from_millis(2500)));
    assert_eq!(first.data.sequence, 1);
    assert!((first.data.price - 9.5).abs() < f64::EPSILON);
    let second = events.next().await.expect("second").expect("decodes");
    assert_eq!(second.event, None);
    assert_eq!(second.id.as_deref(), Some("2"));
    assert_eq!(second.retry, None);
    assert_eq!(second.data.symbol.as_deref(), Some("ABC"));
    // `[DONE]` ends the stream: the event after it is not read.
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_bad_item_is_an_error_naming_its_event_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    Mock::given(path("/ticks"))
        .respond_with(stream(
            "text/event-stream",
            "data: {\"sequence\":1,\"price\":1}\n\n\
             data: {\"sequence\":\"two\",\"price\":2}\n\n\
             data: {\"sequence\":3,\"price\":3}\n\n",
        ))
        .mount(&server)
        .await;
    let params = types::WatchTicksParams {
        feed: "main".to_owned(),
    };
    let mut events = client(&server).watch_ticks(&params).await.expect("stream");
    assert_eq!(events.next().await.unwrap().unwrap().data.sequence, 1);
    let err = events.next().await.unwrap().unwrap_err();
    let message = err.to_string();
    match &err {
        Error::Event {
            number, path, data, ..
        } => {
            assert_eq!(*number, 2);
            assert_eq!(path, "sequence");
            assert!(data.contains("\"two\""), "{data}");
        }
        other => panic!("expected an event error, got {other:?}"),
    }
    assert!(message.contains("event 2"), "{message}");
    assert!(message.contains("line 1 column"), "{message}");
    assert_eq!(events.next().await.unwrap().unwrap().data.sequence, 3);
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_error_status_is_read_whole_as_for_any_operation() {
    let server = MockServer::start().await;
    Mock::given(path("/ticks"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(br#"{"message":"no feed"}"#.to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let params = types::WatchTicksParams {
        feed: "none".to_owned(),
    };
    let err = client(&server).watch_ticks(&params).await.unwrap_err();
    match err.documented() {
        Some(errors::WatchTicksError::NotFound(Some(problem))) => {
            assert_eq!(problem.message.as_deref(), Some("no feed"));
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

#[tokio::test]
async fn json_or_stream_the_stream_variant_asks_for_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(header("accept", "text/event-stream"))
        .and(query_param("trace", "true"))
        .respond_with(stream(
            "text/event-stream",
            "data: {\"index\":0,\"text\":\"Hel\"}\n\ndata: {\"index\":1,\"text\":\"lo\"}\n\n",
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            br#"{"id":"c1","text":"Hello"}"#.to_vec(),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let body = types::CreateCompletionRequest {
        prompt: "Say hello".to_owned(),
        max_length: None,
    };
    let trace = types::CreateCompletionParams { trace: Some(true) };
    let whole = client.create_completion(&body).await.expect("json");
    assert_eq!(whole.text, "Hello");
    let mut text = String::new();
    let mut events = client
        .create_completion_stream(&body)
        .params(&trace)
        .await
        .expect("stream");
    while let Some(event) = events.next().await {
        text.push_str(&event.expect("chunk").data.text);
    }
    assert_eq!(text, "Hello");
    // The same through the call: `.events()` after the optional arguments.
    let mut events = client
        .create_completion(&body)
        .params(&trace)
        .events()
        .await
        .expect("stream");
    assert_eq!(events.next().await.unwrap().unwrap().data.index, 0);
}

#[tokio::test]
async fn json_lines_are_one_item_per_line() {
    let server = MockServer::start().await;
    Mock::given(path("/exports/e1/rows"))
        .and(header("accept", "application/x-ndjson"))
        .respond_with(stream(
            "application/x-ndjson",
            "{\"id\":1,\"name\":\"a\"}\n\n{\"id\":2}\r\n{\"id\":3,\"name\":\"c\"}",
        ))
        .mount(&server)
        .await;
    let mut events = client(&server)
        .stream_export_rows("e1")
        .await
        .expect("stream");
    let mut ids = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.expect("row");
        assert_eq!((event.event, event.id, event.retry), (None, None, None));
        ids.push(event.data.id);
    }
    assert_eq!(ids, [1, 2, 3]);
}

#[tokio::test]
async fn a_string_schema_keeps_the_data_as_text() {
    let server = MockServer::start().await;
    Mock::given(path("/logs"))
        .respond_with(stream(
            "text/event-stream",
            "data: first line\n\ndata: {not json}\ndata: second\n\n",
        ))
        .mount(&server)
        .await;
    let mut events = client(&server).tail_logs().await.expect("stream");
    let mut lines = Vec::new();
    while let Some(event) = events.next().await {
        lines.push(event.expect("text").data);
    }
    assert_eq!(lines, ["first line", "{not json}\nsecond"]);
}

#[tokio::test]
async fn an_item_schema_of_openapi_3_2_types_the_items() {
    let server = MockServer::start().await;
    Mock::given(path("/jobs/7/progress"))
        .respond_with(stream(
            "text/event-stream",
            "data: {\"percent\":50,\"stage\":\"copy\"}\n\ndata: {\"percent\":100}\n\n",
        ))
        .mount(&server)
        .await;
    let mut events = client(&server).watch_job_progress(7).await.expect("stream");
    let first: types::WatchJobProgressEvent = events.next().await.unwrap().unwrap().data;
    assert_eq!((first.percent, first.stage.as_deref()), (50, Some("copy")));
    assert_eq!(events.next().await.unwrap().unwrap().data.percent, 100);
    assert!(events.next().await.is_none());
}
