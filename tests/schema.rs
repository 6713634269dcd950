//! The JSON Schema (`docs/program.schema.json`, generated from
//! `src/schema.rs`) against the decoder (`src/config/decode.rs`).
//!
//! The schema's types and the decoder are written separately, so these
//! tests hold them together: the committed file is current; the example
//! programs are valid; a maximal program uses every documented field and the
//! decoder accepts it; removing or nulling each field, every default, every
//! integer bound, every enum and every decimal get the same verdict from
//! both; and the decoder reads no field the schema lacks.
#![cfg(feature = "schema")]

use rewards_core::config::{ActionKind, Limit, Segment};
use rewards_core::schema::{known_currencies, program_schema_json};
use rewards_core::{Error, Issue, Program};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const REGENERATE: &str = "UPDATE_SCHEMA=1 cargo test --features schema --test schema";

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

fn schema() -> Value {
    serde_json::from_str(&program_schema_json()).expect("the generated schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the generated schema compiles")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/programs/{name}", root())).expect("fixture exists")
}

/// The decoder's verdict: `Ok` or every issue it reported.
fn decode(v: &Value) -> Result<Program, Vec<Issue>> {
    match Program::parse(&v.to_string()) {
        Ok(p) => Ok(p),
        Err(Error::Invalid(issues)) => Err(issues),
        Err(e) => panic!("decoder returned {e}"),
    }
}

fn issues_at(v: &Value, path: &str) -> Vec<String> {
    decode(v).err().unwrap_or_default().into_iter().filter(|i| i.path == path).map(|i| i.message).collect()
}

#[test]
fn committed_schema_is_current() {
    let generated = program_schema_json();
    let file = format!("{}/docs/program.schema.json", root());
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&file, &generated).expect("write docs/program.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed != generated {
        let line = committed.lines().zip(generated.lines()).position(|(a, b)| a != b).map_or_else(
            || format!("lengths differ ({} vs {} lines)", committed.lines().count(), generated.lines().count()),
            |n| format!("first difference at line {}", n + 1),
        );
        panic!("docs/program.schema.json differs from the schema src/schema.rs generates ({line}).\nRegenerate it with: {REGENERATE}");
    }
}

#[test]
fn example_programs_are_valid() {
    let v = validator();
    for name in ["vn-coffee.json", "us-apparel.json"] {
        let text = fixture(name);
        let doc: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path)).collect();
        assert!(errors.is_empty(), "{name} is invalid against the schema:\n{}", errors.join("\n"));
        assert!(Program::parse(&text).is_ok(), "{name}: {:?}", Program::parse(&text).err());
    }
}

