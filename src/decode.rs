//! Decoding untrusted JSON into typed values while collecting every problem.
//!
//! Each decoder function records issues in the [`Decoder`] and returns
//! `None` for a value it could not build; the caller keeps going so that one
//! run reports all errors, each with its JSON path. Unknown object fields
//! are errors with a "did you mean" hint.

use crate::prelude::*;
use alloc::borrow::Cow;

use crate::decimal::Decimal;
use crate::error::{Error, Issue};
use crate::json::Json;
use crate::money::Currency;
use crate::time::{parse_instant, Millis};

#[derive(Default)]
pub struct Decoder {
    pub issues: Vec<Issue>,
    /// The store's default locale once known: every per-locale text must
    /// include it, so the widget always has a fallback.
    pub default_locale: Option<String>,
}

/// Where a value sits in the document: built on the stack as decoding
/// descends and rendered to text (`tiers.levels[2].threshold`) only when an
/// issue is reported, so valid input costs no allocation for paths.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
}

impl Decoder {
    /// Records an issue and returns `None` (the shape every decoder returns on failure).
    #[inline]
    pub fn fail<T>(&mut self, path: &Path, message: impl Into<String>) -> Option<T> {
        self.report(path.render(), message.into());
        None
    }

    // Non-generic so the many `fail::<T>` instantiations stay one call each.
    #[inline(never)]
    pub fn report(&mut self, path: String, message: String) {
        self.issues.push(Issue { path, message });
    }

    pub fn finish<T>(self, value: Option<T>) -> Result<T, Error> {
        match value {
            Some(v) if self.issues.is_empty() => Ok(v),
            _ if self.issues.is_empty() => Err(Error::at("", "invalid input")),
            _ => Err(Error::Invalid(self.issues)),
        }
    }

    pub fn object<'a>(&mut self, v: &'a Json<'a>, path: Path<'a>) -> Option<Obj<'a>> {
        match v {
            Json::Object(fields) => Some(Obj { fields, path, known: Vec::with_capacity(fields.len().max(8)) }),
            other => self.fail(&path, format!("expected an object, found {}", other.kind())),
        }
    }

    pub fn array<T>(&mut self, v: &Json, path: &Path, mut item: impl FnMut(&mut Decoder, &Json, &Path) -> Option<T>) -> Option<Vec<T>> {
        let items = self.items(v, path)?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, x) in items.iter().enumerate() {
            match item(self, x, &path.index(i)) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    #[inline(never)]
    fn items<'a>(&mut self, v: &'a Json<'a>, path: &Path) -> Option<&'a [Json<'a>]> {
        match v {
            Json::Array(items) => Some(items),
            _ => self.fail(path, format!("expected an array, found {}", v.kind())),
        }
    }

    pub fn string(&mut self, v: &Json, path: &Path) -> Option<String> {
        match v {
            Json::String(s) => Some(s.to_string()),
            other => self.fail(path, format!("expected a string, found {}", other.kind())),
        }
    }

    /// A non-empty string of at most `max` characters (ids, codes, texts).
    pub fn text(&mut self, v: &Json, path: &Path, max: usize) -> Option<String> {
        let s = self.string(v, path)?;
        if s.trim().is_empty() {
            return self.fail(path, "must not be empty");
        }
        if s.len() > max && s.chars().count() > max {
            return self.fail(path, format!("must be at most {max} characters"));
        }
        Some(s)
    }

    pub fn bool(&mut self, v: &Json, path: &Path) -> Option<bool> {
        match v {
            Json::Bool(b) => Some(*b),
            other => self.fail(path, format!("expected true or false, found {}", other.kind())),
        }
    }

    /// An integer in `min..=max`. Money and points are integers: `1.5` is refused.
    pub fn int(&mut self, v: &Json, path: &Path, min: i64, max: i64) -> Option<i64> {
        let Json::Number(t) = v else {
            return self.fail(path, format!("expected an integer, found {}", v.kind()));
        };
        let n = match t.parse::<i64>() {
            Ok(n) => n,
            Err(_) => match Decimal::parse(t) {
                Ok(d) if d.scale == 0 => d.mantissa,
                Ok(_) => return self.fail(path, format!("must be a whole number, found {t}")),
                Err(_) => return self.fail(path, format!("{t} is out of range")),
            },
        };
        if n < min {
            return self.fail(path, format!("must be at least {min}, found {n}"));
        }
        if n > max {
            return self.fail(path, format!("must be at most {max}, found {n}"));
        }
        Some(n)
    }

    /// An exact decimal from a JSON number or a string such as `"1.25"`.
    pub fn decimal(&mut self, v: &Json, path: &Path) -> Option<Decimal> {
        Decimal::from_json(v).map_err(|m| self.fail::<()>(path, m)).ok()
    }

    pub fn currency(&mut self, v: &Json, path: &Path) -> Option<Currency> {
        let code = self.string(v, path)?;
        Currency::from_code(&code).or_else(|| self.fail(path, format!("unknown ISO 4217 currency code \"{code}\"")))
    }

    /// One of a fixed set of names, with a hint for near misses.
    pub fn one_of<T: Copy>(&mut self, v: &Json, path: &Path, names: &[(&str, T)]) -> Option<T> {
        let s = match v {
            Json::String(s) => s,
            other => return self.fail(path, format!("expected a string, found {}", other.kind())),
        };
        if let Some((_, t)) = names.iter().find(|(n, _)| n == s) {
            return Some(*t);
        }
        let list: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        self.unknown_value(path, s, &list);
        None
    }

    #[inline(never)]
    fn unknown_value(&mut self, path: &Path, s: &str, list: &[&str]) {
        let hint = suggest(s, list).map(|h| format!(" (did you mean \"{h}\"?)")).unwrap_or_default();
        self.fail::<()>(path, format!("unknown value \"{s}\"{hint}; expected one of: {}", list.join(", ")));
    }

    /// An instant: ISO 8601 UTC text (`2026-11-22`, `2026-11-22T14:05:00Z`)
    /// or an integer of milliseconds since the Unix epoch.
    pub fn instant(&mut self, v: &Json, path: &Path) -> Option<Millis> {
        match v {
            Json::Number(_) => self.int(v, path, crate::input::MIN_INSTANT, crate::input::MAX_INSTANT),
            Json::String(s) => parse_instant(s)
                .or_else(|| self.fail(path, format!("\"{s}\" is not a UTC date or time (use 2026-11-22 or 2026-11-22T14:05:00Z)"))),
            other => self.fail(path, format!("expected a date string or epoch milliseconds, found {}", other.kind())),
        }
    }
}

