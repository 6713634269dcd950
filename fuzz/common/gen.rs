//! A deterministic generator of engine inputs as JSON text: random valid
//! programs (every section, every option), now and then a near-valid one,
//! shoppers, carts, product lines, popup signals and instants.
//!
//! One file, three users (it is included with `#[path]`):
//! - the `generated` fuzz target reads its choices from the fuzzer's bytes
//!   ([`Gen::from_bytes`]), so libFuzzer mutates *decisions*, not text;
//! - `tests/fuzz_corpus.rs` replays that target's corpus on stable;
//! - the differential test (`crates/wasm-conformance`) draws choices from a
//!   seeded SplitMix64 ([`Gen::seeded`]) on the native host (build.rs) and
//!   in wasm32 in Chromium, and compares every output.
//!
//! So: `std` and `rewards_core` only, no floats, and no arithmetic on
//! `usize` that depends on the target (wasm32 is 32-bit): every random
//! value is a `u64`/`i64`, and the same seed gives the same bytes anywhere.

#![allow(dead_code)]

use rewards_core::time::format_instant;
use rewards_core::Json;
use std::borrow::Cow;

/// Largest money amount or point count a config accepts (10^15).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;
/// Instants the decoders accept as epoch milliseconds (years 1..=9999).
const MIN_INSTANT: i64 = -62_135_596_800_000;
const MAX_INSTANT: i64 = 253_402_300_799_999;
/// JS numbers are exact up to 2^53: `now` crosses the wasm boundary as f64.
pub const MAX_SAFE_NOW: i64 = (1 << 53) - 1;

enum Source<'a> {
    /// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same everywhere.
    Seeded { state: u64, buffer: u64, left: u32 },
    /// The fuzzer's bytes; zeros once they run out (the simplest choices).
    Bytes { data: &'a [u8], at: usize },
}

/// A source of choices.
pub struct Gen<'a> {
    src: Source<'a>,
}

impl Gen<'static> {
    pub fn seeded(seed: u64) -> Gen<'static> {
        Gen { src: Source::Seeded { state: seed, buffer: 0, left: 0 } }
    }
}

impl<'a> Gen<'a> {
    pub fn from_bytes(data: &'a [u8]) -> Gen<'a> {
        Gen { src: Source::Bytes { data, at: 0 } }
    }

    fn byte(&mut self) -> u8 {
        match &mut self.src {
            Source::Seeded { state, buffer, left } => {
                if *left == 0 {
                    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    let mut z = *state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    *buffer = z ^ (z >> 31);
                    *left = 8;
                }
                let b = *buffer as u8;
                *buffer >>= 8;
                *left -= 1;
                b
            }
            Source::Bytes { data, at } => {
                let b = data.get(*at).copied().unwrap_or(0);
                *at += 1;
                b
            }
        }
    }

    /// A number in `0..n` (0 when `n` ≤ 1), from as few bytes as cover `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let mut v: u64 = 0;
        let mut span: u64 = 1;
        while span < n {
            v = (v << 8) | self.byte() as u64;
            span = span.saturating_mul(256);
        }
        v % n
    }

    /// True `num` times in `den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn pick_ref<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Uniform in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi as i128 - lo as i128 + 1) as u128;
        (lo as i128 + self.below(span.min(u64::MAX as u128) as u64) as i128) as i64
    }

    /// Mostly small (log-uniform) numbers in `lo..=hi`, the edges exactly
    /// now and then, and sometimes anything in the range, so both the
    /// usual values and the overflow paths are reached.
    pub fn amount(&mut self, lo: i64, hi: i64) -> i64 {
        match self.below(32) {
            0 => lo,
            1 => hi,
            2 | 3 => self.int(lo, hi),
            4 => hi - self.int(0, 3.min(hi - lo)),
            _ => {
                let digits = self.below(8) as u32;
                let top = (lo as i128 + 10i128.pow(digits + 1)).min(hi as i128) as i64;
                self.int(lo, top)
            }
        }
    }

    /// A small count: mostly 0..=3, sometimes up to `max`.
    pub fn few(&mut self, max: u64) -> u64 {
        if self.chance(7, 8) {
            self.below(4.min(max + 1))
        } else {
            self.below(max + 1)
        }
    }
}

// ------------------------------------------------------------- JSON helpers

fn o(fields: Vec<(&str, Json<'static>)>) -> Json<'static> {
    Json::Object(fields.into_iter().map(|(k, v)| (Cow::Owned(k.to_string()), v)).collect())
}

fn st(s: &str) -> Json<'static> {
    Json::String(Cow::Owned(s.to_string()))
}

fn n(i: i64) -> Json<'static> {
    Json::Number(Cow::Owned(i.to_string()))
}

