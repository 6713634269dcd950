//! Request bodies: every JSON the server reads is decoded into a
//! `serde`-derived type with `deny_unknown_fields` (see each endpoint's
//! module), through [`decode`], which answers a 422 naming the JSON path of
//! the first problem (`customer.email`, `discount_codes[1]`).
//!
//! Field rules live once each, in the small types below (`Id`, `Email`,
//! `Code`, `Amount`, …): their `Deserialize` reads any JSON value as
//! [`Any`] and checks it, so a wrong type gets a plain message ("expected a
//! string, found a number") rather than serde's echo of the input.
//! Integers stay exact: serde_json hands a fraction, an exponent or an
//! integer beyond 64 bits over as a float, which every rule here refuses
//! without reading it. Embedded core documents (a cart) stay raw JSON text
//! ([`serde_json::value::RawValue`]) for the core to decode.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{ApiError, ApiResult};

/// Decodes a JSON object body into `T`; the error names the path.
pub fn decode<'de, T: Deserialize<'de>>(body: &'de [u8]) -> ApiResult<T> {
    let text = std::str::from_utf8(body).map_err(|_| ApiError::invalid("", "body is not UTF-8"))?;
    let found = match text.trim_start_matches([' ', '\t', '\n', '\r']).bytes().next() {
        Some(b'{') => None,
        None => Some("nothing (the body is empty)"),
        Some(b'[') => Some("an array"),
        Some(b'"') => Some("a string"),
        Some(b't' | b'f') => Some("a boolean"),
        Some(b'n') => Some("null"),
        Some(b'-' | b'0'..=b'9') => Some("a number"),
        Some(_) => Some("text that is not JSON"),
    };
    if let Some(found) = found {
        return Err(ApiError::invalid("", format!("expected a JSON object, found {found}")));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = path_text(e.path());
        issue(path, e.into_inner())
    })?;
    de.end().map_err(|e| issue(String::new(), e))?;
    Ok(value)
}

/// `a.b[0].c`; the body itself is the empty path.
fn path_text(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => join(&mut out, key),
            Segment::Unknown => join(&mut out, "?"),
        }
    }
    out
}

fn join(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// A serde_json error as one issue. Syntax errors keep their line and
/// column; the derive's field errors are put on the field's own path (the
/// tracker's path already ends with an unknown key, but stops at the object
/// for a missing or repeated one).
fn issue(mut path: String, e: serde_json::Error) -> ApiError {
    if !e.is_data() {
        return ApiError::invalid(&path, format!("invalid JSON: {e}"));
    }
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    // The three messages serde's derive writes itself (`serde::de::Error`).
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let expected = rest.rfind("`, expected ").map(|i| &rest[i + "`, expected ".len()..]);
        let m = expected.map_or("unknown field".to_string(), |x| format!("unknown field; expected {x}"));
        return ApiError::invalid(&path, m);
    }
    for (prefix, m) in [("missing field `", "is required"), ("duplicate field `", "appears twice")] {
        if let Some(key) = message.strip_prefix(prefix).and_then(|r| r.strip_suffix('`')) {
            join(&mut path, key);
            return ApiError::invalid(&path, m);
        }
    }
    ApiError::invalid(&path, message)
}

/// Any JSON value, as far as a field rule needs to know it. Numbers are
/// exact integers or refused ([`Any::Inexact`]); arrays and objects are
/// skipped, only their kind is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Any {
    Null,
    Bool(bool),
    Int(i128),
    /// A number with a fraction or an exponent, or an integer too large
    /// for 64 bits (serde_json reads these as floats; the value is never used).
    Inexact,
    Str(String),
    Array,
    Object,
}

