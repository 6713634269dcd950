//! Points lifecycle: when earned points become spendable, and when an
//! inactive balance expires. Pure date arithmetic; the server's ledger
//! applies it (on `tick` and on read).

use crate::config::Program;
use crate::time::{add_months, Millis, DAY_MS};

/// When points earned at `earned_at` become spendable (`pending_days` later).
pub fn available_at(program: &Program, earned_at: Millis) -> Millis {
    earned_at.saturating_add(program.lifecycle.pending_days.saturating_mul(DAY_MS))
}

/// When a balance expires if the shopper stays inactive after
/// `last_activity` (None: points never expire).
pub fn expires_at(program: &Program, last_activity: Millis) -> Option<Millis> {
    program.lifecycle.expiry_months_inactive.map(|m| add_months(last_activity, m))
}

/// Whether a balance last active at `last_activity` has expired at `now`.
pub fn is_expired(program: &Program, last_activity: Millis, now: Millis) -> bool {
    expires_at(program, last_activity).is_some_and(|t| now >= t)
}

#[cfg(all(test, feature = "schema"))]
mod tests {
    use super::*;
    use crate::time::parse_instant;

    fn program(pending: i64, months: Option<i64>) -> Program {
        let expiry = months.map_or(String::new(), |m| format!(",\"expiry_months_inactive\":{m}"));
        Program::parse(&format!(
            r#"{{"version":1,"store":{{"name":"S","currency":"USD","default_locale":"en"}},
               "earning":{{"points_per_step":1,"step":100}},"lifecycle":{{"pending_days":{pending}{expiry}}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn pending_then_available() {
        let p = program(14, None);
        let t = parse_instant("2026-11-22T10:00:00Z").unwrap();
        assert_eq!(available_at(&p, t), parse_instant("2026-12-06T10:00:00Z").unwrap());
        assert_eq!(available_at(&program(0, None), t), t);
    }

    #[test]
    fn expiry_after_months_of_inactivity() {
        let p = program(0, Some(12));
        let last = parse_instant("2025-02-28T08:00:00Z").unwrap();
        assert_eq!(expires_at(&p, last), parse_instant("2026-02-28T08:00:00Z"));
        assert!(!is_expired(&p, last, parse_instant("2026-02-28T07:59:59Z").unwrap()));
        assert!(is_expired(&p, last, parse_instant("2026-02-28T08:00:00Z").unwrap()));
        assert!(!is_expired(&program(0, None), last, i64::MAX));
    }
}
