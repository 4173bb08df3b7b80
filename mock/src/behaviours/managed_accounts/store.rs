//! The mock's state: managed accounts in memory, coherent across calls.
//!
//! Everything here is plain logic on the generated types, so list filters,
//! sorting, pagination and the status transitions are tested without HTTP.

use serde::Deserialize;
use std::time::SystemTime;
use telnyx_managed_accounts::types::{
    CreateManagedAccountRequest, ManagedAccount, ManagedAccountBalance,
    ManagedAccountBalanceRecordType, ManagedAccountMultiListing,
    ManagedAccountMultiListingRecordType, ManagedAccountRecordType,
    ManagedAccountsGlobalOutboundChannels, PaginationMeta,
    SingleManagedAccountGlobalOutboundChannels,
};

/// Whether an account may use Telnyx services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Usable.
    Enabled,
    /// Switched off by the manager (disable); enable switches it back on.
    Disabled,
    /// Closed; listed only when cancelled accounts are asked for.
    Cancelled,
    /// Blocked by Telnyx.
    Blocked,
}

/// One managed account and what the mock tracks beside the documented fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// The account as the API returns it.
    pub account: ManagedAccount,
    /// Its status (not a documented field; seen through `filter[status][eq]`).
    pub status: AccountStatus,
    /// Global outbound channels allocated to it.
    pub channel_limit: i64,
}

/// The manager account the mock acts as.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manager {
    /// The manager's user id (`manager_account_id` of every account).
    #[serde(default = "Manager::default_id")]
    pub id: String,
    /// The manager's email (the V1 `api_user` of every account).
    #[serde(default = "Manager::default_email")]
    pub email: String,
    /// How many global outbound channels the manager may allocate.
    #[serde(default = "Manager::default_channels")]
    pub allocatable_global_outbound_channels: i64,
    /// Whether the manager may set custom pricing.
    #[serde(default)]
    pub managed_account_allow_custom_pricing: bool,
}

impl Manager {
    fn default_id() -> String {
        "f65ceda4-6522-4ad6-aede-98de83385123".to_owned()
    }
    fn default_email() -> String {
        "manager@example.com".to_owned()
    }
    fn default_channels() -> i64 {
        500
    }
}

impl Default for Manager {
    fn default() -> Self {
        Self {
            id: Self::default_id(),
            email: Self::default_email(),
            allocatable_global_outbound_channels: Self::default_channels(),
            managed_account_allow_custom_pricing: false,
        }
    }
}

/// A refusal that maps to a documented error status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No account with that id.
    NotFound,
    /// The request is well-formed but cannot be carried out (422), with the
    /// JSON pointer of the offending body field, if any.
    Unprocessable {
        /// What is wrong.
        detail: String,
        /// The body field at fault.
        pointer: Option<String>,
    },
}

/// What the list operation asks for, decoded from its query parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    /// `filter[email][contains]`.
    pub email_contains: Option<String>,
    /// `filter[email][eq]`.
    pub email_eq: Option<String>,
    /// `filter[organization_name][contains]`.
    pub organization_contains: Option<String>,
    /// `filter[organization_name][eq]`.
    pub organization_eq: Option<String>,
    /// `filter[status][eq]`.
    pub status_eq: Option<String>,
    /// `sort`: a field name, `-` in front for descending.
    pub sort: Option<String>,
    /// `include_cancelled_accounts`.
    pub include_cancelled: bool,
    /// `page[number]`, from 1.
    pub page_number: i64,
    /// `page[size]`.
    pub page_size: i64,
}

/// All accounts of one manager.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// The manager.
    pub manager: Manager,
    /// Accounts in creation order.
    pub accounts: Vec<Account>,
    /// Counter used for generated emails.
    created: u64,
}

