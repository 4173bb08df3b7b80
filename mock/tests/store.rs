//! The store's rules, without HTTP: filters, sorting, pagination, status
//! transitions, channel limits, seeding.

use telnyx_managed_accounts::types::CreateManagedAccountRequest;
use telnyx_mock::store::{AccountStatus, ListQuery, Manager, Refusal, Store};

fn create(store: &mut Store, name: &str, email: &str) -> String {
    let request = CreateManagedAccountRequest {
        business_name: name.to_owned(),
        email: Some(email.to_owned()),
        ..Default::default()
    };
    store.create(request).expect("created").account.id.clone()
}

fn query() -> ListQuery {
    ListQuery {
        page_number: 1,
        page_size: 20,
        ..Default::default()
    }
}

fn emails(store: &Store, query: &ListQuery) -> Vec<String> {
    store.list(query).0.into_iter().map(|a| a.email).collect()
}

fn sample_store() -> (Store, Vec<String>) {
    let mut store = Store::new(Manager::default());
    let ids = vec![
        create(&mut store, "Larry's Cat Food Inc", "larry@cats.example"),
        create(&mut store, "Acme Widgets", "ops@acme.example"),
        create(&mut store, "Cat Palace", "hello@palace.example"),
    ];
    (store, ids)
}

#[test]
fn create_fills_every_generated_field() {
    let mut store = Store::new(Manager::default());
    let account = store
        .create(CreateManagedAccountRequest {
            business_name: "Larry".into(),
            ..Default::default()
        })
        .expect("created")
        .account
        .clone();
    assert!(uuid::Uuid::parse_str(&account.id).is_ok());
    assert!(account.api_key.starts_with("KEY"));
    assert!(!account.api_token.is_empty());
    assert!(humantime::parse_rfc3339(&account.created_at).is_ok());
    assert_eq!(account.organization_name.as_deref(), Some("Larry"));
    assert!(
        account.email.ends_with("@example.com"),
        "generated from the manager's email"
    );
    assert!(account.balance.is_some());

    // The contract says nothing of unique emails, so the mock does not
    // refuse a second account with the same one.
    let again = store.create(CreateManagedAccountRequest {
        business_name: "Other".into(),
        email: Some(account.email.clone()),
        ..Default::default()
    });
    assert!(again.is_ok());
}

#[test]
fn rollup_accounts_have_no_balance() {
    let mut store = Store::new(Manager::default());
    let account = store
        .create(CreateManagedAccountRequest {
            business_name: "Shared".into(),
            rollup_billing: Some(true),
            ..Default::default()
        })
        .expect("created");
    assert_eq!(account.account.balance, None);
    assert_eq!(account.account.rollup_billing, Some(true));
}

#[test]
fn filters_by_email_and_organization() {
    let (store, _) = sample_store();
    let mut q = query();
    q.email_contains = Some("CATS".into());
    assert_eq!(emails(&store, &q), ["larry@cats.example"]);
    let mut q = query();
    q.organization_contains = Some("cat".into());
    assert_eq!(
        emails(&store, &q),
        ["larry@cats.example", "hello@palace.example"]
    );
    let mut q = query();
    q.organization_eq = Some("Acme Widgets".into());
    assert_eq!(emails(&store, &q), ["ops@acme.example"]);
    let mut q = query();
    q.email_eq = Some("ops@acme".into());
    assert!(emails(&store, &q).is_empty());
}

#[test]
fn status_filter_follows_disable_and_enable() {
    let (mut store, ids) = sample_store();
    store.set_enabled(&ids[1], false).expect("disabled");
    let mut q = query();
    q.status_eq = Some("disabled".into());
    assert_eq!(emails(&store, &q), ["ops@acme.example"]);
    q.status_eq = Some("enabled".into());
    assert_eq!(
        emails(&store, &q),
        ["larry@cats.example", "hello@palace.example"]
    );
    store.set_enabled(&ids[1], true).expect("enabled");
    q.status_eq = Some("disabled".into());
    assert!(emails(&store, &q).is_empty());
}

