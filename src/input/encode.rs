//! JSON → the inputs' bytes, by their field table ([`super::table`]):
//! the native side of the boundary (the server, the native `Engine::run`,
//! the tests' encoder for the wasm). Every issue is reported with its JSON
//! path, "did you mean" for unknown fields and values, the way
//! `www/src/ui/wire-encode.js` does for the page's carts.

use super::table::{self, Field, Kind};
use super::{Skip, Text};
use crate::decode::{Decoder, Path};
use crate::error::{Error, Result};
use crate::json::Json;
use crate::prelude::*;
use crate::wire::W;

/// The bytes of input `name` (one of [`table::INPUTS`]) given as JSON text.
pub fn from_text(name: &str, text: &str) -> Result<Vec<u8>> {
    let json = Json::parse(text).map_err(|m| Error::at("", m))?;
    json_value(name, &json)
}

/// The bytes of input `name` for a JSON value.
pub fn json_value(name: &str, v: &Json) -> Result<Vec<u8>> {
    let fields = table::of(name);
    let mut d = Decoder::default();
    let mut w = W::default();
    object(&mut d, &mut w, &fields, v, Path::Root);
    d.finish(Some(w.b))
}

fn object(d: &mut Decoder, w: &mut W, fields: &[Field], v: &Json, path: Path) {
    let Some(mut o) = d.object(v, path) else { return };
    for f in fields.iter().filter(|f| !matches!(f.kind, Kind::Either(..))) {
        let value = if f.name.is_empty() { None } else { o.raw(f.name) };
        field(d, w, f, value, &path.key(f.name));
    }
    o.done(d);
    for f in fields {
        if let Kind::Either(a, b) = f.kind {
            if o_missing(v, a) && o_missing(v, b) {
                d.fail::<()>(&path.key(a), ["is required (or ", b, ")"].concat());
            }
        }
    }
}

fn o_missing(v: &Json, key: &str) -> bool {
    matches!(v.get(key), None | Some(Json::Null))
}

fn field(d: &mut Decoder, w: &mut W, f: &Field, v: Option<&Json>, p: &Path) {
    match (&f.kind, v) {
        (Kind::Int { default: Some(n), .. }, None) => w.i64(*n),
        (Kind::Int { min, max, .. }, Some(v)) => w.i64(d.int(v, p, *min, *max).unwrap_or(0)),
        (Kind::OptInt { min, max }, Some(v)) => {
            w.bool(true);
            w.i64(d.int(v, p, *min, *max).unwrap_or(0));
        }
        (Kind::Bool, v) => w.bool(v.is_some_and(|v| d.bool(v, p).unwrap_or(false))),
        (Kind::Text { default: Some(t), .. }, None) => w.str(t),
        (Kind::Text { kind, .. }, Some(v)) => w.str(&text(d, *kind, v, p)),
        (Kind::OptText(kind), Some(v)) => {
            w.bool(true);
            w.str(&text(d, *kind, v, p));
        }
        (Kind::Texts(_), None) => w.uvar(0),
        (Kind::Texts(kind), Some(v)) => {
            let items = items(d, v, p);
            w.uvar(items.len() as u64);
            for (i, x) in items.iter().enumerate() {
                w.str(&text(d, *kind, x, &p.index(i)));
            }
        }
        (Kind::Instant, Some(v)) => instant(d, w, v, p),
        (Kind::OptInstant, Some(v)) => {
            w.bool(true);
            instant(d, w, v, p);
        }
        (Kind::Choice { default: Some(i), .. }, None) => w.u8(*i as u8),
        (Kind::Choice { names, default }, Some(v)) => {
            let named: Vec<(&str, u8)> = names.iter().enumerate().map(|(i, n)| (*n, i as u8)).collect();
            if default.is_none() {
                w.bool(true);
            }
            w.u8(d.one_of(v, p, &named).unwrap_or(0));
        }
        (Kind::List { required: false, .. }, None) => w.uvar(0),
        (Kind::List { max, fields, .. }, Some(v)) => {
            let items = items(d, v, p);
            if items.len() > *max {
                d.fail::<()>(p, ["at most ", &crate::json::int_text(*max as i64), " lines"].concat());
                w.uvar(0);
                return;
            }
            w.uvar(items.len() as u64);
            for (i, x) in items.iter().enumerate() {
                object(d, w, fields, x, p.index(i));
            }
        }
        (Kind::Obj(fields), Some(v)) => {
            w.bool(true);
            object(d, w, fields, v, *p);
        }
        (Kind::Skip(what), Some(v)) => match what {
            Skip::Int(min, max) => drop(d.int(v, p, *min, *max)),
            Skip::Text(t) => drop(text(d, *t, v, p)),
            Skip::Texts(t) => {
                for (i, x) in items(d, v, p).iter().enumerate() {
                    text(d, *t, x, &p.index(i));
                }
            }
            Skip::Any => {}
        },
        (Kind::Skip(_) | Kind::Either(..), _) => {}
        // Optional and absent.
        (Kind::OptInt { .. } | Kind::OptText(_) | Kind::OptInstant | Kind::Obj(_) | Kind::Choice { .. }, None) => w.bool(false),
        // Required and absent.
        (Kind::Int { .. } | Kind::Text { .. } | Kind::Instant | Kind::List { .. }, None) => {
            d.fail::<()>(p, "is required");
        }
    }
}

fn items<'a>(d: &mut Decoder, v: &'a Json<'a>, p: &Path) -> &'a [Json<'a>] {
    match v {
        Json::Array(a) => a,
        other => {
            d.fail::<()>(p, format!("expected an array, found {}", other.kind()));
            &[]
        }
    }
}

/// A text's bytes: what was given (numbers as their JSON text), checked as
/// its kind says; `""` when it is wrong (the issue is recorded).
fn text(d: &mut Decoder, kind: Text, v: &Json, p: &Path) -> String {
    let out = match (kind, v) {
        (Text::Id(_) | Text::Decimal, Json::Number(n)) => Some(n.to_string()),
        (Text::Any, v) => d.string(v, p),
        (Text::Max(n) | Text::Id(n), v) => d.text(v, p, n),
        (Text::Currency, v) => d.currency(v, p).and(v.as_str().map(String::from)),
        (Text::Decimal, v) => d.decimal(v, p).and(v.as_str().map(String::from)),
    };
    if let (Text::Decimal, Json::Number(_)) = (kind, v) {
        d.decimal(v, p);
    }
    out.unwrap_or_default()
}

/// An instant: epoch milliseconds (`false`, the number) or UTC text (`true`, the text).
fn instant(d: &mut Decoder, w: &mut W, v: &Json, p: &Path) {
    let ok = d.instant(v, p);
    match v {
        Json::String(t) => {
            w.bool(true);
            w.str(t);
        }
        _ => {
            w.bool(false);
            w.i64(ok.unwrap_or(0));
        }
    }
}
