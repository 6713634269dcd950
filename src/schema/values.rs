//! Values with hand-written schemas (ids, language tags, texts, exact
//! decimals, currency codes) and the helpers that build schema nodes.

use crate::money::Currency;
use schemars::gen::SchemaGenerator;
use schemars::schema::{InstanceType, Metadata, ObjectValidation, Schema, SchemaObject, StringValidation, SubschemaValidation};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;
use std::prelude::rust_2021::*;
use std::{format, vec};

/// An id: 1 to 64 ASCII letters, digits, `-` or `_`.
#[derive(Serialize)]
pub struct Id(pub String);

/// A language tag such as `vi`, `en` or `en-US`.
#[derive(Serialize)]
pub struct Locale(pub String);

/// A non-blank string of at most 255 characters (ids from the platform, tags, paths).
#[derive(Serialize)]
pub struct Label(pub String);

/// Shopper-visible text: one string for every language, or one per language.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Text {
    One(String),
    PerLocale(BTreeMap<String, String>),
}

/// An ISO 4217 currency code from the engine's table.
#[derive(Serialize)]
pub struct CurrencyCode(pub String);

/// An exact decimal from 0 to 100.
#[derive(Serialize)]
pub struct Multiplier(pub &'static str);

/// An exact decimal greater than 0 and at most 100.
#[derive(Serialize)]
pub struct Percent(pub String);

/// Widget string overrides: language tag → (string key → text).
#[derive(Serialize)]
pub struct TextOverrides(pub BTreeMap<String, BTreeMap<String, String>>);

const MAX_TEXT: u32 = 2000;
/// A plain decimal: digits with an optional fraction (no sign, no exponent).
const DECIMAL_0_TO_100: &str = r"^0*(100(\.0+)?|[0-9]{1,2}(\.[0-9]{1,9}0*)?)$";
const ZERO: &str = r"^0*(\.0+)?$";

impl JsonSchema for Id {
    fn schema_name() -> String {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let s = string(1, 64, r"^[A-Za-z0-9_-]+$");
        described(s, "An id: 1 to 64 ASCII letters, digits, '-' or '_'.")
    }
}

impl JsonSchema for Locale {
    fn schema_name() -> String {
        "Locale".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let s = string(2, 12, r"^[A-Za-z0-9]{2,3}(-[A-Za-z0-9-]*)?$");
        described(s, "A language tag such as \"vi\", \"en\" or \"en-US\": a 2- or 3-letter language, then optional '-' parts; at most 12 characters.")
    }
}

impl JsonSchema for Label {
    fn schema_name() -> String {
        "Label".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        described(string(1, 255, r"\S"), "A non-blank string of at most 255 characters.")
    }
}

impl JsonSchema for Text {
    fn schema_name() -> String {
        "Text".into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let one = string(1, MAX_TEXT, r"\S");
        let per_locale = object(|o| {
            o.min_properties = Some(1);
            o.property_names = Some(Box::new(gen.subschema_for::<Locale>()));
            o.additional_properties = Some(Box::new(one.clone()));
        });
        let any = SchemaObject {
            subschemas: Some(Box::new(SubschemaValidation { any_of: Some(vec![one, per_locale]), ..Default::default() })),
            ..Default::default()
        };
        described(
            any.into(),
            "Shopper-visible text: one string for every language (\"Join now\"), or an object of language tag → string \
             ({\"vi\": \"Tham gia ngay\", \"en\": \"Join now\"}). Each string is non-blank, at most 2000 characters.",
        )
    }
}

impl JsonSchema for CurrencyCode {
    fn schema_name() -> String {
        "CurrencyCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut by_exponent: Vec<(u8, Vec<String>)> = Vec::new();
        let codes = known_currencies();
        for (code, exp) in &codes {
            match by_exponent.iter_mut().find(|(e, _)| e == exp) {
                Some((_, list)) => list.push(code.clone()),
                None => by_exponent.push((*exp, vec![code.clone()])),
            }
        }
        by_exponent.sort_by_key(|(e, list)| (usize::MAX - list.len(), *e));
        let parts: Vec<String> = by_exponent.iter().skip(1).map(|(e, list)| format!("{e} for {}", list.join(", "))).collect();
        let common = by_exponent.first().map_or(2, |(e, _)| *e);
        let text = format!(
            "The store's ISO 4217 currency code (upper case). Every amount in the config is an integer in its minor \
             units: the exponent (digits after the decimal point) is {}; {common} for every other code.",
            parts.join("; ")
        );
        let s = SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            enum_values: Some(codes.into_iter().map(|(c, _)| c.into()).collect()),
            ..Default::default()
        };
        described(s.into(), &text)
    }
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

fn decimal(pattern: &str, not_pattern: Option<&str>, exclusive_min: bool, what: &str) -> Schema {
    let mut text = string(1, 40, pattern);
    if let (Some(p), Schema::Object(o)) = (not_pattern, &mut text) {
        let zero = string(0, 40, p);
        o.subschemas = Some(Box::new(SubschemaValidation { not: Some(Box::new(zero)), ..Default::default() }));
    }
    let mut number = SchemaObject { instance_type: Some(InstanceType::Number.into()), ..Default::default() };
    let n = number.number();
    n.maximum = Some(100.0);
    if exclusive_min {
        n.exclusive_minimum = Some(0.0);
    } else {
        n.minimum = Some(0.0);
    }
    let any = SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation { any_of: Some(vec![text, number.into()]), ..Default::default() })),
        ..Default::default()
    };
    described(
        any.into(),
        &format!(
            "{what} An exact decimal, best written as a string (\"1.25\"): never rounded through floating point. \
             At most 9 decimal places."
        ),
    )
}