#[test]
fn cancelled_accounts_need_asking_for_and_cannot_be_enabled() {
    let (mut store, ids) = sample_store();
    store.accounts[0].status = AccountStatus::Cancelled;
    assert_eq!(emails(&store, &query()).len(), 2);
    let mut q = query();
    q.include_cancelled = true;
    assert_eq!(emails(&store, &q).len(), 3);
    let mut q = query();
    q.status_eq = Some("cancelled".into());
    assert_eq!(emails(&store, &q), ["larry@cats.example"]);
    q.status_eq = Some("active".into());
    assert_eq!(emails(&store, &q).len(), 2);
    q.status_eq = Some("all".into());
    assert_eq!(emails(&store, &q).len(), 3);
    assert!(matches!(
        store.set_enabled(&ids[0], true),
        Err(Refusal::Unprocessable { .. })
    ));
    assert_eq!(
        store.set_enabled("nope", true).err(),
        Some(Refusal::NotFound)
    );
}

#[test]
fn sorts_both_ways_and_paginates_with_meta() {
    let (store, _) = sample_store();
    let mut q = query();
    q.sort = Some("email".into());
    assert_eq!(
        emails(&store, &q),
        [
            "hello@palace.example",
            "larry@cats.example",
            "ops@acme.example"
        ]
    );
    q.sort = Some("-email".into());
    assert_eq!(
        emails(&store, &q),
        [
            "ops@acme.example",
            "larry@cats.example",
            "hello@palace.example"
        ]
    );
    let mut q = query();
    q.page_size = 2;
    q.page_number = 2;
    let (page, meta) = store.list(&q);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].email, "hello@palace.example");
    assert_eq!(
        (
            meta.page_number,
            meta.page_size,
            meta.total_pages,
            meta.total_results
        ),
        (Some(2), Some(2), Some(2), Some(3))
    );
    q.page_number = 9;
    assert!(store.list(&q).0.is_empty());
}

#[test]
fn channel_limits_add_up_and_stay_within_the_allocatable_total() {
    let (mut store, ids) = sample_store();
    store.manager.allocatable_global_outbound_channels = 50;
    let set = store.set_channel_limit(&ids[0], 30).expect("set");
    assert_eq!(set.channel_limit, Some(30));
    store.set_channel_limit(&ids[1], 20).expect("set");
    assert_eq!(store.channels().total_global_channels_allocated, Some(50));
    let refused = store.set_channel_limit(&ids[2], 1);
    assert!(
        matches!(refused, Err(Refusal::Unprocessable { pointer: Some(p), .. }) if p == "/channel_limit")
    );
    store.set_channel_limit(&ids[0], 10).expect("lowered");
    assert_eq!(store.channels().total_global_channels_allocated, Some(30));
    assert_eq!(
        store.set_channel_limit("nope", 1).err(),
        Some(Refusal::NotFound)
    );
}

#[test]
fn seed_files_load_and_errors_name_the_path() {
    let seeded = telnyx_mock::seed::parse(
        r#"{"manager": {"email": "boss@example.com"},
            "accounts": [{"record_type": "managed_account", "id": "f65ceda4-6522-4ad6-aede-98de83385123",
              "email": "a@example.com", "api_key": "k", "api_user": "boss@example.com", "api_token": "t",
              "manager_account_id": "m", "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z",
              "status": "cancelled", "channel_limit": 5}],
            "non_manager_tokens": ["plain-user"]}"#,
    )
    .expect("parses");
    assert_eq!(seeded.store.accounts.len(), 1);
    assert_eq!(seeded.store.accounts[0].status, AccountStatus::Cancelled);
    assert_eq!(seeded.non_manager_tokens, ["plain-user"]);

    let err = telnyx_mock::seed::parse(r#"{"accounts": [{"id": 5}]}"#).unwrap_err();
    assert!(err.to_string().contains("accounts[0]"), "{err}");
    let err = telnyx_mock::seed::parse(r#"{"acounts": []}"#).unwrap_err();
    assert!(err.to_string().contains("acounts"), "{err}");
}
