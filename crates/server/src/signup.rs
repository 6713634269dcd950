//! `POST /api/signup`: the popup's form.
//!
//! Spam protection without third parties: a honeypot field that must stay
//! empty, a minimum fill time (`started_at` is the client's clock when the
//! form was shown; a client clock more than a minute ahead is treated as
//! skew, not as a bot), a per-address rate limit and CORS plus an Origin
//! check. Idempotent per normalised email. Consent is recorded append-only
//! per purpose with the exact wording shown, its SHA-256, version, UTC
//! time, locale and page URL. The signup bonus goes through the core's
//! action eligibility, so it is credited once.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rewards_core::config::{ActionKind, FieldMode};
use rewards_core::json::{int, obj, s, Json};
use sha2::{Digest, Sha256};

use crate::db::WriteTx;
use crate::error::{ApiError, ApiResult};
use crate::ledger::{self, Entry};
use crate::routes::{check_origin, client_ip, json_status, only_fields, parse_object, Peer, RawBody};
use crate::{token, App};

/// Lower-cases and checks an address. Lower-casing the local part too is a
/// deliberate simplification: shops treat addresses case-insensitively.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let e = raw.trim().to_lowercase();
    if e.is_empty() {
        return Err("is required");
    }
    if e.len() > 254 {
        return Err("is longer than 254 characters");
    }
    let Some((local, domain)) = e.rsplit_once('@') else { return Err("is not an email address (no @)") };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || (!c.is_ascii() && c.is_alphanumeric()));
    if !local_ok {
        return Err("has an invalid name before the @");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric()))
        })
        && labels.last().is_some_and(|t| t.len() >= 2 && !t.chars().all(|c| c.is_ascii_digit()));
    if !domain_ok {
        return Err("has an invalid domain");
    }
    Ok(e)
}

struct Form {
    email: String,
    name: Option<String>,
    birthday: Option<String>,
    locale: String,
    page_url: String,
    consents: Vec<(String, i64, String, bool)>,
}

fn str_field(body: &Json, key: &str, issues: &mut Vec<(String, String)>) -> Option<String> {
    match body.get(key) {
        None | Some(Json::Null) => None,
        Some(Json::String(v)) => Some(v.trim().to_string()).filter(|v| !v.is_empty()),
        Some(other) => {
            issues.push((key.into(), format!("expected a string, found {}", other.kind())));
            None
        }
    }
}

fn validate(app: &App, body: &Json, now: i64) -> ApiResult<Form> {
    only_fields(body, &["email", "name", "birthday", "locale", "page_url", "consents", "hp", "started_at"])?;
    let mut issues: Vec<(String, String)> = Vec::new();
    let mut bad = |p: &str, m: &str| issues.push((p.into(), m.into()));
    // Spam checks first: a bot gets a plain refusal, nothing is written.
    match body.get("hp") {
        Some(Json::String(v)) if v.is_empty() => {}
        None => bad("hp", "is required (the empty honeypot field)"),
        _ => bad("hp", "must be empty"),
    }
    match body.get("started_at").and_then(|v| if let Json::Number(n) = v { n.parse::<i64>().ok() } else { None }) {
        None => bad("started_at", "is required: milliseconds since the epoch when the form was shown"),
        Some(t) => {
            let elapsed = now - t;
            if elapsed >= -60_000 && elapsed < app.settings.signup_min_fill_ms {
                bad("started_at", "the form was submitted too quickly; please try again");
            }
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::issues(issues));
    }
    let email = match str_field(body, "email", &mut issues).as_deref().map(normalise_email) {
        Some(Ok(e)) => e,
        Some(Err(m)) => {
            issues.push(("email".into(), m.into()));
            String::new()
        }
        None => {
            issues.push(("email".into(), "is required".into()));
            String::new()
        }
    };
    let popup = app.program().popup.as_ref();
    let mode = |f: fn(&rewards_core::config::Popup) -> FieldMode| popup.map_or(FieldMode::Hidden, f);
    let name = str_field(body, "name", &mut issues);
    let birthday = str_field(body, "birthday", &mut issues);
    for (key, value, m) in [("name", &name, mode(|p| p.name_field)), ("birthday", &birthday, mode(|p| p.birthday_field))] {
        match (m, value) {
            (FieldMode::Hidden, Some(_)) => issues.push((key.into(), "is not asked by this program".into())),
            (FieldMode::Required, None) => issues.push((key.into(), "is required".into())),
            _ => {}
        }
    }
    if name.as_ref().is_some_and(|n| n.chars().count() > 100 || n.chars().any(char::is_control)) {
        issues.push(("name".into(), "must be at most 100 printable characters".into()));
    }
    if let Some(b) = &birthday {
        let ok =
            b.len() == 10 && rewards_core::time::parse_instant(b).is_some_and(|t| t <= now && rewards_core::time::date_of(t).0 >= 1900);
        if !ok {
            issues.push(("birthday".into(), "must be a past date written YYYY-MM-DD".into()));
        }
    }
    let store = &app.program().store;
    let locale = str_field(body, "locale", &mut issues).unwrap_or_else(|| store.default_locale.clone());
    if locale.len() > 35 || !locale.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        issues.push(("locale".into(), "must be a language tag such as vi or en-US".into()));
    }
    let page_url = str_field(body, "page_url", &mut issues).unwrap_or_default();
    if page_url.len() > 2048 || !(page_url.starts_with("https://") || page_url.starts_with("http://")) {
        issues.push(("page_url".into(), "must be the http(s) URL of the page, at most 2048 characters".into()));
    }
    let consents = consents(app, body, &mut issues);
    if !issues.is_empty() {
        return Err(ApiError::issues(issues));
    }
    Ok(Form { email, name, birthday, locale, page_url, consents })
}