impl JsonSchema for Multiplier {
    fn schema_name() -> String {
        "Multiplier".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        decimal(DECIMAL_0_TO_100, None, false, "An earn multiplier from 0 to 100: \"1.25\" earns 25% more points.")
    }
}

impl JsonSchema for Percent {
    fn schema_name() -> String {
        "Percent".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        decimal(DECIMAL_0_TO_100, Some(ZERO), true, "A percentage greater than 0 and at most 100: \"2.5\" is 2.5%.")
    }
}

impl JsonSchema for TextOverrides {
    fn schema_name() -> String {
        "TextOverrides".into()
    }
    fn json_schema(gen: &mut SchemaGenerator) -> Schema {
        let strings = object(|o| {
            o.additional_properties = Some(Box::new(string(1, MAX_TEXT, r"\S")));
        });
        let s = object(|o| {
            o.property_names = Some(Box::new(gen.subschema_for::<Locale>()));
            o.additional_properties = Some(Box::new(strings));
        });
        described(
            s,
            "Replacements for the widget's built-in strings: language tag → (string key → text), e.g. \
             {\"vi\": {\"launcher\": \"Ưu đãi\"}}. Keys are the widget's string names.",
        )
    }
}

// ---------------------------------------------------------------------------
// Schema building helpers
// ---------------------------------------------------------------------------

pub(super) fn version_schema(_: &mut SchemaGenerator) -> Schema {
    let mut s = typed(InstanceType::Integer).into_object();
    s.const_value = Some(1.into());
    s.into()
}

pub(super) fn typed(t: InstanceType) -> Schema {
    SchemaObject { instance_type: Some(t.into()), ..Default::default() }.into()
}

pub(super) fn string(min: u32, max: u32, pattern: &str) -> Schema {
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

pub(super) fn object(fill: impl FnOnce(&mut ObjectValidation)) -> Schema {
    let mut o = ObjectValidation::default();
    fill(&mut o);
    SchemaObject { instance_type: Some(InstanceType::Object.into()), object: Some(Box::new(o)), ..Default::default() }.into()
}

pub(super) fn const_schema(v: serde_json::Value) -> Schema {
    SchemaObject { const_value: Some(v), ..Default::default() }.into()
}

pub(super) fn enum_schema(values: Vec<serde_json::Value>) -> Schema {
    SchemaObject { enum_values: Some(values), ..Default::default() }.into()
}

pub(super) fn array_contains(item: Schema) -> Schema {
    let mut s = SchemaObject { instance_type: Some(InstanceType::Array.into()), ..Default::default() };
    s.array().contains = Some(Box::new(item));
    s.into()
}

/// `{"allOf": [s]}`: lets a `$ref` carry its own description (draft 7
/// ignores keywords beside `$ref`).
pub(super) fn all_of(s: Schema) -> Schema {
    SchemaObject { subschemas: Some(Box::new(SubschemaValidation { all_of: Some(vec![s]), ..Default::default() })), ..Default::default() }
        .into()
}

pub(super) fn described(s: Schema, text: &str) -> Schema {
    let mut o = s.into_object();
    o.metadata = Some(Box::new(Metadata { description: Some(text.into()), ..Default::default() }));
    o.into()
}

pub(super) fn if_then(target: &mut SchemaObject, condition: Schema, then: Schema) {
    let sub = target.subschemas();
    let rule = SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation {
            if_schema: Some(Box::new(condition)),
            then_schema: Some(Box::new(then)),
            ..Default::default()
        })),
        ..Default::default()
    };
    sub.all_of.get_or_insert_with(Vec::new).push(rule.into());
}