impl Any {
    pub fn kind(&self) -> &'static str {
        match self {
            Any::Null => "null",
            Any::Bool(_) => "a boolean",
            Any::Int(_) => "a number",
            Any::Inexact => "a number that is not a whole number in range",
            Any::Str(_) => "a string",
            Any::Array => "an array",
            Any::Object => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Any {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Any, D::Error> {
        d.deserialize_any(AnyVisitor)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Any;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Any, E> {
        Ok(Any::Null)
    }
    fn visit_none<E>(self) -> Result<Any, E> {
        Ok(Any::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Any, D::Error> {
        Any::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Any, E> {
        Ok(Any::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Any, E> {
        Ok(Any::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Any, E> {
        Ok(Any::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Any, E> {
        Ok(Any::Int(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Any, E> {
        Ok(i128::try_from(v).map_or(Any::Inexact, Any::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Any, E> {
        Ok(Any::Inexact)
    }
    fn visit_str<E>(self, v: &str) -> Result<Any, E> {
        Ok(Any::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Any, E> {
        Ok(Any::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Any::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Any::Object)
    }
}

/// A type checked from [`Any`] by one rule; its `Deserialize` is
/// [`impl_rule!`]'s.
pub trait Rule: Sized {
    fn check(v: Any) -> Result<Self, String>;
}

macro_rules! impl_rule {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$t as Rule>::check(Any::deserialize(d)?).map_err(de::Error::custom)
            }
        }
    )*};
}

/// 1..=max characters, none of them a control character.
fn printable(v: &str, max: usize) -> bool {
    !v.is_empty() && v.chars().count() <= max && !v.chars().any(char::is_control)
}

/// An identifier of 1..=`MAX` printable characters, surrounding spaces
/// dropped. Platform ids may also be sent as non-negative integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id<const MAX: usize>(pub String);

impl<const MAX: usize> Id<MAX> {
    pub fn parse(v: &str) -> Result<Self, String> {
        let v = v.trim();
        if printable(v, MAX) {
            Ok(Id(v.to_string()))
        } else {
            Err(format!("must be 1 to {MAX} printable characters"))
        }
    }
}

impl<const MAX: usize> Rule for Id<MAX> {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Str(s) => Id::parse(&s),
            Any::Int(n) if n >= 0 => Id::parse(&n.to_string()),
            Any::Null => Err("is required".into()),
            other => Err(format!("expected a string, found {}", other.kind())),
        }
    }
}

impl<'de, const MAX: usize> Deserialize<'de> for Id<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Id::check(Any::deserialize(d)?).map_err(de::Error::custom)
    }
}

/// A string, surrounding spaces dropped; empty is as good as absent
/// (the signup form sends its empty fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub Option<String>);

impl Rule for Text {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Str(s) => Ok(Text(Some(s.trim().to_string()).filter(|s| !s.is_empty()))),
            Any::Null => Ok(Text(None)),
            other => Err(format!("expected a string, found {}", other.kind())),
        }
    }
}

/// Any string, exactly as sent (a consent's wording is compared as shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str(pub String);

impl Rule for Str {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Str(s) => Ok(Str(s)),
            other => Err(format!("expected a string, found {}", other.kind())),
        }
    }
}

/// A normalised e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(pub String);

impl Email {
    /// Lower-cases and checks an address. Lower-casing the local part too is
    /// a deliberate simplification: shops treat addresses case-insensitively.
    pub fn parse(raw: &str) -> Result<Email, &'static str> {
        let e = raw.trim().to_lowercase();
        if e.is_empty() {
            return Err("is required");
        }
        if e.len() > 254 {
            return Err("is longer than 254 characters");
        }
        let Some((local, domain)) = e.rsplit_once('@') else { return Err("is not an email address (no @)") };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c) || (!c.is_ascii() && c.is_alphanumeric()));
        if !local_ok {
            return Err("has an invalid name before the @");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric()))
            })
            && labels.last().is_some_and(|t| t.len() >= 2 && !t.chars().all(|c| c.is_ascii_digit()));
        if !domain_ok {
            return Err("has an invalid domain");
        }
        Ok(Email(e))
    }
}

impl Rule for Email {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Str(s) => Email::parse(&s).map_err(String::from),
            other => Err(format!("expected a string, found {}", other.kind())),
        }
    }
}

