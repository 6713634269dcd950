//! [`Visit`] over the bytes: what the wasm runs on every call.
//!
//! The bytes come from an encoder that checked them ([`super::encode`],
//! `www/src/ui/wire-encode.js`), but they are read as untrusted: every
//! range and text rule is checked again, a malformed byte is recorded with
//! the path of the field it was in (the first one only, then every read
//! fails at once), and nothing panics. Issue messages are joined from
//! static parts by hand: no `core::fmt` in the cart-page module.

use super::{Skip, Text, Visit, MAX_INSTANT, MIN_INSTANT};
use crate::error::{Error, Issue};
use crate::json::int_text;
use crate::prelude::*;
use crate::time::{parse_instant, Millis};
use crate::wire::R;
use alloc::borrow::Cow;

/// One step of the path to the field being read.
#[derive(Clone, Copy)]
enum Seg {
    Key(&'static str),
    Index(usize),
}

pub struct Reader<'a> {
    r: R<'a>,
    path: Vec<Seg>,
    issues: Vec<Issue>,
    /// Whether the malformed byte has been reported (once, innermost field first).
    reported: bool,
}

/// Characters in `s`: its bytes that do not continue a UTF-8 sequence (a
/// plain loop; `chars().count()` links 0.9 KB of `core`'s SIMD-ish counter).
fn chars(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        // Room for the deepest path (signals.cart.lines[i].tags[j]): no growth while reading.
        Reader { r: R::new(bytes), path: Vec::with_capacity(8), issues: Vec::new(), reported: false }
    }

    /// A reader of a cart's line `index` on its own: issues at `lines[index].…`.
    pub fn line(bytes: &'a [u8], index: usize) -> Reader<'a> {
        let mut r = Reader::new(bytes);
        r.path.extend([Seg::Key("lines"), Seg::Index(index)]);
        r
    }

    /// The value read, or every issue; bytes left over are corrupt too.
    pub fn finish<T>(mut self, value: T) -> crate::Result<T> {
        if self.r.error().is_none() && !self.r.done() {
            let at = self.r.pos();
            self.r.fail(at);
        }
        self.corrupt();
        if self.issues.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.issues))
        }
    }

    fn render(&self, name: &str) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key("") => {}
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&int_text(*i as i64));
                    out.push(']');
                }
            }
        }
        if !name.is_empty() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(name);
        }
        out
    }

    fn issue(&mut self, name: &str, message: &[&str]) {
        let path = self.render(name);
        self.issues.push(Issue { path, message: crate::json::cat(message) });
    }

    /// Once a read has failed: the issue names the field it was in (the
    /// innermost: the first to see it) and the byte.
    fn corrupt(&mut self) {
        if let (Some(at), false) = (self.r.error(), self.reported) {
            self.reported = true;
            self.issue("", &["corrupt input at byte ", &int_text(at as i64)]);
        }
    }

    /// Reads with `f` inside field `name`; a malformed byte there is recorded with its path.
    fn at<T>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(Seg::Key(name));
        let v = f(self);
        self.corrupt();
        self.path.pop();
        v
    }

    fn range(&mut self, name: &'static str, n: i64, min: i64, max: i64) -> i64 {
        if n < min {
            self.issue(name, &["must be at least ", &int_text(min), ", found ", &int_text(n)]);
        } else if n > max {
            self.issue(name, &["must be at most ", &int_text(max), ", found ", &int_text(n)]);
        }
        n
    }

    fn string(&mut self, name: &'static str, kind: Text) -> &'a str {
        let s = self.at(name, |r| r.r.str_ref());
        if let Text::Max(max) | Text::Id(max) = kind {
            // A first byte that is printable ASCII is not blank (no `trim` scan).
            let printable = s.as_bytes().first().is_some_and(|b| (b'!'..=b'~').contains(b));
            if !printable && s.trim().is_empty() {
                self.issue(name, &["must not be empty"]);
            } else if s.len() > max && chars(s) > max {
                self.issue(name, &["must be at most ", &int_text(max as i64), " characters"]);
            }
        }
        s
    }

    fn instant_value(&mut self, name: &'static str) -> Millis {
        if self.at(name, |r| r.r.bool()) {
            let s = self.at(name, |r| r.r.str_ref());
            parse_instant(s).unwrap_or_else(|| {
                self.issue(name, &["\"", s, "\" is not a UTC date or time (use 2026-11-22 or 2026-11-22T14:05:00Z)"]);
                0
            })
        } else {
            let n = self.at(name, |r| r.r.i64());
            self.range(name, n, MIN_INSTANT, MAX_INSTANT)
        }
    }
}

