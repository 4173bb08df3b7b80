//! Behaviour of the Telnyx managed-accounts API, on top of the engine.
//!
//! Keyed by operationId: list filters and sorting, status transitions
//! (disable, enable), global outbound channel limits, seeding (see
//! [`seed`]) and users who are not managers (403 on the allocatable
//! channels). The state lives in [`store`], on the generated crate's
//! types. Registered only for documents that have these operations.

// A refused request is answered with the response built where the refusal
// is found, so `Result<_, Response>` is this module's error path.
#![allow(clippy::result_large_err)]

pub mod seed;
pub mod store;

use crate::engine::behaviour::{Behaviour, RequestContext};
use crate::engine::refuse::Problem;
use crate::engine::reply::{self, ErrorItem, Source};
use axum::http::StatusCode;
use axum::response::Response;
use generator::ir::Api;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard};
use store::{ListQuery, Refusal, Store};
use telnyx_managed_accounts::types as t;

/// Managed accounts kept in a [`Store`].
#[derive(Debug)]
pub struct ManagedAccounts {
    store: Mutex<Store>,
    non_manager_tokens: BTreeSet<String>,
}

/// `{"data": …}`, the envelope of every success body here.
#[derive(Serialize)]
struct Data<T> {
    data: T,
}

impl ManagedAccounts {
    /// The behaviour for `api`, when it has the managed-account
    /// operations (the create and the retrieve at least), starting from
    /// `seeded` (an empty store when `None`).
    pub fn for_api(api: &Api, seeded: Option<seed::Seeded>) -> Option<Self> {
        let has = |id: &str| api.operations.iter().any(|op| op.id == id);
        if !has("CreateManagedAccount") || !has("RetrieveManagedAccount") {
            return None;
        }
        let (store, tokens) = match seeded {
            Some(seeded) => (seeded.store, seeded.non_manager_tokens),
            None => (Store::new(store::Manager::default()), Vec::new()),
        };
        Some(Self {
            store: Mutex::new(store),
            non_manager_tokens: tokens.into_iter().collect(),
        })
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic elsewhere cannot leave the store half-written (every
        // change is a single assignment), so a poisoned lock is still usable.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Behaviour for ManagedAccounts {
    fn handle(&self, ctx: &RequestContext<'_>) -> Option<Response> {
        let result = match ctx.operation.id.as_str() {
            "ListManagedAccounts" => Ok(self.list(ctx)),
            "CreateManagedAccount" => self.create(ctx),
            "ListAllocatableGlobalOutboundChannels" => Ok(self.channels(ctx)),
            "RetrieveManagedAccount" => self.retrieve(ctx),
            "UpdateManagedAccount" => self.update(ctx),
            "DisableManagedAccount" => self.set_enabled(ctx, false),
            "EnableManagedAccount" => self.set_enabled(ctx, true),
            "UpdateManagedAccountGlobalChannelLimit" => self.set_channel_limit(ctx),
            _ => return None,
        };
        Some(result.unwrap_or_else(|response| response))
    }
}

/// Reads a decoded list query into the store's terms.
fn list_query(ctx: &RequestContext<'_>) -> ListQuery {
    let text = |value: Option<&Value>, path: &[&str]| {
        let mut value = value?;
        for key in path {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_owned)
    };
    let filter = ctx.query_param("filter");
    let page = ctx.query_param("page");
    let number = |key: &str, default: i64| {
        page.and_then(|p| p.get(key))
            .and_then(Value::as_i64)
            .unwrap_or(default)
    };
    ListQuery {
        email_contains: text(filter, &["email", "contains"]),
        email_eq: text(filter, &["email", "eq"]),
        organization_contains: text(filter, &["organization_name", "contains"]),
        organization_eq: text(filter, &["organization_name", "eq"]),
        status_eq: text(filter, &["status", "eq"]),
        sort: ctx
            .query_param("sort")
            .and_then(Value::as_str)
            .map(str::to_owned),
        include_cancelled: ctx
            .query_param("include_cancelled_accounts")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        page_number: number("number", 1),
        page_size: number("size", 20),
    }
}

fn refusal(ctx: &RequestContext<'_>, refusal: Refusal) -> Response {
    match refusal {
        Refusal::NotFound => ctx.refuse(Problem::new(
            StatusCode::NOT_FOUND,
            ErrorItem::new("not_found", "Not found", "no managed account with that id"),
        )),
        Refusal::Unprocessable { detail, pointer } => {
            let mut item = ErrorItem::new("unprocessable", "Unprocessable entity", detail);
            if let Some(pointer) = pointer {
                item = item.at(Source::Pointer(pointer));
            }
            ctx.refuse(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, item))
        }
    }
}

/// Parses a validated body into a generated type. Validation ran first, so
/// a failure here means the schema and the type disagree: reported as 422
/// with the path, never a panic.
fn parse<T: serde::de::DeserializeOwned>(ctx: &RequestContext<'_>) -> Result<T, Response> {
    let value = ctx
        .body
        .cloned()
        .unwrap_or(Value::Object(Default::default()));
    serde_path_to_error::deserialize(value).map_err(|err| {
        let pointer = path_to_pointer(&err.path().to_string());
        ctx.refuse(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorItem::new("invalid_value", "Invalid value", err.inner().to_string())
                .at(Source::Pointer(pointer)),
        ))
    })
}