/// Every field the schema documents, each object kind at least once.
/// Texts only for the default locale, ids unlike their kinds and redemption
/// ranges on `points` steps, so removing any optional field breaks no
/// cross-field rule.
fn maximal() -> Value {
    let offer = json!({ "title": "Get {points} points", "body": { "en": "Join and get {points} points.", "vi": "Nhận {points} điểm." }, "cta": "Join" });
    let mut offers = json!({ "default": offer });
    for (name, _) in Segment::ALL {
        offers[*name] = offer.clone();
    }
    json!({
        "$schema": "../docs/program.schema.json",
        "version": 1,
        "store": { "name": "Maximal Store", "currency": "USD", "default_locale": "en", "locales": ["en", "vi"] },
        "earning": {
            "points_per_step": 5, "step": 100, "rounding": "half_up", "minimum_order": 1000, "max_points_per_order": 10000,
            "exclude": { "product_ids": ["p1"], "variant_ids": ["v1"], "skus": ["SKU-1"], "tags": ["gift-card"], "product_types": ["Gift card"], "collections": ["clearance"] }
        },
        "multipliers": { "combine": "multiply" },
        "actions": [
            { "kind": "signup", "id": "join", "points": 200, "limit": "once", "name": "Create an account" },
            { "kind": "birthday", "id": "bday", "points": 250, "limit": "yearly", "name": { "en": "Birthday", "vi": "Sinh nhật" } },
            { "kind": "newsletter", "id": "news", "points": 50 },
            { "kind": "social_follow", "id": "follow", "points": 25, "url": "https://instagram.com/maximal" },
            { "kind": "social_share", "id": "share", "points": 5, "limit": { "every_days": 7 } },
            { "kind": "referral_referrer", "id": "refer", "points": 500, "limit": "unlimited" },
            { "kind": "referral_friend", "id": "referred", "points": 250 },
            { "kind": "product_review", "id": "review", "points": 50 },
            { "kind": "first_order", "id": "first", "points": 100 }
        ],
        "cashback": { "percent": "2.5", "rounding": "ceil" },
        "tiers": {
            "metric": "spend", "period": "calendar_year", "retention": "drop",
            "levels": [
                { "id": "bronze", "name": "Bronze", "threshold": 0, "multiplier": "1", "perks": ["5 points per $1"] },
                { "id": "silver", "name": { "en": "Silver" }, "threshold": 10000, "multiplier": 1.25, "perks": [] }
            ]
        },
        "membership": { "id": "plus", "name": "Plus", "fee": 4900, "billing": "yearly", "trial_days": 30, "multiplier": "1.2", "perks": ["Free returns"] },
        "punch_card": {
            "name": "Sock club", "stamps_required": 6, "eligible": { "product_types": ["Socks"] }, "per": "item",
            "max_stamps_per_order": 3, "minimum_line_amount": 500,
            "reward": { "description": "Free socks", "value": 1800, "product_id": "sock" }, "carry_over": false, "expiry_days": 180
        },
        "redemptions": [
            { "id": "dollars", "kind": "amount_off", "name": "Dollars off", "points": 100, "value": 100, "min_points": 200,
              "max_points": 1000, "increment": 100, "min_cart": 2000, "max_discount": 5000, "members_only": false },
            { "id": "pct", "kind": "percent_off", "name": "10% off", "points": 1000, "percent": "10", "min_cart": 1, "max_discount": 2000, "members_only": false },
            { "id": "ship", "kind": "free_shipping", "name": "Free shipping", "points": 400, "min_cart": 0, "max_discount": 1500, "members_only": false },
            { "id": "socks", "kind": "free_product", "name": "Free socks", "points": 1200, "product_id": "sock", "value": 1800,
              "min_cart": 5000, "max_discount": 1800, "members_only": true }
        ],
        "lifecycle": { "pending_days": 30, "expiry_months_inactive": 18 },
        "popup": {
            "enabled": true,
            "triggers": { "exit_intent": true, "exit_sensitivity_px": 20, "delay_seconds": 45, "scroll_percent": 60,
                          "mobile_scroll_up": true, "mobile_back": true, "tab_return": true, "idle_seconds": 60 },
            "cooldown_days": 14, "exclude_paths": ["/checkout*"], "name_field": "required", "birthday_field": "optional",
            "consents": [{ "id": "marketing", "version": 2, "text": "Email me offers.", "required": false }],
            "offers": offers,
            "high_value_order": 15000, "passive_browser_views": 4
        },
        "texts": { "en": { "launcher": "Rewards" } }
    })
}

// ---------------------------------------------------------------------------
// Walking the schema and an instance together
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// One instance value and the schema node (a JSON pointer) describing it.
#[derive(Clone, Debug)]
struct Visit {
    path: Vec<Seg>,
    pointer: String,
}

/// The decoder's way of writing a path: `redemptions[0].min_points`.
fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k)
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

struct Walker {
    schema: Value,
    visits: Vec<Visit>,
}

impl Walker {
    fn new(instance: &Value) -> Walker {
        let mut w = Walker { schema: schema(), visits: Vec::new() };
        w.visit("", instance, &[]);
        w
    }

    fn node(&self, pointer: &str) -> &Value {
        self.schema.pointer(pointer).unwrap_or_else(|| panic!("no schema node at {pointer}"))
    }

