// Typed calls by numbers (included by a-numbers and the B variants, which
// define `read_program`). No floats: every integer above 32 bits crosses
// as (hi: i32, lo: u32).
use alloc::string::String;
use alloc::vec::Vec;
use boundary_common::io::{self, CartIn, HeldIn, LineIn, MembershipIn, PreviewOut, ShopperIn};
use rewards_core::preview::Preview;
use rewards_core::Program;
use wasm_bindgen::prelude::*;

fn join(hi: i32, lo: u32) -> i64 {
    ((hi as i64) << 32) | lo as i64
}
fn push64(out: &mut Vec<i32>, v: i64) {
    out.push((v >> 32) as i32);
    out.push(v as i32);
}

#[wasm_bindgen]
pub struct Engine {
    program: Program,
    /// Interned strings; id 0 is "none".
    syms: Vec<String>,
    lines: Vec<LineIn>,
    shopper: ShopperIn,
    /// An id that is not in the table was passed since the last preview.
    bad: bool,
}

impl Engine {
    fn text(&mut self, id: u32) -> Option<String> {
        match self.syms.get(id as usize) {
            Some(s) if id > 0 => Some(s.clone()),
            Some(_) => None,
            None => {
                self.bad = true;
                None
            }
        }
    }
    fn sym_of(&self, s: &str) -> i32 {
        self.syms.iter().position(|x| x == s).unwrap_or(0) as i32
    }
    fn take(&mut self, disc: i64, ship: i64) -> (ShopperIn, CartIn, bool) {
        let bad = core::mem::take(&mut self.bad);
        let cart = CartIn { lines: core::mem::take(&mut self.lines), discount: disc, shipping: ship };
        (core::mem::take(&mut self.shopper), cart, bad)
    }
    /// Error code, or 0 with the preview appended to `out`.
    fn encode_preview(&self, p: PreviewOut, out: &mut Vec<i32>) {
        out.push(0);
        out.push(p.lines.len() as i32);
        for l in &p.lines {
            push64(out, l.net);
            push64(out, l.qualifying);
            push64(out, l.points.num);
            push64(out, l.points.den);
            out.push(l.excluded as i32);
            out.push(self.sym_of(&l.excluded_value));
        }
        push64(out, p.qualifying_total);
        push64(out, p.units);
        for r in [&p.base_points] {
            push64(out, r.num);
            push64(out, r.den);
        }
        out.push(p.multipliers.len() as i32);
        for m in &p.multipliers {
            out.push(m.source as i32);
            let index = if m.source == 0 { self.program.tier(&m.id).map_or(-1, |(i, _)| i as i32) } else { 0 };
            out.push(index);
            push64(out, m.value.m);
            out.push(m.value.s as i32);
        }
        for r in [&p.multiplier, &p.points_before_rounding] {
            push64(out, r.num);
            push64(out, r.den);
        }
        push64(out, p.earned_points);
        out.push(p.minimum_order_met as i32 | (p.capped as i32) << 1);
        out.push(p.bonuses.len() as i32);
        for b in &p.bonuses {
            out.push(self.program.actions.iter().position(|a| a.id == b.action).map_or(-1, |i| i as i32));
            push64(out, b.points);
        }
        push64(out, p.total_points);
        push64(out, p.cashback);
    }
    fn run(&mut self, disc: i64, ship: i64, now: i64) -> Result<(rewards_core::Shopper, rewards_core::Cart, Preview), i32> {
        let (s, c, bad) = self.take(disc, ship);
        let (Some(s), Some(c), false) = (io::shopper(s), io::cart(c), bad) else { return Err(io::INVALID as i32) };
        match rewards_core::preview::preview(&self.program, &s, &c, now) {
            Ok(p) => Ok((s, c, p)),
            Err(rewards_core::Error::Overflow(_)) => Err(io::OVERFLOW as i32),
            Err(_) => Err(io::INVALID as i32),
        }
    }
}

#[wasm_bindgen]
impl Engine {
    pub fn load(program: &[u8]) -> Option<Engine> {
        let mut syms = Vec::new();
        syms.push(String::new());
        Some(Engine { program: read_program(program)?.to_core()?, syms, lines: Vec::new(), shopper: ShopperIn::default(), bad: false })
    }

