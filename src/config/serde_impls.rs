//! serde for the config's value types whose JSON shape is not a derive's
//! (feature `serde`), the defaults the derives name, and the defaults that
//! depend on another field ([`complete`]).
//!
//! Structure is the JSON Schema's job (it runs first in
//! `crate::validate`); these impls still refuse what they cannot represent,
//! so deserializing without the schema never builds a wrong value.

use super::*;
use crate::json_de::{DeError, DECIMAL_TOKEN};
use core::fmt;
use serde::de::{self, Deserializer, MapAccess, Visitor};

pub fn yes() -> bool {
    true
}
pub fn one() -> Decimal {
    Decimal::ONE
}
pub fn one_int() -> i64 {
    1
}
pub fn three() -> i64 {
    3
}
pub fn seven() -> i64 {
    7
}
pub fn thirty() -> i64 {
    30
}
pub fn twenty() -> i64 {
    20
}
pub fn utc() -> String {
    "UTC".into()
}
pub fn optional() -> FieldMode {
    FieldMode::Optional
}
pub fn hidden() -> FieldMode {
    FieldMode::Hidden
}
/// For the schema: a default that [`complete`] computes is not written as one.
pub fn is_zero(n: &i64) -> bool {
    *n == 0
}
/// Stands for "no limit given" until [`complete`] puts the kind's default
/// (a real limit is at least one day).
pub fn no_limit() -> Limit {
    Limit::EveryDays(0)
}

/// The defaults that depend on another field: an action's id and limit
/// (its kind), a redemption's range (its points), the store's locales (its
/// default locale). The derives leave them empty; this fills them.
pub fn complete(p: &mut Program) {
    if p.store.locales.is_empty() {
        p.store.locales = vec![p.store.default_locale.clone()];
    }
    for a in &mut p.actions {
        if a.id.is_empty() {
            a.id = a.kind.name().to_string();
        }
        if a.limit == no_limit() {
            a.limit = a.kind.default_limit();
        }
    }
    for r in &mut p.redemptions {
        if r.min_points == 0 {
            r.min_points = r.points;
        }
        if r.max_points == 0 {
            r.max_points = r.min_points.max(r.points);
        }
        if r.increment == 0 {
            r.increment = r.points;
        }
    }
}

impl Program {
    /// The program from a parsed document through serde, with the defaults
    /// that depend on other fields filled in. Checks types, not rules:
    /// `crate::validate` runs the schema before and the semantic pass after.
    pub fn from_document(json: &Json) -> core::result::Result<Program, DeError> {
        let mut p: Program = crate::json_de::from_json(json)?;
        complete(&mut p);
        Ok(p)
    }
}

/// Visits a JSON object as (key, value) pairs in document order. A number
/// handed over as the decimal token (crate::json_de) is not an object.
fn pairs<'de, A: MapAccess<'de>, V: de::Deserialize<'de>>(mut map: A) -> core::result::Result<Vec<(String, V)>, A::Error> {
    let mut out = Vec::new();
    while let Some(k) = map.next_key::<String>()? {
        if k == DECIMAL_TOKEN {
            return Err(de::Error::custom("expected a string or an object, found a number"));
        }
        out.push((k, map.next_value::<V>()?));
    }
    Ok(out)
}

/// `Deserialize` for `$t` through a visitor with the given `visit_*`
/// methods: the boilerplate every hand impl here shares.
macro_rules! deserialize_via {
    ($t:ty, $de:lifetime, $how:ident, $expecting:literal, $($visit:item)*) => {
        impl<$de> de::Deserialize<$de> for $t {
            fn deserialize<D: Deserializer<$de>>(d: D) -> core::result::Result<$t, D::Error> {
                struct V;
                impl<$de> Visitor<$de> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    $($visit)*
                }
                d.$how(V)
            }
        }
    };
}

