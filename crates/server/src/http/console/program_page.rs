//! The program editor (`/console/program`, owner only): the program as a
//! form ([`super::program_form`]) beside a live preview of the real widget
//! in its own frame (the built `rewards.js` reading the draft's published
//! document, as a store would), the change from the program in force,
//! every earlier version with a rollback, and the JSON import/export.
//! "Check and preview" validates and refreshes the frame; "Publish" puts
//! the draft in force ([`super::programs::publish`]).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rewards_core::shopper::HeldTier;
use rewards_core::Shopper;
use serde_json::Value;

use super::auth::{form, Console};
use super::html::Html;
use super::i18n::{fill, Lang};
use super::layout;
use super::members::pick;
use super::program_form::{self, Issues};
use super::programs::{self, Change, Refused};
use crate::error::ApiError;
use crate::http::extract::RawBody;
use crate::App;

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    draft: Option<String>,
    done: Option<String>,
}

pub async fn page(State(app): State<App>, console: Console, Query(q): Query<PageQuery>) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let current = app.program.get();
    let (text, draft_id) = match q.draft.as_deref() {
        Some(id) => match programs::draft(&app, id).await {
            Ok(Some(t)) => (t, Some(id.to_string())),
            Ok(None) => (current.text.clone(), None),
            Err(e) => return layout::api_error(Some(&console), console.lang(), e),
        },
        None => (current.text.clone(), None),
    };
    // The link says only that a publish happened; the version named is the one in force.
    let notice = (q.done.as_deref() == Some("published")).then(|| fill(console.lang().words().published_as, &[&app.program.get().version]));
    let view = View { text, draft_id, issues: Vec::new(), stale: None, notice };
    render(&app, &console, view, StatusCode::OK).await
}

/// What one rendering of the editor shows.
struct View {
    /// The draft's JSON text.
    text: String,
    /// The stored draft the preview frame shows (a valid one).
    draft_id: Option<String>,
    issues: Vec<(String, String)>,
    /// Refused as stale: the version now in force and what it changed.
    stale: Option<(String, Vec<Change>)>,
    notice: Option<String>,
}

