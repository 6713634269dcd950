//! JSON → [`Program`], collecting every issue with its path.

use super::*;
use crate::decode::{Decoder, Obj, Path};
use crate::error::Result;

const MAX_ID: usize = 64;
const MAX_TEXT: usize = 2000;

pub fn program(json: &Json) -> Result<Program> {
    let mut d = Decoder::default();
    let p = decode_program(&mut d, json);
    d.finish(p)
}

fn decode_program(d: &mut Decoder, v: &Json) -> Option<Program> {
    let mut o = d.object(v, Path::Root)?;
    // Editors point at the JSON Schema with "$schema"; the engine ignores it.
    let _ = o.raw("$schema");
    let version = o.req(d, "version", |d, v, p| {
        let n = d.int(v, p, 0, i64::MAX)?;
        if n != VERSION {
            return d.fail(p, format!("unsupported version {n}; this engine reads version {VERSION}"));
        }
        Some(n)
    });
    let store = o.req(d, "store", store);
    d.default_locale = store.as_ref().map(|s| s.default_locale.clone());
    let earning = o.req(d, "earning", earning);
    let multipliers = o.or(d, "multipliers", MultiplierRule::default(), |d, v, p| {
        let mut o = d.object(v, *p)?;
        let combine = o.or(d, "combine", Combine::Add, |d, v, p| {
            d.one_of(v, p, &[("add", Combine::Add), ("multiply", Combine::Multiply), ("highest", Combine::Highest)])
        });
        o.done(d);
        Some(MultiplierRule { combine: combine? })
    });
    let actions = o.or(d, "actions", Vec::new(), |d, v, p| d.array(v, p, action));
    let cashback = o.opt(d, "cashback", cashback);
    let tiers = o.opt(d, "tiers", tiers);
    let membership = o.opt(d, "membership", membership);
    let punch_card = o.opt(d, "punch_card", punch_card);
    let redemptions = o.or(d, "redemptions", Vec::new(), |d, v, p| d.array(v, p, redemption));
    let lifecycle = o.or(d, "lifecycle", Lifecycle::default(), lifecycle);
    let popup = o.opt(d, "popup", popup);
    let texts = o.or(d, "texts", Vec::new(), texts);
    o.done(d);

    if let Some(actions) = &actions {
        unique_ids(d, &Path::Root.key("actions"), actions.iter().map(|a| a.id.as_str()));
    }
    if let Some(r) = &redemptions {
        unique_ids(d, &Path::Root.key("redemptions"), r.iter().map(|r| r.id.as_str()));
        if let Some(None) = &membership {
            for (i, r) in r.iter().enumerate() {
                if r.members_only {
                    d.fail::<()>(&Path::Root.key("redemptions").index(i).key("members_only"), "needs a \"membership\" section");
                }
            }
        }
    }
    if let (Some(store), Some(texts)) = (&store, &texts) {
        for (loc, _) in texts {
            if !store.locales.contains(loc) {
                d.fail::<()>(&Path::Root.key("texts").key(loc), format!("locale \"{loc}\" is not in store.locales"));
            }
        }
    }

    Some(Program {
        version: version?,
        store: store?,
        earning: earning?,
        multipliers: multipliers?,
        actions: actions?,
        cashback: cashback?,
        tiers: tiers?,
        membership: membership?,
        punch_card: punch_card?,
        redemptions: redemptions?,
        lifecycle: lifecycle?,
        popup: popup?,
        texts: texts?,
    })
}

fn unique_ids<'a>(d: &mut Decoder, path: &Path, ids: impl Iterator<Item = &'a str>) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, id) in ids.enumerate() {
        if seen.contains(&id) {
            d.fail::<()>(&path.index(i).key("id"), format!("duplicate id \"{id}\""));
        }
        seen.push(id);
    }
}

pub fn id(d: &mut Decoder, v: &Json, p: &Path) -> Option<String> {
    let s = d.text(v, p, MAX_ID)?;
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return d.fail(p, "may contain only letters, digits, '-' and '_'");
    }
    Some(s)
}

fn locale(d: &mut Decoder, v: &Json, p: &Path) -> Option<String> {
    let s = d.string(v, p)?;
    let ok = (2..=3).contains(&s.split('-').next().map_or(0, str::len))
        && s.len() <= 12
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok {
        return d.fail(p, format!("\"{s}\" is not a language tag such as \"vi\" or \"en-US\""));
    }
    Some(s)
}

