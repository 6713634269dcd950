//! Console access: admin users (owner or staff) signed in with a password
//! (argon2id), sessions in a cookie that expire, CSRF tokens on every form.
//!
//! - The session cookie (`rw_console`) is a random 256-bit token; the
//!   database keeps only its SHA-256, so a copy of the database signs no
//!   one in. HttpOnly, SameSite=Strict, Secure when the console is reached
//!   over https; it ends [`SESSION_MS`] after sign-in, or at sign-out.
//! - Every form carries the session's CSRF token (a hidden `csrf` field),
//!   compared in constant time; the sign-in form, before any session,
//!   carries a nonce that must equal its own cookie (double submit).
//!   Forms must also come from this origin when the browser says (`Origin`).
//! - Staff see members and help them (adjust, void); only the owner
//!   erases members, reads the audit log and (later) edits the program.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::audit::{self, Actor};
use super::html::Html;
use super::i18n::{fill, Lang};
use super::layout;
use crate::http::extract::RawBody;
use crate::services::audited::{self, Audit};
use crate::storage::users;
use crate::App;

/// A session lasts this long after sign-in (8 hours: a working day).
pub const SESSION_MS: i64 = 8 * 3_600_000;
pub const SESSION_COOKIE: &str = "rw_console";
const LOGIN_COOKIE: &str = "rw_login";
/// Shortest password `admin add-user` accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Staff,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        match code {
            "owner" => Some(Role::Owner),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Owner => lang.words().role_owner,
            Role::Staff => lang.words().role_staff,
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub lang: Lang,
}

/// A signed-in request: the extractor every console page but sign-in uses.
/// Without a live session the page answers with a redirect to sign-in.
pub struct Console {
    pub user: User,
    pub csrf: String,
    /// The request came from the console's own origin (or named none).
    origin_ok: bool,
}

impl Console {
    pub fn lang(&self) -> Lang {
        self.user.lang
    }

    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.user.id), name: self.user.email.clone() }
    }

    /// A 403 page unless the form's CSRF token is this session's (and it came from this origin).
    pub fn csrf_refusal(&self, presented: &str) -> Option<Response> {
        let ok = self.origin_ok && bool::from(presented.as_bytes().ct_eq(self.csrf.as_bytes()));
        (!ok).then(|| layout::message(Some(self), self.lang(), StatusCode::FORBIDDEN, self.lang().words().form_expired))
    }

    /// A 403 page unless the user is the owner.
    pub fn owner_refusal(&self) -> Option<Response> {
        (self.user.role != Role::Owner)
            .then(|| layout::message(Some(self), self.lang(), StatusCode::FORBIDDEN, self.lang().words().owner_only))
    }
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// The console is served over https: the browser's `Origin` says so, or a
/// trusted proxy's `X-Forwarded-Proto` does.
fn https(app: &App, headers: &HeaderMap) -> bool {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    h("origin").starts_with("https://") || (app.settings.trust_forwarded_for && h("x-forwarded-proto") == "https")
}

fn set_cookie(app: &App, headers: &HeaderMap, name: &str, value: &str, path: &str, max_age_s: i64) -> HeaderValue {
    let secure = if https(app, headers) { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}");
    HeaderValue::from_str(&text).expect("cookie values are hex")
}

/// A form must come from the console's own origin when the browser names one.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").is_some_and(|(_, h)| h == host)
}

/// The session named by the request's cookie, if it is live.
pub async fn session(app: &App, headers: &HeaderMap) -> crate::storage::Result<Option<Console>> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else { return Ok(None) };
    let mut conn = app.db.read().await?;
    let Some((id, email, role, locale, csrf)) = users::session(&mut conn, &sha256_hex(token), app.clock.now()).await? else {
        return Ok(None);
    };
    let user = User { id, email, role: Role::from_code(&role).unwrap_or(Role::Staff), lang: Lang::from_code(&locale).unwrap_or(Lang::Vi) };
    Ok(Some(Console { user, csrf, origin_ok: same_origin(headers) }))
}

impl FromRequestParts<App> for Console {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Console, Response> {
        match session(app, &parts.headers).await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => {
                let ended = if cookie(&parts.headers, SESSION_COOKIE).is_some() { "?ended=1" } else { "" };
                Err(Redirect::to(&format!("/console/login{ended}")).into_response())
            }
            Err(e) => Err(layout::storage_error(None, request_lang(&parts.headers, None), e)),
        }
    }
}

/// Decodes a form body into `T` (unknown fields refused); `None` if it does not fit.
pub fn form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_urlencoded::from_bytes(body).ok()
}

