//! The mock over HTTP: a scripted session covering every operation and
//! every documented status (each response checked against the contract),
//! state coherent across calls, refusals with clear bodies, and the
//! generated client working against it.

use contract::ContractValidator;
use futures_util::StreamExt;
use generator::ir::{Api, Status};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, ListManagedAccountsFilter, ListManagedAccountsFilterStatus,
    ListManagedAccountsFilterStatusEq, ListManagedAccountsPage, ListManagedAccountsParams,
};
use telnyx_mock::{Config, Running, Settings};

const TOKEN: &str = "test-token";
const PLAIN_USER: &str = "plain-user-token";
const CANCELLED_ID: &str = "0b5e0c52-3c9f-4b49-9d2a-3c4f7c0b1e11";

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/managed_accounts.yaml")
}

fn seed() -> telnyx_mock::seed::Seeded {
    telnyx_mock::seed::parse(&format!(
        r#"{{"manager": {{"allocatable_global_outbound_channels": 100}},
            "accounts": [{{"record_type": "managed_account", "id": "{CANCELLED_ID}",
              "email": "gone@example.com", "api_key": "KEY0", "api_user": "manager@example.com",
              "api_token": "t0", "organization_name": "Gone Ltd",
              "manager_account_id": "f65ceda4-6522-4ad6-aede-98de83385123",
              "created_at": "2020-01-01T00:00:00.000Z", "updated_at": "2020-01-01T00:00:00.000Z",
              "status": "cancelled"}}],
            "non_manager_tokens": ["{PLAIN_USER}"]}}"#
    ))
    .expect("the seed parses")
}

