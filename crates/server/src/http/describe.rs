//! Ledger entries in plain words ("Order 1001 (355,000 VND qualifying):
//! +65 points"), from the entry's cause, reference, delta and the detail
//! JSON it was written with. Used by the ledger CSV export today; the
//! shopper's activity list and the merchant's member page will read the
//! same sentences, in the merchant's language (`entry_in`).

use rewards_core::money::Currency;
use rewards_core::Json;

use crate::http::console::i18n::{fill, Lang};

/// An amount of minor units as major units with grouped thousands: `355,000 VND`, `12.50 USD`.
pub fn money(minor: i64, currency: Currency) -> String {
    let exp = u32::from(currency.exponent);
    let unit = 10i128.pow(exp);
    let m = i128::from(minor);
    let (whole, frac) = (m.abs() / unit, m.abs() % unit);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if m < 0 { "-" } else { "" };
    if exp == 0 {
        format!("{sign}{grouped} {}", currency.code())
    } else {
        format!("{sign}{grouped}.{frac:0width$} {}", currency.code(), width = exp as usize)
    }
}

/// The words of [`entry_in`] in one language.
struct Words {
    point: &'static str,
    points: &'static str,
    order: &'static str,
    order_qualifying: &'static str,
    refund: &'static str,
    refund_of_order: &'static str,
    voucher: &'static str,
    voucher_off: &'static str,
    bonus: fn(&str) -> String,
    action: &'static str,
    expiry: &'static str,
    voided: &'static str,
    voided_why: &'static str,
    adjustment: &'static str,
    adjustment_why: &'static str,
    adjustment_by: &'static str,
}

static EN: Words = Words {
    point: "point",
    points: "points",
    order: "order {}",
    order_qualifying: "order {} ({} qualifying)",
    refund: "refund {}",
    refund_of_order: "refund {} of order {} ({} of {} refunded)",
    voucher: "voucher {}",
    voucher_off: "voucher {} ({} off, {})",
    bonus: |kind| format!("{} bonus", kind.replace('_', " ")),
    action: "action {}",
    expiry: "expired after inactivity",
    voided: "voucher {} voided",
    voided_why: "voucher {} voided ({})",
    adjustment: "adjustment",
    adjustment_why: "adjustment: {}",
    adjustment_by: "adjustment by {} ({})",
};

static VI: Words = Words {
    point: "điểm",
    points: "điểm",
    order: "đơn {}",
    order_qualifying: "đơn {} ({} được tính điểm)",
    refund: "hoàn tiền {}",
    refund_of_order: "hoàn tiền {} của đơn {} (hoàn {} trên {})",
    voucher: "phiếu {}",
    voucher_off: "phiếu {} (giảm {}, {})",
    bonus: |kind| {
        let what = match kind {
            "signup" => "đăng ký",
            "birthday" => "sinh nhật",
            "social_share" => "chia sẻ mạng xã hội",
            "email_subscribe" => "đăng ký nhận email",
            "referral" => "giới thiệu bạn bè",
            other => other,
        };
        format!("thưởng {what}")
    },
    action: "hoạt động {}",
    expiry: "hết hạn do lâu không hoạt động",
    voided: "phiếu {} bị hủy",
    voided_why: "phiếu {} bị hủy ({})",
    adjustment: "điều chỉnh",
    adjustment_why: "điều chỉnh: {}",
    adjustment_by: "điều chỉnh bởi {} ({})",
};

fn int(detail: &Json, key: &str) -> Option<i64> {
    match detail.get(key) {
        Some(Json::Number(n)) => n.parse().ok(),
        _ => None,
    }
}

fn text<'a>(detail: &'a Json, key: &str) -> Option<&'a str> {
    match detail.get(key) {
        Some(Json::String(s)) => Some(s),
        _ => None,
    }
}

/// One entry in words (English). `detail` is the entry's stored JSON text.
pub fn entry(cause: &str, reference: &str, delta: i64, detail: &str, currency: Currency) -> String {
    entry_in(Lang::En, cause, reference, delta, detail, currency)
}

