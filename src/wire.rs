//! Byte primitives in postcard's wire conventions, by hand (no serde, no
//! dependency: the reader ships in the wasm, where every byte counts).
//!
//! - unsigned integers: LEB128 varints (7 bits a byte, low first);
//! - signed integers: zigzag (0, -1, 1, -2 → 0, 1, 2, 3), then a varint;
//! - `u8` and `bool` one byte (a bool is 0 or 1);
//! - `Option`: a tag byte 0 (none) or 1 (some), then the value;
//! - sequences and strings: a varint length, then the items or the UTF-8 bytes.
//!
//! [`R`] returns `None` for anything malformed and never panics. A read that
//! fails leaves [`R::pos`] at the value it could not read (the end, when the
//! bytes stop), so the caller can say where. Nothing is allocated from a
//! length alone: a length is refused when it is larger than the bytes left
//! (every item takes at least one byte), and items are pushed as they are read.

use crate::prelude::*;

/// Reads a document.
pub struct R<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> R<'a> {
    pub fn new(b: &'a [u8]) -> R<'a> {
        R { b, i: 0 }
    }

    /// The offset of the next byte (after a failed read: where it failed).
    pub fn pos(&self) -> usize {
        self.i
    }

    pub fn done(&self) -> bool {
        self.i == self.b.len()
    }

    fn left(&self) -> usize {
        self.b.len() - self.i
    }

    /// Exactly the byte `v` (a magic or format byte); not consumed otherwise.
    pub fn tag(&mut self, v: u8) -> Option<()> {
        (*self.b.get(self.i)? == v).then(|| self.i += 1)
    }

    /// A one-byte code below `n` (an enum's index in its table); not
    /// consumed otherwise.
    pub fn code(&mut self, n: usize) -> Option<usize> {
        let c = *self.b.get(self.i)? as usize;
        (c < n).then(|| {
            self.i += 1;
            c
        })
    }

    pub fn bool(&mut self) -> Option<bool> {
        self.code(2).map(|c| c == 1)
    }

    /// An unsigned LEB128 varint of at most 10 bytes holding a `u64`.
    pub fn uvar(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for k in 0..10 {
            let byte = *self.b.get(self.i + k)?;
            // The 10th byte holds bit 63 only.
            if k == 9 && byte > 1 {
                return None;
            }
            v |= ((byte & 0x7f) as u64) << (7 * k);
            if byte & 0x80 == 0 {
                self.i += k + 1;
                return Some(v);
            }
        }
        None
    }

    /// A zigzag-encoded `i64`.
    pub fn i64(&mut self) -> Option<i64> {
        let u = self.uvar()?;
        Some(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    /// A sequence's or a string's length: at most the bytes left.
    pub fn len(&mut self) -> Option<usize> {
        let at = self.i;
        let n = self.uvar().and_then(|n| usize::try_from(n).ok()).filter(|n| *n <= self.left());
        if n.is_none() {
            self.i = at;
        }
        n
    }

    /// A UTF-8 string, borrowed from the document.
    pub fn str_ref(&mut self) -> Option<&'a str> {
        let at = self.i;
        let s = self.len().and_then(|n| {
            let s = core::str::from_utf8(self.b.get(self.i..self.i + n)?).ok()?;
            self.i += n;
            Some(s)
        });
        if s.is_none() {
            self.i = at;
        }
        s
    }

    pub fn str(&mut self) -> Option<String> {
        self.str_ref().map(String::from)
    }

    /// A string that `f` accepts (a code looked up in a table); not
    /// consumed otherwise.
    pub fn str_as<T>(&mut self, f: impl FnOnce(&'a str) -> Option<T>) -> Option<T> {
        let at = self.i;
        let v = self.str_ref().and_then(f);
        if v.is_none() {
            self.i = at;
        }
        v
    }

    pub fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.bool()? {
            false => Some(None),
            true => f(self).map(Some),
        }
    }

    pub fn vec<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(f(self)?);
        }
        Some(v)
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
            assert_eq!(R::new(&written(|w| w.i64(v))).i64(), Some(v));
        }
        assert_eq!(R::new(&written(|w| w.uvar(u64::MAX))).uvar(), Some(u64::MAX));
    }

    #[test]
    fn malformed_values_are_refused_where_they_start() {
        // More than 64 bits; more than 10 bytes; cut short.
        assert_eq!(R::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]).uvar(), None);
        assert_eq!(R::new(&[0x80; 11]).uvar(), None);
        let mut r = R::new(&[0x80]);
        assert_eq!((r.uvar(), r.pos()), (None, 0));
        // A bool is 0 or 1; a length fits in what is left; UTF-8 is checked.
        assert_eq!(R::new(&[2]).bool(), None);
        let mut r = R::new(&[3, b'a', b'b']);
        assert_eq!((r.str(), r.pos()), (None, 0));
        let mut r = R::new(&[1, 2, 0xff]);
        assert_eq!((r.bool(), r.str(), r.pos()), (Some(true), None, 1));
        let mut r = R::new(&[4]);
        assert_eq!((r.code(4), r.pos()), (None, 0));
        assert_eq!(R::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]).vec(R::bool), None);
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
        assert_eq!(r.opt(R::i64), Some(Some(5)));
        assert_eq!(r.opt(R::i64), Some(None));
        assert_eq!(r.vec(R::str), Some(vec!["a".to_string(), "ễ".to_string()]));
        assert_eq!(r.bool(), Some(true));
        assert!(r.done());
    }
}