/// Adds `key` with a generated value half of the time (optional fields).
fn maybe(g: &mut Gen, fields: &mut Vec<(&'static str, Json<'static>)>, key: &'static str, f: impl FnOnce(&mut Gen) -> Json<'static>) {
    if g.chance(1, 2) {
        let v = f(g);
        fields.push((key, v));
    }
}

/// Pre-order node count, for picking a node to mutate.
fn nodes(v: &Json) -> u64 {
    1 + match v {
        Json::Array(a) => a.iter().map(nodes).sum(),
        Json::Object(m) => m.iter().map(|(_, v)| nodes(v)).sum(),
        _ => 0,
    }
}

/// The `target`-th node (pre-order), mutably.
fn node_mut<'v>(v: &'v mut Json<'static>, target: &mut u64) -> Option<&'v mut Json<'static>> {
    if *target == 0 {
        return Some(v);
    }
    *target -= 1;
    match v {
        Json::Array(a) => a.iter_mut().find_map(|x| node_mut(x, target)),
        Json::Object(m) => m.iter_mut().find_map(|(_, x)| node_mut(x, target)),
        _ => None,
    }
}

/// A value of any type, some of them near the decoders' limits.
fn junk(g: &mut Gen) -> Json<'static> {
    match g.below(12) {
        0 => Json::Null,
        1 => Json::Bool(g.chance(1, 2)),
        2 => n(g.amount(-MAX_AMOUNT, MAX_AMOUNT)),
        3 => Json::Number(Cow::Borrowed(g.pick(&["1.5", "-0", "1e3", "1e400", "9223372036854775808", "0.0000000001", "-1"]))),
        4 => st(g.pick(&["", " ", "x", "2026-02-30", "0", "1.5", "floor", "<b>", "\u{0}"])),
        5 => Json::Array(vec![]),
        6 => Json::Object(vec![]),
        7 => n(i64::MAX),
        8 => n(g.amount(0, 100)),
        9 => st(&format!("2026-{:02}-{:02}", g.int(0, 13), g.int(0, 32))),
        10 => Json::Array(vec![n(1), st("a")]),
        _ => o(vec![("unknown_field", n(1))]),
    }
}

/// Replaces one node below the root with a random value (so the document
/// stays an object: a blank or `null` text means "absent" to the bindings).
fn mutate(g: &mut Gen, v: &mut Json<'static>) {
    let total = nodes(v);
    if total < 2 {
        return;
    }
    let mut target = 1 + g.below(total - 1);
    let replacement = junk(g);
    if let Some(node) = node_mut(v, &mut target) {
        *node = replacement;
    }
}

/// Replaces one number with another amount (often still valid).
fn tweak_number(g: &mut Gen, v: &mut Json<'static>) {
    let total = nodes(v);
    for _ in 0..8 {
        let mut target = g.below(total);
        let amount = g.amount(0, MAX_AMOUNT);
        if let Some(node @ Json::Number(_)) = node_mut(v, &mut target) {
            *node = n(amount);
            return;
        }
    }
}

// -------------------------------------------------------------- vocabulary

const CURRENCIES: &[&str] = &["VND", "USD", "KWD", "JPY", "EUR", "BHD", "CLF", "GBP"];
const LOCALES: &[&str] = &["en", "vi", "ar", "ja", "en-US"];
const PRODUCTS: &[&str] = &["p1", "p2", "p3", "gift-wrap", "oud-oil-3ml", "merino-hiker-sock"];
const VARIANTS: &[&str] = &["v1", "v2", "oud-sample-2ml"];
const SKUS: &[&str] = &["SKU-1", "SKU-2", "BEAN-250"];
const TAGS: &[&str] = &["gift-card", "sale", "coffee", "new", "<script>"];
const TYPES: &[&str] = &["Socks", "Beans", "Mug", "Gift Card"];
const COLLECTIONS: &[&str] = &["clearance", "oud-oils", "summer"];
const TEXTS: &[&str] = &[
    "Join",
    "Get {points} points",
    "Nhận {points} điểm",
    "احصل على {points} نقطة",
    "<img src=x onerror=alert(1)>",
    "Line one\nline two \"quoted\" \\ back",
    "🎁 A gift",
    "x",
    "\u{2028}{points}\u{2029}</script>",
];
const NAMES: &[&str] = &["Northwind", "Cà Phê Sáng", "دار العود", "<b>Shop</b> & \"Co\"", "S"];
const PATHS: &[&str] = &["/", "/checkout", "/checkout/step-2", "/cart", "/products/p1", "/orders/1/thank-you", "/a-x-b-y-c"];
const PATTERNS: &[&str] = &["/checkout*", "/cart", "*/thank-you", "*", "/a*b*c", "/products/*"];
const SEGMENTS: &[&str] =
    &["member", "repeat_buyer", "first_time_buyer_high", "first_time_buyer_low", "cart_abandoner", "passive_browser", "bouncer", "browser"];
