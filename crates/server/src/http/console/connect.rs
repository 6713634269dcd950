//! "Connect your store" (`/console/connect`, owners; issue 11, part 4):
//! the webhook URLs to paste into Shopify or WooCommerce, whether each
//! platform's secret is set, the theme snippet with this server's URL
//! filled in, which topics arrived in the last 7 days and every refused
//! delivery with the error its sender got (`crate::http::deliveries`).
//!
//! Its words live here rather than in `i18n::Words`: they are this page's
//! alone. The snippet shown is the file merchants install
//! (`integrations/shopify/snippets/rewards-widget.liquid`), read at build
//! time, so the page and the file cannot disagree.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use super::auth::Console;
use super::html::Html;
use super::i18n::{fill, Lang};
use super::layout;
use crate::http::deliveries::{self, Platform, Refusal};
use crate::App;

/// The theme snippet, as merchants install it.
const SHOPIFY_SNIPPET: &str = include_str!("../../../../../integrations/shopify/snippets/rewards-widget.liquid");
/// The window of "arrived recently", in days.
const RECENT_DAYS: i64 = 7;
/// Refusals listed per route.
const LISTED: i64 = 50;
/// The server's own webhooks (a merchant backend signs them).
const OWN_ROUTES: [&str; 4] = ["orders", "refunds", "actions", "membership"];

pub struct ConnectWords {
    pub nav: &'static str,
    title: &'static str,
    lead: &'static str,
    url_label: &'static str,
    topics_label: &'static str,
    secret_set: &'static str,
    secret_missing: &'static str,
    shopify_award_on: &'static str,
    woo_statuses: &'static str,
    shopify_steps: &'static str,
    woo_steps: &'static str,
    theme_label: &'static str,
    snippet_file: &'static str,
    plugin_label: &'static str,
    recent_title: &'static str,
    nothing_recent: &'static str,
    topic: &'static str,
    count: &'static str,
    last: &'static str,
    refused_title: &'static str,
    nothing_refused: &'static str,
    when: &'static str,
    status: &'static str,
    error: &'static str,
    field: &'static str,
    delivery: &'static str,
    unrecorded: &'static str,
    own_title: &'static str,
    own_lead: &'static str,
}

const EN: ConnectWords = ConnectWords {
    nav: "Connect your store",
    title: "Connect your store",
    lead: "Paste these addresses into your store's admin. Points arrive as soon as the first order webhook does; this page shows what arrived and what was refused, with the error your store was sent.",
    url_label: "Webhook URL",
    topics_label: "Topics to subscribe (format JSON)",
    secret_set: "The signing secret is set on this server.",
    secret_missing: "No signing secret is set: deliveries are refused with 503 until {} is in the server's settings.",
    shopify_award_on: "Points are awarded on {}.",
    woo_statuses: "Points are awarded when an order reaches: {}.",
    shopify_steps: "In Shopify admin → Settings → Notifications → Webhooks, create one webhook per topic with this URL; copy the signing secret shown there into shopify_webhook_secret.",
    woo_steps: "In WooCommerce → Settings → Advanced → Webhooks, add one webhook per topic with this URL and API version 3; use the same secret as woocommerce_webhook_secret.",
    theme_label: "In the theme's layout/theme.liquid, before </head>:",
    snippet_file: "The snippet file snippets/rewards-widget.liquid",
    plugin_label: "Install the plugin in integrations/woocommerce/rewards-widget; in its settings enter this server URL:",
    recent_title: "Arrived in the last {} days",
    nothing_recent: "Nothing has arrived in the last {} days.",
    topic: "Topic",
    count: "Deliveries",
    last: "Last",
    refused_title: "Refused deliveries",
    nothing_refused: "No refused deliveries.",
    when: "When",
    status: "Status",
    error: "Error sent",
    field: "Field",
    delivery: "Delivery id",
    unrecorded: "{} more refused deliveries since this server started were counted but not recorded (at most {} a minute from one address are).",
    own_title: "Your own backend",
    own_lead: "A backend of your own signs these with webhook_secret (docs/api.md).",
};

