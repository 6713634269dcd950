//! Tier (VIP) status and progress.
//!
//! The tier metric counts within the tier period: qualifying spend (the
//! preview's `qualifying_total`), points earned (`total_points`) or orders.
//! With `retention: requalify` a tier reached is held until the end of the
//! period after the one it was reached in (calendar year: through the next
//! calendar year; rolling 12 months: 12 months after reaching it; lifetime:
//! forever). The current tier is the higher of the held tier (while held)
//! and the tier the current period's metric reaches.

use crate::config::{Metric, Period, Program, Retention, Tier, Tiers};
use crate::decimal::Ratio;
use crate::error::Result;
use crate::json::{Json, Out};
use crate::money;
use crate::preview::Preview;
use crate::shopper::Shopper;
use crate::time::{add_months, format_instant, start_of_year, Millis};

/// Index of the highest tier whose threshold `value` reaches.
fn reached(t: &Tiers, value: i64) -> Option<usize> {
    t.levels.iter().rposition(|l| value >= l.threshold)
}

fn metric_value(t: &Tiers, shopper: &Shopper) -> i64 {
    match t.metric {
        Metric::Spend => shopper.period_spend,
        Metric::Points => shopper.period_points,
        Metric::Orders => shopper.period_orders,
    }
}

/// Until when a tier reached at `since` is held (None: forever).
pub fn held_until(t: &Tiers, since: Millis) -> Option<Millis> {
    match t.period {
        Period::Lifetime => None,
        Period::CalendarYear => Some(add_months(start_of_year(since), 24)),
        Period::Rolling12Months => Some(add_months(since, 12)),
    }
}

/// The window the shopper's period metrics must cover at `now` (the
/// server sums its ledger over it): `(from, to)`, `None` for unbounded.
pub fn period_window(t: &Tiers, now: Millis) -> (Option<Millis>, Option<Millis>) {
    match t.period {
        Period::Lifetime => (None, None),
        Period::CalendarYear => (Some(start_of_year(now)), Some(add_months(start_of_year(now), 12))),
        Period::Rolling12Months => (Some(add_months(now, -12)), Some(now)),
    }
}

/// Index of the held tier if it is still held at `now`.
fn held(program: &Program, t: &Tiers, shopper: &Shopper, now: Millis) -> Option<(usize, Option<Millis>)> {
    if t.retention == Retention::Drop {
        return None;
    }
    let h = shopper.tier.as_ref()?;
    let (i, _) = program.tier(&h.id)?;
    let until = held_until(t, h.since);
    (until.is_none_or(|u| now < u)).then_some((i, until))
}

fn current_index(program: &Program, shopper: &Shopper, now: Millis) -> Option<usize> {
    let t = program.tiers.as_ref()?;
    let by_metric = reached(t, metric_value(t, shopper));
    let by_hold = held(program, t, shopper, now).map(|(i, _)| i);
    by_metric.max(by_hold)
}

/// The shopper's tier at `now`.
pub fn current<'p>(program: &'p Program, shopper: &Shopper, now: Millis) -> Option<&'p Tier> {
    let i = current_index(program, shopper, now)?;
    program.tiers.as_ref().map(|t| &t.levels[i])
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub value: i64,
    pub current: Option<usize>,
    pub next: Option<usize>,
    /// Metric still needed for the next tier (0 at the top).
    pub needed: i64,
    /// Between the current tier's threshold and the next one's, in 0..=1.
    pub fraction: Ratio,
    pub value_after: i64,
    pub tier_after: Option<usize>,
    /// "at_risk" when the held tier is above what the metric reaches.
    pub at_risk: bool,
    /// While at risk: the metric still needed in this period to keep the
    /// held tier past its deadline.
    pub needed_to_keep: Option<i64>,
    /// When the current tier must be re-earned by (None: never).
    pub deadline: Option<Millis>,
}