const TRIGGERS: &[&str] = &["exit_intent", "delay", "scroll", "mobile_scroll_up", "mobile_back", "tab_return", "idle", "manual"];
const ACTION_KINDS: &[&str] = &[
    "signup",
    "birthday",
    "newsletter",
    "social_follow",
    "social_share",
    "referral_referrer",
    "referral_friend",
    "product_review",
    "first_order",
];
const ROUNDINGS: &[&str] = &["floor", "half_up", "ceil"];

/// The example programs (the fixtures the fixture cases use).
pub const EXAMPLES: &[&str] = &[
    include_str!("../../tests/fixtures/programs/kw-oud.json"),
    include_str!("../../tests/fixtures/programs/us-apparel.json"),
    include_str!("../../tests/fixtures/programs/vn-coffee.json"),
];

// ---------------------------------------------------------------- programs

/// What the other inputs refer to: ids in the program, its currency.
#[derive(Default)]
struct Ids {
    currency: String,
    tiers: Vec<String>,
    membership: Option<String>,
    actions: Vec<String>,
}

impl Ids {
    fn of(program: &Json) -> Ids {
        let strs = |v: Option<&Json>, key: &str| -> Vec<String> {
            match v {
                Some(Json::Array(a)) => a.iter().filter_map(|x| x.get(key).and_then(Json::as_str).map(str::to_string)).collect(),
                _ => Vec::new(),
            }
        };
        let currency = program.get("store").and_then(|s| s.get("currency")).and_then(Json::as_str).unwrap_or("VND").to_string();
        let mut actions = strs(program.get("actions"), "id");
        // Actions without an id are named by their kind.
        if let Some(Json::Array(a)) = program.get("actions") {
            actions.extend(
                a.iter().filter(|x| x.get("id").is_none()).filter_map(|x| x.get("kind").and_then(Json::as_str).map(str::to_string)),
            );
        }
        Ids {
            currency,
            tiers: strs(program.get("tiers").and_then(|t| t.get("levels")), "id"),
            membership: program.get("membership").and_then(|m| m.get("id")).and_then(Json::as_str).map(str::to_string),
            actions,
        }
    }
}

/// A decimal in `0..=max_int` as JSON: a string or a number, plain or with
/// an exponent, with up to 9 places (the most a config accepts).
fn decimal(g: &mut Gen, max_int: i64, positive: bool) -> Json<'static> {
    let whole = if g.chance(3, 4) { g.int(0, 3.min(max_int)) } else { g.int(0, max_int) };
    let places = if g.chance(7, 8) { g.below(4) as u32 } else { g.below(10) as u32 };
    let frac = if whole == max_int || places == 0 { 0 } else { g.int(0, 10i64.pow(places) - 1) };
    let (whole, frac) = if positive && whole == 0 && frac == 0 { (1, 0) } else { (whole, frac) };
    let text = if frac == 0 { whole.to_string() } else { format!("{whole}.{frac:0width$}", width = places as usize) };
    match g.below(8) {
        0 => Json::Number(Cow::Owned(text)),
        1 if frac == 0 && whole > 0 => st(&format!("{}e-2", whole * 100)),
        _ => st(&text),
    }
}

fn text(g: &mut Gen, locales: &[String]) -> Json<'static> {
    if g.chance(1, 2) || locales.len() < 2 {
        return st(g.pick(TEXTS));
    }
    // Per locale: the default locale (first) is required, others optional.
    let mut fields = vec![(locales[0].clone(), st(g.pick(TEXTS)))];
    for l in &locales[1..] {
        if g.chance(1, 2) {
            fields.push((l.clone(), st(g.pick(TEXTS))));
        }
    }
    Json::Object(fields.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect())
}

fn strings(g: &mut Gen, vocab: &[&str]) -> Json<'static> {
    let count = g.few(vocab.len() as u64);
    Json::Array((0..count).map(|_| st(g.pick(vocab))).collect())
}

fn selector(g: &mut Gen) -> Json<'static> {
    let mut f = Vec::new();
    maybe(g, &mut f, "product_ids", |g| strings(g, PRODUCTS));
    maybe(g, &mut f, "variant_ids", |g| strings(g, VARIANTS));
    maybe(g, &mut f, "skus", |g| strings(g, SKUS));
    maybe(g, &mut f, "tags", |g| strings(g, TAGS));
    maybe(g, &mut f, "product_types", |g| strings(g, TYPES));
    maybe(g, &mut f, "collections", |g| strings(g, COLLECTIONS));
    o(f)
}

fn texts_list(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let count = g.few(4);
    Json::Array((0..count).map(|_| text(g, locales)).collect())
}

