//! "Referrals" (`/console/referrals`, owners and staff; issue 12): the
//! referral report (`crate::http::referral_report`, the figures of
//! `/admin/referrals.json`): referred signups, referred orders and their
//! revenue, rewards paid, the top referrers (linked to their member pages)
//! and every refusal by reason. The CSV (one row per referral, with
//! shopper ids) is personal data, so it is the owner's, like the other
//! exports: `/console/referrals.csv`.
//!
//! Its words live here rather than in `i18n::Words`: they are this page's
//! alone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rewards_core::referral::Refusal;

use super::auth::{Console, Role};
use super::html::Html;
use super::i18n::Lang;
use super::layout;
use crate::http::referral_report;
use crate::App;

pub struct ReferralWords {
    pub nav: &'static str,
    title: &'static str,
    no_program: &'static str,
    figures: &'static str,
    signups: &'static str,
    orders: &'static str,
    revenue: &'static str,
    referrer_points: &'static str,
    friend_points: &'static str,
    friend_vouchers: &'static str,
    top_title: &'static str,
    none_yet: &'static str,
    member: &'static str,
    code: &'static str,
    friends: &'static str,
    points: &'static str,
    refusals_title: &'static str,
    no_refusals: &'static str,
    reason: &'static str,
    count: &'static str,
    csv: &'static str,
    csv_owner_only: &'static str,
    /// Each refusal's reason, in `Refusal::ALL`'s order.
    reasons: [&'static str; 5],
}

const EN: ReferralWords = ReferralWords {
    nav: "Referrals",
    title: "Referrals",
    no_program: "The program has no referral section: members have no referral links, and nothing is recorded.",
    figures: "Referral figures",
    signups: "Referred signups",
    orders: "Referred orders",
    revenue: "Revenue from referred orders (net of refunds)",
    referrer_points: "Points paid to referrers (net of reversals)",
    friend_points: "Points paid to friends (net of reversals)",
    friend_vouchers: "Vouchers given to friends",
    top_title: "Top referrers",
    none_yet: "No referrals yet.",
    member: "Member",
    code: "Code",
    friends: "Friends referred",
    points: "Points credited",
    refusals_title: "Refused referrals, by reason",
    no_refusals: "No referral has been refused.",
    reason: "Reason",
    count: "Times",
    csv: "Download every referral (CSV)",
    csv_owner_only: "The CSV export holds shopper ids: only the owner can download it.",
    reasons: [
        "Unknown code (never issued, or its member was deleted)",
        "Self-referral (same shopper, customer id or email)",
        "Already referred (the first valid code wins)",
        "Existing customer (a member or a buyer before the code came)",
        "Referrer cap reached (the friend was still rewarded)",
    ],
};

const VI: ReferralWords = ReferralWords {
    nav: "Giới thiệu",
    title: "Giới thiệu bạn bè",
    no_program: "Chương trình chưa có phần giới thiệu bạn bè: thành viên chưa có liên kết giới thiệu và chưa có gì được ghi nhận.",
    figures: "Số liệu giới thiệu",
    signups: "Đăng ký qua giới thiệu",
    orders: "Đơn hàng của bạn được giới thiệu",
    revenue: "Doanh thu từ các đơn đó (đã trừ hoàn tiền)",
    referrer_points: "Điểm đã trả cho người giới thiệu (đã trừ phần thu hồi)",
    friend_points: "Điểm đã trả cho bạn được giới thiệu (đã trừ phần thu hồi)",
    friend_vouchers: "Phiếu giảm giá đã tặng bạn được giới thiệu",
    top_title: "Người giới thiệu nhiều nhất",
    none_yet: "Chưa có lượt giới thiệu nào.",
    member: "Thành viên",
    code: "Mã",
    friends: "Số bạn đã giới thiệu",
    points: "Điểm đã cộng",
    refusals_title: "Lượt giới thiệu bị từ chối, theo lý do",
    no_refusals: "Chưa có lượt giới thiệu nào bị từ chối.",
    reason: "Lý do",
    count: "Số lần",
    csv: "Tải mọi lượt giới thiệu (CSV)",
    csv_owner_only: "Tệp CSV có mã khách hàng: chỉ chủ cửa hàng mới tải được.",
    reasons: [
        "Mã không tồn tại (chưa từng cấp, hoặc thành viên đã bị xoá)",
        "Tự giới thiệu (cùng khách, cùng mã khách hàng hoặc cùng email)",
        "Đã được giới thiệu trước (mã hợp lệ đầu tiên được tính)",
        "Khách cũ (đã là thành viên hoặc đã mua trước khi có mã)",
        "Người giới thiệu đã đạt giới hạn (bạn được giới thiệu vẫn nhận quà)",
    ],
};

impl Lang {
    pub fn referral_words(self) -> &'static ReferralWords {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

impl ReferralWords {
    /// A refusal's reason as the merchant reads it (an unknown one as stored).
    fn reason<'a>(&self, name: &'a str) -> &'a str {
        Refusal::ALL.iter().position(|(n, _)| *n == name).map_or(name, |i| self.reasons[i])
    }
}

