//! Timing only (not a size candidate): a-numbers plus `compute_only`,
//! which converts the cart and shopper sent by the typed calls once and
//! runs the core's preview `times` times on them, so the page can tell the
//! computation's own time from the boundary's.
#![no_std]
extern crate alloc;

fn read_program(bytes: &[u8]) -> Option<boundary_common::compiled::CProgram> {
    boundary_common::pos::read(bytes)
}

include!("../../a-numbers/src/boundary.rs");

#[wasm_bindgen]
impl Engine {
    /// Σ total points over `times` previews of the pending cart (−1: invalid).
    #[allow(clippy::too_many_arguments)]
    pub fn compute_only(&mut self, times: u32, discount_hi: i32, discount_lo: u32, shipping_hi: i32, shipping_lo: u32, now_hi: i32, now_lo: u32) -> i32 {
        let (s, c, bad) = self.take(join(discount_hi, discount_lo), join(shipping_hi, shipping_lo));
        let (Some(s), Some(c), false) = (io::shopper(s), io::cart(c), bad) else { return -1 };
        let now = join(now_hi, now_lo);
        let mut sum = 0i32;
        for _ in 0..times {
            if let Ok(p) = rewards_core::preview::preview(&self.program, &s, &c, now) {
                sum = sum.wrapping_add(p.total_points as i32);
            }
        }
        sum
    }
}
