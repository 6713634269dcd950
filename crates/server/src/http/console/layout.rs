//! The console's page frame: header with the user, the language switch
//! and sign-out; navigation; one stylesheet from this origin; the strict
//! CSP (no script at all on these pages, no inline style).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::{Console, Role};
use super::html::Html;
use super::i18n::{fill, Lang};
use crate::error::ApiError;

/// Scripts and styles only from this origin, nothing inline; forms post
/// only here; frames (the editor's preview) only from here; the console
/// itself is never framed.
pub const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], include_str!("console.css")).into_response()
}

/// A whole page: `body` inside the frame, in `lang`.
pub fn page(console: Option<&Console>, lang: Lang, title: &str, body: Html, status: StatusCode) -> Response {
    let w = lang.words();
    let mut h = Html::new();
    h.lit("<!doctype html><html lang=\"").text(lang.code()).lit("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/console/console.css\"><title>");
    h.text(title).lit(" · ").text(w.console).lit("</title></head><body>");
    h.lit("<a class=\"skip\" href=\"#main\">")
        .text(w.skip)
        .lit("</a><header class=\"top\"><p class=\"brand\">")
        .text(w.console)
        .lit("</p>");
    if let Some(c) = console {
        h.lit("<nav aria-label=\"").text(w.console).lit("\"><ul><li><a href=\"/console\">").text(w.nav_members).lit("</a></li>");
        h.lit("<li><a href=\"/console/referrals\">").text(lang.referral_words().nav).lit("</a></li>");
        h.lit("<li><a href=\"/console/kpis\">").text(w.nav_kpis).lit("</a></li>");
        if c.user.role == Role::Owner {
            h.lit("<li><a href=\"/console/program\">").text(w.nav_program).lit("</a></li>");
            h.lit("<li><a href=\"/console/audit\">").text(w.nav_audit).lit("</a></li>");
            h.lit("<li><a href=\"/console/users\">").text(lang.users_words().nav).lit("</a></li>");
            h.lit("<li><a href=\"/console/connect\">").text(lang.connect_words().nav).lit("</a></li>");
        }
        h.lit("</ul></nav><div class=\"who\"><p>").text(&fill(w.signed_in_as, &[&c.user.email, c.user.role.label(lang)])).lit("</p>");
        h.lit("<form method=\"post\" action=\"/console/language\" class=\"inline\">").hidden("csrf", &c.csrf);
        h.lit("<label for=\"console-lang\">").text(w.language).lit("</label> <select id=\"console-lang\" name=\"lang\">");
        for l in Lang::ALL {
            h.lit("<option value=\"").text(l.code()).lit("\" lang=\"").text(l.code()).lit("\"");
            if l == lang {
                h.lit(" selected");
            }
            h.lit(">").text(l.name()).lit("</option>");
        }
        h.lit("</select> <button type=\"submit\">").text(w.change).lit("</button></form>");
        h.lit("<form method=\"post\" action=\"/console/logout\" class=\"inline\">").hidden("csrf", &c.csrf);
        h.lit("<button type=\"submit\">").text(w.sign_out).lit("</button></form></div>");
    }
    h.lit("</header><main id=\"main\">").append(body).lit("</main></body></html>");
    let mut r = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], h.into_string())
        .into_response();
    let hs = r.headers_mut();
    hs.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONSOLE_CSP));
    hs.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    hs.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    hs.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

/// A page that says one thing (a refusal, an error).
pub fn message(console: Option<&Console>, lang: Lang, status: StatusCode, text: &str) -> Response {
    let mut h = Html::new();
    h.el("<p class=\"error\" role=\"alert\">", text, "</p>");
    h.lit("<p><a href=\"/console\">").text(lang.words().nav_members).lit("</a></p>");
    page(console, lang, text, h, status)
}

pub fn storage_error(console: Option<&Console>, lang: Lang, e: crate::storage::Error) -> Response {
    eprintln!("console: storage error: {e}");
    message(console, lang, StatusCode::SERVICE_UNAVAILABLE, lang.words().storage_error)
}

pub fn api_error(console: Option<&Console>, lang: Lang, e: ApiError) -> Response {
    eprintln!("console: {}", e.message);
    message(console, lang, e.status, lang.words().storage_error)
}
