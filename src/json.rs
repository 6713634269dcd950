//! A small JSON reader and writer.
//!
//! Why not serde_json: numbers must stay exact (a rate of `0.1` is the
//! decimal one tenth, never the nearest `f64`), the decoder must collect
//! every error with its path rather than stop at the first, and the wasm
//! build must stay tiny. So numbers keep their source text and are parsed
//! by [`crate::decimal`] or as integers where they are used.

use crate::prelude::*;
use alloc::borrow::Cow;

/// A parsed JSON value. Objects keep their key order (used for stable output
/// and for "unknown field" reporting in source order). Strings and numbers
/// borrow from the input text where they can (no escapes), so parsing a
/// cart allocates little.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written in the source.
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// Nesting deeper than this is refused: it protects the stack of the
/// recursive reader against hostile input.
const MAX_DEPTH: usize = 64;

impl<'a> Json<'a> {
    pub fn parse(text: &'a str) -> Result<Json<'a>, String> {
        let mut p = Parser { text, s: text.as_bytes(), i: 0 };
        p.ws();
        let v = p.value(0)?;
        p.ws();
        if p.i != p.s.len() {
            return Err(p.err("unexpected text after the JSON value"));
        }
        Ok(v)
    }

    /// A copy that owns its strings (to keep a value past its source text).
    pub fn into_owned(self) -> Json<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number(n) => Json::Number(own(n)),
            Json::String(t) => Json::String(own(t)),
            Json::Array(a) => Json::Array(a.into_iter().map(Json::into_owned).collect()),
            Json::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (own(k), v.into_owned())).collect()),
        }
    }

    /// The string value, if this is a JSON string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(t) => Some(t),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Compact JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_str(out, s),
            Json::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Json::Object(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string literal. Runs of bytes that need no escape are copied
/// whole (a char-by-char push was a third of a preview's time); the
/// indices are always at char boundaries (ASCII bytes or the start of
/// U+2028/U+2029), so `get` never fails.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let c = b[i];
        // U+2028 and U+2029 (E2 80 A8/A9) end a line in JavaScript source.
        let separator = match (c, b.get(i + 1), b.get(i + 2)) {
            (0xE2, Some(0x80), Some(&last @ (0xA8 | 0xA9))) => Some(last),
            _ => None,
        };
        if c >= 0x20 && c != b'"' && c != b'\\' && c != b'<' && separator.is_none() {
            i += 1;
            continue;
        }
        out.push_str(s.get(start..i).unwrap_or_default());
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            // Control characters, `<` (so output can sit in an HTML <script>),
            // and the two line separators, as \u escapes.
            _ => {
                let code = separator.map_or(u32::from(c), |last| 0x2028 + u32::from(last - 0xA8));
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(b"0123456789abcdef"[(code as usize >> shift) & 0xf]));
                }
            }
        }
        i += if separator.is_some() { 3 } else { 1 };
        start = i;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, msg: &str) -> String {
        let line = 1 + self.s[..self.i.min(self.s.len())].iter().filter(|&&b| b == b'\n').count();
        format!("invalid JSON at line {line}, byte {}: {msg}", self.i)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> Result<(), String> {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(self.err("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        match self.s.get(self.i) {
            None => Err(self.err("unexpected end of input")),
            Some(b'n') => self.eat("null").map(|_| Json::Null),
            Some(b't') => self.eat("true").map(|_| Json::Bool(true)),
            Some(b'f') => self.eat("false").map(|_| Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(self.err("expected ',' or ']'")),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut fields: Vec<(Cow<'a, str>, Json<'a>)> = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(self.err("expected a field name in double quotes"));
                    }
                    let key = self.string()?;
                    if fields.iter().any(|(k, _)| *k == key) {
                        return Err(self.err(&format!("duplicate field \"{key}\"")));
                    }
                    self.ws();
                    self.eat(":")?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    fields.push((key, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(self.err("expected ',' or '}'")),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Json<'a>, String> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let int_start = self.i;
        let n = self.digits();
        if n == 0 || (n > 1 && self.s[int_start] == b'0') {
            return Err(self.err("malformed number"));
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err("malformed number"));
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("malformed number"));
            }
        }
        Ok(Json::Number(Cow::Borrowed(self.slice(start)?)))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.s.get(self.i) {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err("bad \\u escape")),
            };
            v = v * 16 + d as u32;
            self.i += 1;
        }
        Ok(v)
    }

    /// The input from `start` to the cursor. Both ends sit next to ASCII
    /// bytes, so they are char boundaries; `get` checks that in O(1).
    fn slice(&self, start: usize) -> Result<&'a str, String> {
        self.text.get(start..self.i).ok_or_else(|| self.err("invalid UTF-8"))
    }

    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        self.i += 1; // opening quote
        let mut out: Option<String> = None;
        loop {
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            let run = self.slice(start)?;
            if out.is_none() && self.s.get(self.i) == Some(&b'"') {
                self.i += 1;
                return Ok(Cow::Borrowed(run)); // no escapes: borrow
            }
            let out = out.get_or_insert_with(String::new);
            out.push_str(run);
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(core::mem::take(out)));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.eat("\\u")?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("bad surrogate pair"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).ok_or_else(|| self.err("bad \\u escape"))?);
                            continue;
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    out.push(c);
                    self.i += 1;
                }
                Some(_) => return Err(self.err("control character in string")),
                None => return Err(self.err("unterminated string")),
            }
        }
    }
}