pub fn text(d: &mut Decoder, v: &Json, p: &Path) -> Option<Text> {
    match v {
        Json::String(_) => Some(Text(vec![("*".into(), d.text(v, p, MAX_TEXT)?)])),
        Json::Object(fields) => {
            if fields.is_empty() {
                return d.fail(p, "needs at least one locale");
            }
            let mut out = Vec::new();
            let mut ok = true;
            for (k, x) in fields {
                let path = p.key(k);
                let l = locale(d, &Json::String(k.clone()), &path);
                match (l, d.text(x, &path, MAX_TEXT)) {
                    (Some(l), Some(t)) => out.push((l, t)),
                    _ => ok = false,
                }
            }
            if let Some(default) = d.default_locale.clone().filter(|l| ok && !out.iter().any(|(k, _)| k == l)) {
                return d.fail(p, format!("must include the default locale \"{default}\""));
            }
            ok.then_some(Text(out))
        }
        other => d.fail(p, format!("expected a string or an object of locale → string, found {}", other.kind())),
    }
}

fn amount(d: &mut Decoder, v: &Json, p: &Path) -> Option<i64> {
    d.int(v, p, 0, MAX_AMOUNT)
}

fn positive(d: &mut Decoder, v: &Json, p: &Path) -> Option<i64> {
    d.int(v, p, 1, MAX_AMOUNT)
}

fn rounding(d: &mut Decoder, v: &Json, p: &Path) -> Option<Rounding> {
    d.one_of(v, p, &[("floor", Rounding::Floor), ("half_up", Rounding::HalfUp), ("ceil", Rounding::Ceil)])
}

/// A multiplier: an exact decimal from 0 to 100.
fn multiplier(d: &mut Decoder, v: &Json, p: &Path) -> Option<Decimal> {
    let m = d.decimal(v, p)?;
    if m.is_negative() || m.cmp_value(Decimal { mantissa: 100, scale: 0 }).is_gt() {
        return d.fail(p, format!("must be between 0 and 100, found {}", m.to_text()));
    }
    Some(m)
}

fn percent(d: &mut Decoder, v: &Json, p: &Path) -> Option<Decimal> {
    let m = d.decimal(v, p)?;
    if m.is_negative() || m.cmp_value(Decimal { mantissa: 100, scale: 0 }).is_gt() || m.mantissa == 0 {
        return d.fail(p, format!("must be greater than 0 and at most 100, found {}", m.to_text()));
    }
    Some(m)
}

fn strings(d: &mut Decoder, v: &Json, p: &Path) -> Option<Vec<String>> {
    d.array(v, p, |d, v, p| d.text(v, p, 255))
}

fn store(d: &mut Decoder, v: &Json, p: &Path) -> Option<Store> {
    let mut o = d.object(v, *p)?;
    let name = o.req(d, "name", |d, v, p| d.text(v, p, 200));
    let currency = o.req(d, "currency", Decoder::currency);
    let default_locale = o.req(d, "default_locale", locale);
    let locales = o.opt(d, "locales", |d, v, p| d.array(v, p, locale));
    let time_zone = o.or(d, "time_zone", "UTC".to_string(), |d, v, p| d.text(v, p, 64));
    o.done(d);
    let default_locale = default_locale?;
    let locales = locales?.unwrap_or_else(|| vec![default_locale.clone()]);
    if !locales.contains(&default_locale) {
        d.fail::<()>(&p.key("locales"), format!("must include the default locale \"{default_locale}\""));
    }
    Some(Store { name: name?, currency: currency?, default_locale, locales, time_zone: time_zone? })
}

pub fn selector(d: &mut Decoder, v: &Json, p: &Path) -> Option<Selector> {
    let mut o = d.object(v, *p)?;
    let mut f = |o: &mut Obj, key: &'static str| o.or(d, key, Vec::new(), strings);
    let product_ids = f(&mut o, "product_ids");
    let variant_ids = f(&mut o, "variant_ids");
    let skus = f(&mut o, "skus");
    let tags = f(&mut o, "tags");
    let product_types = f(&mut o, "product_types");
    let collections = f(&mut o, "collections");
    o.done(d);
    Some(Selector {
        product_ids: product_ids?,
        variant_ids: variant_ids?,
        skus: skus?,
        tags: tags?,
        product_types: product_types?,
        collections: collections?,
    })
}