fn store(g: &mut Gen) -> (Json<'static>, Vec<String>) {
    let currency = g.pick(CURRENCIES);
    let default_locale = g.pick(LOCALES).to_string();
    let mut locales = vec![default_locale.clone()];
    for l in LOCALES {
        if *l != default_locale && g.chance(1, 3) {
            locales.push(l.to_string());
        }
    }
    let mut f = vec![("name", st(g.pick(NAMES))), ("currency", st(currency)), ("default_locale", st(&default_locale))];
    if locales.len() > 1 || g.chance(1, 2) {
        // Listed in a shuffled order: the default need not come first.
        let mut listed: Vec<Json<'static>> = locales.iter().map(|l| st(l)).collect();
        if g.chance(1, 2) {
            listed.reverse();
        }
        f.push(("locales", Json::Array(listed)));
    }
    (o(f), locales)
}

fn earning(g: &mut Gen) -> Json<'static> {
    let mut f = vec![("points_per_step", n(g.amount(0, 1_000_000))), ("step", n(g.amount(1, MAX_AMOUNT)))];
    maybe(g, &mut f, "rounding", |g| st(g.pick(ROUNDINGS)));
    maybe(g, &mut f, "minimum_order", |g| n(g.amount(0, MAX_AMOUNT)));
    maybe(g, &mut f, "max_points_per_order", |g| n(g.amount(1, MAX_AMOUNT)));
    maybe(g, &mut f, "exclude", selector);
    o(f)
}

fn actions(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let count = g.few(9);
    let mut used: Vec<String> = Vec::new();
    let mut list = Vec::new();
    for i in 0..count {
        let kind = g.pick(ACTION_KINDS);
        let mut f = vec![("kind", st(kind)), ("points", n(g.amount(1, MAX_AMOUNT)))];
        // An action without an id is named by its kind: ids must be unique.
        if used.iter().any(|u| u == kind) || g.chance(1, 4) {
            let id = format!("act-{i}");
            f.push(("id", st(&id)));
            used.push(id);
        } else {
            used.push(kind.to_string());
        }
        let once_only = matches!(kind, "signup" | "first_order" | "referral_friend");
        if once_only {
            if g.chance(1, 2) {
                f.push(("limit", st("once")));
            }
        } else {
            maybe(g, &mut f, "limit", |g| match g.below(4) {
                0 => st("once"),
                1 => st("yearly"),
                2 => st("unlimited"),
                _ => o(vec![("every_days", n(g.amount(1, 36_500)))]),
            });
        }
        maybe(g, &mut f, "name", |g| text(g, locales));
        maybe(g, &mut f, "url", |g| st(g.pick(&["https://example.com/follow", "http://example.com/<x>"])));
        list.push(o(f));
    }
    Json::Array(list)
}

fn tiers(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let mut f = vec![("metric", st(g.pick(&["spend", "points", "orders"])))];
    maybe(g, &mut f, "period", |g| st(g.pick(&["lifetime", "calendar_year", "rolling_12_months"])));
    maybe(g, &mut f, "retention", |g| st(g.pick(&["requalify", "drop"])));
    let count = 1 + g.few(4);
    let mut levels = Vec::new();
    let mut threshold = if g.chance(3, 4) { 0 } else { g.amount(0, 1000) };
    for i in 0..count {
        let mut t = vec![("id", st(&format!("tier-{i}"))), ("name", text(g, locales)), ("threshold", n(threshold))];
        maybe(g, &mut t, "multiplier", |g| decimal(g, 100, false));
        maybe(g, &mut t, "perks", |g| texts_list(g, locales));
        levels.push(o(t));
        let step = g.amount(1, MAX_AMOUNT);
        match threshold.checked_add(step).filter(|&x| x <= MAX_AMOUNT) {
            Some(next) => threshold = next,
            None => break,
        }
    }
    f.push(("levels", Json::Array(levels)));
    o(f)
}

fn membership(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let mut f = vec![
        ("id", st(g.pick(&["club", "northwind-plus", "m_1"]))),
        ("name", text(g, locales)),
        ("fee", n(g.amount(0, MAX_AMOUNT))),
        ("billing", st(g.pick(&["monthly", "yearly"]))),
    ];
    maybe(g, &mut f, "trial_days", |g| n(g.amount(0, 366)));
    maybe(g, &mut f, "multiplier", |g| decimal(g, 100, false));
    maybe(g, &mut f, "perks", |g| texts_list(g, locales));
    o(f)
}

fn punch_card(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let mut reward = vec![("description", text(g, locales)), ("value", n(g.amount(0, MAX_AMOUNT)))];
    maybe(g, &mut reward, "product_id", |g| st(g.pick(PRODUCTS)));
    let mut f = vec![("name", text(g, locales)), ("stamps_required", n(g.amount(1, 1000))), ("reward", o(reward))];
    maybe(g, &mut f, "eligible", selector);
    maybe(g, &mut f, "per", |g| st(g.pick(&["order", "item"])));
    maybe(g, &mut f, "max_stamps_per_order", |g| n(g.amount(1, 1000)));
    maybe(g, &mut f, "minimum_line_amount", |g| n(g.amount(0, MAX_AMOUNT)));
    maybe(g, &mut f, "carry_over", |g| Json::Bool(g.chance(1, 2)));
    maybe(g, &mut f, "expiry_days", |g| n(g.amount(1, 36_500)));
    o(f)
}

