//! The published program: a validated [`Program`] in a compact binary form,
//! written by the server and read by the browser instead of the merchant's
//! JSON (the reader is about 7 KB of wasm code, 2.3 KB gzip, before
//! wasm-opt; the JSON decoder and its checks stay on the server).
//!
//! # Format (version 1)
//! ```text
//! "R" "W" 0x01                       magic and format version
//! version store earning multipliers  every field of Program, in struct
//! actions cashback tiers membership  order, each as below
//! punch_card redemptions lifecycle
//! len (popup texts referral          the display-only part (explainer,
//!      birthday)                     popup), one length-prefixed section
//! ```
//! Values use postcard's conventions ([`crate::wire`]): integers are
//! zigzag varints, `bool` one byte, `Option` a 0/1 tag then the value,
//! strings and lists a varint length then their bytes or items. A struct
//! is its fields in declaration order (the `fields!` lines below are the
//! layout). A fieldless enum is one byte, its index in the table next to
//! its impl (`ActionKind::ALL` and `Segment::ALL` for those two); an enum
//! with data is its table index, then that variant's fields. A [`Decimal`]
//! is its mantissa then its scale (0..=[`MAX_SCALE`], one byte); a
//! [`Currency`] its ISO code; a [`Text`] its (locale, text) pairs.
//!
//! The trailing section lets a reader that needs only the cart computations
//! skip `popup` and `texts` by their length. Nothing may follow it.
//!
//! The reader trusts the server's validation (it does not check ranges or
//! the rules between fields again) but refuses every byte sequence that is
//! not a program: an unknown code, a bad bool or tag, invalid UTF-8, a
//! length beyond the document, an unknown currency, a scale above
//! `MAX_SCALE`, a varint beyond 64 bits, a short or long section, trailing
//! bytes. The error names the offset of the first value it could not read
//! (the end, when the bytes stop short).

use super::*;
use crate::decimal::MAX_SCALE;
use crate::error::Error;
use crate::wire::{R, W};
use core::mem::discriminant;

/// The byte after the magic "RW": the layout's version.
const FORMAT: u8 = 1;

impl Program {
    /// The published form of this (validated) program.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut w = W::default();
        w.b.extend_from_slice(&[b'R', b'W', FORMAT]);
        let p = self;
        p.version.put(&mut w);
        p.store.put(&mut w);
        p.earning.put(&mut w);
        p.multipliers.put(&mut w);
        p.actions.put(&mut w);
        p.cashback.put(&mut w);
        p.tiers.put(&mut w);
        p.membership.put(&mut w);
        p.punch_card.put(&mut w);
        p.redemptions.put(&mut w);
        p.lifecycle.put(&mut w);
        let mut display = W::default();
        p.popup.put(&mut display);
        p.texts.put(&mut display);
        p.referral.put(&mut display);
        p.birthday.put(&mut display);
        w.bytes(&display.b);
        w.b
    }

    /// Reads a program [`Program::to_wire`] wrote. Any other bytes are an
    /// error naming the offset of the first value that could not be read.
    pub fn from_wire(bytes: &[u8]) -> Result<Program> {
        Program::read_wire(bytes, true)
    }

    /// What the cart-page engine needs: [`Program::from_wire`] without the
    /// display-only section (`popup` absent, no `texts`), passed over by its
    /// length, so that module carries no reader for it.
    pub fn from_wire_cart_page(bytes: &[u8]) -> Result<Program> {
        Program::read_wire(bytes, false)
    }

    fn read_wire(bytes: &[u8], display: bool) -> Result<Program> {
        let r = &mut R::new(bytes);
        r.tag(b'R');
        r.tag(b'W');
        r.tag(FORMAT);
        let mut p = Program {
            version: get(r),
            store: get(r),
            earning: get(r),
            multipliers: get(r),
            actions: get(r),
            cashback: get(r),
            tiers: get(r),
            membership: get(r),
            punch_card: get(r),
            redemptions: get(r),
            lifecycle: get(r),
            popup: None,
            texts: Vec::new(),
            referral: None,
            birthday: Birthday::default(),
        };
        let n = r.len();
        let end = r.pos() + n;
        if display {
            p.popup = get(r);
            p.texts = get(r);
            p.referral = get(r);
            p.birthday = get(r);
        } else {
            r.skip(n);
        }
        if r.pos() != end || !r.done() {
            r.fail(r.pos());
        }
        match r.error() {
            None => Ok(p),
            Some(at) => Err(Error::at(
                "program",
                crate::json::cat(&[
                    "the published program is corrupt (byte ",
                    &crate::json::int_text(at as i64),
                    "); publish it again with `rewards-server publish`",
                ]),
            )),
        }
    }
}