fn earning(d: &mut Decoder, v: &Json, p: &Path) -> Option<Earning> {
    let mut o = d.object(v, *p)?;
    let points_per_step = o.req(d, "points_per_step", |d, v, p| d.int(v, p, 0, 1_000_000));
    let step = o.req(d, "step", |d, v, p| d.int(v, p, 1, MAX_AMOUNT));
    let rounding = o.or(d, "rounding", Rounding::Floor, rounding);
    let minimum_order = o.or(d, "minimum_order", 0, amount);
    let max_points_per_order = o.opt(d, "max_points_per_order", positive);
    let exclude = o.or(d, "exclude", Selector::default(), selector);
    o.done(d);
    Some(Earning {
        points_per_step: points_per_step?,
        step: step?,
        rounding: rounding?,
        minimum_order: minimum_order?,
        max_points_per_order: max_points_per_order?,
        exclude: exclude?,
    })
}

fn limit(d: &mut Decoder, v: &Json, p: &Path) -> Option<Limit> {
    if let Json::Object(_) = v {
        let mut o = d.object(v, *p)?;
        let days = o.req(d, "every_days", |d, v, p| d.int(v, p, 1, 36_500));
        o.done(d);
        return Some(Limit::EveryDays(days?));
    }
    d.one_of(v, p, &[("once", Limit::Once), ("yearly", Limit::Yearly), ("unlimited", Limit::Unlimited)])
}

fn action(d: &mut Decoder, v: &Json, p: &Path) -> Option<Action> {
    let mut o = d.object(v, *p)?;
    let kind = o.req(d, "kind", |d, v, p| d.one_of(v, p, ActionKind::ALL));
    let id = o.opt(d, "id", id);
    let points = o.req(d, "points", positive);
    let default_limit = kind.map_or(Limit::Once, ActionKind::default_limit);
    let limit = o.or(d, "limit", default_limit, limit);
    let name = o.opt(d, "name", text);
    let url = o.opt(d, "url", |d, v, p| {
        let u = d.text(v, p, 2000)?;
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            return d.fail(p, "must be an http(s) URL");
        }
        Some(u)
    });
    o.done(d);
    let kind = kind?;
    if kind.once_only() && !matches!(limit, Some(Limit::Once) | None) {
        d.fail::<()>(&p.key("limit"), format!("a {} bonus can only be \"once\"", kind.name()));
    }
    Some(Action { id: id?.unwrap_or_else(|| kind.name().to_string()), kind, points: points?, limit: limit?, name: name?, url: url? })
}

fn cashback(d: &mut Decoder, v: &Json, p: &Path) -> Option<Cashback> {
    let mut o = d.object(v, *p)?;
    let percent = o.req(d, "percent", percent);
    let rounding = o.or(d, "rounding", Rounding::Floor, rounding);
    o.done(d);
    Some(Cashback { percent: percent?, rounding: rounding? })
}

fn tiers(d: &mut Decoder, v: &Json, p: &Path) -> Option<Tiers> {
    let mut o = d.object(v, *p)?;
    let metric =
        o.req(d, "metric", |d, v, p| d.one_of(v, p, &[("spend", Metric::Spend), ("points", Metric::Points), ("orders", Metric::Orders)]));
    let period = o.or(d, "period", Period::Lifetime, |d, v, p| {
        d.one_of(
            v,
            p,
            &[("lifetime", Period::Lifetime), ("calendar_year", Period::CalendarYear), ("rolling_12_months", Period::Rolling12Months)],
        )
    });
    let retention = o.or(d, "retention", Retention::Requalify, |d, v, p| {
        d.one_of(v, p, &[("requalify", Retention::Requalify), ("drop", Retention::Drop)])
    });
    let levels = o.req(d, "levels", |d, v, p| d.array(v, p, tier));
    o.done(d);
    let levels = levels?;
    let lp = p.key("levels");
    if levels.is_empty() {
        d.fail::<()>(&lp, "needs at least one tier");
    }
    for (i, pair) in levels.windows(2).enumerate() {
        if pair[1].threshold <= pair[0].threshold {
            d.fail::<()>(
                &lp.index(i + 1).key("threshold"),
                format!("must be greater than the previous tier's threshold ({})", pair[0].threshold),
            );
        }
    }
    unique_ids(d, &lp, levels.iter().map(|t| t.id.as_str()));
    Some(Tiers { metric: metric?, period: period?, retention: retention?, levels })
}