fn redemptions(g: &mut Gen, locales: &[String], has_membership: bool) -> Json<'static> {
    let count = g.few(6);
    let mut list = Vec::new();
    for i in 0..count {
        let points = g.amount(1, MAX_AMOUNT);
        let kind = g.pick(&["amount_off", "percent_off", "free_shipping", "free_product"]);
        let mut f = vec![("id", st(&format!("r{i}"))), ("name", text(g, locales)), ("kind", st(kind)), ("points", n(points))];
        match kind {
            "amount_off" => {
                f.push(("value", n(g.amount(1, MAX_AMOUNT))));
                // A range: increment = k × points, min and max multiples of it.
                if g.chance(1, 2) {
                    let increment = points.checked_mul(g.int(1, 5)).filter(|&x| x <= MAX_AMOUNT).unwrap_or(points);
                    let low = g.int(1, 4);
                    let high = low + g.amount(0, 50);
                    if let (Some(min), Some(max)) = (increment.checked_mul(low), increment.checked_mul(high)) {
                        if max <= MAX_AMOUNT {
                            f.push(("min_points", n(min)));
                            f.push(("max_points", n(max)));
                            f.push(("increment", n(increment)));
                        }
                    }
                }
            }
            "percent_off" => f.push(("percent", decimal(g, 100, true))),
            "free_product" => {
                f.push(("product_id", st(g.pick(PRODUCTS))));
                f.push(("value", n(g.amount(0, MAX_AMOUNT))));
            }
            _ => {}
        }
        maybe(g, &mut f, "min_cart", |g| n(g.amount(0, MAX_AMOUNT)));
        maybe(g, &mut f, "max_discount", |g| n(g.amount(1, MAX_AMOUNT)));
        maybe(g, &mut f, "members_only", |g| Json::Bool(has_membership && g.chance(1, 2)));
        list.push(o(f));
    }
    Json::Array(list)
}

fn offer(g: &mut Gen, locales: &[String]) -> Json<'static> {
    o(vec![("title", text(g, locales)), ("body", text(g, locales)), ("cta", text(g, locales))])
}

fn popup(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let mut t = Vec::new();
    maybe(g, &mut t, "exit_intent", |g| Json::Bool(g.chance(1, 2)));
    maybe(g, &mut t, "exit_sensitivity_px", |g| n(g.amount(0, 200)));
    maybe(g, &mut t, "delay_seconds", |g| n(g.amount(0, 3600)));
    maybe(g, &mut t, "scroll_percent", |g| n(g.amount(1, 100)));
    maybe(g, &mut t, "mobile_scroll_up", |g| Json::Bool(g.chance(1, 2)));
    maybe(g, &mut t, "mobile_back", |g| Json::Bool(g.chance(1, 2)));
    maybe(g, &mut t, "tab_return", |g| Json::Bool(g.chance(1, 2)));
    maybe(g, &mut t, "idle_seconds", |g| n(g.amount(5, 3600)));
    let mut offers = vec![("default".to_string(), offer(g, locales))];
    for s in SEGMENTS {
        if g.chance(1, 4) {
            offers.push((s.to_string(), offer(g, locales)));
        }
    }
    let mut f = vec![("triggers", o(t)), ("offers", Json::Object(offers.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect()))];
    maybe(g, &mut f, "enabled", |g| Json::Bool(g.chance(3, 4)));
    maybe(g, &mut f, "cooldown_days", |g| n(g.amount(0, 3650)));
    maybe(g, &mut f, "exclude_paths", |g| strings(g, PATTERNS));
    maybe(g, &mut f, "name_field", |g| st(g.pick(&["hidden", "optional", "required"])));
    maybe(g, &mut f, "birthday_field", |g| st(g.pick(&["hidden", "optional", "required"])));
    maybe(g, &mut f, "consents", |g| {
        let count = g.few(3);
        Json::Array(
            (0..count)
                .map(|i| {
                    let mut c = vec![("id", st(&format!("c{i}"))), ("text", text(g, locales))];
                    maybe(g, &mut c, "version", |g| n(g.amount(1, 1_000_000)));
                    maybe(g, &mut c, "required", |g| Json::Bool(g.chance(1, 2)));
                    o(c)
                })
                .collect(),
        )
    });
    maybe(g, &mut f, "high_value_order", |g| n(g.amount(0, MAX_AMOUNT)));
    maybe(g, &mut f, "passive_browser_views", |g| n(g.amount(1, 1000)));
    o(f)
}

