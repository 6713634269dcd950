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
use sqlx::Row;

use crate::error::ApiResult;
use crate::http::error::json_status;
use crate::App;

pub fn router() -> Router<App> {
    Router::new().route("/admin/referrals.json", get(report)).route("/admin/export/referrals.csv", get(csv))
}

async fn one(conn: &mut sqlx::AnyConnection, sql: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(sql).fetch_one(conn).await?.try_get(0)
}

/// Orders of referred friends at or after their referral, net of refunds.
const REFERRED_ORDERS: &str = "FROM orders o JOIN referrals r ON r.friend_id = o.shopper_id AND o.at >= r.at";
const NET: &str = "o.subtotal - COALESCE((SELECT MAX(f.refunded_total) FROM refunds f WHERE f.order_id = o.order_id), 0)";

/// The report's figures (the JSON's and the console's Referrals page's).
pub struct Report {
    pub signups: i64,
    pub orders: i64,
    /// Minor units, net of refunds.
    pub revenue: i64,
    pub referrer_points: i64,
    pub friend_points: i64,
    pub friend_vouchers: i64,
    /// The ten referrers with the most friends: (shopper id, code, friends, points credited).
    pub top: Vec<(String, String, i64, i64)>,
    /// (reason, count), by reason.
    pub refusals: Vec<(String, i64)>,
}

pub async fn figures(conn: &mut sqlx::AnyConnection) -> Result<Report, sqlx::Error> {
    let signups = one(conn, "SELECT COUNT(*) FROM referrals").await?;
    let orders = one(conn, &format!("SELECT COUNT(*) {REFERRED_ORDERS}")).await?;
    let revenue = one(conn, &format!("SELECT COALESCE(CAST(SUM({NET}) AS BIGINT), 0) {REFERRED_ORDERS}")).await?;
    let paid = |kind: &str| {
        format!("SELECT COALESCE(CAST(SUM(delta) AS BIGINT), 0) FROM ledger WHERE detail LIKE '%\"kind\":\"{kind}\"%' AND cause IN ('action', 'refund')")
    };
    let referrer_points = one(conn, &paid("referral_referrer")).await?;
    let friend_points = one(conn, &paid("referral_friend")).await?;
    let friend_vouchers = one(conn, "SELECT COUNT(*) FROM vouchers WHERE source = 'referral'").await?;
    let mut top = Vec::new();
    for r in sqlx::query(
        "SELECT r.referrer_id, c.code, COUNT(*) AS n, COALESCE(CAST(SUM(w.referrer_points) AS BIGINT), 0)
         FROM referrals r JOIN referral_codes c ON c.shopper_id = r.referrer_id
         LEFT JOIN referral_rewards w ON w.friend_id = r.friend_id
         GROUP BY r.referrer_id, c.code ORDER BY n DESC, r.referrer_id LIMIT 10",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        top.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    }
    let mut refusals = Vec::new();
    for r in sqlx::query("SELECT reason, COUNT(*) FROM referral_refusals GROUP BY reason ORDER BY reason").fetch_all(&mut *conn).await? {
        refusals.push((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?));
    }
    Ok(Report { signups, orders, revenue, referrer_points, friend_points, friend_vouchers, top, refusals })
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
pub async fn csv_text(conn: &mut sqlx::AnyConnection) -> Result<String, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.at, r.friend_id, r.referrer_id, r.code, r.source, w.order_id, w.referrer_points, w.friend_points, w.available_at
         FROM referrals r LEFT JOIN referral_rewards w ON w.friend_id = r.friend_id ORDER BY r.at, r.friend_id",
    )
    .fetch_all(conn)
    .await?;
    let mut out =
        String::from("\u{feff}referred_at,friend_id,referrer_id,code,source,first_order,referrer_points,friend_points,spendable_at\n");
    for r in rows {
        let opt_int = |i: usize| r.try_get::<Option<i64>, _>(i).map(|v| v.map(|n| n.to_string()).unwrap_or_default());
        let fields = [
            format_instant(r.try_get(0)?),
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
            opt_int(6)?,
            opt_int(7)?,
            r.try_get::<Option<i64>, _>(8)?.map(format_instant).unwrap_or_default(),
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