/// A value's bytes: `put` writes them, `get` reads them back (a default
/// when they are corrupt: the reader records that, see [`R`]). Both of a
/// type are next to each other below.
trait Wire: Sized {
    fn put(&self, w: &mut W);
    fn get(r: &mut R) -> Self;
}

fn get<T: Wire>(r: &mut R) -> T {
    T::get(r)
}

// Scalars, strings, options, lists, pairs.

impl Wire for i64 {
    fn put(&self, w: &mut W) {
        w.i64(*self)
    }
    fn get(r: &mut R) -> i64 {
        r.i64()
    }
}

impl Wire for bool {
    fn put(&self, w: &mut W) {
        w.bool(*self)
    }
    fn get(r: &mut R) -> bool {
        r.bool()
    }
}

impl Wire for String {
    fn put(&self, w: &mut W) {
        w.str(self)
    }
    fn get(r: &mut R) -> String {
        r.str()
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, w: &mut W) {
        w.opt(self.as_ref(), |w, v| v.put(w))
    }
    fn get(r: &mut R) -> Option<T> {
        r.opt(T::get)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, w: &mut W) {
        w.vec(self, |w, v| v.put(w))
    }
    fn get(r: &mut R) -> Vec<T> {
        r.vec(T::get)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, w: &mut W) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut R) -> (A, B) {
        (get(r), get(r))
    }
}

// Enums: one byte, the index in a table. A value missing from its table
// would be written as 0xFF, which every reader refuses. (Indexing is safe:
// `code` is below the table's length.)

fn put_code(w: &mut W, index: Option<usize>) {
    w.u8(index.map_or(u8::MAX, |i| i as u8));
}

/// Fieldless enums and their tables.
macro_rules! coded {
    ($($ty:ident: $table:ident = [$($v:ident),*];)*) => {$(
        const $table: &[$ty] = &[$($ty::$v),*];
        impl Wire for $ty {
            fn put(&self, w: &mut W) {
                put_code(w, $table.iter().position(|t| t == self))
            }
            fn get(r: &mut R) -> $ty {
                $table[r.code($table.len())]
            }
        }
    )*};
}

coded! {
    Rounding: ROUNDING = [Floor, HalfUp, Ceil];
    Combine: COMBINE = [Add, Multiply, Highest];
    Metric: METRIC = [Spend, Points, Orders];
    Period: PERIOD = [Lifetime, CalendarYear, Rolling12Months];
    Retention: RETENTION = [Requalify, Drop];
    Billing: BILLING = [Monthly, Yearly];
    StampPer: STAMP_PER = [Order, Item];
    FieldMode: FIELD_MODE = [Hidden, Optional, Required];
    FriendRewardOn: FRIEND_REWARD_ON = [Signup, FirstOrder];
}

impl Wire for ActionKind {
    fn put(&self, w: &mut W) {
        put_code(w, ActionKind::ALL.iter().position(|(_, k)| k == self))
    }
    fn get(r: &mut R) -> ActionKind {
        ActionKind::ALL[r.code(ActionKind::ALL.len())].1
    }
}

impl Wire for Segment {
    fn put(&self, w: &mut W) {
        put_code(w, Segment::ALL.iter().position(|(_, s)| s == self))
    }
    fn get(r: &mut R) -> Segment {
        Segment::ALL[r.code(Segment::ALL.len())].1
    }
}

/// Enums with data: the variant's index here, then its fields.
const LIMIT: &[Limit] = &[Limit::Once, Limit::Yearly, Limit::EveryDays(0), Limit::Unlimited];

impl Wire for Limit {
    fn put(&self, w: &mut W) {
        put_code(w, LIMIT.iter().position(|l| discriminant(l) == discriminant(self)));
        if let Limit::EveryDays(days) = self {
            days.put(w);
        }
    }
    fn get(r: &mut R) -> Limit {
        match LIMIT[r.code(LIMIT.len())] {
            Limit::EveryDays(_) => Limit::EveryDays(get(r)),
            other => other,
        }
    }
}