    /// Whether `instance` is valid against the schema node at `pointer`.
    fn valid_at(&self, pointer: &str, instance: &Value) -> bool {
        let mut root = self.schema.clone();
        let whole = root.as_object_mut().unwrap();
        let definitions = whole.remove("definitions").unwrap();
        let target = if pointer.starts_with("/definitions") { pointer.to_string() } else { format!("/root{pointer}") };
        let wrapper = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": definitions,
            "root": whole,
            "$ref": format!("#{target}"),
        });
        jsonschema::validator_for(&wrapper).unwrap().is_valid(instance)
    }

    fn visit(&mut self, pointer: &str, instance: &Value, path: &[Seg]) {
        self.visits.push(Visit { path: path.to_vec(), pointer: pointer.to_string() });
        let node = self.node(pointer).clone();
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            return self.visit(r.trim_start_matches('#'), instance, path);
        }
        if let Some(all) = node.get("allOf").and_then(Value::as_array) {
            for (i, s) in all.iter().enumerate() {
                // Cross-field rules (if/then) are not structure.
                if s.get("if").is_none() {
                    self.visit(&format!("{pointer}/allOf/{i}"), instance, path);
                }
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = node.get(key).and_then(Value::as_array) {
                let hit = (0..branches.len()).find(|i| self.valid_at(&format!("{pointer}/{key}/{i}"), instance));
                let i = hit.unwrap_or_else(|| panic!("{}: no branch of {pointer}/{key} matches {instance}", path_text(path)));
                self.visit(&format!("{pointer}/{key}/{i}"), instance, path);
            }
        }
        if let (Some(props), Some(fields)) = (node.get("properties").and_then(Value::as_object), instance.as_object()) {
            for (k, v) in fields {
                let mut p = path.to_vec();
                p.push(Seg::Key(k.clone()));
                if props.contains_key(k) {
                    self.visit(&format!("{pointer}/properties/{k}"), v, &p);
                }
            }
        } else if let (Some(extra), Some(fields)) = (node.get("additionalProperties").filter(|a| a.is_object()), instance.as_object()) {
            let _ = extra;
            for (k, v) in fields {
                let mut p = path.to_vec();
                p.push(Seg::Key(k.clone()));
                self.visit(&format!("{pointer}/additionalProperties"), v, &p);
            }
        }
        if let (Some(_), Some(items)) = (node.get("items"), instance.as_array()) {
            for (i, v) in items.iter().enumerate() {
                let mut p = path.to_vec();
                p.push(Seg::Index(i));
                self.visit(&format!("{pointer}/items"), v, &p);
            }
        }
    }

    /// Instance paths of the object fields (not array items, not map entries).
    fn fields(&self) -> Vec<(Vec<Seg>, String)> {
        let mut out: Vec<(Vec<Seg>, String)> = Vec::new();
        for v in &self.visits {
            if let Some((parent, key)) = v.pointer.rsplit_once("/properties/") {
                let _ = parent;
                if !out.iter().any(|(p, _)| *p == v.path) {
                    out.push((v.path.clone(), key.to_string()));
                }
            }
        }
        out
    }

    /// Whether `pointer`'s object lists `key` as required.
    fn required(&self, object_pointer: &str, key: &str) -> bool {
        self.node(object_pointer).get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|k| k == key))
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Index(i) => &mut v[*i],
    })
}

fn with(base: &Value, path: &[Seg], value: Value) -> Value {
    let mut v = base.clone();
    *get_mut(&mut v, path) = value;
    v
}

fn without(base: &Value, path: &[Seg]) -> Value {
    let mut v = base.clone();
    let (last, parent) = path.split_last().unwrap();
    if let (Seg::Key(k), Some(o)) = (last, get_mut(&mut v, parent).as_object_mut()) {
        o.remove(k);
    }
    v
}

// ---------------------------------------------------------------------------
// Agreement
// ---------------------------------------------------------------------------

#[test]
fn every_object_in_the_schema_is_closed() {
    fn check(v: &Value, at: &str, open: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if o.contains_key("properties") && o.get("additionalProperties") != Some(&Value::Bool(false)) {
                    open.push(at.to_string());
                }
                for (k, x) in o {
                    // `if` schemas are conditions, not documents.
                    if k != "if" && k != "then" {
                        check(x, &format!("{at}/{k}"), open);
                    }
                }
            }
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| check(x, &format!("{at}/{i}"), open)),
            _ => {}
        }
    }
    let mut open = Vec::new();
    check(&schema(), "", &mut open);
    assert!(open.is_empty(), "objects without \"additionalProperties\": false: {open:?}");
}

