//! Property tests of the core (proptest).
//!
//! - No input makes any `Engine` operation panic, and every output is JSON
//!   (a value, or an error of the documented shape).
//! - Purchase points never decrease when qualifying spend grows.
//! - Adding an exclusion never adds points or cashback.
//! - Tier progress is a fraction within 0..=1.
//! - A preview adds up exactly as `src/preview.rs` documents: base points =
//!   Σ line points (exact texts), multiplier = the documented combination,
//!   earned = rounding(base × multiplier), then minimum order and cap.
//!
//! Case counts are modest so the whole suite stays fast; raise them with
//! `PROPTEST_CASES=…` when hunting.

use proptest::prelude::*;
use proptest::sample::select;
use rewards_core::{respond, Engine, Json};

// ---------------------------------------------------------------- JSON values

/// A JSON value owned by the tests (written to text for the engine).
#[derive(Debug, Clone, PartialEq)]
enum V {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
}

impl V {
    fn text(&self) -> String {
        match self {
            V::Null => "null".into(),
            V::Bool(b) => b.to_string(),
            V::Num(n) => n.clone(),
            V::Str(s) => quote(s),
            V::Arr(a) => format!("[{}]", a.iter().map(V::text).collect::<Vec<_>>().join(",")),
            V::Obj(o) => format!("{{{}}}", o.iter().map(|(k, v)| format!("{}:{}", quote(k), v.text())).collect::<Vec<_>>().join(",")),
        }
    }

    fn from_json(j: &Json<'_>) -> V {
        match j {
            Json::Null => V::Null,
            Json::Bool(b) => V::Bool(*b),
            Json::Number(n) => V::Num(n.to_string()),
            Json::String(s) => V::Str(s.to_string()),
            Json::Array(a) => V::Arr(a.iter().map(V::from_json).collect()),
            Json::Object(o) => V::Obj(o.iter().map(|(k, v)| (k.to_string(), V::from_json(v))).collect()),
            Json::Written(t) => panic!("the parser never makes a Written value: {t}"),
        }
    }

    fn nodes(&self) -> usize {
        1 + match self {
            V::Arr(a) => a.iter().map(V::nodes).sum(),
            V::Obj(o) => o.iter().map(|(_, v)| v.nodes()).sum(),
            _ => 0,
        }
    }