fn tier(d: &mut Decoder, v: &Json, p: &Path) -> Option<Tier> {
    let mut o = d.object(v, *p)?;
    let id = o.req(d, "id", id);
    let name = o.req(d, "name", text);
    let threshold = o.req(d, "threshold", amount);
    let multiplier = o.or(d, "multiplier", Decimal::ONE, multiplier);
    let perks = o.or(d, "perks", Vec::new(), |d, v, p| d.array(v, p, text));
    o.done(d);
    Some(Tier { id: id?, name: name?, threshold: threshold?, multiplier: multiplier?, perks: perks? })
}

fn membership(d: &mut Decoder, v: &Json, p: &Path) -> Option<Membership> {
    let mut o = d.object(v, *p)?;
    let id = o.req(d, "id", id);
    let name = o.req(d, "name", text);
    let fee = o.req(d, "fee", amount);
    let billing = o.req(d, "billing", |d, v, p| d.one_of(v, p, &[("monthly", Billing::Monthly), ("yearly", Billing::Yearly)]));
    let trial_days = o.or(d, "trial_days", 0, |d, v, p| d.int(v, p, 0, 366));
    let multiplier = o.or(d, "multiplier", Decimal::ONE, multiplier);
    let perks = o.or(d, "perks", Vec::new(), |d, v, p| d.array(v, p, text));
    o.done(d);
    Some(Membership { id: id?, name: name?, fee: fee?, billing: billing?, trial_days: trial_days?, multiplier: multiplier?, perks: perks? })
}

fn punch_card(d: &mut Decoder, v: &Json, p: &Path) -> Option<PunchCard> {
    let mut o = d.object(v, *p)?;
    let name = o.req(d, "name", text);
    let stamps_required = o.req(d, "stamps_required", |d, v, p| d.int(v, p, 1, 1000));
    let eligible = o.or(d, "eligible", Selector::default(), selector);
    let per = o.or(d, "per", StampPer::Order, |d, v, p| d.one_of(v, p, &[("order", StampPer::Order), ("item", StampPer::Item)]));
    let max_stamps_per_order = o.opt(d, "max_stamps_per_order", |d, v, p| d.int(v, p, 1, 1000));
    let minimum_line_amount = o.or(d, "minimum_line_amount", 0, amount);
    let reward = o.req(d, "reward", |d, v, p| {
        let mut o = d.object(v, *p)?;
        let description = o.req(d, "description", text);
        let value = o.req(d, "value", amount);
        let product_id = o.opt(d, "product_id", |d, v, p| d.text(v, p, 255));
        o.done(d);
        Some(PunchReward { description: description?, value: value?, product_id: product_id? })
    });
    let carry_over = o.or(d, "carry_over", true, Decoder::bool);
    let expiry_days = o.opt(d, "expiry_days", |d, v, p| d.int(v, p, 1, 36_500));
    o.done(d);
    Some(PunchCard {
        name: name?,
        stamps_required: stamps_required?,
        eligible: eligible?,
        per: per?,
        max_stamps_per_order: max_stamps_per_order?,
        minimum_line_amount: minimum_line_amount?,
        reward: reward?,
        carry_over: carry_over?,
        expiry_days: expiry_days?,
    })
}