#[test]
fn maximal_program_uses_every_documented_field_and_decodes() {
    let doc = maximal();
    let errors: Vec<String> = validator().iter_errors(&doc).map(|e| format!("{}: {e}", e.instance_path)).collect();
    assert!(errors.is_empty(), "the maximal program is invalid against the schema: {errors:?}");
    assert!(decode(&doc).is_ok(), "the decoder refuses a field the schema documents: {:?}", decode(&doc).err());

    // Every object node in the schema is reached, and every property it
    // documents appears in the maximal program at least once.
    let w = Walker::new(&doc);
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for v in &w.visits {
        if let Some((parent, key)) = v.pointer.rsplit_once("/properties/") {
            seen.entry(parent.to_string()).or_default().insert(key.to_string());
        }
    }
    let mut missing = Vec::new();
    fn objects(v: &Value, at: &str, out: &mut Vec<(String, Vec<String>)>) {
        if let Value::Object(o) = v {
            if let Some(Value::Object(props)) = o.get("properties") {
                out.push((at.to_string(), props.keys().cloned().collect()));
            }
            for (k, x) in o {
                if k != "if" && k != "then" && k != "properties" {
                    objects(x, &format!("{at}/{k}"), out);
                }
            }
            if let Some(Value::Object(props)) = o.get("properties") {
                for (k, x) in props {
                    objects(x, &format!("{at}/properties/{k}"), out);
                }
            }
        } else if let Value::Array(a) = v {
            a.iter().enumerate().for_each(|(i, x)| objects(x, &format!("{at}/{i}"), out));
        }
    }
    let mut all = Vec::new();
    objects(&w.schema, "", &mut all);
    for (at, props) in all {
        for p in props {
            if !seen.get(&at).is_some_and(|s| s.contains(&p)) {
                missing.push(format!("{at}/properties/{p}"));
            }
        }
    }
    assert!(missing.is_empty(), "documented fields the maximal program lacks (add them to maximal()): {missing:?}");
}

#[test]
fn optional_and_required_fields_agree() {
    let doc = maximal();
    let v = validator();
    let w = Walker::new(&doc);
    let mut disagreements = Vec::new();
    for (path, key) in w.fields() {
        let at = path_text(&path);
        let object_pointer =
            w.visits.iter().find(|x| x.path == path).map(|x| x.pointer.rsplit_once("/properties/").unwrap().0.to_string()).unwrap();
        let required = w.required(&object_pointer, &key);
        let removed = without(&doc, &path);
        let (schema_ok, decoder) = (v.is_valid(&removed), decode(&removed));
        if required {
            let says_required =
                decoder.as_ref().err().is_some_and(|i| i.iter().any(|i| i.path == at && i.message.starts_with("is required")));
            if schema_ok || !says_required {
                disagreements.push(format!("{at}: schema requires it, decoder without it: {:?}", decoder.err()));
            }
        } else if schema_ok != decoder.is_ok() {
            disagreements.push(format!("{at} removed: schema valid = {schema_ok}, decoder = {:?}", decoder.err()));
        }
        let nulled = with(&doc, &path, Value::Null);
        let (schema_ok, decoder) = (v.is_valid(&nulled), decode(&nulled));
        if schema_ok != decoder.is_ok() {
            disagreements.push(format!("{at} = null: schema valid = {schema_ok}, decoder = {:?}", decoder.err()));
        }
    }
    assert!(disagreements.is_empty(), "schema and decoder disagree:\n{}", disagreements.join("\n"));
}

#[test]
fn documented_defaults_are_the_decoders() {
    let doc = maximal();
    let w = Walker::new(&doc);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, _) in w.fields() {
        let pointer = &w.visits.iter().find(|x| x.path == path).unwrap().pointer;
        let Some(default) = w.node(pointer).get("default") else { continue };
        let at = path_text(&path);
        let explicit = decode(&with(&doc, &path, default.clone()));
        let absent = decode(&without(&doc, &path));
        checked += 1;
        match (explicit, absent) {
            (Ok(a), Ok(b)) if a == b => {}
            (a, b) => wrong.push(format!("{at}: default {default} gives {:?}, absent gives {:?}", a.err(), b.err())),
        }
    }
    assert!(checked >= 30, "only {checked} defaults checked");
    assert!(wrong.is_empty(), "schema defaults differ from the decoder's:\n{}", wrong.join("\n"));
}