/// Fields of one JSON object being decoded. Every key asked for is
/// remembered, so [`Obj::done`] can report the ones nobody asked for.
pub struct Obj<'a> {
    fields: &'a [(Cow<'a, str>, Json<'a>)],
    pub path: Path<'a>,
    known: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    /// The field's value; absent and `null` alike are `None`.
    #[inline(never)]
    pub fn raw(&mut self, key: &'static str) -> Option<&'a Json<'a>> {
        self.known.push(key);
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| **v != Json::Null)
    }

    /// A required field.
    #[inline]
    pub fn req<T>(&mut self, d: &mut Decoder, key: &'static str, f: impl FnOnce(&mut Decoder, &Json, &Path) -> Option<T>) -> Option<T> {
        let v = self.raw(key);
        let path = self.path.key(key);
        match v {
            Some(v) => f(d, v, &path),
            None => d.fail(&path, "is required"),
        }
    }

    /// An optional field: absent or `null` gives `Some(None)`; a bad value
    /// gives `None` (the issue is recorded).
    #[inline]
    pub fn opt<T>(
        &mut self,
        d: &mut Decoder,
        key: &'static str,
        f: impl FnOnce(&mut Decoder, &Json, &Path) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.raw(key) {
            Some(v) => f(d, v, &self.path.key(key)).map(Some),
            None => Some(None),
        }
    }

    /// An optional field with a default.
    #[inline]
    pub fn or<T>(
        &mut self,
        d: &mut Decoder,
        key: &'static str,
        default: T,
        f: impl FnOnce(&mut Decoder, &Json, &Path) -> Option<T>,
    ) -> Option<T> {
        self.opt(d, key, f).map(|v| v.unwrap_or(default))
    }

    /// Reports fields that no decoder asked for.
    pub fn done(self, d: &mut Decoder) {
        for (k, _) in self.fields {
            if !self.known.contains(&k.as_ref()) {
                let hint = suggest(k, &self.known).map(|h| format!("; did you mean \"{h}\"?")).unwrap_or_default();
                d.fail::<()>(&self.path.key(k), format!("unknown field{hint}"));
            }
        }
    }
}

/// The closest candidate within a small edit distance, for "did you mean".
pub fn suggest<'n>(word: &str, candidates: &[&'n str]) -> Option<&'n str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_ascii_lowercase(), c), *c))
        .filter(|(dist, _)| *dist <= limit)
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(suggest("curency", &["currency", "name"]), Some("currency"));
        assert_eq!(suggest("treshold", &["threshold", "multiplier"]), Some("threshold"));
        assert_eq!(suggest("zzz", &["currency"]), None);
    }
}
