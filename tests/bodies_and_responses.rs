//! Request bodies and responses that are not JSON (fixture
//! `bodies_and_responses.yaml`, crate `tests/clients/bodies_and_responses`):
//! what the client sends for multipart, form, bytes and text bodies, and
//! what it gives back for PDF, text, schema-less JSON and several 2xx
//! statuses.

use fixture_client_bodies_and_responses::responses::StartJobSuccess;
use fixture_client_bodies_and_responses::types::{
    CreateOrderAccept, CreateOrderParams, CreateTokenRequest, CreateVoiceRequest,
    GetLatestOrderParams, Message, NamedVoice, SampleVoice, UploadDocumentRequest,
    UploadDocumentRequestPurpose,
};
use fixture_client_bodies_and_responses::{Client, Error, File};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .bearer_token("bodies-token")
        .api_key_header("bodies-token")
        .api_key_query("bodies-token")
        .session_cookie("bodies-token")
        .max_retries(0)
        .build()
        .expect("a test client builds")
}

async fn answer(server: &MockServer, verb: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The only request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

fn header(request: &Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header").to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_multipart_body_sends_files_with_their_names_and_fields_as_text_parts() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/uploads",
        ResponseTemplate::new(201).set_body_string(r#"{"id": "doc-1", "size": 5}"#),
    )
    .await;
    let body = UploadDocumentRequest {
        file: File::new(b"%PDF-".to_vec())
            .file_name("report.pdf")
            .content_type("application/pdf"),
        attachments: Some(vec![File::new(b"one".to_vec()), File::new(b"two".to_vec())]),
        purpose: UploadDocumentRequestPurpose::Review,
        pages: Some(3),
        tags: Some(vec!["a".to_owned(), "b".to_owned()]),
        metadata: None,
    };
    let stored = client(&server).upload_document(&body).await.expect("201");
    assert_eq!(stored.id, "doc-1");

    let request = only_request(&server).await;
    let content_type = header(&request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let text = String::from_utf8_lossy(&request.body);
    let parts: Vec<&str> = text
        .split(&format!("--{boundary}"))
        .map(str::trim)
        .filter(|part| !part.is_empty() && *part != "--")
        .collect();
    let expected = [
        (
            r#"name="file"; filename="report.pdf""#,
            "application/pdf",
            "%PDF-",
        ),
        (r#"name="attachments""#, "application/octet-stream", "one"),
        (r#"name="attachments""#, "application/octet-stream", "two"),
        (r#"name="purpose""#, "", "review"),
        (r#"name="pages""#, "", "3"),
        (r#"name="tags""#, "", "a"),
        (r#"name="tags""#, "", "b"),
    ];
    assert_eq!(parts.len(), expected.len(), "{text}");
    for (part, (disposition, media, content)) in parts.iter().zip(expected) {
        let (head, value) = part.split_once("\r\n\r\n").expect("headers, then content");
        let head = head.to_ascii_lowercase();
        assert!(
            head.contains(&format!("form-data; {disposition}")),
            "{head}"
        );
        assert_eq!(head.contains("content-type"), !media.is_empty(), "{head}");
        assert!(head.contains(media), "{head}");
        assert_eq!(value, content);
    }
}

#[tokio::test]
async fn a_form_body_is_url_encoded_with_lists_repeated() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/tokens",
        ResponseTemplate::new(200).set_body_string(r#"{"access_token": "t"}"#),
    )
    .await;
    let body = CreateTokenRequest {
        grant_type: "client credentials".to_owned(),
        scope: Some(vec!["read".to_owned(), "write&more".to_owned()]),
        remember: Some(true),
    };
    let token = client(&server).create_token(&body).await.expect("200");
    assert_eq!(token.access_token.as_deref(), Some("t"));
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        // Fields in the order `serde_json` keeps keys (sorted).
        "grant_type=client%20credentials&remember=true&scope=read&scope=write%26more"
    );
}

#[tokio::test]
async fn bytes_and_text_bodies_are_sent_as_they_are_with_their_media_type() {
    let server = MockServer::start().await;
    answer(&server, "PUT", "/v1/blobs/b1", ResponseTemplate::new(204)).await;
    let bytes = [0_u8, 159, 146, 150, 255];
    client(&server).put_blob("b1", &bytes).await.expect("204");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/octet-stream");
    assert_eq!(request.body, bytes);

    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/anything", ResponseTemplate::new(204)).await;
    client(&server).post_anything().await.expect("204");
    let request = only_request(&server).await;
    assert!(request.body.is_empty());
    assert_eq!(header(&request, "content-type"), "");

    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/anything", ResponseTemplate::new(204)).await;
    client(&server)
        .post_anything()
        .body(b"x")
        .await
        .expect("204");
    // `*/*` in the spec: sent as bytes of no particular type.
    assert_eq!(
        header(&only_request(&server).await, "content-type"),
        "application/octet-stream"
    );

    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/notes",
        ResponseTemplate::new(200).set_body_raw("noted: héllo", "text/plain; charset=utf-8"),
    )
    .await;
    // `text/plain` with a string schema: a `String`.
    let echoed: String = client(&server).create_note("héllo").await.expect("200");
    assert_eq!(echoed, "noted: héllo");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "text/plain");
    assert_eq!(header(&request, "accept"), "text/plain");
    assert_eq!(String::from_utf8_lossy(&request.body), "héllo");
}

#[tokio::test]
async fn text_bodies_are_strings_decoded_with_their_charset() {
    // XML is text outside `text/`: sent from a `&str` with its media type;
    // the CSV answer is decoded with the charset its Content-Type names.
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/reports",
        ResponseTemplate::new(200).set_body_raw(
            b"id;name\n1;caf\xe9\n".to_vec(),
            "text/csv; charset=ISO-8859-1",
        ),
    )
    .await;
    let rows: String = client(&server)
        .submit_report("<report month=\"mai\"/>")
        .await
        .expect("200");
    assert_eq!(rows, "id;name\n1;café\n");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/xml");
    assert_eq!(header(&request, "accept"), "text/csv");
    assert_eq!(request.body, b"<report month=\"mai\"/>");

    // Without a charset the text is UTF-8; bytes that are not are a decode
    // error that names the reason, not a panic.
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/notes",
        ResponseTemplate::new(200).set_body_raw(b"caf\xe9".to_vec(), "text/plain"),
    )
    .await;
    let err = client(&server)
        .create_note("x")
        .await
        .expect_err("not UTF-8");
    assert!(matches!(&err, Error::Decode { status: 200, .. }), "{err:?}");
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");

    // A charset the client does not decode is refused by name.
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/notes",
        ResponseTemplate::new(200).set_body_raw(b"x".to_vec(), "text/plain; charset=koi8-r"),
    )
    .await;
    let err = client(&server).create_note("x").await.expect_err("koi8-r");
    assert!(err.to_string().contains("`koi8-r`"), "{err}");
}

#[tokio::test]
async fn text_whose_schema_is_binary_stays_bytes() {
    let server = MockServer::start().await;
    let log = b"started\n\xff\xfe raw".to_vec();
    answer(
        &server,
        "GET",
        "/v1/logs",
        ResponseTemplate::new(200).set_body_raw(log.clone(), "text/plain"),
    )
    .await;
    let payload = client(&server).get_log().await.expect("200");
    assert_eq!(payload.bytes, log);
    assert_eq!(payload.content_type.as_deref(), Some("text/plain"));
}

#[tokio::test]
async fn a_json_body_without_a_schema_is_any_json_value() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/events", ResponseTemplate::new(204)).await;
    let event = serde_json::json!({"kind": "opened", "at": [1, 2]});
    client(&server).post_event(&event).await.expect("204");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/json");
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(sent, event);
}

