//! Members: the search page (`/console`) and one member's page
//! (`/console/members/{id}`): balance, pending points, tier and its
//! deadline, stamps, store credit, vouchers, consents with the exact
//! wording agreed to, and the points history in plain words
//! (`describe::entry_in`). Every number comes from the ledger's own
//! functions and the core (`ledger::load`, `tiers::progress`,
//! `punch::progress`), as `GET /api/shopper` shows them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rewards_core::config::Text;
use rewards_core::{punch, tiers};

use super::auth::{Console, Role};
use super::html::Html;
use super::i18n::{fill, Lang};
use super::layout;
use crate::services::vouchers::{self, Status};
use crate::storage::db::Conn;
use crate::storage::entries::{self, EntryRow};
use crate::storage::ledger::{self, ShopperRow};
use crate::storage::shoppers::{self, ConsentRow};
use crate::App;

/// Most members one search lists.
pub const LISTED: i64 = 50;
/// Longest search text accepted.
const MAX_QUERY_CHARS: usize = 200;

/// Ids of the members matching `q` (the newest first), or the newest members for an empty `q`.
pub async fn search(conn: &mut Conn, q: &str) -> crate::storage::Result<Vec<String>> {
    shoppers::search(conn, q, LISTED).await
}

/// Text in the merchant's language: theirs, else the one for every language, else the first.
pub fn pick(text: &Text, lang: Lang) -> &str {
    let find = |code: &str| text.0.iter().find(|(l, _)| l == code).map(|(_, t)| t.as_str());
    find(lang.code()).or_else(|| find("*")).or_else(|| text.0.first().map(|(_, t)| t.as_str())).unwrap_or("")
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
}

pub async fn list(State(app): State<App>, console: Console, Query(query): Query<ListQuery>) -> Response {
    let (lang, w) = (console.lang(), console.lang().words());
    let q: String = query.q.unwrap_or_default().chars().take(MAX_QUERY_CHARS).collect();
    let now = app.clock.now();
    let program = app.program();
    let found: crate::storage::Result<Vec<(ShopperRow, ledger::State)>> = async {
        let mut conn = app.db.read().await?;
        let mut out = Vec::new();
        for id in search(&mut conn, &q).await? {
            let Some(row) = ledger::find(&mut conn, "id", &id).await? else { continue };
            let state = ledger::load(&mut conn, program, row.clone(), now).await?;
            out.push((row, state));
        }
        Ok(out)
    }
    .await;
    let found = match found {
        Ok(f) => f,
        Err(e) => return layout::storage_error(Some(&console), lang, e),
    };
    let mut h = Html::new();
    h.el("<h1>", w.nav_members, "</h1>");
    h.lit("<form method=\"get\" action=\"/console\" class=\"search\" role=\"search\"><div><label for=\"q\">").text(w.search_label);
    h.lit("</label><input id=\"q\" name=\"q\" type=\"search\" value=\"")
        .text(&q)
        .lit("\"></div><button type=\"submit\">")
        .text(w.search)
        .lit("</button></form>");
    let caption = if q.trim().is_empty() { w.recent_members.to_string() } else { fill(w.results_for, &[q.trim()]) };
    if found.is_empty() {
        h.el("<h2>", &caption, "</h2>").el("<p>", w.no_member, "</p>");
    } else {
        h.lit("<div class=\"scroll\"><table class=\"stack-sm\"><caption>").text(&caption).lit("</caption><thead><tr>");
        for (col, num) in [(w.email, false), (w.customer_id, false), (w.points, true), (w.tier, false), (w.joined, false)] {
            h.lit(if num { "<th scope=\"col\" class=\"num\">" } else { "<th scope=\"col\">" }).text(col).lit("</th>");
        }
        h.lit("</tr></thead><tbody>");
        for (row, state) in &found {
            let label = row.email.as_deref().or(row.customer_id.as_deref()).unwrap_or(w.erased_member);
            h.lit("<tr><td data-label=\"")
                .text(w.email)
                .lit("\"><a href=\"/console/members/")
                .text(&row.id)
                .lit("\">")
                .text(label)
                .lit("</a></td>");
            h.lit("<td data-label=\"").text(w.customer_id).lit("\">").text(row.customer_id.as_deref().unwrap_or("—")).lit("</td>");
            h.lit("<td class=\"num\" data-label=\"").text(w.points).lit("\">").text(&lang.number(state.shopper.balance)).lit("</td>");
            let tier = tiers::current(program, &state.shopper, now).map_or(w.no_tier, |t| pick(&t.name, lang));
            h.lit("<td data-label=\"").text(w.tier).lit("\">").text(tier).lit("</td>");
            let joined = row.signed_up_at.map_or(w.not_joined.to_string(), |t| lang.day(t));
            h.lit("<td data-label=\"").text(w.joined).lit("\">").text(&joined).lit("</td></tr>");
        }
        h.lit("</tbody></table></div>");
    }
    layout::page(Some(&console), lang, w.nav_members, h, StatusCode::OK)
}

