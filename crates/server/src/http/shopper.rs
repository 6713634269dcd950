//! The browser's read endpoints: the published program, the shopper's
//! state, and the preview fallback (any engine operation).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rewards_core::json::{int, obj, s, Json};
use serde_json::value::RawValue;

use crate::body::{decode, Raw};
use crate::error::{ApiError, ApiResult};
use crate::http::error::{json_body, json_status};
use crate::http::extract::{require_subject, token_subject, RawBody};
use crate::services::lifecycle::current_state;
use crate::services::{birthday, referral, vouchers};
use crate::storage::ledger;
use crate::App;

pub async fn program(State(app): State<App>, headers: HeaderMap) -> Response {
    let etag = format!("\"{}\"", app.program.version);
    let cache = [(header::CACHE_CONTROL, "public, max-age=60"), (header::ETAG, etag.as_str())];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], app.program.published.clone()).into_response()
}

/// `GET /api/shopper`: the core's Shopper JSON plus `shopper_id`, `email`,
/// `signed_up`, `vouchers`, `store_credit`, `store_credit_pending` and
/// `referral_code` (a member's, when the program refers friends) and
/// `birthday_gift` (strip those eight before handing it to the engine).
pub async fn shopper_state(State(app): State<App>, headers: HeaderMap) -> ApiResult<Response> {
    let subject = require_subject(&app, &headers)?;
    let now = app.clock.now();
    let Some(state) = current_state(&app, &subject, now).await? else {
        let empty = obj(vec![
            ("member", Json::Bool(false)),
            ("balance", int(0)),
            ("pending", int(0)),
            ("lifetime_orders", int(0)),
            ("shopper_id", Json::Null),
            ("email", Json::Null),
            ("signed_up", Json::Bool(false)),
            ("vouchers", Json::Array(vec![])),
            ("store_credit", int(0)),
            ("store_credit_pending", int(0)),
            ("referral_code", Json::Null),
            ("birthday_gift", Json::Null),
        ]);
        return Ok(json_status(StatusCode::OK, &empty));
    };
    let mut conn = app.db.read().await?;
    let list = vouchers::of_shopper(&mut conn, &state.row.id).await?;
    let (credit, credit_pending) = ledger::store_credit(&mut conn, &state.row.id, now).await?;
    let referral_code = match (&app.program().referral, state.row.signed_up_at) {
        (Some(_), Some(_)) => Some(referral::code_for_member(&app, &state.row.id, now).await?),
        _ => None,
    };
    let v = Json::Array(list.iter().map(|v| v.to_json(app.program())).collect());
    let Json::Object(mut fields) = state.core_json() else { unreachable!("core_json builds an object") };
    fields.push(("shopper_id".into(), s(&*state.row.id)));
    fields.push(("email".into(), state.row.email.as_deref().map_or(Json::Null, s)));
    fields.push(("signed_up".into(), Json::Bool(state.row.signed_up_at.is_some())));
    fields.push(("vouchers".into(), v));
    fields.push(("store_credit".into(), int(credit)));
    fields.push(("store_credit_pending".into(), int(credit_pending)));
    fields.push(("referral_code".into(), referral_code.map_or(Json::Null, s)));
    fields.push(("birthday_gift".into(), birthday::gift(&mut conn, app.program(), &state.row.id, now).await?));
    Ok(json_status(StatusCode::OK, &Json::Object(fields)))
}

/// `POST /api/engine/{op}`: the preview fallback, any operation of the
/// core's op table (`rewards_core::Op`). Body `{"shopper"?, "input"?}`; the
/// response body is byte for byte what the wasm `Engine::run` returns for
/// the same input at the server's `now`.
pub async fn engine_op(State(app): State<App>, Path(op): Path<String>, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    let body: EngineBody = if body.iter().all(u8::is_ascii_whitespace) { EngineBody::default() } else { decode(&body)? };
    let Some(op) = rewards_core::Op::from_name(&op) else {
        return Err(ApiError::not_found(format!("unknown engine operation \"{op}\"")));
    };
    let now = app.clock.now();
    let shopper = match token_subject(&app, &headers)? {
        Some(subject) => current_state(&app, &subject, now).await?.map(|st| st.core_json().to_text()).unwrap_or_default(),
        None => text(&body.shopper)?,
    };
    let result = app.engine().run(op, &shopper, &text(&body.input)?, now);
    let status = if result.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, json_body(rewards_core::respond(result))).into_response())
}

/// `POST /api/engine/{op}`'s body: each member is handed to the engine as
/// the exact JSON text received — a string member *is* that text (as the
/// wasm binding takes it, so malformed input can be sent too); absent or
/// `null` is "no value" (the wasm binding's `""`). An empty body is `{}`.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineBody {
    shopper: Option<Raw>,
    input: Option<Raw>,
}

/// A member's text for the engine, `""` when absent.
fn text(v: &Option<Raw>) -> ApiResult<String> {
    let Some(raw) = v.as_deref().map(RawValue::get) else { return Ok(String::new()) };
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).map_err(|e| ApiError::invalid("", e.to_string()));
    }
    Ok(raw.to_string())
}