#[test]
fn integer_bounds_agree() {
    let doc = maximal();
    let v = validator();
    let w = Walker::new(&doc);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, _) in w.fields() {
        let pointer = &w.visits.iter().find(|x| x.path == path).unwrap().pointer;
        let node = w.node(pointer);
        let integer = match node.get("type") {
            Some(Value::String(t)) => t == "integer",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
            _ => false,
        };
        if !integer {
            continue;
        }
        let at = path_text(&path);
        let (min, max) = (node.get("minimum").and_then(Value::as_i64), node.get("maximum").and_then(Value::as_i64));
        let (Some(min), Some(max)) = (min, max) else {
            if node.get("const").is_none() {
                wrong.push(format!("{at}: integer without minimum and maximum"));
            }
            continue;
        };
        checked += 1;
        for n in [min, max] {
            let range_issue: Vec<String> =
                issues_at(&with(&doc, &path, json!(n)), &at).into_iter().filter(|m| m.contains(", found ")).collect();
            if !range_issue.is_empty() {
                wrong.push(format!("{at} = {n}: the schema allows it, the decoder says {range_issue:?}"));
            }
        }
        for (n, expected) in [
            (min - 1, format!("must be at least {min}, found {}", min - 1)),
            (max + 1, format!("must be at most {max}, found {}", max + 1)),
        ] {
            let bad = with(&doc, &path, json!(n));
            if v.is_valid(&bad) {
                wrong.push(format!("{at} = {n}: the schema allows it"));
            }
            let got = issues_at(&bad, &at);
            if !got.contains(&expected) {
                wrong.push(format!("{at} = {n}: expected the decoder to say \"{expected}\", got {got:?}"));
            }
        }
    }
    assert!(checked >= 30, "only {checked} integer fields checked");
    assert!(wrong.is_empty(), "integer bounds differ:\n{}", wrong.join("\n"));
}

/// The string values an enum node allows: `enum`, or a `oneOf` of one-value
/// enums (what a documented Rust enum becomes).
fn enum_values(node: &Value) -> Option<Vec<String>> {
    let strings = |e: &Value| e.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect::<Vec<_>>());
    if let Some(e) = node.get("enum") {
        return strings(e).filter(|v| v.len() > 1);
    }
    let branches = node.get("oneOf")?.as_array()?;
    let mut out = Vec::new();
    for b in branches {
        let one = strings(b.get("enum")?)?;
        if one.len() != 1 || b.get("properties").is_some() {
            return None;
        }
        out.extend(one);
    }
    Some(out)
}

#[test]
fn enums_agree() {
    let doc = maximal();
    let v = validator();
    let w = Walker::new(&doc);
    let mut checked = BTreeSet::new();
    let mut wrong = Vec::new();
    for visit in &w.visits {
        let Some(values) = enum_values(w.node(&visit.pointer)) else { continue };
        let at = path_text(&visit.path);
        checked.insert(visit.pointer.clone());
        for value in &values {
            // Whole-document verdicts: a kind may make the action's limit wrong.
            let doc2 = with(&doc, &visit.path, json!(value));
            let (schema_ok, decoder) = (v.is_valid(&doc2), decode(&doc2));
            if schema_ok != decoder.is_ok() {
                wrong.push(format!("{at} = \"{value}\": schema valid = {schema_ok}, decoder = {:?}", decoder.err()));
            }
        }
        let bad = with(&doc, &visit.path, json!("ZZZ-none"));
        if v.is_valid(&bad) {
            wrong.push(format!("{at} = \"ZZZ-none\": the schema allows it"));
        }
        let got = issues_at(&bad, &at);
        if got.is_empty() {
            wrong.push(format!("{at} = \"ZZZ-none\": the decoder allows it"));
        }
        if visit.pointer == "/definitions/CurrencyCode" {
            continue; // its message names the table, not a list
        }
        // The decoder lists what it accepts: the same set, nothing more.
        let listed: Option<BTreeSet<String>> =
            got.iter().find_map(|m| m.split_once("expected one of: ")).map(|(_, l)| l.split(", ").map(String::from).collect());
        let documented: BTreeSet<String> = values.into_iter().collect();
        if listed.as_ref() != Some(&documented) {
            wrong.push(format!("{at}: schema allows {documented:?}, decoder lists {listed:?}"));
        }
    }
    // Every enum definition is exercised.
    for name in [
        "ActionKind",
        "Billing",
        "Combine",
        "CurrencyCode",
        "FieldMode",
        "LimitName",
        "Metric",
        "Period",
        "Retention",
        "Rounding",
        "StampPer",
    ] {
        assert!(checked.contains(&format!("/definitions/{name}")), "enum {name} not reached by maximal()");
    }
    assert!(wrong.is_empty(), "enums differ:\n{}", wrong.join("\n"));
}

