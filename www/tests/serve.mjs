// A small static server for the widget's browser tests and local demo:
// serves www/ with correct content types (application/wasm included), the
// server contract's stable paths (/rewards.js, /assets/*), the test
// fixture pages (a merchant's own pages, platform cart APIs with recorded
// shapes) and a few API endpoints for those pages: signups recorded and
// answered as the real server answers every accepted one, a shopper state
// the test sets (hostile values included), and /api/engine/{op} running the
// same wasm engine in Node, so its answers are the core's exact bytes.
// Tests that sign up, read a shopper, redeem or apply a code run on the
// real server instead (real-server.mjs, storefront.mjs); there is no stub
// redemption. The platforms' cart APIs are platform-carts.mjs.
//
//   node www/tests/serve.mjs [port]      → http://127.0.0.1:8787/demo/
//
// Tests import startServer() and inspect `server.signups`, `server.requests`…

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIGS, PROGRAMS, engineBytes, publish } from './publish.mjs';
import { jsonEngines } from './engine-json.mjs';
import { platformAnswer, platformState } from './platform-carts.mjs';

const www = fileURLToPath(new URL('..', import.meta.url));
const repo = join(www, '..');
/** Content types by extension (also used by the bench server, bench/lib/serve.mjs). */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

export { PROGRAMS, CONFIGS, publish } from './publish.mjs';

/** The core in Node: the same wasm the browser runs, on the published program. */
export async function nodeEngine() {
  // Imported as a data: URL so Node does not guess the module type of a .js file.
  const source = readFileSync(join(www, 'dist/pkg/rewards_wasm.js'));
  const glue = await import('data:text/javascript;base64,' + source.toString('base64'));
  glue.initSync({ module: readFileSync(join(www, 'dist/pkg/rewards_wasm_bg.wasm')) });
  const encoder = await import('data:text/javascript;base64,' + readFileSync(join(www, 'src/ui/wire-encode.js')).toString('base64'));
  const withJson = jsonEngines(encoder.makeEncoder, glue);
  const engines = new Map();
  // Called with JSON texts, as the server's engine is (tests/engine-json.mjs).
  return (program) => {
    if (!engines.has(program)) engines.set(program, withJson(new glue.Engine(engineBytes(PROGRAMS[program]))));
    return engines.get(program);
  };
}