pub fn progress(program: &Program, shopper: &Shopper, cart: Option<&Preview>, now: Millis) -> Result<Option<Progress>> {
    let Some(t) = program.tiers.as_ref() else { return Ok(None) };
    let value = metric_value(t, shopper);
    let by_metric = reached(t, value);
    let hold = held(program, t, shopper, now);
    let current = by_metric.max(hold.map(|(i, _)| i));
    let next_i = current.map_or(0, |i| i + 1);
    let next = (next_i < t.levels.len()).then_some(next_i);
    let (needed, fraction) = match next {
        None => (0, Ratio::int(1)),
        Some(n) => {
            let target = t.levels[n].threshold;
            let base = current.map_or(0, |i| t.levels[i].threshold);
            let needed = money::sub(target, value, "tier needed")?.max(0);
            // Validated thresholds increase, so `span` is at least 1; the
            // bounds also keep a published program that is corrupt from
            // trapping.
            let span = money::sub(target, base, "tier progress")?.max(1);
            let done = money::sub(value, base, "tier progress")?.clamp(0, span);
            (needed, Ratio::new(done as i128, span as i128, "tier progress")?)
        }
    };
    let add = match (cart, t.metric) {
        (None, _) => 0,
        (Some(p), Metric::Spend) => p.qualifying_total,
        (Some(p), Metric::Points) => p.total_points,
        (Some(p), Metric::Orders) => i64::from(p.units > 0),
    };
    let value_after = money::add(value, add, "tier value after cart")?;
    let tier_after = reached(t, value_after).max(current);
    let at_risk = matches!((hold, by_metric), (Some((h, _)), m) if Some(h) > m);
    let needed_to_keep = match hold {
        Some((h, _)) if at_risk => Some(money::sub(t.levels[h].threshold, value, "tier needed to keep")?.max(0)),
        _ => None,
    };
    let deadline = match (t.retention, current) {
        (Retention::Drop, _) | (_, None) => None,
        // A tier with threshold 0 cannot be lost: nothing to requalify by.
        (_, Some(i)) if t.levels[i].threshold == 0 => None,
        // Reached by this period's metric (again): held from now on, which
        // also extends an older hold of the same tier.
        (_, Some(i)) if by_metric == Some(i) => held_until(t, now),
        _ => hold.and_then(|(_, until)| until),
    };
    Ok(Some(Progress { value, current, next, needed, fraction, value_after, tier_after, at_risk, needed_to_keep, deadline }))
}

impl Progress {
    /// The answer's JSON text (`tier_progress`, and inside `quote`).
    pub fn write(&self, program: &Program, o: &mut Out) {
        let levels = program.tiers.as_ref().map(|t| &t.levels[..]).unwrap_or(&[]);
        let id = |i: Option<usize>| i.and_then(|i| levels.get(i)).map(|l| &*l.id);
        let permille = self.fraction.num.saturating_mul(1000) / self.fraction.den.max(1);
        let metric = match program.tiers.as_ref().map(|t| t.metric) {
            Some(Metric::Points) => "points",
            Some(Metric::Orders) => "orders",
            _ => "spend",
        };
        o.open().key("metric").str(metric).key("value").int(self.value);
        o.key("current").opt_str(id(self.current)).key("next").opt_str(id(self.next));
        o.key("next_threshold").opt_int(self.next.and_then(|n| levels.get(n)).map(|l| l.threshold.into()));
        o.key("needed").int(self.needed).key("progress").str(&self.fraction.to_text()).key("progress_permille").int(permille);
        o.key("value_after").int(self.value_after).key("tier_after").opt_str(id(self.tier_after));
        o.key("tier_changes").bool(self.tier_after != self.current).key("at_risk").bool(self.at_risk);
        o.key("needed_to_keep").opt_int(self.needed_to_keep.map(Into::into));
        o.key("deadline").opt_str(self.deadline.map(format_instant).as_deref()).close();
    }

    /// [`Progress::write`] as a tree, for the explainer that embeds it.
    pub fn to_json(&self, program: &Program) -> Json<'static> {
        let mut o = Out::new();
        self.write(program, &mut o);
        crate::json::written(o.into_text())
    }
}