async fn render(app: &App, console: &Console, v: View, status: StatusCode) -> Response {
    let (lang, w) = (console.lang(), console.lang().words());
    let current = app.program.get();
    let tree: Value = program_form::exact_tree(&v.text).unwrap_or(Value::Null);
    let mut known = Vec::new();
    program_form::paths(&tree, "", &mut known);
    let mut issues = Issues::new();
    for (path, message) in &v.issues {
        issues.entry(program_form::place(path, &known)).or_default().push(if path.is_empty() {
            message.clone()
        } else {
            format!("{path}: {message}")
        });
    }
    let mut h = Html::new();
    h.el("<h1>", w.program_title, "</h1>");
    if let Some(n) = &v.notice {
        h.el("<p class=\"ok\" role=\"status\">", n, "</p>");
    }
    if let Some((now, changes)) = &v.stale {
        h.lit("<div class=\"error\" role=\"alert\"><p>").text(&fill(w.stale, &[now])).lit("</p>");
        changes_list(&mut h, lang, changes);
        h.lit("</div>");
    }
    if !v.issues.is_empty() {
        h.lit("<div class=\"error\" role=\"alert\" id=\"issues\"><p>")
            .text(&fill(w.issues_found, &[&v.issues.len().to_string()]))
            .lit("</p><ul>");
        for (path, message) in &v.issues {
            let at = program_form::place(path, &known);
            h.lit("<li><a href=\"#")
                .text(&program_form::field_id(&at))
                .lit("\">")
                .text(if path.is_empty() { w.whole_program } else { path })
                .lit("</a>: ")
                .text(message)
                .lit("</li>");
        }
        h.lit("</ul></div>");
    }
    // What `check-config` and the start-up log warn about, said where the merchant edits it.
    let warnings = if v.issues.is_empty() { programs::check(&v.text).map(|p| p.warnings).unwrap_or_default() } else { Vec::new() };
    if !warnings.is_empty() {
        h.lit("<div class=\"warn\" role=\"status\" id=\"warnings\"><p>").text(w.warnings_found).lit("</p><ul>");
        for warning in &warnings {
            h.el("<li>", warning, "</li>");
        }
        h.lit("</ul></div>");
    }
    // The form is long: keyboard users jump straight to the side's sections.
    h.lit("<nav class=\"jump\" aria-label=\"").text(w.jump_to).lit("\"><ul>");
    for (target, label) in
        [("preview-h", w.preview), ("diff-h", w.changes_from_current), ("versions-h", w.versions), ("json-h", w.json_title)]
    {
        h.lit("<li><a href=\"#").text(target).lit("\">").text(label).lit("</a></li>");
    }
    h.lit("</ul></nav>");
    h.lit("<div class=\"editor\"><form method=\"post\" action=\"/console/program\" class=\"program-form\" novalidate>");
    h.hidden("csrf", &console.csrf).hidden("base", &current.version).hidden("draft", &v.text);
    h.lit("<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"preview\">")
        .text(w.check_preview)
        .lit("</button> <button type=\"submit\" name=\"op\" value=\"publish\">")
        .text(w.publish)
        .lit("</button></div>");
    let shape: Value = program_form::exact_tree(&current.text).unwrap_or(Value::Null);
    program_form::render(&mut h, &tree, &shape, &issues, lang);
    h.lit("<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"preview\">")
        .text(w.check_preview)
        .lit("</button> <button type=\"submit\" name=\"op\" value=\"publish\">")
        .text(w.publish)
        .lit("</button></div></form>");
    h.lit("<aside class=\"side\">");
    // The sample members are the draft's tiers (a tier just added included).
    let draft = v.draft_id.as_ref().and_then(|_| programs::check(&v.text).ok());
    preview_frame(&mut h, lang, v.draft_id.as_deref(), draft.as_ref().map_or(app.program(), |d| &d.engine.program));
    h.lit("<section aria-labelledby=\"diff-h\"><h2 id=\"diff-h\" tabindex=\"-1\">").text(w.changes_from_current).lit("</h2>");
    let changes = programs::diff_texts(&current.text, &v.text);
    if changes.is_empty() {
        h.el("<p>", w.no_changes, "</p>");
    } else {
        changes_list(&mut h, lang, &changes);
    }
    h.lit("</section>");
    versions_section(&mut h, app, console).await;
    h.lit("<section aria-labelledby=\"json-h\"><h2 id=\"json-h\" tabindex=\"-1\">")
        .text(w.json_title)
        .lit("</h2><p><a href=\"/console/program/export.json\" download=\"program.json\">")
        .text(w.export_json)
        .lit("</a></p>");
    h.lit("<form method=\"post\" action=\"/console/program\" class=\"stack\">")
        .hidden("csrf", &console.csrf)
        .hidden("base", &current.version)
        .hidden("draft", "{}");
    h.lit("<label for=\"json\">").text(w.import_json).lit("</label><textarea id=\"json\" name=\"json\" rows=\"6\" spellcheck=\"false\"></textarea><button type=\"submit\" name=\"op\" value=\"import\">").text(w.check_preview).lit("</button></form></section>");
    h.lit("</aside></div>");
    layout::page(Some(console), lang, w.program_title, h, status)
}

fn changes_list(h: &mut Html, lang: Lang, changes: &[Change]) {
    let w = lang.words();
    h.lit("<ul class=\"changes\">");
    for c in changes.iter().take(200) {
        h.lit("<li><code>").text(&c.path).lit("</code>: ");
        match (&c.before, &c.after) {
            (Some(b), Some(a)) => h.text(&fill(w.changed_from_to, &[b, a])),
            (None, Some(a)) => h.text(&fill(w.added_value, &[a])),
            (Some(b), None) => h.text(&fill(w.removed_value, &[b])),
            (None, None) => h,
        };
        h.lit("</li>");
    }
    h.lit("</ul>");
}

