//! The merchant console (`/console/…`): admin users signed in with a
//! password, in Vietnamese or English. One file per page or concern:
//! `auth` (users, sessions, CSRF, sign-in), `audit` (the log of every
//! admin action and its page), `members` (search and the member page),
//! `member_actions` (adjust, void, erase), `kpis`, `kpi_page`,
//! `kpi_words` and `chart` (the KPI page and its SVG charts), `resend`
//! (a voucher's code sent again by the merchant's own mail app), `programs` (versions, publish,
//! rollback), `program_watch` (versions published by other instances), `program_page` and `program_form` (the editor and its
//! preview; `field_labels` its labels), `referrals` (the referral report),
//! `users` (adding, resetting, removing users: the `admin` CLI and
//! `users_page`, the owner's page),
//! `layout` (the page frame), `html` (escaping by construction), `i18n`.
//!
//! The shared admin token (`crate::http::admin`) keeps working for the JSON API
//! and the CSV exports; the console never accepts it, and it never accepts
//! the console's cookie.

pub mod audit;
pub mod auth;
pub mod chart;
pub mod connect;
pub mod field_labels;
pub mod html;
pub mod i18n;
pub mod kpi_page;
pub mod kpi_words;
pub mod kpis;
pub mod layout;
pub mod member_actions;
pub mod members;
pub mod program_form;
pub mod program_page;
pub mod program_watch;
pub mod programs;
pub mod referrals;
pub mod resend;
pub mod users;
pub mod users_page;

use axum::routing::{get, post};
use axum::Router;

use crate::App;

pub fn router() -> Router<App> {
    Router::new()
        .route("/console", get(members::list))
        .route("/console/console.css", get(layout::stylesheet))
        .route("/console/login", get(auth::login_page).post(auth::login))
        .route("/console/logout", post(auth::logout))
        .route("/console/language", post(auth::language))
        .route("/console/members/{id}", get(members::page))
        .route("/console/members/{id}/adjust", post(member_actions::adjust))
        .route("/console/members/{id}/void", post(member_actions::void))
        .route("/console/members/{id}/erase", post(member_actions::erase))
        .route("/console/members/{id}/resend", post(resend::resend))
        .route("/console/kpis", get(kpi_page::page))
        .route("/console/audit", get(audit::page))
        .route("/console/users", get(users_page::page))
        .route("/console/users/add", post(users_page::add))
        .route("/console/users/reset", post(users_page::reset))
        .route("/console/users/remove", post(users_page::remove))
        .route("/console/connect", get(connect::page))
        .route("/console/referrals", get(referrals::page))
        .route("/console/referrals.csv", get(referrals::csv))
        .route("/console/program", get(program_page::page).post(program_page::submit))
        .route("/console/program/rollback", post(program_page::rollback))
        .route("/console/program/export.json", get(program_page::export))
        .route("/console/program/preview", get(program_page::preview))
        .route("/console/program/drafts/{file}", get(program_page::draft_document))
        .route("/console/preview.js", get(program_page::preview_script))
}
