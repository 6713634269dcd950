//! The explainer model: ways to earn, ways to redeem, tiers, punch card,
//! membership — structured data generated from the config (and the
//! shopper's state), so the explainer can never disagree with the numbers.

use crate::config::{Billing, Limit, Period, Program, RedemptionKind, Retention, Selector, StampPer, Text};
use crate::error::Result;
use crate::json::{int, obj, opt, s, Json};
use crate::prelude::*;
use crate::shopper::Shopper;
use crate::time::Millis;
use crate::{actions, preview, punch, tiers};

pub fn text(t: &Text) -> Json<'static> {
    match &t.0[..] {
        [(l, v)] if l == "*" => s(&**v),
        pairs => Json::Object(pairs.iter().map(|(l, v)| (l.clone().into(), s(&**v))).collect()),
    }
}

fn opt_text(t: &Option<Text>) -> Json<'static> {
    opt(t.as_ref(), text)
}

fn texts(ts: &[Text]) -> Json<'static> {
    Json::Array(ts.iter().map(text).collect())
}

pub(crate) fn strs(v: &[String]) -> Json<'static> {
    Json::Array(v.iter().map(|x| s(&**x)).collect())
}

pub(crate) fn selector(sel: &Selector) -> Json<'static> {
    obj(vec![
        ("product_ids", strs(&sel.product_ids)),
        ("variant_ids", strs(&sel.variant_ids)),
        ("skus", strs(&sel.skus)),
        ("tags", strs(&sel.tags)),
        ("product_types", strs(&sel.product_types)),
        ("collections", strs(&sel.collections)),
    ])
}

fn limit(l: Limit) -> Json<'static> {
    match l {
        Limit::Once => s("once"),
        Limit::Yearly => s("yearly"),
        Limit::Unlimited => s("unlimited"),
        Limit::EveryDays(n) => obj(vec![("every_days", int(n))]),
    }
}