/// A whole number in `range`, else `message` (with a hint for a
/// fraction, an exponent or a number beyond 64 bits).
fn whole(v: &Any, range: std::ops::RangeInclusive<i128>, message: &str) -> Result<i64, String> {
    match v {
        Any::Int(n) if range.contains(n) => i64::try_from(*n).map_err(|_| message.to_string()),
        Any::Inexact => Err(format!("{message} (no fraction or exponent)")),
        _ => Err(message.to_string()),
    }
}

/// Minor units of money, 1..=10¹⁸ (the core's largest amount).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub i64);

impl Rule for Amount {
    fn check(v: Any) -> Result<Self, String> {
        whole(&v, 1..=1_000_000_000_000_000, "must be a positive whole number of minor units").map(Amount)
    }
}

/// A positive number of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Points(pub i64);

impl Rule for Points {
    fn check(v: Any) -> Result<Self, String> {
        whole(&v, 1..=i64::MAX.into(), "must be a positive whole number").map(Points)
    }
}

/// A whole number (a consent's version, milliseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int(pub i64);

impl Rule for Int {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Int(_) => whole(&v, i64::MIN.into()..=i64::MAX.into(), "is out of range").map(Int),
            other => Err(format!("expected a whole number, found {}", other.kind())),
        }
    }
}

/// `true` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Rule for Flag {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Bool(b) => Ok(Flag(b)),
            _ => Err("must be true or false".into()),
        }
    }
}

/// Longest code the API accepts (ours are 17 characters; platform codes vary).
pub const MAX_CODE_CHARS: usize = 64;
/// Most discount codes one order may carry.
pub const MAX_CODES_PER_ORDER: usize = 50;

/// A discount code as shoppers type it: surrounding spaces dropped,
/// letters upper-cased (ours are upper-case Crockford base32).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code(pub String);

impl Code {
    pub fn normalise(code: &str) -> String {
        code.trim().to_uppercase()
    }
}

impl Rule for Code {
    fn check(v: Any) -> Result<Self, String> {
        let Any::Str(raw) = v else { return Err(format!("expected a string, found {}", v.kind())) };
        let code = Code::normalise(&raw);
        if printable(&code, MAX_CODE_CHARS) {
            Ok(Code(code))
        } else {
            Err(format!("must be 1 to {MAX_CODE_CHARS} printable characters"))
        }
    }
}

/// An order's `discount_codes`: at most [`MAX_CODES_PER_ORDER`], normalised,
/// without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codes(pub Vec<String>);

impl<'de> Deserialize<'de> for Codes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Codes, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Codes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of codes")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Codes, A::Error> {
                let mut codes: Vec<String> = Vec::new();
                for _ in 0..MAX_CODES_PER_ORDER {
                    let Some(Code(code)) = seq.next_element()? else { return Ok(Codes(codes)) };
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
                match seq.next_element::<IgnoredAny>()? {
                    None => Ok(Codes(codes)),
                    Some(_) => Err(de::Error::custom(format!("at most {MAX_CODES_PER_ORDER} codes"))),
                }
            }
        }
        d.deserialize_any(Refusing(V, "an array of codes", Takes::Array))
    }
}

/// Membership states the billing reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    Trial,
    Active,
    Lapsed,
}

impl MembershipStatus {
    pub fn name(self) -> &'static str {
        match self {
            MembershipStatus::Trial => "trial",
            MembershipStatus::Active => "active",
            MembershipStatus::Lapsed => "lapsed",
        }
    }
}

impl Rule for MembershipStatus {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Str(s) if s == "trial" => Ok(MembershipStatus::Trial),
            Any::Str(s) if s == "active" => Ok(MembershipStatus::Active),
            Any::Str(s) if s == "lapsed" => Ok(MembershipStatus::Lapsed),
            _ => Err("must be trial, active or lapsed".into()),
        }
    }
}

/// A voucher's void reason: 1..=200 characters, surrounding spaces dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(pub String);

impl Reason {
    pub const RULE: &'static str = "is required: 1 to 200 characters saying why";
}

impl Rule for Reason {
    fn check(v: Any) -> Result<Self, String> {
        match v {
            Any::Str(r) if !r.trim().is_empty() && r.chars().count() <= 200 => Ok(Reason(r.trim().to_string())),
            _ => Err(Reason::RULE.into()),
        }
    }
}

