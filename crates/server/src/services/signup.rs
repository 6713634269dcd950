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

use rewards_core::config::{ActionKind, FieldMode};
use rewards_core::json::{int, obj, s, Json};
use sha2::{Digest, Sha256};

use crate::body::{Any, Described, Email, Flag, Int, List, Str, Text};
use crate::error::{ApiError, ApiResult};
use crate::storage::db::WriteTx;
use crate::storage::ledger;
use crate::storage::shoppers::{self, Consent};
use crate::App;

/// `POST /api/signup`. Types are checked here; the checks that depend on
/// the program (which fields it asks, its consents) collect every issue in
/// [`validate`], so the form can mark each field.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignupBody {
    email: Option<Text>,
    name: Option<Text>,
    birthday: Option<Text>,
    locale: Option<Text>,
    page_url: Option<Text>,
    consents: Option<List<ConsentBody, 20>>,
    /// The honeypot: must be sent, empty. Any value is read (a bot's
    /// filled-in field gets the plain "must be empty").
    hp: Option<Any>,
    started_at: Option<Int>,
    /// The referral code the browser arrived with (`?ref=`), if any.
    referral_code: Option<Text>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsentBody {
    id: Str,
    version: Int,
    /// Compared with the configured wordings exactly.
    text: Str,
    granted: Flag,
}

impl Described for ConsentBody {
    const WHAT: &'static str = "an object {id, version, text, granted}";
    const PLURAL: &'static str = "consents";
}

struct Form {
    email: String,
    name: Option<String>,
    birthday: Option<String>,
    locale: String,
    page_url: String,
    consents: Vec<(String, i64, String, bool)>,
    referral_code: Option<String>,
}

fn validate(app: &App, body: SignupBody, now: i64) -> ApiResult<Form> {
    let mut issues: Vec<(String, String)> = Vec::new();
    let mut bad = |p: &str, m: &str| issues.push((p.into(), m.into()));
    // Spam checks first: a bot gets a plain refusal, nothing is written.
    match &body.hp {
        Some(Any::Str(v)) if v.is_empty() => {}
        None => bad("hp", "is required (the empty honeypot field)"),
        _ => bad("hp", "must be empty"),
    }
    match body.started_at {
        None => bad("started_at", "is required: milliseconds since the epoch when the form was shown"),
        Some(Int(t)) => {
            let elapsed = now.saturating_sub(t);
            if elapsed >= -60_000 && elapsed < app.settings.signup_min_fill_ms {
                bad("started_at", "the form was submitted too quickly; please try again");
            }
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::issues(issues));
    }
    let text = |t: Option<Text>| t.and_then(|t| t.0);
    let email = match text(body.email).as_deref().map(Email::parse) {
        Some(Ok(e)) => e.0,
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
    let name = text(body.name);
    let birthday = text(body.birthday);
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
    let locale = text(body.locale).unwrap_or_else(|| store.default_locale.clone());
    if locale.len() > 35 || !locale.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        issues.push(("locale".into(), "must be a language tag such as vi or en-US".into()));
    }
    let referral_code = text(body.referral_code);
    if referral_code.as_ref().is_some_and(|c| c.chars().count() > 64) {
        issues.push(("referral_code".into(), "must be at most 64 characters".into()));
    }
    let page_url = text(body.page_url).unwrap_or_default();
    if page_url.len() > 2048 || !(page_url.starts_with("https://") || page_url.starts_with("http://")) {
        issues.push(("page_url".into(), "must be the http(s) URL of the page, at most 2048 characters".into()));
    }
    let consents = consents(app, body.consents.map_or_else(Vec::new, |l| l.0), &mut issues);
    if !issues.is_empty() {
        return Err(ApiError::issues(issues));
    }
    Ok(Form { email, name, birthday, locale, page_url, consents, referral_code })
}

