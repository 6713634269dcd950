//! Issue 10: every fixture case of `tests/fixtures/cases` through the real
//! server's `POST /api/engine/{op}` (the preview fallback a page uses when
//! its CSP blocks WebAssembly): the answer is byte for byte what the core
//! writes for the same program, input and `now`, as the native and wasm
//! fixture runs check — one fixture set for all three.

#[path = "../../../../tests/common/fixture.rs"]
mod fixture;

use std::collections::BTreeMap;

use rewards_core::time::parse_instant;
use rewards_core::{Json, Op};
use rewards_server::LoadedProgram;

use crate::harness::*;

/// A case's input as the engine takes it: a string is the raw text.
fn text(v: &Json) -> String {
    match v {
        Json::String(raw) => raw.to_string(),
        other => other.to_text(),
    }
}

struct Call {
    name: &'static str,
    op: &'static str,
    body: String,
    now: i64,
    expected: String,
}

#[tokio::test]
async fn issue_10_every_fixture_case_through_the_server_endpoint_gives_the_cores_bytes() {
    // Cases by program text (one server per program, as in production).
    let mut by_program: BTreeMap<String, Vec<Call>> = BTreeMap::new();
    let mut invalid_programs = 0;
    for (name, case_text) in fixture::CASES {
        let case = Json::parse(case_text).unwrap();
        let program = match case.get("program").unwrap() {
            Json::String(file) => fixture::program_text(file).unwrap().to_string(),
            inline => inline.to_text(),
        };
        let expected = fixture::case_output(case_text).unwrap();
        if let Err(e) = LoadedProgram::parse(program.clone()) {
            // The server refuses to start on it, with the engine's own error.
            assert_eq!(e.to_json().to_text(), expected, "{name}");
            invalid_programs += 1;
            continue;
        }
        let Some(Json::String(op_name)) = case.get("op") else { panic!("{name}: op") };
        let op = Op::from_name(op_name).unwrap();
        let now = match case.get("now").unwrap() {
            Json::String(t) => parse_instant(t).unwrap(),
            n => n.to_text().parse().unwrap(),
        };
        let mut body = serde_json::Map::new();
        if let Some(s) = case.get("shopper") {
            body.insert("shopper".into(), serde_json::Value::String(text(s)));
        }
        if let Some(input) = op.input_name().and_then(|k| case.get(k)) {
            body.insert("input".into(), serde_json::Value::String(text(input)));
        }
        let call = Call { name, op: op.name(), body: serde_json::Value::Object(body).to_string(), now, expected };
        by_program.entry(program).or_default().push(call);
    }
    let mut checked = 0;
    for (program, calls) in &by_program {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("program.json");
        std::fs::write(&file, program).unwrap();
        let srv = Srv::start_with(&Kind::Sqlite, |s| s.program_path = file.clone()).await;
        for c in calls {
            srv.app.clock.set(c.now);
            let r = srv.post(&format!("/api/engine/{}", c.op), &c.body, &[]).await;
            assert_eq!(r.body, c.expected, "case {}", c.name);
            assert_eq!(r.status, if c.expected.starts_with("{\"error\"") { 422 } else { 200 }, "case {}", c.name);
            checked += 1;
        }
    }
    assert_eq!(checked + invalid_programs, fixture::CASES.len());
    eprintln!(
        "{checked} fixture cases through POST /api/engine/{{op}} on {} programs; {invalid_programs} with an invalid program",
        by_program.len()
    );
}