const VI: ConnectWords = ConnectWords {
    nav: "Kết nối cửa hàng",
    title: "Kết nối cửa hàng",
    lead: "Dán các địa chỉ này vào trang quản trị cửa hàng. Điểm được cộng ngay khi webhook đơn hàng đầu tiên tới; trang này cho thấy những gì đã tới và những gì bị từ chối, kèm lỗi đã gửi lại cho cửa hàng.",
    url_label: "URL webhook",
    topics_label: "Các chủ đề cần đăng ký (định dạng JSON)",
    secret_set: "Khóa ký đã được cài trên máy chủ này.",
    secret_missing: "Chưa có khóa ký: mọi lần gửi bị từ chối với mã 503 cho đến khi {} có trong cài đặt của máy chủ.",
    shopify_award_on: "Điểm được cộng khi có {}.",
    woo_statuses: "Điểm được cộng khi đơn hàng chuyển sang: {}.",
    shopify_steps: "Trong Shopify admin → Settings → Notifications → Webhooks, tạo một webhook cho mỗi chủ đề với URL này; sao chép khóa ký hiện ở đó vào shopify_webhook_secret.",
    woo_steps: "Trong WooCommerce → Settings → Advanced → Webhooks, thêm một webhook cho mỗi chủ đề với URL này và API phiên bản 3; dùng cùng khóa với woocommerce_webhook_secret.",
    theme_label: "Trong layout/theme.liquid của giao diện, trước </head>:",
    snippet_file: "Tệp snippets/rewards-widget.liquid",
    plugin_label: "Cài plugin trong integrations/woocommerce/rewards-widget; trong phần cài đặt của plugin, nhập URL máy chủ này:",
    recent_title: "Đã tới trong {} ngày qua",
    nothing_recent: "Chưa có gì tới trong {} ngày qua.",
    topic: "Chủ đề",
    count: "Số lần gửi",
    last: "Lần cuối",
    refused_title: "Lần gửi bị từ chối",
    nothing_refused: "Không có lần gửi nào bị từ chối.",
    when: "Thời điểm",
    status: "Mã",
    error: "Lỗi đã gửi",
    field: "Trường",
    delivery: "Mã lần gửi",
    unrecorded: "Còn {} lần gửi bị từ chối kể từ khi máy chủ khởi động đã được đếm nhưng không ghi lại (mỗi phút ghi tối đa {} lần từ một địa chỉ).",
    own_title: "Hệ thống riêng của bạn",
    own_lead: "Hệ thống riêng của bạn ký các webhook này bằng webhook_secret (docs/api.md).",
};

impl Lang {
    pub fn connect_words(self) -> &'static ConnectWords {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// This server's public base URL as the browser reached it: the `Host`
/// header, over https unless it is a loopback address (the demo) or a
/// trusted proxy says `X-Forwarded-Proto: http`.
pub fn base_url(headers: &HeaderMap, trust_forwarded: bool) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let host: String = host.chars().filter(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(*c)).collect();
    let forwarded = trust_forwarded.then(|| headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok())).flatten();
    let loopback = host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]");
    let scheme = match forwarded {
        Some("http") => "http",
        Some(_) => "https",
        None if loopback => "http",
        None => "https",
    };
    format!("{scheme}://{host}/")
}

pub async fn page(State(app): State<App>, console: Console, headers: HeaderMap) -> Response {
    if let Some(r) = console.owner_refusal() {
        return r;
    }
    let lang = console.lang();
    let cw = lang.connect_words();
    let base = base_url(&headers, app.settings.trust_forwarded_for);
    let now = app.clock.now();
    let mut h = Html::new();
    h.lit("<div class=\"connect\">").el("<h1>", cw.title, "</h1>").el("<p class=\"lead\">", cw.lead, "</p>");
    let mut conn = match app.db.read().await {
        Ok(c) => c,
        Err(e) => return layout::storage_error(Some(&console), lang, e),
    };
    for platform in Platform::ALL {
        let read = async {
            Ok::<_, crate::storage::Error>((
                deliveries::accepted(&mut conn, platform, now - RECENT_DAYS * 86_400_000).await?,
                deliveries::refusals(&mut conn, platform.route(), LISTED).await?,
            ))
        };
        let (accepted, refused) = match read.await {
            Ok(r) => r,
            Err(e) => return layout::storage_error(Some(&console), lang, e),
        };
        platform_section(&mut h, &app, lang, platform, &base, &accepted, &refused);
    }
    h.lit("<section aria-labelledby=\"connect-own\"><h2 id=\"connect-own\">").text(cw.own_title).lit("</h2>");
    h.el("<p>", cw.own_lead, "</p><ul class=\"plain\">");
    for route in OWN_ROUTES {
        h.lit("<li><code>").text(&format!("{base}api/webhooks/{route}")).lit("</code></li>");
    }
    h.lit("</ul>");
    let mut own = Vec::new();
    for route in OWN_ROUTES {
        match deliveries::refusals(&mut conn, route, LISTED).await {
            Ok(r) => own.extend(r),
            Err(e) => return layout::storage_error(Some(&console), lang, e),
        }
    }
    own.sort_by_key(|r| std::cmp::Reverse(r.at));
    refusals_table(&mut h, lang, "own", &own);
    h.lit("</section>");
    let unrecorded = app.delivery_log.unrecorded();
    if unrecorded > 0 {
        h.el("<p class=\"note\">", &fill(cw.unrecorded, &[&unrecorded.to_string(), &deliveries::RECORDED_PER_MINUTE.to_string()]), "</p>");
    }
    h.lit("</div>");
    layout::page(Some(&console), lang, cw.title, h, StatusCode::OK)
}