/// The language of a page before sign-in: `?lang=`, else `Accept-Language`.
fn request_lang(headers: &HeaderMap, asked: Option<&str>) -> Lang {
    asked
        .and_then(Lang::from_code)
        .unwrap_or_else(|| Lang::from_accept(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("")))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginQuery {
    lang: Option<String>,
    ended: Option<String>,
}

pub async fn login_page(State(app): State<App>, headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    if let Ok(Some(_)) = session(&app, &headers).await {
        return Redirect::to("/console").into_response();
    }
    let lang = request_lang(&headers, q.lang.as_deref());
    let notice = q.ended.is_some().then_some(lang.words().session_ended);
    login_form(&app, &headers, lang, "", notice, StatusCode::OK)
}

fn login_form(app: &App, headers: &HeaderMap, lang: Lang, email: &str, error: Option<&str>, status: StatusCode) -> Response {
    let w = lang.words();
    let nonce = random_token();
    let mut h = Html::new();
    h.el("<h1>", w.sign_in_title, "</h1>");
    h.lit("<p class=\"langs\">");
    for l in Lang::ALL {
        if l == lang {
            h.el("<strong lang=\"", l.code(), "\">").text(l.name()).lit("</strong> ");
        } else {
            h.lit("<a href=\"/console/login?lang=").text(l.code()).lit("\" lang=\"").text(l.code()).lit("\">").text(l.name()).lit("</a> ");
        }
    }
    h.lit("</p>");
    if let Some(e) = error {
        h.el("<p class=\"error\" role=\"alert\" id=\"login-error\">", e, "</p>");
    }
    h.lit("<form method=\"post\" action=\"/console/login\" class=\"stack\">");
    h.hidden("csrf", &nonce).hidden("lang", lang.code());
    h.lit("<label for=\"email\">")
        .text(w.email)
        .lit("</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"")
        .text(email)
        .lit("\"");
    if error.is_some() {
        h.lit(" aria-describedby=\"login-error\"");
    }
    h.lit(">");
    h.lit("<label for=\"password\">")
        .text(w.password)
        .lit("</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>");
    h.lit("<button type=\"submit\">").text(w.sign_in).lit("</button></form>");
    let mut r = layout::page(None, lang, w.sign_in_title, h, status);
    r.headers_mut().append(header::SET_COOKIE, set_cookie(app, headers, LOGIN_COOKIE, &nonce, "/console/login", 3600));
    r
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    lang: Option<String>,
}

/// A PHC string to verify against when the email is unknown, so an
/// unknown email takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a real password, only for timing").expect("argon2 hashes"))
}

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| format!("cannot hash the password: {e}"))
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Sign-in attempts per client address and window: each one costs an
/// argon2 check and an audit row, so a guesser is slowed to a crawl.
pub const SIGN_IN_ATTEMPTS: u32 = 10;
pub const SIGN_IN_WINDOW_MS: i64 = 15 * 60_000;
/// The longest email a sign-in is checked for (longer: a failure, unaudited).
const MAX_EMAIL: usize = 254;

pub fn sign_in_limiter() -> crate::ratelimit::RateLimiter {
    crate::ratelimit::RateLimiter::new(SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_MS)
}

pub async fn login(State(app): State<App>, peer: crate::http::extract::Peer, headers: HeaderMap, RawBody(body): RawBody) -> Response {
    let fallback = request_lang(&headers, None);
    let Some(f) = form::<LoginForm>(&body) else {
        return login_form(&app, &headers, fallback, "", Some(fallback.words().sign_in_failed), StatusCode::UNPROCESSABLE_ENTITY);
    };
    let lang = request_lang(&headers, f.lang.as_deref());
    let nonce_ok = cookie(&headers, LOGIN_COOKIE).is_some_and(|c| bool::from(c.as_bytes().ct_eq(f.csrf.as_bytes())));
    if !nonce_ok || !same_origin(&headers) {
        return login_form(&app, &headers, lang, &f.email, Some(lang.words().form_expired), StatusCode::FORBIDDEN);
    }
    let ip = crate::http::extract::client_ip(&app, &headers, Some(peer.0));
    if let Err(wait) = app.sign_in_limiter.check(ip, app.clock.now()) {
        let minutes = ((wait + 59_999) / 60_000).to_string();
        let message = fill(lang.words().sign_in_limited, &[&minutes]);
        return login_form(&app, &headers, lang, &f.email, Some(&message), StatusCode::TOO_MANY_REQUESTS);
    }
    let email = f.email.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL {
        return login_form(&app, &headers, lang, "", Some(lang.words().sign_in_failed), StatusCode::UNAUTHORIZED);
    }
    match sign_in(&app, &email, f.password).await {
        Ok(Some(token)) => {
            let mut r = Redirect::to("/console").into_response();
            let h = r.headers_mut();
            h.append(header::SET_COOKIE, set_cookie(&app, &headers, SESSION_COOKIE, &token, "/", SESSION_MS / 1000));
            h.append(header::SET_COOKIE, set_cookie(&app, &headers, LOGIN_COOKIE, "", "/console/login", 0));
            r
        }
        Ok(None) => login_form(&app, &headers, lang, &f.email, Some(lang.words().sign_in_failed), StatusCode::UNAUTHORIZED),
        Err(e) => layout::api_error(None, lang, e),
    }
}

