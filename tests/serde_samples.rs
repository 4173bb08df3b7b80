//! The real generated crate against the documentation's sample payloads
//! (`tests/fixtures/seeds/`): they deserialize and serialize back to the
//! same JSON; unknown enum values and unknown fields are accepted; missing
//! required fields are not; secrets stay out of `Debug`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Debug;
use telnyx_managed_accounts::types::*;

fn seed(file: &str) -> Value {
    let path = tests::workspace_root()
        .join("tests/fixtures/seeds")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{file} is not JSON: {err}"))
}

fn parse<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|err| {
        panic!(
            "{value} does not deserialize into {}: {err}",
            std::any::type_name::<T>()
        )
    })
}

/// Deserializes `file` into `T`, checks that it serializes back to the same
/// JSON, and returns it.
fn round_trip<T: DeserializeOwned + Serialize>(file: &str) -> T {
    let original = seed(file);
    let parsed: T = parse(&original);
    let written = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        written, original,
        "{file} does not serialize back unchanged"
    );
    parsed
}

/// Every seed file, and the type it is a sample of.
const SEEDS: &[&str] = &[
    "create-managed-account-request.json",
    "managed-account-response.json",
    "errors-422.json",
    "enable-managed-account-response.json",
    "enable-managed-account-request.json",
];

#[test]
fn every_seed_payload_round_trips_through_its_type() {
    let request: CreateManagedAccountRequest = round_trip(SEEDS[0]);
    assert_eq!(request.business_name, "Larry's Cat Food Inc");
    assert_eq!(request.rollup_billing, Some(false));

    let created: CreateManagedAccountResponse = round_trip(SEEDS[1]);
    let account = created.data.expect("the sample has data");
    assert_eq!(
        account.record_type,
        ManagedAccountRecordType::ManagedAccount
    );
    assert_eq!(account.id, "f65ceda4-6522-4ad6-aede-98de83385123");
    // Decimal strings stay strings, digit for digit.
    let balance = account.balance.expect("the sample has a balance");
    assert_eq!(balance.balance.as_deref(), Some("300.00"));
    assert_eq!(
        balance.record_type,
        Some(ManagedAccountBalanceRecordType::Balance)
    );

    let errors: Errors = round_trip(SEEDS[2]);
    let first = &errors.errors.expect("the sample has errors")[0];
    assert_eq!(first.meta, Some(json!({})));
    let source = first.source.as_ref().expect("the sample has a source");
    assert_eq!(source.pointer.as_deref(), Some("string"));

    let enabled: EnableManagedAccountResponse = round_trip(SEEDS[3]);
    // The same account as the create response, with its keys in another order.
    assert_eq!(
        serde_json::to_value(&enabled.data).unwrap(),
        seed(SEEDS[1])["data"]
    );

    let enable: EnableManagedAccountRequest = round_trip(SEEDS[4]);
    assert_eq!(enable.reenable_all_connections, Some(true));
}

#[test]
fn every_seed_file_is_covered() {
    let dir = tests::workspace_root().join("tests/fixtures/seeds");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let covered: BTreeSet<String> = SEEDS.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(on_disk, covered, "seed payloads without a round-trip test");
}

#[test]
fn an_unknown_enum_value_is_kept_and_written_back() {
    let mut payload = seed("managed-account-response.json");
    payload["data"]["record_type"] = json!("something_new");
    payload["data"]["balance"]["record_type"] = json!("credit");
    let parsed: CreateManagedAccountResponse = parse(&payload);
    let account = parsed.data.as_ref().unwrap();
    assert_eq!(
        account.record_type,
        ManagedAccountRecordType::Unknown("something_new".to_owned())
    );
    assert_eq!(account.record_type.as_str(), "something_new");
    assert_eq!(
        account.balance.as_ref().unwrap().record_type,
        Some(ManagedAccountBalanceRecordType::Unknown(
            "credit".to_owned()
        ))
    );
    assert_eq!(serde_json::to_value(&parsed).unwrap(), payload);
}

#[test]
fn unknown_fields_are_accepted() {
    let mut payload = seed("managed-account-response.json");
    payload["data"]["brand_new_field"] = json!({"nested": [1, 2]});
    payload["data"]["balance"]["pending"] = json!("1.00");
    payload["links"] = json!({"self": "/v2/managed_accounts/1"});
    let parsed: CreateManagedAccountResponse = parse(&payload);
    // Everything known is read as usual; the unknown fields are dropped.
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        seed("managed-account-response.json")
    );

    let mut request = seed("create-managed-account-request.json");
    request["referral_code"] = json!("abc");
    let parsed: CreateManagedAccountRequest = parse(&request);
    assert_eq!(parsed.business_name, "Larry's Cat Food Inc");
}