impl_rule!(Text, Str, Email, Amount, Points, Int, Flag, Code, MembershipStatus, Reason);

/// A nested object decoded by `T`'s derive: only a JSON object (serde's
/// derive would also take an array, field by position). `T::WHAT` names it
/// in the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obj<T>(pub T);

pub trait Described {
    /// "an object {id, email}".
    const WHAT: &'static str;
    /// What a [`List`] of them is called in its error ("consents").
    const PLURAL: &'static str = "items";
}

impl<'de, T: Deserialize<'de> + Described> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Obj<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Described> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Obj)
            }
        }
        d.deserialize_any(Refusing(V(PhantomData), T::WHAT, Takes::Object))
    }
}

/// An array of at most `MAX` `T`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T, const MAX: usize>(pub Vec<T>);

impl<'de, T: Deserialize<'de> + Described, const MAX: usize> Deserialize<'de> for List<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const MAX: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Described, const MAX: usize> Visitor<'de> for V<T, MAX> {
            type Value = List<T, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an array of at most {MAX} items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(Obj(item)) = seq.next_element::<Obj<T>>()? {
                    if out.len() == MAX {
                        return Err(de::Error::custom(format!("must be an array of at most {MAX} {}", T::PLURAL)));
                    }
                    out.push(item);
                }
                Ok(List(out))
            }
        }
        d.deserialize_any(Refusing(V::<T, MAX>(PhantomData), "an array", Takes::Array))
    }
}

