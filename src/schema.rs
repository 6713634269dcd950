//! JSON Schema of the program config (`docs/program.schema.json`),
//! generated with schemars from the config types themselves
//! (`crate::config`): their fields, serde attributes and doc comments are
//! the schema's properties, defaults and descriptions. This module adds
//! only what a derive cannot say: the formats of value types (ids, language
//! tags, texts, exact decimals, currency codes, action limits), the
//! redemption kinds' own fields, and two rules between fields that JSON
//! Schema can express (once-only bonuses; `null` meaning "absent").
//!
//! Rules it cannot express (unique ids, ascending thresholds, locales,
//! redemption ranges, members-only needs membership, time zones) are the
//! semantic pass in `crate::validate`.

use crate::config::{ActionKind, Limit, Offers, Segment, Text};
use crate::money::Currency;
use schemars::gen::{SchemaGenerator, SchemaSettings};
use schemars::schema::{
    InstanceType, Metadata, ObjectValidation, RootSchema, Schema, SchemaObject, SingleOrVec, StringValidation, SubschemaValidation,
};
use schemars::JsonSchema;
use serde_json::Value;
use std::boxed::Box;
use std::prelude::rust_2021::*;
use std::{format, vec};

/// An id: 1 to 64 ASCII letters, digits, `-` or `_`.
pub const ID_PATTERN: &str = r"^[A-Za-z0-9_-]+$";
/// A language tag: a 2- or 3-letter language, then optional `-` parts.
pub const LOCALE_PATTERN: &str = r"^[A-Za-z0-9]{2,3}(-[A-Za-z0-9-]*)?$";
/// Not blank: at least one character that is not white space.
pub const NOT_BLANK: &str = r"\S";
/// An http(s) URL.
pub const URL_PATTERN: &str = r"^https?://";
/// A plain decimal from 0 to 100 with at most 9 places (no sign, no exponent).
const DECIMAL_0_TO_100: &str = r"^0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]{1,9}0*)?)$";
const ZERO: &str = r"^0*(\.0+)?$";
const MAX_TEXT: u32 = 2000;

/// Schema of an id field (`#[schemars(with = "crate::schema::Id")]`).
pub struct Id;
/// Schema of a language-tag field.
pub struct Locale;
/// Schema of a platform value (product id, tag, path): non-blank, at most 255 characters.
pub struct Label;
/// Schema of a multiplier field: an exact decimal from 0 to 100.
pub struct Multiplier;
/// Schema of a percentage field: an exact decimal above 0 and at most 100.
pub struct Percent;

