//! Refer a friend: the code's form, who may refer whom, and what each
//! side gets. The server draws a code's randomness and keeps the records;
//! every rule is here, so the widget's "Give X, get Y" and the ledger's
//! credits are the same numbers.
//!
//! A code is 8 characters of Crockford's base32 (`0-9`, `A-Z` without
//! `I L O U`): 40 random bits, short enough to read out, derived from
//! nothing about its owner. Reading one is forgiving: case, spaces and
//! hyphens are ignored, `O` reads as `0` and `I`/`L` as `1`.

use crate::config::{ActionKind, FriendRewardOn, Program};
use crate::json::{int, obj, opt, s, Json};
use crate::prelude::*;
use crate::time::{Millis, DAY_MS};

/// Characters of a code.
pub const CODE_LEN: usize = 8;
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The code for 40 random bits (the server's draw).
pub fn code_from_bits(bits: [u8; 5]) -> String {
    let n = bits.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b));
    (0..CODE_LEN).rev().map(|i| ALPHABET[((n >> (5 * i)) & 31) as usize] as char).collect()
}

/// A code as typed or carried in a URL, in its one canonical form; `None`
/// for anything that is not a code (then it is ignored, never an error on
/// the page).
pub fn normalise_code(text: &str) -> Option<String> {
    if text.len() > 32 {
        return None;
    }
    let mut out = String::with_capacity(CODE_LEN);
    for c in text.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// An email address as one person has it: trimmed, lower case, without a
/// `+tag`, and for Gmail without dots (`A.B+x@Googlemail.com` and
/// `ab@gmail.com` are one person). Used only to refuse self-referral.
pub fn email_key(email: &str) -> String {
    let e = email.trim().to_lowercase();
    let Some((local, domain)) = e.rsplit_once('@') else { return e };
    let local = local.split('+').next().unwrap_or(local);
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

/// Why a referral was not recorded or not rewarded (the admin sees these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No member has this code (never issued, or its owner was deleted).
    UnknownCode,
    /// The code is the friend's own (same shopper, customer id or email).
    SelfReferral,
    /// The friend was already referred: the first valid code wins.
    AlreadyReferred,
    /// The friend was a member or a customer before the code arrived.
    ExistingCustomer,
    /// The referrer reached `referral.referrer_cap`: the friend is still
    /// rewarded, the referrer is not.
    ReferrerCap,
}

impl Refusal {
    pub const ALL: &'static [(&'static str, Refusal)] = &[
        ("unknown_code", Refusal::UnknownCode),
        ("self_referral", Refusal::SelfReferral),
        ("already_referred", Refusal::AlreadyReferred),
        ("existing_customer", Refusal::ExistingCustomer),
        ("referrer_cap", Refusal::ReferrerCap),
    ];

    pub fn name(self) -> &'static str {
        Refusal::ALL.iter().find(|(_, r)| *r == self).map_or("unknown_code", |(n, _)| n)
    }
}

/// One side of a referral, as the two parties are identified.
pub struct Party<'a> {
    pub shopper_id: &'a str,
    pub customer_id: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// Whether `friend` may be referred by `referrer`: not the same person
/// (same shopper, same customer id, or the same [`email_key`]), not
/// referred before, and new (no signup and no order before the code came).
pub fn check(referrer: &Party, friend: &Party, already_referred: bool, known_before: bool) -> Result<(), Refusal> {
    let same_email = matches!((referrer.email, friend.email), (Some(a), Some(b)) if email_key(a) == email_key(b));
    let same_customer = matches!((referrer.customer_id, friend.customer_id), (Some(a), Some(b)) if a == b);
    if referrer.shopper_id == friend.shopper_id || same_customer || same_email {
        Err(Refusal::SelfReferral)
    } else if already_referred {
        Err(Refusal::AlreadyReferred)
    } else if known_before {
        Err(Refusal::ExistingCustomer)
    } else {
        Ok(())
    }
}

/// What a referral gives, from the program: the friend's points and
/// voucher, the referrer's points. All zero without `referral`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rewards {
    pub friend_points: i64,
    pub friend_voucher: Option<i64>,
    pub referrer_points: i64,
}

fn action_points(program: &Program, kind: ActionKind) -> i64 {
    program.actions.iter().filter(|a| a.kind == kind).map(|a| a.points).max().unwrap_or(0)
}

pub fn rewards(program: &Program) -> Rewards {
    match &program.referral {
        None => Rewards::default(),
        Some(r) => Rewards {
            friend_points: action_points(program, ActionKind::ReferralFriend),
            friend_voucher: r.friend_voucher,
            referrer_points: action_points(program, ActionKind::ReferralReferrer),
        },
    }
}

/// The id of the action a side's points are recorded under.
pub fn action_id(program: &Program, kind: ActionKind) -> Option<&str> {
    program.actions.iter().filter(|a| a.kind == kind).max_by_key(|a| a.points).map(|a| a.id.as_str())
}

/// Whether an order with this qualifying spend (the preview's
/// `qualifying_total`) is a qualifying first order: it earns purchase
/// points (positive and at least `earning.minimum_order`).
pub fn qualifies(program: &Program, qualifying_total: i64) -> bool {
    qualifying_total > 0 && qualifying_total >= program.earning.minimum_order
}

