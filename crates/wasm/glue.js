// Both wasm modules' JS side (crates/wasm/src/raw.rs has the calling
// convention): `init`, `Engine`, `ops` and (full module) `inputs`, in a
// fraction of wasm-bindgen's glue (docs/wasm-size.md). The modules import
// nothing. scripts/build-wasm.sh ships this file as
// www/dist/pkg-cart/rewards_wasm.js and www/dist/pkg/rewards_wasm.js: two
// copies, so each module instance keeps its own state.

let wasm;
const utf8in = new TextEncoder();
const utf8out = new TextDecoder();

function ready(instance) {
  wasm = instance.exports;
  return wasm;
}

/** Copies `parts` (byte arrays) into the module's input buffer, back to back. */
function write(...parts) {
  let at = wasm.buffer(parts.reduce((n, p) => n + p.length, 0));
  const memory = new Uint8Array(wasm.memory.buffer);
  for (const p of parts) memory.set(p, at), (at += p.length);
}

const answer = (len) => utf8out.decode(new Uint8Array(wasm.memory.buffer, wasm.answer(), len));

export class Engine {
  /** `program`: the published document's `engine` bytes; throws an Error whose message is the error JSON. */
  constructor(program) {
    write(program);
    this.handle = wasm.engine_new();
    if (!this.handle) throw new Error(answer(wasm.answer_len()));
  }

  /** An operation by name on the shopper's and the input's bytes; the answer's JSON text. */
  run(op, shopper, input, now) {
    const name = utf8in.encode(op);
    write(name, shopper, input);
    return answer(wasm.engine_run(this.handle, name.length, shopper.length, +now));
  }

  free() {
    if (this.handle) wasm.engine_free(this.handle), (this.handle = 0);
  }
}

/** This module's operations, comma-separated. */
export const ops = () => answer(wasm.ops());

/** The inputs' field tables as JSON (the full module only). */
export const inputs = () => answer(wasm.inputs());

export function initSync({ module }) {
  if (wasm) return wasm;
  return ready(new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module), {}));
}

/** Loads the module once: `module_or_path` is a URL, a Response (or a promise of one), a Module or bytes. */
export default async function init({ module_or_path } = {}) {
  if (wasm) return wasm;
  let source = await (module_or_path ?? new URL('rewards_wasm_bg.wasm', import.meta.url));
  if (typeof source == 'string' || source instanceof URL) source = await fetch(source);
  if (typeof Response == 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`failed to fetch Wasm: ${source.status} ${source.statusText} fetching '${source.url}'`);
    // Streaming needs the application/wasm type; a server without it still works, compiled from the bytes.
    const typed = source.headers.get('Content-Type') == 'application/wasm';
    if (typed && WebAssembly.instantiateStreaming) return ready((await WebAssembly.instantiateStreaming(source, {})).instance);
    source = await source.arrayBuffer();
  }
  const made = await WebAssembly.instantiate(source, {});
  return ready(made instanceof WebAssembly.Instance ? made : made.instance);
}
