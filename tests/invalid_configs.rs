//! Every malformed program in `tests/fixtures/invalid` must be refused by
//! `Engine::new` with exactly the issues listed in its file, in order (see
//! `tests/common/fixture.rs` for the format).

#[path = "common/fixture.rs"]
mod fixture;

use fixture::{run_invalid, INVALID};

#[test]
fn every_malformed_config_reports_exactly_its_issues() {
    let failures: Vec<String> = INVALID.iter().filter_map(|(name, text)| run_invalid(name, text).err()).collect();
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
    assert!(run_invalid("meta/valid", valid).expect_err("must fail").contains("was accepted"));
    let wrong = r#"{"config":{"version":2},"errors":[{"path":"version","message":"is required"}]}"#;
    let err = run_invalid("meta/wrong", wrong).expect_err("must fail");
    assert!(err.contains("- {\"path\":\"version\",\"message\":\"is required\"}"), "{err}");
    assert!(err.contains("+ {\"path\":\"store\",\"message\":\"is required\"}"), "{err}");
}
