//! Native step of the boundary experiment: validates the fixture program
//! with the real (full) decoder, compiles it into the form the browser
//! would receive, and writes that form once per reader format:
//!   program.wire           postcard wire bytes (the hand writer; checked
//!                          equal to `postcard::to_allocvec`)
//!   program.compiled.json  the same document as JSON text (serde_json)
//! It also checks that every format reads back to the same document and
//! that the compiled program computes the same preview as the original.
//!
//!   boundary-gen <program.json> <out dir>
use boundary_common::compiled::CProgram;
use boundary_common::pos;
use rewards_core::Program;
use std::fs;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (src, out) = (&args[1], &args[2]);
    let text = fs::read_to_string(src).expect("read program");
    let program = Program::parse(&text).unwrap_or_else(|e| panic!("{src} is not a valid program: {e}"));
    let compiled = CProgram::of(&program);

    let wire = pos::write(&compiled);
    assert_eq!(wire, postcard::to_allocvec(&compiled).unwrap(), "hand writer and postcard disagree");
    assert_eq!(pos::read(&wire).as_ref(), Some(&compiled), "hand reader does not read back");
    assert_eq!(postcard::from_bytes::<CProgram>(&wire).unwrap(), compiled);
    let json = serde_json::to_string(&compiled).unwrap();
    assert_eq!(serde_json::from_str::<CProgram>(&json).unwrap(), compiled);

    // The compiled form must compute what the original computes.
    let back = compiled.clone().to_core().expect("compiled program converts back");
    assert_eq!(back.earning, program.earning);
    assert_eq!(back.tiers, program.tiers);
    assert_eq!(back.membership, program.membership);
    assert_eq!(back.punch_card, program.punch_card);
    assert_eq!(back.redemptions, program.redemptions);
    assert_eq!(back.actions, program.actions);
    assert_eq!(back.cashback, program.cashback);
    assert_eq!(back.multipliers, program.multipliers);
    assert_eq!(back.lifecycle, program.lifecycle);

    fs::create_dir_all(out).unwrap();
    fs::write(format!("{out}/program.wire"), &wire).unwrap();
    fs::write(format!("{out}/program.compiled.json"), &json).unwrap();
    println!("{{\"config_json_bytes\":{},\"wire_bytes\":{},\"compiled_json_bytes\":{}}}", text.len(), wire.len(), json.len());
}