macro_rules! named {
    ($t:ty, $name:literal, $gen:ident => $body:expr) => {
        impl JsonSchema for $t {
            fn schema_name() -> String {
                $name.into()
            }
            fn json_schema($gen: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
}

named!(Id, "Id", _g => described(string(1, 64, ID_PATTERN), "An id: 1 to 64 ASCII letters, digits, '-' or '_'."));
named!(Locale, "Locale", _g => described(
    string(2, 12, LOCALE_PATTERN),
    "A language tag such as \"vi\", \"en\" or \"en-US\": a 2- or 3-letter language, then optional '-' parts; at most 12 characters.",
));
named!(Label, "Label", _g => described(string(1, 255, NOT_BLANK), "A non-blank string of at most 255 characters."));
named!(Multiplier, "Multiplier", _g => decimal(false, "An earn multiplier from 0 to 100: \"1.25\" earns 25% more points."));
named!(Percent, "Percent", _g => decimal(true, "A percentage greater than 0 and at most 100: \"2.5\" is 2.5%."));

// One schema with both shapes' keywords (string keywords apply to strings,
// object keywords to objects) rather than `anyOf`: a validator then says
// which keyword failed instead of "no branch matched".
named!(Text, "Text", g => {
    let mut s = typed(&[InstanceType::String, InstanceType::Object]);
    s.string = string(1, MAX_TEXT, NOT_BLANK).into_object().string;
    let o = s.object();
    o.min_properties = Some(1);
    o.property_names = Some(Box::new(g.subschema_for::<Locale>()));
    o.additional_properties = Some(Box::new(string(1, MAX_TEXT, NOT_BLANK)));
    described(
        s.into(),
        "Shopper-visible text: one string for every language (\"Join now\"), or an object of language tag → string \
         ({\"vi\": \"Tham gia ngay\", \"en\": \"Join now\"}) that includes store.default_locale. Each string is non-blank, \
         at most 2000 characters.",
    )
});

named!(Currency, "CurrencyCode", _g => {
    let codes = known_currencies();
    let mut by_exponent: Vec<(u8, Vec<String>)> = Vec::new();
    for (code, exp) in &codes {
        match by_exponent.iter_mut().find(|(e, _)| e == exp) {
            Some((_, list)) => list.push(code.clone()),
            None => by_exponent.push((*exp, vec![code.clone()])),
        }
    }
    by_exponent.sort_by_key(|(e, list)| (usize::MAX - list.len(), *e));
    let parts: Vec<String> = by_exponent.iter().skip(1).map(|(e, list)| format!("{e} for {}", list.join(", "))).collect();
    let common = by_exponent.first().map_or(2, |(e, _)| *e);
    let mut s = typed(&[InstanceType::String]);
    s.enum_values = Some(codes.into_iter().map(|(c, _)| c.into()).collect());
    described(
        s.into(),
        &format!(
            "The store's ISO 4217 currency code (upper case). Every amount in the config is an integer in its minor \
             units: the exponent (digits after the decimal point) is {}; {common} for every other code.",
            parts.join("; ")
        ),
    )
});

// `if`/`then`/`else` instead of `oneOf`, for the same reason as `Text`.
named!(Limit, "Limit", _g => {
    let mut names = typed(&[InstanceType::String]);
    names.enum_values = Some(vec!["once".into(), "yearly".into(), "unlimited".into()]);
    let days = described(integer(1, 36_500), "Days between rewards, counted from the last one.");
    let every = object(|o| {
        o.properties.insert("every_days".into(), days);
        o.required.insert("every_days".into());
        o.additional_properties = Some(Box::new(false.into()));
    });
    let s = SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation {
            if_schema: Some(Box::new(typed(&[InstanceType::String]).into())),
            then_schema: Some(Box::new(names.into())),
            else_schema: Some(Box::new(every)),
            ..Default::default()
        })),
        ..Default::default()
    };
    described(
        s.into(),
        "How often one shopper can be rewarded: \"once\" (ever), \"yearly\" (once per calendar year, UTC), \
         \"unlimited\", or {\"every_days\": n} (again n days after the last reward).",
    )
});

named!(Offers, "Offers", g => {
    let offer = g.subschema_for::<crate::config::Offer>();
    let mut names: Vec<Value> = vec!["default".into()];
    let s = object(|o| {
        let default = "The offer for every segment without its own (required).";
        o.properties.insert("default".into(), described(all_of(offer.clone()), default));
        o.required.insert("default".into());
        for (name, segment) in Segment::ALL {
            o.properties.insert((*name).into(), described(all_of(offer.clone()), segment_description(*segment)));
            names.push((*name).into());
        }
        o.property_names = Some(Box::new(SchemaObject { enum_values: Some(names), ..Default::default() }.into()));
    });
    described(
        s,
        "The popup's offer per visitor segment: \"default\" plus any of the segments. A visitor's segment is \
         the first that applies, in the order listed.",
    )
});

/// What each visitor segment means (the popup's offers are keyed by them).
fn segment_description(s: Segment) -> &'static str {
    match s {
        Segment::Member => "A signed-in member of the program (the popup never shows to them).",
        Segment::Referred => "Arrived through a member's referral link (`referral`), within `referral.remember_days`.",
        Segment::RepeatBuyer => "A shopper with two or more orders.",
        Segment::FirstTimeBuyerHigh => "One order, worth at least `high_value_order`.",
        Segment::FirstTimeBuyerLow => "One order, worth less than `high_value_order`.",
        Segment::CartAbandoner => "No orders yet and items in the cart.",
        Segment::PassiveBrowser => "No cart, and at least `passive_browser_views` product views.",
        Segment::Bouncer => "At most one page seen.",
        Segment::Browser => "Anyone else: a visitor early in a normal visit.",
    }
}

/// `version`: the integer 1.
pub fn version(_: &mut SchemaGenerator) -> Schema {
    let mut s = typed(&[InstanceType::Integer]);
    s.const_value = Some(crate::config::VERSION.into());
    s.into()
}

/// `texts`: language tag → (string key → text).
pub fn text_overrides(g: &mut SchemaGenerator) -> Schema {
    let strings = object(|o| o.additional_properties = Some(Box::new(string(1, MAX_TEXT, NOT_BLANK))));
    let s = object(|o| {
        o.property_names = Some(Box::new(g.subschema_for::<Locale>()));
        o.additional_properties = Some(Box::new(strings));
    });
    described(
        s,
        "Replacements for the widget's built-in strings: language tag → (string key → text), e.g. \
         {\"vi\": {\"launcher\": \"Ưu đãi\"}}. Every language must be in store.locales; keys are the widget's string names.",
    )
}

