//! Creates a managed account (safely retried with an idempotency key),
//! enables it with per-call options, prints each response's request id,
//! then walks the managed accounts page by page, with the client's tracing
//! events printed to stderr.
//!
//! Hand-written (not generated). The API key comes from `TELNYX_API_KEY`;
//! `TELNYX_BASE_URL` points the client elsewhere (a mock server, say):
//!
//! ```sh
//! TELNYX_API_KEY=KEY… cargo run -p telnyx-managed-accounts --example create_enable_list -- "Larry's Cat Food Inc"
//! ```

use std::time::Duration;
use telnyx_managed_accounts::errors::CreateManagedAccountError;
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, EnableManagedAccountRequest, ListManagedAccountsPage,
    ListManagedAccountsParams,
};
use telnyx_managed_accounts::{Client, Error, RequestOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The client's spans (`request`, with the operation, method, path
    // template and attempt) and events (each response, each retry with its
    // reason and wait). They never hold the token, URLs or bodies.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(std::io::stderr)
        .init();

    let business_name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Example Company LLC".to_owned());
    let client = Client::from_env()?;

    // A create is retried only with an idempotency key; the same key goes
    // with every attempt.
    let request = CreateManagedAccountRequest {
        business_name,
        ..Default::default()
    };
    let key = format!("create-{}", std::process::id());
    let created = match client
        .create_managed_account(&request)
        .idempotency_key(key)
        .max_retries(3)
        .send_with_response()
        .await
    {
        Ok(created) => created,
        Err(Error::Api {
            error: CreateManagedAccountError::UnprocessableEntity(Some(errors)),
            meta,
            ..
        }) => {
            for error in errors.errors.unwrap_or_default() {
                let pointer = error.source.and_then(|source| source.pointer);
                eprintln!(
                    "{} {}: {} (at {})",
                    error.code,
                    error.title,
                    error.detail.unwrap_or_default(),
                    pointer.as_deref().unwrap_or("-")
                );
            }
            eprintln!("request id: {}", meta.request_id().unwrap_or("-"));
            return Err("the account was not created".into());
        }
        Err(other) => return Err(other.into()),
    };
    println!(
        "status {}, request id {}, after {} attempt(s)",
        created.status(),
        created.request_id().unwrap_or("-"),
        created.meta.attempts()
    );
    let account = created.body.data.ok_or("the response holds no account")?;
    println!("created {} <{}>", account.id, account.email);

    // Options for one call: a shorter timeout, a deadline for all attempts,
    // an extra header. A prepared set can go to several calls.
    let quick = RequestOptions::new()
        .timeout(Duration::from_secs(10))
        .deadline(Duration::from_secs(30));
    let enable = EnableManagedAccountRequest {
        reenable_all_connections: Some(true),
    };
    let enabled = client
        .enable_managed_account(&account.id)
        .body(&enable)
        .options(quick)
        .extra_header("X-Example", "create_enable_list")
        .await?;
    if let Some(account) = enabled.data {
        println!("enabled {}", account.id);
    }

    // Page by page, with each page's metadata.
    let params = ListManagedAccountsParams {
        page: Some(ListManagedAccountsPage {
            number: None,
            size: Some(50),
        }),
        ..Default::default()
    };
    let mut pages = client.list_managed_accounts().params(&params).pages();
    let mut count = 0;
    while let Some(page) = pages.next_page().await {
        let page = page?;
        let meta = page.response.meta.as_ref();
        println!(
            "page {} of {}, {} result(s) in all",
            page.number,
            page.total_pages.unwrap_or(1),
            meta.and_then(|meta| meta.total_results).unwrap_or(0)
        );
        for account in page.response.data.unwrap_or_default() {
            count += 1;
            println!(
                "{} <{}> {}",
                account.id,
                account.email,
                account.organization_name.as_deref().unwrap_or("")
            );
        }
    }
    println!("{count} managed account(s)");
    Ok(())
}