fn overrides(g: &mut Gen, locales: &[String]) -> Json<'static> {
    let mut out = Vec::new();
    for l in locales {
        if g.chance(1, 2) {
            let keys = ["join_cta", "earn_title", "<k>"];
            let count = g.few(3);
            let pairs = (0..count).map(|i| (Cow::Owned(keys[i as usize].to_string()), st(g.pick(TEXTS)))).collect();
            out.push((Cow::Owned(l.clone()), Json::Object(pairs)));
        }
    }
    Json::Object(out)
}

/// A valid program with a random selection of every section and option.
fn fresh_program(g: &mut Gen) -> Json<'static> {
    let (store, locales) = store(g);
    let mut f = vec![("version", n(1)), ("store", store), ("earning", earning(g))];
    maybe(g, &mut f, "multipliers", |g| {
        if g.chance(1, 4) {
            o(vec![])
        } else {
            o(vec![("combine", st(g.pick(&["add", "multiply", "highest"])))])
        }
    });
    maybe(g, &mut f, "actions", |g| actions(g, &locales));
    maybe(g, &mut f, "cashback", |g| {
        let mut c = vec![("percent", decimal(g, 100, true))];
        maybe(g, &mut c, "rounding", |g| st(g.pick(ROUNDINGS)));
        o(c)
    });
    maybe(g, &mut f, "tiers", |g| tiers(g, &locales));
    let has_membership = g.chance(1, 2);
    if has_membership {
        f.push(("membership", membership(g, &locales)));
    }
    maybe(g, &mut f, "punch_card", |g| punch_card(g, &locales));
    maybe(g, &mut f, "redemptions", |g| redemptions(g, &locales, has_membership));
    maybe(g, &mut f, "lifecycle", |g| {
        let mut l = Vec::new();
        maybe(g, &mut l, "pending_days", |g| n(g.amount(0, 365)));
        maybe(g, &mut l, "expiry_months_inactive", |g| n(g.amount(1, 120)));
        o(l)
    });
    maybe(g, &mut f, "popup", |g| popup(g, &locales));
    maybe(g, &mut f, "texts", |g| overrides(g, &locales));
    o(f)
}

/// How a program was made: `Fresh` ones must all be valid (tests check it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Fresh,
    /// An example program with some numbers replaced (often still valid).
    TweakedExample,
    /// One node replaced by a random value (usually invalid).
    Mutated,
}

// ------------------------------------------------------------ other inputs

/// An instant as the decoders take it: epoch ms, a date, or a date-time.
fn instant(g: &mut Gen, now: i64) -> Json<'static> {
    let t = match g.below(16) {
        0 => MIN_INSTANT,
        1 => MAX_INSTANT,
        2 => g.int(MIN_INSTANT, MAX_INSTANT),
        _ => {
            let back = g.amount(0, 5 * 366 * 86_400_000);
            (now - back).clamp(MIN_INSTANT, MAX_INSTANT)
        }
    };
    match g.below(3) {
        0 => n(t),
        1 => st(&format_instant(t)[..10]),
        _ => st(&format_instant(t)),
    }
}

fn shopper(g: &mut Gen, ids: &Ids, now: i64) -> Json<'static> {
    let mut f = Vec::new();
    let count = |g: &mut Gen| n(if g.chance(3, 4) { g.amount(0, 10_000) } else { g.amount(0, MAX_AMOUNT) });
    maybe(g, &mut f, "member", |g| Json::Bool(g.chance(1, 2)));
    maybe(g, &mut f, "balance", |g| n(if g.chance(7, 8) { g.amount(0, 100_000) } else { g.amount(-MAX_AMOUNT, MAX_AMOUNT) }));
    maybe(g, &mut f, "pending", count);
    maybe(g, &mut f, "lifetime_orders", |g| n(if g.chance(3, 4) { g.amount(0, 3) } else { g.amount(0, MAX_AMOUNT) }));
    maybe(g, &mut f, "period_spend", count);
    maybe(g, &mut f, "period_points", count);
    maybe(g, &mut f, "period_orders", count);
    maybe(g, &mut f, "tier", |g| {
        let id = if !ids.tiers.is_empty() && g.chance(7, 8) { g.pick_ref(&ids.tiers).clone() } else { "ghost".to_string() };
        o(vec![("id", st(&id)), ("since", instant(g, now))])
    });
    maybe(g, &mut f, "membership", |g| {
        let id = match &ids.membership {
            Some(m) if g.chance(7, 8) => m.clone(),
            _ => "other".to_string(),
        };
        let mut m = vec![("id", st(&id))];
        maybe(g, &mut m, "status", |g| st(g.pick(&["trial", "active", "lapsed"])));
        o(m)
    });
    maybe(g, &mut f, "stamps", |g| n(if g.chance(7, 8) { g.amount(0, 30) } else { g.amount(0, MAX_AMOUNT) }));
    maybe(g, &mut f, "card_started", |g| instant(g, now));
    maybe(g, &mut f, "last_activity", |g| instant(g, now));
    maybe(g, &mut f, "rewarded_actions", |g| {
        let count = g.few(6);
        Json::Array(
            (0..count)
                .map(|_| {
                    let id = if !ids.actions.is_empty() && g.chance(7, 8) { g.pick_ref(&ids.actions).clone() } else { "x".to_string() };
                    o(vec![("id", st(&id)), ("at", instant(g, now))])
                })
                .collect(),
        )
    });
    maybe(g, &mut f, "last_order_value", count);
    o(f)
}

