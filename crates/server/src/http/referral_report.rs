//! The admin's referral report: referred signups, referred orders and
//! their revenue, rewards paid (net of reversals), top referrers, refusals
//! by reason. `GET /admin/referrals.json` and `/admin/export/referrals.csv`
//! (one row per referral), behind the admin token; the console's
//! Referrals page (`console/referrals.rs`) shows the same figures and
//! serves the same CSV to owners.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rewards_core::json::{int, obj, s, Json};
use rewards_core::time::format_instant;

use crate::error::ApiResult;
use crate::http::error::json_status;
use crate::storage::db::Conn;
use crate::storage::referrals;
use crate::App;

pub fn router() -> Router<App> {
    Router::new().route("/admin/referrals.json", get(report)).route("/admin/export/referrals.csv", get(csv))
}

use crate::storage::referrals::Report;

/// The report's figures (the JSON's and the console's Referrals page's).
pub async fn figures(conn: &mut Conn) -> crate::storage::Result<Report> {
    referrals::report(conn).await
}

async fn report(State(app): State<App>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(r) = crate::http::admin::deny(&app, &headers) {
        return Ok(r);
    }
    let f = figures(&mut *app.db.read().await?).await?;
    let top = f.top.iter().map(|(id, code, n, points)| {
        obj(vec![("shopper_id", s(&**id)), ("code", s(&**code)), ("friends", int(*n)), ("points_credited", int(*points))])
    });
    let out = obj(vec![
        ("currency", s(app.program().currency().code())),
        ("referred_signups", int(f.signups)),
        ("referred_orders", int(f.orders)),
        ("referred_revenue", int(f.revenue)),
        (
            "rewards_paid",
            obj(vec![
                ("referrer_points", int(f.referrer_points)),
                ("friend_points", int(f.friend_points)),
                ("friend_vouchers", int(f.friend_vouchers)),
            ]),
        ),
        ("top_referrers", Json::Array(top.collect())),
        ("refusals", Json::Object(f.refusals.iter().map(|(k, n)| (k.clone().into(), int(*n))).collect())),
    ]);
    Ok(json_status(axum::http::StatusCode::OK, &out))
}

/// A CSV cell: quoted, quotes doubled; a leading `=+-@` is prefixed with `'`
/// so a spreadsheet never reads it as a formula.
fn cell(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@']) { format!("'{v}") } else { v.to_string() };
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// The export: one row per referral (a byte order mark first, as the
/// other exports: Excel then reads UTF-8).
pub async fn csv_text(conn: &mut Conn) -> crate::storage::Result<String> {
    let mut out =
        String::from("\u{feff}referred_at,friend_id,referrer_id,code,source,first_order,referrer_points,friend_points,spendable_at\n");
    for r in referrals::export(conn).await? {
        let opt_int = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let fields = [
            format_instant(r.at),
            r.friend_id,
            r.referrer_id,
            r.code,
            r.source,
            r.order_id.unwrap_or_default(),
            opt_int(r.referrer_points),
            opt_int(r.friend_points),
            r.available_at.map(format_instant).unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    Ok(out)
}

/// `text` as the `referrals.csv` download.
pub fn attachment(text: String) -> Response {
    let disposition = "attachment; filename=\"referrals.csv\"";
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn csv(State(app): State<App>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(r) = crate::http::admin::deny(&app, &headers) {
        return Ok(r);
    }
    Ok(attachment(csv_text(&mut *app.db.read().await?).await?))
}
