//! Admin: the KPI page (`/admin`), its numbers as JSON (`/admin/kpis.json`)
//! and CSV exports (`/admin/export/signups.csv`, `/admin/export/ledger.csv`).
//! Auth: the admin token as `Authorization: Bearer …` or as the password
//! of HTTP Basic auth (any user name), compared in constant time.

use std::collections::HashSet;
use std::fmt::Write;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use rewards_core::json::{int, obj, s};
use rewards_core::time::{format_instant, parse_instant, DAY_MS};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{ApiError, ApiResult};
use crate::http::svg::{bars, escape, Series};
use crate::services::kpi::{self, Inputs, OrderFact, Q};
use crate::storage::{entries, kpi as facts, shoppers};
use crate::App;

pub fn router() -> Router<App> {
    Router::new()
        .route("/admin", get(page))
        .route("/admin/kpis.json", get(kpis_json))
        .route("/admin/export/signups.csv", get(signups_csv))
        .route("/admin/export/ledger.csv", get(ledger_csv))
}

/// `Some(401 response)` unless the request carries the admin token.
pub(crate) fn deny(app: &App, headers: &HeaderMap) -> Option<Response> {
    let presented = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
        if let Some(t) = v.strip_prefix("Bearer ") {
            Some(t.trim().to_string())
        } else {
            let raw = base64::engine::general_purpose::STANDARD.decode(v.strip_prefix("Basic ")?.trim()).ok()?;
            String::from_utf8(raw).ok()?.split_once(':').map(|(_, p)| p.to_string())
        }
    });
    // Hashing first makes the comparison independent of the token length.
    let ok = presented.is_some_and(|p| {
        let a = Sha256::digest(p.as_bytes());
        let b = Sha256::digest(app.settings.admin_token.as_bytes());
        bool::from(a.ct_eq(&b))
    });
    if ok {
        return None;
    }
    let mut r = ApiError::unauthorized("admin token required (Authorization: Bearer <token>, or Basic auth with the token as password)")
        .into_response();
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"rewards admin\""));
    Some(r)
}

#[derive(serde::Deserialize, Default)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
    active_days: Option<i64>,
}

/// `[from, to)` in ms: `to` is the day after the last day shown.
fn period(app: &App, q: &Period) -> ApiResult<(i64, i64, i64)> {
    let today = app.clock.now().div_euclid(DAY_MS) * DAY_MS;
    let day = |v: &Option<String>, key: &str, default: i64| match v.as_deref() {
        None | Some("") => Ok(default),
        Some(t) => parse_instant(t).filter(|_| t.len() == 10).ok_or_else(|| ApiError::invalid(key, "must be a date YYYY-MM-DD")),
    };
    let to = day(&q.to, "to", today)? + DAY_MS;
    let from = day(&q.from, "from", to - 30 * DAY_MS)?;
    if from >= to || to - from > 3660 * DAY_MS {
        return Err(ApiError::invalid("from", "must be before to, at most ten years apart"));
    }
    let active = q.active_days.unwrap_or(60);
    if !(1..=3650).contains(&active) {
        return Err(ApiError::invalid("active_days", "must be between 1 and 3650"));
    }
    Ok((from, to, active * DAY_MS))
}

struct Loaded {
    inputs: Inputs,
    report: kpi::Report,
    signups: Vec<i64>,
    labels: Vec<String>,
    order_counts: Vec<i64>,
    issued: Vec<i64>,
    redeemed: Vec<i64>,
}