export async function startServer({ port = 0, program = 'vn-coffee' } = {}) {
  const engineFor = await nodeEngine();
  const state = {
    program,
    signups: [],
    engineCalls: [],
    requests: [],
    /** token → shopper state as GET /api/shopper returns it */
    shoppers: new Map(),
    /** path → extra response headers (e.g. a Content-Security-Policy) */
    headers: new Map(),
    wasmType: 'application/wasm',
    // The platforms' carts, products and known codes (platform-carts.mjs).
    ...platformState(),
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      state.requests.push({ method: req.method, path: url.pathname });
      const body = req.method === 'POST' ? await readBody(req) : '';
      if (await api(req, res, url, body)) return;
      await serveFile(res, url.pathname);
    } catch (e) {
      send(res, 500, { error: 'server', message: String(e && e.stack) });
    }
  });

  const json = (v) => JSON.parse(v || 'null');
  const send = (res, status, value, headers = {}) => {
    res.writeHead(status, Object.assign({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, headers));
    res.end(typeof value === 'string' ? value : JSON.stringify(value));
  };
  const tokenOf = (req) => (/^Bearer (.+)$/.exec(req.headers.authorization || '') || [])[1];
  const CORE_FIELDS = ['member', 'balance', 'pending', 'lifetime_orders', 'period_spend', 'period_points', 'period_orders', 'tier', 'membership', 'stamps', 'card_started', 'last_activity', 'rewarded_actions', 'last_order_value'];
  const coreShopper = (s) => Object.fromEntries(Object.entries(s || {}).filter(([k]) => CORE_FIELDS.includes(k)));

  async function api(req, res, url, body) {
    const p = url.pathname;
    if (p === '/api/program') return send(res, 200, PROGRAMS[url.searchParams.get('program') || state.program]), true;
    if (p === '/api/signup' && req.method === 'POST') {
      const data = json(body);
      state.signups.push({ body: data, headers: req.headers });
      // The real server's answer to every accepted signup (issue 14).
      return send(res, 201, { ok: true }), true;
    }
    if (p === '/api/shopper') {
      const s = state.shoppers.get(tokenOf(req));
      return s ? send(res, 200, s) : send(res, 401, { error: 'unauthorized', message: 'bad token' }), true;
    }
    // A demo program's merchant config as written (pages that change it, then publish it).
    if (p === '/tests/config') return send(res, 200, CONFIGS[url.searchParams.get('program')]), true;
    // Tests that change a program publish it as a merchant would (the page posts the config).
    if (p === '/tests/publish' && req.method === 'POST') {
      try {
        return send(res, 200, publish(body)), true;
      } catch (e) {
        return send(res, 422, { error: 'invalid', message: e.message }), true;
      }
    }
    const op = /^\/api\/engine\/(\w+)$/.exec(p);
    if (op && req.method === 'POST') {
      const b = json(body) || {};
      state.engineCalls.push({ op: op[1], body: b, token: tokenOf(req) });
      const shopper = tokenOf(req) ? coreShopper(state.shoppers.get(tokenOf(req))) : b.shopper;
      const e = engineFor(state.program);
      const s = shopper == null ? '' : JSON.stringify(shopper);
      // As the server: any op of the core's table, a string member being the raw text.
      const str = (v) => (v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
      const out = e.run(op[1], s, str(b.input), Date.now());
      return send(res, /"path":"op"/.test(out) && out.startsWith('{"error"') ? 404 : 200, out), true;
    }
    // The platforms' own cart APIs (platform-carts.mjs).
    const pa = platformAnswer(state, req, p, body);
    if (pa) return send(res, pa.status, pa.value, pa.headers), true;
    return false;
  }

  async function serveFile(res, pathname) {
    let rel = decodeURIComponent(pathname);
    if (rel === '/rewards.js') rel = '/dist/rewards.js';
    else if (rel.startsWith('/assets/')) rel = '/dist' + rel;
    else if (rel === '/' || rel === '/demo') return redirect(res, '/demo/');
    // Test fixture pages under /shopify/ and /woo/ pretend to be those stores.
    else if (/^\/(shopify|woo)\/[\w-]*\.html$/.test(rel)) rel = '/tests/fixtures/pages' + rel;
    let file = normalize(join(www, rel));
    if (!file.startsWith(www)) return send(res, 403, { error: 'forbidden' });
    // A program file (demo/programs/*.json, tests' *-program.json) answers
    // published, as a store without the server hosts it.
    if (/(\/programs\/[\w-]+|-program)\.json$/.test(rel)) {
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text == null) return send(res, 404, { error: 'not_found', path: pathname });
      return send(res, 200, publish(text), state.headers.get(pathname) || {});
    }
    let info = await stat(file).catch(() => null);
    if (info && info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info) return send(res, 404, { error: 'not_found', path: pathname });
    const ext = extname(file);
    const headers = {
      'content-type': ext === '.wasm' ? state.wasmType : TYPES[ext] || 'application/octet-stream',
      'cache-control': 'no-store',
    };
    Object.assign(headers, state.headers.get(pathname) || {});
    res.writeHead(200, headers);
    res.end(await readFile(file));
  }

  function redirect(res, to) {
    res.writeHead(302, { location: to });
    res.end();
  }

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.close = () => new Promise((resolve) => server.close(resolve));
  state.reset = () => {
    state.signups.length = 0;
    state.engineCalls.length = 0;
    state.requests.length = 0;
    state.headers.clear();
    state.wasmType = 'application/wasm';
    state.program = program;
    Object.assign(state, platformState());
  };
  return state;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      data += c;
      if (data.length > 1e6) req.destroy();
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await startServer({ port: Number(process.argv[2]) || 8787 });
  console.log(`serving www/ at ${s.url}/demo/  (Vietnamese: ${s.url}/demo/vi/  English: ${s.url}/demo/en/)`);
}