/// What the member page says above its sections after a form: done, or refused at a field.
#[derive(Default)]
pub enum Notice {
    #[default]
    None,
    /// A form went through: which (the page says what, from the database).
    Done(Done),
    /// The adjustment form refused: (field id, message, points typed, reason typed).
    Adjust(&'static str, String, String, String),
    /// A voucher could not be voided: (code, message).
    Void(String, String),
    Erase(String),
}

/// What the redirect after a form names: a code, never text to show. The
/// page reads what happened from the database (the newest adjustment, the
/// voucher's state), so a crafted link cannot make it say anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Adjusted,
    Voided(String),
    Resent(String),
}

#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    done: Option<String>,
    code: Option<String>,
}

pub async fn page(State(app): State<App>, console: Console, Path(id): Path<String>, Query(q): Query<PageQuery>) -> Response {
    let code = || vouchers::normalise(q.code.as_deref().unwrap_or(""));
    let notice = match q.done.as_deref() {
        Some("adjusted") => Notice::Done(Done::Adjusted),
        Some("voided") => Notice::Done(Done::Voided(code())),
        Some("resent") => Notice::Done(Done::Resent(code())),
        _ => Notice::None,
    };
    render(&app, &console, &id, notice, StatusCode::OK).await
}

struct Loaded {
    row: ShopperRow,
    state: ledger::State,
    credit: (i64, i64),
    vouchers: Vec<vouchers::Voucher>,
    consents: Vec<ConsentRow>,
    lines: Vec<EntryRow>,
    erased: Option<(i64, String)>,
}

/// Newest history lines shown.
const HISTORY: i64 = 500;

async fn load(app: &App, id: &str, now: i64) -> crate::storage::Result<Option<Loaded>> {
    let mut conn = app.db.read().await?;
    let Some(row) = ledger::find(&mut conn, "id", id).await? else { return Ok(None) };
    let state = ledger::load(&mut conn, app.program(), row.clone(), now).await?;
    let credit = ledger::store_credit(&mut conn, id, now).await?;
    let vouchers = vouchers::of_shopper(&mut conn, id).await?;
    let consents = shoppers::consents(&mut conn, id).await?;
    let lines = entries::newest(&mut conn, id, HISTORY).await?;
    let erased = shoppers::erasure(&mut conn, id).await?;
    Ok(Some(Loaded { row, state, credit, vouchers, consents, lines, erased }))
}

