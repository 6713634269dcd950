//! Birthday gifts: is today the shopper's birthday, and may it be credited?
//!
//! Everything here is on *local dates* in the store's time zone
//! (`store.time_zone`): the caller turns its clock into today's local
//! date (the server with the IANA database), so the core stays clock-free.
//! Dates are day numbers ([`crate::time::days_from_civil`]).
//!
//! Rules: the gift comes on the birthday's month and day each year, once
//! per calendar year; a birthday of **29 February is celebrated on 28
//! February in common years** (the last day of the shopper's month, so it
//! never slips into March or a different year); the birthday must have
//! been given at least `birthday.notice_days` days before the day it is
//! celebrated, so editing it to today earns nothing this year.

use crate::config::{ActionKind, Program};
use crate::error::Result;
use crate::json::{int, obj, opt, s, Json};
use crate::prelude::*;
use crate::time::{civil_from_days, days_from_civil};

/// The day a birthday (`month`, `day`) is celebrated in `year`.
pub fn celebrated_in(year: i64, month: u32, day: u32) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if month == 2 && day == 29 && !leap {
        days_from_civil(year, 2, 28)
    } else {
        days_from_civil(year, month, day)
    }
}

/// Why the gift is not credited today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotDue {
    NotToday,
    /// Given fewer than `notice_days` before this year's birthday.
    TooRecent,
    /// Credited already this year.
    AlreadyRewarded,
}

impl NotDue {
    pub fn name(self) -> &'static str {
        match self {
            NotDue::NotToday => "not_today",
            NotDue::TooRecent => "too_recent",
            NotDue::AlreadyRewarded => "already_rewarded",
        }
    }
}

/// The answer for one shopper on one local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub due: core::result::Result<(), NotDue>,
    /// This year's birthday (local day number).
    pub this_year: i64,
    /// The next day a gift can come (today when due), `None` without a birthday action.
    pub next: i64,
}

/// `birthday` (month, day), the local day it was given, today, and the
/// last calendar year the gift was credited.
pub fn status(notice_days: i64, (month, day): (u32, u32), given_on: i64, today: i64, last_year: Option<i64>) -> Status {
    let year = civil_from_days(today).0;
    let this_year = celebrated_in(year, month, day);
    let in_time = |d: i64| given_on.saturating_add(notice_days) <= d;
    let due = if last_year == Some(year) {
        Err(NotDue::AlreadyRewarded)
    } else if today != this_year {
        Err(NotDue::NotToday)
    } else if !in_time(this_year) {
        Err(NotDue::TooRecent)
    } else {
        Ok(())
    };
    // The next day it can come: this year's when still ahead and in time, else a later year's.
    let mut next = this_year;
    let mut y = year;
    while next < today || (next == today && due.is_err()) || !in_time(next) {
        y += 1;
        next = celebrated_in(y, month, day);
        if y > year + 2 {
            break;
        }
    }
    Status { due, this_year, next }
}

pub(crate) fn date(text: &str) -> Option<(i64, u32, u32)> {
    let t = crate::time::parse_instant(text)?;
    (text.len() == 10).then(|| civil_from_days(t.div_euclid(crate::time::DAY_MS)))
}

fn date_text(day: i64) -> Json<'static> {
    s(crate::time::date_text(day))
}

/// The `birthday` operation's input (`crate::input::dates`).
pub struct Dates {
    pub birthday: (i64, u32, u32),
    pub given_on: (i64, u32, u32),
    pub today: (i64, u32, u32),
    pub last_rewarded_year: Option<i64>,
}

/// The `birthday` operation: input `{"birthday", "given_on", "today"}`
/// (local dates, `YYYY-MM-DD`) and `"last_rewarded_year"` (optional), as
/// JSON text; answers `{due, reason, this_year, next, points}`.
pub fn run(program: &Program, input: &str) -> Result<Json<'static>> {
    run_bytes(program, &crate::input::encode::from_text("dates", input)?)
}

/// [`run`] on the input's bytes (what the wasm takes).
pub fn run_bytes(program: &Program, bytes: &[u8]) -> Result<Json<'static>> {
    let mut r = crate::input::read::Reader::new(bytes);
    let d = crate::input::dates(&mut r);
    let Dates { birthday: b, given_on: g, today: t, last_rewarded_year: last } = r.finish(d)?;
    let st = status(program.birthday.notice_days, (b.1, b.2), days_from_civil(g.0, g.1, g.2), days_from_civil(t.0, t.1, t.2), last);
    Ok(obj(vec![
        ("due", Json::Bool(st.due.is_ok())),
        ("reason", opt(st.due.err(), |r| s(r.name()))),
        ("this_year", date_text(st.this_year)),
        ("next", date_text(st.next)),
        ("points", int(points(program))),
    ]))
}

/// The birthday action's points (0 without one).
pub fn points(program: &Program) -> i64 {
    program.actions.iter().filter(|a| a.kind == ActionKind::Birthday).map(|a| a.points).max().unwrap_or(0)
}

/// For the explainer: what the gift is and the notice it needs.
pub fn model(program: &Program) -> Json<'static> {
    let p = points(program);
    if p == 0 {
        return Json::Null;
    }
    obj(vec![("points", int(p)), ("notice_days", int(program.birthday.notice_days)), ("time_zone", s(&*program.store.time_zone))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(t: &str) -> i64 {
        let (y, m, d) = date(t).unwrap();
        days_from_civil(y, m, d)
    }

    #[test]
    fn leap_day_birthdays_come_on_28_february_in_common_years() {
        assert_eq!(celebrated_in(2027, 2, 29), day("2027-02-28"));
        assert_eq!(celebrated_in(2028, 2, 29), day("2028-02-29"));
        assert_eq!(celebrated_in(2100, 2, 29), day("2100-02-28"));
        assert_eq!(celebrated_in(2000, 2, 29), day("2000-02-29"));
    }

    #[test]
    fn due_once_a_year_with_notice() {
        let given = day("2026-01-01");
        assert_eq!(status(30, (3, 5), given, day("2026-03-05"), None).due, Ok(()));
        assert_eq!(status(30, (3, 5), given, day("2026-03-05"), Some(2026)).due, Err(NotDue::AlreadyRewarded));
        assert_eq!(status(30, (3, 5), given, day("2026-03-04"), None).due, Err(NotDue::NotToday));
        let late = status(30, (3, 5), day("2026-02-20"), day("2026-03-05"), None);
        assert_eq!((late.due, late.next), (Err(NotDue::TooRecent), day("2027-03-05")));
        // Exactly N days' notice is enough.
        assert_eq!(status(30, (3, 5), day("2026-02-03"), day("2026-03-05"), None).due, Ok(()));
    }
}
