// A small static server for the widget's browser tests and local demo:
// serves www/ with correct content types (application/wasm included), the
// server contract's stable paths (/rewards.js, /assets/*), the test
// fixture pages (a merchant's own pages, platform cart APIs with recorded
// shapes) and a few API endpoints for those pages: signups recorded and
// answered as the real server answers every accepted one, a shopper state
// the test sets (hostile values included), and /api/engine/{op} running the
// same wasm engine in Node, so its answers are the core's exact bytes.
// Tests of the demo stores that sign up, read a shopper or redeem run on
// the real server instead (real-server.mjs); there is no stub redemption.
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
  const fixture = (name) => JSON.parse(readFileSync(join(www, 'tests/fixtures', name), 'utf8'));
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
    shopifyCart: fixture('shopify-cart-vnd.json'),
    shopifyProducts: fixture('shopify-products.json'),
    wooCart: fixture('woo-cart-usd.json'),
    wooProducts: fixture('woo-products.json'),
    /** Discount codes the stub platforms know: code → amount off (Shopify ×100 units / Woo minor units). */
    platformCodes: new Map(),
    wooNonce: 'f3a9c2e1b7',
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
    // Shopify storefront AJAX API (recorded shapes, money in ×100 units).
    if (p === '/shopify/cart.js') return send(res, 200, state.shopifyCart), true;
    if (p === '/shopify/cart/update.js' && req.method === 'POST' && typeof (json(body) || {}).discount === 'string') {
      // `discount`: the whole set of codes the cart should end with (Shopify's changelog, May 2025).
      const c = state.shopifyCart;
      const codes = json(body).discount.split(',').map((x) => x.trim()).filter(Boolean);
      c.discount_codes = codes.map((code) => ({ code, applicable: state.platformCodes.has(code.toUpperCase()) }));
      c.cart_level_discount_applications = c.discount_codes
        .filter((d) => d.applicable)
        .map((d) => ({ type: 'discount_code', key: d.code, title: d.code, description: '', value: String(state.platformCodes.get(d.code.toUpperCase()) / 100), value_type: 'fixed_amount', allocation_method: 'across', target_selection: 'all', target_type: 'line_item', total_allocated_amount: state.platformCodes.get(d.code.toUpperCase()) }));
      c.total_discount = c.cart_level_discount_applications.reduce((s, d) => s + d.total_allocated_amount, 0);
      return send(res, 200, c), true;
    }
    if (p === '/shopify/cart/update.js' && req.method === 'POST' && (json(body) || {}).attributes) {
      // `attributes` merge into the cart's; a null value removes one (the Ajax Cart API's "update cart attributes").
      const c = state.shopifyCart;
      c.attributes = Object.assign({}, c.attributes);
      for (const [k, v] of Object.entries(json(body).attributes)) {
        if (v == null) delete c.attributes[k];
        else c.attributes[k] = String(v);
      }
      return send(res, 200, c), true;
    }
    if (/^\/shopify\/cart\/(add|change|update)\.js$/.test(p) && req.method === 'POST') {
      const b = json(body) || {};
      const item = state.shopifyCart.items.find((i) => String(i.id) === String(b.id) || i.key === b.id);
      if (item) {
        item.quantity = p.endsWith('add.js') ? item.quantity + (b.quantity || 1) : b.quantity;
        item.original_line_price = item.original_price * item.quantity;
        item.final_line_price = item.line_price = item.final_price * item.quantity;
        state.shopifyCart.items = state.shopifyCart.items.filter((i) => i.quantity > 0);
      }
      return send(res, 200, state.shopifyCart), true;
    }
    const sp = /^\/shopify\/products\/([\w-]+)\.js$/.exec(p);
    if (sp) return state.shopifyProducts[sp[1]] ? send(res, 200, state.shopifyProducts[sp[1]]) : send(res, 404, {}), true;
    // WooCommerce Store API (amounts are strings in minor units).
    if (p === '/woo/wp-json/wc/store/v1/cart') return send(res, 200, state.wooCart, { Nonce: state.wooNonce }), true;
    if (p === '/woo/wp-json/wc/store/v1/cart/apply-coupon' && req.method === 'POST') {
      // As the Store API answers: a nonce is required; an unknown coupon is a 400; else the new cart.
      if (req.headers.nonce !== state.wooNonce) return send(res, 401, { code: 'woocommerce_rest_missing_nonce', message: 'Missing the Nonce header. This endpoint requires a valid nonce.', data: { status: 401 } }), true;
      const code = String((json(body) || {}).code || '').toLowerCase();
      const amount = state.platformCodes.get(code.toUpperCase());
      if (amount == null) return send(res, 400, { code: 'woocommerce_rest_cart_coupon_error', message: `Coupon "${code}" does not exist!`, data: { status: 400 } }), true;
      const c = state.wooCart;
      c.coupons.push({ code, discount_type: 'fixed_cart', totals: { total_discount: String(amount), total_discount_tax: '0', currency_code: c.totals.currency_code, currency_minor_unit: c.totals.currency_minor_unit } });
      const first = c.items[0].totals;
      first.line_total = String(Number(first.line_total) - amount);
      return send(res, 200, c, { Nonce: state.wooNonce }), true;
    }
    if (p === '/woo/wp-json/wc/store/v1/cart/update-item' && req.method === 'POST') {
      const b = json(body) || {};
      const item = state.wooCart.items.find((i) => i.key === b.key);
      if (item) {
        const unit = Number(item.totals.line_subtotal) / item.quantity;
        const ratio = Number(item.totals.line_total) / Number(item.totals.line_subtotal);
        item.quantity = b.quantity;
        item.totals.line_subtotal = String(unit * b.quantity);
        item.totals.line_total = String(Math.round(unit * b.quantity * ratio));
      }
      return send(res, 200, state.wooCart), true;
    }
    const wp = /^\/woo\/wp-json\/wc\/store\/v1\/products\/(\d+)$/.exec(p);
    if (wp) return state.wooProducts[wp[1]] ? send(res, 200, state.wooProducts[wp[1]]) : send(res, 404, {}), true;
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
    state.shopifyCart = fixture('shopify-cart-vnd.json');
    state.wooCart = fixture('woo-cart-usd.json');
    state.platformCodes.clear();
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
