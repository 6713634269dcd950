//! The figures of the console's KPI page (`kpi_page` draws them): for each
//! of the last [`PERIODS`] periods (calendar months or 7-day weeks in the
//! store's time zone, the newest one so far), the seeds' KPIs (`crate::services::kpi`,
//! the same formulas as `/admin`), the program's cost against the revenue
//! from members, and members against guests.
//!
//! Definitions (docs/console.md, "KPIs"):
//! - *Program cost* = the value of the vouchers issued in the period that
//!   were not voided (points redeemed, `source = redemption`; punch cards
//!   and referral rewards, the other sources) + the store credit (cashback)
//!   its orders earned, net of refunds. Money is in the store's currency;
//!   rows in another currency are left out.
//! - *Revenue from members* = net revenue (subtotal − refunds) of orders
//!   by a shopper who had signed up at or before the order.
//! - *Guests* are every other order: an order without a shopper counts as
//!   one customer of its own (nothing tells two such orders apart).
//!
//! Everything is integer arithmetic; ratios are exact [`Q`]s, rounded only
//! when shown ("KPI display rounding", half away from zero).

use std::collections::BTreeSet;

use rewards_core::time::{civil_from_days, days_from_civil, DAY_MS};

use crate::services::kpi::{self, Inputs, OrderFact, Q};
use crate::App;

/// Periods on the trend charts (the newest, so far, included).
pub const PERIODS: usize = 12;
/// The active window of retention and churn when the page names none.
pub const DEFAULT_ACTIVE_DAYS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Month,
    Week,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Month => "month",
            Kind::Week => "week",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        match code {
            "month" => Some(Kind::Month),
            "week" => Some(Kind::Week),
            _ => None,
        }
    }
}

/// The UTC instant of local midnight starting local day `day` in `tz`.
pub fn local_midnight(tz: &str, day: i64) -> i64 {
    let zone = jiff::tz::db().get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let (y, m, d) = civil_from_days(day);
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) else { return day * DAY_MS };
    jiff::civil::Date::new(y, m, d)
        .ok()
        .and_then(|date| zone.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).ok())
        .map_or(day * DAY_MS, |t| t.as_millisecond())
}

/// One period: `[from, to)`; `first_day`, `last_day` are local day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
    pub first_day: i64,
    pub last_day: i64,
}

/// The last `n` periods ending with the one holding `now`, oldest first.
/// The newest ends at `now` (it is "so far").
pub fn periods(kind: Kind, tz: &str, now: i64, n: usize) -> Vec<Period> {
    let today = crate::services::birthday::local_day(tz, now);
    let mut out = Vec::with_capacity(n);
    for back in (0..n as i64).rev() {
        let (first, next) = match kind {
            Kind::Month => {
                let (y, m, _) = civil_from_days(today);
                let index = y * 12 + i64::from(m) - 1 - back;
                let start = days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1);
                let index = index + 1;
                (start, days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1))
            }
            Kind::Week => (today - 6 - 7 * back, today + 1 - 7 * back),
        };
        let to = if back == 0 { now } else { local_midnight(tz, next) };
        out.push(Period { from: local_midnight(tz, first), to, first_day: first, last_day: next - 1 });
    }
    out
}

use crate::storage::kpi::Facts;

/// Members or guests in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Side {
    pub orders: i64,
    pub revenue: i64,
    pub customers: i64,
}

impl Side {
    pub fn aov(&self) -> Q {
        Q::new(self.revenue.into(), self.orders.into())
    }

    pub fn frequency(&self) -> Q {
        Q::new(self.orders.into(), self.customers.into())
    }
}

/// What the program cost in one period, minor units of the store's currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    pub redeemed: i64,
    pub other_vouchers: i64,
    pub cashback: i64,
}

impl Cost {
    pub fn total(&self) -> i64 {
        self.redeemed.saturating_add(self.other_vouchers).saturating_add(self.cashback)
    }
}

#[derive(Debug, Clone)]
pub struct Figures {
    pub period: Period,
    pub report: kpi::Report,
    pub signups: i64,
    pub cost: Cost,
    pub members: Side,
    pub guests: Side,
}

impl Figures {
    /// Program cost / revenue from members.
    pub fn cost_share(&self) -> Q {
        Q::new(self.cost.total().into(), self.members.revenue.into())
    }
}

/// The figures of each period.
pub fn figures(facts: &Facts, periods: &[Period], active_ms: i64) -> Vec<Figures> {
    periods.iter().map(|p| one(facts, *p, active_ms)).collect()
}

