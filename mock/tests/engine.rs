//! The generic engine over HTTP, on small hand-written documents
//! (`tests/fixtures/`, see its README): authentication per scheme,
//! synthesized responses, stored resources, paging and refusals. Every
//! body is checked against the document's schema for its status.

use contract::ContractValidator;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use telnyx_mock::{Config, Running, Settings};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A mock of one fixture and a client that checks every answer.
struct Mock {
    running: Running,
    http: reqwest::Client,
    validator: ContractValidator,
}

/// An answer: status, headers and body (`Null` when empty).
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Mock {
    async fn start(name: &str, tokens: &[&str]) -> Self {
        let config = Config {
            settings: Settings {
                tokens: tokens.iter().map(|t| (*t).to_owned()).collect(),
                ..Settings::default()
            },
            seed: None,
        };
        let addr = "127.0.0.1:0".parse().expect("an address");
        let running = telnyx_mock::start(&fixture(name), addr, config)
            .await
            .expect("the mock starts");
        let spec = generator::load_file(&fixture(name)).expect("the fixture loads");
        telnyx_managed_accounts::install_tls_provider();
        Self {
            running,
            http: reqwest::Client::new(),
            validator: ContractValidator::new(&spec).expect("the contract compiles"),
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.running.base_url()))
    }

    /// Sends, then checks that the status is documented for `operation`
    /// and that a body validates against that status's schema.
    async fn send(&self, operation: &str, request: RequestBuilder) -> Answer {
        let response = request.send().await.expect("the mock answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("{text}: {err}"))
        };
        self.validator
            .documented_status(operation, status)
            .unwrap_or_else(|err| panic!("{operation}: {err}\n{text}"));
        if !body.is_null() {
            let violations = self
                .validator
                .validate_response(operation, status, &body)
                .unwrap_or_else(|err| panic!("{operation} {status}: {err}\n{text}"));
            assert!(
                violations.is_empty(),
                "{operation} {status}: {violations:?}\n{text}"
            );
        }
        Answer {
            status,
            headers,
            body,
        }
    }
}

#[tokio::test]
async fn api_key_header_auth_is_required_where_declared() {
    let mock = Mock::start("crud.yaml", &["k1"]).await;
    let list = || mock.request(Method::GET, "/widgets");
    let refused = mock.send("listWidgets", list()).await;
    assert_eq!(refused.status, 401);
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("X-API-Key"))
    );
    assert!(!refused.headers.contains_key("www-authenticate"));
    let wrong = mock
        .send("listWidgets", list().header("X-API-Key", "nope"))
        .await;
    assert_eq!(wrong.status, 401);
    let bearer = mock.send("listWidgets", list().bearer_auth("k1")).await;
    assert_eq!(
        bearer.status, 401,
        "a bearer token is not the declared scheme"
    );
    let ok = mock
        .send("listWidgets", list().header("X-API-Key", "k1"))
        .await;
    assert_eq!(
        (ok.status, ok.body),
        (200, json!([])),
        "nothing created yet"
    );
}

#[tokio::test]
async fn bearer_or_basic_and_an_unsecured_operation() {
    let mock = Mock::start("nested.yaml", &["secret"]).await;
    let health = mock
        .send("health", mock.request(Method::GET, "/health"))
        .await;
    assert_eq!((health.status, health.body), (200, json!({"status": "ok"})));
    let list = || mock.request(Method::GET, "/projects");
    let refused = mock.send("listProjects", list()).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["status"], 401);
    let challenges: Vec<&str> = refused
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        challenges.iter().any(|c| c.starts_with("Bearer")),
        "{challenges:?}"
    );
    assert!(
        challenges.iter().any(|c| c.starts_with("Basic")),
        "{challenges:?}"
    );
    for (request, expected) in [
        (list().bearer_auth("secret"), 200),
        (list().bearer_auth("other"), 401),
        (list().basic_auth("anyone", Some("secret")), 200),
        (list().basic_auth("anyone", Some("other")), 401),
        (list().header("authorization", "Basic !!!"), 401),
    ] {
        assert_eq!(mock.send("listProjects", request).await.status, expected);
    }
}