/// Every code the engine's currency table knows, with its exponent, in
/// alphabetical order (read from [`Currency::from_code`], so the schema
/// cannot disagree with it).
pub fn known_currencies() -> Vec<(String, u8)> {
    let mut out = Vec::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            for c in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b, c]).unwrap_or_default();
                if let Some(cur) = Currency::from_code(&code) {
                    out.push((code, cur.exponent));
                }
            }
        }
    }
    out
}

/// The program config's JSON Schema (draft 7).
pub fn program_schema() -> RootSchema {
    let generator = SchemaGenerator::new(SchemaSettings::draft07());
    let mut root = generator.into_root_schema_for::<crate::config::Program>();
    // Editors point at the schema with "$schema"; the engine ignores it.
    root.schema.object().properties.insert(
        "$schema".into(),
        described(SchemaObject::default().into(), "Optional: the URL or path of this JSON Schema, for editors. The engine ignores it."),
    );
    if let Some(Schema::Object(r)) = root.definitions.get_mut("Redemption") {
        redemption_kinds(r);
    }
    if let Some(Schema::Object(a)) = root.definitions.get_mut("Action") {
        once_only_limits(a);
    }
    nullable_optionals(&mut root.schema);
    for d in root.definitions.values_mut() {
        if let Schema::Object(o) = d {
            nullable_optionals(o);
        }
    }
    root
}