/// RFC 3339 time with milliseconds, as the API writes it.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// A random token of hex digits (uuid v4 without dashes).
fn random_hex() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Store {
    /// An empty store for `manager`.
    pub fn new(manager: Manager) -> Self {
        Self {
            manager,
            accounts: Vec::new(),
            created: 0,
        }
    }

    fn find_mut(&mut self, id: &str) -> Result<&mut Account, Refusal> {
        self.accounts
            .iter_mut()
            .find(|a| a.account.id == id)
            .ok_or(Refusal::NotFound)
    }

    /// Looks an account up by id.
    pub fn get(&self, id: &str) -> Result<&Account, Refusal> {
        self.accounts
            .iter()
            .find(|a| a.account.id == id)
            .ok_or(Refusal::NotFound)
    }

    /// Creates an account (the body was validated against the schema).
    pub fn create(&mut self, request: CreateManagedAccountRequest) -> Result<&Account, Refusal> {
        self.created += 1;
        let email = match request.email {
            Some(email) => email,
            None => {
                // "Generated based on the email address of the manager account."
                let (local, domain) = self
                    .manager
                    .email
                    .split_once('@')
                    .unwrap_or(("manager", "example.com"));
                format!("{local}+managed{}@{domain}", self.created)
            }
        };
        let rollup = request.rollup_billing.unwrap_or(false);
        let now = now_rfc3339();
        let account = ManagedAccount {
            record_type: ManagedAccountRecordType::ManagedAccount,
            id: uuid::Uuid::new_v4().to_string(),
            email,
            api_key: format!("KEY{}_{}", random_hex().to_uppercase(), random_hex()),
            api_user: self.manager.email.clone(),
            api_token: random_hex(),
            organization_name: Some(request.business_name),
            manager_account_id: self.manager.id.clone(),
            // A roll-up account uses the manager's balance and has none.
            balance: (!rollup).then(|| ManagedAccountBalance {
                record_type: Some(ManagedAccountBalanceRecordType::Balance),
                balance: Some("0.00".to_owned()),
                credit_limit: Some("0.00".to_owned()),
                available_credit: Some("0.00".to_owned()),
                currency: Some("USD".to_owned()),
            }),
            created_at: now.clone(),
            updated_at: now,
            managed_account_allow_custom_pricing: Some(
                request
                    .managed_account_allow_custom_pricing
                    .unwrap_or(false),
            ),
            rollup_billing: Some(rollup),
        };
        self.accounts.push(Account {
            account,
            status: AccountStatus::Enabled,
            channel_limit: 0,
        });
        Ok(self.accounts.last().expect("just pushed"))
    }

    /// Applies an update.
    pub fn update(
        &mut self,
        id: &str,
        allow_custom_pricing: Option<bool>,
    ) -> Result<&Account, Refusal> {
        let account = self.find_mut(id)?;
        if let Some(value) = allow_custom_pricing {
            account.account.managed_account_allow_custom_pricing = Some(value);
        }
        account.account.updated_at = now_rfc3339();
        Ok(account)
    }

    /// Disables (`enabled == false`) or enables an account.
    pub fn set_enabled(&mut self, id: &str, enabled: bool) -> Result<&Account, Refusal> {
        let account = self.find_mut(id)?;
        match account.status {
            AccountStatus::Cancelled | AccountStatus::Blocked => {
                return Err(Refusal::Unprocessable {
                    detail: format!(
                        "the account is {} and cannot be {}",
                        status_word(account.status),
                        if enabled { "enabled" } else { "disabled" }
                    ),
                    pointer: None,
                });
            }
            AccountStatus::Enabled | AccountStatus::Disabled => {}
        }
        account.status = if enabled {
            AccountStatus::Enabled
        } else {
            AccountStatus::Disabled
        };
        account.account.updated_at = now_rfc3339();
        Ok(account)
    }

    /// The manager's channel totals.
    pub fn channels(&self) -> ManagedAccountsGlobalOutboundChannels {
        ManagedAccountsGlobalOutboundChannels {
            allocatable_global_outbound_channels: Some(
                self.manager.allocatable_global_outbound_channels,
            ),
            managed_account_allow_custom_pricing: Some(
                self.manager.managed_account_allow_custom_pricing,
            ),
            record_type: Some("allocatable_global_outbound_channels".to_owned()),
            total_global_channels_allocated: Some(
                self.accounts.iter().map(|a| a.channel_limit).sum(),
            ),
        }
    }

    /// Sets an account's channel limit, within what the manager may allocate.
    pub fn set_channel_limit(
        &mut self,
        id: &str,
        limit: i32,
    ) -> Result<SingleManagedAccountGlobalOutboundChannels, Refusal> {
        let limit_total = i64::from(limit);
        let others: i64 = self
            .accounts
            .iter()
            .filter(|a| a.account.id != id)
            .map(|a| a.channel_limit)
            .sum();
        let allocatable = self.manager.allocatable_global_outbound_channels;
        let account = self.find_mut(id)?;
        if limit < 0 || others.saturating_add(limit_total) > allocatable {
            return Err(Refusal::Unprocessable {
                detail: format!(
                    "channel_limit {limit} is more than the {} channels left to allocate",
                    allocatable.saturating_sub(others).max(0)
                ),
                pointer: Some("/channel_limit".to_owned()),
            });
        }
        account.channel_limit = limit_total;
        account.account.updated_at = now_rfc3339();
        Ok(SingleManagedAccountGlobalOutboundChannels {
            channel_limit: Some(limit),
            email: Some(account.account.email.clone()),
            id: Some(account.account.id.clone()),
            manager_account_id: Some(account.account.manager_account_id.clone()),
            record_type: Some("managed_account_global_outbound_settings".to_owned()),
        })
    }

    /// One page of the list, and its metadata.
    pub fn list(&self, query: &ListQuery) -> (Vec<ManagedAccountMultiListing>, PaginationMeta) {
        let contains =
            |haystack: &str, needle: &str| haystack.to_lowercase().contains(&needle.to_lowercase());
        let mut matching: Vec<&Account> = self
            .accounts
            .iter()
            .filter(|a| {
                let email = &a.account.email;
                let org = a.account.organization_name.as_deref().unwrap_or("");
                query
                    .email_contains
                    .as_deref()
                    .is_none_or(|n| contains(email, n))
                    && query.email_eq.as_deref().is_none_or(|v| email == v)
                    && query
                        .organization_contains
                        .as_deref()
                        .is_none_or(|n| contains(org, n))
                    && query.organization_eq.as_deref().is_none_or(|v| org == v)
                    && status_matches(
                        a.status,
                        query.status_eq.as_deref(),
                        query.include_cancelled,
                    )
            })
            .collect();
        let (descending, field) = match query.sort.as_deref() {
            Some(sort) => match sort.strip_prefix('-') {
                Some(field) => (true, field),
                None => (false, sort),
            },
            None => (false, "created_at"),
        };
        // Creation order breaks ties (timestamps can be equal to the millisecond).
        match field {
            "email" => matching.sort_by(|a, b| a.account.email.cmp(&b.account.email)),
            _ => matching.sort_by(|a, b| a.account.created_at.cmp(&b.account.created_at)),
        }
        if descending {
            matching.reverse();
        }
        let size = query.page_size.max(1);
        let number = query.page_number.max(1);
        let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
        let skip = usize::try_from((number - 1).saturating_mul(size)).unwrap_or(usize::MAX);
        let take = usize::try_from(size).unwrap_or(usize::MAX);
        let page = matching
            .into_iter()
            .skip(skip)
            .take(take)
            .map(|a| listing(&a.account))
            .collect();
        let meta = PaginationMeta {
            page_number: Some(number),
            page_size: Some(size),
            total_pages: Some((total + size - 1) / size),
            total_results: Some(total),
        };
        (page, meta)
    }
}

