//! The engine's operations: the one list of them. The wasm binding's
//! `run`, the server's `POST /api/engine/{op}`, the widget's engine
//! (`www/src/ui/engine.js`, which names ops, never lists them), the fixture
//! runner and the fuzz generators all go through [`Op`] and
//! [`Engine::run`](crate::Engine::run), so an operation is added here once.

use crate::error::{Error, Result};
use crate::prelude::*;
use crate::{Cart, Engine, Millis, Shopper};

/// What an operation takes besides the shopper: its input's name (the key
/// of the fixture files and of the server's request body member) and
/// whether it may be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Nothing,
    Required(&'static str),
    Optional(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Preview,
    ProductPoints,
    TierProgress,
    PunchCard,
    Redemptions,
    Quote,
    Explainer,
    PopupDecision,
    Actions,
    Birthday,
}

impl Op {
    /// Every operation with its name and input.
    pub const ALL: &'static [(Op, &'static str, Input)] = &[
        (Op::Preview, "preview", Input::Required("cart")),
        (Op::ProductPoints, "product_points", Input::Required("line")),
        (Op::TierProgress, "tier_progress", Input::Optional("cart")),
        (Op::PunchCard, "punch_card", Input::Optional("cart")),
        (Op::Redemptions, "redemptions", Input::Required("cart")),
        (Op::Quote, "quote", Input::Required("cart")),
        (Op::Explainer, "explainer", Input::Nothing),
        (Op::PopupDecision, "popup_decision", Input::Required("signals")),
        (Op::Actions, "actions", Input::Nothing),
        (Op::Birthday, "birthday", Input::Required("dates")),
    ];

    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.iter().find(|(_, n, _)| *n == name).map(|(op, _, _)| *op)
    }

    pub fn name(self) -> &'static str {
        Op::ALL.iter().find(|(op, _, _)| *op == self).map_or("", |(_, n, _)| n)
    }

    pub fn input(self) -> Input {
        Op::ALL.iter().find(|(op, _, _)| *op == self).map_or(Input::Nothing, |(_, _, i)| *i)
    }

    /// Whether the cart-page engine has it: what a product or cart page
    /// computes (the wasm module those pages download; the others — the
    /// explainer, the popup decision, bonus actions — are in the full
    /// module, loaded when one of them is first needed).
    pub fn on_cart_page(self) -> bool {
        match self {
            Op::Preview | Op::ProductPoints | Op::TierProgress | Op::PunchCard | Op::Redemptions | Op::Quote => true,
            Op::Explainer | Op::PopupDecision | Op::Actions | Op::Birthday => false,
        }
    }

    /// The operation of that name; an unknown name is an `invalid` error at
    /// path `op` naming the operations there are.
    pub fn named(name: &str) -> Result<Op> {
        Op::from_name(name).ok_or_else(|| {
            let mut message = crate::json::cat(&["unknown operation \"", name, "\"; expected one of: "]);
            for (i, (_, n, _)) in Op::ALL.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                message.push_str(n);
            }
            Error::at("op", message)
        })
    }

    /// Whether the operation reads the shopper (the birthday rule takes
    /// only dates: a shopper given with it is not read, nor checked).
    pub fn reads_shopper(self) -> bool {
        !matches!(self, Op::Birthday)
    }

    /// Whether the operation reads a cart from `input` (its input is a cart,
    /// and given unless optional: a required one that is absent is read,
    /// and refused, as any other malformed cart).
    pub fn takes_cart(self, input: &[u8]) -> bool {
        match self.input() {
            Input::Required(n) => n == "cart",
            Input::Optional(n) => n == "cart" && !input.is_empty(),
            Input::Nothing => false,
        }
    }

    /// The input's name, if the operation takes one.
    pub fn input_name(self) -> Option<&'static str> {
        match self.input() {
            Input::Nothing => None,
            Input::Required(n) | Input::Optional(n) => Some(n),
        }
    }
}

/// `""` or `"null"`: no value (a guest shopper, no cart).
fn absent(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t == "null"
}

impl Engine {
    /// One operation by its table entry: `input` is the op's input as JSON
    /// text (`""` when absent; an optional cart may be absent, a required
    /// input then fails to parse with its own message).
    pub fn run(&self, op: Op, shopper: &str, input: &str, now: Millis) -> Result<String> {
        match op {
            Op::Explainer => self.explainer(shopper, now),
            Op::PopupDecision => self.popup_decision(shopper, input, now),
            Op::Actions => self.actions(shopper, now),
            Op::Birthday => crate::birthday::run(&self.program, input).map(|j| j.to_text()),
            _ => self.run_cart_page(op, shopper, input, now),
        }
    }

