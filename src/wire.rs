//! Byte primitives in postcard's wire conventions, by hand (no serde, no
//! dependency: the reader ships in the wasm, where every byte counts).
//!
//! - unsigned integers: LEB128 varints (7 bits a byte, low first);
//! - signed integers: zigzag (0, -1, 1, -2 → 0, 1, 2, 3), then a varint;
//! - `u8` and `bool` one byte (a bool is 0 or 1);
//! - `Option`: a tag byte 0 (none) or 1 (some), then the value;
//! - sequences and strings: a varint length, then the items or the UTF-8 bytes.
//!
//! [`R`] never panics. It refuses anything malformed and remembers where
//! (see [`R::error`]). Nothing is allocated from a length alone: a length is
//! refused when it is larger than the bytes left (every item takes at least
//! one byte), and items are pushed as they are read.

use crate::prelude::*;

/// Reads a document. A read that fails records where (the first failure
/// only), moves to the end and returns a default (0, `false`, `""`, none,
/// empty), so every read after it fails at once and nothing more is
/// allocated; [`R::error`] then says where the document is corrupt. (No
/// `Option` per read: unwinding half-built values on every early return
/// costs more wasm than the reads themselves.)
pub struct R<'a> {
    b: &'a [u8],
    i: usize,
    bad: Option<usize>,
}

impl<'a> R<'a> {
    pub fn new(b: &'a [u8]) -> R<'a> {
        R { b, i: 0, bad: None }
    }

    /// The offset of the next byte.
    pub fn pos(&self) -> usize {
        self.i
    }

    pub fn done(&self) -> bool {
        self.i == self.b.len()
    }

    /// Where the first read failed, if one did.
    pub fn error(&self) -> Option<usize> {
        self.bad
    }

    /// Records a failure at `at` (the first one counts) and moves to the end.
    pub fn fail(&mut self, at: usize) {
        self.bad = self.bad.or(Some(at));
        self.i = self.b.len();
    }

    fn left(&self) -> usize {
        self.b.len() - self.i
    }

    /// A one-byte code below `n` (an enum's index in its table); 0 when
    /// there is none.
    pub fn code(&mut self, n: usize) -> usize {
        match self.b.get(self.i) {
            Some(&c) if (c as usize) < n => {
                self.i += 1;
                c as usize
            }
            _ => {
                self.fail(self.i);
                0
            }
        }
    }

    /// Exactly the byte `v` (a magic or format byte).
    pub fn tag(&mut self, v: u8) {
        if self.b.get(self.i) == Some(&v) {
            self.i += 1;
        } else {
            self.fail(self.i);
        }
    }

    pub fn bool(&mut self) -> bool {
        self.code(2) == 1
    }

    /// An unsigned LEB128 varint of at most 10 bytes holding a `u64`.
    pub fn uvar(&mut self) -> u64 {
        let mut v = 0u64;
        for k in 0..10 {
            match self.b.get(self.i + k) {
                // The 10th byte holds bit 63 only.
                Some(&byte) if k < 9 || byte <= 1 => {
                    v |= ((byte & 0x7f) as u64) << (7 * k);
                    if byte & 0x80 == 0 {
                        self.i += k + 1;
                        return v;
                    }
                }
                _ => break,
            }
        }
        self.fail(self.i);
        0
    }

    /// A zigzag-encoded `i64`.
    pub fn i64(&mut self) -> i64 {
        let u = self.uvar();
        ((u >> 1) as i64) ^ -((u & 1) as i64)
    }

    /// A sequence's or a string's length: at most the bytes left.
    pub fn len(&mut self) -> usize {
        let at = self.i;
        match usize::try_from(self.uvar()) {
            Ok(n) if n <= self.left() => n,
            _ => {
                self.fail(at);
                0
            }
        }
    }

    /// Passes over `n` bytes, a length [`R::len`] gave (so never past the end).
    pub fn skip(&mut self, n: usize) {
        self.i += n.min(self.left());
    }

    /// A UTF-8 string, borrowed from the document.
    pub fn str_ref(&mut self) -> &'a str {
        let at = self.i;
        let n = self.len();
        match self.b.get(self.i..self.i + n).map(core::str::from_utf8) {
            Some(Ok(s)) => {
                self.i += n;
                s
            }
            _ => {
                self.fail(at);
                ""
            }
        }
    }

    pub fn str(&mut self) -> String {
        String::from(self.str_ref())
    }

    /// A length-prefixed byte run, borrowed from the document.
    pub fn bytes(&mut self) -> &'a [u8] {
        let n = self.len();
        let b = self.b.get(self.i..self.i + n).unwrap_or_default();
        self.skip(n);
        b
    }

    pub fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        self.bool().then(|| f(self))
    }

    pub fn vec<T>(&mut self, mut f: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let n = self.len();
        let mut v = Vec::new();
        // After a failure every item would be a default: stop.
        while v.len() < n && self.bad.is_none() {
            v.push(f(self));
        }
        v
    }
}