/// The member page with `notice` at its place; `status` 422 for a refused form.
pub async fn render(app: &App, console: &Console, id: &str, notice: Notice, status: StatusCode) -> Response {
    let (lang, w) = (console.lang(), console.lang().words());
    let now = app.clock.now();
    let m = match load(app, id, now).await {
        Ok(Some(m)) => m,
        Ok(None) => return layout::message(Some(console), lang, StatusCode::NOT_FOUND, w.not_found),
        Err(e) => return layout::storage_error(Some(console), lang, e),
    };
    let program = app.program();
    let currency = program.currency();
    let title = m.row.email.clone().or_else(|| m.row.customer_id.clone()).unwrap_or_else(|| w.erased_member.to_string());
    let mut h = Html::new();
    h.el("<h1>", &title, "</h1>");
    match &notice {
        Notice::Done(Done::Adjusted) => {
            if let Some(l) = m.lines.iter().find(|l| l.cause == "adjustment") {
                h.el("<p class=\"ok\" role=\"status\">", &fill(w.adjusted, &[&lang.points(l.delta)]), "</p>");
            }
        }
        Notice::Done(Done::Voided(code)) if m.vouchers.iter().any(|v| &v.code == code && matches!(v.status, Status::Voided(_))) => {
            h.el("<p class=\"ok\" role=\"status\">", &fill(w.voided_done, &[code]), "</p>");
        }
        Notice::Done(Done::Resent(code)) => {
            if let Some(v) = m.vouchers.iter().find(|v| &v.code == code && v.status == Status::Unused) {
                super::resend::message(&mut h, lang, program, &m.row, v);
            }
        }
        Notice::Erase(text) => {
            h.el("<p class=\"error\" role=\"alert\">", text, "</p>");
        }
        _ => {}
    }
    if let Some((at, actor)) = &m.erased {
        h.el("<p class=\"ok\">", &fill(w.erased_on, &[&lang.instant(*at), actor]), "</p>");
    }
    // The facts.
    let shopper = &m.state.shopper;
    let mut facts: Vec<(&str, String)> = vec![(w.balance, lang.number(shopper.balance)), (w.pending, lang.number(shopper.pending))];
    let progress = tiers::progress(program, shopper, None, now).ok().flatten();
    if let (Some(t), Some(p)) = (program.tiers.as_ref(), progress.as_ref()) {
        let name = p.current.map_or(w.no_tier, |i| pick(&t.levels[i].name, lang));
        facts.push((w.tier, name.to_string()));
        if p.current.is_some() {
            facts.push((w.tier_deadline, p.deadline.map_or(w.no_deadline.to_string(), |d| lang.day(d))));
        }
    }
    if let Some(card) = punch::progress(program, shopper, None, now).ok().flatten() {
        facts.push((w.stamps, fill(w.stamps_of, &[&card.stamps.to_string(), &card.required.to_string()])));
    }
    if m.credit != (0, 0) {
        facts.push((w.store_credit, lang.money(m.credit.0, currency)));
    }
    facts.push((w.customer_id, m.row.customer_id.clone().unwrap_or_else(|| "—".into())));
    facts.push((w.shopper_id, m.row.id.clone()));
    if let Some(name) = &m.row.name {
        facts.push((w.name, name.clone()));
    }
    if let Some(b) = &m.row.birthday {
        facts.push((w.birthday, b.clone()));
    }
    facts.push((w.joined, m.row.signed_up_at.map_or(w.not_joined.to_string(), |t| lang.day(t))));
    h.lit("<dl class=\"facts\">");
    for (k, v) in &facts {
        h.lit("<div>").el("<dt>", k, "</dt>").el("<dd>", v, "</dd>").lit("</div>");
    }
    h.lit("</dl>");
    h.lit("<div class=\"cols\">");
    adjust_form(&mut h, console, id, &notice);
    if console.user.role == Role::Owner && m.erased.is_none() {
        erase_form(&mut h, console, id);
    }
    h.lit("</div>");
    vouchers_section(&mut h, console, id, &m, program, &notice);
    consents_section(&mut h, lang, &m.consents);
    history_section(&mut h, lang, &m.lines, currency);
    layout::page(Some(console), lang, &title, h, status)
}