/// One entry in words in `lang`, money as that language writes it.
pub fn entry_in(lang: Lang, cause: &str, reference: &str, delta: i64, detail: &str, currency: Currency) -> String {
    let w = match lang {
        Lang::En => &EN,
        Lang::Vi => &VI,
    };
    let m = |minor: i64| match lang {
        Lang::En => money(minor, currency),
        Lang::Vi => lang.money(minor, currency),
    };
    let d = Json::parse(detail).unwrap_or(Json::Null);
    let what = match cause {
        "order" => match int(&d, "qualifying_total") {
            Some(q) => fill(w.order_qualifying, &[reference, &m(q)]),
            None => fill(w.order, &[reference]),
        },
        "refund" => match (text(&d, "order_id"), int(&d, "refunded_total"), int(&d, "subtotal")) {
            (Some(order), Some(r), Some(t)) => fill(w.refund_of_order, &[reference, order, &m(r), &m(t)]),
            _ => fill(w.refund, &[reference]),
        },
        "redemption" => match (int(&d, "discount"), text(&d, "redemption_id")) {
            (Some(off), Some(id)) => fill(w.voucher_off, &[reference, &m(off), id]),
            _ => fill(w.voucher, &[reference]),
        },
        "action" => match (text(&d, "kind"), text(&d, "action")) {
            (Some(kind), _) => (w.bonus)(kind),
            (None, Some(id)) => fill(w.action, &[id]),
            _ => (w.bonus)("").trim().to_string(),
        },
        "expiry" => w.expiry.into(),
        "adjustment" => match (reference.strip_prefix("voucher-void:"), text(&d, "reason"), text(&d, "by")) {
            (Some(code), Some(reason), _) => fill(w.voided_why, &[code, reason]),
            (Some(code), None, _) => fill(w.voided, &[code]),
            (None, Some(reason), Some(by)) => fill(w.adjustment_by, &[by, reason]),
            (None, Some(reason), None) => fill(w.adjustment_why, &[reason]),
            (None, None, _) => w.adjustment.into(),
        },
        other => other.to_string(),
    };
    // The event first: a cell starting with "+" would be read as a formula.
    let mut chars = what.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    let n = delta.unsigned_abs();
    let unit = if n == 1 { w.point } else { w.points };
    format!("{first}{}: {}{n} {unit}", chars.as_str(), if delta < 0 { "−" } else { "+" })
}

/// Digits in groups of three: `1234567` → `1,234,567` (or `1.234.567`).
fn group(digits: &str, sep: char) -> String {
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    grouped
}

/// The shopper's own words for an entry, in their language (`vi`, else
/// English): "+26 points — order 1001", "−15 điểm — hoàn tiền đơn hàng 1001",
/// "+100 points — birthday gift". For "Your activity" (`crate::http::activity`).
pub fn for_shopper(lang: &str, cause: &str, reference: &str, delta: i64, detail: &str) -> String {
    let vi = lang == "vi";
    let d = Json::parse(detail).unwrap_or(Json::Null);
    let kind = text(&d, "kind");
    let w = |en: &str, v: &str| if vi { v.to_string() } else { en.to_string() };
    let what = match cause {
        "order" => w(&format!("order {reference}"), &format!("đơn hàng {reference}")),
        "refund" => match (kind, text(&d, "order_id")) {
            (Some("referral_referrer"), _) => w("a referred friend's order refunded", "đơn của bạn được giới thiệu bị hoàn tiền"),
            (_, Some(order)) => w(&format!("refund of order {order}"), &format!("hoàn tiền đơn hàng {order}")),
            _ => w("refund", "hoàn tiền"),
        },
        "redemption" => w(&format!("voucher {reference}"), &format!("đổi phiếu {reference}")),
        "action" => match kind.unwrap_or("") {
            "signup" => w("joining", "đăng ký thành viên"),
            "birthday" => w("birthday gift", "quà sinh nhật"),
            "referral_referrer" => w("a friend you referred ordered", "bạn bè bạn giới thiệu đã mua hàng"),
            "referral_friend" => w("joining through a friend", "tham gia qua lời giới thiệu"),
            "newsletter" => w("newsletter", "đăng ký nhận tin"),
            "social_follow" => w("following the store", "theo dõi cửa hàng"),
            "social_share" => w("sharing", "chia sẻ"),
            "product_review" => w("a review", "viết đánh giá"),
            _ => w("bonus", "thưởng"),
        },
        "expiry" => w("expired after inactivity", "hết hạn do không hoạt động"),
        "adjustment" => match reference.strip_prefix("voucher-void:") {
            Some(code) => w(&format!("voucher {code} cancelled"), &format!("phiếu {code} bị hủy")),
            None => w("adjustment", "điều chỉnh"),
        },
        other => other.to_string(),
    };
    format!("{} — {what}", shopper_points(vi, delta))
}

