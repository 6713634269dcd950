//! The hand positional reader (and its writer, used natively by `gen`):
//! a [`CProgram`] field by field in declaration order, in postcard's wire
//! format, so the bytes are the same ones `postcard` reads and writes
//! (gen checks that).

use crate::compiled::*;
use crate::wire::{R, W};
use alloc::string::String;
use alloc::vec::Vec;

fn strs(r: &mut R) -> Option<Vec<String>> {
    r.vec(R::str)
}
fn dec(r: &mut R) -> Option<CDec> {
    Some(CDec { m: r.i64()?, s: r.u32()? })
}
fn selector(r: &mut R) -> Option<CSelector> {
    Some(CSelector {
        product_ids: strs(r)?,
        variant_ids: strs(r)?,
        skus: strs(r)?,
        tags: strs(r)?,
        product_types: strs(r)?,
        collections: strs(r)?,
    })
}

pub fn read(bytes: &[u8]) -> Option<CProgram> {
    let r = &mut R::new(bytes);
    let p = CProgram {
        currency: r.str()?,
        locales: strs(r)?,
        earning: CEarning {
            points_per_step: r.i64()?,
            step: r.i64()?,
            rounding: r.u8()?,
            minimum_order: r.i64()?,
            max_points_per_order: r.opt(R::i64)?,
            exclude: selector(r)?,
        },
        combine: r.u8()?,
        actions: r.vec(|r| {
            Some(CAction {
                id: r.str()?,
                kind: r.u8()?,
                points: r.i64()?,
                limit: r.u8()?,
                every_days: r.i64()?,
                name: strs(r)?,
                url: r.opt(R::str)?,
            })
        })?,
        cashback: r.opt(|r| Some(CCashback { percent: dec(r)?, rounding: r.u8()? }))?,
        tiers: r.opt(|r| {
            Some(CTiers {
                metric: r.u8()?,
                period: r.u8()?,
                retention: r.u8()?,
                levels: r.vec(|r| {
                    Some(CTier { id: r.str()?, name: strs(r)?, threshold: r.i64()?, multiplier: dec(r)?, perks: r.vec(strs)? })
                })?,
            })
        })?,
        membership: r.opt(|r| {
            Some(CMembership {
                id: r.str()?,
                name: strs(r)?,
                fee: r.i64()?,
                billing: r.u8()?,
                trial_days: r.i64()?,
                multiplier: dec(r)?,
                perks: r.vec(strs)?,
            })
        })?,
        punch_card: r.opt(|r| {
            Some(CPunch {
                name: strs(r)?,
                stamps_required: r.i64()?,
                eligible: selector(r)?,
                per: r.u8()?,
                max_stamps_per_order: r.opt(R::i64)?,
                minimum_line_amount: r.i64()?,
                reward_description: strs(r)?,
                reward_value: r.i64()?,
                reward_product_id: r.opt(R::str)?,
                carry_over: r.bool()?,
                expiry_days: r.opt(R::i64)?,
            })
        })?,
        redemptions: r.vec(|r| {
            Some(CRedemption {
                id: r.str()?,
                name: strs(r)?,
                kind: r.u8()?,
                value: r.i64()?,
                percent: dec(r)?,
                product_id: r.opt(R::str)?,
                points: r.i64()?,
                min_points: r.i64()?,
                max_points: r.i64()?,
                increment: r.i64()?,
                min_cart: r.i64()?,
                max_discount: r.opt(R::i64)?,
                members_only: r.bool()?,
            })
        })?,
        pending_days: r.i64()?,
        expiry_months_inactive: r.opt(R::i64)?,
    };
    r.done().then_some(p)
}

fn w_strs(w: &mut W, v: &[String]) {
    w.uvar(v.len() as u64);
    for s in v {
        w.str(s);
    }
}
fn w_dec(w: &mut W, d: &CDec) {
    w.i64(d.m);
    w.uvar(d.s as u64);
}
fn w_selector(w: &mut W, s: &CSelector) {
    for v in [&s.product_ids, &s.variant_ids, &s.skus, &s.tags, &s.product_types, &s.collections] {
        w_strs(w, v);
    }
}
fn w_perks(w: &mut W, v: &[Vec<String>]) {
    w.uvar(v.len() as u64);
    for t in v {
        w_strs(w, t);
    }
}

pub fn write(p: &CProgram) -> Vec<u8> {
    let w = &mut W::default();
    w.str(&p.currency);
    w_strs(w, &p.locales);
    let e = &p.earning;
    w.i64(e.points_per_step);
    w.i64(e.step);
    w.u8(e.rounding);
    w.i64(e.minimum_order);
    w.opt(e.max_points_per_order, W::i64);
    w_selector(w, &e.exclude);
    w.u8(p.combine);
    w.uvar(p.actions.len() as u64);
    for a in &p.actions {
        w.str(&a.id);
        w.u8(a.kind);
        w.i64(a.points);
        w.u8(a.limit);
        w.i64(a.every_days);
        w_strs(w, &a.name);
        w.opt(a.url.as_deref(), W::str);
    }
    w.opt(p.cashback.as_ref(), |w, c| {
        w_dec(w, &c.percent);
        w.u8(c.rounding)
    });
    w.opt(p.tiers.as_ref(), |w, t| {
        w.u8(t.metric);
        w.u8(t.period);
        w.u8(t.retention);
        w.uvar(t.levels.len() as u64);
        for l in &t.levels {
            w.str(&l.id);
            w_strs(w, &l.name);
            w.i64(l.threshold);
            w_dec(w, &l.multiplier);
            w_perks(w, &l.perks);
        }
    });
    w.opt(p.membership.as_ref(), |w, m| {
        w.str(&m.id);
        w_strs(w, &m.name);
        w.i64(m.fee);
        w.u8(m.billing);
        w.i64(m.trial_days);
        w_dec(w, &m.multiplier);
        w_perks(w, &m.perks);
    });
    w.opt(p.punch_card.as_ref(), |w, c| {
        w_strs(w, &c.name);
        w.i64(c.stamps_required);
        w_selector(w, &c.eligible);
        w.u8(c.per);
        w.opt(c.max_stamps_per_order, W::i64);
        w.i64(c.minimum_line_amount);
        w_strs(w, &c.reward_description);
        w.i64(c.reward_value);
        w.opt(c.reward_product_id.as_deref(), W::str);
        w.bool(c.carry_over);
        w.opt(c.expiry_days, W::i64);
    });
    w.uvar(p.redemptions.len() as u64);
    for r in &p.redemptions {
        w.str(&r.id);
        w_strs(w, &r.name);
        w.u8(r.kind);
        w.i64(r.value);
        w_dec(w, &r.percent);
        w.opt(r.product_id.as_deref(), W::str);
        for v in [r.points, r.min_points, r.max_points, r.increment, r.min_cart] {
            w.i64(v);
        }
        w.opt(r.max_discount, W::i64);
        w.bool(r.members_only);
    }
    w.i64(p.pending_days);
    w.opt(p.expiry_months_inactive, W::i64);
    core::mem::take(&mut w.b)
}