#[tokio::test]
async fn a_document_without_security_needs_no_credentials() {
    let mock = Mock::start("open.yaml", &["ignored"]).await;
    let listed = mock
        .send("listNotes", mock.request(Method::GET, "/notes"))
        .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["items"], json!([]));
}

#[tokio::test]
async fn responses_without_examples_are_synthesized_and_stable() {
    let mock = Mock::start("synth.yaml", &[]).await;
    let random = || mock.request(Method::GET, "/shapes/random?api_key=k");
    let first = mock.send("randomShape", random()).await;
    assert_eq!(first.status, 200);
    assert!(first.body.is_object(), "{}", first.body);
    let second = mock.send("randomShape", random()).await;
    assert_eq!(first.body, second.body, "deterministic");
    let favourite = mock
        .send(
            "favouriteShape",
            mock.request(Method::GET, "/shapes/favourite?api_key=k"),
        )
        .await;
    assert_eq!(favourite.body, json!({"kind": "square", "side": 3}));
    let refused = mock
        .send("randomShape", mock.request(Method::GET, "/shapes/random"))
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["error"]["status"], 401);
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("api_key")),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn refusals_use_the_documented_status_and_schema() {
    let mock = Mock::start("synth.yaml", &[]).await;
    let check = || mock.request(Method::POST, "/shapes/check?api_key=k");
    let fine = mock
        .send(
            "checkShape",
            check().json(&json!({"kind": "square", "side": 2})),
        )
        .await;
    assert_eq!((fine.status, fine.body), (204, Value::Null));
    let invalid = mock
        .send(
            "checkShape",
            check().json(&json!({"kind": "square", "side": 0})),
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.body["error"]["status"], 422);
    let unparseable = mock
        .send(
            "checkShape",
            check().header("content-type", "application/json").body("{"),
        )
        .await;
    assert_eq!(unparseable.status, 400);
    assert!(
        unparseable.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not valid JSON"))
    );
    let wrong_type = mock
        .send(
            "checkShape",
            check().header("content-type", "text/plain").body("square"),
        )
        .await;
    assert_eq!(wrong_type.status, 415);
    // No `errors` envelope in a document that does not use one.
    let unknown = mock.request(Method::GET, "/nowhere").send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");
}

