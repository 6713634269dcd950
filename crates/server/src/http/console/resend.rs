//! "Send the code again" for a member's unused voucher. This server sends
//! no mail, so resending is what the merchant does next, made easy and
//! recorded: the member page shows the message ready to send — in the
//! member's language, with the code, its value and where to use it —
//! as a `mailto:` link that opens the merchant's own mail app addressed
//! to the member, and as text to copy into a chat app (Zalo, Messenger).
//! The code also stays in the member's "Your codes" in the widget until it
//! is used. Asking for the message is audited (`resend_voucher`); a used
//! or voided voucher is refused (there is nothing to send).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rewards_core::json::{obj, s};
use rewards_core::money::Currency;

use super::auth::{form, Console};
use super::html::Html;
use super::i18n::{fill, Lang};
use super::members::{render, Notice};
use crate::error::ApiError;
use crate::http::extract::RawBody;
use crate::services::audited::{self, Audit};
use crate::services::vouchers::{self, Status, Voucher};
use crate::storage::ledger::ShopperRow;
use crate::App;

struct ResendWords {
    button: &'static str,
    title: &'static str,
    lead: &'static str,
    open_mail: &'static str,
    no_email: &'static str,
    text_label: &'static str,
    refused: &'static str,
    subject: &'static str,
    greeting: &'static str,
    /// With the member's name.
    greeting_named: &'static str,
    /// {store}, {code}, {value}.
    body: &'static str,
}

const EN: ResendWords = ResendWords {
    button: "Send again",
    title: "Send code {} again",
    lead: "This server sends no mail: open the message in your mail app, or copy it into a chat. The code also stays in the member's “Your codes” until it is used.",
    open_mail: "Open the message to {} in your mail app",
    no_email: "This member has no email address on file: copy the message below.",
    text_label: "The message",
    refused: "Code {} is no longer usable (used or voided): there is nothing to send.",
    subject: "Your code at {}",
    greeting: "Hello,",
    greeting_named: "Hello {},",
    body: "Here is your code at {} again: {} ({}). Enter it at checkout.\n\nIt is also under “Your codes” when you sign in to the store.",
};

const VI: ResendWords = ResendWords {
    button: "Gửi lại",
    title: "Gửi lại mã {}",
    lead: "Máy chủ này không gửi email: hãy mở thư trong ứng dụng email của bạn, hoặc sao chép vào tin nhắn. Mã vẫn có trong mục “Mã của bạn” của thành viên cho đến khi được dùng.",
    open_mail: "Mở thư gửi {} trong ứng dụng email",
    no_email: "Thành viên này chưa có email: hãy sao chép nội dung bên dưới.",
    text_label: "Nội dung thư",
    refused: "Mã {} không còn dùng được (đã dùng hoặc đã hủy): không có gì để gửi.",
    subject: "Mã giảm giá của bạn tại {}",
    greeting: "Chào bạn,",
    greeting_named: "Chào {},",
    body: "Đây là mã giảm giá của bạn tại {}: {} ({}). Hãy nhập mã ở bước thanh toán.\n\nMã cũng có trong mục “Mã của bạn” khi bạn đăng nhập cửa hàng.",
};

fn words(lang: Lang) -> &'static ResendWords {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// The vouchers table's button for an unused voucher.
pub fn button(h: &mut Html, console: &Console, id: &str, code: &str) {
    h.lit("<form method=\"post\" action=\"/console/members/").text(id).lit("/resend\" class=\"inline\">");
    h.hidden("csrf", &console.csrf).hidden("code", code);
    h.lit("<button type=\"submit\" class=\"secondary\" aria-label=\"").text(&fill(words(console.lang()).title, &[code])).lit("\">");
    h.text(words(console.lang()).button).lit("</button></form>");
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (for a `mailto:` URL).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The message to send, on the member page after the button.
pub fn message(h: &mut Html, console_lang: Lang, program: &rewards_core::Program, row: &ShopperRow, v: &Voucher) {
    let cw = words(console_lang);
    // The message is in the member's language; the page around it in the merchant's.
    let member_lang = row.locale.as_deref().and_then(Lang::from_code).unwrap_or(console_lang);
    let mw = words(member_lang);
    let currency = Currency::from_code(&v.currency).unwrap_or(program.currency());
    let store = &program.store.name;
    let greeting = match row.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => fill(mw.greeting_named, &[name]),
        None => mw.greeting.to_string(),
    };
    let subject = fill(mw.subject, &[store]);
    let body = format!("{greeting}\n\n{}", fill(mw.body, &[store, &v.code, &member_lang.money(v.discount, currency)]));
    h.lit("<section class=\"card ok\" role=\"status\" aria-labelledby=\"resend-h\"><h2 id=\"resend-h\">").text(&fill(cw.title, &[&v.code]));
    h.lit("</h2>").el("<p>", cw.lead, "</p>");
    match &row.email {
        Some(email) => {
            h.lit("<p><a id=\"resend-mail\" href=\"mailto:").text(&percent_encode(email).replace("%40", "@")).lit("?subject=");
            h.text(&percent_encode(&subject)).lit("&amp;body=").text(&percent_encode(&body)).lit("\">");
            h.text(&fill(cw.open_mail, &[email])).lit("</a></p>");
        }
        None => {
            h.el("<p>", cw.no_email, "</p>");
        }
    }
    h.lit("<label for=\"resend-text\">").text(cw.text_label).lit("</label><textarea id=\"resend-text\" rows=\"6\" readonly lang=\"");
    h.text(member_lang.code()).lit("\">").text(&body).lit("</textarea></section>");
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ResendForm {
    csrf: String,
    code: String,
}

pub async fn resend(State(app): State<App>, console: Console, Path(id): Path<String>, RawBody(body): RawBody) -> Response {
    let lang = console.lang();
    let Some(f) = form::<ResendForm>(&body) else {
        return super::layout::message(Some(&console), lang, StatusCode::UNPROCESSABLE_ENTITY, lang.words().form_expired);
    };
    if let Some(r) = console.csrf_refusal(&f.csrf) {
        return r;
    }
    let code = vouchers::normalise(&f.code);
    let now = app.clock.now();
    let actor = console.actor();
    let audit = Audit { at: now, actor: &actor, action: "resend_voucher", target: &id };
    let outcome = audited::write(&app.db, audit, async |tx| {
        // Only this member's voucher, and only while it can be used.
        match vouchers::find(tx.conn(), &code).await?.filter(|v| v.shopper_id == id) {
            None => Err(ApiError::not_found("no voucher of this member has this code")),
            Some(v) if v.status != Status::Unused => Err(ApiError::conflict("the voucher is used or voided")),
            Some(_) => Ok(((), Some(obj(vec![("voucher", s(&*code))]).to_text()))),
        }
    })
    .await;
    match outcome {
        Ok(()) => {
            Redirect::to(&format!("/console/members/{}?done=resent&code={}", percent_encode(&id), percent_encode(&code))).into_response()
        }
        Err(e) if e.status == StatusCode::CONFLICT => {
            render(&app, &console, &id, Notice::Void(code.clone(), fill(words(lang).refused, &[&code])), e.status).await
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            super::layout::message(Some(&console), lang, StatusCode::NOT_FOUND, lang.words().not_found)
        }
        Err(e) => super::layout::api_error(Some(&console), lang, e),
    }
}
