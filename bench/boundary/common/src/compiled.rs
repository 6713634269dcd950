//! The compiled program: what the server would publish for the cart page
//! after validating the merchant's config with the full decoder. Defaults
//! are filled in, enums are small codes, decimals are (mantissa, scale),
//! a text is one string per store locale (in `locales` order), and only
//! what the cart computations and their labels use is kept (no popup, no
//! text overrides). The readers trust its structure but check every code,
//! so a corrupt document is refused, never a panic.

use alloc::string::String;
use alloc::vec::Vec;
use rewards_core::config::*;
use rewards_core::decimal::{Decimal, Rounding};
use rewards_core::money::Currency;

macro_rules! compiled {
    ($($item:item)*) => {$(
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "nanoserde", derive(nanoserde::DeJson))]
        #[cfg_attr(feature = "miniserde", derive(miniserde::Deserialize))]
        $item
    )*};
}

compiled! {
    pub struct CDec { pub m: i64, pub s: u32 }
    pub struct CSelector {
        pub product_ids: Vec<String>, pub variant_ids: Vec<String>, pub skus: Vec<String>,
        pub tags: Vec<String>, pub product_types: Vec<String>, pub collections: Vec<String>,
    }
    pub struct CEarning {
        pub points_per_step: i64, pub step: i64, pub rounding: u8, pub minimum_order: i64,
        pub max_points_per_order: Option<i64>, pub exclude: CSelector,
    }
    pub struct CAction {
        pub id: String, pub kind: u8, pub points: i64, pub limit: u8, pub every_days: i64,
        pub name: Vec<String>, pub url: Option<String>,
    }
    pub struct CCashback { pub percent: CDec, pub rounding: u8 }
    pub struct CTier { pub id: String, pub name: Vec<String>, pub threshold: i64, pub multiplier: CDec, pub perks: Vec<Vec<String>> }
    pub struct CTiers { pub metric: u8, pub period: u8, pub retention: u8, pub levels: Vec<CTier> }
    pub struct CMembership {
        pub id: String, pub name: Vec<String>, pub fee: i64, pub billing: u8, pub trial_days: i64,
        pub multiplier: CDec, pub perks: Vec<Vec<String>>,
    }
    pub struct CPunch {
        pub name: Vec<String>, pub stamps_required: i64, pub eligible: CSelector, pub per: u8,
        pub max_stamps_per_order: Option<i64>, pub minimum_line_amount: i64,
        pub reward_description: Vec<String>, pub reward_value: i64, pub reward_product_id: Option<String>,
        pub carry_over: bool, pub expiry_days: Option<i64>,
    }
    pub struct CRedemption {
        pub id: String, pub name: Vec<String>, pub kind: u8, pub value: i64, pub percent: CDec,
        pub product_id: Option<String>, pub points: i64, pub min_points: i64, pub max_points: i64,
        pub increment: i64, pub min_cart: i64, pub max_discount: Option<i64>, pub members_only: bool,
    }
    pub struct CProgram {
        pub currency: String, pub locales: Vec<String>, pub earning: CEarning, pub combine: u8,
        pub actions: Vec<CAction>, pub cashback: Option<CCashback>, pub tiers: Option<CTiers>,
        pub membership: Option<CMembership>, pub punch_card: Option<CPunch>,
        pub redemptions: Vec<CRedemption>, pub pending_days: i64, pub expiry_months_inactive: Option<i64>,
    }
}

fn pick<T: Copy>(code: u8, table: &[T]) -> Option<T> {
    table.get(code as usize).copied()
}
const ROUNDING: &[Rounding] = &[Rounding::Floor, Rounding::HalfUp, Rounding::Ceil];
const COMBINE: &[Combine] = &[Combine::Add, Combine::Multiply, Combine::Highest];
const METRIC: &[Metric] = &[Metric::Spend, Metric::Points, Metric::Orders];
const PERIOD: &[Period] = &[Period::Lifetime, Period::CalendarYear, Period::Rolling12Months];
const RETENTION: &[Retention] = &[Retention::Requalify, Retention::Drop];
const BILLING: &[Billing] = &[Billing::Monthly, Billing::Yearly];
const PER: &[StampPer] = &[StampPer::Order, StampPer::Item];

fn dec(d: &CDec) -> Option<Decimal> {
    (d.s <= rewards_core::decimal::MAX_SCALE).then_some(Decimal { mantissa: d.m, scale: d.s })
}

impl CSelector {
    fn to_core(self) -> Selector {
        Selector {
            product_ids: self.product_ids,
            variant_ids: self.variant_ids,
            skus: self.skus,
            tags: self.tags,
            product_types: self.product_types,
            collections: self.collections,
        }
    }
    fn of(s: &Selector) -> CSelector {
        CSelector {
            product_ids: s.product_ids.clone(),
            variant_ids: s.variant_ids.clone(),
            skus: s.skus.clone(),
            tags: s.tags.clone(),
            product_types: s.product_types.clone(),
            collections: s.collections.clone(),
        }
    }
}