/// The derive describes `#[serde(flatten)] kind: RedemptionKind` as a
/// `oneOf` of the kinds beside the shared fields. The document is flat, so:
/// one object with every field; `kind` an enum of the kinds; each kind, by
/// `if kind = …`, requires its own fields and forbids the other kinds'
/// fields and, except amount_off, the range fields (`min_points`,
/// `max_points`, `increment`).
fn redemption_kinds(r: &mut SchemaObject) {
    let variants = r.subschemas.take().and_then(|s| s.one_of).unwrap_or_default();
    let mut kinds: Vec<(String, SchemaObject)> = Vec::new();
    for v in variants {
        let Schema::Object(mut v) = v else { continue };
        let o = v.object();
        let kind = o.properties.shift_remove("kind").and_then(|k| k.into_object().enum_values).and_then(|e| e.into_iter().next());
        o.required.remove("kind");
        if let Some(Value::String(kind)) = kind {
            kinds.push((kind, v));
        }
    }
    let ranged = ["min_points", "max_points", "increment"];
    let o = r.object();
    let mut kind_names = Vec::new();
    let mut kind_docs = Vec::new();
    let mut own_fields: Vec<(String, Schema)> = Vec::new();
    // A field two kinds define differently (`value`: at least 1 for
    // amount_off, 0 for free_product) is checked in each kind's branch; the
    // shared property only describes it.
    let mut differing: Vec<String> = Vec::new();
    for (name, v) in &kinds {
        kind_names.push(Value::String(name.clone()));
        let doc = v.metadata.as_ref().and_then(|m| m.description.clone()).unwrap_or_default();
        kind_docs.push(format!("\"{name}\": {doc}"));
        for (field, schema) in v.object.as_ref().map(|o| o.properties.clone()).unwrap_or_default() {
            match own_fields.iter_mut().find(|(f, _)| *f == field) {
                None => own_fields.push((field, schema)),
                Some((_, known)) if *known != schema => {
                    let describe = |s: &Schema| s.clone().into_object().metadata.and_then(|m| m.description).unwrap_or_default();
                    let first = if differing.contains(&field) { describe(known) } else { format!("{}: {}", kinds[0].0, describe(known)) };
                    *known = described(SchemaObject::default().into(), &format!("{first} {name}: {}", describe(&schema)));
                    differing.push(field);
                }
                Some(_) => {}
            }
        }
    }
    let mut kind = typed(&[InstanceType::String]);
    kind.enum_values = Some(kind_names);
    let kind = described(kind.into(), &format!("What the points buy. {}", kind_docs.join(" ")));
    // `kind` after `name`, then the kinds' own fields, as in the documents.
    let mut fields: Vec<(String, Schema)> = core::mem::take(&mut o.properties).into_iter().collect();
    let at = fields.iter().position(|(k, _)| k == "name").map_or(0, |i| i + 1);
    let tail = fields.split_off(at);
    fields.push(("kind".into(), kind));
    fields.extend(own_fields);
    fields.extend(tail);
    o.properties = fields.into_iter().collect();
    o.required.insert("kind".into());
    o.additional_properties = Some(Box::new(false.into()));
    let all: Vec<String> = o.properties.keys().cloned().collect();
    let mut rules = Vec::new();
    for (name, v) in &kinds {
        let own = v.object.as_ref().map(|o| o.properties.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let required = v.object.as_ref().map(|o| o.required.iter().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let is_ranged = name == "amount_off";
        let condition = object(|c| {
            let k = SchemaObject { const_value: Some(Value::String(name.clone())), ..Default::default() };
            c.properties.insert("kind".into(), k.into());
            c.required.insert("kind".into());
        });
        let then = object(|t| {
            t.required.extend(required);
            for field in own.iter().filter(|f| differing.contains(f)) {
                if let Some(s) = v.object.as_ref().and_then(|o| o.properties.get(field)) {
                    t.properties.insert(field.clone(), s.clone());
                }
            }
            for field in &all {
                let other_kinds = kinds.iter().any(|(_, w)| w.object.as_ref().is_some_and(|o| o.properties.contains_key(field)));
                let forbidden = (other_kinds && !own.contains(field)) || (!is_ranged && ranged.contains(&field.as_str()));
                if forbidden {
                    t.properties.insert(field.clone(), false.into());
                }
            }
        });
        rules.push(if_then(condition, then));
    }
    r.subschemas().all_of = Some(rules);
}

/// Signup, first-order and friend-referral bonuses can only be "once".
fn once_only_limits(a: &mut SchemaObject) {
    let kinds: Vec<Value> = ActionKind::ALL.iter().filter(|(_, k)| k.once_only()).map(|(n, _)| (*n).into()).collect();
    let condition = object(|c| {
        let k = SchemaObject { enum_values: Some(kinds), ..Default::default() };
        c.properties.insert("kind".into(), k.into());
        c.required.insert("kind".into());
    });
    let then = object(|t| {
        let l = SchemaObject { enum_values: Some(vec!["once".into(), Value::Null]), ..Default::default() };
        t.properties.insert("limit".into(), l.into());
    });
    a.subschemas().all_of.get_or_insert_with(Vec::new).push(if_then(condition, then));
}

/// `null` means "absent" for every optional field (docs/config.md), so the
/// schema allows it wherever a field of a closed object is not required.
fn nullable_optionals(s: &mut SchemaObject) {
    // Closed objects (the derived structs) only: a map such as `Offers` holds no nulls.
    let Some(o) = s.object.as_mut().filter(|o| matches!(o.additional_properties.as_deref(), Some(Schema::Bool(false)))) else { return };
    let required = o.required.clone();
    for (name, p) in o.properties.iter_mut() {
        if required.contains(name) || name == "$schema" {
            continue;
        }
        let Schema::Object(p) = p else { continue };
        match &mut p.instance_type {
            Some(SingleOrVec::Single(t)) if **t != InstanceType::Null => {
                p.instance_type = Some(SingleOrVec::Vec(vec![**t, InstanceType::Null]));
            }
            Some(SingleOrVec::Vec(ts)) if !ts.contains(&InstanceType::Null) => ts.push(InstanceType::Null),
            Some(_) => {}
            // A description only (a field the kinds' branches check): allows null already.
            None if p.reference.is_none() && p.subschemas.is_none() && p.enum_values.is_none() && p.const_value.is_none() => {}
            None => {
                let allows_null = p.subschemas.as_ref().and_then(|s| s.any_of.as_ref()).is_some_and(|branches| {
                    branches.iter().any(|b| matches!(b, Schema::Object(b) if b.instance_type == Some(InstanceType::Null.into())))
                });
                if !allows_null {
                    let metadata = p.metadata.take();
                    let inner = core::mem::take(p);
                    *p = SchemaObject {
                        metadata,
                        subschemas: Some(Box::new(SubschemaValidation {
                            any_of: Some(vec![inner.into(), typed(&[InstanceType::Null]).into()]),
                            ..Default::default()
                        })),
                        ..Default::default()
                    };
                }
            }
        }
    }
}

/// [`program_schema`] as pretty JSON text, the content of `docs/program.schema.json`.
pub fn program_schema_json() -> String {
    let text = serde_json::to_string(&program_schema()).unwrap_or_default();
    // Our own reader keeps the properties in field order; serde_json's map would sort them.
    let json = crate::json::Json::parse(&text).map(tidy).unwrap_or(crate::json::Json::Null);
    let mut out = String::new();
    pretty(&json, 0, &mut out);
    out.push('\n');
    out
}

/// schemars stores bounds as `f64`: `1000000000000000.0` and `0.0` become
/// the integers they are; `"format": "int64"` (noise for a JSON document)
/// is dropped.
fn tidy(v: crate::json::Json) -> crate::json::Json<'static> {
    use crate::json::Json;
    match v {
        Json::Number(n) => {
            let t = n.strip_suffix(".0").unwrap_or(&n).to_string();
            Json::Number(t.into())
        }
        Json::Array(a) => Json::Array(a.into_iter().map(tidy).collect()),
        Json::Object(o) => Json::Object(
            o.into_iter()
                .filter(|(k, v)| !(k == "format" && v.as_str() == Some("int64")))
                .map(|(k, v)| (k.into_owned().into(), tidy(v)))
                .collect(),
        ),
        other => other.into_owned(),
    }
}

fn pretty(v: &crate::json::Json, depth: usize, out: &mut String) {
    use crate::json::Json;
    let pad = |n: usize, out: &mut String| out.extend(core::iter::repeat_n("  ", n));
    match v {
        Json::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, x) in items.iter().enumerate() {
                pad(depth + 1, out);
                pretty(x, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(depth, out);
            out.push(']');
        }
        Json::Object(fields) if !fields.is_empty() => {
            out.push_str("{\n");
            for (i, (k, x)) in fields.iter().enumerate() {
                pad(depth + 1, out);
                out.push_str(&Json::String(k.clone()).to_text());
                out.push_str(": ");
                pretty(x, depth + 1, out);
                out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
            }
            pad(depth, out);
            out.push('}');
        }
        other => out.push_str(&other.to_text()),
    }
}

// ---------------------------------------------------------------------------
// Schema building helpers
// ---------------------------------------------------------------------------

fn typed(types: &[InstanceType]) -> SchemaObject {
    let t = match types {
        [one] => SingleOrVec::Single(Box::new(*one)),
        many => SingleOrVec::Vec(many.to_vec()),
    };
    SchemaObject { instance_type: Some(t), ..Default::default() }
}

fn string(min: u32, max: u32, pattern: &str) -> Schema {
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        string: Some(Box::new(StringValidation {
            min_length: (min > 0).then_some(min),
            max_length: Some(max),
            pattern: Some(pattern.into()),
        })),
        ..Default::default()
    }
    .into()
}

