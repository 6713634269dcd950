//! Shopify's money: decimal amounts in major units, as strings (`"45000"`,
//! `"12.50"`, `"1.005"`) and in a few places as JSON numbers (a refund
//! line's `subtotal: 89.99`), turned into integer minor units of a currency
//! by their digits — never through a float.

use rewards_core::money::Currency;

/// The core's largest amount, in minor units.
pub const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// `text` (major units, `-?DIGITS(.DIGITS)?`) in minor units of
/// `currency` (VND exponent 0, USD 2, KWD 3). Digits past the currency's
/// exponent must be zeros (`"45000.00"` VND is 45000; `"1.2345"` USD is
/// refused, not rounded). Refused too: exponents (`"1e3"`), a `+`, spaces,
/// `".5"`, `"5."`, and more than 10¹⁵ minor units (the core's largest amount).
pub fn to_minor(text: &str, currency: Currency) -> Result<i64, String> {
    let bad = || format!("\"{text}\" is not a decimal amount like \"12.50\"");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || (digits.contains('.') && !is_digits(fraction)) {
        return Err(bad());
    }
    let exponent = usize::from(currency.exponent);
    let (kept, rest) = fraction.split_at(fraction.len().min(exponent));
    if rest.bytes().any(|b| b != b'0') {
        return Err(format!("\"{text}\" has more decimals than {} has ({exponent})", currency.code()));
    }
    let padding = std::iter::repeat_n(b'0', exponent - kept.len());
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(kept.bytes()).chain(padding) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .filter(|&m| m <= MAX_MINOR)
            .ok_or_else(|| format!("\"{text}\" is larger than the largest amount ({MAX_MINOR} minor units)"))?;
    }
    Ok(if negative { -minor } else { minor })
}