#[tokio::test]
async fn json_stays_the_default_where_it_is_offered() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/messages", ResponseTemplate::new(204)).await;
    let body = Message {
        text: "hi".to_owned(),
    };
    client(&server).send_message(&body).await.expect("204");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(String::from_utf8_lossy(&request.body), r#"{"text":"hi"}"#);

    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1/exports",
        ResponseTemplate::new(200).set_body_string(r#"[{"id": "e1"}]"#),
    )
    .await;
    let exports = client(&server).list_exports().await.expect("200");
    assert_eq!(exports[0].id, "e1");
    assert_eq!(
        header(&only_request(&server).await, "accept"),
        "application/json"
    );
}

#[tokio::test]
async fn a_pdf_comes_back_as_bytes_with_its_content_type() {
    let server = MockServer::start().await;
    let pdf = b"%PDF-1.7\n\xe2\xe3\xcf\xd3 binary".to_vec();
    answer(
        &server,
        "GET",
        "/v1/documents/d1/pdf",
        ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"),
    )
    .await;
    let document = client(&server).download_document("d1").await.expect("200");
    assert_eq!(document.bytes, pdf);
    assert_eq!(document.content_type.as_deref(), Some("application/pdf"));
    assert!(document.text().is_err(), "not UTF-8");
    assert_eq!(
        header(&only_request(&server).await, "accept"),
        "application/pdf"
    );

    // The documented error is still an error.
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1/documents/d2/pdf",
        ResponseTemplate::new(404),
    )
    .await;
    let err = client(&server)
        .download_document("d2")
        .await
        .expect_err("404");
    assert!(matches!(err, Error::Api { status: 404, .. }), "{err:?}");
}