    /// [`Engine::run`] for the operations [`Op::on_cart_page`]; any other
    /// is an error at path `op`. The cart-page wasm module calls only this,
    /// so it links none of the others.
    pub fn run_cart_page(&self, op: Op, shopper: &str, input: &str, now: Millis) -> Result<String> {
        let optional = (!absent(input)).then_some(input);
        match op {
            Op::Preview => self.preview(shopper, input, now),
            Op::ProductPoints => self.product_points(shopper, input, now),
            Op::TierProgress => self.tier_progress(shopper, optional, now),
            Op::PunchCard => self.punch_card(shopper, optional, now),
            Op::Redemptions => self.redemptions(shopper, input, now),
            Op::Quote => self.quote(shopper, input, now),
            Op::Explainer | Op::PopupDecision | Op::Actions | Op::Birthday => {
                Err(Error::at("op", crate::json::cat(&["\"", op.name(), "\" is not in the cart-page engine"])))
            }
        }
    }

    /// [`Engine::run`] on the inputs' bytes (`crate::input`: what the wasm
    /// takes; empty shopper bytes are a guest, an empty optional cart is
    /// none). The JSON [`Engine::run`] gives the same answer for the JSON
    /// those bytes were encoded from (`input::encode`).
    pub fn run_bytes(&self, op: Op, shopper: &[u8], input: &[u8], now: Millis) -> Result<String> {
        match op {
            Op::Explainer => crate::explain::model(&self.program, &self.shopper_bytes(shopper)?, now).map(|m| m.to_text()),
            Op::PopupDecision => {
                let s = self.shopper_bytes(shopper)?;
                let sig = crate::segment::Signals::from_bytes(input, self.program.currency())?;
                crate::segment::decide(&self.program, &s, &sig, now).map(|d| d.to_json().to_text())
            }
            Op::Actions => Ok(crate::actions::status(&self.program, &self.shopper_bytes(shopper)?, now).to_text()),
            Op::Birthday => crate::birthday::run_bytes(&self.program, input).map(|j| j.to_text()),
            _ => self.run_cart_page_bytes(op, shopper, input, now),
        }
    }

    /// [`Engine::run_bytes`] for the operations [`Op::on_cart_page`] (what
    /// the cart-page wasm module calls, so it links none of the others).
    pub fn run_cart_page_bytes(&self, op: Op, shopper: &[u8], input: &[u8], now: Millis) -> Result<String> {
        self.on_cart_page(op)?;
        let s = self.shopper_bytes(shopper)?;
        let cart = if op.takes_cart(input) { Some(Cart::from_bytes(input, self.program.currency())?) } else { None };
        self.cart_page_of(op, &s, cart.as_ref(), input, now)
    }

    /// An error unless `op` is [`Op::on_cart_page`].
    pub(crate) fn on_cart_page(&self, op: Op) -> Result<()> {
        if op.on_cart_page() {
            return Ok(());
        }
        Err(Error::Invalid(vec![crate::Issue {
            path: "op".into(),
            message: crate::json::cat(&["\"", op.name(), "\" is not in the cart-page engine"]),
        }]))
    }

    /// A cart-page operation on inputs already read: `cart` is the op's
    /// cart (`None` when it takes none, or an optional one is absent);
    /// `input` the product line's bytes for `product_points`.
    pub(crate) fn cart_page_of(&self, op: Op, s: &Shopper, cart: Option<&Cart>, input: &[u8], now: Millis) -> Result<String> {
        const NONE: &Cart = &Cart { lines: Vec::new(), order_discount: 0, shipping: 0 };
        match op {
            Op::ProductPoints => self.product_points_of(s, crate::Line::from_bytes(input, self.program.currency())?, now),
            Op::TierProgress => self.tier_progress_of(s, cart, now),
            Op::PunchCard => self.punch_card_of(s, cart, now),
            Op::Redemptions => self.redemptions_of(s, cart.unwrap_or(NONE), now),
            Op::Quote => self.quote_of(s, cart.unwrap_or(NONE), now),
            _ => self.preview_of(s, cart.unwrap_or(NONE), now),
        }
    }

    pub(crate) fn shopper_bytes(&self, bytes: &[u8]) -> Result<Shopper> {
        if bytes.is_empty() {
            return Ok(Shopper::guest());
        }
        Shopper::from_bytes(bytes).map(crate::active)
    }

    /// [`Engine::run`] by the operation's name ([`Op::named`]).
    pub fn run_named(&self, op: &str, shopper: &str, input: &str, now: Millis) -> Result<String> {
        self.run(Op::named(op)?, shopper, input, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation is in one module or the other, and the cart-page
    /// engine refuses the others with their name rather than computing them.
    #[test]
    fn the_cart_page_engine_has_exactly_the_cart_operations() {
        let cart: Vec<&str> = Op::ALL.iter().filter(|(op, _, _)| op.on_cart_page()).map(|(_, n, _)| *n).collect();
        assert_eq!(cart, ["preview", "product_points", "tier_progress", "punch_card", "redemptions", "quote"]);
        assert!(Op::named("preveiw").unwrap_err().to_string().starts_with("op: unknown operation \"preveiw\"; expected one of: preview,"));
    }
}