pub async fn page(State(app): State<App>, console: Console) -> Response {
    let lang = console.lang();
    let rw = lang.referral_words();
    let report = match app.db.read().await {
        Ok(mut conn) => referral_report::figures(&mut conn).await,
        Err(e) => Err(e),
    };
    let f = match report {
        Ok(f) => f,
        Err(e) => return layout::storage_error(Some(&console), lang, e),
    };
    let currency = app.program().currency();
    let mut h = Html::new();
    h.el("<h1>", rw.title, "</h1>");
    if app.program().referral.is_none() {
        h.el("<p class=\"hint\">", rw.no_program, "</p>");
    }
    h.lit("<section aria-labelledby=\"ref-figures\"><h2 id=\"ref-figures\">").text(rw.figures).lit("</h2><dl class=\"facts\">");
    let facts = [
        (rw.signups, lang.number(f.signups)),
        (rw.orders, lang.number(f.orders)),
        (rw.revenue, lang.money(f.revenue, currency)),
        (rw.referrer_points, lang.number(f.referrer_points)),
        (rw.friend_points, lang.number(f.friend_points)),
        (rw.friend_vouchers, lang.number(f.friend_vouchers)),
    ];
    for (label, value) in facts {
        h.lit("<div>").el("<dt>", label, "</dt>").el("<dd>", &value, "</dd>").lit("</div>");
    }
    h.lit("</dl></section>");

    let top = [(rw.member, false), (rw.code, false), (rw.friends, true), (rw.points, true)];
    table_section(&mut h, "ref-top", rw.top_title, f.top.is_empty().then_some(rw.none_yet), &top, |h| {
        for (id, code, friends, points) in &f.top {
            h.lit("<tr><td data-label=\"").text(rw.member).lit("\"><a href=\"/console/members/").text(id).lit("\">").text(id);
            h.lit("</a></td><td data-label=\"").text(rw.code).lit("\"><code>").text(code).lit("</code></td>");
            h.lit("<td class=\"num\" data-label=\"").text(rw.friends).lit("\">").text(&lang.number(*friends)).lit("</td>");
            h.lit("<td class=\"num\" data-label=\"").text(rw.points).lit("\">").text(&lang.number(*points)).lit("</td></tr>");
        }
    });
    let cols = [(rw.reason, false), (rw.count, true)];
    table_section(&mut h, "ref-refusals", rw.refusals_title, f.refusals.is_empty().then_some(rw.no_refusals), &cols, |h| {
        for (reason, n) in &f.refusals {
            h.lit("<tr><td data-label=\"").text(rw.reason).lit("\">").text(rw.reason(reason)).lit("</td>");
            h.lit("<td class=\"num\" data-label=\"").text(rw.count).lit("\">").text(&lang.number(*n)).lit("</td></tr>");
        }
    });
    if console.user.role == Role::Owner {
        h.lit("<p><a href=\"/console/referrals.csv\" download>").text(rw.csv).lit("</a></p>");
    } else {
        h.el("<p class=\"hint\">", rw.csv_owner_only, "</p>");
    }
    layout::page(Some(&console), lang, rw.title, h, StatusCode::OK)
}

/// A section under its heading: `empty`'s words when there is nothing to
/// list, else a table of these columns (`true`: a number, right-aligned)
/// whose rows `rows` writes.
fn table_section(h: &mut Html, id: &'static str, title: &str, empty: Option<&str>, cols: &[(&str, bool)], rows: impl FnOnce(&mut Html)) {
    h.lit("<section aria-labelledby=\"").lit(id).lit("\"><h2 id=\"").lit(id).lit("\">").text(title).lit("</h2>");
    if let Some(words) = empty {
        h.el("<p>", words, "</p></section>");
        return;
    }
    h.lit("<div class=\"scroll\"><table class=\"stack-sm\"><thead><tr>");
    for (col, num) in cols {
        h.lit(if *num { "<th scope=\"col\" class=\"num\">" } else { "<th scope=\"col\">" }).text(col).lit("</th>");
    }
    h.lit("</tr></thead><tbody>");
    rows(h);
    h.lit("</tbody></table></div></section>");
}

/// `GET /console/referrals.csv`: the export, for owners.
pub async fn csv(State(app): State<App>, console: Console) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let text = match app.db.read().await {
        Ok(mut conn) => referral_report::csv_text(&mut conn).await,
        Err(e) => Err(e),
    };
    match text {
        Ok(t) => referral_report::attachment(t),
        Err(e) => layout::storage_error(Some(&console), console.lang(), e),
    }
}