async fn start(body_limit: usize) -> Running {
    let config = Config {
        settings: Settings {
            tokens: [TOKEN.to_owned(), PLAIN_USER.to_owned()].into(),
            body_limit,
            ..Settings::default()
        },
        seed: Some(seed()),
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("an address");
    telnyx_mock::start(&spec_path(), addr, config)
        .await
        .expect("the mock starts")
}

/// Sends requests and checks every response against the contract.
struct Session {
    base: String,
    http: reqwest::Client,
    api: Api,
    validator: ContractValidator,
    seen: BTreeSet<(String, u16)>,
}

impl Session {
    fn new(running: &Running) -> Self {
        let spec = generator::load_file(&spec_path()).expect("the spec loads");
        Self {
            base: running.base_url(),
            http: {
                telnyx_managed_accounts::install_tls_provider();
                reqwest::Client::new()
            },
            api: generator::build_ir(&spec).expect("the IR builds"),
            validator: ContractValidator::new(&spec).expect("the contract compiles"),
            seen: BTreeSet::new(),
        }
    }

    /// Sends a request as `operation` and returns the status and the body
    /// (`Value::Null` when empty), after checking the response against
    /// the contract: documented status, valid body, generated type.
    async fn send(
        &mut self,
        operation: &str,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the mock answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let op = self
            .api
            .operations
            .iter()
            .find(|o| o.id == operation)
            .expect("a known operation");
        let documented = self
            .validator
            .documented_status(operation, status)
            .unwrap_or_else(|err| {
                panic!("{operation}: undocumented status {status}: {err}\n{text}")
            });
        let documented_body = op
            .responses
            .iter()
            .any(|r| r.status == documented && r.body.is_some());
        let value = if text.is_empty() {
            assert!(
                !documented_body,
                "{operation} {status}: a JSON body is documented, none was sent"
            );
            Value::Null
        } else {
            assert!(
                documented_body,
                "{operation} {status}: no body is documented, got {text}"
            );
            let value: Value = serde_json::from_str(&text).expect("JSON");
            let violations = self
                .validator
                .validate_response(operation, status, &value)
                .expect("a validatable response");
            assert!(
                violations.is_empty(),
                "{operation} {status}: {violations:?}\n{text}"
            );
            let target = telnyx_managed_accounts::contract::Target::Response(status);
            telnyx_managed_accounts::contract::round_trip(operation, target, value.clone())
                .unwrap_or_else(|err| panic!("{operation} {status}: {err}"));
            value
        };
        self.seen.insert((operation.to_owned(), status));
        (status, value)
    }
}

/// An id no account has.
const UNKNOWN: &str = "/managed_accounts/7d1f0a52-0000-4000-8000-000000000000";
/// The list of disabled accounts.
const DISABLED_FILTER: &str = "/managed_accounts?filter%5Bstatus%5D%5Beq%5D=disabled";
/// The manager's channel totals.
const CHANNELS: &str = "/managed_accounts/allocatable_global_outbound_channels";
/// The manager's token, as `Session::send` takes it.
const T: Option<&str> = Some(TOKEN);

/// What the scripted session's steps share: the session and the account
/// created in the first step.
struct Script {
    s: Session,
    /// The created account's id.
    id: String,
    /// `/managed_accounts/{id}`.
    item: String,
    /// The body create answered with.
    created: Value,
}

/// The path of the action `name` of the seeded, cancelled account.
fn cancelled_action(name: &str) -> String {
    format!("/managed_accounts/{CANCELLED_ID}/actions/{name}")
}

impl Script {
    /// The path of the action `name` of the created account.
    fn action(&self, name: &str) -> String {
        format!("{}/actions/{name}", self.item)
    }
}

#[tokio::test]
async fn a_scripted_session_covers_every_operation_and_documented_status() {
    let running = start(1024 * 1024).await;
    let mut script = step_create(Session::new(&running)).await;
    step_retrieve(&mut script).await;
    step_update(&mut script).await;
    step_disable(&mut script).await;
    step_enable(&mut script).await;
    step_channel_limit(&mut script).await;
    step_channel_refusals(&mut script).await;
    step_list_refusals(&mut script).await;
    assert_every_documented_status_seen(&script.s);
}

/// Create: an account, then without a token, then without a business name.
async fn step_create(mut s: Session) -> Script {
    let body = json!({"business_name": "Larry's Cat Food Inc", "email": "larry@cats.example"});
    let (status, created) = s
        .send(
            "CreateManagedAccount",
            Method::POST,
            "/managed_accounts",
            T,
            Some(body),
        )
        .await;
    assert_eq!(status, 200);
    let id = created["data"]["id"].as_str().expect("an id").to_owned();
    let item = format!("/managed_accounts/{id}");
    s.send(
        "CreateManagedAccount",
        Method::POST,
        "/managed_accounts",
        None,
        Some(json!({})),
    )
    .await;
    let (status, refused) = s
        .send(
            "CreateManagedAccount",
            Method::POST,
            "/managed_accounts",
            T,
            Some(json!({"email": "a@b.example"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(refused["errors"][0]["source"]["pointer"], "/business_name");
    Script {
        s,
        id,
        item,
        created,
    }
}

/// Retrieve: what create returned; refused without a token; 404 for an
/// unknown id.
async fn step_retrieve(script: &mut Script) {
    let Script {
        s, item, created, ..
    } = script;
    let (status, retrieved) = s
        .send("RetrieveManagedAccount", Method::GET, item, T, None)
        .await;
    assert_eq!((status, &retrieved["data"]), (200, &created["data"]));
    s.send("RetrieveManagedAccount", Method::GET, item, None, None)
        .await;
    assert_eq!(
        s.send("RetrieveManagedAccount", Method::GET, UNKNOWN, T, None)
            .await
            .0,
        404
    );
}

/// Update: a change that a later retrieve sees; refused without a token,
/// for an unknown id and for a wrongly typed field.
async fn step_update(script: &mut Script) {
    let Script { s, item, .. } = script;
    let (status, updated) = s
        .send(
            "UpdateManagedAccount",
            Method::PATCH,
            item,
            T,
            Some(json!({"managed_account_allow_custom_pricing": true})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        updated["data"]["managed_account_allow_custom_pricing"],
        true
    );
    s.send(
        "UpdateManagedAccount",
        Method::PATCH,
        item,
        None,
        Some(json!({})),
    )
    .await;
    s.send(
        "UpdateManagedAccount",
        Method::PATCH,
        UNKNOWN,
        T,
        Some(json!({})),
    )
    .await;
    let (status, refused) = s
        .send(
            "UpdateManagedAccount",
            Method::PATCH,
            item,
            T,
            Some(json!({"managed_account_allow_custom_pricing": "yes"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["errors"][0]["source"]["pointer"],
        "/managed_account_allow_custom_pricing"
    );
    let (_, again) = s
        .send("RetrieveManagedAccount", Method::GET, item, T, None)
        .await;
    assert_eq!(again["data"]["managed_account_allow_custom_pricing"], true);
}

/// Disable, seen through the status filter; refused without a token, for
/// an unknown id and for a cancelled account.
async fn step_disable(script: &mut Script) {
    let disable = script.action("disable");
    let Script { s, id, .. } = script;
    assert_eq!(
        s.send("DisableManagedAccount", Method::POST, &disable, T, None)
            .await
            .0,
        200
    );
    let (_, listed) = s
        .send("ListManagedAccounts", Method::GET, DISABLED_FILTER, T, None)
        .await;
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed["data"][0]["id"], id.as_str());
    s.send("DisableManagedAccount", Method::POST, &disable, None, None)
        .await;
    s.send(
        "DisableManagedAccount",
        Method::POST,
        &format!("{UNKNOWN}/actions/disable"),
        T,
        None,
    )
    .await;
    assert_eq!(
        s.send(
            "DisableManagedAccount",
            Method::POST,
            &cancelled_action("disable"),
            T,
            None
        )
        .await
        .0,
        422
    );
}

/// Enable, seen through the status filter; refused without a token, for
/// an unknown id and for a cancelled account.
async fn step_enable(script: &mut Script) {
    let enable = script.action("enable");
    let s = &mut script.s;
    let enable_body = Some(json!({"reenable_all_connections": true}));
    assert_eq!(
        s.send(
            "EnableManagedAccount",
            Method::POST,
            &enable,
            T,
            enable_body.clone()
        )
        .await
        .0,
        200
    );
    let (_, listed) = s
        .send("ListManagedAccounts", Method::GET, DISABLED_FILTER, T, None)
        .await;
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(0));
    s.send("EnableManagedAccount", Method::POST, &enable, None, None)
        .await;
    s.send(
        "EnableManagedAccount",
        Method::POST,
        &format!("{UNKNOWN}/actions/enable"),
        T,
        None,
    )
    .await;
    assert_eq!(
        s.send(
            "EnableManagedAccount",
            Method::POST,
            &cancelled_action("enable"),
            T,
            enable_body
        )
        .await
        .0,
        422
    );
}

/// Channels: the limit set on the account shows in the manager's totals.
async fn step_channel_limit(script: &mut Script) {
    let limit = format!("{}/update_global_channel_limit", script.item);
    let s = &mut script.s;
    let (status, set) = s
        .send(
            "UpdateManagedAccountGlobalChannelLimit",
            Method::PATCH,
            &limit,
            T,
            Some(json!({"channel_limit": 30})),
        )
        .await;
    assert_eq!((status, &set["data"]["channel_limit"]), (200, &json!(30)));
    let (_, totals) = s
        .send(
            "ListAllocatableGlobalOutboundChannels",
            Method::GET,
            CHANNELS,
            T,
            None,
        )
        .await;
    assert_eq!(totals["data"]["total_global_channels_allocated"], 30);
    assert_eq!(totals["data"]["allocatable_global_outbound_channels"], 100);
}

/// Channels: setting a limit is refused without a token, for an unknown id
/// and for a negative limit; the totals without a token and for a user who
/// is not a manager.
async fn step_channel_refusals(script: &mut Script) {
    let limit = format!("{}/update_global_channel_limit", script.item);
    let s = &mut script.s;
    s.send(
        "UpdateManagedAccountGlobalChannelLimit",
        Method::PATCH,
        &limit,
        None,
        Some(json!({})),
    )
    .await;
    s.send(
        "UpdateManagedAccountGlobalChannelLimit",
        Method::PATCH,
        &format!("{UNKNOWN}/update_global_channel_limit"),
        T,
        Some(json!({"channel_limit": 1})),
    )
    .await;
    let (status, refused) = s
        .send(
            "UpdateManagedAccountGlobalChannelLimit",
            Method::PATCH,
            &limit,
            T,
            Some(json!({"channel_limit": -1})),
        )
        .await;
    assert_eq!(
        (status, &refused["errors"][0]["source"]["pointer"]),
        (422, &json!("/channel_limit"))
    );
    s.send(
        "ListAllocatableGlobalOutboundChannels",
        Method::GET,
        CHANNELS,
        None,
        None,
    )
    .await;
    assert_eq!(
        s.send(
            "ListAllocatableGlobalOutboundChannels",
            Method::GET,
            CHANNELS,
            Some(PLAIN_USER),
            None
        )
        .await
        .0,
        403
    );
}

/// List: refused without a token; refusals of bad parameters name the
/// parameter.
async fn step_list_refusals(script: &mut Script) {
    let s = &mut script.s;
    s.send(
        "ListManagedAccounts",
        Method::GET,
        "/managed_accounts",
        None,
        None,
    )
    .await;
    let (status, refused) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            "/managed_accounts?filter%5Bstatus%5D%5Beq%5D=gone",
            T,
            None,
        )
        .await;
    assert_eq!(
        (status, &refused["errors"][0]["source"]["parameter"]),
        (422, &json!("filter[status][eq]"))
    );
    let (status, refused) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            "/managed_accounts?page%5Bsize%5D=251",
            T,
            None,
        )
        .await;
    assert_eq!(
        (status, &refused["errors"][0]["source"]["parameter"]),
        (422, &json!("page[size]"))
    );
}

/// Every documented status of every operation was seen.
fn assert_every_documented_status_seen(s: &Session) {
    let mut missing = Vec::new();
    for op in &s.api.operations {
        for response in &op.responses {
            if let Status::Code(code) = response.status {
                if !s.seen.contains(&(op.id.clone(), code)) {
                    missing.push(format!("{} {code}", op.id));
                }
            }
        }
    }
    assert!(missing.is_empty(), "not covered: {missing:?}");
}

#[tokio::test]
async fn list_filters_sorts_and_pages_with_correct_meta() {
    let running = start(1024 * 1024).await;
    let mut s = Session::new(&running);
    let t = Some(TOKEN);
    for (name, email) in [
        ("Acme", "ops@acme.example"),
        ("Cat Palace", "hi@palace.example"),
        ("Catnip", "cat@nip.example"),
    ] {
        let body = json!({"business_name": name, "email": email});
        s.send(
            "CreateManagedAccount",
            Method::POST,
            "/managed_accounts",
            t,
            Some(body),
        )
        .await;
    }
    let list = |query: &str| format!("/managed_accounts?{query}");
    let emails = |value: &Value| -> Vec<String> {
        value["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|a| a["email"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let (_, page) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            &list("sort=email"),
            t,
            None,
        )
        .await;
    assert_eq!(
        emails(&page),
        ["cat@nip.example", "hi@palace.example", "ops@acme.example"]
    );
    let (_, page) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            &list("filter%5Borganization_name%5D%5Bcontains%5D=CAT&sort=email"),
            t,
            None,
        )
        .await;
    assert_eq!(emails(&page), ["cat@nip.example", "hi@palace.example"]);
    let (_, page) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            &list("filter%5Bemail%5D%5Beq%5D=ops%40acme.example"),
            t,
            None,
        )
        .await;
    assert_eq!(emails(&page), ["ops@acme.example"]);
    let (_, page) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            &list("page%5Bsize%5D=2&page%5Bnumber%5D=2"),
            t,
            None,
        )
        .await;
    assert_eq!(page["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        page["meta"],
        json!({"page_number": 2, "page_size": 2, "total_pages": 2, "total_results": 3})
    );
    // The seeded cancelled account shows only when asked for.
    let (_, page) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            &list("include_cancelled_accounts=true"),
            t,
            None,
        )
        .await;
    assert_eq!(page["meta"]["total_results"], 4);
    let (_, page) = s
        .send(
            "ListManagedAccounts",
            Method::GET,
            &list("filter%5Bstatus%5D%5Beq%5D=cancelled"),
            t,
            None,
        )
        .await;
    assert_eq!(emails(&page), ["gone@example.com"]);
}

#[tokio::test]
async fn bad_requests_get_clear_4xx_answers_never_5xx() {
    let running = start(2048).await;
    telnyx_managed_accounts::install_tls_provider();
    let http = reqwest::Client::new();
    let base = running.base_url();
    let post = |body: &'static str, content_type: &'static str| {
        http.post(format!("{base}/managed_accounts"))
            .bearer_auth(TOKEN)
            .header("content-type", content_type)
            .body(body)
    };
    let detail = |value: &Value| {
        value["errors"][0]["detail"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };

    let response = post("{\"business_name\": ", "application/json")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("an errors body");
    assert!(detail(&body).contains("not valid JSON"), "{body}");

    let response = post("business_name=x", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let big = format!("{{\"business_name\": \"{}\"}}", "x".repeat(4096));
    let response = http
        .post(format!("{base}/managed_accounts"))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.expect("an errors body");
    assert!(detail(&body).contains("2048"), "{body}");

    let response = http
        .get(format!("{base}/nothing/here"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.json::<Value>().await.is_ok());

    let response = http
        .delete(format!("{base}/managed_accounts"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, POST");

    for header in [
        "Bearer",
        "Bearer ",
        "Basic abc",
        "Bearer a b",
        "Bearer wrong-token",
    ] {
        let response = http
            .get(format!("{base}/managed_accounts"))
            .header("authorization", header)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header}");
        assert!(response.headers().contains_key("www-authenticate"));
    }

    // The base path of the spec's server is accepted too.
    let response = http
        .get(format!("{base}/v2/managed_accounts"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK);

    // A deterministic spray of odd requests: never a 5xx.
    let paths = [
        "/managed_accounts?filter%5Bemail%5D=x",
        "/managed_accounts?filter%5Bemail%5D%5Bcontains%5D=ab&filter%5Bemail%5D%5Bcontains%5D=cd",
        "/managed_accounts?page%5Bnumber%5D=99999999999999999999999",
        "/managed_accounts?page=3",
        "/managed_accounts?filter%5B=x",
        "/managed_accounts?sort=%FF%FE",
        "/managed_accounts/%00/actions/enable",
        "/managed_accounts//actions/disable",
        "/managed_accounts/a%2Fb",
    ];
    let bodies = [
        "",
        "null",
        "[]",
        "42",
        "{\"channel_limit\": 1e400}",
        "{\"business_name\": null}",
        "\u{0}",
    ];
    for path in paths {
        for method in [Method::GET, Method::POST, Method::PATCH] {
            for body in bodies {
                let response = http
                    .request(method.clone(), format!("{base}{path}"))
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("answer");
                assert!(
                    response.status().as_u16() < 500,
                    "{method} {path} {body:?}: {}",
                    response.status()
                );
            }
        }
    }
}

#[tokio::test]
async fn the_generated_client_works_against_the_mock() {
    let running = start(1024 * 1024).await;
    let client = telnyx_managed_accounts::Client::builder()
        .base_url(running.base_url())
        .token(TOKEN)
        .build()
        .expect("a client");
    let mut ids = Vec::new();
    for n in 0..5 {
        let request = CreateManagedAccountRequest {
            business_name: format!("Customer {n}"),
            email: Some(format!("customer{n}@example.com")),
            ..Default::default()
        };
        let created = client
            .create_managed_account(&request)
            .await
            .expect("created");
        ids.push(created.data.expect("data").id);
    }
    client
        .disable_managed_account(&ids[0])
        .await
        .expect("disabled");
    let params = ListManagedAccountsParams {
        filter: Some(ListManagedAccountsFilter {
            status: Some(ListManagedAccountsFilterStatus {
                eq: Some(ListManagedAccountsFilterStatusEq::Enabled),
            }),
            ..Default::default()
        }),
        page: Some(ListManagedAccountsPage {
            size: Some(2),
            ..Default::default()
        }),
        ..Default::default()
    };
    let streamed: Vec<String> = client
        .list_managed_accounts()
        .params(&params)
        .stream()
        .map(|item| item.expect("an item").id)
        .collect()
        .await;
    assert_eq!(
        streamed,
        ids[1..].to_vec(),
        "four enabled accounts over two pages"
    );

    let missing = client
        .retrieve_managed_account("7d1f0a52-0000-4000-8000-000000000000")
        .await;
    assert_eq!(missing.err().and_then(|e| e.status()), Some(404));
}
