//! Money: integer minor units with an ISO 4217 currency.

use crate::decimal::{Decimal, Ratio, Rounding};
use crate::error::{Error, Result};

/// ISO 4217 codes this engine knows, with their minor-unit exponents.
/// A code outside this table is refused rather than guessed.
const CURRENCIES: &[(&str, u8)] = &[
    // zero decimals
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    // three decimals
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    // four decimals
    ("CLF", 4),
    ("UYW", 4),
    // two decimals
    ("AED", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("COP", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EGP", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("KHR", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LKR", 2),
    ("MAD", 2),
    ("MMK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("PEN", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TRY", 2),
    ("TWD", 2),
    ("UAH", 2),
    ("USD", 2),
    ("ZAR", 2),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: [u8; 3],
    /// Digits after the decimal point: VND 0, USD 2, KWD 3.
    pub exponent: u8,
}

impl Currency {
    /// "XXX", ISO 4217's "no currency": what a reader returns for a code it
    /// refused (the document is then refused as a whole).
    pub(crate) const NONE: Currency = Currency { code: *b"XXX", exponent: 0 };

    pub fn from_code(code: &str) -> Option<Currency> {
        CURRENCIES.iter().find(|(c, _)| *c == code).map(|(c, e)| {
            let b = c.as_bytes();
            Currency { code: [b[0], b[1], b[2]], exponent: *e }
        })
    }

    pub fn code(&self) -> &str {
        // Built only from the ASCII table above.
        core::str::from_utf8(&self.code).unwrap_or("XXX")
    }
}

/// A foreign-currency cart's explicit conversion: one major unit of the
/// cart's currency is worth `rate` major units of the program's currency.
/// Step "currency conversion": each amount is converted on its own; prices
/// and shipping round down ([`Rounding::Floor`]) and discounts round up
/// ([`Rounding::Ceil`]), so a converted net amount is never above the
/// exact conversion of the net: a conversion never invents value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conversion {
    pub from: Currency,
    pub rate: Decimal,
}

impl Conversion {
    /// Converts `minor` units of `self.from` into minor units of `to`.
    pub fn convert(&self, minor: i64, to: Currency, rounding: Rounding) -> Result<i64> {
        const STEP: &str = "currency conversion";
        let shift = to.exponent as i32 - self.from.exponent as i32;
        let scale = Ratio::new(10i128.pow(shift.unsigned_abs()), 1, STEP)?;
        let scale = if shift >= 0 { scale } else { Ratio::new(1, scale.num, STEP)? };
        Ratio::int(minor as i128).mul(self.rate.ratio(), STEP)?.mul(scale, STEP)?.round_i64(rounding, STEP)
    }
}

/// `a + b`, checked.
/// A decimal amount in major units as platforms write it (Shopify's and
/// WooCommerce's order webhooks: `"45000"`, `"12.50"`, `"1.005"`), read by
/// its digits, never through a float. Native only (the server's
/// platform webhooks; feature `schema`). `text` (major units, `-?DIGITS(.DIGITS)?`) in minor units of
/// `currency` (VND exponent 0, USD 2, KWD 3). Digits past the currency's
/// exponent must be zeros (`"45000.00"` VND is 45000; `"1.2345"` USD is
/// refused, not rounded). Refused too: exponents (`"1e3"`), a `+`, spaces,
/// `".5"`, `"5."`, and more than 10¹⁵ minor units (the largest amount).
#[cfg(feature = "schema")]
pub fn minor_from_major(text: &str, currency: Currency) -> core::result::Result<i64, alloc::string::String> {
    use crate::config::MAX_AMOUNT;
    use crate::prelude::*;
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
    let padding = core::iter::repeat_n(b'0', exponent - kept.len());
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(kept.bytes()).chain(padding) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .filter(|&m| m <= MAX_AMOUNT)
            .ok_or_else(|| format!("\"{text}\" is larger than the largest amount ({MAX_AMOUNT} minor units)"))?;
    }
    Ok(if negative { -minor } else { minor })
}

pub fn add(a: i64, b: i64, step: &'static str) -> Result<i64> {
    a.checked_add(b).ok_or(Error::Overflow(step))
}

/// `a - b`, checked.
pub fn sub(a: i64, b: i64, step: &'static str) -> Result<i64> {
    a.checked_sub(b).ok_or(Error::Overflow(step))
}

/// `a * b`, checked.
pub fn mul(a: i64, b: i64, step: &'static str) -> Result<i64> {
    a.checked_mul(b).ok_or(Error::Overflow(step))
}

/// `a / b`, checked: a zero `b` is an error, not a trap. (Validation
/// keeps the config's divisors positive; a published program is not
/// validated again when it is read.)
pub fn div(a: i64, b: i64, step: &'static str) -> Result<i64> {
    a.checked_div(b).ok_or(Error::Overflow(step))
}

/// `a % b`, checked like [`div`].
pub fn rem(a: i64, b: i64, step: &'static str) -> Result<i64> {
    a.checked_rem(b).ok_or(Error::Overflow(step))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_come_from_the_table() {
        assert_eq!(Currency::from_code("VND").unwrap().exponent, 0);
        assert_eq!(Currency::from_code("JPY").unwrap().exponent, 0);
        assert_eq!(Currency::from_code("USD").unwrap().exponent, 2);
        assert_eq!(Currency::from_code("KWD").unwrap().exponent, 3);
        assert!(Currency::from_code("usd").is_none());
        assert!(Currency::from_code("XYZ").is_none());
    }

    #[test]
    fn converts_between_exponents_with_floor() {
        let usd = Currency::from_code("USD").unwrap();
        let vnd = Currency::from_code("VND").unwrap();
        let kwd = Currency::from_code("KWD").unwrap();
        // $12.34 at 25,000.5 ₫/$ = 308,506.17 ₫ -> floor 308,506 ₫
        let c = Conversion { from: usd, rate: Decimal::parse("25000.5").unwrap() };
        assert_eq!(c.convert(1234, vnd, Rounding::Floor).unwrap(), 308_506);
        // 100,000 ₫ at 0.00004 $/₫ = $4.00 = 400 cents
        let c = Conversion { from: vnd, rate: Decimal::parse("0.00004").unwrap() };
        assert_eq!(c.convert(100_000, usd, Rounding::Floor).unwrap(), 400);
        // $1.00 at 0.305 KWD/$ = 0.305 KWD = 305 fils
        let c = Conversion { from: usd, rate: Decimal::parse("0.305").unwrap() };
        assert_eq!(c.convert(100, kwd, Rounding::Floor).unwrap(), 305);
        // A discount rounds up: $0.01 at 25,000.5 ₫/$ = 250.005 ₫ -> 251 ₫
        let c = Conversion { from: usd, rate: Decimal::parse("25000.5").unwrap() };
        assert_eq!(c.convert(1, vnd, Rounding::Ceil).unwrap(), 251);
    }
}