#[tokio::test]
async fn a_crud_resource_keeps_state_and_pages_by_limit_and_offset() {
    let mock = Mock::start("crud.yaml", &[]).await;
    let key = |request: RequestBuilder| request.header("X-API-Key", "k");
    let create = |name: &str| {
        key(mock.request(Method::POST, "/widgets")).json(&json!({"name": name, "colour": "blue"}))
    };
    let created = mock.send("createWidget", create("first")).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["name"], "first");
    assert_eq!(created.body["colour"], "blue");
    let id = created.body["id"].as_str().expect("an id").to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let item = format!("/widgets/{id}");
    let got = mock
        .send("getWidget", key(mock.request(Method::GET, &item)))
        .await;
    assert_eq!((got.status, &got.body), (200, &created.body));
    for name in ["second", "third"] {
        mock.send("createWidget", create(name)).await;
    }
    let names = |body: &Value| -> Vec<String> {
        body.as_array()
            .expect("a bare array")
            .iter()
            .map(|w| w["name"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let all = mock
        .send("listWidgets", key(mock.request(Method::GET, "/widgets")))
        .await;
    assert_eq!(names(&all.body), ["first", "second", "third"]);
    let page = mock
        .send(
            "listWidgets",
            key(mock.request(Method::GET, "/widgets?limit=2&offset=1")),
        )
        .await;
    assert_eq!(names(&page.body), ["second", "third"]);
    let patched = mock
        .send(
            "updateWidget",
            key(mock.request(Method::PATCH, &item)).json(&json!({"size": 4})),
        )
        .await;
    assert_eq!(
        (
            &patched.body["name"],
            &patched.body["size"],
            &patched.body["id"]
        ),
        (&json!("first"), &json!(4), &json!(id))
    );
    let replaced = mock
        .send(
            "replaceWidget",
            key(mock.request(Method::PUT, &item)).json(&json!({"name": "renamed"})),
        )
        .await;
    assert_eq!(replaced.body["name"], "renamed");
    assert_eq!(replaced.body["id"], id.as_str(), "read-only fields stay");
    assert_eq!(replaced.body["created_at"], created.body["created_at"]);
    assert!(replaced.body.get("size").is_none(), "PUT replaces");
    let polish = format!("{item}/polish");
    let polished = mock
        .send(
            "polishWidget",
            key(mock.request(Method::POST, &polish)).header("Idempotency-Key", "1"),
        )
        .await;
    assert_eq!((polished.status, &polished.body), (200, &replaced.body));
    let unkeyed = mock
        .send("polishWidget", key(mock.request(Method::POST, &polish)))
        .await;
    assert_eq!(unkeyed.status, 400, "the documented refusal");
    assert!(
        unkeyed.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("Idempotency-Key"))
    );
    let deleted = mock
        .send("deleteWidget", key(mock.request(Method::DELETE, &item)))
        .await;
    assert_eq!((deleted.status, deleted.body), (204, Value::Null));
    for (operation, method, path) in [
        ("getWidget", Method::GET, &item),
        ("deleteWidget", Method::DELETE, &item),
        ("polishWidget", Method::POST, &polish),
    ] {
        let request = key(mock.request(method, path)).header("Idempotency-Key", "2");
        let gone = mock.send(operation, request).await;
        assert_eq!(gone.status, 404);
        assert!(
            gone.body["message"]
                .as_str()
                .is_some_and(|m| m.contains(&id))
        );
    }
    let gone = mock
        .send(
            "updateWidget",
            key(mock.request(Method::PATCH, &item)).json(&json!({})),
        )
        .await;
    assert_eq!(gone.status, 404);
    let left = mock
        .send("listWidgets", key(mock.request(Method::GET, "/widgets")))
        .await;
    assert_eq!(names(&left.body), ["second", "third"]);
    // A body that breaks the schema: the documented 422, its own shape.
    let refused = mock
        .send(
            "createWidget",
            key(mock.request(Method::POST, "/widgets")).json(&json!({"name": ""})),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body["detail"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert!(refused.body.get("errors").is_none());
}

#[tokio::test]
async fn a_nested_resource_lives_under_its_parent() {
    let mock = Mock::start("nested.yaml", &[]).await;
    let auth = |request: RequestBuilder| request.bearer_auth("t");
    let project = mock
        .send(
            "createProject",
            auth(mock.request(Method::POST, "/projects")).json(&json!({"title": "P"})),
        )
        .await;
    assert_eq!(project.status, 201);
    assert_eq!(project.body["data"]["id"], 1, "integer ids count up");
    let other = mock
        .send(
            "createProject",
            auth(mock.request(Method::POST, "/projects")).json(&json!({"title": "Q"})),
        )
        .await;
    assert_eq!(other.body["data"]["id"], 2);
    let tasks = "/projects/1/tasks";
    for n in 1..=3 {
        let task = mock
            .send(
                "createTask",
                auth(mock.request(Method::POST, tasks)).json(&json!({"summary": format!("t{n}")})),
            )
            .await;
        assert_eq!(task.status, 201);
        assert_eq!(task.body["data"]["project_id"], 1, "the parent's id");
    }
    let orphan = mock
        .send(
            "createTask",
            auth(mock.request(Method::POST, "/projects/9/tasks")).json(&json!({"summary": "x"})),
        )
        .await;
    assert_eq!(orphan.status, 404);
    assert_eq!(orphan.body["status"], 404);
    let empty = mock
        .send(
            "listTasks",
            auth(mock.request(Method::GET, "/projects/2/tasks")),
        )
        .await;
    assert_eq!(empty.body["data"], json!([]));
    let page = mock
        .send(
            "listTasks",
            auth(mock.request(
                Method::GET,
                "/projects/1/tasks?page%5Bnumber%5D=2&page%5Bsize%5D=2",
            )),
        )
        .await;
    assert_eq!(page.body["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(page.body["data"][0]["summary"], "t3");
    assert_eq!(
        page.body["meta"],
        json!({"total": 3, "page": 2, "per_page": 2})
    );
    let projects = mock
        .send(
            "listProjects",
            auth(mock.request(Method::GET, "/projects?page=1&per_page=1")),
        )
        .await;
    assert_eq!(projects.body["data"][0]["title"], "P");
    assert_eq!(
        projects.body["meta"],
        json!({"total": 2, "page": 1, "per_page": 1})
    );
    let done = mock
        .send(
            "updateTask",
            auth(mock.request(Method::PATCH, "/projects/1/tasks/2")).json(&json!({"done": true})),
        )
        .await;
    assert_eq!(
        (&done.body["data"]["done"], &done.body["data"]["summary"]),
        (&json!(true), &json!("t2"))
    );
    let elsewhere = mock
        .send(
            "getTask",
            auth(mock.request(Method::GET, "/projects/2/tasks/2")),
        )
        .await;
    assert_eq!(elsewhere.status, 404, "items are per parent");
    let deleted = mock
        .send(
            "deleteTask",
            auth(mock.request(Method::DELETE, "/projects/1/tasks/2")),
        )
        .await;
    assert_eq!(deleted.status, 204);
    let gone = mock
        .send(
            "getTask",
            auth(mock.request(Method::GET, "/projects/1/tasks/2")),
        )
        .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn a_cursor_list_and_a_gone_item() {
    let mock = Mock::start("open.yaml", &[]).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let note = mock
            .send(
                "createNote",
                mock.request(Method::POST, "/notes")
                    .json(&json!({"text": format!("n{n}")})),
            )
            .await;
        assert_eq!(note.status, 200);
        ids.push(note.body["note_id"].as_str().expect("an id").to_owned());
    }
    assert_eq!(ids[0], "note-1");
    let mut seen = Vec::new();
    let mut path = "/notes?limit=2".to_owned();
    loop {
        let page = mock
            .send("listNotes", mock.request(Method::GET, &path))
            .await;
        for note in page.body["items"].as_array().expect("items") {
            seen.push(note["note_id"].as_str().unwrap_or("").to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/notes?limit=2&cursor={cursor}"),
            None => break,
        }
        assert!(seen.len() < 10, "the cursor moves on");
    }
    assert_eq!(seen, ids);
    let deleted = mock
        .send("deleteNote", mock.request(Method::DELETE, "/notes/note-1"))
        .await;
    assert_eq!((deleted.status, &deleted.body["text"]), (200, &json!("n0")));
    let gone = mock
        .send("getNote", mock.request(Method::GET, "/notes/note-1"))
        .await;
    assert_eq!(
        (gone.status, gone.body),
        (410, Value::Null),
        "only 410 is documented"
    );
    let refused = mock
        .send(
            "createNote",
            mock.request(Method::POST, "/notes")
                .json(&json!({"text": 5})),
        )
        .await;
    assert_eq!(refused.status, 400, "the only documented refusal");
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn the_same_requests_get_the_same_bodies() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let mock = Mock::start("crud.yaml", &[]).await;
        let key = |request: RequestBuilder| request.header("X-API-Key", "k");
        let created = mock
            .send(
                "createWidget",
                key(mock.request(Method::POST, "/widgets")).json(&json!({"name": "a"})),
            )
            .await;
        let listed = mock
            .send("listWidgets", key(mock.request(Method::GET, "/widgets")))
            .await;
        runs.push((created.body, listed.body));
    }
    assert_eq!(runs[0], runs[1]);
}

#[tokio::test]
async fn a_client_chosen_id_names_the_item() {
    let mock = Mock::start("open.yaml", &[]).await;
    let created = mock
        .send(
            "createTag",
            mock.request(Method::POST, "/tags")
                .json(&json!({"name": "urgent", "colour": "red"})),
        )
        .await;
    assert_eq!((created.status, created.body), (201, Value::Null));
    let got = mock
        .send("getTag", mock.request(Method::GET, "/tags/urgent"))
        .await;
    assert_eq!(
        (got.status, got.body),
        (200, json!({"name": "urgent", "colour": "red"}))
    );
    let missing = mock
        .send("getTag", mock.request(Method::GET, "/tags/other"))
        .await;
    assert_eq!(missing.status, 404);
}