/// Each consent must name a configured purpose, its current version and
/// one of its configured wordings exactly; required ones must be granted.
fn consents(app: &App, body: &Json, issues: &mut Vec<(String, String)>) -> Vec<(String, i64, String, bool)> {
    let configured = app.program().popup.as_ref().map(|p| &p.consents[..]).unwrap_or(&[]);
    let items = match body.get("consents") {
        None | Some(Json::Null) => &[][..],
        Some(Json::Array(a)) if a.len() <= 20 => &a[..],
        Some(_) => {
            issues.push(("consents".into(), "must be an array of at most 20 consents".into()));
            &[][..]
        }
    };
    let mut out = Vec::new();
    for (i, c) in items.iter().enumerate() {
        let p = format!("consents[{i}]");
        let id = c.get("id").and_then(Json::as_str);
        let version = c.get("version").and_then(|v| if let Json::Number(n) = v { n.parse::<i64>().ok() } else { None });
        let text = c.get("text").and_then(Json::as_str);
        let granted = match c.get("granted") {
            Some(Json::Bool(b)) => *b,
            _ => {
                issues.push((format!("{p}.granted"), "must be true or false".into()));
                continue;
            }
        };
        let Some(cfg) = id.and_then(|id| configured.iter().find(|k| k.id == id)) else {
            issues.push((format!("{p}.id"), "is not a consent purpose of this program".into()));
            continue;
        };
        if version != Some(cfg.version) {
            issues.push((format!("{p}.version"), format!("must be the current version {}", cfg.version)));
            continue;
        }
        let Some(text) = text.filter(|t| cfg.text.0.iter().any(|(_, w)| w == t)) else {
            issues.push((format!("{p}.text"), "must be the exact wording shown (one of the configured texts)".into()));
            continue;
        };
        if out.iter().any(|(o, ..): &(String, i64, String, bool)| *o == cfg.id) {
            issues.push((format!("{p}.id"), "appears twice".into()));
            continue;
        }
        out.push((cfg.id.clone(), cfg.version, text.to_string(), granted));
    }
    for cfg in configured.iter().filter(|c| c.required) {
        if !out.iter().any(|(id, _, _, g)| *id == cfg.id && *g) {
            issues.push(("consents".into(), format!("consent \"{}\" is required", cfg.id)));
        }
    }
    out
}