pub fn model(program: &Program, shopper: &Shopper, now: Millis) -> Result<Json<'static>> {
    let e = &program.earning;
    let (mult, _) = preview::multiplier(program, shopper, now)?;
    let action_status = actions::status(program, shopper, now);
    let acts = program
        .actions
        .iter()
        .zip(match &action_status {
            Json::Array(a) => a.clone(),
            _ => Vec::new(),
        })
        .map(|(a, st)| {
            obj(vec![
                ("id", s(&*a.id)),
                ("kind", s(a.kind.name())),
                ("points", int(a.points)),
                ("limit", limit(a.limit)),
                ("name", opt_text(&a.name)),
                ("url", opt(a.url.as_ref(), |u| s(&**u))),
                ("eligible", st.get("eligible").cloned().unwrap_or(Json::Null)),
                ("next_eligible", st.get("next_eligible").cloned().unwrap_or(Json::Null)),
            ])
        })
        .collect();
    let redeem = program
        .redemptions
        .iter()
        .map(|r| {
            let (kind, extra) = match &r.kind {
                RedemptionKind::AmountOff { value } => ("amount_off", vec![("value", int(*value))]),
                RedemptionKind::PercentOff { percent } => ("percent_off", vec![("percent", s(percent.to_text()))]),
                RedemptionKind::FreeShipping => ("free_shipping", vec![]),
                RedemptionKind::FreeProduct { product_id, value } => {
                    ("free_product", vec![("product_id", s(&**product_id)), ("value", int(*value))])
                }
            };
            let mut f = vec![
                ("id", s(&*r.id)),
                ("kind", s(kind)),
                ("name", text(&r.name)),
                ("points", int(r.points)),
                ("min_points", int(r.min_points)),
                ("max_points", int(r.max_points)),
                ("increment", int(r.increment)),
                ("min_cart", int(r.min_cart)),
                ("max_discount", opt(r.max_discount, int)),
                ("members_only", Json::Bool(r.members_only)),
            ];
            f.extend(extra);
            obj(f)
        })
        .collect();
    let tier_progress = tiers::progress(program, shopper, None, now)?;
    let tiers_json = opt(program.tiers.as_ref(), |t| {
        obj(vec![
            ("metric", s(t.metric.name())),
            (
                "period",
                s(match t.period {
                    Period::Lifetime => "lifetime",
                    Period::CalendarYear => "calendar_year",
                    Period::Rolling12Months => "rolling_12_months",
                }),
            ),
            (
                "retention",
                s(match t.retention {
                    Retention::Requalify => "requalify",
                    Retention::Drop => "drop",
                }),
            ),
            (
                "levels",
                Json::Array(
                    t.levels
                        .iter()
                        .map(|l| {
                            obj(vec![
                                ("id", s(&*l.id)),
                                ("name", text(&l.name)),
                                ("threshold", int(l.threshold)),
                                ("multiplier", s(l.multiplier.to_text())),
                                ("perks", texts(&l.perks)),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("progress", opt(tier_progress.as_ref(), |p| p.to_json(program))),
        ])
    });
    let member_id = shopper.membership_active();
    let membership = opt(program.membership.as_ref(), |m| {
        obj(vec![
            ("id", s(&*m.id)),
            ("name", text(&m.name)),
            ("fee", int(m.fee)),
            (
                "billing",
                s(match m.billing {
                    Billing::Monthly => "monthly",
                    Billing::Yearly => "yearly",
                }),
            ),
            ("trial_days", int(m.trial_days)),
            ("multiplier", s(m.multiplier.to_text())),
            ("perks", texts(&m.perks)),
            ("exclusive_rewards", strs(&program.redemptions.iter().filter(|r| r.members_only).map(|r| r.id.clone()).collect::<Vec<_>>())),
            ("active", Json::Bool(member_id == Some(m.id.as_str()))),
        ])
    });
    let punch_progress = punch::progress(program, shopper, None, now)?;
    let punch_json = opt(program.punch_card.as_ref(), |c| {
        obj(vec![
            ("name", text(&c.name)),
            ("stamps_required", int(c.stamps_required)),
            (
                "per",
                s(match c.per {
                    StampPer::Order => "order",
                    StampPer::Item => "item",
                }),
            ),
            ("max_stamps_per_order", opt(c.max_stamps_per_order, int)),
            ("minimum_line_amount", int(c.minimum_line_amount)),
            ("eligible", selector(&c.eligible)),
            (
                "reward",
                obj(vec![
                    ("description", text(&c.reward.description)),
                    ("value", int(c.reward.value)),
                    ("product_id", opt(c.reward.product_id.as_ref(), |p| s(&**p))),
                ]),
            ),
            ("carry_over", Json::Bool(c.carry_over)),
            ("expiry_days", opt(c.expiry_days, int)),
            ("progress", opt(punch_progress.as_ref(), |p| p.to_json(program))),
        ])
    });
    Ok(obj(vec![
        ("store", store(program)),
        (
            "shopper",
            obj(vec![
                ("member", Json::Bool(shopper.member)),
                ("balance", int(shopper.balance.max(0))),
                ("pending", int(shopper.pending)),
                ("tier", opt(tiers::current(program, shopper, now), |t| s(&*t.id))),
                ("membership", opt(member_id, s)),
                ("multiplier", s(mult.to_text())),
                (
                    "points_expire_at",
                    opt(shopper.last_activity.and_then(|t| crate::lifecycle::expires_at(program, t)), |t| {
                        s(crate::time::format_instant(t))
                    }),
                ),
            ]),
        ),
        (
            "earn",
            obj(vec![
                ("points_per_step", int(e.points_per_step)),
                ("step", int(e.step)),
                ("rounding", s(e.rounding.name())),
                ("minimum_order", int(e.minimum_order)),
                ("max_points_per_order", opt(e.max_points_per_order, int)),
                ("exclude", selector(&e.exclude)),
            ]),
        ),
        ("actions", Json::Array(acts)),
        ("cashback", opt(program.cashback.as_ref(), |c| obj(vec![("percent", s(c.percent.to_text()))]))),
        ("redeem", Json::Array(redeem)),
        ("tiers", tiers_json),
        ("membership", membership),
        ("punch_card", punch_json),
        ("referral", crate::referral::model(program)),
        ("birthday", crate::birthday::model(program)),
        (
            "lifecycle",
            obj(vec![
                ("pending_days", int(program.lifecycle.pending_days)),
                ("expiry_months_inactive", opt(program.lifecycle.expiry_months_inactive, int)),
            ]),
        ),
    ]))
}

pub(crate) fn store(p: &Program) -> Json<'static> {
    obj(vec![
        ("name", s(&*p.store.name)),
        ("currency", s(p.currency().code())),
        ("exponent", int(p.currency().exponent)),
        ("default_locale", s(&*p.store.default_locale)),
        ("locales", strs(&p.store.locales)),
    ])
}