/// Each consent must name a configured purpose, its current version and
/// one of its configured wordings exactly; required ones must be granted.
fn consents(app: &App, items: Vec<ConsentBody>, issues: &mut Vec<(String, String)>) -> Vec<(String, i64, String, bool)> {
    let configured = app.program().popup.as_ref().map(|p| &p.consents[..]).unwrap_or(&[]);
    let mut out = Vec::new();
    for (i, c) in items.into_iter().enumerate() {
        let p = format!("consents[{i}]");
        let (Str(id), Int(version), Str(text), Flag(granted)) = (c.id, c.version, c.text, c.granted);
        let Some(cfg) = configured.iter().find(|k| k.id == id) else {
            issues.push((format!("{p}.id"), "is not a consent purpose of this program".into()));
            continue;
        };
        if version != cfg.version {
            issues.push((format!("{p}.version"), format!("must be the current version {}", cfg.version)));
            continue;
        }
        if !cfg.text.0.iter().any(|(_, w)| *w == text) {
            issues.push((format!("{p}.text"), "must be the exact wording shown (one of the configured texts)".into()));
            continue;
        }
        if out.iter().any(|(o, ..): &(String, i64, String, bool)| *o == cfg.id) {
            issues.push((format!("{p}.id"), "appears twice".into()));
            continue;
        }
        out.push((cfg.id.clone(), cfg.version, text, granted));
    }
    for cfg in configured.iter().filter(|c| c.required) {
        if !out.iter().any(|(id, _, _, g)| *id == cfg.id && *g) {
            issues.push(("consents".into(), format!("consent \"{}\" is required", cfg.id)));
        }
    }
    out
}

/// A signup whose sender passed the HTTP checks (origin, rate limit):
/// checked against the program, then recorded once.
pub async fn sign_up(app: &App, body: SignupBody, now: i64) -> ApiResult<()> {
    let form = validate(app, body, now)?;
    let mut w = app.db.write().await?;
    let result = record(app, &mut w, &form, now).await;
    w.finish(result).await?;
    Ok(())
}

/// Every accepted signup gets the same `201 {"ok":true}`, whether the
/// address is new, known, or known from an order (issue 14, part 4): anyone
/// can type an address, so the answer says nothing about it — not whether
/// it is a member, not its id, not what the signup credited — and lends
/// nothing to read or spend its points. The shopper sees their points once
/// the store signs them in (the store's own token, `store.sign_in_url`).
pub fn answer() -> Json<'static> {
    obj(vec![("ok", Json::Bool(true))])
}

/// The signup's writes: (shopper id, created by this request, bonus
/// credited). A known address is idempotent: the same shopper, its consents
/// recorded again, the signup bonus only if the core's eligibility allows
/// (a shopper the store knew from an order, joining now, gets it once).
async fn record(app: &App, w: &mut WriteTx, form: &Form, now: i64) -> ApiResult<(String, bool, i64, Json<'static>)> {
    let (program, version) = (app.program(), &app.program.version);
    let (row, created) = match ledger::find(w.conn(), "email", &form.email).await? {
        Some(r) => (r, false),
        None => ledger::create(w.conn(), None, Some(&form.email), now).await?,
    };
    // Read under the lock: a concurrent signup may have just committed.
    let row = ledger::lock(&app.db, w.conn(), row).await?;
    let first_signup = row.signed_up_at.is_none();
    if first_signup {
        shoppers::sign_up(w.conn(), &row.id, now, form.name.as_deref(), form.birthday.as_deref(), &form.locale).await?;
    }
    for (purpose, cversion, text, granted) in &form.consents {
        let sha = hex::encode(Sha256::digest(text.as_bytes()));
        let c = Consent {
            purpose,
            version: *cversion,
            text,
            text_sha256: &sha,
            granted: *granted,
            locale: &form.locale,
            page_url: &form.page_url,
        };
        shoppers::record_consent(w.conn(), &row.id, &c, now).await?;
    }
    let row = ledger::find(w.conn(), "id", &row.id).await?.ok_or(crate::storage::Error::missing())?;
    let mut state = ledger::load(w.conn(), program, row, now).await?;
    crate::services::lifecycle::apply_lifecycle(w.conn(), program, version, &mut state, now).await?;
    let mut bonus = 0i64;
    for a in program.actions.iter().filter(|a| a.kind == ActionKind::Signup) {
        if rewards_core::actions::eligible(a, &state.shopper, now).is_ok() && a.points > 0 {
            let reference = format!("{}:{}:{now}", state.row.id, a.id);
            let detail = obj(vec![("action", s(&*a.id)), ("kind", s("signup")), ("points", int(a.points))]);
            ledger::credit_action(w.conn(), version, &state.row.id, &a.id, a.points, &reference, (now, now), detail.to_text(), "signup")
                .await?;
            bonus += a.points;
        }
    }
    let mut referral = Json::Null;
    if first_signup && program.referral.is_some() {
        crate::services::referral::code_of(w.conn(), &state.row.id, now).await?;
        if let Some(code) = &form.referral_code {
            let known_before = state.shopper.lifetime_orders > 0;
            referral = crate::services::referral::on_signup(app, w.conn(), &state.row, known_before, code, now).await?;
        }
    }
    Ok((state.row.id, created, bonus, referral))
}