/// Checks the password and opens a session: the cookie's token, or `None`
/// for a wrong email or password (both audited).
async fn sign_in(app: &App, email: &str, password: String) -> crate::error::ApiResult<Option<String>> {
    let found = users::credentials(&mut *app.db.read().await?, email).await?;
    let (user_id, stored): (Option<i64>, String) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, dummy_hash().to_string()),
    };
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &stored)).await.unwrap_or(false) && user_id.is_some();
    let now = app.clock.now();
    let token = random_token();
    let mut w = app.db.write().await?;
    let result: crate::error::ApiResult<()> = async {
        let actor = Actor { user_id, name: email.to_string() };
        if !ok {
            audit::record(w.conn(), now, &actor, "sign_in_failed", email, "").await?;
            return Ok(());
        }
        users::open_session(w.conn(), &sha256_hex(&token), user_id, &random_token(), now, now + SESSION_MS).await?;
        audit::record(w.conn(), now, &actor, "sign_in", email, "").await?;
        Ok(())
    }
    .await;
    w.finish(result).await?;
    Ok(ok.then_some(token))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CsrfForm {
    csrf: String,
}

pub async fn logout(State(app): State<App>, console: Console, headers: HeaderMap, RawBody(body): RawBody) -> Response {
    let csrf = form::<CsrfForm>(&body).map(|f| f.csrf).unwrap_or_default();
    if let Some(r) = console.csrf_refusal(&csrf) {
        return r;
    }
    let token = cookie(&headers, SESSION_COOKIE).unwrap_or("").to_string();
    let now = app.clock.now();
    let actor = console.actor();
    let audit = Audit { at: now, actor: &actor, action: "sign_out", target: &console.user.email };
    let result = audited::write(&app.db, audit, async |w| {
        users::close_session(w.conn(), &sha256_hex(&token)).await?;
        Ok(((), Some(String::new())))
    })
    .await;
    if let Err(e) = result {
        return layout::api_error(Some(&console), console.lang(), e);
    }
    let mut r = Redirect::to(&format!("/console/login?lang={}", console.lang().code())).into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(&app, &headers, SESSION_COOKIE, "", "/", 0));
    r
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageForm {
    csrf: String,
    lang: String,
}

/// `POST /console/language`: the user's console language, kept on their account.
pub async fn language(State(app): State<App>, console: Console, headers: HeaderMap, RawBody(body): RawBody) -> Response {
    let Some(f) = form::<LanguageForm>(&body) else {
        return console.csrf_refusal("").unwrap_or_else(|| StatusCode::BAD_REQUEST.into_response());
    };
    if let Some(r) = console.csrf_refusal(&f.csrf) {
        return r;
    }
    let Some(lang) = Lang::from_code(&f.lang) else { return StatusCode::UNPROCESSABLE_ENTITY.into_response() };
    let now = app.clock.now();
    let actor = console.actor();
    let audit = Audit { at: now, actor: &actor, action: "language", target: &console.user.email };
    let result = audited::write(&app.db, audit, async |w| {
        users::set_locale(w.conn(), console.user.id, lang.code()).await?;
        Ok(((), Some(lang.code().to_string())))
    })
    .await;
    if let Err(e) = result {
        return layout::api_error(Some(&console), console.lang(), e);
    }
    Redirect::to(&back_to(&headers)).into_response()
}

/// The console page a form was sent from (its `Referer`, which the
/// console's `same-origin` referrer policy sends), or `/console`.
pub fn back_to(headers: &HeaderMap) -> String {
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let path = referer.split_once("://").and_then(|(_, rest)| rest.strip_prefix(host)).unwrap_or("");
    if path.starts_with("/console") && !path.contains("//") && !path.contains('\\') {
        path.to_string()
    } else {
        "/console".into()
    }
}