#[tokio::test]
async fn json_without_a_schema_is_any_json_value() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1/settings",
        ResponseTemplate::new(200).set_body_string(r#"{"theme": "dark", "n": [1, 2]}"#),
    )
    .await;
    let settings = client(&server).get_settings().await.expect("200");
    assert_eq!(settings["theme"], "dark");
    assert_eq!(settings["n"][1], 2);
}

#[tokio::test]
async fn the_request_id_is_read_from_the_header_the_spec_declares() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1/settings",
        ResponseTemplate::new(200)
            .set_body_string("{}")
            .insert_header("x-request-id", "generic")
            .insert_header("x-acme-request-id", "declared"),
    )
    .await;
    let response = client(&server)
        .get_settings()
        .send_with_response()
        .await
        .expect("200");
    assert_eq!(response.request_id(), Some("declared"));
}

#[tokio::test]
async fn each_documented_2xx_status_decodes_as_its_own_body() {
    let cases = [
        (200, r#"{"id": "doc-9"}"#),
        (202, r#"{"job_id": "job-1"}"#),
        (204, ""),
        (207, "multi"),
    ];
    for (status, body) in cases {
        let server = MockServer::start().await;
        answer(
            &server,
            "POST",
            "/v1/jobs",
            ResponseTemplate::new(status).set_body_string(body),
        )
        .await;
        let outcome = client(&server).start_job().await.expect("a 2xx status");
        match (status, outcome) {
            (200, StartJobSuccess::Ok(document)) => assert_eq!(document.id, "doc-9"),
            (202, StartJobSuccess::Accepted(accepted)) => assert_eq!(accepted.job_id, "job-1"),
            (204, StartJobSuccess::NoContent) => {}
            (207, StartJobSuccess::Other { status, body }) => {
                assert_eq!(status, 207);
                assert_eq!(body.bytes, b"multi");
            }
            (status, other) => panic!("{status}: {other:?}"),
        }
    }

    // A 202 whose body is not the documented one is a decode error at
    // its path, not a silent success.
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/jobs",
        ResponseTemplate::new(202).set_body_string(r#"{"job_id": 5}"#),
    )
    .await;
    let err = client(&server).start_job().await.expect_err("bad 202");
    match err {
        Error::Decode { status, path, .. } => {
            assert_eq!((status, path.as_str()), (202, "job_id"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn header_parameters_are_sent_as_headers_and_left_out_when_unset() {
    let server = MockServer::start().await;
    answer(
        &server,
        "POST",
        "/v1/orders",
        ResponseTemplate::new(201).set_body_string(r#"{"id": "o1"}"#),
    )
    .await;
    let params = CreateOrderParams {
        dry_run: Some(true),
        idempotency_key: "key-1".to_owned(),
        x_trace_ids: Some(vec![7, 8]),
        accept: Some(CreateOrderAccept::ApplicationVndOrdersJson),
    };
    client(&server).create_order(&params).await.expect("201");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "idempotency-key"), "key-1");
    assert_eq!(header(&request, "x-trace-ids"), "7,8");
    // The spec's `Accept` parameter replaces the client's own.
    assert_eq!(header(&request, "accept"), "application/vnd.orders+json");
    assert_eq!(request.headers.get_all("accept").iter().count(), 1);
    // The header fields are not in the query.
    assert_eq!(request.url.query(), Some("dry_run=true"));
    // OpenAPI ignores an `Authorization` parameter: the token is sent.
    assert_eq!(header(&request, "authorization"), "Bearer bodies-token");

    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1/orders/latest",
        ResponseTemplate::new(200).set_body_string(r#"{"id": "o2"}"#),
    )
    .await;
    let params = GetLatestOrderParams::default();
    client(&server)
        .get_latest_order()
        .params(&params)
        .await
        .expect("200");
    let request = only_request(&server).await;
    assert!(request.headers.get("if-none-match").is_none());
    assert_eq!(header(&request, "accept"), "application/json");
    // Only the operation's API key (see the security test).
    assert_eq!(request.url.query(), Some("api_key=bodies-token"));

    // A value a header cannot carry is refused before anything is sent.
    let server = MockServer::start().await;
    let params = CreateOrderParams {
        idempotency_key: "line\nbreak".to_owned(),
        ..CreateOrderParams::default()
    };
    let err = client(&server)
        .create_order(&params)
        .await
        .expect_err("invalid header value");
    assert!(
        matches!(&err, Error::InvalidRequest { message } if message.contains("Idempotency-Key")),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// The credential headers and query of the only request `server` got.
async fn credentials_sent(server: &MockServer) -> (String, String, Option<String>) {
    let request = only_request(server).await;
    (
        header(&request, "authorization"),
        header(&request, "x-api-key"),
        request.url.query().map(str::to_owned),
    )
}

#[tokio::test]
async fn each_operation_sends_the_credentials_its_security_names() {
    let json = |body: &str| ResponseTemplate::new(200).set_body_string(body.to_owned());

    // The document's bearer scheme.
    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/messages", ResponseTemplate::new(204)).await;
    let body = Message {
        text: "hi".to_owned(),
    };
    client(&server).send_message(&body).await.expect("204");
    assert_eq!(
        credentials_sent(&server).await,
        ("Bearer bodies-token".to_owned(), String::new(), None)
    );

    // `security: []`: nothing, even though the client has a token.
    let server = MockServer::start().await;
    answer(&server, "GET", "/v1/settings", json("{}")).await;
    client(&server).get_settings().await.expect("200");
    assert_eq!(
        credentials_sent(&server).await,
        (String::new(), String::new(), None)
    );

    // An API key header first, basic as the other alternative.
    let server = MockServer::start().await;
    answer(&server, "GET", "/v1/exports", json("[]")).await;
    client(&server).list_exports().await.expect("200");
    assert_eq!(
        credentials_sent(&server).await,
        (String::new(), "bodies-token".to_owned(), None)
    );
    let server = MockServer::start().await;
    answer(&server, "GET", "/v1/exports", json("[]")).await;
    let basic_only = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .basic_auth("ann", "s3cret")
        .max_retries(0)
        .build()
        .expect("builds without a token");
    basic_only.list_exports().await.expect("200");
    // base64("ann:s3cret")
    assert_eq!(
        credentials_sent(&server).await,
        ("Basic YW5uOnMzY3JldA==".to_owned(), String::new(), None)
    );
    assert!(!format!("{basic_only:?}").contains("s3cret"));

    // An API key in the query, beside nothing else.
    let server = MockServer::start().await;
    answer(&server, "GET", "/v1/orders/latest", json(r#"{"id": "o"}"#)).await;
    client(&server).get_latest_order().await.expect("200");
    assert_eq!(
        credentials_sent(&server).await,
        (
            String::new(),
            String::new(),
            Some("api_key=bodies-token".to_owned())
        )
    );

    // A cookie key or anonymous: the token as the cookie; anonymous for a
    // client without a token.
    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/anything", ResponseTemplate::new(204)).await;
    client(&server).post_anything().await.expect("204");
    assert_eq!(
        header(&only_request(&server).await, "cookie"),
        "session=bodies-token"
    );
    let server = MockServer::start().await;
    answer(&server, "POST", "/v1/anything", ResponseTemplate::new(204)).await;
    let tokenless = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .max_retries(0)
        .build()
        .expect("builds without a token");
    tokenless.post_anything().await.expect("204");
    assert_eq!(header(&only_request(&server).await, "cookie"), "");

    // An operation needing a token, on a client without one: refused
    // before anything is sent, naming what is missing.
    let server = MockServer::start().await;
    let err = basic_only.send_message(&body).await.expect_err("no token");
    assert!(
        matches!(&err, Error::InvalidRequest { message } if message.contains("ClientBuilder::bearer_token")),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_password_is_redacted_from_error_bodies() {
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/v1/exports",
        ResponseTemplate::new(500).set_body_string("bad credentials ann:s3cret"),
    )
    .await;
    let client = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .basic_auth("ann", "s3cret")
        .max_retries(0)
        .build()
        .expect("builds");
    let err = client.list_exports().await.expect_err("500");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("s3cret"), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
}

#[tokio::test]
async fn a_multipart_one_of_sends_the_parts_of_the_variant_it_holds() {
    for (body, expected) in [
        (
            CreateVoiceRequest::SampleVoice(SampleVoice {
                sample: File::new(b"RIFF".to_vec()).file_name("a.wav"),
            }),
            r#"name="sample"; filename="a.wav""#,
        ),
        (
            CreateVoiceRequest::NamedVoice(NamedVoice {
                voice_name: "ann".to_owned(),
            }),
            r#"name="voice_name""#,
        ),
    ] {
        let server = MockServer::start().await;
        answer(&server, "POST", "/v1/voices", ResponseTemplate::new(204)).await;
        client(&server).create_voice(&body).await.expect("204");
        let request = only_request(&server).await;
        let text = String::from_utf8_lossy(&request.body);
        assert!(text.contains(expected), "{text}");
        assert_eq!(text.matches("Content-Disposition").count(), 1, "{text}");
    }
}