fn preview_frame(h: &mut Html, lang: Lang, draft: Option<&str>, program: &rewards_core::Program) {
    let w = lang.words();
    h.lit("<section aria-labelledby=\"preview-h\"><h2 id=\"preview-h\" tabindex=\"-1\">").text(w.preview).lit("</h2>");
    let Some(id) = draft else {
        h.el("<p class=\"hint\">", w.preview_needs_check, "</p></section>");
        return;
    };
    let mut whos: Vec<(String, String)> = vec![("guest".into(), w.preview_guest.into())];
    if let Some(t) = &program.tiers {
        whos.extend(t.levels.iter().map(|l| (format!("tier:{}", l.id), fill(w.preview_member_of, &[pick(&l.name, lang)]))));
    } else {
        whos.push(("member".into(), w.preview_member.into()));
    }
    h.lit("<nav class=\"preview-who\" aria-label=\"").text(w.preview).lit("\"><ul>");
    for (who, label) in &whos {
        for (view, view_label) in [("explainer", w.preview_explainer), ("popup", w.preview_popup)] {
            if view == "popup" && who != "guest" {
                continue;
            }
            h.lit("<li><a target=\"preview\" href=\"/console/program/preview?draft=")
                .text(id)
                .lit("&amp;who=")
                .text(who)
                .lit("&amp;view=")
                .text(view)
                .lit("&amp;lang=")
                .text(lang.code())
                .lit("\">")
                .text(label)
                .lit(" · ")
                .text(view_label)
                .lit("</a></li>");
        }
    }
    h.lit("</ul></nav><iframe name=\"preview\" title=\"")
        .text(w.preview)
        .lit("\" src=\"/console/program/preview?draft=")
        .text(id)
        .lit("&amp;who=guest&amp;view=explainer&amp;lang=")
        .text(lang.code())
        .lit("\"></iframe></section>");
}

