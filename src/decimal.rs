//! Exact decimals, exact fractions and the named rounding steps.
//!
//! Rates and multipliers ("1.25", "2.5") are [`Decimal`]s: an integer
//! mantissa and a power-of-ten scale, parsed from text, never from `f64`.
//! Intermediate results are [`Ratio`]s of `i128`s; a result becomes an
//! integer (points, minor units) only through [`Ratio::round`] with a named
//! [`Rounding`] mode. Every operation is checked.

use crate::error::{Error, Result};
use crate::json::int_text;
use crate::json::Json;
use crate::prelude::*;

/// Most decimal places a rate may have. Keeps every product of a money
/// amount, a rate and a multiplier far inside `i128`.
pub const MAX_SCALE: u32 = 9;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// value = mantissa / 10^scale
    pub mantissa: i64,
    pub scale: u32,
}

impl Decimal {
    pub const ONE: Decimal = Decimal { mantissa: 1, scale: 0 };
    pub const ZERO: Decimal = Decimal { mantissa: 0, scale: 0 };

    /// Parses `12`, `-1.25`, `2.5e1` exactly. Refuses more than
    /// [`MAX_SCALE`] decimal places and values beyond ±10^15.
    pub fn parse(text: &str) -> core::result::Result<Decimal, String> {
        // Messages joined by hand: no `core::fmt` in the wasm.
        let says = |what: &str| crate::json::cat(&["\"", text, "\" ", what]);
        let bad = || says("is not a decimal number");
        let (num, exp) = match text.split_once(['e', 'E']) {
            Some((num, exp)) => (num, exp.parse::<i32>().map_err(|_| bad())?),
            None => (text, 0),
        };
        let (neg, num) = match num.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, num),
        };
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if num.contains('.') && frac.is_empty() {
            return Err(bad());
        }
        let frac = frac.trim_end_matches('0');
        let int = int.trim_start_matches('0');
        let digits = crate::json::cat(&[int, frac]);
        let mut scale = frac.len() as i64 - exp as i64;
        let mut mantissa: i128 = 0;
        if digits.len() > 30 {
            return Err(says("has too many digits"));
        }
        for b in digits.bytes() {
            mantissa = mantissa * 10 + (b - b'0') as i128;
        }
        // Zero first: "0e999999999" must not loop a billion times.
        if mantissa == 0 {
            return Ok(Decimal::ZERO);
        }
        while scale < 0 {
            mantissa = mantissa.checked_mul(10).ok_or_else(|| says("is too large"))?;
            scale += 1;
        }
        if scale > MAX_SCALE as i64 {
            return Err(says(&crate::json::cat(&["has more than ", &int_text(MAX_SCALE), " decimal places"])));
        }
        if mantissa / 10i128.pow(scale as u32) >= 1_000_000_000_000_000 {
            return Err(says("is too large"));
        }
        let mantissa = if neg { -mantissa } else { mantissa };
        // Below 10^15 in value but up to 24 digits with the places: narrow
        // checked, never with `as` (which would wrap to another number).
        let mantissa = i64::try_from(mantissa).map_err(|_| says("has too many digits"))?;
        Ok(Decimal { mantissa, scale: scale as u32 })
    }

    /// Reads a decimal from a JSON number or a JSON string holding one.
    pub fn from_json(v: &Json) -> core::result::Result<Decimal, String> {
        match v {
            Json::Number(t) | Json::String(t) => Decimal::parse(t),
            other => Err(crate::json::cat(&["expected a decimal number, found ", other.kind()])),
        }
    }

    pub fn ratio(self) -> Ratio {
        Ratio { num: self.mantissa as i128, den: 10i128.pow(self.scale) }
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    pub fn cmp_value(self, other: Decimal) -> core::cmp::Ordering {
        let a = self.ratio();
        let b = other.ratio();
        (a.num * b.den).cmp(&(b.num * a.den))
    }

    /// Canonical text: `1.25`, `3`, `-0.5`.
    pub fn to_text(self) -> String {
        self.ratio().to_text()
    }
}

