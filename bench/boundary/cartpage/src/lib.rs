//! The predicted cart-page module: typed calls by numbers and the hand
//! positional reader (the recommendation in docs/wasm-size.md), exporting
//! every cart-page computation: the preview, and one `quote` with the
//! preview, tier progress, punch card and redemption options.
#![no_std]
extern crate alloc;

fn read_program(bytes: &[u8]) -> Option<boundary_common::compiled::CProgram> {
    boundary_common::pos::read(bytes)
}

include!("../../a-numbers/src/boundary.rs");

fn opt_index(out: &mut Vec<i32>, i: Option<usize>) {
    out.push(i.map_or(-1, |i| i as i32));
}
fn opt64(out: &mut Vec<i32>, v: Option<i64>) {
    out.push(v.is_some() as i32);
    push64(out, v.unwrap_or(0));
}

#[wasm_bindgen]
impl Engine {
    /// `[error]` or `[0, preview…, tier…, punch…, redemptions…]`.
    #[allow(clippy::too_many_arguments)]
    pub fn quote(&mut self, discount_hi: i32, discount_lo: u32, shipping_hi: i32, shipping_lo: u32, now_hi: i32, now_lo: u32) -> Vec<i32> {
        let now = join(now_hi, now_lo);
        let mut out = Vec::with_capacity(512);
        let (s, c, p) = match self.run(join(discount_hi, discount_lo), join(shipping_hi, shipping_lo), now) {
            Ok(x) => x,
            Err(code) => {
                out.push(code);
                return out;
            }
        };
        let program = &self.program;
        let rest = (|| {
            let t = rewards_core::tiers::progress(program, &s, Some(&p), now)?;
            let k = rewards_core::punch::progress(program, &s, Some(&c), now)?;
            let r = rewards_core::redeem::options(program, &s, &c, now)?;
            Ok::<_, rewards_core::Error>((t, k, r))
        })();
        let (Ok((t, k, r)), Some(p)) = (rest, io::preview_out(p)) else {
            out.push(io::OVERFLOW as i32);
            return out;
        };
        self.encode_preview(p, &mut out);
        out.push(t.is_some() as i32);
        if let Some(t) = t {
            push64(&mut out, t.value);
            opt_index(&mut out, t.current);
            opt_index(&mut out, t.next);
            push64(&mut out, t.needed);
            push64(&mut out, i64::try_from(t.fraction.num.saturating_mul(1000) / t.fraction.den.max(1)).unwrap_or(0));
            push64(&mut out, t.value_after);
            opt_index(&mut out, t.tier_after);
            out.push(t.at_risk as i32);
            opt64(&mut out, t.needed_to_keep);
            opt64(&mut out, t.deadline);
        }
        out.push(k.is_some() as i32);
        if let Some(k) = k {
            for v in [k.stamps, k.required, k.added, k.completes, k.stamps_after, k.reward_value] {
                push64(&mut out, v);
            }
            out.push(k.expired as i32);
            opt64(&mut out, k.expires_at);
        }
        push64(&mut out, r.balance);
        push64(&mut out, r.subtotal);
        out.push(r.options.len() as i32);
        for o in &r.options {
            push64(&mut out, o.max_usable_points);
            push64(&mut out, o.discount);
            let (code, v) = match o.blocked {
                None => (0, 0),
                Some(rewards_core::redeem::Blocked::MembersOnly) => (1, 0),
                Some(rewards_core::redeem::Blocked::MinCart(v)) => (2, v),
                Some(rewards_core::redeem::Blocked::Shortfall(v)) => (3, v),
                Some(rewards_core::redeem::Blocked::CartTooSmall) => (4, 0),
            };
            out.push(code);
            push64(&mut out, v);
        }
        opt_index(&mut out, r.best);
        out
    }
}