fn adjust_form(h: &mut Html, console: &Console, id: &str, notice: &Notice) {
    let w = console.lang().words();
    let (field, message, points, reason) = match notice {
        Notice::Adjust(f, m, p, r) => (*f, m.as_str(), p.as_str(), r.as_str()),
        _ => ("", "", "", ""),
    };
    h.lit("<section class=\"card\" aria-labelledby=\"adjust-h\"><h2 id=\"adjust-h\">").text(w.adjust).lit("</h2>");
    h.lit("<form method=\"post\" action=\"/console/members/").text(id).lit("/adjust\" class=\"stack\" novalidate>");
    h.hidden("csrf", &console.csrf).hidden("key", &hex::encode(rand::random::<[u8; 12]>()));
    let error_at = |h: &mut Html, name: &str| {
        if field == name {
            h.lit("<p class=\"field-error\" id=\"").text(name).lit("-error\">").text(message).lit("</p>");
        }
    };
    h.lit("<label for=\"points\">")
        .text(w.adjust_points)
        .lit("</label><p class=\"hint\" id=\"points-hint\">")
        .text(w.adjust_hint)
        .lit("</p>");
    error_at(h, "points");
    h.lit("<input id=\"points\" name=\"points\" inputmode=\"numeric\" required value=\"")
        .text(points)
        .lit("\" aria-describedby=\"points-hint");
    if field == "points" {
        h.lit(" points-error\" aria-invalid=\"true\" autofocus");
    } else {
        h.lit("\"");
    }
    h.lit(">");
    h.lit("<label for=\"reason\">").text(w.reason).lit("</label>");
    error_at(h, "reason");
    h.lit("<input id=\"reason\" name=\"reason\" maxlength=\"200\" required value=\"").text(reason).lit("\"");
    if field == "reason" {
        h.lit(" aria-describedby=\"reason-error\" aria-invalid=\"true\" autofocus");
    }
    h.lit("><button type=\"submit\">").text(w.adjust_submit).lit("</button></form></section>");
}

fn erase_form(h: &mut Html, console: &Console, id: &str) {
    let w = console.lang().words();
    h.lit("<section class=\"card\" aria-labelledby=\"erase-h\"><h2 id=\"erase-h\">").text(w.erase).lit("</h2>").el(
        "<p class=\"hint\">",
        w.erase_note,
        "</p>",
    );
    h.lit("<form method=\"post\" action=\"/console/members/").text(id).lit("/erase\" class=\"stack\">").hidden("csrf", &console.csrf);
    h.lit("<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\"> ").text(w.erase_confirm).lit("</label>");
    h.lit("<button type=\"submit\" class=\"danger\">").text(w.erase_submit).lit("</button></form></section>");
}

fn vouchers_section(h: &mut Html, console: &Console, id: &str, m: &Loaded, program: &rewards_core::Program, notice: &Notice) {
    let (lang, w) = (console.lang(), console.lang().words());
    h.lit("<section aria-labelledby=\"vouchers-h\"><h2 id=\"vouchers-h\">").text(w.vouchers).lit("</h2>");
    if let Notice::Void(_, message) = notice {
        h.el("<p class=\"error\" role=\"alert\">", message, "</p>");
    }
    if m.vouchers.is_empty() {
        h.el("<p>", w.no_vouchers, "</p></section>");
        return;
    }
    h.lit("<div class=\"scroll\"><table class=\"stack-sm\"><thead><tr>");
    for col in [w.code, w.value, w.issued, w.status, w.action] {
        h.el("<th scope=\"col\">", col, "</th>");
    }
    h.lit("</tr></thead><tbody>");
    for v in &m.vouchers {
        let currency = rewards_core::money::Currency::from_code(&v.currency).unwrap_or(program.currency());
        h.lit("<tr><td data-label=\"").text(w.code).lit("\"><code>").text(&v.code).lit("</code></td>");
        h.lit("<td data-label=\"").text(w.value).lit("\">").text(&lang.money(v.discount, currency)).lit("</td>");
        h.lit("<td data-label=\"").text(w.issued).lit("\">").text(&lang.instant(v.issued_at)).lit("</td>");
        let status = match &v.status {
            Status::Unused => w.voucher_unused.to_string(),
            Status::Used(order) => fill(w.voucher_used, &[order]),
            Status::Voided(reason) => fill(w.voucher_voided, &[reason]),
        };
        h.lit("<td data-label=\"").text(w.status).lit("\">").text(&status).lit("</td><td>");
        if v.status == Status::Unused {
            let field = format!("void-{}", v.code);
            h.lit("<form method=\"post\" action=\"/console/members/")
                .text(id)
                .lit("/void\" class=\"inline\">")
                .hidden("csrf", &console.csrf)
                .hidden("code", &v.code);
            h.lit("<label for=\"").text(&field).lit("\">").text(&fill(w.void_reason, &[&v.code])).lit("</label>");
            h.lit("<input id=\"")
                .text(&field)
                .lit("\" name=\"reason\" required maxlength=\"200\"><button type=\"submit\">")
                .text(w.void)
                .lit("</button></form>");
            super::resend::button(h, console, id, &v.code);
        }
        h.lit("</td></tr>");
    }
    h.lit("</tbody></table></div></section>");
}