/// How an exact fraction becomes an integer. Each use names its step in the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize), serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Rounding {
    /// Down: never award what was not earned.
    #[default]
    Floor,
    /// To the nearest integer; exact halves round up (away from zero).
    HalfUp,
    /// Up to the next integer.
    Ceil,
}

impl Rounding {
    pub fn parse(text: &str) -> Option<Rounding> {
        match text {
            "floor" => Some(Rounding::Floor),
            "half_up" => Some(Rounding::HalfUp),
            "ceil" => Some(Rounding::Ceil),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rounding::Floor => "floor",
            Rounding::HalfUp => "half_up",
            Rounding::Ceil => "ceil",
        }
    }
}

/// An exact fraction with a positive denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub num: i128,
    pub den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    // In u128: `i128::MIN.abs()` would overflow.
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    // Only 2^127 (both inputs i128::MIN or one MIN and the other 0) does not
    // fit; 1 is then a safe divisor (the fraction is simply not reduced).
    i128::try_from(a).unwrap_or(1)
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    pub fn int(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// `num / den`; `den` must be positive (callers validate config first).
    pub fn new(num: i128, den: i128, step: &'static str) -> Result<Ratio> {
        if den <= 0 {
            return Err(Error::Overflow(step));
        }
        Ok(Ratio { num, den }.reduced())
    }

    fn reduced(self) -> Ratio {
        let g = gcd(self.num, self.den);
        if g > 1 {
            Ratio { num: self.num / g, den: self.den / g }
        } else {
            self
        }
    }

    pub fn mul(self, o: Ratio, step: &'static str) -> Result<Ratio> {
        // Cross-reduce first so exact results stay small.
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(o.num / g2).ok_or(Error::Overflow(step))?;
        let den = (self.den / g2).checked_mul(o.den / g1).ok_or(Error::Overflow(step))?;
        Ok(Ratio { num, den }.reduced())
    }

    pub fn add(self, o: Ratio, step: &'static str) -> Result<Ratio> {
        let g = gcd(self.den, o.den);
        let l = (self.den / g).checked_mul(o.den).ok_or(Error::Overflow(step))?;
        let a = self.num.checked_mul(l / self.den).ok_or(Error::Overflow(step))?;
        let b = o.num.checked_mul(l / o.den).ok_or(Error::Overflow(step))?;
        Ok(Ratio { num: a.checked_add(b).ok_or(Error::Overflow(step))?, den: l }.reduced())
    }

    pub fn sub(self, o: Ratio, step: &'static str) -> Result<Ratio> {
        self.add(Ratio { num: o.num.checked_neg().ok_or(Error::Overflow(step))?, den: o.den }, step)
    }

    pub fn cmp_value(self, o: Ratio) -> core::cmp::Ordering {
        // Both denominators are positive; compare by cross products in i128,
        // falling back to integer parts to avoid overflow on huge operands.
        match (self.num.checked_mul(o.den), o.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.num.div_euclid(self.den).cmp(&o.num.div_euclid(o.den)),
        }
    }

    /// Rounds to an integer with the named mode.
    pub fn round(self, mode: Rounding) -> i128 {
        let floor = self.num.div_euclid(self.den);
        let rem = self.num.rem_euclid(self.den);
        if rem == 0 {
            return floor;
        }
        match mode {
            Rounding::Floor => floor,
            Rounding::Ceil => floor + 1,
            Rounding::HalfUp => {
                // rem/den >= 1/2  <=>  rem >= den - rem (no overflow: 0 < rem < den).
                // Halves go away from zero.
                let other = self.den - rem;
                if rem > other || (rem == other && self.num > 0) {
                    floor + 1
                } else {
                    floor
                }
            }
        }
    }

    /// Rounds and narrows to `i64`, the width of stored points and money.
    pub fn round_i64(self, mode: Rounding, step: &'static str) -> Result<i64> {
        i64::try_from(self.round(mode)).map_err(|_| Error::Overflow(step))
    }

    /// Exact text: a terminating decimal when there is one (`12.5`),
    /// otherwise a fraction (`41/3`).
    pub fn to_text(self) -> String {
        let r = self.reduced();
        let mut d = r.den;
        let (mut twos, mut fives) = (0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        let fraction = || crate::json::cat(&[&int_text(r.num), "/", &int_text(r.den)]);
        if d != 1 {
            return fraction();
        }
        let places = twos.max(fives);
        let Some(scaled) = 10i128.checked_pow(places).and_then(|p| r.num.checked_mul(p / r.den)) else {
            return fraction();
        };
        if places == 0 {
            return int_text(scaled);
        }
        let neg = scaled < 0;
        let mut digits = int_text(scaled.unsigned_abs() as i128);
        while digits.len() < places as usize + 1 {
            digits.insert(0, '0');
        }
        // The point goes `places` digits from the end (digits are ASCII, so
        // byte by byte: no char-boundary check and its panic message).
        let point = digits.len() - places as usize;
        let mut out = String::with_capacity(digits.len() + 2);
        if neg {
            out.push('-');
        }
        for (k, d) in digits.bytes().enumerate() {
            if k == point {
                out.push('.');
            }
            out.push(char::from(d));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(Decimal::parse("1.25").unwrap(), Decimal { mantissa: 125, scale: 2 });
        assert_eq!(Decimal::parse("2.50").unwrap(), Decimal { mantissa: 25, scale: 1 });
        assert_eq!(Decimal::parse("1e2").unwrap(), Decimal { mantissa: 100, scale: 0 });
        assert_eq!(Decimal::parse("25e-1").unwrap(), Decimal { mantissa: 25, scale: 1 });
        assert_eq!(Decimal::parse("-0.5").unwrap(), Decimal { mantissa: -5, scale: 1 });
        assert_eq!(Decimal::parse("0.000").unwrap(), Decimal::ZERO);
        assert_eq!(Decimal::parse("0e2000000000").unwrap(), Decimal::ZERO);
        assert!(Decimal::parse("1e-2000000000").is_err());
        for bad in ["", "1.", ".5", "1,5", "abc", "1e", "0.0000000001", "1e40", "--1", "1.2.3", "NaN", "999999999999999.999999999"] {
            assert!(Decimal::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rounds_at_exact_boundaries() {
        let half = Ratio::new(5, 2, "t").unwrap();
        assert_eq!(half.round(Rounding::Floor), 2);
        assert_eq!(half.round(Rounding::HalfUp), 3);
        assert_eq!(half.round(Rounding::Ceil), 3);
        let below = Ratio::new(249_999, 100_000, "t").unwrap();
        assert_eq!(below.round(Rounding::HalfUp), 2);
        let exact = Ratio::int(7);
        for m in [Rounding::Floor, Rounding::HalfUp, Rounding::Ceil] {
            assert_eq!(exact.round(m), 7);
        }
        assert_eq!(Ratio { num: i128::MAX, den: i128::MAX - 1 }.round(Rounding::HalfUp), 1);
        assert_eq!(Ratio { num: i128::MAX - 1, den: i128::MAX }.round(Rounding::HalfUp), 1);
        let neg = Ratio::new(-5, 2, "t").unwrap();
        assert_eq!(neg.round(Rounding::Floor), -3);
        assert_eq!(neg.round(Rounding::HalfUp), -3);
        assert_eq!(neg.round(Rounding::Ceil), -2);
    }

    #[test]
    fn prints_exact_text() {
        assert_eq!(Ratio::new(25, 2, "t").unwrap().to_text(), "12.5");
        assert_eq!(Ratio::new(41, 3, "t").unwrap().to_text(), "41/3");
        assert_eq!(Ratio::new(-1, 8, "t").unwrap().to_text(), "-0.125");
        assert_eq!(Ratio::int(12).to_text(), "12");
        assert_eq!(Decimal::parse("1.250").unwrap().to_text(), "1.25");
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Ratio::int(i128::MAX / 2);
        assert_eq!(big.mul(Ratio::int(3), "step x"), Err(Error::Overflow("step x")));
        assert_eq!(big.add(big, "sum").and_then(|r| r.add(big, "sum")), Err(Error::Overflow("sum")));
        assert!(Ratio::int(i64::MAX as i128 + 1).round_i64(Rounding::Floor, "narrow").is_err());
    }
}
