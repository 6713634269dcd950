//! The core's one error type. Every failure is a value: nothing panics.

use crate::json::{obj, s, Json};
use crate::prelude::*;
use core::fmt;

/// One problem in an input document, located by a JSON path such as
/// `tiers.levels[2].threshold`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input (program config, cart, shopper, signals) is not valid.
    /// Holds every problem found, not only the first.
    Invalid(Vec<Issue>),
    /// A checked arithmetic step overflowed; names the step.
    Overflow(&'static str),
}

pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid(vec![Issue { path: path.into(), message: message.into() }])
    }

    /// The text `Display` gives, joined by hand (the wasm links no `core::fmt`).
    pub fn message(&self) -> String {
        match self {
            Error::Invalid(issues) => {
                let mut out = String::new();
                for (n, i) in issues.iter().enumerate() {
                    if n > 0 {
                        out.push('\n');
                    }
                    if !i.path.is_empty() {
                        out.push_str(&i.path);
                        out.push_str(": ");
                    }
                    out.push_str(&i.message);
                }
                out
            }
            Error::Overflow(step) => crate::json::cat(&["arithmetic overflow in ", step]),
        }
    }

    pub fn to_json(&self) -> Json<'static> {
        match self {
            Error::Invalid(issues) => obj(vec![
                ("error", s("invalid")),
                ("message", s(self.message())),
                ("issues", Json::Array(issues.iter().map(|i| obj(vec![("path", s(&*i.path)), ("message", s(&*i.message))])).collect())),
            ]),
            Error::Overflow(step) => obj(vec![("error", s("overflow")), ("message", s(self.message())), ("step", s(*step))]),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}