#[test]
fn redemption_kinds_and_segments_and_action_kinds_agree() {
    let s = schema();
    let kinds: BTreeSet<String> = s["definitions"]["Redemption"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["properties"]["kind"]["enum"][0].as_str().unwrap().to_string())
        .collect();
    let bad = with(&maximal(), &[Seg::Key("redemptions".into()), Seg::Index(2), Seg::Key("kind".into())], json!("ZZZ-none"));
    let msg = issues_at(&bad, "redemptions[2].kind").join(" ");
    let listed: BTreeSet<String> = msg.split_once("expected one of: ").unwrap().1.split(", ").map(String::from).collect();
    assert_eq!(kinds, listed, "redemption kinds");

    let offers: BTreeSet<String> = s["definitions"]["Offers"]["properties"].as_object().unwrap().keys().cloned().collect();
    let mut segments: BTreeSet<String> = Segment::ALL.iter().map(|(n, _)| n.to_string()).collect();
    segments.insert("default".into());
    assert_eq!(offers, segments, "popup.offers keys");
    let rogue = with(
        &maximal(),
        &[Seg::Key("popup".into()), Seg::Key("offers".into()), Seg::Key("vip".into())],
        maximal()["popup"]["offers"]["default"].clone(),
    );
    assert!(!validator().is_valid(&rogue));
    assert!(!issues_at(&rogue, "popup.offers.vip").is_empty());

    let documented = enum_values(&s["definitions"]["ActionKind"]).unwrap();
    let engine: Vec<String> = ActionKind::ALL.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(documented, engine, "action kinds");
}