fn redemption(d: &mut Decoder, v: &Json, p: &Path) -> Option<Redemption> {
    #[derive(Clone, Copy)]
    enum K {
        Amount,
        Percent,
        Shipping,
        Product,
    }
    let mut o = d.object(v, *p)?;
    let id = o.req(d, "id", id);
    let name = o.req(d, "name", text);
    let k = o.req(d, "kind", |d, v, p| {
        d.one_of(
            v,
            p,
            &[("amount_off", K::Amount), ("percent_off", K::Percent), ("free_shipping", K::Shipping), ("free_product", K::Product)],
        )
    });
    let points = o.req(d, "points", positive);
    let kind = match k {
        Some(K::Amount) => o.req(d, "value", positive).map(|value| RedemptionKind::AmountOff { value }),
        Some(K::Percent) => o.req(d, "percent", percent).map(|percent| RedemptionKind::PercentOff { percent }),
        Some(K::Shipping) => Some(RedemptionKind::FreeShipping),
        Some(K::Product) => {
            let product_id = o.req(d, "product_id", |d, v, p| d.text(v, p, 255));
            let value = o.req(d, "value", amount);
            Some(RedemptionKind::FreeProduct { product_id: product_id?, value: value? })
        }
        None => None,
    };
    let ranged = matches!(k, Some(K::Amount));
    let (min_points, max_points, increment) = if ranged {
        (o.opt(d, "min_points", positive), o.opt(d, "max_points", positive), o.opt(d, "increment", positive))
    } else {
        (Some(None), Some(None), Some(None))
    };
    let min_cart = o.or(d, "min_cart", 0, amount);
    let max_discount = o.opt(d, "max_discount", positive);
    let members_only = o.or(d, "members_only", false, Decoder::bool);
    o.done(d);

    let points = points?;
    let min_points = min_points?.unwrap_or(points);
    let max_points = max_points?.unwrap_or(min_points.max(points));
    let increment = increment?.unwrap_or(points);
    if ranged {
        if min_points < points {
            d.fail::<()>(&p.key("min_points"), format!("must be at least \"points\" ({points})"));
        }
        if max_points < min_points {
            d.fail::<()>(&p.key("max_points"), format!("must be at least min_points ({min_points})"));
        }
        if increment % points != 0 {
            d.fail::<()>(&p.key("increment"), format!("must be a multiple of \"points\" ({points}) so every step buys whole value"));
        }
        if min_points % increment != 0 || max_points % increment != 0 {
            d.fail::<()>(&p.key("increment"), format!("min_points and max_points must be multiples of the increment ({increment})"));
        }
    }
    Some(Redemption {
        id: id?,
        name: name?,
        kind: kind?,
        points,
        min_points,
        max_points,
        increment,
        min_cart: min_cart?,
        max_discount: max_discount?,
        members_only: members_only?,
    })
}

fn lifecycle(d: &mut Decoder, v: &Json, p: &Path) -> Option<Lifecycle> {
    let mut o = d.object(v, *p)?;
    let pending_days = o.or(d, "pending_days", 0, |d, v, p| d.int(v, p, 0, 365));
    let expiry = o.opt(d, "expiry_months_inactive", |d, v, p| d.int(v, p, 1, 120));
    o.done(d);
    Some(Lifecycle { pending_days: pending_days?, expiry_months_inactive: expiry? })
}