    /// Adds a string to the table; JS remembers the id.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.syms.push(String::from(s));
        (self.syms.len() - 1) as u32
    }

    #[allow(clippy::too_many_arguments)]
    pub fn shopper(
        &mut self, member: bool, balance_hi: i32, balance_lo: u32, pending_hi: i32, pending_lo: u32, orders_hi: i32, orders_lo: u32,
        spend_hi: i32, spend_lo: u32, points_hi: i32, points_lo: u32, period_orders_hi: i32, period_orders_lo: u32, stamps_hi: i32,
        stamps_lo: u32,
    ) {
        let s = &mut self.shopper;
        s.member = member;
        s.balance = join(balance_hi, balance_lo);
        s.pending = join(pending_hi, pending_lo);
        s.lifetime_orders = join(orders_hi, orders_lo);
        s.period_spend = join(spend_hi, spend_lo);
        s.period_points = join(points_hi, points_lo);
        s.period_orders = join(period_orders_hi, period_orders_lo);
        s.stamps = join(stamps_hi, stamps_lo);
    }

    /// `present`: bit 0 card_started, bit 1 last_activity, bit 2 last_order_value.
    #[allow(clippy::too_many_arguments)]
    pub fn shopper_times(&mut self, present: u32, card_hi: i32, card_lo: u32, act_hi: i32, act_lo: u32, value_hi: i32, value_lo: u32) {
        let s = &mut self.shopper;
        s.card_started = (present & 1 != 0).then(|| join(card_hi, card_lo));
        s.last_activity = (present & 2 != 0).then(|| join(act_hi, act_lo));
        s.last_order_value = (present & 4 != 0).then(|| join(value_hi, value_lo));
    }

    pub fn shopper_tier(&mut self, id: u32, since_hi: i32, since_lo: u32) {
        let id = self.text(id).unwrap_or_default();
        self.shopper.tier = Some(HeldIn { id, at: join(since_hi, since_lo) });
    }

    pub fn shopper_membership(&mut self, id: u32, status: u8) {
        let id = self.text(id).unwrap_or_default();
        self.shopper.membership = Some(MembershipIn { id, status });
    }

    pub fn shopper_action(&mut self, id: u32, at_hi: i32, at_lo: u32) {
        let id = self.text(id).unwrap_or_default();
        self.shopper.rewarded_actions.push(HeldIn { id, at: join(at_hi, at_lo) });
    }

    /// One cart line; string arguments are table ids (0: none).
    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &mut self, id: u32, product: u32, variant: u32, sku: u32, product_type: u32, quantity: i32, price_hi: i32, price_lo: u32,
        discount_hi: i32, discount_lo: u32, gift_card: bool,
    ) {
        let line = LineIn {
            id: self.text(id).unwrap_or_default(),
            product_id: self.text(product),
            variant_id: self.text(variant),
            sku: self.text(sku),
            product_type: self.text(product_type),
            tags: Vec::new(),
            collections: Vec::new(),
            quantity: quantity as i64,
            line_price: join(price_hi, price_lo),
            discount: join(discount_hi, discount_lo),
            gift_card,
        };
        self.lines.push(line);
    }

    /// A tag of the last line.
    pub fn tag(&mut self, id: u32) {
        let t = self.text(id);
        match (t, self.lines.last_mut()) {
            (Some(t), Some(l)) => l.tags.push(t),
            _ => self.bad = true,
        }
    }

    /// A collection of the last line.
    pub fn collection(&mut self, id: u32) {
        let t = self.text(id);
        match (t, self.lines.last_mut()) {
            (Some(t), Some(l)) => l.collections.push(t),
            _ => self.bad = true,
        }
    }

    /// Previews the lines and shopper sent since the last call (and
    /// clears them). `[error]`, or `[0, preview…]` (layout in js/numbers.mjs).
    #[allow(clippy::too_many_arguments)]
    pub fn preview(&mut self, discount_hi: i32, discount_lo: u32, shipping_hi: i32, shipping_lo: u32, now_hi: i32, now_lo: u32) -> Vec<i32> {
        let mut out = Vec::with_capacity(256);
        match self.run(join(discount_hi, discount_lo), join(shipping_hi, shipping_lo), join(now_hi, now_lo)) {
            Ok((_, _, p)) => match io::preview_out(p) {
                Some(p) => self.encode_preview(p, &mut out),
                None => out.push(io::OVERFLOW as i32),
            },
            Err(code) => out.push(code),
        }
        out
    }
}