deserialize_via!(Text, 'de, deserialize_any, "a string or an object of locale → string",
    fn visit_str<E: de::Error>(self, s: &str) -> core::result::Result<Text, E> {
        Ok(Text(vec![("*".into(), s.into())]))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> core::result::Result<Text, A::Error> {
        Ok(Text(pairs(map)?))
    }
);

/// One locale's overrides under `texts`.
struct Strings(Overrides);

deserialize_via!(Strings, 'de, deserialize_map, "an object of key → text",
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> core::result::Result<Strings, A::Error> {
        Ok(Strings(pairs(map)?))
    }
);

/// `texts`: locale → (string key → text), in document order.
pub fn texts<'de, D: Deserializer<'de>>(d: D) -> core::result::Result<Vec<(String, Overrides)>, D::Error> {
    let by_locale: Vec<(String, Strings)> = pairs_of(d)?;
    Ok(by_locale.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// An object as (key, value) pairs in document order.
struct Pairs<V>(Vec<(String, V)>);

impl<'de, V: de::Deserialize<'de>> de::Deserialize<'de> for Pairs<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Pairs<V>, D::Error> {
        struct Visit<V>(core::marker::PhantomData<V>);
        impl<'de, V: de::Deserialize<'de>> Visitor<'de> for Visit<V> {
            type Value = Pairs<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> core::result::Result<Pairs<V>, A::Error> {
                Ok(Pairs(pairs(map)?))
            }
        }
        d.deserialize_map(Visit(core::marker::PhantomData))
    }
}

fn pairs_of<'de, D: Deserializer<'de>, V: de::Deserialize<'de>>(d: D) -> core::result::Result<Vec<(String, V)>, D::Error> {
    Ok(Pairs::<V>::deserialize(d)?.0)
}

impl<'de> de::Deserialize<'de> for Offers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Offers, D::Error> {
        let mut default = None;
        let mut segments = Vec::new();
        for (k, offer) in pairs_of::<D, Offer>(d)? {
            if k == "default" {
                default = Some(offer);
            } else {
                let s = Segment::ALL.iter().find(|(n, _)| *n == k).ok_or_else(|| de::Error::custom(format!("unknown segment \"{k}\"")))?;
                segments.push((s.1, offer));
            }
        }
        let default = default.ok_or_else(|| de::Error::missing_field("default"))?;
        Ok(Offers { default, segments })
    }
}

deserialize_via!(Limit, 'de, deserialize_any, "\"once\", \"yearly\", \"unlimited\" or {\"every_days\": n}",
    fn visit_str<E: de::Error>(self, s: &str) -> core::result::Result<Limit, E> {
        match s {
            "once" => Ok(Limit::Once),
            "yearly" => Ok(Limit::Yearly),
            "unlimited" => Ok(Limit::Unlimited),
            _ => Err(E::unknown_variant(s, &["once", "yearly", "unlimited"])),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> core::result::Result<Limit, A::Error> {
        let mut days = None;
        while let Some(k) = map.next_key::<String>()? {
            if k != "every_days" {
                return Err(de::Error::unknown_field(&k, &["every_days"]));
            }
            days = Some(map.next_value::<i64>()?);
        }
        let days = days.ok_or_else(|| de::Error::missing_field("every_days"))?;
        if days < 1 {
            return Err(de::Error::custom(format!("must be at least 1, found {days}")));
        }
        Ok(Limit::EveryDays(days))
    }
);

deserialize_via!(Decimal, 'de, deserialize_any, "an exact decimal: a string such as \"1.25\" or an integer",
    fn visit_str<E: de::Error>(self, s: &str) -> core::result::Result<Decimal, E> {
        Decimal::parse(s).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> core::result::Result<Decimal, E> {
        Decimal::parse(&n.to_string()).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> core::result::Result<Decimal, E> {
        Decimal::parse(&n.to_string()).map_err(E::custom)
    }
    // A number with a fraction, as its exact text (crate::json_de).
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> core::result::Result<Decimal, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((k, text)) if k == DECIMAL_TOKEN => Decimal::parse(&text).map_err(de::Error::custom),
            _ => Err(de::Error::custom("expected an exact decimal")),
        }
    }
);

/// As its canonical text (the schema writes a multiplier's default with it).
impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

impl<'de> de::Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Currency, D::Error> {
        let code = String::deserialize(d)?;
        Currency::from_code(&code).ok_or_else(|| de::Error::custom(format!("unknown ISO 4217 currency code \"{code}\"")))
    }
}
