//! Per-client signup rate limit: at most `max` attempts per sliding window
//! per client address, in memory (one process; behind several instances
//! each applies its own limit, which only loosens it by the instance count).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

pub struct RateLimiter {
    max: u32,
    window_ms: i64,
    hits: Mutex<HashMap<IpAddr, VecDeque<i64>>>,
}

impl RateLimiter {
    pub fn new(max: u32, window_ms: i64) -> RateLimiter {
        RateLimiter { max, window_ms, hits: Mutex::new(HashMap::new()) }
    }

    /// Records an attempt; `Err(retry_after_ms)` when over the limit.
    pub fn check(&self, ip: IpAddr, now: i64) -> Result<(), i64> {
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bound memory under a spray of addresses: forget idle clients.
            map.retain(|_, q| q.back().is_some_and(|&t| now - t < self.window_ms));
        }
        let q = map.entry(ip).or_default();
        while q.front().is_some_and(|&t| now - t >= self.window_ms) {
            q.pop_front();
        }
        if q.len() >= self.max as usize {
            return Err(q.front().map_or(0, |&t| t + self.window_ms - now));
        }
        q.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_address_and_window() {
        let r = RateLimiter::new(2, 1000);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(r.check(a, 0).is_ok());
        assert!(r.check(a, 10).is_ok());
        assert_eq!(r.check(a, 20), Err(980));
        assert!(r.check(b, 20).is_ok());
        assert!(r.check(a, 1000).is_ok());
    }
}