async fn load(app: &App, q: &Period) -> ApiResult<Loaded> {
    let (from, to, active_ms) = period(app, q)?;
    let mut conn = app.db.read().await?;
    let orders =
        facts::customer_orders(&mut conn, to).await?.into_iter().map(|(shopper, at, net)| OrderFact { shopper, at, net }).collect();
    let members: HashSet<String> = facts::signed_up_before(&mut conn, to).await?.into_keys().collect();
    let inputs = Inputs {
        from,
        to,
        active_ms,
        orders,
        members,
        points_issued: facts::points_sum(&mut conn, &["order", "action"], from, to).await?,
        points_redeemed: -facts::points_sum(&mut conn, &["redemption"], from, to).await?,
    };
    let report = kpi::compute(&inputs);
    // Daily buckets for up to ~3 months, weekly beyond.
    let bucket = if to - from > 92 * DAY_MS { 7 * DAY_MS } else { DAY_MS };
    let n = ((to - from + bucket - 1) / bucket) as usize;
    let idx = |t: i64| ((t - from) / bucket) as usize;
    let labels = (0..n).map(|i| format_instant(from + i as i64 * bucket)[..10].to_string()).collect();
    let mut signups = vec![0; n];
    for at in facts::signups_between(&mut conn, from, to).await? {
        signups[idx(at)] += 1;
    }
    let mut order_counts = vec![0; n];
    for o in inputs.orders.iter().filter(|o| o.at >= from) {
        order_counts[idx(o.at)] += 1;
    }
    let (mut issued, mut redeemed) = (vec![0; n], vec![0; n]);
    for (at, delta, cause) in facts::points_between(&mut conn, from, to).await? {
        if cause == "redemption" {
            redeemed[idx(at)] -= delta;
        } else {
            issued[idx(at)] += delta;
        }
    }
    Ok(Loaded { inputs, report, signups, labels, order_counts, issued, redeemed })
}

/// Minor units as major units with the currency's exponent: 1234567 VND → "1,234,567 VND".
fn money(q: Q, exponent: u8, code: &str) -> String {
    if !q.defined() {
        return "n/a".into();
    }
    let text = q.fixed(exponent as u32);
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(a, b)| (a, Some(b)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f} {code}"),
        None => format!("{sign}{grouped} {code}"),
    }
}

fn rows(app: &App, l: &Loaded) -> Vec<(&'static str, String, &'static str, String)> {
    let r = &l.report;
    let c = app.program().currency();
    let m = |v: Q| money(v, c.exponent, c.code());
    let days = (l.inputs.to - l.inputs.from) / DAY_MS;
    vec![
        (
            "Customer retention rate",
            format!("{} %", r.crr.percent()),
            "CRR = (E − N) / S × 100",
            format!("S = {}, E = {}, N = {}", r.s, r.e, r.n),
        ),
        ("Churn rate", format!("{} %", r.churn.percent()), "lost / S × 100", format!("lost = {}, S = {}", r.lost, r.s)),
        (
            "Average order value",
            m(r.aov),
            "AOV = revenue / orders",
            format!("revenue = {}, orders = {}", m(Q::new(r.revenue as i128, 1)), r.orders),
        ),
        (
            "Purchase frequency",
            r.frequency.fixed(2),
            "orders / ordering customers",
            format!("orders = {}, customers = {}", r.orders, r.ordering_customers),
        ),
        (
            "Customer lifespan",
            if r.lifespan.defined() { format!("{} periods of {days} days", r.lifespan.fixed(2)) } else { "n/a (no customer lost)".into() },
            "1 / churn = S / lost",
            format!("S = {}, lost = {}", r.s, r.lost),
        ),
        (
            "Customer lifetime value",
            m(r.clv),
            "CLV = AOV × frequency × lifespan",
            format!("{} × {} × {}", m(r.aov), r.frequency.fixed(2), r.lifespan.fixed(2)),
        ),
        (
            "Program adoption rate",
            format!("{} %", r.adoption.percent()),
            "members / customers × 100",
            format!("members = {}, customers = {}", r.member_customers, r.customers),
        ),
        (
            "Redemption rate",
            format!("{} %", r.redemption_rate.percent()),
            "points redeemed / points issued × 100",
            format!("redeemed = {}, issued = {}", r.points_redeemed, r.points_issued),
        ),
        (
            "Repeat purchase rate",
            format!("{} %", r.repeat_rate.percent()),
            "customers with ≥ 2 orders / ordering customers × 100",
            format!("repeaters = {}, customers = {}", r.repeaters, r.ordering_customers),
        ),
        (
            "Time between purchases",
            format!("{} days", r.time_between_days.fixed(1)),
            "Σ gaps / number of gaps",
            format!("gaps = {}", r.gaps),
        ),
    ]
}

async fn page(State(app): State<App>, headers: HeaderMap, Query(q): Query<Period>) -> Response {
    with_page_headers(render_page(&app, &headers, &q).await)
}