fn consents_section(h: &mut Html, lang: Lang, consents: &[ConsentRow]) {
    let w = lang.words();
    h.lit("<section aria-labelledby=\"consents-h\"><h2 id=\"consents-h\">").text(w.consents).lit("</h2>");
    if consents.is_empty() {
        h.el("<p>", w.no_consents, "</p></section>");
        return;
    }
    h.lit("<div class=\"scroll\"><table class=\"stack-sm\"><thead><tr>");
    for col in [w.purpose, w.answer, w.when, w.wording] {
        h.el("<th scope=\"col\">", col, "</th>");
    }
    h.lit("</tr></thead><tbody>");
    for c in consents {
        h.lit("<tr><td data-label=\"").text(w.purpose).lit("\">").text(&c.purpose).lit(" (v").num(c.version).lit(")</td>");
        h.lit("<td data-label=\"").text(w.answer).lit("\">").text(if c.granted { w.agreed } else { w.declined }).lit("</td>");
        h.lit("<td data-label=\"").text(w.when).lit("\">").text(&lang.instant(c.at)).lit("</td>");
        h.lit("<td data-label=\"")
            .text(w.wording)
            .lit("\"><p class=\"wording\" lang=\"")
            .text(&c.locale)
            .lit("\">")
            .text(&c.text)
            .lit("</p></td></tr>");
    }
    h.lit("</tbody></table></div></section>");
}

fn history_section(h: &mut Html, lang: Lang, lines: &[EntryRow], currency: rewards_core::money::Currency) {
    let w = lang.words();
    h.lit("<section aria-labelledby=\"history-h\"><h2 id=\"history-h\">").text(w.history).lit("</h2>");
    if lines.is_empty() {
        h.el("<p>", w.no_history, "</p></section>");
        return;
    }
    h.lit("<div class=\"scroll\"><table class=\"stack-sm\" id=\"history\"><thead><tr>");
    for col in [w.when, w.what, w.available_from] {
        h.el("<th scope=\"col\">", col, "</th>");
    }
    h.lit("</tr></thead><tbody>");
    for l in lines {
        let text = crate::http::describe::entry_in(lang, &l.cause, &l.reference, l.delta, &l.detail, currency);
        h.lit("<tr><td data-label=\"").text(w.when).lit("\">").text(&lang.instant(l.at)).lit("</td>");
        h.lit("<td data-label=\"").text(w.what).lit("\">").text(&text).lit("</td>");
        let available = if l.available_at > l.at { lang.day(l.available_at) } else { "—".into() };
        h.lit("<td data-label=\"").text(w.available_from).lit("\">").text(&available).lit("</td></tr>");
    }
    h.lit("</tbody></table></div></section>");
}
