//! The published program (`Program::to_wire` / `from_wire`, src/config/wire.rs):
//! every valid program reads back equal and gives the engine's outputs
//! unchanged; corrupt bytes are an error, never a panic.

#[path = "common/fixture.rs"]
mod fixture;
#[path = "../fuzz/common/harness.rs"]
mod harness;

use fixture::{evaluate, evaluate_with, CASES, PROGRAMS};
use harness::gen;
use rewards_core::{respond, Engine, Json, Program};

fn through_wire(json: &str) -> Result<Engine, rewards_core::Error> {
    Engine::from_wire(&Program::parse(json)?.to_wire())
}

/// Every valid program of the fixtures: the program files and the cases'
/// inline programs, by name.
fn fixture_programs() -> Vec<(String, Program)> {
    let mut out: Vec<(String, Program)> = PROGRAMS.iter().map(|(n, t)| (n.to_string(), Program::parse(t).expect(n))).collect();
    for (name, text) in CASES {
        let case = Json::parse(text).expect(name);
        if let Some(p @ Json::Object(_)) = case.get("program") {
            if let Ok(p) = Program::parse(&p.to_text()) {
                out.push((name.to_string(), p));
            }
        }
    }
    out
}

fn corrupt(at: usize) -> String {
    format!("program: the published program is corrupt (byte {at}); publish it again with `rewards-server publish`")
}

#[test]
fn every_fixture_program_reads_back_equal() {
    let programs = fixture_programs();
    assert!(programs.len() > PROGRAMS.len(), "no inline programs found in the cases");
    for (name, p) in &programs {
        assert_eq!(Program::from_wire(&p.to_wire()).as_ref(), Ok(p), "{name}");
    }
}

#[test]
fn every_fixture_case_gives_the_same_output_from_the_published_program() {
    for (name, text) in CASES {
        let case = Json::parse(text).expect(name);
        assert_eq!(evaluate_with(&case, through_wire), evaluate(&case), "{name}");
    }
}

#[test]
fn generated_programs_read_back_equal_and_give_the_same_outputs() {
    // Fresh random programs use every section and option.
    let mut valid = 0;
    for i in 0..600 {
        let case = gen::differential_case(5, i);
        let Ok(json) = Engine::new(&case.program) else { continue };
        valid += 1;
        let wire = Engine::from_wire(&json.program.to_wire()).unwrap_or_else(|e| panic!("case {i}: {e}\n{}", case.program));
        assert_eq!(wire.program, json.program, "case {i}");
        assert_eq!(wire.public_config(), json.public_config(), "case {i}");
        for (op, input) in gen::op_calls(&case) {
            let [a, b] = [&wire, &json].map(|e| respond(e.run_named(op, &case.shopper, &input, case.now)));
            assert_eq!(a, b, "case {i}, {op}");
        }
    }
    assert!(valid > 400, "only {valid} of 600 generated programs are valid");
}

#[test]
fn every_truncation_is_refused() {
    for (name, p) in fixture_programs() {
        let wire = p.to_wire();
        for n in 0..wire.len() {
            match Program::from_wire(&wire[..n]) {
                Err(e) if e.to_string().starts_with("program: the published program is corrupt (byte ") => {}
                other => panic!("{name}: the first {n} of {} bytes gave {other:?}", wire.len()),
            }
        }
    }
}

#[test]
fn every_changed_byte_reads_or_is_refused_without_panicking() {
    // The fuzz target's checks: what is read writes back the same and runs every op.
    for (name, text) in PROGRAMS {
        let wire = Program::parse(text).expect(name).to_wire();
        for at in 0..wire.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut bytes = wire.clone();
                bytes[at] ^= flip;
                if std::panic::catch_unwind(|| harness::wire(&bytes)).is_err() {
                    panic!("{name}: byte {at} ^ {flip:#04x} panics");
                }
            }
        }
    }
}

#[test]
fn an_unknown_format_or_magic_is_refused_with_the_message() {
    let wire = Program::parse(PROGRAMS[0].1).unwrap().to_wire();
    assert_eq!(&wire[..3], b"RW\x01");
    for (at, byte) in [(0, b'X'), (1, b'w'), (2, 2), (2, 0)] {
        let mut bytes = wire.clone();
        bytes[at] = byte;
        assert_eq!(Program::from_wire(&bytes).unwrap_err().to_string(), corrupt(at));
    }
    assert_eq!(Engine::from_wire(b"").err().map(|e| e.to_string()), Some(corrupt(0)));
}

