//! Loyalty KPIs with the source articles' formulas, in exact integer
//! arithmetic (ratios of i128; a ratio is rounded only for display, half
//! away from zero, step "KPI display rounding").
//!
//! Definitions (docs/api.md "Admin"): a *customer* is a shopper with at
//! least one order; a customer is *active* at instant t when they ordered
//! in `[t − active window, t)`. For the period `[from, to)`:
//! S = active at `from`, E = active at `to`, N = customers whose first
//! order falls in the period, lost = active at `from` but not at `to`.
//! - CRR = (E − N) / S × 100; churn = lost / S × 100
//! - AOV = net revenue / orders; frequency = orders / ordering customers;
//!   lifespan = 1 / churn = S / lost periods; CLV = AOV × frequency × lifespan
//! - adoption = customers who are members / customers × 100
//! - redemption rate = points redeemed / points issued × 100
//! - repeat purchase rate = customers with ≥ 2 orders / ordering customers × 100
//! - time between purchases = mean gap between a customer's consecutive orders

use std::collections::{BTreeMap, HashSet};

/// An exact non-negative ratio; `den == 0` means "undefined" (e.g. S = 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Q {
    pub num: i128,
    pub den: i128,
}

impl Q {
    pub fn new(num: i128, den: i128) -> Q {
        Q { num, den }
    }

    pub fn defined(&self) -> bool {
        self.den != 0
    }

    pub fn times(self, o: Q) -> Q {
        Q::new(self.num.saturating_mul(o.num), self.den.saturating_mul(o.den))
    }

    /// Rounded to `places` decimals, half away from zero; "n/a" when undefined.
    pub fn fixed(&self, places: u32) -> String {
        if self.den == 0 {
            return "n/a".into();
        }
        let scale = 10i128.pow(places);
        let (n, d) = if self.den < 0 { (-self.num, -self.den) } else { (self.num, self.den) };
        let scaled = n.saturating_mul(scale);
        let q = (scaled.abs() + d / 2) / d * scaled.signum();
        let sign = if q < 0 { "-" } else { "" };
        let (int, frac) = (q.abs() / scale, q.abs() % scale);
        if places == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0w$}", w = places as usize)
        }
    }

    /// As a percentage with two decimals.
    pub fn percent(&self) -> String {
        Q::new(self.num.saturating_mul(100), self.den).fixed(2)
    }
}

#[derive(Debug, Clone)]
pub struct OrderFact {
    pub shopper: String,
    pub at: i64,
    /// Subtotal minus refunds (minor units).
    pub net: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub from: i64,
    pub to: i64,
    pub active_ms: i64,
    /// Every identified customer's orders before `to`.
    pub orders: Vec<OrderFact>,
    /// Shoppers signed up before `to`.
    pub members: HashSet<String>,
    pub points_issued: i64,
    pub points_redeemed: i64,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub s: i64,
    pub e: i64,
    pub n: i64,
    pub lost: i64,
    pub crr: Q,
    pub churn: Q,
    pub revenue: i64,
    pub orders: i64,
    pub ordering_customers: i64,
    pub aov: Q,
    pub frequency: Q,
    pub lifespan: Q,
    pub clv: Q,
    pub customers: i64,
    pub member_customers: i64,
    pub adoption: Q,
    pub points_issued: i64,
    pub points_redeemed: i64,
    pub redemption_rate: Q,
    pub repeaters: i64,
    pub repeat_rate: Q,
    pub gap_total_ms: i64,
    pub gaps: i64,
    pub time_between_days: Q,
}

fn active(orders: &[OrderFact], t: i64, window: i64) -> HashSet<&str> {
    orders.iter().filter(|o| o.at >= t.saturating_sub(window) && o.at < t).map(|o| o.shopper.as_str()).collect()
}

