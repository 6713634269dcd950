//! Runs every data-driven case in `tests/fixtures/cases` (see
//! `tests/common/fixture.rs` for the format) and reports all failures.

#[path = "common/fixture.rs"]
mod fixture;

use fixture::{run_case, subset_diff, CASES, INVALID, PROGRAMS};
use rewards_core::{Engine, Json};
use std::path::Path;

#[test]
fn every_case_matches_its_expected_output() {
    let failures: Vec<String> = CASES.iter().filter_map(|(name, text)| run_case(name, text).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), CASES.len(), failures.join("\n\n"));
}

#[test]
fn every_program_fixture_is_a_valid_program() {
    for (name, text) in PROGRAMS {
        if let Err(e) = Engine::new(text) {
            panic!("{name}: {e}");
        }
    }
}

/// Files under `dir` (recursively) with the given extension, as paths
/// relative to `dir` without the extension, sorted.
fn files(dir: &Path, ext: &str) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, ext: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, ext, out);
            } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
                let rel = path.strip_prefix(root).expect("under root").with_extension("");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, ext, &mut out);
    out.sort();
    out
}

fn check_list(kind: &str, dir: &str, listed: &[&str], with_ext: bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut on_disk = files(&root, "json");
    if with_ext {
        on_disk.iter_mut().for_each(|n| n.push_str(".json"));
    }
    let mut sorted = listed.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(listed, &sorted[..], "{kind} must be sorted and without duplicates");
    let missing: Vec<&String> = on_disk.iter().filter(|n| !listed.contains(&n.as_str())).collect();
    let stale: Vec<&&str> = listed.iter().filter(|n| !on_disk.iter().any(|d| d == **n)).collect();
    let lines: Vec<String> = missing
        .iter()
        .map(|n| match dir {
            "cases" => format!("    case!(\"{n}\"),"),
            "invalid" => format!("    invalid!(\"{n}\"),"),
            _ => format!("    (\"{n}\", include_str!(\"../fixtures/{dir}/{n}\")),"),
        })
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "{kind} in tests/common/fixture.rs is out of date.\nnot listed (add these lines):\n{}\nlisted but not on disk: {stale:?}",
        lines.join("\n")
    );
}

#[test]
fn fixture_lists_match_the_files_on_disk() {
    check_list("CASES", "cases", &CASES.iter().map(|(n, _)| *n).collect::<Vec<_>>(), false);
    check_list("INVALID", "invalid", &INVALID.iter().map(|(n, _)| *n).collect::<Vec<_>>(), false);
    check_list("PROGRAMS", "programs", &PROGRAMS.iter().map(|(n, _)| *n).collect::<Vec<_>>(), true);
}

/// The comparator itself must be able to fail, or every case would pass.
#[test]
fn subset_comparison_reports_every_difference() {
    fn diff(e: &str, a: &str) -> Vec<String> {
        let mut out = Vec::new();
        subset_diff(&Json::parse(e).expect("test JSON"), &Json::parse(a).expect("test JSON"), "$", &mut out);
        out
    }
    assert!(diff(r#"{"a":1}"#, r#"{"a":1,"b":2}"#).is_empty(), "extra actual keys are allowed");
    assert!(diff(r#"[{"a":1}]"#, r#"[{"a":1,"b":2}]"#).is_empty(), "array items match as subsets");
    assert_eq!(diff(r#"{"a":1}"#, r#"{"b":1}"#), ["$.a: missing; expected 1"]);
    assert_eq!(diff(r#"{"a":{"b":"x"}}"#, r#"{"a":{"b":"y"}}"#), [r#"$.a.b: expected "x", got "y""#]);
    assert_eq!(diff("[1,2]", "[1,2,3]"), ["$: expected 2 items, got 3: [1,2,3]"]);
    assert_eq!(diff("1", "1.0"), ["$: expected 1, got 1.0"], "number texts compare exactly");
    assert_eq!(diff(r#"{"a":null}"#, r#"{"a":0}"#), ["$.a: expected null, got 0"]);
    assert_eq!(diff(r#"{"a":1,"b":2}"#, r#"{"a":0,"b":0}"#).len(), 2, "all differences are reported");
}

#[test]
fn a_case_with_a_wrong_expectation_fails_with_its_name() {
    let case = r#"{"description":"d","program":"us-apparel.json","op":"actions","shopper":null,
                   "now":"2026-11-22T10:00:00Z","expected":[{"id":"nope"}]}"#;
    let err = run_case("meta/wrong", case).expect_err("must fail");
    assert!(err.contains("case meta/wrong failed") && err.contains("expected 1 items, got 8"), "{err}");
    let empty = r#"{"description":"d","program":"us-apparel.json","op":"actions","now":0,"expected":{}}"#;
    assert!(run_case("meta/empty", empty).expect_err("must fail").contains("assert nothing"));
    let typo = r#"{"description":"d","program":"us-apparel.json","op":"actions","now":0,"cart":{},"expected":[]}"#;
    assert!(run_case("meta/typo", typo).expect_err("must fail").contains("does not take \"cart\""));
}
