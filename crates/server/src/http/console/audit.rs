//! The audit log: every console action (sign-in and its failures, sign-out,
//! language, adjustments, voids, erasures, users added by the CLI), written
//! in the same transaction as the action itself, append-only. Owners read
//! it at `/console/audit`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::Console;
use super::html::Html;
use super::layout;
use crate::App;

pub use crate::storage::audit::{record, Actor};

/// The newest entries shown on the page.
const SHOWN: i64 = 200;

pub async fn page(State(app): State<App>, console: Console) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let (lang, w) = (console.lang(), console.lang().words());
    let rows = match app.db.read().await {
        Ok(mut conn) => crate::storage::audit::newest(&mut conn, SHOWN).await,
        Err(e) => Err(e),
    };
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return layout::storage_error(Some(&console), lang, e),
    };
    let mut h = Html::new();
    h.el("<h1>", w.audit_title, "</h1>");
    if rows.is_empty() {
        h.el("<p>", w.no_audit, "</p>");
    } else {
        h.lit("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"audit-h\"><table class=\"stack-sm\"><caption id=\"audit-h\">")
            .text(w.audit_title)
            .lit("</caption><thead><tr>");
        for col in [w.when, w.who, w.action, w.target, w.detail] {
            h.el("<th scope=\"col\">", col, "</th>");
        }
        h.lit("</tr></thead><tbody>");
        for r in rows {
            h.lit("<tr><td data-label=\"").text(w.when).lit("\">").text(&lang.instant(r.at)).lit("</td>");
            for (text, col) in [(&r.actor, w.who), (&r.action, w.action), (&r.target, w.target), (&r.detail, w.detail)] {
                h.lit("<td data-label=\"").text(col).lit("\">").text(text).lit("</td>");
            }
            h.lit("</tr>");
        }
        h.lit("</tbody></table></div>");
    }
    layout::page(Some(&console), lang, w.audit_title, h, StatusCode::OK)
}
