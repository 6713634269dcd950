//! Bonus actions: may this shopper be rewarded for this action now?

use crate::config::{Action, Limit, Program};
use crate::json::{int, obj, s, Json};
use crate::prelude::*;
use crate::shopper::Shopper;
use crate::time::{add_months, date_of, format_instant, start_of_year, Millis, DAY_MS};

/// `Ok(())` when the action may be rewarded at `now`; otherwise `Err` with
/// the first instant it may be rewarded again, or `Err(None)` for never.
pub fn eligible(action: &Action, shopper: &Shopper, now: Millis) -> Result<(), Option<Millis>> {
    let last = shopper.rewarded_actions.iter().filter(|r| r.id == action.id).map(|r| r.at).max();
    let Some(last) = last else { return Ok(()) };
    match action.limit {
        Limit::Unlimited => Ok(()),
        Limit::Once => Err(None),
        Limit::Yearly => {
            let next = add_months(start_of_year(last), 12);
            if date_of(now).0 > date_of(last).0 {
                Ok(())
            } else {
                Err(Some(next))
            }
        }
        Limit::EveryDays(days) => {
            let next = last.saturating_add(days.saturating_mul(DAY_MS));
            if now >= next {
                Ok(())
            } else {
                Err(Some(next))
            }
        }
    }
}

/// Every configured action with this shopper's eligibility.
pub fn status(program: &Program, shopper: &Shopper, now: Millis) -> Json<'static> {
    Json::Array(
        program
            .actions
            .iter()
            .map(|a| {
                let (ok, next) = match eligible(a, shopper, now) {
                    Ok(()) => (true, Json::Null),
                    Err(None) => (false, Json::Null),
                    Err(Some(t)) => (false, s(format_instant(t))),
                };
                obj(vec![
                    ("id", s(&*a.id)),
                    ("kind", s(a.kind.name())),
                    ("points", int(a.points)),
                    ("eligible", Json::Bool(ok)),
                    ("next_eligible", next),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ActionKind;
    use crate::shopper::RewardedAction;
    use crate::time::parse_instant;

    fn act(limit: Limit) -> Action {
        Action { id: "a".into(), kind: ActionKind::SocialShare, points: 5, limit, name: None, url: None }
    }

    fn done_at(t: &str) -> Shopper {
        Shopper { rewarded_actions: vec![RewardedAction { id: "a".into(), at: parse_instant(t).unwrap() }], ..Shopper::default() }
    }

    #[test]
    fn limits() {
        let now = parse_instant("2026-11-22T10:00:00Z").unwrap();
        assert_eq!(eligible(&act(Limit::Once), &Shopper::default(), now), Ok(()));
        assert_eq!(eligible(&act(Limit::Once), &done_at("2020-01-01"), now), Err(None));
        assert_eq!(eligible(&act(Limit::Yearly), &done_at("2026-01-01"), now), Err(parse_instant("2027-01-01")));
        assert_eq!(eligible(&act(Limit::Yearly), &done_at("2025-12-31T23:59:59Z"), now), Ok(()));
        assert_eq!(eligible(&act(Limit::EveryDays(7)), &done_at("2026-11-15T10:00:00Z"), now), Ok(()));
        assert_eq!(eligible(&act(Limit::EveryDays(7)), &done_at("2026-11-15T10:00:01Z"), now), Err(parse_instant("2026-11-22T10:00:01Z")));
        assert_eq!(eligible(&act(Limit::Unlimited), &done_at("2026-11-22T10:00:00Z"), now), Ok(()));
    }
}
