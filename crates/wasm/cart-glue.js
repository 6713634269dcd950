// The cart-page module's JS side (crates/wasm/src/raw.rs has the calling
// convention): the same `Engine` and `init` as the full module's
// wasm-bindgen glue, in a fraction of its size (docs/wasm-size.md). The
// module imports nothing. scripts/build-wasm.sh ships this file as
// www/dist/pkg-cart/rewards_wasm.js.

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
function uvar(out, u) {
  for (; u > 127; u >>>= 7) out.push((u & 127) | 128);
  out.push(u);
}
function same(a, b) {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Engine {
  /** `program`: the published document's `engine` bytes; throws an Error whose message is the error JSON. */
  constructor(program) {
    write(program);
    this.handle = wasm.engine_new();
    if (!this.handle) throw new Error(answer(wasm.answer_len()));
  }

  /**
   * An operation by name on the shopper's and the input's bytes; the
   * answer's JSON text. The engine holds the last call's shopper and cart
   * (rewards_core::input::held): the same shopper is not sent again, and a
   * cart whose bytes around its lines are the same (`lines`, from the
   * encoder) is sent as its changed lines only.
   */
  run(op, shopper, input, now, { lines } = {}) {
    const name = utf8in.encode(op);
    const k = this.held || {};
    const keep = k.shopper && same(shopper, k.shopper);
    let patch;
    if (lines && k.items && lines.items.length == k.items.length && same(input.subarray(0, lines.at), k.head) && same(input.subarray(lines.end), k.tail)) {
      patch = [];
      for (let i = 0; i < lines.items.length; i++) {
        const b = lines.items[i];
        if (b === k.items[i]) continue;
        uvar(patch, i), uvar(patch, b.length);
        for (let j = 0; j < b.length; j++) patch.push(b[j]);
      }
    }
    write(name, keep ? [] : shopper, patch || input);
    const r = wasm.engine_run(this.handle, name.length, keep ? -1 : shopper.length, +now, patch ? 1 : 0);
    // An error forgets what the engine held; other input than a cart with its lines may have replaced its cart.
    this.held = r & 1 ? null : lines ? { shopper, head: input.slice(0, lines.at), tail: input.slice(lines.end), items: lines.items } : input.length ? { shopper } : { ...k, shopper };
    return answer(r >>> 1);
  }

  free() {
    if (this.handle) wasm.engine_free(this.handle), (this.handle = 0);
  }
}

/** This module's operations, comma-separated. */
export const ops = () => answer(wasm.ops());

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
