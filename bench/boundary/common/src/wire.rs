//! postcard's wire format by hand: unsigned varints (LEB128), signed
//! integers zigzag-encoded, `u8` and `bool` as one byte, `Option` as a
//! 0/1 tag, sequences and strings as a varint length and their items.
//! The serde variants produce and read the same bytes through `postcard`.

use alloc::string::String;
use alloc::vec::Vec;

pub struct R<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> R<'a> {
    pub fn new(b: &'a [u8]) -> R<'a> {
        R { b, i: 0 }
    }
    pub fn done(&self) -> bool {
        self.i == self.b.len()
    }
    pub fn u8(&mut self) -> Option<u8> {
        let v = *self.b.get(self.i)?;
        self.i += 1;
        Some(v)
    }
    pub fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    pub fn uvar(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for k in 0..10 {
            let byte = self.u8()?;
            v |= ((byte & 0x7f) as u64) << (7 * k);
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.uvar()?).ok()
    }
    pub fn i64(&mut self) -> Option<i64> {
        let u = self.uvar()?;
        Some(((u >> 1) as i64) ^ -((u & 1) as i64))
    }
    /// A length no larger than the bytes left (each item takes ≥ 1 byte).
    pub fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.uvar()?).ok()?;
        (n <= self.b.len() - self.i).then_some(n)
    }
    pub fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        let s = core::str::from_utf8(&self.b[self.i..self.i + n]).ok()?;
        self.i += n;
        Some(String::from(s))
    }
    pub fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            1 => f(self).map(Some),
            _ => None,
        }
    }
    pub fn vec<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(f(self)?);
        }
        Some(v)
    }
}

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
    pub fn str(&mut self, s: &str) {
        self.uvar(s.len() as u64);
        self.b.extend_from_slice(s.as_bytes());
    }
    pub fn opt<T>(&mut self, v: Option<T>, f: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                f(self, v)
            }
        }
    }
}
