//! Calendar arithmetic on UTC instants. The core never reads a clock:
//! every computation takes `now` as a parameter.

use crate::prelude::*;
/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1..=12, day 1..=31) of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

pub fn date_of(t: Millis) -> (i64, u32, u32) {
    civil_from_days(t.div_euclid(DAY_MS))
}

pub fn start_of_year(t: Millis) -> Millis {
    // Saturating: `now` is caller input and may sit at the ends of i64.
    days_from_civil(date_of(t).0, 1, 1).saturating_mul(DAY_MS)
}

/// Adds calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(t: Millis, months: i64) -> Millis {
    let day_ms = t.rem_euclid(DAY_MS);
    let (y, m, d) = date_of(t);
    let total = y * 12 + (m as i64 - 1) + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    days_from_civil(ny, nm, d.min(days_in_month(ny, nm))).saturating_mul(DAY_MS).saturating_add(day_ms)
}

/// Parses `2026-11-22`, `2026-11-22T14:05:00Z` or `2026-11-22T14:05:00.250Z`
/// (UTC only: an instant without its zone would be ambiguous).
pub fn parse_instant(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    // At most 4 ASCII digits: summed by hand (`str::parse` is 0.6 KB of wasm).
    let num = |r: core::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(r)?;
        if digits.is_empty() {
            return None;
        }
        digits.iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)? as u32, num(8..10)? as u32);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d) * DAY_MS;
    if b.len() == 10 {
        return Some(ms);
    }
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    ms += (h * 3600 + mi * 60 + s) * 1000;
    match b.len() {
        20 => Some(ms),
        24 if b[19] == b'.' => Some(ms + num(20..23)?),
        _ => None,
    }
}

/// `2026-11-22T14:05:00Z` (or with milliseconds when there are some).
pub fn format_instant(t: Millis) -> String {
    let (y, m, d) = date_of(t);
    let r = t.rem_euclid(DAY_MS);
    let (h, mi, s, ms) = (r / 3_600_000, r / 60_000 % 60, r / 1000 % 60, r % 1000);
    // Written by hand: no `core::fmt` in the wasm.
    let mut out = String::with_capacity(24);
    let mut put = |n: i64, width: usize, then: &str| {
        let digits = crate::json::int_text(n.abs());
        if n < 0 {
            out.push('-');
        }
        for _ in digits.len()..width {
            out.push('0');
        }
        out.push_str(&digits);
        out.push_str(then);
    };
    put(y, 4, "-");
    put(m as i64, 2, "-");
    put(d as i64, 2, "T");
    put(h, 2, ":");
    put(mi, 2, ":");
    if ms == 0 {
        put(s, 2, "Z");
    } else {
        put(s, 2, ".");
        put(ms, 3, "Z");
    }
    out
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01), as
/// [`format_instant`] writes the date (dates here are years 1–9999, whose
/// instants fit `Millis` many times over).
pub fn date_text(day: i64) -> String {
    let mut text = format_instant(day.saturating_mul(DAY_MS));
    text.truncate(10);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_text_is_the_instant_text_s_date() {
        assert_eq!(date_text(0), "1970-01-01");
        assert_eq!(date_text(-1), "1969-12-31");
        assert_eq!(date_text(days_from_civil(2000, 2, 29)), "2000-02-29");
        assert_eq!(date_text(days_from_civil(9999, 12, 31)), "9999-12-31");
        assert_eq!(date_text(days_from_civil(1, 1, 1)), "0001-01-01");
    }

    #[test]
    fn civil_round_trip() {
        for z in [-800_000, -1, 0, 1, 19_000, 20_779, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn parses_and_formats_instants() {
        let t = parse_instant("2026-11-22T14:05:09Z").unwrap();
        assert_eq!(format_instant(t), "2026-11-22T14:05:09Z");
        assert_eq!(format_instant(parse_instant("2026-11-22T14:05:09.250Z").unwrap()), "2026-11-22T14:05:09.250Z");
        assert_eq!(parse_instant("2026-11-22").unwrap() % DAY_MS, 0);
        for bad in ["2026-02-30", "2026-13-01", "2026-11-22T25:00:00Z", "2026-11-22T10:00:00+07:00", "22/11/2026", ""] {
            assert!(parse_instant(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn months_clamp_to_month_end() {
        let jan31 = parse_instant("2025-01-31").unwrap();
        assert_eq!(format_instant(add_months(jan31, 1)), "2025-02-28T00:00:00Z");
        assert_eq!(format_instant(add_months(jan31, 13)), "2026-02-28T00:00:00Z");
        assert_eq!(format_instant(add_months(jan31, -2)), "2024-11-30T00:00:00Z");
        assert_eq!(format_instant(start_of_year(jan31)), "2025-01-01T00:00:00Z");
    }
}