impl<'a> Visit<'a> for Reader<'a> {
    fn int(&mut self, name: &'static str, min: i64, max: i64, _default: Option<i64>) -> i64 {
        let n = self.at(name, |r| r.r.i64());
        self.range(name, n, min, max)
    }

    fn opt_int(&mut self, name: &'static str, min: i64, max: i64) -> Option<i64> {
        self.at(name, |r| r.r.bool()).then(|| self.int(name, min, max, None))
    }

    fn bool(&mut self, name: &'static str) -> bool {
        self.at(name, |r| r.r.bool())
    }

    fn text(&mut self, name: &'static str, kind: Text, _default: Option<&'static str>) -> &'a str {
        self.string(name, kind)
    }

    fn opt_text(&mut self, name: &'static str, kind: Text) -> Option<&'a str> {
        self.at(name, |r| r.r.bool()).then(|| self.string(name, kind))
    }

    fn texts(&mut self, name: &'static str, kind: Text) -> Vec<Cow<'a, str>> {
        let n = self.at(name, |r| r.r.len());
        let mut out = Vec::new();
        while out.len() < n && self.r.error().is_none() {
            self.path.push(Seg::Key(name));
            let i = out.len();
            self.path.push(Seg::Index(i));
            let s = self.string("", kind);
            self.path.truncate(self.path.len() - 2);
            out.push(Cow::Borrowed(s));
        }
        out
    }

    fn opt_instant(&mut self, name: &'static str) -> Option<Millis> {
        self.at(name, |r| r.r.bool()).then(|| self.instant_value(name))
    }

    fn instant(&mut self, name: &'static str) -> Millis {
        self.instant_value(name)
    }

    fn choice(&mut self, name: &'static str, names: &'static [&'static str], default: Option<usize>) -> Option<usize> {
        if default.is_none() && !self.at(name, |r| r.r.bool()) {
            return None;
        }
        Some(self.at(name, |r| r.r.code(names.len())))
    }

    fn list<T>(&mut self, name: &'static str, max: usize, _required: bool, mut item: impl FnMut(&mut Self, usize) -> T) -> Vec<T> {
        let n = self.at(name, |r| r.r.len());
        if n > max {
            self.issue(name, &["at most ", &int_text(max as i64), " lines"]);
        }
        let mut out = Vec::new();
        self.path.push(Seg::Key(name));
        while out.len() < n && self.r.error().is_none() {
            self.path.push(Seg::Index(out.len()));
            let v = item(self, out.len());
            self.path.pop();
            out.push(v);
        }
        self.path.pop();
        out
    }

    fn obj<T>(&mut self, name: &'static str, fields: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if !self.at(name, |r| r.r.bool()) {
            return None;
        }
        self.path.push(Seg::Key(name));
        let v = fields(self);
        self.path.pop();
        Some(v)
    }

    fn skip(&mut self, _name: &'static str, _what: Skip) {}

    fn either(&mut self, _a: &'static str, _b: &'static str) {}

    fn fail(&mut self, name: &'static str, message: &[&str]) {
        // After a malformed byte every value is a default: say nothing more.
        if self.r.error().is_none() {
            self.issue(name, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::input::encode;
    use crate::money::Currency;
    use crate::Cart;

    fn vnd() -> Currency {
        Currency::from_code("VND").unwrap()
    }

    fn issues(bytes: &[u8]) -> Vec<(String, String)> {
        match Cart::from_bytes(bytes, vnd()) {
            Err(crate::Error::Invalid(i)) => i.into_iter().map(|i| (i.path, i.message)).collect(),
            other => panic!("expected issues, got {other:?}"),
        }
    }

    /// Bytes that did not come from an encoder are checked like JSON: the
    /// same paths and messages, and a cut, an extra or a bad byte names its field.
    #[test]
    fn bytes_are_checked_again_with_paths() {
        let good = encode::from_text("cart", r#"{"currency":"VND","lines":[{"quantity":2,"unit_price":45000}]}"#).unwrap();
        assert_eq!(Cart::from_bytes(&good, vnd()).unwrap().lines[0].line_price, 90_000);
        // The line's quantity (zigzag 2 = 4) rewritten as -1 (zigzag 1), which no encoder writes.
        let at = good.iter().rposition(|&b| b == 4).unwrap();
        let mut negative = good.clone();
        negative[at] = 1;
        assert_eq!(issues(&negative), [("lines[0].quantity".into(), "must be at least 0, found -1".into())]);
        let cut = &good[..good.len() - 1];
        assert_eq!(issues(cut), [("shipping".into(), ["corrupt input at byte ", &(good.len() - 1).to_string()].concat())]);
        let mut longer = good.clone();
        longer.push(9);
        assert_eq!(issues(&longer), [(String::new(), ["corrupt input at byte ", &good.len().to_string()].concat())]);
        assert_eq!(issues(&[]), [("currency".into(), "corrupt input at byte 0".into())]);
    }
}