/// 200 with `{"data": account}`.
fn account(account: &store::Account) -> Response {
    reply::json(
        StatusCode::OK,
        &Data {
            data: &account.account,
        },
    )
}

impl ManagedAccounts {
    fn list(&self, ctx: &RequestContext<'_>) -> Response {
        let (data, meta) = self.store().list(&list_query(ctx));
        reply::json(
            StatusCode::OK,
            &t::ListManagedAccountsResponse {
                data: Some(data),
                meta: Some(meta),
            },
        )
    }

    fn create(&self, ctx: &RequestContext<'_>) -> Result<Response, Response> {
        let request: t::CreateManagedAccountRequest = parse(ctx)?;
        let mut store = self.store();
        Ok(account(store.create(request).map_err(|r| refusal(ctx, r))?))
    }

    /// The manager's channel totals; 403 (where documented) for a user
    /// who is not a manager.
    fn channels(&self, ctx: &RequestContext<'_>) -> Response {
        let is_manager = ctx
            .credential
            .is_none_or(|token| !self.non_manager_tokens.contains(token));
        if !is_manager && ctx.documents(403) {
            return reply::empty(StatusCode::FORBIDDEN);
        }
        reply::json(
            StatusCode::OK,
            &Data {
                data: self.store().channels(),
            },
        )
    }

    fn retrieve(&self, ctx: &RequestContext<'_>) -> Result<Response, Response> {
        let store = self.store();
        Ok(account(
            store
                .get(ctx.first_path_param())
                .map_err(|r| refusal(ctx, r))?,
        ))
    }

    fn update(&self, ctx: &RequestContext<'_>) -> Result<Response, Response> {
        let request: t::UpdateManagedAccountRequest = parse(ctx)?;
        let mut store = self.store();
        let updated = store
            .update(
                ctx.first_path_param(),
                request.managed_account_allow_custom_pricing,
            )
            .map_err(|r| refusal(ctx, r))?;
        Ok(account(updated))
    }

    fn set_enabled(&self, ctx: &RequestContext<'_>, enable: bool) -> Result<Response, Response> {
        let mut store = self.store();
        let changed = store
            .set_enabled(ctx.first_path_param(), enable)
            .map_err(|r| refusal(ctx, r))?;
        Ok(account(changed))
    }

    fn set_channel_limit(&self, ctx: &RequestContext<'_>) -> Result<Response, Response> {
        let request: t::UpdateManagedAccountGlobalChannelLimitRequest = parse(ctx)?;
        let limit = request.channel_limit.unwrap_or(0);
        let settings = self
            .store()
            .set_channel_limit(ctx.first_path_param(), limit)
            .map_err(|r| refusal(ctx, r))?;
        Ok(reply::json(StatusCode::OK, &Data { data: settings }))
    }
}

/// serde_path_to_error's `a.b[0]` path → the JSON pointer `/a/b/0`.
fn path_to_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut pointer = String::new();
    for part in path.split('.') {
        let mut rest = part;
        let name_end = rest.find('[').unwrap_or(rest.len());
        if name_end > 0 {
            pointer.push('/');
            pointer.push_str(&generator::pointer::escape_token(&rest[..name_end]));
        }
        rest = &rest[name_end..];
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else { break };
            pointer.push('/');
            pointer.push_str(&inner[..close]);
            rest = &inner[close + 1..];
        }
    }
    pointer
}