impl CProgram {
    /// The core's program. `None` when a code or a text's locale count is
    /// out of range (the document is corrupt: the server never writes one).
    pub fn to_core(self) -> Option<Program> {
        let locales = self.locales;
        let text = |t: Vec<String>| -> Option<Text> {
            (t.len() == locales.len()).then(|| Text(locales.iter().cloned().zip(t).collect()))
        };
        let texts = |v: Vec<Vec<String>>| -> Option<Vec<Text>> { v.into_iter().map(text).collect() };
        let e = self.earning;
        let earning = Earning {
            points_per_step: e.points_per_step,
            step: e.step,
            rounding: pick(e.rounding, ROUNDING)?,
            minimum_order: e.minimum_order,
            max_points_per_order: e.max_points_per_order,
            exclude: e.exclude.to_core(),
        };
        let mut actions = Vec::with_capacity(self.actions.len());
        for a in self.actions {
            actions.push(Action {
                id: a.id,
                kind: ActionKind::ALL.get(a.kind as usize)?.1,
                points: a.points,
                limit: match a.limit {
                    0 => Limit::Once,
                    1 => Limit::Yearly,
                    2 => Limit::EveryDays(a.every_days),
                    3 => Limit::Unlimited,
                    _ => return None,
                },
                name: if a.name.is_empty() { None } else { Some(text(a.name)?) },
                url: a.url,
            });
        }
        let cashback = match self.cashback {
            None => None,
            Some(c) => Some(Cashback { percent: dec(&c.percent)?, rounding: pick(c.rounding, ROUNDING)? }),
        };
        let tiers = match self.tiers {
            None => None,
            Some(t) => {
                let mut levels = Vec::with_capacity(t.levels.len());
                for l in t.levels {
                    levels.push(Tier {
                        id: l.id,
                        name: text(l.name)?,
                        threshold: l.threshold,
                        multiplier: dec(&l.multiplier)?,
                        perks: texts(l.perks)?,
                    });
                }
                Some(Tiers {
                    metric: pick(t.metric, METRIC)?,
                    period: pick(t.period, PERIOD)?,
                    retention: pick(t.retention, RETENTION)?,
                    levels,
                })
            }
        };
        let membership = match self.membership {
            None => None,
            Some(m) => Some(Membership {
                id: m.id,
                name: text(m.name)?,
                fee: m.fee,
                billing: pick(m.billing, BILLING)?,
                trial_days: m.trial_days,
                multiplier: dec(&m.multiplier)?,
                perks: texts(m.perks)?,
            }),
        };
        let punch_card = match self.punch_card {
            None => None,
            Some(p) => Some(PunchCard {
                name: text(p.name)?,
                stamps_required: p.stamps_required,
                eligible: p.eligible.to_core(),
                per: pick(p.per, PER)?,
                max_stamps_per_order: p.max_stamps_per_order,
                minimum_line_amount: p.minimum_line_amount,
                reward: PunchReward { description: text(p.reward_description)?, value: p.reward_value, product_id: p.reward_product_id },
                carry_over: p.carry_over,
                expiry_days: p.expiry_days,
            }),
        };
        let mut redemptions = Vec::with_capacity(self.redemptions.len());
        for r in self.redemptions {
            let kind = match r.kind {
                0 => RedemptionKind::AmountOff { value: r.value },
                1 => RedemptionKind::PercentOff { percent: dec(&r.percent)? },
                2 => RedemptionKind::FreeShipping,
                3 => RedemptionKind::FreeProduct { product_id: r.product_id?, value: r.value },
                _ => return None,
            };
            redemptions.push(Redemption {
                id: r.id,
                name: text(r.name)?,
                kind,
                points: r.points,
                min_points: r.min_points,
                max_points: r.max_points,
                increment: r.increment,
                min_cart: r.min_cart,
                max_discount: r.max_discount,
                members_only: r.members_only,
            });
        }
        let default_locale = locales.first()?.clone();
        Some(Program {
            version: VERSION,
            store: Store { name: String::new(), currency: Currency::from_code(&self.currency)?, default_locale, locales },
            earning,
            multipliers: MultiplierRule { combine: pick(self.combine, COMBINE)? },
            actions,
            cashback,
            tiers,
            membership,
            punch_card,
            redemptions,
            lifecycle: Lifecycle { pending_days: self.pending_days, expiry_months_inactive: self.expiry_months_inactive },
            popup: None,
            texts: Vec::new(),
        })
    }

