//! `GET /api/shopper/activity` (token): the token's shopper's own ledger,
//! newest first, in pages, each entry in plain words in their language
//! (`crate::http::describe::for_shopper`), with when pending points become
//! spendable and which points expire when.
//!
//! Query: `before` (an entry id from the previous page's `next_before`),
//! `limit` (1–50, default 20), `lang` (`vi` or `en`; default the shopper's
//! signup language, then the store's).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::format_instant;

use crate::error::{ApiError, ApiResult};
use crate::http::error::json_status;
use crate::http::extract::require_subject;
use crate::services::lifecycle::current_state;
use crate::storage::entries;
use crate::App;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    before: Option<i64>,
    limit: Option<i64>,
    lang: Option<String>,
}

pub async fn handle(State(app): State<App>, headers: HeaderMap, Query(q): Query<Page>) -> ApiResult<Response> {
    let subject = require_subject(&app, &headers)?;
    let limit = q.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 50"));
    }
    let now = app.clock.now();
    let Some(state) = current_state(&app, &subject, now).await? else {
        return Ok(json_status(
            StatusCode::OK,
            &obj(vec![("entries", Json::Array(vec![])), ("next_before", Json::Null), ("expiring", Json::Null)]),
        ));
    };
    let program = app.program();
    let lang = q.lang.or_else(|| state.row.locale.clone()).unwrap_or_else(|| program.store.default_locale.clone());
    let lang = if lang.starts_with("vi") { "vi" } else { "en" };
    let mut conn = app.db.read().await?;
    let rows = entries::page(&mut conn, &state.row.id, q.before.unwrap_or(i64::MAX), limit + 1).await?;
    // One row more than the page says whether there is a next page; it starts below the page's last id.
    let more = rows.len() as i64 > limit;
    let mut entries = Vec::new();
    let mut last = 0;
    for r in rows.iter().take(limit as usize) {
        let (id, at, available_at, delta) = (r.id, r.at, r.available_at, r.delta);
        let (cause, reference, detail) = (&r.cause, &r.reference, &r.detail);
        last = id;
        entries.push(obj(vec![
            ("id", int(id)),
            ("at", s(format_instant(at))),
            ("delta", int(delta)),
            ("cause", s(&**cause)),
            ("text", s(crate::http::describe::for_shopper(lang, cause, reference, delta, detail))),
            // Only credits become spendable: a refund of pending points takes them back at once.
            ("spendable_at", if available_at > now && delta > 0 { s(format_instant(available_at)) } else { Json::Null }),
        ]));
    }
    let next = if more { int(last) } else { Json::Null };
    let sh = &state.shopper;
    let expiring = match sh.last_activity.and_then(|t| rewards_core::lifecycle::expires_at(program, t)) {
        Some(at) if sh.balance > 0 => obj(vec![("points", int(sh.balance)), ("at", s(format_instant(at)))]),
        _ => Json::Null,
    };
    let out = obj(vec![
        ("lang", s(lang)),
        ("entries", Json::Array(entries)),
        ("next_before", next),
        ("pending", int(sh.pending)),
        ("expiring", expiring),
    ]);
    Ok(json_status(StatusCode::OK, &out))
}