async fn render_page(app: &App, headers: &HeaderMap, q: &Period) -> Response {
    if let Some(r) = deny(app, headers) {
        return r;
    }
    let l = match load(app, q).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let mut h = String::new();
    let store = &app.program().store.name;
    let (from, to) = (&format_instant(l.inputs.from)[..10], &format_instant(l.inputs.to - DAY_MS)[..10]);
    let _ = write!(
        h,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>Rewards KPIs · {store}</title>
<style>body{{font:15px/1.45 system-ui,sans-serif;margin:24px;color:#222}}table{{border-collapse:collapse;margin:16px 0}}td,th{{border-bottom:1px solid #ddd;padding:6px 10px;text-align:left;vertical-align:top}}td.v{{font-weight:bold;white-space:nowrap}}code{{background:#f4f4f4;padding:1px 4px}}form *{{margin-right:8px}}</style></head><body>
<h1>Rewards KPIs · {store}</h1><form method="get"><label>From <input type="date" name="from" value="{from}"></label><label>To <input type="date" name="to" value="{to}"></label><label>Active window (days) <input type="number" name="active_days" min="1" value="{active}"></label><button>Show</button></form>
<p>Period {from} to {to} (UTC). A customer is active when they ordered within the last {active} days. Exports: <a href="/admin/export/signups.csv">signups and consents (CSV)</a> · <a href="/admin/export/ledger.csv">ledger (CSV)</a> · <a href="/admin/kpis.json?from={from}&amp;to={to}&amp;active_days={active}">JSON</a></p>
<table><thead><tr><th>KPI</th><th>Value</th><th>Formula</th><th>Inputs</th></tr></thead><tbody>"#,
        store = escape(store),
        from = escape(from),
        to = escape(to),
        active = l.inputs.active_ms / DAY_MS,
    );
    for (name, value, formula, inputs) in rows(app, &l) {
        let _ = write!(
            h,
            r#"<tr><td>{}</td><td class="v">{}</td><td><code>{}</code></td><td>{}</td></tr>"#,
            escape(name),
            escape(&value),
            escape(formula),
            escape(&inputs)
        );
    }
    h.push_str("</tbody></table>");
    h.push_str(&bars(
        "Signups and orders",
        &l.labels,
        &[
            Series { name: "signups", color: "#2b7a78", values: l.signups.clone() },
            Series { name: "orders", color: "#e07a1f", values: l.order_counts.clone() },
        ],
    ));
    h.push_str("<br>");
    h.push_str(&bars(
        "Points issued and redeemed",
        &l.labels,
        &[
            Series { name: "issued", color: "#3c6ee0", values: l.issued.clone() },
            Series { name: "redeemed", color: "#c0392b", values: l.redeemed.clone() },
        ],
    ));
    h.push_str("</body></html>");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], h).into_response()
}

/// The admin page runs no script at all: everything is escaped server-side
/// ([`escape`]), and this policy blocks script even if an escape were missed.
const ADMIN_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn with_page_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(ADMIN_CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

async fn kpis_json(State(app): State<App>, headers: HeaderMap, Query(q): Query<Period>) -> Response {
    if let Some(r) = deny(&app, &headers) {
        return r;
    }
    let l = match load(&app, &q).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let r = &l.report;
    let q = |v: Q| obj(vec![("num", s(v.num.to_string())), ("den", s(v.den.to_string())), ("value", s(v.fixed(4)))]);
    let body = obj(vec![
        ("from", s(format_instant(l.inputs.from))),
        ("to", s(format_instant(l.inputs.to))),
        ("active_days", int(l.inputs.active_ms / DAY_MS)),
        (
            "inputs",
            obj(vec![
                ("S", int(r.s)),
                ("E", int(r.e)),
                ("N", int(r.n)),
                ("lost", int(r.lost)),
                ("revenue", int(r.revenue)),
                ("orders", int(r.orders)),
                ("ordering_customers", int(r.ordering_customers)),
                ("customers", int(r.customers)),
                ("member_customers", int(r.member_customers)),
                ("points_issued", int(r.points_issued)),
                ("points_redeemed", int(r.points_redeemed)),
                ("repeaters", int(r.repeaters)),
                ("gaps", int(r.gaps)),
            ]),
        ),
        ("crr_percent", q(Q::new(r.crr.num * 100, r.crr.den))),
        ("churn_percent", q(Q::new(r.churn.num * 100, r.churn.den))),
        ("aov", q(r.aov)),
        ("frequency", q(r.frequency)),
        ("lifespan_periods", q(r.lifespan)),
        ("clv", q(r.clv)),
        ("adoption_percent", q(Q::new(r.adoption.num * 100, r.adoption.den))),
        ("redemption_rate_percent", q(Q::new(r.redemption_rate.num * 100, r.redemption_rate.den))),
        ("repeat_rate_percent", q(Q::new(r.repeat_rate.num * 100, r.repeat_rate.den))),
        ("time_between_days", q(r.time_between_days)),
    ]);
    crate::http::error::json_status(StatusCode::OK, &body)
}

/// One CSV field. Text that a spreadsheet would run as a formula gets a
/// leading apostrophe (CSV injection); plain integers such as -100 are data.
fn csv(out: &mut String, v: &str) {
    let formula = v.starts_with(['=', '+', '-', '@', '\t', '\r']) && v.parse::<i64>().is_err();
    let guarded = if formula { format!("'{v}") } else { v.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&guarded.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&guarded);
    }
}