#[track_caller]
fn assert_rejected<T: DeserializeOwned + Debug>(payload: &Value, expected: &str) {
    match serde_json::from_value::<T>(payload.clone()) {
        Ok(parsed) => panic!("{payload} should be rejected, but gave {parsed:?}"),
        Err(err) => assert!(
            err.to_string().contains(expected),
            "the error `{err}` should contain `{expected}`"
        ),
    }
}

#[test]
fn a_missing_required_field_is_rejected_naming_the_field() {
    let mut payload = seed("managed-account-response.json");
    payload["data"].as_object_mut().unwrap().remove("id");
    assert_rejected::<CreateManagedAccountResponse>(&payload, "missing field `id`");

    let mut payload = seed("managed-account-response.json");
    payload["data"].as_object_mut().unwrap().remove("api_token");
    assert_rejected::<CreateManagedAccountResponse>(&payload, "missing field `api_token`");

    let mut request = seed("create-managed-account-request.json");
    request.as_object_mut().unwrap().remove("business_name");
    assert_rejected::<CreateManagedAccountRequest>(&request, "missing field `business_name`");

    let mut errors = seed("errors-422.json");
    errors["errors"][0].as_object_mut().unwrap().remove("title");
    assert_rejected::<Errors>(&errors, "missing field `title`");
}

#[test]
fn a_wrong_type_is_rejected() {
    let mut payload = seed("managed-account-response.json");
    payload["data"]["rollup_billing"] = json!("no");
    assert_rejected::<CreateManagedAccountResponse>(&payload, "invalid type: string \"no\"");
}

#[test]
fn debug_hides_secrets() {
    let payload = seed("managed-account-response.json");
    let account: ManagedAccount = parse(&payload["data"]);
    let response: CreateManagedAccountResponse = parse(&payload);
    for shown in [
        format!("{account:?}"),
        format!("{response:?}"),
        format!("{account:#?}"),
    ] {
        for secret in ["api_key", "api_token"] {
            let value = payload["data"][secret].as_str().unwrap();
            assert!(!shown.contains(value), "Debug shows the {secret}: {shown}");
        }
        assert_eq!(shown.matches("[redacted]").count(), 2, "{shown}");
        // What is not secret is still shown.
        assert!(shown.contains("user@example.com"), "{shown}");
    }

    let request: CreateManagedAccountRequest = parse(&seed("create-managed-account-request.json"));
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("3jVjLq!tMuWKyWx4NN*CvhnB"),
        "Debug shows the password: {shown}"
    );
    assert!(shown.contains("password: Some(\"[redacted]\")"), "{shown}");
    assert!(shown.contains("larry_cat_food@customer.org"), "{shown}");
    // An absent secret is shown as absent.
    let without = CreateManagedAccountRequest {
        password: None,
        ..request
    };
    assert!(format!("{without:?}").contains("password: None"));
}

fn default_json<T: Default + Serialize>() -> Value {
    serde_json::to_value(T::default()).unwrap()
}

#[test]
fn request_and_parameter_types_have_defaults_that_send_nothing_optional() {
    assert_eq!(default_json::<ListManagedAccountsParams>(), json!({}));
    assert_eq!(default_json::<UpdateManagedAccountRequest>(), json!({}));
    assert_eq!(default_json::<EnableManagedAccountRequest>(), json!({}));
    assert_eq!(
        default_json::<UpdateManagedAccountGlobalChannelLimitRequest>(),
        json!({})
    );
    assert_eq!(
        default_json::<CreateManagedAccountRequest>(),
        json!({"business_name": ""})
    );
    // Struct update syntax is what `Default` is for.
    let params = ListManagedAccountsParams {
        include_cancelled_accounts: Some(true),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(params).unwrap(),
        json!({"include_cancelled_accounts": true})
    );
}

#[test]
fn parameters_deserialize_from_their_nested_shape() {
    let nested = json!({
        "filter": {"email": {"contains": "acme"}, "status": {"eq": "active"}},
        "page": {"number": 2, "size": 50},
        "sort": "email"
    });
    let params: ListManagedAccountsParams = parse(&nested);
    let filter = params.filter.as_ref().unwrap();
    assert_eq!(
        filter.email.as_ref().unwrap().contains.as_deref(),
        Some("acme")
    );
    assert_eq!(
        filter.status.as_ref().unwrap().eq,
        Some(ListManagedAccountsFilterStatusEq::Active)
    );
    assert_eq!(params.page.as_ref().unwrap().number, Some(2));
    assert_eq!(params.sort, Some(ListManagedAccountsSort::Email));
    assert_eq!(serde_json::to_value(&params).unwrap(), nested);
}

fn assert_request<T: Default>() {}

#[test]
fn request_types_implement_default() {
    // That every type has the common derives is checked by the
    // compile_fixtures test, over a list taken from the IR.
    assert_request::<CreateManagedAccountRequest>();
    assert_request::<UpdateManagedAccountRequest>();
    assert_request::<EnableManagedAccountRequest>();
    assert_request::<UpdateManagedAccountGlobalChannelLimitRequest>();
    assert_request::<ListManagedAccountsParams>();
}
