// The wasm engine called with JSON texts, as the native engine and the
// server's POST /api/engine/{op} take them: the tests' one adapter. The
// widget encodes the objects it has (www/src/ui/wire-encode.js, by the
// core's field tables, `inputs()` of the full module); here the texts are
// parsed and encoded the same way, and an encoding problem answers the
// core's error JSON. Works in Node and in the page (no imports: the
// encoder is passed in).

/** `makeEncoder` from wire-encode.js; `glue`: the full module's wasm-bindgen exports (for `inputs()`). */
export function jsonEngines(makeEncoder, glue) {
  const { callInputs } = makeEncoder(JSON.parse(glue.inputs()));
  const parse = (t) => (t == null || t.trim() === '' ? null : JSON.parse(t));
  /** `engine`: a wasm Engine; the answer: its text, like `rewards_core::respond`. */
  return (engine) => ({
    run(op, shopper, input, now) {
      const args = callInputs(op, parse(shopper), parse(input));
      if (args.issues) {
        const message = args.issues.map((i) => (i.path ? i.path + ': ' : '') + i.message).join('\n');
        return JSON.stringify({ error: 'invalid', message, issues: args.issues });
      }
      return engine.run(op, args.shopper, args.input, now);
    },
    free: () => engine.free(),
  });
}