/// A line id or product id: usually text, sometimes a platform's number.
fn id_value(g: &mut Gen, vocab: &[&str]) -> Json<'static> {
    if g.chance(1, 8) {
        n(g.amount(0, 1_000_000))
    } else {
        st(g.pick(vocab))
    }
}

fn line(g: &mut Gen, money_max: i64) -> Json<'static> {
    let mut f = Vec::new();
    maybe(g, &mut f, "id", |g| id_value(g, &["a", "b", "line-1"]));
    maybe(g, &mut f, "product_id", |g| id_value(g, PRODUCTS));
    maybe(g, &mut f, "variant_id", |g| id_value(g, VARIANTS));
    maybe(g, &mut f, "sku", |g| id_value(g, SKUS));
    maybe(g, &mut f, "title", |g| st(g.pick(TEXTS)));
    maybe(g, &mut f, "tags", |g| strings(g, TAGS));
    maybe(g, &mut f, "product_type", |g| id_value(g, TYPES));
    maybe(g, &mut f, "collections", |g| strings(g, COLLECTIONS));
    f.push(("quantity", n(if g.chance(7, 8) { g.amount(0, 5) } else { g.amount(0, 1_000_000) })));
    match g.below(4) {
        0 => f.push(("line_price", n(g.amount(0, money_max)))),
        1 => {
            f.push(("unit_price", n(g.amount(0, money_max))));
            f.push(("line_price", n(g.amount(0, money_max))));
        }
        _ => f.push(("unit_price", n(g.amount(0, money_max)))),
    }
    maybe(g, &mut f, "discount", |g| n(g.amount(0, money_max)));
    maybe(g, &mut f, "gift_card", |g| Json::Bool(g.chance(1, 4)));
    o(f)
}

fn cart(g: &mut Gen, ids: &Ids) -> Json<'static> {
    let money_max = if g.chance(7, 8) { 100_000_000 } else { MAX_AMOUNT };
    let mut f = Vec::new();
    if g.chance(7, 8) {
        f.push(("currency", st(&ids.currency)));
    } else {
        f.push(("currency", st(g.pick(CURRENCIES))));
        if g.chance(3, 4) {
            let rate = if g.chance(1, 16) { st("0") } else { decimal(g, 30_000, true) };
            f.push(("conversion", o(vec![("rate", rate)])));
        }
    }
    let count = if g.chance(15, 16) { g.few(8) } else { g.below(40) };
    f.push(("lines", Json::Array((0..count).map(|_| line(g, money_max)).collect())));
    maybe(g, &mut f, "discount", |g| n(g.amount(0, money_max)));
    maybe(g, &mut f, "shipping", |g| n(g.amount(0, money_max)));
    maybe(g, &mut f, "tax", |g| n(g.amount(0, money_max)));
    o(f)
}

fn signals(g: &mut Gen, ids: &Ids, now: i64) -> Json<'static> {
    let mut f = Vec::new();
    maybe(g, &mut f, "path", |g| st(g.pick(PATHS)));
    maybe(g, &mut f, "pages_viewed", |g| n(g.amount(0, 1_000_000)));
    maybe(g, &mut f, "product_views", |g| n(g.amount(0, 1_000_000)));
    maybe(g, &mut f, "cart", |g| cart(g, ids));
    maybe(g, &mut f, "last_shown", |g| instant(g, now));
    maybe(g, &mut f, "signed_up", |g| Json::Bool(g.chance(1, 4)));
    maybe(g, &mut f, "trigger", |g| st(g.pick(TRIGGERS)));
    o(f)
}

/// One generated set of inputs for every engine operation.
#[derive(Debug, Clone)]
pub struct Case {
    pub program: String,
    pub origin: Origin,
    /// `""` or `"null"` (a guest) or a shopper object.
    pub shopper: String,
    /// Always an object's text: the ops with an optional cart get `None`
    /// separately, so blank text never means "no cart" by accident.
    pub cart: String,
    pub line: String,
    pub signals: String,
    /// Within ±2^53 so the wasm boundary (an f64) carries it exactly.
    pub now: i64,
}