/// Wraps a visitor that takes one kind of value: every other kind is
/// refused with "expected …, found …" instead of serde's echo of the input.
struct Refusing<V>(V, &'static str, Takes);

#[derive(PartialEq)]
enum Takes {
    Array,
    Object,
}

impl<V> Refusing<V> {
    fn refuse<E: de::Error, T>(&self, found: &str) -> Result<T, E> {
        Err(E::custom(format!("expected {}, found {found}", self.1)))
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Refusing<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.2 == Takes::Array {
            self.0.visit_seq(seq)
        } else {
            self.refuse("an array")
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        if self.2 == Takes::Object {
            self.0.visit_map(map)
        } else {
            self.refuse("an object")
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.refuse("null")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<V::Value, E> {
        self.refuse("a boolean")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<V::Value, E> {
        self.refuse("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<V::Value, E> {
        self.refuse("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<V::Value, E> {
        self.refuse("a number")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<V::Value, E> {
        self.refuse("a string")
    }
}

/// An embedded core document (a cart), kept as the exact text received.
pub type Raw = Box<RawValue>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        id: Option<Id<8>>,
        email: Option<Email>,
    }
    impl Described for Inner {
        const WHAT: &'static str = "an object {id, email}";
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Body {
        id: Id<8>,
        inner: Option<Obj<Inner>>,
        codes: Option<Codes>,
        amount: Option<Amount>,
        cart: Option<Raw>,
    }

    fn err(text: &str) -> (String, String) {
        let e = decode::<Body>(text.as_bytes()).unwrap_err();
        assert_eq!(e.issues.len(), 1, "{e:?}");
        e.issues[0].clone()
    }

    #[test]
    fn paths_and_messages() {
        let ok: Body =
            decode(br#"{"id": 42, "inner": {"email": " A@Example.com "}, "codes": ["a", " A ", "b"], "cart": {"x": [1, 2.50]}}"#).unwrap();
        assert_eq!((ok.id.0.as_str(), ok.amount), ("42", None));
        let inner = ok.inner.unwrap().0;
        assert_eq!((inner.id, inner.email.unwrap().0.as_str()), (None, "a@example.com"));
        assert_eq!(ok.codes.unwrap().0, ["A", "B"]);
        assert_eq!(ok.cart.unwrap().get(), r#"{"x": [1, 2.50]}"#, "the exact text");
        let cases = [
            (r#"{"id":"a","extra":1}"#, "extra", "unknown field; expected one of `id`, `inner`, `codes`, `amount`, `cart`"),
            (r#"{"inner":{}}"#, "id", "is required"),
            (r#"{"id":"a","id":"b"}"#, "id", "appears twice"),
            (r#"{"id":"a","inner":{"email":"a@b.co","email":"a@b.co"}}"#, "inner.email", "appears twice"),
            (r#"{"id":"a","inner":{"id":{}}}"#, "inner.id", "expected a string, found an object"),
            (r#"{"id":""}"#, "id", "must be 1 to 8 printable characters"),
            (r#"{"id":-1}"#, "id", "expected a string, found a number"),
            (r#"{"id":1.5}"#, "id", "expected a string, found a number that is not a whole number in range"),
            (r#"{"id":null}"#, "id", "is required"),
            (r#"{"id":"a","inner":{"email":"nope"}}"#, "inner.email", "is not an email address (no @)"),
            (r#"{"id":"a","inner":{"email":5}}"#, "inner.email", "expected a string, found a number"),
            (r#"{"id":"a","inner":{"zip":5}}"#, "inner.zip", "unknown field; expected `id` or `email`"),
            (r#"{"id":"a","inner":["x"]}"#, "inner", "expected an object {id, email}, found an array"),
            (r#"{"id":"a","codes":"x"}"#, "codes", "expected an array of codes, found a string"),
            (r#"{"id":"a","codes":["ok",""]}"#, "codes[1]", "must be 1 to 64 printable characters"),
            (r#"{"id":"a","codes":[{}]}"#, "codes[0]", "expected a string, found an object"),
            (r#"{"id":"a","amount":1e3}"#, "amount", "must be a positive whole number of minor units (no fraction or exponent)"),
            (
                r#"{"id":"a","amount":18446744073709551616}"#,
                "amount",
                "must be a positive whole number of minor units (no fraction or exponent)",
            ),
            (r#"{"id":"a","amount":1000000000000000001}"#, "amount", "must be a positive whole number of minor units"),
            ("[1]", "", "expected a JSON object, found an array"),
            ("", "", "expected a JSON object, found nothing (the body is empty)"),
        ];
        for (text, path, message) in cases {
            assert_eq!(err(text), (path.to_string(), message.to_string()), "{text}");
        }
        let many = format!(r#"{{"id":"a","codes":[{}]}}"#, (0..51).map(|i| format!("\"c{i}\"")).collect::<Vec<_>>().join(","));
        assert_eq!(err(&many), ("codes".into(), "at most 50 codes".into()));
        for text in [r#"{"id":"a""#, r#"{"id":"a"} x"#, r#"{"id":"a","cart":{"x":}}"#] {
            let (_, m) = err(text);
            assert!(m.starts_with("invalid JSON: "), "{text}: {m}");
        }
        assert_eq!(err("{\"id\":\"a\",\"cart\":{\"x\":}}").0, "cart");
        // Deep nesting never exhausts the stack: skipped values are read
        // iteratively, and a raw cart is left to the core (which refuses
        // more than 64 levels; tests/server/bodies.rs).
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        for (text, path) in [
            (format!(r#"{{"id":{}}}"#, deep(100_000)), "id"),
            (format!(r#"{{"id":"a","zip":{}}}"#, deep(100_000)), "zip"),
            (format!(r#"{{"id":"a","inner":{{"id":{}}}}}"#, deep(100_000)), "inner.id"),
        ] {
            assert_eq!(err(&text).0, path);
        }
        assert!(decode::<Body>(format!(r#"{{"id":"a","cart":{}}}"#, deep(100_000)).as_bytes()).is_ok());
    }

    #[test]
    fn emails() {
        let n = |e: &str| Email::parse(e).map(|e| e.0);
        assert_eq!(n("  An.Nguyen@Example.COM "), Ok("an.nguyen@example.com".into()));
        assert_eq!(n("a+tag@sub.example.vn"), Ok("a+tag@sub.example.vn".into()));
        for bad in ["", "plain", "a@b", "a@@b.com", ".a@b.com", "a..b@c.com", "a@-b.com", "a b@c.com", "a@b.c", "a@b.123", "<a>@b.com"] {
            assert!(n(bad).is_err(), "{bad}");
        }
    }
}
