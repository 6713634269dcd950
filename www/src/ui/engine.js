// The numbers: the Rust core compiled to wasm, or — when the page's CSP
// blocks WebAssembly (no 'wasm-unsafe-eval') or the wasm cannot load — the
// server's POST /api/engine/{op}, which returns the same bytes. Both give
// one call, `run(op, shopper, input)`, with the core's operation names
// (rewards_core::Op, the one list of them); results are the core's JSON, parsed.
// The wasm takes the shopper and the input as bytes (wire-encode.js, by the
// core's field tables); the server takes them as JSON.
//
// Two wasm modules read the same published program: the cart-page engine
// (previews, product points, tier and punch progress, redemptions: what a
// product or cart page needs) loads first; the full one (explainer, popup
// decision, bonus actions) on the first operation the cart-page one lacks.

import init, { Engine } from '../../dist/pkg-cart/rewards_wasm.js';

/** The cart-page module's operations (rewards_core::Op::on_cart_page, read from it at build time). */
const CART_OPS = new Set(__REWARDS_CART_OPS__);

export class EngineError extends Error {
  constructor(out) {
    const issues = Array.isArray(out.issues) ? out.issues : [];
    const detail = issues
      .slice(0, 3)
      .map((i) => (i.path ? i.path + ': ' : '') + i.message)
      .join('; ');
    super(detail || out.message || out.error);
    this.kind = out.error;
    this.issues = issues;
  }
}

function parse(text) {
  const out = JSON.parse(text);
  if (out && typeof out === 'object' && typeof out.error === 'string' && 'message' in out) throw new EngineError(out);
  return out;
}

/**
 * A new task: the steps from the wasm's arrival to the first numbers
 * (instantiate, read the program, quote, render) each run in their own
 * task, so none of them holds the main thread long (issue 5: no task > 50 ms
 * under 4× throttling). scheduler.yield keeps the continuation's priority.
 */
export function nextTask() {
  return new Promise((resolve) => {
    if (typeof scheduler === 'object' && scheduler && typeof scheduler.yield === 'function') scheduler.yield().then(resolve, () => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

/**
 * Resolves to an engine; rejects (with a clear message) when neither path works.
 * The first module loads now — the cart-page one where the page shows numbers
 * (it has elements), else the full one — and the other on the first call it
 * is needed for, so a page loads the full module only when a surface asks.
 */
export async function loadEngine(ctx) {
  const program = Uint8Array.from(atob(ctx.engineBytes), (c) => c.charCodeAt(0));
  const modules = {
    cart: () => init({ module_or_path: ctx.wasm() }).then(() => Engine),
    full: () => import('../../dist/pkg/rewards_wasm.js').then((m) => m.default({ module_or_path: ctx.wasmFull() }).then(() => m.Engine)),
  };
  const loading = {};
  const engineOf = (name) =>
    (loading[name] ||= modules[name]().then(async (E) => {
      await nextTask();
      return open(E, program);
    }));
  let wasmError;
  let callInputs;
  try {
    // The encoder (and the core's field tables) come with the first module, in their own chunk.
    const encoder = import('./wire-inputs.js');
    await engineOf(ctx.elements.size ? 'cart' : 'full');
    ({ callInputs } = await encoder);
  } catch (e) {
    wasmError = e;
  }
  if (!wasmError) {
    ctx.mark('engine');
    const now = () => Date.now();
    await nextTask();
    return {
      kind: 'wasm',
      exponent: ctx.cfg.store.exponent,
      // Once the full module is here it answers everything.
      run: async (op, s, input) => {
        const e = await engineOf(loading.full || !CART_OPS.has(op) ? 'full' : 'cart');
        const args = callInputs(op, s, input);
        if (args.issues) throw new EngineError({ error: 'invalid', issues: args.issues });
        return parse(e.run(op, args.shopper, args.input, now(), args));
      },
    };
  }
  const blocked = /wasm-unsafe-eval|Content Security Policy|CompileError/i.test(String(wasmError && (wasmError.message || wasmError.name)));
  const why = blocked
    ? "this page's Content-Security-Policy blocks WebAssembly (script-src needs 'wasm-unsafe-eval')"
    : 'the WebAssembly engine could not load (' + ((wasmError && wasmError.message) || wasmError) + ')';
  if (!ctx.api) throw new Error(why + ' and no data-api is set for server previews; points previews are off');
  ctx.warn(why + '; using the server for points previews instead.');
  return httpEngine(ctx);
}

/** The engine of a wasm module on the published program's bytes; a clear error when they cannot be read. */
function open(Engine, program) {
  try {
    return new Engine(program);
  } catch (err) {
    let out = null;
    try {
      out = JSON.parse(err.message);
    } catch {
      /* not the core's error JSON */
    }
    throw new Error('the published program cannot be read: ' + (out ? new EngineError(out).message : err.message));
  }
}

function httpEngine(ctx) {
  const run = async (op, shopper, input) => {
    const headers = { 'content-type': 'application/json' };
    const body = { input };
    // With a token the server fills the shopper from it.
    if (ctx.state.token) headers.authorization = 'Bearer ' + ctx.state.token;
    else body.shopper = shopper;
    const r = await ctx.fetch(new URL('api/engine/' + op, ctx.api).href, { method: 'POST', headers, body: ctx.json(body) });
    const text = await r.text();
    if (!r.ok && !text.startsWith('{')) throw new Error(`api/engine/${op} answered ${r.status}`);
    return parse(text);
  };
  ctx.mark('engine');
  return { kind: 'http', exponent: null, run };
}