#[test]
fn trailing_bytes_are_refused() {
    let mut wire = Program::parse(PROGRAMS[0].1).unwrap().to_wire();
    let end = wire.len();
    wire.push(0);
    assert_eq!(Program::from_wire(&wire).unwrap_err().to_string(), corrupt(end));
}

#[test]
fn popup_and_texts_are_one_trailing_section_a_reader_can_skip() {
    for (name, p) in fixture_programs() {
        let mut core = p.clone();
        core.popup = None;
        core.texts = Vec::new();
        core.referral = None;
        core.birthday = rewards_core::config::Birthday { notice_days: 0 };
        // Without them the section is its length (4) and four empty values
        // (popup, texts, referral, birthday's notice 0).
        let short = core.to_wire();
        assert_eq!(short[short.len() - 5..], [4, 0, 0, 0, 0], "{name}");
        let prefix = &short[..short.len() - 5];
        // With them: the same bytes, then the section's length, then exactly that many bytes.
        let full = p.to_wire();
        assert!(full.starts_with(prefix), "{name}");
        let mut section = &full[prefix.len()..];
        let (mut len, mut shift) = (0usize, 0);
        while let [b, rest @ ..] = section {
            section = rest;
            len |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        assert_eq!(len, section.len(), "{name}");
    }
}

#[test]
fn the_published_programs_are_smaller_than_their_compact_json() {
    for (name, text) in PROGRAMS {
        let wire = Program::parse(text).unwrap().to_wire();
        let json = Json::parse(text).unwrap().to_text();
        println!("{name}: {} bytes published, {} bytes of compact JSON", wire.len(), json.len());
        assert!(wire.len() < json.len(), "{name}: {} bytes published, {} of JSON", wire.len(), json.len());
    }
}

/// Writes the fixture programs' published form to `fuzz/corpus/wire/`:
/// `cargo test --test wire -- --ignored seed_the_wire_fuzz_corpus`.
#[test]
#[ignore]
fn seed_the_wire_fuzz_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/wire");
    std::fs::create_dir_all(&dir).unwrap();
    let mut programs: Vec<Program> = fixture_programs().into_iter().map(|(_, p)| p).collect();
    programs.extend((0..8).filter_map(|i| Program::parse(&gen::differential_case(9, i).program).ok()));
    for p in programs {
        let wire = p.to_wire();
        std::fs::write(dir.join(format!("{:016x}", gen::fnv1a(gen::FNV_OFFSET, &wire))), wire).unwrap();
    }
}

/// The cart-page module reads the program without its display section and
/// runs only `Op::on_cart_page`: those give exactly the full engine's
/// outputs on every fixture case; the others are refused by name.
#[test]
fn the_cart_page_engine_gives_the_full_engines_outputs_for_its_operations() {
    use rewards_core::Op;
    let mut compared = 0;
    for (name, text) in CASES {
        let case = Json::parse(text).expect(name);
        let op = case.get("op").and_then(Json::as_str).and_then(Op::from_name).expect(name);
        if !op.on_cart_page() {
            continue;
        }
        let cart_page = |json: &str| -> Result<Engine, rewards_core::Error> {
            Ok(Engine { program: Program::from_wire_cart_page(&Program::parse(json)?.to_wire())? })
        };
        assert_eq!(evaluate_with(&case, cart_page), evaluate(&case), "{name}");
        compared += 1;
    }
    assert!(compared > 100, "only {compared} cart-page cases");
    for (name, p) in fixture_programs() {
        let read = Program::from_wire_cart_page(&p.to_wire()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let skipped = Program { popup: None, texts: Vec::new(), referral: None, birthday: Default::default(), ..p.clone() };
        assert_eq!(read, skipped, "{name}");
        let engine = Engine { program: read };
        for op in [Op::Explainer, Op::PopupDecision, Op::Actions, Op::Birthday] {
            let out = respond(engine.run_cart_page(op, "", "", 0));
            assert!(out.contains("is not in the cart-page engine") && out.contains(op.name()), "{name}: {out}");
        }
    }
    // Corrupt bytes are refused the same way by both readers.
    let bytes = Program::parse(PROGRAMS[0].1).unwrap().to_wire();
    assert!(Program::from_wire_cart_page(&bytes[..bytes.len() - 1]).is_err());
}
