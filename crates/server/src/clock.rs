//! The server's only clock. The core never reads time; the server passes
//! `now` in. Tests freeze and advance it to exercise pending days and
//! inactivity expiry without waiting.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Default)]
pub struct Clock {
    frozen: AtomicBool,
    at: AtomicI64,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn frozen(at: i64) -> Clock {
        Clock { frozen: AtomicBool::new(true), at: AtomicI64::new(at) }
    }

    /// Milliseconds since the Unix epoch (UTC).
    pub fn now(&self) -> i64 {
        if self.frozen.load(Ordering::SeqCst) {
            self.at.load(Ordering::SeqCst)
        } else {
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
        }
    }

    pub fn set(&self, at: i64) {
        self.at.store(at, Ordering::SeqCst);
        self.frozen.store(true, Ordering::SeqCst);
    }

    /// Back to the system clock.
    pub fn unfreeze(&self) {
        self.frozen.store(false, Ordering::SeqCst);
    }

    pub fn advance(&self, ms: i64) {
        self.at.fetch_add(ms, Ordering::SeqCst);
    }
}