#[test]
fn currency_codes_are_the_engines() {
    let s = schema();
    let documented: Vec<String> =
        s["definitions"]["CurrencyCode"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let engine: Vec<String> = known_currencies().into_iter().map(|(c, _)| c).collect();
    assert_eq!(documented, engine);
    for (code, exp) in [("VND", 0), ("JPY", 0), ("KRW", 0), ("USD", 2), ("EUR", 2), ("KWD", 3), ("BHD", 3)] {
        assert!(known_currencies().contains(&(code.to_string(), exp)), "{code}");
    }
}

#[test]
fn decimals_agree() {
    let doc = maximal();
    let v = validator();
    let w = Walker::new(&doc);
    let accepted_by_both = ["0.5", "1", "1.25", "2.50", "100", "100.000", "007.5", "99.999999999", "0.000000001", "1.2500000000"];
    let refused_by_both = ["100.01", "101", "-1", "1.", ".5", "1.0000000001", "abc", "1,5", "", " 1", "+1", "1 "];
    let numbers_ok = [json!(1), json!(1.25), json!(100), json!(0.5)];
    let numbers_bad = [json!(-1), json!(100.5), json!(101), json!(true), json!([1])];
    let mut wrong = Vec::new();
    let mut checked = 0;
    for visit in &w.visits {
        let percent = match visit.pointer.as_str() {
            "/definitions/Multiplier" => false,
            "/definitions/Percent" => true,
            _ => continue,
        };
        checked += 1;
        let at = path_text(&visit.path);
        let zeros = [json!("0"), json!("0.0"), json!(0)];
        let cases = accepted_by_both
            .iter()
            .map(|s| (json!(s), true))
            .chain(refused_by_both.iter().map(|s| (json!(s), false)))
            .chain(numbers_ok.iter().map(|n| (n.clone(), true)))
            .chain(numbers_bad.iter().map(|n| (n.clone(), false)))
            .chain(zeros.iter().map(|z| (z.clone(), !percent)));
        for (value, ok) in cases {
            let doc2 = with(&doc, &visit.path, value.clone());
            let (schema_ok, decoder_ok) = (v.is_valid(&doc2), issues_at(&doc2, &at).is_empty());
            if schema_ok != ok || decoder_ok != ok {
                wrong.push(format!("{at} = {value}: expected valid = {ok}, schema {schema_ok}, decoder {decoder_ok}"));
            }
        }
    }
    assert!(checked >= 5, "only {checked} decimal fields reached");
    assert!(wrong.is_empty(), "decimals differ:\n{}", wrong.join("\n"));
}

#[test]
fn wrong_configs_are_rejected_by_both() {
    let v = validator();
    let base = maximal();
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit)] = &[
        ("unknown top-level field", |d| d["colour"] = json!("red")),
        ("unknown field in earning", |d| d["earning"]["points_per_dollar"] = json!(1)),
        ("field of another redemption kind", |d| d["redemptions"][2]["value"] = json!(100)),
        ("range field on percent_off", |d| d["redemptions"][1]["increment"] = json!(1000)),
        ("unknown field in a limit", |d| d["actions"][4]["limit"]["every_weeks"] = json!(1)),
        ("a bad locale in locales", |d| d["store"]["locales"] = json!(["en", "english"])),
        ("wrong rounding", |d| d["earning"]["rounding"] = json!("round")),
        ("wrong metric", |d| d["tiers"]["metric"] = json!("revenue")),
        ("wrong redemption kind", |d| d["redemptions"][0]["kind"] = json!("cash")),
        ("wrong limit", |d| d["actions"][1]["limit"] = json!("monthly")),
        ("unknown segment", |d| d["popup"]["offers"]["vip"] = d["popup"]["offers"]["default"].clone()),
        ("missing currency", |d| drop(d["store"].as_object_mut().unwrap().remove("currency"))),
        ("missing step", |d| drop(d["earning"].as_object_mut().unwrap().remove("step"))),
        ("missing redemption name", |d| drop(d["redemptions"][0].as_object_mut().unwrap().remove("name"))),
        ("missing default offer", |d| drop(d["popup"]["offers"].as_object_mut().unwrap().remove("default"))),
        ("missing free product id", |d| drop(d["redemptions"][3].as_object_mut().unwrap().remove("product_id"))),
        ("missing amount_off value", |d| drop(d["redemptions"][0].as_object_mut().unwrap().remove("value"))),
        ("points as a string", |d| d["actions"][0]["points"] = json!("200")),
        ("fractional points", |d| d["actions"][0]["points"] = json!(1.5)),
        ("name as a number", |d| d["store"]["name"] = json!(42)),
        ("boolean as a string", |d| d["popup"]["enabled"] = json!("yes")),
        ("text as an array", |d| d["tiers"]["levels"][0]["name"] = json!(["Bronze"])),
        ("empty text map", |d| d["tiers"]["levels"][0]["name"] = json!({})),
        ("blank text", |d| d["membership"]["name"] = json!("   ")),
        ("text longer than 2000", |d| d["membership"]["name"] = json!("x".repeat(2001))),
        ("text map with a bad locale", |d| d["membership"]["name"] = json!({ "english": "Plus" })),
        ("version 2", |d| d["version"] = json!(2)),
        ("lower-case currency", |d| d["store"]["currency"] = json!("usd")),
        ("unknown currency", |d| d["store"]["currency"] = json!("XYZ")),
        ("members_only without membership", |d| drop(d.as_object_mut().unwrap().remove("membership"))),
        ("signup limited yearly", |d| d["actions"][0]["limit"] = json!("yearly")),
        ("first order every 30 days", |d| d["actions"][8]["limit"] = json!({ "every_days": 30 })),
        ("no tier levels", |d| d["tiers"]["levels"] = json!([])),
        ("id with a space", |d| d["membership"]["id"] = json!("plus member")),
        ("id longer than 64", |d| d["membership"]["id"] = json!("a".repeat(65))),
        ("locale too long", |d| d["store"]["default_locale"] = json!("english")),
        ("multiplier above 100", |d| d["membership"]["multiplier"] = json!("101")),
        ("percent of zero", |d| d["cashback"]["percent"] = json!("0")),
        ("ftp url", |d| d["actions"][3]["url"] = json!("ftp://example.com")),
        ("selector of numbers", |d| d["earning"]["exclude"]["tags"] = json!([1])),
        ("blank selector value", |d| d["earning"]["exclude"]["skus"] = json!([""])),
        ("texts as a list", |d| d["texts"] = json!(["launcher"])),
        ("texts with a blank string", |d| d["texts"]["en"]["launcher"] = json!("")),
        ("texts under a bad locale", |d| d["texts"] = json!({ "e": { "launcher": "x" } })),
        ("null offer", |d| d["popup"]["offers"]["bouncer"] = Value::Null),
        ("program is an array", |d| *d = json!([])),
    ];
    let mut wrong = Vec::new();
    for (what, edit) in cases {
        let mut doc = base.clone();
        edit(&mut doc);
        let schema_ok = v.is_valid(&doc);
        let decoder_ok = decode(&doc).is_ok();
        if schema_ok || decoder_ok {
            wrong.push(format!("{what}: schema valid = {schema_ok}, decoder valid = {decoder_ok}"));
        }
    }
    assert!(wrong.is_empty(), "accepted although wrong:\n{}", wrong.join("\n"));
}