fn integer(min: i64, max: i64) -> Schema {
    let mut s = typed(&[InstanceType::Integer]);
    let n = s.number();
    n.minimum = Some(min as f64);
    n.maximum = Some(max as f64);
    s.into()
}

/// An exact decimal as a string (checked by pattern, never rounded) or a
/// JSON number; for a number the engine reads its digits exactly too.
fn decimal(exclusive_min: bool, what: &str) -> Schema {
    let mut s = typed(&[InstanceType::String, InstanceType::Number]);
    s.string = string(1, 40, DECIMAL_0_TO_100).into_object().string;
    let n = s.number();
    n.maximum = Some(100.0);
    if exclusive_min {
        n.exclusive_minimum = Some(0.0);
        let mut zero = string(0, 40, ZERO).into_object();
        if let Some(z) = zero.string.as_mut() {
            z.max_length = None;
        }
        s.subschemas().not = Some(Box::new(zero.into()));
    } else {
        n.minimum = Some(0.0);
    }
    described(
        s.into(),
        &format!(
            "{what} An exact decimal, best written as a string (\"1.25\"): never rounded through floating point. \
             At most 9 decimal places."
        ),
    )
}

fn object(fill: impl FnOnce(&mut ObjectValidation)) -> Schema {
    let mut o = ObjectValidation::default();
    fill(&mut o);
    SchemaObject { instance_type: Some(InstanceType::Object.into()), object: Some(Box::new(o)), ..Default::default() }.into()
}

/// `{"allOf": [s]}`: lets a `$ref` carry its own description (draft 7
/// ignores keywords beside `$ref`).
fn all_of(s: Schema) -> Schema {
    SchemaObject { subschemas: Some(Box::new(SubschemaValidation { all_of: Some(vec![s]), ..Default::default() })), ..Default::default() }
        .into()
}

fn described(s: Schema, text: &str) -> Schema {
    let mut o = s.into_object();
    o.metadata = Some(Box::new(Metadata { description: Some(text.into()), ..Default::default() }));
    o.into()
}

fn if_then(condition: Schema, then: Schema) -> Schema {
    SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation {
            if_schema: Some(Box::new(condition)),
            then_schema: Some(Box::new(then)),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}
