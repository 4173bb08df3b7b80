//! Path and query parameters typed by named schemas (fixture
//! `parameter_types.yaml`, crate `tests/clients/parameter_types`): aliases
//! of strings, integers and booleans, a string enum and a union of scalars
//! are taken as typed arguments and written into the path and query as
//! their wire values; query parameters described by JSON `content` are
//! sent as JSON text.

use fixture_client_parameter_types::types::{
    AccountId, GetReportParams, OwnerId, ReportFilter, ReportKind, SearchReportsParams, Selector,
    Year,
};
use fixture_client_parameter_types::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .max_retries(0)
        .build()
        .expect("a test client builds")
}

/// The path and query of the only request `server` received.
async fn only_request(server: &MockServer) -> (String, Option<String>) {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "{requests:?}");
    let url = &requests[0].url;
    (url.path().to_owned(), url.query().map(str::to_owned))
}

#[tokio::test]
async fn named_path_parameters_are_written_as_their_wire_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let account: AccountId = "6a0c5e0e-3b1f-4c3e-9d57-0e7c9a1b2c3d".to_owned();
    let year: Year = 2024;
    let params = GetReportParams {
        region: Some("eu west".to_owned()),
        kinds: Some(vec![ReportKind::Daily, ReportKind::Monthly]),
        at: Selector::Integer(7),
        years: None,
        tags: None,
        labels: None,
    };
    client(&server)
        .get_report(
            &account,
            year,
            &ReportKind::Monthly,
            &Selector::String("latest".to_owned()),
            &params,
        )
        .await
        .expect("204 is a success");
    let (path, query) = only_request(&server).await;
    assert_eq!(
        path,
        "/v1/accounts/6a0c5e0e-3b1f-4c3e-9d57-0e7c9a1b2c3d/reports/2024-monthly/latest"
    );
    assert_eq!(
        query.as_deref(),
        Some("region=eu%20west&kinds=daily,monthly&at=7")
    );
}

#[tokio::test]
async fn a_union_path_parameter_writes_its_number_and_escapes_its_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = GetReportParams {
        region: None,
        kinds: None,
        at: Selector::String("a/b".to_owned()),
        years: Some(vec![2023, 2024]),
        tags: Some(vec!["x y".to_owned(), "z".to_owned()]),
        labels: Some(vec!["p".to_owned(), "q".to_owned()]),
    };
    client
        .get_report(
            "acc",
            1999,
            &ReportKind::Daily,
            &Selector::Integer(12),
            &params,
        )
        .await
        .unwrap();
    let (path, query) = only_request(&server).await;
    assert_eq!(path, "/v1/accounts/acc/reports/1999-daily/12");
    assert_eq!(
        query.as_deref(),
        Some("at=a%2Fb&years=2023%202024&tags=x%20y%7Cz&labels=p&labels=q")
    );
}

#[tokio::test]
async fn boolean_and_alias_of_alias_path_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/flags/false/owner%201"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let owner: OwnerId = "owner 1".to_owned();
    client(&server).set_flag(false, &owner).await.unwrap();
}

#[tokio::test]
async fn an_empty_named_path_parameter_is_refused_before_sending() {
    let server = MockServer::start().await;
    let params = GetReportParams {
        region: None,
        kinds: None,
        at: Selector::Integer(1),
        years: None,
        tags: None,
        labels: None,
    };
    let err = client(&server)
        .get_report(
            "",
            2024,
            &ReportKind::Daily,
            &Selector::String(String::new()),
            &params,
        )
        .await
        .expect_err("an empty segment is not sent");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn unknown_enum_values_in_the_query_are_sent_unchanged() {
    let params = GetReportParams {
        region: None,
        kinds: Some(vec![ReportKind::Unknown("weekly".to_owned())]),
        at: Selector::Integer(1),
        years: None,
        tags: None,
        labels: None,
    };
    let value = serde_json::to_value(&params).unwrap();
    assert_eq!(value, serde_json::json!({"kinds": ["weekly"], "at": 1}));
}

#[tokio::test]
async fn query_parameters_described_by_json_content_are_sent_as_json_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/reports"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let params = SearchReportsParams {
        filter: Some(ReportFilter {
            kind: Some(ReportKind::Monthly),
            owner: Some("a&b c".to_owned()),
        }),
        ids: Some(vec![3, 5]),
    };
    client(&server)
        .search_reports()
        .params(&params)
        .await
        .expect("204 is a success");
    let (_, query) = only_request(&server).await;
    let query = query.expect("a query");
    assert_eq!(
        query,
        "filter=%7B%22kind%22%3A%22monthly%22%2C%22owner%22%3A%22a%26b%20c%22%7D&ids=%5B3%2C5%5D"
    );
    // Decoded, each is the JSON of its value.
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        pairs,
        [
            (
                "filter".to_owned(),
                r#"{"kind":"monthly","owner":"a&b c"}"#.to_owned()
            ),
            ("ids".to_owned(), "[3,5]".to_owned()),
        ]
    );
    // Unset, nothing is sent.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server).search_reports().await.unwrap();
    let (_, query) = only_request(&server).await;
    assert_eq!(query, None);
}