fn texts(d: &mut Decoder, v: &Json, p: &Path) -> Option<Vec<(String, Overrides)>> {
    let Json::Object(locales) = v else {
        return d.fail(p, format!("expected an object of locale → strings, found {}", v.kind()));
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (loc, strings) in locales {
        let lp = p.key(loc);
        let l = locale(d, &Json::String(loc.clone()), &lp);
        let Json::Object(pairs) = strings else {
            ok = d.fail::<()>(&lp, "expected an object of key → text").is_some();
            continue;
        };
        let mut m = Vec::new();
        for (k, t) in pairs {
            if let Some(t) = d.text(t, &lp.key(k), MAX_TEXT) {
                m.push((k.to_string(), t));
            } else {
                ok = false;
            }
        }
        match l {
            Some(l) => out.push((l, m)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn popup(d: &mut Decoder, v: &Json, p: &Path) -> Option<Popup> {
    let mut o = d.object(v, *p)?;
    let enabled = o.or(d, "enabled", true, Decoder::bool);
    let triggers = o.req(d, "triggers", triggers);
    let cooldown_days = o.or(d, "cooldown_days", 7, |d, v, p| d.int(v, p, 0, 3650));
    let exclude_paths = o.or(d, "exclude_paths", Vec::new(), strings);
    let field = |d: &mut Decoder, v: &Json, p: &Path| {
        d.one_of(v, p, &[("hidden", FieldMode::Hidden), ("optional", FieldMode::Optional), ("required", FieldMode::Required)])
    };
    let name_field = o.or(d, "name_field", FieldMode::Optional, field);
    let birthday_field = o.or(d, "birthday_field", FieldMode::Hidden, field);
    let consents = o.or(d, "consents", Vec::new(), |d, v, p| d.array(v, p, consent));
    let offers = o.req(d, "offers", |d, v, p| {
        let Json::Object(fields) = v else {
            return d.fail(p, format!("expected an object of segment → offer, found {}", v.kind()));
        };
        let mut default = None;
        let mut list = Vec::new();
        let mut ok = true;
        for (k, x) in fields {
            let kp = p.key(k);
            if k == "default" {
                default = offer(d, x, &kp);
                ok &= default.is_some();
                continue;
            }
            let seg = d.one_of(&Json::String(k.clone()), &kp, Segment::ALL);
            match (seg, offer(d, x, &kp)) {
                (Some(s), Some(x)) => list.push((s, x)),
                _ => ok = false,
            }
        }
        if default.is_none() && ok {
            return d.fail(&p.key("default"), "is required (the offer for segments without their own)");
        }
        Some((default?, list)).filter(|_| ok)
    });
    let high_value_order = o.or(d, "high_value_order", 0, amount);
    let passive_browser_views = o.or(d, "passive_browser_views", 3, |d, v, p| d.int(v, p, 1, 1000));
    o.done(d);
    if let Some(c) = &consents {
        unique_ids(d, &p.key("consents"), c.iter().map(|c| c.id.as_str()));
    }
    let (default_offer, offers) = offers?;
    Some(Popup {
        enabled: enabled?,
        triggers: triggers?,
        cooldown_days: cooldown_days?,
        exclude_paths: exclude_paths?,
        name_field: name_field?,
        birthday_field: birthday_field?,
        consents: consents?,
        offers: Offers { default: default_offer, segments: offers },
        high_value_order: high_value_order?,
        passive_browser_views: passive_browser_views?,
    })
}

fn triggers(d: &mut Decoder, v: &Json, p: &Path) -> Option<Triggers> {
    let mut o = d.object(v, *p)?;
    let exit_intent = o.or(d, "exit_intent", true, Decoder::bool);
    let exit_sensitivity_px = o.or(d, "exit_sensitivity_px", 20, |d, v, p| d.int(v, p, 0, 200));
    let delay_seconds = o.opt(d, "delay_seconds", |d, v, p| d.int(v, p, 0, 3600));
    let scroll_percent = o.opt(d, "scroll_percent", |d, v, p| d.int(v, p, 1, 100));
    let mobile_scroll_up = o.or(d, "mobile_scroll_up", true, Decoder::bool);
    let mobile_back = o.or(d, "mobile_back", false, Decoder::bool);
    let tab_return = o.or(d, "tab_return", false, Decoder::bool);
    let idle_seconds = o.opt(d, "idle_seconds", |d, v, p| d.int(v, p, 5, 3600));
    o.done(d);
    Some(Triggers {
        exit_intent: exit_intent?,
        exit_sensitivity_px: exit_sensitivity_px?,
        delay_seconds: delay_seconds?,
        scroll_percent: scroll_percent?,
        mobile_scroll_up: mobile_scroll_up?,
        mobile_back: mobile_back?,
        tab_return: tab_return?,
        idle_seconds: idle_seconds?,
    })
}

fn consent(d: &mut Decoder, v: &Json, p: &Path) -> Option<Consent> {
    let mut o = d.object(v, *p)?;
    let id = o.req(d, "id", id);
    let version = o.or(d, "version", 1, |d, v, p| d.int(v, p, 1, 1_000_000));
    let text = o.req(d, "text", text);
    let required = o.or(d, "required", false, Decoder::bool);
    o.done(d);
    Some(Consent { id: id?, version: version?, text: text?, required: required? })
}

fn offer(d: &mut Decoder, v: &Json, p: &Path) -> Option<Offer> {
    let mut o = d.object(v, *p)?;
    let title = o.req(d, "title", text);
    let body = o.req(d, "body", text);
    let cta = o.req(d, "cta", text);
    o.done(d);
    Some(Offer { title: title?, body: body?, cta: cta? })
}
