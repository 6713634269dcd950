//! The inputs' field tables, listed by running their one description
//! ([`super::cart`], …) with [`Describe`]: what the encoders interpret
//! ([`super::encode`] natively; the widget's JS encoder reads [`to_json`],
//! exported by the full wasm module as `inputs()`).

use super::{Skip, Text, Visit};
use crate::json::{int, obj, s, Json};
use crate::money::Currency;
use crate::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Int {
        min: i64,
        max: i64,
        default: Option<i64>,
    },
    OptInt {
        min: i64,
        max: i64,
    },
    Bool,
    Text {
        kind: Text,
        default: Option<&'static str>,
    },
    OptText(Text),
    Texts(Text),
    Instant,
    OptInstant,
    Choice {
        names: &'static [&'static str],
        default: Option<usize>,
    },
    List {
        max: usize,
        required: bool,
        fields: Vec<Field>,
    },
    Obj(Vec<Field>),
    Skip(Skip),
    /// An object's rule (not a field): `a` or `b` must be given.
    Either(&'static str, &'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
}

/// Records the fields a description visits (values: defaults).
#[derive(Default)]
pub struct Describe {
    fields: Vec<Field>,
}

impl Describe {
    fn push(&mut self, name: &'static str, kind: Kind) {
        self.fields.push(Field { name, kind });
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Vec<Field> {
        let outer = core::mem::take(&mut self.fields);
        let _ = f(self);
        core::mem::replace(&mut self.fields, outer)
    }
}

impl Visit<'static> for Describe {
    fn int(&mut self, name: &'static str, min: i64, max: i64, default: Option<i64>) -> i64 {
        self.push(name, Kind::Int { min, max, default });
        0
    }
    fn opt_int(&mut self, name: &'static str, min: i64, max: i64) -> Option<i64> {
        self.push(name, Kind::OptInt { min, max });
        None
    }
    fn bool(&mut self, name: &'static str) -> bool {
        self.push(name, Kind::Bool);
        false
    }
    fn text(&mut self, name: &'static str, kind: Text, default: Option<&'static str>) -> &'static str {
        self.push(name, Kind::Text { kind, default });
        ""
    }
    fn opt_text(&mut self, name: &'static str, kind: Text) -> Option<&'static str> {
        self.push(name, Kind::OptText(kind));
        None
    }
    fn texts(&mut self, name: &'static str, kind: Text) -> Vec<alloc::borrow::Cow<'static, str>> {
        self.push(name, Kind::Texts(kind));
        Vec::new()
    }
    fn opt_instant(&mut self, name: &'static str) -> Option<i64> {
        self.push(name, Kind::OptInstant);
        None
    }
    fn instant(&mut self, name: &'static str) -> i64 {
        self.push(name, Kind::Instant);
        0
    }
    fn choice(&mut self, name: &'static str, names: &'static [&'static str], default: Option<usize>) -> Option<usize> {
        self.push(name, Kind::Choice { names, default });
        default
    }
    fn list<T>(&mut self, name: &'static str, max: usize, required: bool, mut item: impl FnMut(&mut Self, usize) -> T) -> Vec<T> {
        let fields = self.nested(|d| item(d, 0));
        self.push(name, Kind::List { max, required, fields });
        Vec::new()
    }
    fn obj<T>(&mut self, name: &'static str, fields: impl FnOnce(&mut Self) -> T) -> Option<T> {
        let fields = self.nested(fields);
        self.push(name, Kind::Obj(fields));
        None
    }
    fn skip(&mut self, name: &'static str, what: Skip) {
        self.push(name, Kind::Skip(what));
    }
    fn either(&mut self, a: &'static str, b: &'static str) {
        self.push("", Kind::Either(a, b));
    }
    fn fail(&mut self, _: &'static str, _: &[&str]) {}
}

/// The inputs by the names the operation table gives them (`Op::input`),
/// and the shopper.
pub const INPUTS: &[&str] = &["shopper", "cart", "line", "signals", "dates"];

/// The fields of the input named `name` (one of [`INPUTS`]).
pub fn of(name: &str) -> Vec<Field> {
    // The currency only decides conversions, which the table does not show.
    let c = Currency::NONE;
    let mut d = Describe::default();
    match name {
        "shopper" => drop(super::shopper(&mut d)),
        "cart" => drop(super::cart(&mut d, c)),
        "line" => drop(super::line(&mut d, c)),
        "signals" => drop(super::signals(&mut d, c)),
        "dates" => drop(super::dates(&mut d)),
        _ => {}
    }
    d.fields
}

fn text_kind(t: Text) -> (&'static str, Json<'static>) {
    match t {
        Text::Any => ("any", Json::Null),
        Text::Max(n) => ("max", int(n as i64)),
        Text::Id(n) => ("id", int(n as i64)),
        Text::Currency => ("cur", Json::Null),
        Text::Decimal => ("dec", Json::Null),
    }
}

fn opt_int(v: Option<i64>) -> Json<'static> {
    v.map_or(Json::Null, int)
}

/// One row: `[name, kind, …]` (the kinds are listed in `www/src/ui/wire-encode.js`).
fn row(f: &Field) -> Json<'static> {
    let name = s(f.name);
    let mut r = match &f.kind {
        Kind::Int { min, max, default } => vec![s("i"), int(*min), int(*max), opt_int(*default)],
        Kind::OptInt { min, max } => vec![s("oi"), int(*min), int(*max)],
        Kind::Bool => vec![s("b")],
        Kind::Text { kind, default } => {
            let (k, max) = text_kind(*kind);
            vec![s("t"), s(k), max, default.map_or(Json::Null, s)]
        }
        Kind::OptText(kind) => {
            let (k, max) = text_kind(*kind);
            vec![s("ot"), s(k), max]
        }
        Kind::Texts(kind) => {
            let (k, max) = text_kind(*kind);
            vec![s("ts"), s(k), max]
        }
        Kind::Instant => vec![s("d"), int(super::MIN_INSTANT), int(super::MAX_INSTANT)],
        Kind::OptInstant => vec![s("od"), int(super::MIN_INSTANT), int(super::MAX_INSTANT)],
        Kind::Choice { names, default } => {
            vec![s("c"), Json::Array(names.iter().map(|n| s(*n)).collect()), opt_int(default.map(|d| d as i64))]
        }
        Kind::List { max, required, fields } => {
            vec![s("l"), int((*max).min(i64::MAX as usize) as i64), Json::Bool(*required), rows(fields)]
        }
        Kind::Obj(fields) => vec![s("o"), rows(fields)],
        Kind::Skip(what) => {
            let inner = match what {
                Skip::Int(min, max) => Kind::OptInt { min: *min, max: *max },
                Skip::Text(t) => Kind::OptText(*t),
                Skip::Texts(t) => Kind::Texts(*t),
                Skip::Any => return Json::Array(vec![name, s("a")]),
            };
            vec![s("s"), row(&Field { name: f.name, kind: inner })]
        }
        Kind::Either(a, b) => vec![s("e"), s(*a), s(*b)],
    };
    r.insert(0, name);
    Json::Array(r)
}

fn rows(fields: &[Field]) -> Json<'static> {
    Json::Array(fields.iter().map(row).collect())
}

/// Every input's table as JSON: `{"shopper": [rows], "cart": …, "ops":
/// {op: its input's name or null}}` (`Op::input`).
pub fn to_json() -> Json<'static> {
    let mut t: Vec<(&'static str, Json<'static>)> = INPUTS.iter().map(|n| (*n, rows(&of(n)))).collect();
    let ops = crate::Op::ALL.iter().map(|(op, name, _)| (*name, op.input_name().map_or(Json::Null, s))).collect();
    t.push(("ops", obj(ops)));
    obj(t)
}