/// Whether a referrer who was rewarded at `paid` instants may be rewarded
/// again for an order at `now` (`referral.referrer_cap`: at most `rewards`
/// in the `days` days up to `now`).
pub fn under_cap(program: &Program, paid: &[Millis], now: Millis) -> bool {
    let Some(cap) = program.referral.as_ref().and_then(|r| r.referrer_cap) else { return true };
    let from = now.saturating_sub(cap.days.saturating_mul(DAY_MS));
    (paid.iter().filter(|t| **t > from && **t <= now).count() as i64) < cap.rewards
}

/// The code a visitor arrived with, when it still counts at `now`: the
/// program has a referral program, the code is well formed, and it came
/// less than `remember_days` ago (and not in the future).
pub fn remembered(program: &Program, code: &str, at: Millis, now: Millis) -> Option<String> {
    let r = program.referral.as_ref()?;
    let fresh = at <= now && now < at.saturating_add(r.remember_days.saturating_mul(DAY_MS));
    fresh.then(|| normalise_code(code)).flatten()
}

/// The friend's reward as JSON: `{points, voucher}` (voucher: minor units or null).
pub fn friend_json(r: &Rewards) -> Json<'static> {
    obj(vec![("points", int(r.friend_points)), ("voucher", opt(r.friend_voucher, int))])
}

/// The referral program for the explainer: "Give X, get Y" and the rules.
pub fn model(program: &Program) -> Json<'static> {
    opt(program.referral.as_ref(), |c| {
        let r = rewards(program);
        obj(vec![
            ("friend", friend_json(&r)),
            ("referrer_points", int(r.referrer_points)),
            (
                "friend_reward_on",
                s(match c.friend_reward_on {
                    FriendRewardOn::Signup => "signup",
                    FriendRewardOn::FirstOrder => "first_order",
                }),
            ),
            ("remember_days", int(c.remember_days)),
            ("link_base", opt(c.link_base.as_deref(), s)),
            ("pending_days", int(program.lifecycle.pending_days)),
            ("referrer_cap", opt(c.referrer_cap, |k| obj(vec![("rewards", int(k.rewards)), ("days", int(k.days))]))),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_crockford_characters_read_forgivingly() {
        assert_eq!(code_from_bits([0; 5]), "00000000");
        assert_eq!(code_from_bits([0xff; 5]), "ZZZZZZZZ");
        assert_eq!(code_from_bits([0x12, 0x34, 0x56, 0x78, 0x9a]), "28T5CY4T");
        assert_eq!(normalise_code("28t5-cy4t").as_deref(), Some("28T5CY4T"));
        assert_eq!(normalise_code(" 28T5 CY4T ").as_deref(), Some("28T5CY4T"));
        assert_eq!(normalise_code("O1LI0000").as_deref(), Some("01110000"));
        for bad in ["", "28T5CY4", "28T5CY4TX", "28T5CY4U", "28T5<Y4T", "28T5CY4T&x=1", "ẞ8T5CY4T", &"A".repeat(40)] {
            assert_eq!(normalise_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn one_person_has_one_email_key() {
        assert_eq!(email_key(" An.Nguyen+shop@Gmail.com "), "annguyen@gmail.com");
        assert_eq!(email_key("a.n.nguyen@googlemail.com"), "annguyen@gmail.com");
        assert_eq!(email_key("an.nguyen+x@example.vn"), "an.nguyen@example.vn");
        assert_ne!(email_key("an.nguyen@example.vn"), email_key("annguyen@example.vn"));
    }

    #[test]
    fn the_referrer_cap_counts_rewards_in_the_window_up_to_now() {
        let json = r#"{"version":1,"store":{"name":"S","currency":"VND","default_locale":"vi"},"earning":{"points_per_step":1,"step":10000},
            "actions":[{"kind":"referral_referrer","points":100},{"kind":"referral_friend","points":50}],
            "referral":{"referrer_cap":{"rewards":2,"days":30}}}"#;
        let p = crate::validate::program(json).unwrap();
        let now = 100 * DAY_MS;
        assert!(under_cap(&p, &[now - 31 * DAY_MS, now - 30 * DAY_MS], now), "both outside the 30 days");
        assert!(under_cap(&p, &[now - 29 * DAY_MS], now));
        assert!(!under_cap(&p, &[now - 29 * DAY_MS, now - DAY_MS], now));
        assert_eq!(rewards(&p), Rewards { friend_points: 50, friend_voucher: None, referrer_points: 100 });
    }

    #[test]
    fn self_referral_repeat_and_existing_customers_are_refused() {
        let p = |id, cid, email| Party { shopper_id: id, customer_id: cid, email };
        let referrer = p("shp_a", Some("c1"), Some("an.nguyen@gmail.com"));
        assert_eq!(check(&referrer, &p("shp_b", None, Some("binh@example.vn")), false, false), Ok(()));
        assert_eq!(check(&referrer, &p("shp_a", None, None), false, false), Err(Refusal::SelfReferral));
        assert_eq!(check(&referrer, &p("shp_b", Some("c1"), None), false, false), Err(Refusal::SelfReferral));
        assert_eq!(check(&referrer, &p("shp_b", None, Some("AnNguyen+2@gmail.com")), false, false), Err(Refusal::SelfReferral));
        assert_eq!(check(&referrer, &p("shp_b", None, None), true, false), Err(Refusal::AlreadyReferred));
        assert_eq!(check(&referrer, &p("shp_b", None, None), false, true), Err(Refusal::ExistingCustomer));
    }
}