fn one(facts: &Facts, p: Period, active_ms: i64) -> Figures {
    let inputs = Inputs {
        from: p.from,
        to: p.to,
        active_ms,
        orders: facts
            .orders
            .iter()
            .filter(|o| o.at < p.to)
            .filter_map(|o| Some(OrderFact { shopper: o.shopper.clone()?, at: o.at, net: o.net }))
            .collect(),
        members: facts.signed_up.iter().filter(|(_, &at)| at < p.to).map(|(id, _)| id.clone()).collect(),
        points_issued: facts.points.iter().filter(|(at, _, c)| within(p, *at) && c != "redemption").map(|(_, d, _)| d).sum(),
        points_redeemed: -facts.points.iter().filter(|(at, _, c)| within(p, *at) && c == "redemption").map(|(_, d, _)| d).sum::<i64>(),
    };
    let report = kpi::compute(&inputs);
    let signups = facts.signed_up.values().filter(|&&at| within(p, at)).count() as i64;
    let mut cost = Cost::default();
    for v in facts.vouchers.iter().filter(|v| within(p, v.at) && !v.voided) {
        if v.redemption {
            cost.redeemed += v.discount;
        } else {
            cost.other_vouchers += v.discount;
        }
    }
    let (mut members, mut guests) = (Side::default(), Side::default());
    let (mut member_ids, mut guest_ids) = (BTreeSet::<&str>::new(), BTreeSet::<&str>::new());
    for o in facts.orders.iter().filter(|o| within(p, o.at) && o.store_currency) {
        cost.cashback += o.cashback;
        let member = o.shopper.as_deref().filter(|id| facts.signed_up.get(*id).is_some_and(|&at| at <= o.at));
        let side = if member.is_some() { &mut members } else { &mut guests };
        side.orders += 1;
        side.revenue += o.net;
        match (member, o.shopper.as_deref()) {
            (Some(id), _) => {
                member_ids.insert(id);
            }
            (None, Some(id)) => {
                guest_ids.insert(id);
            }
            (None, None) => guests.customers += 1,
        }
    }
    members.customers = member_ids.len() as i64;
    guests.customers += guest_ids.len() as i64;
    Figures { period: p, report, signups, cost, members, guests }
}

fn within(p: Period, at: i64) -> bool {
    at >= p.from && at < p.to
}

/// Reads what the periods need: orders before `to`, every signup, ledger
/// points and vouchers from `from`.
pub async fn load(app: &App, from: i64, to: i64) -> crate::storage::Result<Facts> {
    let currency = app.program().currency().code().to_string();
    crate::storage::kpi::facts(&mut *app.db.read().await?, &currency, from, to).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::kpi::{Order, Voucher};
    use rewards_core::time::parse_instant;

    #[test]
    fn months_follow_the_store_zone_and_the_newest_ends_now() {
        // 2026-12-03T15:00Z is 22:00 on 3 December in Hanoi.
        let now = parse_instant("2026-12-03T15:00:00Z").unwrap();
        let p = periods(Kind::Month, "Asia/Ho_Chi_Minh", now, 12);
        assert_eq!(p.len(), 12);
        assert_eq!(p[11].from, parse_instant("2026-11-30T17:00:00Z").unwrap());
        assert_eq!(p[11].to, now);
        assert_eq!(p[10].from, parse_instant("2026-10-31T17:00:00Z").unwrap());
        assert_eq!(p[10].to, p[11].from);
        assert_eq!(civil_from_days(p[0].first_day), (2026, 1, 1));
        assert_eq!(civil_from_days(p[10].last_day), (2026, 11, 30));
        // Across the year: January's previous month is December.
        let jan = periods(Kind::Month, "UTC", parse_instant("2027-01-10T00:00:00Z").unwrap(), 2);
        assert_eq!(civil_from_days(jan[0].first_day), (2026, 12, 1));
        let weeks = periods(Kind::Week, "UTC", now, 2);
        assert_eq!((civil_from_days(weeks[1].first_day), civil_from_days(weeks[1].last_day)), ((2026, 11, 27), (2026, 12, 3)));
        assert_eq!(weeks[0].to, weeks[1].from);
    }

    #[test]
    fn members_and_guests_and_cost() {
        let p = Period { from: 0, to: 100, first_day: 0, last_day: 0 };
        let o = |s: Option<&str>, at, net, cashback| Order { shopper: s.map(String::from), at, net, cashback, store_currency: true };
        let facts = Facts {
            // m signed up at 10: its order at 5 is a guest's, at 20 and 30 a member's.
            orders: vec![
                o(Some("m"), 5, 100, 0),
                o(Some("m"), 20, 300, 7),
                o(Some("m"), 30, 100, 0),
                o(None, 40, 50, 0),
                o(None, 41, 50, 0),
            ],
            signed_up: [("m".to_string(), 10)].into_iter().collect(),
            points: vec![],
            vouchers: vec![
                Voucher { at: 1, redemption: true, discount: 20, voided: false },
                Voucher { at: 2, redemption: true, discount: 99, voided: true },
                Voucher { at: 3, redemption: false, discount: 5, voided: false },
            ],
        };
        let f = &figures(&facts, &[p], 50)[0];
        assert_eq!(f.members, Side { orders: 2, revenue: 400, customers: 1 });
        assert_eq!(f.guests, Side { orders: 3, revenue: 200, customers: 3 });
        assert_eq!(f.cost, Cost { redeemed: 20, other_vouchers: 5, cashback: 7 });
        assert_eq!(f.cost_share(), Q::new(32, 400));
        assert_eq!(f.signups, 1);
    }
}