fn status_word(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Enabled => "enabled",
        AccountStatus::Disabled => "disabled",
        AccountStatus::Cancelled => "cancelled",
        AccountStatus::Blocked => "blocked",
    }
}

/// `filter[status][eq]`: `all` is every account (cancelled ones too),
/// `active` every account not cancelled, the others their own status.
/// Without it, cancelled accounts show only with `include_cancelled_accounts`.
fn status_matches(status: AccountStatus, wanted: Option<&str>, include_cancelled: bool) -> bool {
    match wanted {
        Some("all") => true,
        Some("active") => status != AccountStatus::Cancelled,
        Some(other) => status_word(status) == other,
        None => include_cancelled || status != AccountStatus::Cancelled,
    }
}

/// The list view of an account (no keys, tokens or balance).
fn listing(account: &ManagedAccount) -> ManagedAccountMultiListing {
    ManagedAccountMultiListing {
        record_type: ManagedAccountMultiListingRecordType::ManagedAccount,
        id: account.id.clone(),
        email: account.email.clone(),
        api_user: account.api_user.clone(),
        organization_name: account.organization_name.clone(),
        manager_account_id: account.manager_account_id.clone(),
        created_at: account.created_at.clone(),
        updated_at: account.updated_at.clone(),
        managed_account_allow_custom_pricing: account.managed_account_allow_custom_pricing,
        rollup_billing: account.rollup_billing,
    }
}