pub async fn handle(State(app): State<App>, peer: Peer, headers: HeaderMap, RawBody(body): RawBody) -> ApiResult<Response> {
    check_origin(&app, &headers)?;
    let now = app.clock.now();
    let ip = client_ip(&app, &headers, Some(peer.0));
    if let Err(wait) = app.signup_limiter.check(ip, now) {
        let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many signups from this address; try again later");
        e.issues.push(("".into(), format!("retry after {} seconds", (wait + 999) / 1000)));
        return Err(e);
    }
    let form = validate(&app, &parse_object(&body)?, now)?;
    let mut w = app.db.write().await?;
    let result = record(&app, &mut w, &form, now).await;
    let (shopper_id, created, was_member, bonus) = w.finish(result).await?;
    // A token only for a shopper this request created: anyone can type an
    // existing address, and must not get to read (or spend) its points.
    let tok =
        created.then(|| token::sign(&app.settings.merchant_secret, &shopper_id, (now + app.settings.signup_token_ttl_ms).div_euclid(1000)));
    let out = obj(vec![
        ("ok", Json::Bool(true)),
        ("shopper_id", s(shopper_id)),
        ("token", tok.map_or(Json::Null, s)),
        ("bonus", int(bonus)),
        ("already_member", Json::Bool(was_member)),
    ]);
    Ok(json_status(if created { StatusCode::CREATED } else { StatusCode::OK }, &out))
}

/// The signup's writes: (shopper id, created by this request, was already
/// a member, bonus credited).
async fn record(app: &App, w: &mut WriteTx, form: &Form, now: i64) -> ApiResult<(String, bool, bool, i64)> {
    let (program, version) = (app.program(), &app.program.version);
    let (row, created) = match ledger::find(w.conn(), "email", &form.email).await? {
        Some(r) => (r, false),
        None => ledger::create(w.conn(), None, Some(&form.email), now).await?,
    };
    // Read under the lock: a concurrent signup may have just committed.
    let row = ledger::lock(&app.db, w.conn(), row).await?;
    let was_member = row.signed_up_at.is_some();
    if !was_member {
        sqlx::query(
            "UPDATE shoppers SET signed_up_at = $1, name = COALESCE($2, name), birthday = COALESCE($3, birthday), locale = $4 WHERE id = $5",
        )
        .bind(now)
        .bind(form.name.as_deref())
        .bind(form.birthday.as_deref())
        .bind(&form.locale)
        .bind(&row.id)
        .execute(w.conn())
        .await?;
    }
    for (purpose, cversion, text, granted) in &form.consents {
        sqlx::query(
            "INSERT INTO consents (shopper_id, purpose, version, text, text_sha256, granted, at, locale, page_url)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&row.id)
        .bind(purpose)
        .bind(*cversion)
        .bind(text)
        .bind(hex::encode(Sha256::digest(text.as_bytes())))
        .bind(i64::from(*granted))
        .bind(now)
        .bind(&form.locale)
        .bind(&form.page_url)
        .execute(w.conn())
        .await?;
    }
    let row = ledger::find(w.conn(), "id", &row.id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let mut state = ledger::load(w.conn(), program, row, now).await?;
    ledger::apply_lifecycle(w.conn(), program, version, &mut state, now).await?;
    let mut bonus = 0i64;
    for a in program.actions.iter().filter(|a| a.kind == ActionKind::Signup) {
        if rewards_core::actions::eligible(a, &state.shopper, now).is_ok() && a.points > 0 {
            let reference = format!("{}:{}:{now}", state.row.id, a.id);
            let detail = obj(vec![("action", s(&*a.id)), ("kind", s("signup")), ("points", int(a.points))]);
            ledger::append(
                w.conn(),
                version,
                Entry {
                    shopper_id: &state.row.id,
                    delta: a.points,
                    cause: "action",
                    reference: &reference,
                    at: now,
                    available_at: now,
                    detail: detail.to_text(),
                },
            )
            .await?;
            sqlx::query("INSERT INTO actions_rewarded (shopper_id, action_id, at, source) VALUES ($1, $2, $3, 'signup')")
                .bind(&state.row.id)
                .bind(&a.id)
                .bind(now)
                .execute(w.conn())
                .await?;
            bonus += a.points;
        }
    }
    Ok((state.row.id, created, was_member, bonus))
}

#[cfg(test)]
mod tests {
    use super::normalise_email;

    #[test]
    fn emails() {
        assert_eq!(normalise_email("  An.Nguyen@Example.COM "), Ok("an.nguyen@example.com".into()));
        assert_eq!(normalise_email("a+tag@sub.example.vn"), Ok("a+tag@sub.example.vn".into()));
        for bad in ["", "plain", "a@b", "a@@b.com", ".a@b.com", "a..b@c.com", "a@-b.com", "a b@c.com", "a@b.c", "a@b.123", "<a>@b.com"] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }
}
