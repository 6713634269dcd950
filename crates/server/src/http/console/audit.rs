//! The audit log: every console action (sign-in and its failures, sign-out,
//! language, adjustments, voids, erasures, users added by the CLI), written
//! in the same transaction as the action itself, append-only. Owners read
//! it at `/console/audit`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sqlx::Row;

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
        Ok(mut conn) => {
            sqlx::query("SELECT at, actor, action, target, detail FROM admin_audit ORDER BY id DESC LIMIT $1")
                .bind(SHOWN)
                .fetch_all(&mut *conn)
                .await
        }
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
            let at: i64 = r.try_get(0).unwrap_or(0);
            let text = |i: usize| r.try_get::<String, _>(i).unwrap_or_default();
            h.lit("<tr><td data-label=\"").text(w.when).lit("\">").text(&lang.instant(at)).lit("</td>");
            for (i, col) in [(1, w.who), (2, w.action), (3, w.target), (4, w.detail)] {
                h.lit("<td data-label=\"").text(col).lit("\">").text(&text(i)).lit("</td>");
            }
            h.lit("</tr>");
        }
        h.lit("</tbody></table></div>");
    }
    layout::page(Some(&console), lang, w.audit_title, h, StatusCode::OK)
}
