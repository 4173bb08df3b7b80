//! Creates a managed account, enables it, then lists every managed account,
//! page after page.
//!
//! Hand-written (not generated). The API key comes from `TELNYX_API_KEY`;
//! `TELNYX_BASE_URL` points the client elsewhere (a mock server, say):
//!
//! ```sh
//! TELNYX_API_KEY=KEY… cargo run -p telnyx-managed-accounts --example create_enable_list -- "Larry's Cat Food Inc"
//! ```

use futures_util::StreamExt;
use telnyx_managed_accounts::errors::CreateManagedAccountError;
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, EnableManagedAccountRequest, ListManagedAccountsPage,
    ListManagedAccountsParams,
};
use telnyx_managed_accounts::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let business_name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Example Company LLC".to_owned());
    let client = Client::from_env()?;

    let request = CreateManagedAccountRequest {
        business_name,
        ..Default::default()
    };
    let created = match client.create_managed_account(&request).await {
        Ok(created) => created,
        Err(Error::Api {
            error: CreateManagedAccountError::UnprocessableEntity(Some(errors)),
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
            return Err("the account was not created".into());
        }
        Err(other) => return Err(other.into()),
    };
    let account = created.data.ok_or("the response holds no account")?;
    println!("created {} <{}>", account.id, account.email);

    let enable = EnableManagedAccountRequest {
        reenable_all_connections: Some(true),
    };
    let enabled = client
        .enable_managed_account(&account.id, Some(&enable))
        .await?;
    if let Some(account) = enabled.data {
        println!("enabled {}", account.id);
    }

    let params = ListManagedAccountsParams {
        page: Some(ListManagedAccountsPage {
            number: None,
            size: Some(50),
        }),
        ..Default::default()
    };
    let mut accounts = client.list_managed_accounts_stream(&params);
    let mut count = 0;
    while let Some(account) = accounts.next().await {
        let account = account?;
        count += 1;
        println!(
            "{} <{}> {}",
            account.id,
            account.email,
            account.organization_name.as_deref().unwrap_or("")
        );
    }
    println!("{count} managed account(s)");
    Ok(())
}