pub fn compute(i: &Inputs) -> Report {
    let start = active(&i.orders, i.from, i.active_ms);
    let end = active(&i.orders, i.to, i.active_ms);
    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
    for o in &i.orders {
        first.entry(&o.shopper).and_modify(|t| *t = (*t).min(o.at)).or_insert(o.at);
    }
    let n = first.values().filter(|&&t| t >= i.from && t < i.to).count() as i64;
    let (s, e) = (start.len() as i64, end.len() as i64);
    let lost = start.difference(&end).count() as i64;
    let in_period: Vec<&OrderFact> = i.orders.iter().filter(|o| o.at >= i.from && o.at < i.to).collect();
    let revenue: i64 = in_period.iter().map(|o| o.net).sum();
    let orders = in_period.len() as i64;
    let mut per: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for o in &in_period {
        per.entry(&o.shopper).or_default().push(o.at);
    }
    let ordering = per.len() as i64;
    let repeaters = per.values().filter(|v| v.len() >= 2).count() as i64;
    let (mut gap_total, mut gaps) = (0i64, 0i64);
    for v in per.values_mut() {
        v.sort_unstable();
        for w in v.windows(2) {
            gap_total += w[1] - w[0];
            gaps += 1;
        }
    }
    let aov = Q::new(revenue as i128, orders as i128);
    let frequency = Q::new(orders as i128, ordering as i128);
    let lifespan = Q::new(s as i128, lost as i128);
    let clv = if aov.defined() && frequency.defined() && lifespan.defined() { aov.times(frequency).times(lifespan) } else { Q::new(0, 0) };
    let customers = first.len() as i64;
    let member_customers = first.keys().filter(|k| i.members.contains(**k)).count() as i64;
    Report {
        s,
        e,
        n,
        lost,
        crr: Q::new((e - n) as i128, s as i128),
        churn: Q::new(lost as i128, s as i128),
        revenue,
        orders,
        ordering_customers: ordering,
        aov,
        frequency,
        lifespan,
        clv,
        customers,
        member_customers,
        adoption: Q::new(member_customers as i128, customers as i128),
        points_issued: i.points_issued,
        points_redeemed: i.points_redeemed,
        redemption_rate: Q::new(i.points_redeemed as i128, i.points_issued as i128),
        repeaters,
        repeat_rate: Q::new(repeaters as i128, ordering as i128),
        gap_total_ms: gap_total,
        gaps,
        time_between_days: Q::new(gap_total as i128, gaps as i128 * 86_400_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_examples() {
        // S = 2,000, E = 2,400, N = 600 -> CRR 90%.
        assert_eq!(Q::new(2400 - 600, 2000).percent(), "90.00");
        // 500 customers, 50 lost -> churn 10%.
        assert_eq!(Q::new(50, 500).percent(), "10.00");
        // 1,000 members of 10,000 customers -> adoption 10%.
        assert_eq!(Q::new(1000, 10000).percent(), "10.00");
        assert_eq!(Q::new(2, 3).percent(), "66.67");
        assert_eq!(Q::new(1, 0).percent(), "n/a");
        assert_eq!(Q::new(-1, 8).fixed(2), "-0.13");
    }

    #[test]
    fn crr_from_orders() {
        let day = 86_400_000;
        let o = |s: &str, d: i64, net: i64| OrderFact { shopper: s.into(), at: d * day, net };
        // Period [10, 20) days, active window 10 days.
        let i = Inputs {
            from: 10 * day,
            to: 20 * day,
            active_ms: 10 * day,
            orders: vec![o("a", 5, 100), o("a", 12, 300), o("b", 3, 50), o("c", 15, 200), o("c", 18, 100)],
            members: ["a".to_string(), "c".to_string()].into_iter().collect(),
            points_issued: 40,
            points_redeemed: 10,
        };
        let r = compute(&i);
        // Active at 10: a (5), b (3). Active at 20: a (12), c (15, 18). New: c.
        assert_eq!((r.s, r.e, r.n, r.lost), (2, 2, 1, 1));
        assert_eq!(r.crr.percent(), "50.00");
        assert_eq!(r.churn.percent(), "50.00");
        assert_eq!((r.revenue, r.orders, r.ordering_customers), (600, 3, 2));
        assert_eq!(r.aov.fixed(2), "200.00");
        assert_eq!(r.frequency.fixed(2), "1.50");
        // CLV = 200 × 1.5 × (2 / 1) = 600.
        assert_eq!(r.clv.fixed(0), "600");
        assert_eq!(r.adoption.percent(), "66.67");
        assert_eq!(r.redemption_rate.percent(), "25.00");
        assert_eq!(r.repeat_rate.percent(), "50.00");
        assert_eq!(r.time_between_days.fixed(1), "3.0");
    }
}
