//! Birthday gifts on the day, in the store's time zone. The server turns
//! its clock into local dates (`store.time_zone`, the IANA database bundled
//! with jiff); the core's `rewards_core::birthday` decides on those dates.
//!
//! The birthday counts as given on the local day the shopper signed up
//! (the signup form is the only place it is written, and only on the first
//! signup), so editing it cannot earn a gift early. Once per local
//! calendar year: a year is "rewarded" when the birthday action was
//! credited in it (by this module, or by the merchant's action webhook),
//! read from the shopper's rewarded actions.

use rewards_core::birthday::status;
use rewards_core::config::{Action, ActionKind, Program};
use rewards_core::time::{civil_from_days, days_from_civil, parse_instant, DAY_MS};
use rewards_core::Shopper;

use rewards_core::json::{int, obj, Json};

use crate::error::ApiResult;
use crate::storage::db::Conn;
use crate::storage::entries;
use crate::storage::ledger::ShopperRow;

/// The local day number (days since 1970-01-01) of instant `t` in `tz`;
/// UTC when the zone is unknown (the validator refuses unknown zones).
pub fn local_day(tz: &str, t: i64) -> i64 {
    let zone = jiff::tz::db().get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    match jiff::Timestamp::from_millisecond(t) {
        Ok(ts) => {
            let d = zone.to_datetime(ts).date();
            days_from_civil(i64::from(d.year()), d.month() as u32, d.day() as u32)
        }
        Err(_) => t.div_euclid(DAY_MS),
    }
}

/// The birthday action (the one with the most points).
pub fn action(program: &Program) -> Option<&Action> {
    program.actions.iter().filter(|a| a.kind == ActionKind::Birthday).max_by_key(|a| a.points)
}

/// `Some((local year, action))` when the shopper's birthday gift is due at `now`.
pub fn due<'p>(program: &'p Program, row: &ShopperRow, shopper: &Shopper, now: i64) -> Option<(i64, &'p Action)> {
    let a = action(program)?;
    let (signed_up, text) = (row.signed_up_at?, row.birthday.as_deref()?);
    let born = parse_instant(text).filter(|_| text.len() == 10)?;
    let (_, month, day) = civil_from_days(born.div_euclid(DAY_MS));
    let tz = &program.store.time_zone;
    let today = local_day(tz, now);
    let year = civil_from_days(today).0;
    let last = shopper.rewarded_actions.iter().filter(|r| r.id == a.id).map(|r| civil_from_days(local_day(tz, r.at)).0).max();
    let st = status(program.birthday.notice_days, (month, day), local_day(tz, signed_up), today, last);
    st.due.is_ok().then_some((year, a))
}

/// This local year's birthday gift, `{points, year}`, once credited (the
/// widget says "Happy birthday" once per year); `null` otherwise.
pub async fn gift(conn: &mut Conn, program: &rewards_core::Program, id: &str, now: i64) -> ApiResult<Json<'static>> {
    let day = local_day(&program.store.time_zone, now);
    let year = rewards_core::time::civil_from_days(day).0;
    Ok(match entries::action_points(conn, &format!("birthday:{id}:{year}")).await? {
        Some(points) => obj(vec![("points", int(points)), ("year", int(year))]),
        None => Json::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_days_follow_the_store_zone_across_midnight_and_the_year() {
        let t = parse_instant("2026-12-31T17:30:00Z").unwrap();
        // 00:30 on 1 January in Hanoi (UTC+7), still 31 December in New York and UTC.
        assert_eq!(civil_from_days(local_day("Asia/Ho_Chi_Minh", t)), (2027, 1, 1));
        assert_eq!(civil_from_days(local_day("America/New_York", t)), (2026, 12, 31));
        assert_eq!(civil_from_days(local_day("UTC", t)), (2026, 12, 31));
        // New York in summer time (UTC−4): 02:00Z on 1 July is 30 June there.
        assert_eq!(civil_from_days(local_day("America/New_York", parse_instant("2026-07-01T02:00:00Z").unwrap())), (2026, 6, 30));
    }
}
