//! The rewards engine: every program type, exact previews, one engine for
//! the browser (through `crates/wasm`) and the server (`crates/server`).
//!
//! Invariants (see ARCHITECTURE.md): no IO, no clock (`now` is a parameter,
//! milliseconds since the Unix epoch), no randomness, no floats, no
//! browser. Money is integer minor units; every arithmetic step is checked
//! and an overflow is an [`Error`], never a wrap or a panic.
//!
//! [`Engine`] is the API both bindings use (JSON text for the server,
//! bytes for the wasm: `input`), so the widget's
//! preview and the server's award are the same bytes.

// No `std`: the core needs only `alloc`, and without `std` the wasm build
// can replace the standard panic machinery (and the formatting it drags in).
#![cfg_attr(not(test), no_std)]
extern crate alloc;
#[cfg(feature = "schema")]
extern crate std;

/// What `std`'s prelude would give every module. (Under `cfg(test)` the
/// crate has `std`, whose prelude already has some of these.)
#[allow(unused_imports)]
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
    pub use alloc::{format, vec};
}

pub mod actions;
pub mod birthday;
pub mod cart;
pub mod config;
pub mod decimal;
pub mod decode;
pub mod error;
pub mod explain;
pub mod input;
pub mod json;
#[cfg(feature = "serde")]
pub mod json_de;
pub mod lifecycle;
pub mod membership;
pub mod money;
pub mod ops;
pub mod preview;
pub mod publish;
pub mod punch;
pub mod redeem;
pub mod referral;
#[cfg(feature = "schema")]
pub mod schema;
pub mod segment;
pub mod shopper;
pub mod tiers;
pub mod time;
#[cfg(feature = "schema")]
pub mod validate;
mod wire;

pub use cart::{Cart, Line};
pub use config::Program;
pub use error::{Error, Issue, Result};
pub use json::Json;
pub use ops::{Input, Op};
pub use shopper::Shopper;
pub use time::Millis;

use json::Out;
use prelude::*;

/// A validated program plus the JSON-text operations on it. Parse the
/// config once; every call after that only decodes the shopper and cart.
pub struct Engine {
    pub program: Program,
}

impl Engine {
    /// The engine for a merchant's config, validated natively
    /// ([`Program::parse`]); the browser uses [`Engine::from_wire`].
    #[cfg(feature = "schema")]
    pub fn new(config_json: &str) -> Result<Engine> {
        Ok(Engine { program: Program::parse(config_json)? })
    }

    /// The engine for a published program ([`Program::to_wire`]'s bytes):
    /// no JSON decoding, no validation again.
    pub fn from_wire(program: &[u8]) -> Result<Engine> {
        Ok(Engine { program: Program::from_wire(program)? })
    }

    fn shopper(&self, text: &str) -> Result<Shopper> {
        if text.trim().is_empty() || text.trim() == "null" {
            return Ok(Shopper::guest());
        }
        Shopper::parse(text).map(active)
    }