pub fn case(g: &mut Gen) -> Case {
    let now = match g.below(32) {
        0 => g.pick(&[0, -1, 1, MAX_SAFE_NOW, -MAX_SAFE_NOW, MIN_INSTANT, MAX_INSTANT]),
        1 => g.int(-MAX_SAFE_NOW, MAX_SAFE_NOW),
        // 2020-01-01 .. 2031-01-01
        _ => g.int(1_577_836_800_000, 1_924_992_000_000),
    };
    let (mut program, origin) = match g.below(16) {
        0 | 1 => {
            let mut p = Json::parse(g.pick(EXAMPLES)).expect("example program is JSON").into_owned();
            for _ in 0..1 + g.below(3) {
                tweak_number(g, &mut p);
            }
            (p, Origin::TweakedExample)
        }
        2 => {
            let mut p = fresh_program(g);
            mutate(g, &mut p);
            (p, Origin::Mutated)
        }
        _ => (fresh_program(g), Origin::Fresh),
    };
    if origin == Origin::Fresh && g.chance(1, 64) {
        // An example verbatim now and then.
        program = Json::parse(g.pick(EXAMPLES)).expect("example program is JSON").into_owned();
    }
    let ids = Ids::of(&program);
    let mut shopper_json = shopper(g, &ids, now);
    let mut cart_json = cart(g, &ids);
    let mut signals_json = signals(g, &ids, now);
    // Now and then a broken input, to compare the error paths too.
    for v in [&mut shopper_json, &mut cart_json, &mut signals_json] {
        if g.chance(1, 32) {
            mutate(g, v);
        }
    }
    let shopper = match g.below(16) {
        0 => String::new(),
        1 => "null".to_string(),
        _ => shopper_json.to_text(),
    };
    let line_max = if g.chance(7, 8) { 100_000_000 } else { MAX_AMOUNT };
    let line = line(g, line_max).to_text();
    Case { program: program.to_text(), origin, shopper, cart: cart_json.to_text(), line, signals: signals_json.to_text(), now }
}

// ---------------------------------------------------------------- outputs

/// A case's input text by the op table's input name.
fn input_of<'c>(c: &'c Case, name: &str) -> &'c str {
    match name {
        "cart" => &c.cart,
        "line" => &c.line,
        _ => &c.signals,
    }
}

/// Every op call a case makes, in the core's op table order: each op with
/// its input, and an op whose input is optional first without it (the
/// order [`op_names`] names and the digests were computed in).
pub fn op_calls(c: &Case) -> Vec<(&'static str, String)> {
    use rewards_core::{Input, Op};
    let mut out = Vec::new();
    for (_, name, input) in Op::ALL {
        match input {
            Input::Nothing => out.push((*name, String::new())),
            Input::Required(i) => out.push((*name, input_of(c, i).to_string())),
            Input::Optional(i) => {
                out.push((*name, String::new()));
                out.push((*name, input_of(c, i).to_string()));
            }
        }
    }
    out
}

/// The names of [`native_outputs`]' entries: each op call of [`op_calls`]
/// (`tier_progress+cart`: with its optional input).
pub fn op_names() -> Vec<String> {
    use rewards_core::{Input, Op};
    let mut out = Vec::new();
    for (_, name, input) in Op::ALL {
        out.push(name.to_string());
        if let Input::Optional(i) = input {
            out.push(format!("{name}+{i}"));
        }
    }
    out
}

/// Every op's output text from the native engine, in [`op_names`] order; an
/// invalid program gives one output, the error of `Engine::new`. (Native
/// only: validating a config needs the `schema` feature.)
#[cfg(not(target_arch = "wasm32"))]
pub fn native_outputs(c: &Case) -> Vec<String> {
    use rewards_core::{respond, Engine};
    let e = match Engine::new(&c.program) {
        Ok(e) => e,
        Err(err) => return vec![err.to_json().to_text()],
    };
    op_calls(c).iter().map(|(op, input)| respond(e.run_named(op, &c.shopper, input, c.now))).collect()
}

/// The case's program as the browser gets it (`Program::to_wire` of the
/// validated program); `None` when the program is invalid (it is never
/// published). Native only, as [`native_outputs`].
#[cfg(not(target_arch = "wasm32"))]
pub fn published(c: &Case) -> Option<Vec<u8>> {
    rewards_core::Engine::new(&c.program).ok().map(|e| e.program.to_wire())
}

/// FNV-1a, 64 bit: the same on every target, enough to tell outputs apart.
pub fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

pub const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;

/// One digest of a case's outputs (each followed by a 0xFF separator, a
/// byte UTF-8 text never contains, so boundaries count too).
pub fn digest(outputs: &[String]) -> u64 {
    outputs.iter().fold(FNV_OFFSET, |h, out| fnv1a(fnv1a(h, out.as_bytes()), &[0xFF]))
}

/// The differential run's cases: case `i` comes from seed `base + i`, so
/// any one case can be regenerated alone.
pub fn differential_case(base_seed: u64, i: u64) -> Case {
    case(&mut Gen::seeded(base_seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))))
}