/// Builds JSON output without a serialization framework.
pub fn obj<'a>(fields: Vec<(&'static str, Json<'a>)>) -> Json<'a> {
    Json::Object(fields.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)).collect())
}

pub fn int(n: impl Into<i128>) -> Json<'static> {
    Json::Number(Cow::Owned(int_text(n)))
}

/// The parts joined into one text. One plain function instead of
/// `[..].concat()`, whose generic `join_generic_copy` is instantiated for
/// every element type and costs ~1.2 KB of wasm each.
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// An integer's decimal digits, written by a digit loop (no `core::fmt`
/// in the wasm). Digits come off a `u64` (native division in wasm; `u128`
/// division is a software call, far too slow per digit).
pub fn int_text(n: impl Into<i128>) -> String {
    let mut out = String::new();
    push_int(&mut out, n.into());
    out
}

/// [`int_text`] appended to `out` (no allocation of its own).
pub fn push_int(out: &mut String, n: i128) {
    let mut digits = [0u8; 40];
    let mut i = digits.len();
    let mut put = |mut u: u64, at_least: usize, i: &mut usize| {
        let start = *i;
        loop {
            *i -= 1;
            digits[*i] = b'0' + (u % 10) as u8;
            u /= 10;
            if u == 0 && start - *i >= at_least {
                break;
            }
        }
    };
    let u = n.unsigned_abs();
    match u64::try_from(u) {
        Ok(small) => put(small, 1, &mut i),
        Err(_) => {
            // Beyond u64: the low 19 digits, then the rest (below 10^20).
            const E19: u128 = 10_000_000_000_000_000_000;
            put((u % E19) as u64, 19, &mut i);
            let high = u / E19;
            if high >= E19 {
                put((high % E19) as u64, 19, &mut i);
                put((high / E19) as u64, 1, &mut i);
            } else {
                put(high as u64, 1, &mut i);
            }
        }
    }
    if n < 0 {
        i -= 1;
        digits[i] = b'-';
    }
    // ASCII digits and '-': always valid UTF-8.
    out.push_str(core::str::from_utf8(digits.get(i..).unwrap_or_default()).unwrap_or_default());
}

/// An answer written straight to text, in the order its fields are given:
/// no [`Json`] tree, so an answer costs one growing `String` instead of an
/// allocation per object, list, number and text. The engine's answers are
/// written with it (`preview::Preview::write`, …); commas are placed here.
pub struct Out {
    text: String,
    /// Whether the next key or value needs a comma before it.
    comma: bool,
}

impl Default for Out {
    fn default() -> Self {
        Out::new()
    }
}

impl Out {
    pub fn new() -> Out {
        Out { text: String::with_capacity(2048), comma: false }
    }

    pub fn into_text(self) -> String {
        self.text
    }

    fn value(&mut self) -> &mut String {
        if self.comma {
            self.text.push(',');
        }
        self.comma = true;
        &mut self.text
    }