fn csv_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv(out, f);
    }
    out.push_str("\r\n");
}

/// A CSV download. It starts with a UTF-8 byte order mark: without one,
/// Excel reads the file as the system's legacy code page and Vietnamese
/// names come out garbled.
fn csv_response(name: &str, body: String) -> Response {
    let body = format!("\u{feff}{body}");
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".into()),
            // Cells hold shopper-typed text: never let a browser sniff it as HTML.
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        ],
        body,
    )
        .into_response()
}

async fn signups_csv(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Some(r) = deny(&app, &headers) {
        return r;
    }
    let result: crate::storage::Result<String> = async {
        let rows = shoppers::signups(&mut *app.db.read().await?).await?;
        let mut out = String::new();
        let head = "shopper_id,email,customer_id,name,birthday,locale,signed_up_at,consent_purpose,consent_version,consent_granted,consent_at,consent_text_sha256,consent_text,consent_locale,consent_page_url";
        csv_row(&mut out, &head.split(',').map(String::from).collect::<Vec<_>>());
        for r in rows {
            let granted = r.granted.map(|g| if g == 1 { "true" } else { "false" }.to_string()).unwrap_or_default();
            let version = r.version.map(|v| v.to_string()).unwrap_or_default();
            let text = |v: Option<String>| v.unwrap_or_default();
            let time = |t: Option<i64>| t.map(format_instant).unwrap_or_default();
            csv_row(
                &mut out,
                &[
                    text(r.id), text(r.email), text(r.customer_id), text(r.name), text(r.birthday), text(r.locale), time(r.signed_up_at),
                    text(r.purpose), version, granted, time(r.consent_at), text(r.text_sha256), text(r.text), text(r.consent_locale), text(r.page_url),
                ],
            );
        }
        Ok(out)
    }
    .await;
    match result {
        Ok(body) => csv_response("signups.csv", body),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn ledger_csv(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Some(r) = deny(&app, &headers) {
        return r;
    }
    let result: crate::storage::Result<String> = async {
        let rows = entries::all(&mut *app.db.read().await?).await?;
        let mut out = String::new();
        csv_row(
            &mut out,
            &"entry_id,shopper_id,at,available_at,cause,ref,delta,description,program_version,detail_json"
                .split(',')
                .map(String::from)
                .collect::<Vec<_>>(),
        );
        let currency = app.program().currency();
        for r in rows {
            let description = crate::http::describe::entry(&r.cause, &r.reference, r.delta, &r.detail, currency);
            csv_row(
                &mut out,
                &[
                    r.id.to_string(),
                    r.shopper_id,
                    format_instant(r.at),
                    format_instant(r.available_at),
                    r.cause,
                    r.reference,
                    r.delta.to_string(),
                    description,
                    r.program_version,
                    r.detail,
                ],
            );
        }
        Ok(out)
    }
    .await;
    match result {
        Ok(body) => csv_response("ledger.csv", body),
        Err(e) => ApiError::from(e).into_response(),
    }
}