/// Writes a document.
#[derive(Default)]
pub struct W {
    pub b: Vec<u8>,
}

impl W {
    pub fn u8(&mut self, v: u8) {
        self.b.push(v);
    }

    pub fn bool(&mut self, v: bool) {
        self.b.push(v as u8);
    }

    pub fn uvar(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.b.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.b.push(v as u8);
    }

    pub fn i64(&mut self, v: i64) {
        self.uvar(((v << 1) ^ (v >> 63)) as u64);
    }

    /// A length-prefixed byte run (a string's bytes, a section).
    pub fn bytes(&mut self, b: &[u8]) {
        self.uvar(b.len() as u64);
        self.b.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn opt<T>(&mut self, v: Option<&T>, f: impl FnOnce(&mut Self, &T)) {
        self.bool(v.is_some());
        if let Some(v) = v {
            f(self, v);
        }
    }

    pub fn vec<T>(&mut self, v: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.uvar(v.len() as u64);
        for x in v {
            f(self, x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut W)) -> Vec<u8> {
        let mut w = W::default();
        f(&mut w);
        w.b
    }

    /// A read's value and where the first failure was.
    fn read<'b, T>(b: &'b [u8], f: impl FnOnce(&mut R<'b>) -> T) -> (T, Option<usize>) {
        let mut r = R::new(b);
        let v = f(&mut r);
        (v, r.error())
    }

    #[test]
    fn varints_and_zigzag_match_postcard() {
        assert_eq!(written(|w| w.uvar(0)), [0]);
        assert_eq!(written(|w| w.uvar(127)), [0x7f]);
        assert_eq!(written(|w| w.uvar(128)), [0x80, 0x01]);
        assert_eq!(written(|w| w.uvar(300)), [0xac, 0x02]);
        assert_eq!(written(|w| w.i64(0)), [0]);
        assert_eq!(written(|w| w.i64(-1)), [1]);
        assert_eq!(written(|w| w.i64(1)), [2]);
        assert_eq!(written(|w| w.i64(-64)), [0x7f]);
        for v in [0, 1, -1, 63, -64, 64, i64::MAX, i64::MIN, 1_000_000_000_000_000] {
            assert_eq!(read(&written(|w| w.i64(v)), R::i64), (v, None));
        }
        assert_eq!(read(&written(|w| w.uvar(u64::MAX)), R::uvar), (u64::MAX, None));
    }

    #[test]
    fn malformed_values_are_refused_where_they_start() {
        // More than 64 bits; more than 10 bytes; cut short.
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], R::uvar), (0, Some(0)));
        assert_eq!(read(&[0x80; 11], R::uvar), (0, Some(0)));
        assert_eq!(read(&[1, 0x80], |r| (r.bool(), r.uvar())), ((true, 0), Some(1)));
        // A bool is 0 or 1; a code is below its table's length; a length
        // fits in what is left; UTF-8 is checked.
        assert_eq!(read(&[2], R::bool), (false, Some(0)));
        assert_eq!(read(&[4], |r| r.code(4)), (0, Some(0)));
        assert_eq!(read(&[3, b'a', b'b'], R::str), (String::new(), Some(0)));
        assert_eq!(read(&[1, 2, 0xff, 0xff], |r| (r.bool(), r.str())), ((true, String::new()), Some(1)));
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0x0f], |r| r.vec(R::bool)), (vec![], Some(0)));
        // Only the first failure counts; the reads after it fail at the end.
        assert_eq!(read(&[9, 9], |r| (r.bool(), r.bool(), r.done())), ((false, false, true), Some(0)));
        // A list stops at its first bad item.
        assert_eq!(read(&[3, 1, 7, 1], |r| r.vec(R::bool)), (vec![true, false], Some(2)));
    }

    #[test]
    fn options_sequences_and_strings_read_back() {
        let b = written(|w| {
            w.opt(Some(&5i64), |w, v| w.i64(*v));
            w.opt(None::<&i64>, |w, v| w.i64(*v));
            w.vec(&["a", "ễ"], |w, s| w.str(s));
            w.bool(true);
        });
        let mut r = R::new(&b);
        assert_eq!(r.opt(R::i64), Some(5));
        assert_eq!(r.opt(R::i64), None);
        assert_eq!(r.vec(R::str), vec!["a".to_string(), "ễ".to_string()]);
        assert!(r.bool());
        assert!(r.done() && r.error().is_none());
    }
}