    /// What the server would publish for a validated program (native).
    pub fn of(p: &Program) -> CProgram {
        let locales = p.store.locales.clone();
        let text = |t: &Text| -> Vec<String> {
            locales
                .iter()
                .map(|l| {
                    t.0.iter()
                        .find(|(k, _)| k == l || k.is_empty())
                        .or_else(|| t.0.iter().find(|(k, _)| *k == p.store.default_locale))
                        .or(t.0.first())
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect()
        };
        let code = |name: &str, table: &[&str]| table.iter().position(|n| *n == name).unwrap_or(0) as u8;
        let cdec = |d: Decimal| CDec { m: d.mantissa, s: d.scale };
        let idx = |v: &dyn Fn() -> usize| v() as u8;
        CProgram {
            currency: String::from(p.store.currency.code()),
            locales: locales.clone(),
            earning: CEarning {
                points_per_step: p.earning.points_per_step,
                step: p.earning.step,
                rounding: ROUNDING.iter().position(|r| *r == p.earning.rounding).unwrap_or(0) as u8,
                minimum_order: p.earning.minimum_order,
                max_points_per_order: p.earning.max_points_per_order,
                exclude: CSelector::of(&p.earning.exclude),
            },
            combine: COMBINE.iter().position(|c| *c == p.multipliers.combine).unwrap_or(0) as u8,
            actions: p
                .actions
                .iter()
                .map(|a| {
                    let (limit, every_days) = match a.limit {
                        Limit::Once => (0, 0),
                        Limit::Yearly => (1, 0),
                        Limit::EveryDays(d) => (2, d),
                        Limit::Unlimited => (3, 0),
                    };
                    CAction {
                        id: a.id.clone(),
                        kind: code(a.kind.name(), &ActionKind::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
                        points: a.points,
                        limit,
                        every_days,
                        name: a.name.as_ref().map(text).unwrap_or_default(),
                        url: a.url.clone(),
                    }
                })
                .collect(),
            cashback: p.cashback.as_ref().map(|c| CCashback {
                percent: cdec(c.percent),
                rounding: ROUNDING.iter().position(|r| *r == c.rounding).unwrap_or(0) as u8,
            }),
            tiers: p.tiers.as_ref().map(|t| CTiers {
                metric: idx(&|| METRIC.iter().position(|m| *m == t.metric).unwrap_or(0)),
                period: idx(&|| PERIOD.iter().position(|m| *m == t.period).unwrap_or(0)),
                retention: idx(&|| RETENTION.iter().position(|m| *m == t.retention).unwrap_or(0)),
                levels: t
                    .levels
                    .iter()
                    .map(|l| CTier {
                        id: l.id.clone(),
                        name: text(&l.name),
                        threshold: l.threshold,
                        multiplier: cdec(l.multiplier),
                        perks: l.perks.iter().map(text).collect(),
                    })
                    .collect(),
            }),
            membership: p.membership.as_ref().map(|m| CMembership {
                id: m.id.clone(),
                name: text(&m.name),
                fee: m.fee,
                billing: idx(&|| BILLING.iter().position(|b| *b == m.billing).unwrap_or(0)),
                trial_days: m.trial_days,
                multiplier: cdec(m.multiplier),
                perks: m.perks.iter().map(text).collect(),
            }),
            punch_card: p.punch_card.as_ref().map(|c| CPunch {
                name: text(&c.name),
                stamps_required: c.stamps_required,
                eligible: CSelector::of(&c.eligible),
                per: idx(&|| PER.iter().position(|x| *x == c.per).unwrap_or(0)),
                max_stamps_per_order: c.max_stamps_per_order,
                minimum_line_amount: c.minimum_line_amount,
                reward_description: text(&c.reward.description),
                reward_value: c.reward.value,
                reward_product_id: c.reward.product_id.clone(),
                carry_over: c.carry_over,
                expiry_days: c.expiry_days,
            }),
            redemptions: p
                .redemptions
                .iter()
                .map(|r| {
                    let (kind, value, percent, product_id) = match &r.kind {
                        RedemptionKind::AmountOff { value } => (0, *value, Decimal::ZERO, None),
                        RedemptionKind::PercentOff { percent } => (1, 0, *percent, None),
                        RedemptionKind::FreeShipping => (2, 0, Decimal::ZERO, None),
                        RedemptionKind::FreeProduct { product_id, value } => (3, *value, Decimal::ZERO, Some(product_id.clone())),
                    };
                    CRedemption {
                        id: r.id.clone(),
                        name: text(&r.name),
                        kind,
                        value,
                        percent: cdec(percent),
                        product_id,
                        points: r.points,
                        min_points: r.min_points,
                        max_points: r.max_points,
                        increment: r.increment,
                        min_cart: r.min_cart,
                        max_discount: r.max_discount,
                        members_only: r.members_only,
                    }
                })
                .collect(),
            pending_days: p.lifecycle.pending_days,
            expiry_months_inactive: p.lifecycle.expiry_months_inactive,
        }
    }
}