async fn versions_section(h: &mut Html, app: &App, console: &Console) {
    let (lang, w) = (console.lang(), console.lang().words());
    h.lit("<section aria-labelledby=\"versions-h\"><h2 id=\"versions-h\" tabindex=\"-1\">").text(w.versions).lit("</h2>");
    let rows = match app.db.read().await {
        Ok(mut c) => programs::list(&mut c, 50).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let current = app.program.get();
    h.lit("<ol class=\"versions\">");
    if !rows.iter().any(|r| r.version == current.version) {
        // In force since start-up and not recorded yet (recorded at the first publish).
        h.lit("<li><code>").text(&current.version).lit("</code> <strong>").text(w.in_force).lit("</strong></li>");
    }
    for r in rows {
        h.lit("<li><code>")
            .text(&r.version)
            .lit("</code> · ")
            .text(&lang.instant(r.at))
            .lit(" · ")
            .text(&r.actor)
            .lit(" (")
            .text(&r.source)
            .lit(")");
        if r.version == current.version {
            h.lit(" <strong>").text(w.in_force).lit("</strong>");
        } else {
            h.lit("<form method=\"post\" action=\"/console/program/rollback\" class=\"inline\">")
                .hidden("csrf", &console.csrf)
                .hidden("base", &current.version);
            h.lit("<input type=\"hidden\" name=\"seq\" value=\"")
                .num(r.seq)
                .lit("\"><button type=\"submit\" class=\"secondary\">")
                .text(&fill(w.roll_back_to, &[&r.version]))
                .lit("</button></form>");
        }
        h.lit("</li>");
    }
    h.lit("</ol></section>");
}

pub async fn submit(State(app): State<App>, console: Console, RawBody(body): RawBody) -> Response {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else { return bad_form(&console) };
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if let Some(r) = console.csrf_refusal(get("csrf").unwrap_or("")) {
        return r;
    }
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let (op, base) = (get("op").unwrap_or("preview").to_string(), get("base").unwrap_or("").to_string());
    let mut issues = Vec::new();
    let tree = if op == "import" {
        let pasted = get("json").unwrap_or("");
        match program_form::exact_tree(pasted) {
            Some(t) => t,
            None => {
                let why = rewards_core::json::Json::parse(pasted).err().unwrap_or_default();
                issues.push((String::new(), format!("not JSON: {why}")));
                program_form::exact_tree(&app.program.text).unwrap_or(Value::Null)
            }
        }
    } else {
        let Some(mut tree) = program_form::exact_tree(get("draft").unwrap_or("")) else { return bad_form(&console) };
        let leaves: Vec<(String, String)> = fields.iter().filter(|(n, _)| n.contains(':')).cloned().collect();
        if program_form::apply(&mut tree, &leaves).is_err() {
            return bad_form(&console);
        }
        if op.starts_with("add:") || op.starts_with("remove:") {
            program_form::edit(&mut tree, &op);
        }
        tree
    };
    let text = serde_json::to_string_pretty(&tree).unwrap_or_default();
    if issues.is_empty() {
        if let Err(found) = programs::check(&text) {
            issues = found;
        }
    }
    if op == "publish" && issues.is_empty() {
        return match programs::publish(&app, &console.actor(), &text, &base, "console").await {
            Ok(Ok(_)) => Redirect::to("/console/program?done=published").into_response(),
            Ok(Err(refused)) => refused_page(&app, &console, text, refused).await,
            Err(e) => layout::api_error(Some(&console), console.lang(), e),
        };
    }
    let draft_id = if issues.is_empty() {
        match programs::save_draft(&app, console.user.id, &text).await {
            Ok(id) => Some(id),
            Err(e) => return layout::api_error(Some(&console), console.lang(), e),
        }
    } else {
        None
    };
    let status = if issues.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render(&app, &console, View { text, draft_id, issues, stale: None, notice: None }, status).await
}

async fn refused_page(app: &App, console: &Console, text: String, refused: Refused) -> Response {
    let w = console.lang().words();
    let (view, status) = match refused {
        Refused::Invalid(issues) => (View { text, draft_id: None, issues, stale: None, notice: None }, StatusCode::UNPROCESSABLE_ENTITY),
        Refused::Stale { now, changes } => {
            (View { text, draft_id: None, issues: Vec::new(), stale: Some((now, changes)), notice: None }, StatusCode::CONFLICT)
        }
        Refused::Unchanged => {
            (View { text, draft_id: None, issues: Vec::new(), stale: None, notice: Some(w.no_changes.into()) }, StatusCode::OK)
        }
    };
    render(app, console, view, status).await
}

fn bad_form(console: &Console) -> Response {
    layout::message(Some(console), console.lang(), StatusCode::UNPROCESSABLE_ENTITY, console.lang().words().form_expired)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RollbackForm {
    csrf: String,
    base: String,
    seq: i64,
}

pub async fn rollback(State(app): State<App>, console: Console, RawBody(body): RawBody) -> Response {
    let Some(f) = form::<RollbackForm>(&body) else { return bad_form(&console) };
    if let Some(r) = console.csrf_refusal(&f.csrf) {
        return r;
    }
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    match programs::rollback(&app, &console.actor(), f.seq, &f.base).await {
        Ok(Ok(_)) => Redirect::to("/console/program?done=published").into_response(),
        Ok(Err(refused)) => refused_page(&app, &console, app.program.text.clone(), refused).await,
        Err(e) if e.status == StatusCode::NOT_FOUND => layout::message(Some(&console), console.lang(), StatusCode::NOT_FOUND, &e.message),
        Err(e) => layout::api_error(Some(&console), console.lang(), e),
    }
}

/// `GET /console/program/export.json`: the program in force, as its file.
pub async fn export(State(app): State<App>, console: Console) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"program.json\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        app.program.text.clone(),
    )
        .into_response()
}

/// `GET /console/program/drafts/{id}.json`: a draft's published document, what the preview's widget reads.
pub async fn draft_document(State(app): State<App>, console: Console, Path(file): Path<String>) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let id = file.strip_suffix(".json").unwrap_or("");
    let text = match programs::draft(&app, id).await {
        Ok(Some(t)) => t,
        Ok(None) => return ApiError::not_found("no such draft").into_response(),
        Err(e) => return e.into_response(),
    };
    match programs::check(&text) {
        Ok(p) => crate::http::error::json_body(p.published),
        Err(_) => ApiError::not_found("the draft no longer validates").into_response(),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    draft: String,
    who: Option<String>,
    view: Option<String>,
    lang: Option<String>,
}

