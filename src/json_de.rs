//! serde over the core's exact [`Json`] tree (feature `serde`).
//!
//! Why not `serde_json::from_str`: serde_json turns `1.25` into an `f64`;
//! here a number keeps its source text. Integers reach visitors as `i64`
//! (as `1e2` and `10.0` also are); any other number reaches only [`crate::decimal::Decimal`]'s
//! visitor, as the single-entry map `{DECIMAL_TOKEN: "<text>"}` (the trick
//! serde_json uses for `arbitrary_precision`), so no value ever passes
//! through a float. Integers are read as the browser's decoder reads them
//! ([`integer_text`]). Object members set to `null` are skipped: in the
//! program document `null` means "absent" (maps that must not hold `null`
//! are refused by the JSON Schema before serde runs). Errors carry the JSON
//! path of the value (`tiers.levels[1].threshold`).

use crate::json::Json;
use crate::prelude::*;
use core::fmt;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// The key of the map a non-integer number is handed over as.
pub const DECIMAL_TOKEN: &str = "$rewards_core::decimal";

/// A deserialization error with the path of the value it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl core::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError { path: String::new(), message: msg.to_string() }
    }
}

/// The integer a JSON number's text stands for, read as the browser's
/// decoder reads it: `10`, but also `1e2` or `10.0` (exactly, through
/// [`crate::decimal::Decimal`]); `None` for a fraction or beyond `i64`/10^15.
pub fn integer_text(t: &str) -> Option<i64> {
    t.parse::<i64>().ok().or_else(|| crate::decimal::Decimal::parse(t).ok().filter(|d| d.scale == 0).map(|d| d.mantissa))
}

/// Deserializes `T` from `json`; the error names the path.
pub fn from_json<'de, T: serde::Deserialize<'de>>(json: &'de Json<'de>) -> Result<T, DeError> {
    T::deserialize(JsonDe { value: json, path: String::new() })
}

/// One value of the tree and where it sits.
pub struct JsonDe<'de> {
    value: &'de Json<'de>,
    path: String,
}

impl<'de> JsonDe<'de> {
    fn child(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Fills in the path of an error raised below without one.
    fn at(&self, mut e: DeError) -> DeError {
        if e.path.is_empty() {
            e.path = self.path.clone();
        }
        e
    }

    fn wrong(&self, expected: &str) -> DeError {
        DeError { path: self.path.clone(), message: format!("expected {expected}, found {}", self.value.kind()) }
    }

    fn integer<T: TryFrom<i64>>(&self) -> Result<T, DeError> {
        match self.value {
            Json::Number(t) => match integer_text(t) {
                Some(n) => T::try_from(n).map_err(|_| DeError { path: self.path.clone(), message: format!("{t} is out of range") }),
                None if crate::decimal::Decimal::parse(t).is_ok() => {
                    Err(DeError { path: self.path.clone(), message: format!("must be a whole number, found {t}") })
                }
                None => Err(DeError { path: self.path.clone(), message: format!("{t} is out of range") }),
            },
            _ => Err(self.wrong("an integer")),
        }
    }
}

impl<'de> de::Deserializer<'de> for JsonDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.value {
            // `Written` is only ever output, never parsed input.
            Json::Null | Json::Written(_) => visitor.visit_unit(),
            Json::Bool(b) => visitor.visit_bool(*b),
            Json::Number(t) => {
                if let Some(n) = integer_text(t) {
                    visitor.visit_i64(n)
                } else {
                    let token = de::value::MapDeserializer::new(core::iter::once((DECIMAL_TOKEN, t.as_ref())));
                    visitor.visit_map(token)
                }
            }
            Json::String(s) => match s {
                alloc::borrow::Cow::Borrowed(b) => visitor.visit_borrowed_str(b),
                alloc::borrow::Cow::Owned(o) => visitor.visit_str(o),
            },
            Json::Array(items) => visitor.visit_seq(Seq { items: items.iter().enumerate(), path: &self.path }),
            Json::Object(fields) => visitor.visit_map(Map { fields: fields.iter(), parent: &self, pending: None }),
        };
        r.map_err(|e| self.at(e))
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.integer::<i64>()?;
        visitor.visit_i64(n).map_err(|e| self.at(e))
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.integer::<u64>()?;
        visitor.visit_u64(n).map_err(|e| self.at(e))
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let n = self.integer::<u32>()?;
        visitor.visit_u32(n).map_err(|e| self.at(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Json::Bool(b) => visitor.visit_bool(*b).map_err(|e| self.at(e)),
            _ => Err(self.wrong("true or false")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Json::String(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Json::Null => visitor.visit_none(),
            _ => {
                let path = self.path.clone();
                visitor.visit_some(self).map_err(|mut e| {
                    if e.path.is_empty() {
                        e.path = path;
                    }
                    e
                })
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Json::Array(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong("an array")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Json::Object(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong("an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            Json::String(s) => visitor.visit_enum(s.as_ref().into_deserializer()).map_err(|e: DeError| self.at(e)),
            _ => Err(self.wrong("a string")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    // Floats are refused: numbers are exact text here.
    fn deserialize_f32<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(DeError { path: self.path, message: "floating point is not used: decimals are exact".into() })
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(DeError { path: self.path, message: "floating point is not used: decimals are exact".into() })
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u128 char bytes byte_buf unit unit_struct newtype_struct tuple tuple_struct identifier
    }
}

struct Seq<'a, 'de> {
    items: core::iter::Enumerate<core::slice::Iter<'de, Json<'de>>>,
    path: &'a str,
}

impl<'de> SeqAccess<'de> for Seq<'_, 'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some((i, value)) => seed.deserialize(JsonDe { value, path: format!("{}[{i}]", self.path) }).map(Some),
            None => Ok(None),
        }
    }
}

struct Map<'a, 'de> {
    fields: core::slice::Iter<'de, (alloc::borrow::Cow<'de, str>, Json<'de>)>,
    parent: &'a JsonDe<'de>,
    pending: Option<(&'de str, &'de Json<'de>)>,
}

impl<'de> MapAccess<'de> for Map<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        // `null` members are absent.
        for (k, v) in self.fields.by_ref() {
            if *v != Json::Null {
                self.pending = Some((k.as_ref(), v));
                let key: de::value::BorrowedStrDeserializer<'de, DeError> = de::value::BorrowedStrDeserializer::new(k.as_ref());
                return seed.deserialize(key).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (k, value) =
            self.pending.take().ok_or_else(|| DeError { path: self.parent.path.clone(), message: "value without a key".into() })?;
        seed.deserialize(JsonDe { value, path: self.parent.child(k) })
    }
}