    fn cart(&self, text: &str) -> Result<Cart<'static>> {
        Cart::parse(text, self.program.currency())
    }

    /// Points this cart earns this shopper.
    pub fn preview(&self, shopper: &str, cart: &str, now: Millis) -> Result<String> {
        self.preview_of(&self.shopper(shopper)?, &self.cart(cart)?, now)
    }

    /// Points a product earns: `line` is one cart line (quantity 1 typical).
    pub fn product_points(&self, shopper: &str, line: &str, now: Millis) -> Result<String> {
        let s = self.shopper(shopper)?;
        let line = Json::parse(line).map_err(|m| Error::at("", m))?;
        self.product_points_of(&s, cart::line_from_json(&line, self.program.currency())?, now)
    }

    /// Tier progress, with the state after `cart` when one is given.
    pub fn tier_progress(&self, shopper: &str, cart: Option<&str>, now: Millis) -> Result<String> {
        let s = self.shopper(shopper)?;
        self.tier_progress_of(&s, cart.map(|c| self.cart(c)).transpose()?.as_ref(), now)
    }

    pub fn punch_card(&self, shopper: &str, cart: Option<&str>, now: Millis) -> Result<String> {
        let s = self.shopper(shopper)?;
        self.punch_card_of(&s, cart.map(|c| self.cart(c)).transpose()?.as_ref(), now)
    }

    pub fn redemptions(&self, shopper: &str, cart: &str, now: Millis) -> Result<String> {
        let s = self.shopper(shopper)?;
        self.redemptions_of(&s, &self.cart(cart)?, now)
    }

    /// The whole checkout prompt in one call (one boundary crossing).
    pub fn quote(&self, shopper: &str, cart: &str, now: Millis) -> Result<String> {
        let s = self.shopper(shopper)?;
        self.quote_of(&s, &self.cart(cart)?, now)
    }

    /// The explainer panel's model, generated from the config.
    pub fn explainer(&self, shopper: &str, now: Millis) -> Result<String> {
        explain::model(&self.program, &self.shopper(shopper)?, now).map(|m| m.to_text())
    }

    /// Visitor segment and whether (and which) popup offer to show.
    pub fn popup_decision(&self, shopper: &str, signals: &str, now: Millis) -> Result<String> {
        let s = self.shopper(shopper)?;
        let sig = segment::Signals::parse(signals, self.program.currency())?;
        segment::decide(&self.program, &s, &sig, now).map(|d| d.to_json().to_text())
    }

    /// Bonus actions and whether each can be rewarded now.
    pub fn actions(&self, shopper: &str, now: Millis) -> Result<String> {
        Ok(actions::status(&self.program, &self.shopper(shopper)?, now).to_text())
    }

    fn preview_of(&self, s: &Shopper, c: &Cart, now: Millis) -> Result<String> {
        let mut o = Out::new();
        preview::preview(&self.program, s, c, now)?.write(&self.program, &mut o);
        Ok(o.into_text())
    }

    fn product_points_of(&self, s: &Shopper, line: Line, now: Millis) -> Result<String> {
        let mut o = Out::new();
        let cart = Cart { lines: vec![line], ..Cart::default() };
        preview::product_points(&self.program, s, &cart, now)?.write(&self.program, &mut o);
        Ok(o.into_text())
    }

    fn tier_progress_of(&self, s: &Shopper, c: Option<&Cart>, now: Millis) -> Result<String> {
        let p = c.map(|c| preview::preview(&self.program, s, c, now)).transpose()?;
        let t = tiers::progress(&self.program, s, p.as_ref(), now)?;
        let mut o = Out::new();
        match t {
            Some(t) => t.write(&self.program, &mut o),
            None => drop(o.null()),
        }
        Ok(o.into_text())
    }

    fn punch_card_of(&self, s: &Shopper, c: Option<&Cart>, now: Millis) -> Result<String> {
        let p = punch::progress(&self.program, s, c, now)?;
        let mut o = Out::new();
        match p {
            Some(p) => p.write(&mut o),
            None => drop(o.null()),
        }
        Ok(o.into_text())
    }

    fn redemptions_of(&self, s: &Shopper, c: &Cart, now: Millis) -> Result<String> {
        let mut o = Out::new();
        redeem::write(&redeem::options(&self.program, s, c, now)?, &mut o);
        Ok(o.into_text())
    }

    fn quote_of(&self, s: &Shopper, c: &Cart, now: Millis) -> Result<String> {
        let p = preview::preview(&self.program, s, c, now)?;
        let t = tiers::progress(&self.program, s, Some(&p), now)?;
        let k = punch::progress(&self.program, s, Some(c), now)?;
        let r = redeem::options(&self.program, s, c, now)?;
        let m = membership::what_if(&self.program, s, c, &p, now)?;
        let mut o = Out::new();
        o.open().key("preview");
        p.write(&self.program, &mut o);
        o.key("tier");
        match t {
            Some(t) => t.write(&self.program, &mut o),
            None => drop(o.null()),
        }
        o.key("punch_card");
        match k {
            Some(k) => k.write(&mut o),
            None => drop(o.null()),
        }
        o.key("redemptions");
        redeem::write(&r, &mut o);
        o.key("membership_offer");
        match m {
            Some(m) => m.write(&mut o),
            None => drop(o.null()),
        }
        o.close();
        Ok(o.into_text())
    }

    /// The program as the widget's JS reads it (the published document's
    /// `program`: labels, popup settings, texts, store).
    pub fn public_config(&self) -> Json<'static> {
        publish::widget_program(&self.program)
    }
}

/// A shopper's spendable balance is never below zero in a computation.
fn active(mut s: Shopper) -> Shopper {
    s.balance = s.balance.max(0);
    s
}

/// Turns a result into the JSON text both bindings return: the value, or
/// `{"error": …, "message": …, "issues": [{path, message}]}`.
pub fn respond(r: Result<String>) -> String {
    match r {
        Ok(text) => text,
        Err(e) => e.to_json().to_text(),
    }
}