/// The decoder asks for fields by name (`o.req(d, "name", …)`,
/// `o.opt(…)`, `o.or(…)`); each name must be documented in the schema. This
/// catches a field added to `config/decode.rs` but not to `src/schema.rs`.
#[test]
fn decoder_reads_no_field_the_schema_lacks() {
    let source = std::fs::read_to_string(format!("{}/src/config/decode.rs", root())).unwrap();
    let mut decoded = BTreeSet::new();
    for marker in [".req(d, \"", ".opt(d, \"", ".or(d, \"", "(&mut o, \""] {
        for piece in source.split(marker).skip(1) {
            if let Some(name) = piece.split('"').next() {
                decoded.insert(name.to_string());
            }
        }
    }
    assert!(decoded.len() > 80, "found only {} field names in config/decode.rs: has the decoder changed shape?", decoded.len());
    let mut documented = BTreeSet::new();
    fn names(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::Object(p)) = o.get("properties") {
                    out.extend(p.keys().cloned());
                }
                o.values().for_each(|x| names(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| names(x, out)),
            _ => {}
        }
    }
    names(&schema(), &mut documented);
    let undocumented: Vec<&String> = decoded.difference(&documented).collect();
    assert!(undocumented.is_empty(), "fields config/decode.rs reads that src/schema.rs does not document: {undocumented:?}");
}

/// The defaults `Action.limit` describes, per kind.
#[test]
fn action_limit_defaults_are_as_documented() {
    for (name, kind) in ActionKind::ALL {
        let mut doc = maximal();
        doc["actions"] = json!([{ "kind": name, "points": 10 }]);
        let program = decode(&doc).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let expected = match kind {
            ActionKind::Birthday => Limit::Yearly,
            ActionKind::ReferralReferrer | ActionKind::ProductReview | ActionKind::SocialShare => Limit::Unlimited,
            _ => Limit::Once,
        };
        assert_eq!(program.actions[0].limit, expected, "{name}");
        assert_eq!(program.actions[0].id, *name, "an action's id defaults to its kind");
    }
    let mut doc = maximal();
    doc["store"].as_object_mut().unwrap().remove("locales");
    assert_eq!(decode(&doc).unwrap().store.locales, ["en"], "store.locales defaults to [default_locale]");
}