fn platform_section(
    h: &mut Html,
    app: &App,
    lang: Lang,
    platform: Platform,
    base: &str,
    accepted: &[(String, i64, i64)],
    refused: &[Refusal],
) {
    let cw = lang.connect_words();
    let s = &app.settings;
    let (name, secret_set, secret_name, topics): (&str, bool, &str, Vec<&str>) = match platform {
        Platform::Shopify => (
            "Shopify",
            !s.shopify_webhook_secret.is_empty(),
            "shopify_webhook_secret",
            crate::http::webhooks::shopify::subscribed(s.shopify_award_on),
        ),
        Platform::WooCommerce => (
            "WooCommerce",
            !s.woocommerce_webhook_secret.is_empty(),
            "woocommerce_webhook_secret",
            crate::http::webhooks::woocommerce::TOPICS.to_vec(),
        ),
    };
    let id = platform.route();
    h.lit("<section aria-labelledby=\"connect-").text(id).lit("\"><h2 id=\"connect-").text(id).lit("\">").text(name).lit("</h2>");
    if secret_set {
        h.el("<p class=\"ok\">", cw.secret_set, "</p>");
    } else {
        h.el("<p class=\"error\" role=\"status\">", &fill(cw.secret_missing, &[secret_name]), "</p>");
    }
    h.lit("<dl><dt>").text(cw.url_label).lit("</dt><dd><code>").text(&format!("{base}api/webhooks/{id}")).lit("</code></dd>");
    h.lit("<dt>").text(cw.topics_label).lit("</dt><dd>").text(&topics.join(", ")).lit("</dd></dl>");
    match platform {
        Platform::Shopify => {
            h.el("<p>", &fill(cw.shopify_award_on, &[s.shopify_award_on.topic()]), "</p>");
            h.el("<p>", cw.shopify_steps, "</p>");
            h.el("<p>", cw.theme_label, "</p>");
            h.lit("<pre><code>").text(&format!("{{% render 'rewards-widget', base_url: '{base}' %}}")).lit("</code></pre>");
            h.lit("<details><summary>")
                .text(cw.snippet_file)
                .lit("</summary><pre><code>")
                .text(SHOPIFY_SNIPPET)
                .lit("</code></pre></details>");
        }
        Platform::WooCommerce => {
            h.el("<p>", &fill(cw.woo_statuses, &[&s.woocommerce_award_statuses.join(", ")]), "</p>");
            h.el("<p>", cw.woo_steps, "</p>");
            h.el("<p>", cw.plugin_label, "</p>");
            h.lit("<pre><code>").text(base).lit("</code></pre>");
        }
    }
    let days = RECENT_DAYS.to_string();
    let recent = fill(cw.recent_title, &[&days]);
    h.lit("<h3>").text(&recent).lit("</h3>");
    if accepted.is_empty() {
        h.el("<p>", &fill(cw.nothing_recent, &[&days]), "</p>");
    } else {
        h.lit("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"")
            .text(&recent)
            .lit("\"><table class=\"stack-sm\"><thead><tr>");
        for col in [cw.topic, cw.count, cw.last] {
            h.el("<th scope=\"col\">", col, "</th>");
        }
        h.lit("</tr></thead><tbody>");
        for (topic, count, last) in accepted {
            h.lit("<tr>");
            cell(h, cw.topic, topic);
            h.lit("<td data-label=\"").text(cw.count).lit("\">").num(*count).lit("</td>");
            cell(h, cw.last, &lang.instant(*last));
            h.lit("</tr>");
        }
        h.lit("</tbody></table></div>");
    }
    refusals_table(h, lang, id, refused);
    h.lit("</section>");
}

fn refusals_table(h: &mut Html, lang: Lang, id: &str, refused: &[Refusal]) {
    let cw = lang.connect_words();
    h.lit("<h3 id=\"refused-").text(id).lit("\">").text(cw.refused_title).lit("</h3>");
    if refused.is_empty() {
        h.el("<p>", cw.nothing_refused, "</p>");
        return;
    }
    h.lit("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"refused-")
        .text(id)
        .lit("\"><table class=\"stack-sm\"><thead><tr>");
    for col in [cw.when, cw.topic, cw.status, cw.error, cw.field, cw.delivery] {
        h.el("<th scope=\"col\">", col, "</th>");
    }
    h.lit("</tr></thead><tbody>");
    for r in refused {
        let topic = if r.topic.is_empty() { r.route.as_str() } else { r.topic.as_str() };
        h.lit("<tr>");
        cell(h, cw.when, &lang.instant(r.at));
        cell(h, cw.topic, topic);
        h.lit("<td data-label=\"").text(cw.status).lit("\">").num(r.status).lit("</td>");
        cell(h, cw.error, &r.message);
        cell(h, cw.field, &r.path);
        cell(h, cw.delivery, &r.delivery_id);
        h.lit("</tr>");
    }
    h.lit("</tbody></table></div>");
}

/// A cell that names its column when the table is stacked on a phone (`.stack-sm`, console.css).
fn cell(h: &mut Html, label: &str, text: &str) {
    h.lit("<td data-label=\"").text(label).lit("\">").text(text).lit("</td>");
}