const REDEMPTION_KIND: &[RedemptionKind] = &[
    RedemptionKind::AmountOff { value: 0 },
    RedemptionKind::PercentOff { percent: Decimal::ZERO },
    RedemptionKind::FreeShipping,
    RedemptionKind::FreeProduct { product_id: String::new(), value: 0 },
];

impl Wire for RedemptionKind {
    fn put(&self, w: &mut W) {
        put_code(w, REDEMPTION_KIND.iter().position(|k| discriminant(k) == discriminant(self)));
        match self {
            RedemptionKind::AmountOff { value } => value.put(w),
            RedemptionKind::PercentOff { percent } => percent.put(w),
            RedemptionKind::FreeShipping => {}
            RedemptionKind::FreeProduct { product_id, value } => {
                product_id.put(w);
                value.put(w);
            }
        }
    }
    fn get(r: &mut R) -> RedemptionKind {
        match REDEMPTION_KIND[r.code(REDEMPTION_KIND.len())] {
            RedemptionKind::AmountOff { .. } => RedemptionKind::AmountOff { value: get(r) },
            RedemptionKind::PercentOff { .. } => RedemptionKind::PercentOff { percent: get(r) },
            RedemptionKind::FreeShipping => RedemptionKind::FreeShipping,
            RedemptionKind::FreeProduct { .. } => RedemptionKind::FreeProduct { product_id: get(r), value: get(r) },
        }
    }
}

// Values with their own form.

/// The mantissa, then the scale (0..=MAX_SCALE: one byte, as a varint).
impl Wire for Decimal {
    fn put(&self, w: &mut W) {
        self.mantissa.put(w);
        w.uvar(self.scale as u64);
    }
    fn get(r: &mut R) -> Decimal {
        Decimal { mantissa: get(r), scale: r.code(MAX_SCALE as usize + 1) as u32 }
    }
}

/// The ISO code; a code the engine does not know is refused.
impl Wire for Currency {
    fn put(&self, w: &mut W) {
        w.str(self.code())
    }
    fn get(r: &mut R) -> Currency {
        let at = r.pos();
        Currency::from_code(r.str_ref()).unwrap_or_else(|| {
            r.fail(at);
            Currency::NONE
        })
    }
}

impl Wire for Text {
    fn put(&self, w: &mut W) {
        self.0.put(w)
    }
    fn get(r: &mut R) -> Text {
        Text(get(r))
    }
}

// Structs: their fields, in this order.

macro_rules! fields {
    ($($ty:ident { $($f:ident),* })*) => {$(
        impl Wire for $ty {
            fn put(&self, w: &mut W) {
                $(self.$f.put(w);)*
            }
            fn get(r: &mut R) -> $ty {
                $ty { $($f: get(r)),* }
            }
        }
    )*};
}

fields! {
    Store { name, currency, default_locale, locales, time_zone, sign_in_url }
    Selector { product_ids, variant_ids, skus, tags, product_types, collections }
    Earning { points_per_step, step, rounding, minimum_order, max_points_per_order, exclude }
    MultiplierRule { combine }
    Action { kind, id, points, limit, name, url }
    Cashback { percent, rounding }
    Tiers { metric, period, retention, levels }
    Tier { id, name, threshold, multiplier, perks }
    Membership { id, name, fee, billing, trial_days, multiplier, perks, join_url }
    PunchCard { name, stamps_required, eligible, per, max_stamps_per_order, minimum_line_amount, reward, carry_over, expiry_days }
    PunchReward { description, value, product_id }
    Redemption { id, name, kind, points, min_points, max_points, increment, min_cart, max_discount, members_only }
    Lifecycle { pending_days, expiry_months_inactive }
    Popup { enabled, triggers, cooldown_days, exclude_paths, name_field, birthday_field, consents, offers, high_value_order, passive_browser_views }
    Triggers { exit_intent, exit_sensitivity_px, delay_seconds, scroll_percent, mobile_scroll_up, mobile_back, tab_return, idle_seconds }
    Consent { id, version, text, required }
    Offer { title, body, cta, membership }
    Offers { default, segments }
    Referral { remember_days, friend_reward_on, friend_voucher, referrer_cap, link_base }
    ReferrerCap { rewards, days }
    Birthday { notice_days }
}