/// The preview frame's CSP: the widget's own scripts and WebAssembly, from this origin only.
const PREVIEW_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

/// `GET /console/program/preview`: the real widget on a sample page,
/// reading the draft; `who` a guest or a sample member of a tier, `view`
/// the explainer or the popup opened; the checkout prompt for a sample cart.
pub async fn preview(State(app): State<App>, console: Console, Query(q): Query<PreviewQuery>) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let lang = q.lang.as_deref().and_then(Lang::from_code).unwrap_or(console.lang());
    let text = match programs::draft(&app, &q.draft).await {
        Ok(Some(t)) => t,
        _ => return layout::message(Some(&console), lang, StatusCode::NOT_FOUND, lang.words().preview_needs_check),
    };
    let Ok(loaded) = programs::check(&text) else {
        return layout::message(Some(&console), lang, StatusCode::NOT_FOUND, lang.words().preview_needs_check);
    };
    let program = &loaded.engine.program;
    let now = app.clock.now();
    let who = q.who.unwrap_or_else(|| "guest".into());
    let shopper = sample_shopper(program, &who, now).map_or("null".to_string(), |s| s.to_json().to_text());
    let cart = sample_cart(program);
    let view = if q.view.as_deref() == Some("popup") && who == "guest" { "popup" } else { "explainer" };
    let mut h = Html::new();
    h.lit("<!doctype html><html lang=\"").text(lang.code()).lit("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/console/console.css\"><title>");
    h.text(lang.words().preview)
        .lit("</title></head><body class=\"preview-page\"><main id=\"preview\" data-shopper=\"")
        .text(&shopper)
        .lit("\" data-cart=\"")
        .text(&cart)
        .lit("\" data-open=\"")
        .text(view)
        .lit("\">");
    h.el("<h1 class=\"preview-store\">", &program.store.name, "</h1>");
    h.lit("<rewards-checkout-prompt></rewards-checkout-prompt></main>");
    h.lit("<script src=\"/rewards.js\" data-config=\"/console/program/drafts/")
        .text(&q.draft)
        .lit(".json\" data-locale=\"")
        .text(lang.code())
        .lit("\"></script><script src=\"/console/preview.js\"></script></body></html>");
    let mut r =
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], h.into_string()).into_response();
    let hs = r.headers_mut();
    hs.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_CSP));
    hs.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    hs.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    r
}

/// `/console/preview.js`: hands the frame's sample shopper and cart to the widget and opens the surface.
pub async fn preview_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], include_str!("preview.js"))
        .into_response()
}

/// A sample member for the preview: `tier:<id>` holds that tier with its
/// threshold reached this period; `member` a member without tiers; else a guest.
fn sample_shopper(program: &rewards_core::Program, who: &str, now: i64) -> Option<Shopper> {
    if who == "guest" {
        return None;
    }
    let mut s = Shopper { member: true, balance: 1_200, lifetime_orders: 4, last_activity: Some(now - 86_400_000), ..Shopper::default() };
    if let (Some(id), Some(t)) = (who.strip_prefix("tier:"), program.tiers.as_ref()) {
        let level = t.levels.iter().find(|l| l.id == id)?;
        match t.metric {
            rewards_core::config::Metric::Spend => s.period_spend = level.threshold,
            rewards_core::config::Metric::Points => s.period_points = level.threshold,
            rewards_core::config::Metric::Orders => s.period_orders = level.threshold,
        }
        s.tier = Some(HeldTier { id: level.id.clone(), since: now - 30 * 86_400_000 });
    }
    Some(s)
}

/// A sample cart: two of one product worth 25 earning steps each.
fn sample_cart(program: &rewards_core::Program) -> String {
    let price = program.earning.step.saturating_mul(25);
    serde_json::json!({"currency": program.currency().code(), "lines": [{"id": "l1", "product_id": "sample", "title": "Sample", "unit_price": price, "quantity": 2}]}).to_string()
}
