// Drops `core`'s panic-message formatting from a shipped wasm module.
//
//   node scripts/wasm-drop-fmt.mjs drop  IN.wasm OUT.wasm   (before wasm-opt)
//   node scripts/wasm-drop-fmt.mjs check FILE.wasm          (after wasm-opt)
//
// Why: the shipped modules' panic handler traps without reading its message
// (crates/wasm/src/lib.rs), but every bounds check the compiler cannot prove
// away still builds a `fmt::Arguments` naming `Display`/`Debug` functions,
// so those functions sit in the function table and LLVM keeps them, with
// `Formatter::pad`, `is_printable` and their tables (~6 KB raw; stable Rust
// has no `panic_immediate_abort`). Nothing but a panic message ever calls
// them, and a message is never formatted.
//
// `drop` empties the function table's element segment. `check` then proves
// the drop changed nothing a caller can observe: after wasm-opt has removed
// what became unreachable, the module must contain no `call_indirect` at
// all. Every function the table held was therefore reachable only through
// `call_indirect`s that themselves sat in such functions — none from an
// export — so emptying the table removed only code that could never run.
// If a future change makes live code call through the table, `check` fails
// the build instead of shipping a module that would trap.
import fs from "node:fs";
import binaryen from "binaryen";

const [mode, input, output] = process.argv.slice(2);
const module = binaryen.readBinary(fs.readFileSync(input));
// The features scripts/wasm-opt.sh enables, no more: with all of them on,
// binaryen writes encodings (e.g. stringref) that browsers refuse.
const F = binaryen.Features;
module.setFeatures(
  F.MVP | F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue,
);

if (mode === "drop") {
  for (let i = module.getNumElementSegments() - 1; i >= 0; i--) {
    const info = binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(i));
    module.removeElementSegment(info.name);
  }
  fs.writeFileSync(output, module.emitBinary());
} else if (mode === "check") {
  const text = module.emitText();
  const calls = text.split("\n").filter((line) => line.includes("call_indirect"));
  if (calls.length > 0) {
    console.error(`${input}: ${calls.length} call_indirect left after dropping the function table's elements;`);
    console.error("live code calls through the table, so the drop is not safe: see scripts/wasm-drop-fmt.mjs");
    process.exit(1);
  }
} else {
  console.error("usage: wasm-drop-fmt.mjs drop IN OUT | check FILE");
  process.exit(2);
}