    /// A member's key; the next call writes its value. Keys are the
    /// engine's own field names (plain ASCII, never needing an escape), so
    /// they are copied without a scan.
    pub fn key(&mut self, k: &'static str) -> &mut Out {
        let text = self.value();
        text.push('"');
        text.push_str(k);
        text.push_str("\":");
        self.comma = false;
        self
    }

    pub fn open(&mut self) -> &mut Out {
        self.value().push('{');
        self.comma = false;
        self
    }

    pub fn close(&mut self) -> &mut Out {
        self.text.push('}');
        self.comma = true;
        self
    }

    pub fn open_list(&mut self) -> &mut Out {
        self.value().push('[');
        self.comma = false;
        self
    }

    pub fn close_list(&mut self) -> &mut Out {
        self.text.push(']');
        self.comma = true;
        self
    }

    pub fn str(&mut self, v: &str) -> &mut Out {
        write_str(self.value(), v);
        self
    }

    pub fn int(&mut self, n: impl Into<i128>) -> &mut Out {
        push_int(self.value(), n.into());
        self
    }

    pub fn bool(&mut self, b: bool) -> &mut Out {
        self.value().push_str(if b { "true" } else { "false" });
        self
    }

    pub fn null(&mut self) -> &mut Out {
        self.value().push_str("null");
        self
    }

    pub fn opt_str(&mut self, v: Option<&str>) -> &mut Out {
        match v {
            Some(v) => self.str(v),
            None => self.null(),
        }
    }

    pub fn opt_int(&mut self, v: Option<i128>) -> &mut Out {
        match v {
            Some(n) => self.int(n),
            None => self.null(),
        }
    }

    /// A value already written as JSON text (by another answer's writer).
    pub fn raw(&mut self, json: &str) -> &mut Out {
        self.value().push_str(json);
        self
    }
}

/// Text an [`Out`] wrote, as a tree, for the answers that embed it (the
/// explainer's tier and punch progress). Our own output always parses.
pub fn tree(text: &str) -> Json<'static> {
    Json::parse(text).map_or(Json::Null, Json::into_owned)
}

pub fn s(v: impl Into<String>) -> Json<'static> {
    Json::String(Cow::Owned(v.into()))
}

#[inline]
pub fn opt<'a, T>(v: Option<T>, f: impl FnOnce(T) -> Json<'a>) -> Json<'a> {
    v.map_or(Json::Null, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_number_text() {
        let v = Json::parse(r#"{"a": 0.10, "b": [1, -2e3, true, null], "c": "x\u00e9\n"}"#).unwrap();
        assert_eq!(v.get("a"), Some(&Json::Number("0.10".into())));
        assert_eq!(v.to_text(), r#"{"a":0.10,"b":[1,-2e3,true,null],"c":"xé\n"}"#);
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "{", "[1,]", "01", "1.", "\"abc", "{\"a\":1,\"a\":2}", "nul", "1 2", "\"\\x\""] {
            assert!(Json::parse(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing_the_stack() {
        let deep = "[".repeat(10_000);
        assert!(Json::parse(&deep).unwrap_err().contains("nested too deeply"));
    }

    #[test]
    fn integers_are_written_as_std_writes_them() {
        for n in [
            0i128,
            7,
            -7,
            10,
            99,
            100,
            -100,
            i64::MAX as i128,
            i64::MIN as i128,
            u64::MAX as i128,
            u64::MAX as i128 + 1,
            10i128.pow(19),
            10i128.pow(19) - 1,
            10i128.pow(38),
            i128::MAX,
            i128::MIN,
            i128::MIN + 1,
        ] {
            assert_eq!(int_text(n), n.to_string());
        }
    }

    #[test]
    fn escapes_html_sensitive_characters() {
        assert_eq!(s("</script>").to_text(), "\"\\u003c/script>\"");
    }

    #[test]
    fn strings_escape_exactly_what_json_and_javascript_need() {
        let text = "a\"b\\c\nd\re\tf\u{1}g<h\u{2028}i\u{2029}j…kĐồng漢\u{7f}";
        let written = s(text).to_text();
        assert_eq!(written, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u003ch\\u2028i\\u2029j…kĐồng漢\u{7f}\"");
        assert_eq!(Json::parse(&written).unwrap(), s(text), "reads back as written");
        assert_eq!(s("").to_text(), r#""""#);
        assert_eq!(s("\u{2028}").to_text(), r#""\u2028""#);
    }
}
