//! Every malformed program in `tests/fixtures/invalid` must be refused by
//! the native validator (`rewards_core::validate`, what the server runs)
//! with exactly the issues listed in its file, in order (see
//! `tests/common/fixture.rs` for the format). (The browser never sees a
//! config: it reads what `rewards-server publish` writes from a valid one.)
#![cfg(feature = "schema")]

#[path = "common/fixture.rs"]
mod fixture;

use fixture::{run_invalid, INVALID};
use rewards_core::validate;

fn native(config: &str) -> Result<(), rewards_core::Error> {
    validate::program(config).map(|_| ())
}

#[test]
fn every_malformed_config_reports_exactly_its_issues() {
    let failures: Vec<String> = INVALID.iter().filter_map(|(name, text)| run_invalid(name, text, native).err()).collect();
    assert!(failures.is_empty(), "{} of {} invalid configs differ:\n\n{}", failures.len(), INVALID.len(), failures.join("\n\n"));
}

#[test]
fn there_are_at_least_twenty_malformed_configs() {
    assert!(INVALID.len() >= 20, "only {} malformed configs", INVALID.len());
}

/// The runner must notice an accepted config and a wrong issue list.
#[test]
fn the_runner_fails_on_accepted_configs_and_wrong_issues() {
    let valid = r#"{"config":{"version":1,"store":{"name":"T","currency":"USD","default_locale":"en"},
                    "earning":{"points_per_step":1,"step":100}},"errors":[{"path":"version","message":"x"}]}"#;
    assert!(run_invalid("meta/valid", valid, native).expect_err("must fail").contains("was accepted"));
    let wrong = r#"{"config":{"version":2},"errors":[{"path":"version","message":"is required"}]}"#;
    let err = run_invalid("meta/wrong", wrong, native).expect_err("must fail");
    assert!(err.contains("- {\"path\":\"version\",\"message\":\"is required\"}"), "{err}");
    assert!(err.contains("+ {\"path\":\"store\",\"message\":\"is required\"}"), "{err}");
}