/// "+1,234 points" / "−1.234 điểm".
fn shopper_points(vi: bool, delta: i64) -> String {
    let grouped = group(&delta.unsigned_abs().to_string(), if vi { '.' } else { ',' });
    let sign = if delta < 0 { "−" } else { "+" };
    let unit = if vi {
        "điểm"
    } else if delta.unsigned_abs() == 1 {
        "point"
    } else {
        "points"
    };
    format!("{sign}{grouped} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands_and_keeps_the_exponent() {
        let c = |code| Currency::from_code(code).unwrap();
        assert_eq!(money(355_000, c("VND")), "355,000 VND");
        assert_eq!(money(1_250, c("USD")), "12.50 USD");
        assert_eq!(money(5, c("KWD")), "0.005 KWD");
        assert_eq!(money(-1_234_567, c("JPY")), "-1,234,567 JPY");
    }

    #[test]
    fn entries_read_as_sentences() {
        let vnd = Currency::from_code("VND").unwrap();
        assert_eq!(entry("order", "1001", 65, r#"{"qualifying_total":355000}"#, vnd), "Order 1001 (355,000 VND qualifying): +65 points");
        assert_eq!(
            entry("refund", "r-77", -18, r#"{"order_id":"1001","refunded_total":100000,"subtotal":355000}"#, vnd),
            "Refund r-77 of order 1001 (100,000 VND of 355,000 VND refunded): −18 points"
        );
        assert_eq!(entry("action", "x", 1, r#"{"kind":"signup"}"#, vnd), "Signup bonus: +1 point");
        assert_eq!(entry("adjustment", "voucher-void:RW-A", 200, r#"{"reason":"asked"}"#, vnd), "Voucher RW-A voided (asked): +200 points");
        assert_eq!(entry("expiry", "s:1", -5, "not json", vnd), "Expired after inactivity: −5 points");
        assert_eq!(
            entry("adjustment", "console:1", -15, r#"{"reason":"duplicate order","by":"an@shop.vn"}"#, vnd),
            "Adjustment by an@shop.vn (duplicate order): −15 points"
        );
    }

    #[test]
    fn entries_read_as_vietnamese_sentences() {
        let vnd = Currency::from_code("VND").unwrap();
        assert_eq!(
            entry_in(Lang::Vi, "order", "1001", 26, r#"{"qualifying_total":355000}"#, vnd),
            "Đơn 1001 (355.000 ₫ được tính điểm): +26 điểm"
        );
        assert_eq!(entry_in(Lang::Vi, "action", "x", 10, r#"{"kind":"signup"}"#, vnd), "Thưởng đăng ký: +10 điểm");
        assert_eq!(
            entry_in(Lang::Vi, "adjustment", "console:1", -15, r#"{"reason":"đơn trùng","by":"an@shop.vn"}"#, vnd),
            "Điều chỉnh bởi an@shop.vn (đơn trùng): −15 điểm"
        );
    }
}

#[cfg(test)]
mod shopper_words {
    use super::for_shopper;

    #[test]
    fn entries_in_the_shoppers_language() {
        assert_eq!(for_shopper("en", "order", "1001", 26, "{}"), "+26 points — order 1001");
        assert_eq!(for_shopper("vi", "order", "1001", 1260, "{}"), "+1.260 điểm — đơn hàng 1001");
        assert_eq!(for_shopper("en", "refund", "r1", -15, r#"{"order_id":"1001"}"#), "−15 points — refund of order 1001");
        assert_eq!(for_shopper("vi", "action", "x", 100, r#"{"kind":"birthday"}"#), "+100 điểm — quà sinh nhật");
        assert_eq!(for_shopper("en", "action", "x", 1, r#"{"kind":"signup"}"#), "+1 point — joining");
        assert_eq!(
            for_shopper("en", "refund", "r1:referral-referrer", -50, r#"{"order_id":"o","kind":"referral_referrer"}"#),
            "−50 points — a referred friend's order refunded"
        );
        assert_eq!(for_shopper("vi", "expiry", "s:1", -1200, "not json"), "−1.200 điểm — hết hạn do không hoạt động");
    }
}