    /// A copy with the `target`-th node (pre-order) replaced; `None`
    /// replacing an object member removes it.
    fn replace(&self, target: usize, with: &Option<V>) -> V {
        fn go(v: &V, n: &mut usize, target: usize, with: &Option<V>) -> Option<V> {
            let here = *n;
            *n += 1;
            if here == target {
                return with.clone();
            }
            Some(match v {
                V::Arr(a) => V::Arr(a.iter().filter_map(|x| go(x, n, target, with).or(Some(V::Null))).collect()),
                V::Obj(o) => V::Obj(o.iter().filter_map(|(k, x)| go(x, n, target, with).map(|x| (k.clone(), x))).collect()),
                other => other.clone(),
            })
        }
        go(self, &mut 0, target, with).unwrap_or(V::Null)
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn obj(fields: Vec<(&str, V)>) -> V {
    V::Obj(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}
fn num(n: i64) -> V {
    V::Num(n.to_string())
}
fn st(s: &str) -> V {
    V::Str(s.to_string())
}

/// Every field name the engine reads, so random objects reach deep decoders.
const KEYS: &str = "version store name currency default_locale locales earning points_per_step step rounding \
     minimum_order max_points_per_order exclude product_ids variant_ids skus tags product_types \
     collections multipliers combine actions kind id points limit every_days url cashback percent tiers \
     metric period retention levels threshold multiplier perks membership fee billing trial_days \
     punch_card stamps_required eligible per max_stamps_per_order minimum_line_amount reward description \
     value product_id carry_over expiry_days redemptions min_points max_points increment min_cart \
     max_discount members_only lifecycle pending_days expiry_months_inactive popup enabled triggers \
     exit_intent delay_seconds scroll_percent cooldown_days exclude_paths consents text offers default \
     title body cta texts member balance pending lifetime_orders period_spend period_points \
     period_orders tier since status stamps card_started rewarded_actions at last_order_value conversion \
     rate lines discount shipping tax variant_id sku product_type quantity unit_price line_price \
     gift_card path pages_viewed product_views cart last_shown signed_up trigger";
/// Strings the decoders give meaning to (codes, enum names, instants, edge cases), separated by `|`.
const WORDS: &str = "VND|USD|KWD|JPY|usd|en|vi|vi-VN|floor|half_up|ceil|add|multiply|highest|signup|first_order|birthday|\
     once|yearly|spend|points|orders|lifetime|calendar_year|rolling_12_months|drop|trial|active|lapsed|\
     item|order|amount_off|percent_off|free_shipping|2026-11-22|2026-11-22T10:00:00Z|\
     9999-12-31T23:59:59.999Z|2026-02-30|1.25|2.5|0|-1|1e3|18446744073.709551617|exit_intent|manual|\
     cart_abandoner|default|/checkout|| ";
/// Number texts at the edges of what the decoders accept.
const NUMS: &str = "0 1 -1 1.5 1e3 1E-3 -0 0.000000001 0.0000000001 99999999999999999999 1e400 1e-400 \
     9223372036854775807 -9223372036854775808 1000000000000000 1000000000000001 123456789.123456789";

fn keys() -> Vec<&'static str> {
    KEYS.split_whitespace().collect()
}

fn leaf() -> impl Strategy<Value = V> {
    prop_oneof![
        Just(V::Null),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(num),
        (-10i64..200_000).prop_map(num),
        select(NUMS.split_whitespace().collect::<Vec<_>>()).prop_map(|n| V::Num(n.into())),
        select(WORDS.split('|').collect::<Vec<_>>()).prop_map(st),
        "\\PC{0,12}".prop_map(V::Str),
    ]
}

fn value() -> impl Strategy<Value = V> {
    leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(V::Arr),
            prop::collection::vec((select(keys()), inner), 0..8).prop_map(|fields| {
                let mut seen = Vec::new();
                V::Obj(
                    fields
                        .into_iter()
                        .filter(|(k, _)| {
                            let new = !seen.contains(k);
                            seen.push(*k);
                            new
                        })
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}

const PROGRAMS: &[&str] = &[
    include_str!("fixtures/programs/vn-coffee.json"),
    include_str!("fixtures/programs/us-apparel.json"),
    include_str!("fixtures/programs/kw-oud.json"),
];

/// A valid example program with one node replaced or removed.
fn mutated_program() -> impl Strategy<Value = String> {
    (0..PROGRAMS.len(), any::<prop::sample::Index>(), prop::option::weighted(0.8, value())).prop_map(|(p, at, with)| {
        let v = V::from_json(&Json::parse(PROGRAMS[p]).expect("example program"));
        v.replace(at.index(v.nodes()), &with).text()
    })
}

/// Checks that an operation's output is JSON and, for errors, has the
/// documented shape.
fn check_output(out: String) -> Result<(), TestCaseError> {
    let j = Json::parse(&out).map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {out}")))?;
    if let Some(kind) = j.get("error") {
        let kind = V::from_json(kind);
        prop_assert!(kind == st("invalid") || kind == st("overflow"), "error kind {:?}", kind);
        prop_assert!(matches!(j.get("message"), Some(Json::String(_))), "error without message: {}", out);
        if kind == st("invalid") {
            prop_assert!(matches!(j.get("issues"), Some(Json::Array(a)) if !a.is_empty()), "invalid without issues: {}", out);
        }
    }
    Ok(())
}

fn run_every_op(e: &Engine, inputs: &[String; 4], now: i64) -> Result<(), TestCaseError> {
    let [shopper, cart, line, signals] = inputs;
    for out in [
        e.preview(shopper, cart, now),
        e.product_points(shopper, line, now),
        e.tier_progress(shopper, Some(cart), now),
        e.tier_progress(shopper, None, now),
        e.punch_card(shopper, Some(cart), now),
        e.punch_card(shopper, None, now),
        e.redemptions(shopper, cart, now),
        e.quote(shopper, cart, now),
        e.explainer(shopper, now),
        e.popup_decision(shopper, signals, now),
        e.actions(shopper, now),
    ] {
        check_output(respond(out))?;
    }
    Json::parse(&e.public_config().to_text()).map_err(|m| TestCaseError::fail(format!("public_config: {m}")))?;
    Ok(())
}

fn any_now() -> impl Strategy<Value = i64> {
    prop_oneof![any::<i64>(), 1_577_836_800_000i64..1_830_297_600_000]
}

// ------------------------------------------------------- structured inputs

#[derive(Debug, Clone)]
struct Rules {
    currency: &'static str,
    pps: i64,
    step: i64,
    rounding: &'static str,
    minimum: i64,
    max: Option<i64>,
    combine: &'static str,
    tier_multiplier: Option<&'static str>,
    member_multiplier: Option<&'static str>,
    first_order: Option<i64>,
    cashback: Option<(&'static str, &'static str)>,
    exclude: Vec<(&'static str, &'static str)>,
}

const MULTS: &[&str] = &["1", "1.25", "1.5", "2", "0.5", "2.125", "0.333333333"];
const SELECTORS: &[(&str, &str)] = &[
    ("product_ids", "p1"),
    ("product_ids", "p2"),
    ("variant_ids", "v1"),
    ("skus", "s1"),
    ("tags", "t1"),
    ("tags", "t2"),
    ("product_types", "T1"),
    ("collections", "c1"),
];

fn rules() -> impl Strategy<Value = Rules> {
    (
        (
            select(&["VND", "USD", "KWD"][..]),
            1i64..20,
            select(&[1i64, 7, 100, 1000, 10_000][..]),
            select(&["floor", "half_up", "ceil"][..]),
        ),
        (0i64..3000, prop::option::of(1i64..5000), select(&["add", "multiply", "highest"][..])),
        (prop::option::of(select(MULTS)), prop::option::of(select(MULTS)), prop::option::of(1i64..500)),
        (
            prop::option::of((select(&["1", "2.5", "0.3", "12.345"][..]), select(&["floor", "half_up", "ceil"][..]))),
            prop::collection::vec(select(SELECTORS), 0..3),
        ),
    )
        .prop_map(|((currency, pps, step, rounding), (minimum, max, combine), (tm, mm, fo), (cashback, exclude))| Rules {
            currency,
            pps,
            step,
            rounding,
            minimum,
            max,
            combine,
            tier_multiplier: tm,
            member_multiplier: mm,
            first_order: fo,
            cashback,
            exclude,
        })
}

impl Rules {
    fn program(&self) -> String {
        let mut exclude: Vec<(&str, V)> = Vec::new();
        for (k, v) in &self.exclude {
            match exclude.iter_mut().find(|(x, _)| x == k) {
                Some((_, V::Arr(list))) => list.push(st(v)),
                _ => exclude.push((k, V::Arr(vec![st(v)]))),
            }
        }
        let mut earning = vec![
            ("points_per_step", num(self.pps)),
            ("step", num(self.step)),
            ("rounding", st(self.rounding)),
            ("minimum_order", num(self.minimum)),
            ("exclude", obj(exclude)),
        ];
        if let Some(m) = self.max {
            earning.push(("max_points_per_order", num(m)));
        }
        let mut p = vec![
            ("version", num(1)),
            ("store", obj(vec![("name", st("S")), ("currency", st(self.currency)), ("default_locale", st("en"))])),
            ("earning", obj(earning)),
            ("multipliers", obj(vec![("combine", st(self.combine))])),
        ];
        if let Some(t) = self.tier_multiplier {
            let level = |id: &str, threshold: i64, m: &str| {
                obj(vec![("id", st(id)), ("name", st(id)), ("threshold", num(threshold)), ("multiplier", st(m))])
            };
            let levels = V::Arr(vec![level("base", 0, "1"), level("vip", 50_000, t)]);
            p.push(("tiers", obj(vec![("metric", st("spend")), ("levels", levels)])));
        }
        if let Some(m) = self.member_multiplier {
            p.push((
                "membership",
                obj(vec![("id", st("club")), ("name", st("Club")), ("fee", num(100)), ("billing", st("yearly")), ("multiplier", st(m))]),
            ));
        }
        if let Some(points) = self.first_order {
            p.push(("actions", V::Arr(vec![obj(vec![("kind", st("first_order")), ("points", num(points))])])));
        }
        if let Some((percent, rounding)) = self.cashback {
            p.push(("cashback", obj(vec![("percent", st(percent)), ("rounding", st(rounding))])));
        }
        obj(p).text()
    }
}

#[derive(Debug, Clone)]
struct LineSpec {
    quantity: i64,
    unit_price: i64,
    discount_permille: i64,
    attrs: Vec<(&'static str, &'static str)>,
    gift_card: bool,
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (0i64..4, 0i64..200_000, 0i64..1000, prop::collection::vec(select(SELECTORS), 0..3), prop::bool::weighted(0.05)).prop_map(
        |(quantity, unit_price, discount_permille, attrs, gift_card)| LineSpec {
            quantity,
            unit_price,
            discount_permille,
            attrs,
            gift_card,
        },
    )
}

fn cart_text(currency: &str, lines: &[LineSpec], order_discount: i64) -> String {
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let price = l.quantity * l.unit_price;
            let mut f = vec![
                ("id", st(&format!("l{i}"))),
                ("quantity", num(l.quantity)),
                ("unit_price", num(l.unit_price)),
                ("discount", num(price * l.discount_permille / 1000)),
                ("gift_card", V::Bool(l.gift_card)),
            ];
            let mut tags = Vec::new();
            let mut collections = Vec::new();
            for (k, v) in &l.attrs {
                match *k {
                    "product_ids" => f.push(("product_id", st(v))),
                    "variant_ids" => f.push(("variant_id", st(v))),
                    "skus" => f.push(("sku", st(v))),
                    "product_types" => f.push(("product_type", st(v))),
                    "tags" => tags.push(st(v)),
                    _ => collections.push(st(v)),
                }
            }
            // Later duplicates of a single-valued attribute would repeat a key.
            let mut seen: Vec<&str> = Vec::new();
            f.retain(|(k, _)| {
                let new = !seen.contains(k);
                seen.push(k);
                new
            });
            f.push(("tags", V::Arr(tags)));
            f.push(("collections", V::Arr(collections)));
            obj(f)
        })
        .collect();
    obj(vec![("currency", st(currency)), ("discount", num(order_discount)), ("shipping", num(999)), ("lines", V::Arr(lines))]).text()
}

fn shopper_text(period_spend: i64, lifetime_orders: i64, membership: Option<&str>) -> String {
    let mut f = vec![("period_spend", num(period_spend)), ("lifetime_orders", num(lifetime_orders))];
    if let Some(status) = membership {
        f.push(("membership", obj(vec![("id", st("club")), ("status", st(status))])));
    }
    obj(f).text()
}

fn shopper() -> impl Strategy<Value = String> {
    (0i64..100_000, 0i64..3, prop::option::of(select(&["trial", "active", "lapsed"][..])))
        .prop_map(|(spend, orders, m)| shopper_text(spend, orders, m))
}

const NOW: i64 = 1_795_345_200_000; // 2026-11-22T10:00:00Z

fn preview(e: &Engine, shopper: &str, cart: &str) -> Result<Json<'static>, TestCaseError> {
    e.preview(shopper, cart, NOW)
        .map(|text| rewards_core::json::tree(&text))
        .map_err(|err| TestCaseError::fail(format!("preview failed: {err}")))
}

fn int_of(j: &Json<'_>, key: &str) -> i128 {
    match j.get(key) {
        Some(Json::Number(n)) => n.parse().unwrap_or_else(|_| panic!("{key} = {n} is not an integer")),
        other => panic!("{key} is not a number: {other:?}"),
    }
}

fn text_of<'j>(j: &'j Json<'_>, key: &str) -> &'j str {
    match j.get(key) {
        Some(Json::String(s)) => s,
        other => panic!("{key} is not a string: {other:?}"),
    }
}

// ------------------------------------------------------------ exact fractions

/// An exact fraction for checking the engine's exact texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Q(i128, i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

impl Q {
    fn new(n: i128, d: i128) -> Q {
        let g = gcd(n, d);
        Q(n / g, d / g)
    }
    /// `12`, `-0.125` or `41/3`, as the engine writes exact values.
    fn parse(t: &str) -> Q {
        if let Some((n, d)) = t.split_once('/') {
            return Q::new(n.parse().expect("numerator"), d.parse().expect("denominator"));
        }
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let den = 10i128.pow(frac.len() as u32);
        let neg = int.starts_with('-');
        let mag = int.trim_start_matches('-').parse::<i128>().expect("integer part") * den + frac.parse::<i128>().unwrap_or(0);
        Q::new(if neg { -mag } else { mag }, den)
    }
    fn add(self, o: Q) -> Q {
        Q::new(self.0 * o.1 + o.0 * self.1, self.1 * o.1)
    }
    fn sub(self, o: Q) -> Q {
        self.add(Q(-o.0, o.1))
    }
    fn mul(self, o: Q) -> Q {
        Q::new(self.0 * o.0, self.1 * o.1)
    }
    fn max(self, o: Q) -> Q {
        if self.0 * o.1 >= o.0 * self.1 {
            self
        } else {
            o
        }
    }
    /// The documented modes: floor, half_up (halves away from zero), ceil.
    fn round(self, mode: &str) -> i128 {
        match mode {
            "floor" => self.0.div_euclid(self.1),
            "ceil" => -(-self.0).div_euclid(self.1),
            _ if self.0 >= 0 => (2 * self.0 + self.1).div_euclid(2 * self.1),
            _ => -((-2 * self.0 + self.1).div_euclid(2 * self.1)),
        }
    }
}

// ------------------------------------------------------------------- properties

/// `PROPTEST_CASES` when set, otherwise the modest default given.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    /// Arbitrary JSON-ish programs, shoppers, carts, lines and signals, and
    /// any `now`: never a panic, always JSON out.
    #[test]
    fn no_input_panics(program in prop_oneof![mutated_program(), value().prop_map(|v| v.text()), "\\PC{0,40}"],
                       shopper in prop_oneof![value().prop_map(|v| v.text()), shopper(), Just(String::new())],
                       cart in prop_oneof![value().prop_map(|v| v.text()), "\\PC{0,20}"],
                       line in value().prop_map(|v| v.text()),
                       signals in value().prop_map(|v| v.text()),
                       now in any_now()) {
        match Engine::new(&program) {
            Ok(e) => run_every_op(&e, &[shopper, cart, line, signals], now)?,
            Err(err) => check_output(err.to_json().to_text())?,
        }
    }

    /// The example programs with well-formed but random shoppers and carts
    /// in each currency: every op answers with JSON, never a panic.
    #[test]
    fn example_programs_answer_every_op(p in 0..PROGRAMS.len(), shopper in shopper(),
                                        lines in prop::collection::vec(line_spec(), 0..5), discount in 0i64..100_000,
                                        signals in value().prop_map(|v| v.text()), now in any_now()) {
        let e = Engine::new(PROGRAMS[p]).expect("example program");
        let cart = cart_text(e.program.currency().code(), &lines, discount);
        let line = cart_text(e.program.currency().code(), &lines[..lines.len().min(1)], 0);
        run_every_op(&e, &[shopper, cart, line, signals], now)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Earned points are a non-decreasing function of qualifying spend for
    /// a fixed program and shopper: growing a line's price never lowers them.
    #[test]
    fn points_never_decrease_when_qualifying_spend_grows(r in rules(), shopper in shopper(),
                                                         lines in prop::collection::vec(line_spec(), 1..5),
                                                         which in any::<prop::sample::Index>(), more in 1i64..100_000,
                                                         discount in prop_oneof![Just(0i64), 0i64..100_000]) {
        let e = Engine::new(&r.program()).expect("generated program");
        let i = which.index(lines.len());
        let mut grown = lines.clone();
        grown[i].unit_price += more;
        if grown[i].quantity == 0 {
            grown[i].quantity = 1;
        }
        let a = preview(&e, &shopper, &cart_text(r.currency, &lines, discount))?;
        let b = preview(&e, &shopper, &cart_text(r.currency, &grown, discount))?;
        let (qa, qb) = (int_of(&a, "qualifying_total"), int_of(&b, "qualifying_total"));
        let (ea, eb) = (int_of(&a, "earned_points"), int_of(&b, "earned_points"));
        if discount == 0 {
            prop_assert!(qb >= qa, "qualifying spend fell from {} to {} without an order discount", qa, qb);
        }
        if qb >= qa {
            prop_assert!(eb >= ea, "qualifying {} → {} but earned {} → {}", qa, qb, ea, eb);
            prop_assert!(int_of(&b, "total_points") >= int_of(&a, "total_points"));
        } else {
            prop_assert!(eb <= ea, "qualifying {} → {} but earned {} → {}", qa, qb, ea, eb);
        }
    }

    /// Excluding more products never adds points, cashback or qualifying spend.
    #[test]
    fn an_exclusion_never_adds_points(r in rules(), extra in select(SELECTORS), shopper in shopper(),
                                      lines in prop::collection::vec(line_spec(), 0..5), discount in 0i64..100_000) {
        let mut stricter = r.clone();
        stricter.exclude.push(extra);
        let cart = cart_text(r.currency, &lines, discount);
        let a = preview(&Engine::new(&r.program()).expect("program"), &shopper, &cart)?;
        let b = preview(&Engine::new(&stricter.program()).expect("program"), &shopper, &cart)?;
        for key in ["qualifying_total", "earned_points", "total_points", "cashback"] {
            prop_assert!(int_of(&b, key) <= int_of(&a, key), "{} rose from {} to {} after excluding {:?}",
                         key, int_of(&a, key), int_of(&b, key), extra);
        }
    }

    /// A preview adds up exactly as documented in src/preview.rs.
    #[test]
    fn preview_adds_up_as_documented(r in rules(), shopper in shopper(),
                                     lines in prop::collection::vec(line_spec(), 0..6), discount in 0i64..100_000) {
        let p = preview(&Engine::new(&r.program()).expect("program"), &shopper, &cart_text(r.currency, &lines, discount))?;
        let Some(Json::Array(out_lines)) = p.get("lines") else { return Err(TestCaseError::fail("no lines")) };
        let rate = Q::new(r.pps as i128, r.step as i128);
        let mut sum = Q(0, 1);
        let mut qualifying = 0i128;
        for l in out_lines {
            let q = int_of(l, "qualifying");
            let points = Q::parse(text_of(l, "points"));
            prop_assert_eq!(points, Q::new(q, 1).mul(rate), "line points = qualifying × rate");
            prop_assert!(q == 0 || l.get("excluded") == Some(&Json::Null), "an excluded line qualifies");
            sum = sum.add(points);
            qualifying += q;
        }
        prop_assert_eq!(qualifying, int_of(&p, "qualifying_total"));
        let base = Q::parse(text_of(&p, "base_points"));
        prop_assert_eq!(base, sum, "base points = Σ line points");

        // Step 3: the combined multiplier, as documented for each mode.
        let Some(Json::Array(parts)) = p.get("multipliers") else { return Err(TestCaseError::fail("no multipliers")) };
        let values: Vec<Q> = parts.iter().map(|m| Q::parse(text_of(m, "value"))).collect();
        let mut combined = values.first().copied().unwrap_or(Q(1, 1));
        if let Some(&m) = values.get(1) {
            combined = match r.combine {
                "add" => combined.add(m).sub(Q(1, 1)),
                "multiply" => combined.mul(m),
                _ => combined.max(m),
            };
        }
        if combined.0 < 0 {
            combined = Q(0, 1);
        }
        prop_assert_eq!(Q::parse(text_of(&p, "multiplier")), combined);
        let exact = base.mul(combined);
        prop_assert_eq!(Q::parse(text_of(&p, "points_before_rounding")), exact);

        // Steps 4–5: one rounding, then the minimum order and the cap.
        let met = qualifying >= r.minimum as i128;
        prop_assert_eq!(p.get("minimum_order_met"), Some(&Json::Bool(met)));
        let rounded = if met { exact.round(r.rounding) } else { 0 };
        let earned = r.max.map_or(rounded, |m| rounded.min(m as i128));
        prop_assert_eq!(int_of(&p, "earned_points"), earned);
        prop_assert_eq!(p.get("capped"), Some(&Json::Bool(earned < rounded)));
        let Some(Json::Array(bonuses)) = p.get("bonuses") else { return Err(TestCaseError::fail("no bonuses")) };
        let bonus: i128 = bonuses.iter().map(|b| int_of(b, "points")).sum();
        prop_assert_eq!(int_of(&p, "total_points"), earned + bonus);

        // Step 6: cashback = Σ qualifying × percent / 100, rounded once.
        let cashback = r.cashback.map_or(0, |(pct, mode)| Q::new(qualifying, 1).mul(Q::parse(pct)).mul(Q(1, 100)).round(mode));
        prop_assert_eq!(int_of(&p, "cashback"), cashback);
    }

    /// Tier progress is an exact fraction within 0..=1, consistent with the
    /// permille, the amount needed and the tier after the cart.
    #[test]
    fn tier_progress_is_a_fraction_within_zero_and_one(
        metric in select(&["spend", "points", "orders"][..]), period in select(&["lifetime", "calendar_year", "rolling_12_months"][..]),
        retention in select(&["requalify", "drop"][..]), first in prop_oneof![Just(0i64), 0i64..5000],
        gaps in prop::collection::vec(1i64..50_000, 0..4), value in 0i64..120_000,
        held in prop::option::of((0usize..6, 1_577_836_800_000i64..1_830_297_600_000)),
        lines in prop::option::of(prop::collection::vec(line_spec(), 0..3)), now in 1_577_836_800_000i64..1_830_297_600_000) {
        let mut thresholds = vec![first];
        for g in gaps {
            thresholds.push(thresholds.last().copied().unwrap_or(0) + g);
        }
        let levels = V::Arr(thresholds.iter().enumerate().map(|(i, t)| {
            obj(vec![("id", st(&format!("t{i}"))), ("name", st("T")), ("threshold", num(*t)), ("multiplier", st("1.5"))])
        }).collect());
        let program = obj(vec![
            ("version", num(1)),
            ("store", obj(vec![("name", st("S")), ("currency", st("USD")), ("default_locale", st("en"))])),
            ("earning", obj(vec![("points_per_step", num(1)), ("step", num(100))])),
            ("tiers", obj(vec![("metric", st(metric)), ("period", st(period)), ("retention", st(retention)), ("levels", levels)])),
        ]).text();
        let e = Engine::new(&program).expect("generated tiers");
        let mut s = vec![("period_spend", num(value)), ("period_points", num(value)), ("period_orders", num(value / 1000))];
        if let Some((i, since)) = held {
            s.push(("tier", obj(vec![("id", st(&format!("t{i}"))), ("since", num(since))])));
        }
        let cart = lines.map(|l| cart_text("USD", &l, 0));
        let t = e.tier_progress(&obj(s).text(), cart.as_deref(), now).map_err(|err| TestCaseError::fail(err.to_string()))?;
        let t = rewards_core::json::tree(&t);
        let f = Q::parse(text_of(&t, "progress"));
        prop_assert!(f.0 >= 0 && f.0 <= f.1, "progress {:?} outside 0..=1", text_of(&t, "progress"));
        prop_assert_eq!(int_of(&t, "progress_permille"), (f.0 * 1000).div_euclid(f.1));
        prop_assert!(int_of(&t, "needed") >= 0);
        prop_assert!(int_of(&t, "value_after") >= int_of(&t, "value"));
        let index = |k: &str| match t.get(k) {
            Some(Json::String(id)) => Some(id[1..].parse::<usize>().expect("tier index")),
            _ => None,
        };
        prop_assert!(index("tier_after") >= index("current"), "the tier after a cart is never lower");
        if index("next").is_none() {
            prop_assert_eq!(text_of(&t, "progress"), "1");
            prop_assert_eq!(int_of(&t, "needed"), 0);
        }
    }
}
