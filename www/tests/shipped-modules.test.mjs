// Issue 10: the modules the widget ships (www/dist/pkg-cart and www/dist/pkg,
// after wasm-opt and, for the cart-page one, scripts/wasm-drop-fmt.mjs) give
// every fixture case's expected answer, and the cart-page module answers its
// operations byte for byte as the full one does. The wasm-bindgen test build
// (crates/wasm-conformance) checks the same cases against the native engine,
// but it is neither optimised nor post-processed: this checks the bytes a
// shopper downloads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publish } from './publish.mjs';
import { jsonEngines } from './engine-json.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const www = join(repo, 'www');
const load = (file) => import('data:text/javascript;base64,' + readFileSync(file).toString('base64'));
const module = async (dir) => {
  const glue = await load(join(www, dir, 'rewards_wasm.js'));
  glue.initSync({ module: readFileSync(join(www, dir, 'rewards_wasm_bg.wasm')) });
  return glue;
};
const full = await module('dist/pkg');
const cart = await module('dist/pkg-cart');
const { makeEncoder } = await load(join(www, 'src/ui/wire-encode.js'));
const asJson = jsonEngines(makeEncoder, full);
const { callInputs } = makeEncoder(JSON.parse(full.inputs()));
const parseOrNull = (v) => (v == null ? null : typeof v === 'string' ? JSON.parse(v) : v);
const inputOf = JSON.parse(full.inputs()).ops;
const cartOps = new Set(cart.ops().split(','));

const cases = [];
(function walk(dir, prefix) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name), prefix + e.name + '/');
    else if (e.name.endsWith('.json')) cases.push([prefix + e.name.slice(0, -5), JSON.parse(readFileSync(join(dir, e.name), 'utf8'))]);
  }
})(join(repo, 'tests/fixtures/cases'), '');

/** Every difference of `got` from `want`, the way tests/fixtures.rs compares: objects by `want`'s keys, arrays item by item. */
function diff(want, got, path = '$', out = []) {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) out.push(`${path}: expected an object, got ${JSON.stringify(got)}`);
    else for (const k of Object.keys(want)) k in got ? diff(want[k], got[k], `${path}.${k}`, out) : out.push(`${path}.${k}: missing`);
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) out.push(`${path}: expected ${want.length} items, got ${JSON.stringify(got)}`);
    else want.forEach((w, i) => diff(w, got[i], `${path}[${i}]`, out));
  } else if (want !== got) out.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  return out;
}

const parses = (t) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};
const text = (v) => (v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const nowOf = (c) => (typeof c.now === 'string' ? Date.parse(c.now) : c.now ?? 0);
const engines = new Map();
function enginesFor(program) {
  const config = typeof program === 'string' ? readFileSync(join(repo, 'tests/fixtures/programs', program), 'utf8') : JSON.stringify(program);
  if (!engines.has(config)) {
    let bytes = null;
    try {
      bytes = Buffer.from(JSON.parse(publish(config)).engine, 'base64');
    } catch {
      // An invalid program never reaches a browser (the publisher refuses it; tests/invalid_configs.rs).
    }
    engines.set(config, bytes && { full: asJson(new full.Engine(bytes)), cart: asJson(new cart.Engine(bytes)) });
  }
  return engines.get(config);
}

test('issue 10: the shipped modules give every fixture case its expected answer; the cart-page one answers as the full one', () => {
  const failures = [];
  let checked = 0;
  let onCartPage = 0;
  for (const [name, c] of cases) {
    const e = enginesFor(c.program);
    if (!e) continue;
    const key = inputOf[c.op];
    // A case whose input is malformed JSON text is for the native reader: the
    // widget only ever encodes objects (wire-encode.test.mjs covers those).
    if ([c.shopper, key && c[key]].some((v) => typeof v === 'string' && !parses(v))) continue;
    const run = (engine) => engine.run(c.op, text(c.shopper), key ? text(c[key]) : '', nowOf(c));
    const answer = run(e.full);
    const got = JSON.parse(answer);
    const byEncoder = callInputs(c.op, parseOrNull(c.shopper), key ? parseOrNull(c[key]) : null).issues;
    if (byEncoder) {
      // Refused by the JS encoder before the wasm: it names the native paths
      // but neither every issue nor the "did you mean" hints (wire-encode.test.mjs).
      const paths = (c.expected.issues || []).map((i) => i.path);
      if (got.error !== c.expected.error || !got.issues.every((i) => paths.includes(i.path))) failures.push(`${name} (encoder): ${answer}`);
    } else for (const d of diff(c.expected, got)) failures.push(`${name} (full): ${d}`);
    if (cartOps.has(c.op)) {
      onCartPage++;
      const fromCart = run(e.cart);
      if (fromCart !== answer) failures.push(`${name}: the cart-page module answered\n  ${fromCart}\nthe full one\n  ${answer}`);
    }
    checked++;
  }
  assert.deepEqual(failures, []);
  assert.ok(checked > 200 && onCartPage > 100, `only ${checked} cases, ${onCartPage} on the cart page`);
});

test('issue 10: the cart-page module refuses what it does not carry, by name', () => {
  const e = enginesFor('vn-coffee.json');
  for (const op of Object.keys(inputOf).filter((op) => !cartOps.has(op))) {
    const out = JSON.parse(e.cart.run(op, '', '', 0));
    assert.match(out.message, /is not in the cart-page engine/, op);
  }
  assert.ok(cartOps.has('preview') && !cartOps.has('explainer'), [...cartOps].join());
});

// Issue 10's preview boundary: the cart-page engine holds the shopper and
// cart, and a cart update with the encoder's `lines` sends only the changed
// lines (rewards_core::input::held). Over a sequence of updates — quantities
// and prices changed, lines added and removed, the discount and currency
// changed, the shopper changed, a line made invalid — every answer equals a
// fresh engine's on the whole cart.
test('issue_10_a_held_cart_patched_by_its_changed_lines_answers_as_the_whole_cart', () => {
  const doc = JSON.parse(publish(readFileSync(join(repo, 'tests/fixtures/programs/vn-coffee.json'), 'utf8')));
  const bytes = Uint8Array.from(Buffer.from(doc.engine, 'base64'));
  const held = new cart.Engine(bytes);
  const whole = new cart.Engine(bytes);
  const now = Date.parse('2026-11-22T10:00:00Z');
  const line = (i) => ({ id: 'l' + i, sku: 'SKU-' + i, quantity: 1 + (i % 3), unit_price: 25000 + i * 5000, product_type: i % 2 ? 'Cà phê' : 'Bánh', tags: ['menu'] });
  const lines = Array.from({ length: 12 }, (_, i) => line(i));
  let c = { currency: 'VND', lines };
  let shopper = { member: true, balance: 1200, period_spend: 1500000, stamps: 4, card_started: '2026-11-01' };
  const changes = [
    (j) => (lines[j % lines.length].quantity = 1 + (j % 5)),
    (j) => (lines[(j * 7) % lines.length].unit_price += 1000),
    (j) => lines[j % lines.length].tags.push('x' + j),
    () => lines.push(line(lines.length)),
    () => lines.length > 2 && lines.pop(),
    (j) => (c = { ...c, discount: 1000 * (j % 4) }),
    (j) => (shopper = { ...shopper, balance: j }),
    (j) => (c = j % 2 ? { currency: 'USD', conversion: { rate: '25000' }, lines } : { currency: 'VND', lines }),
    () => Object.assign(lines[0], { quantity: 1e6, unit_price: 1e12 }), // unit_price × quantity too large: an error, then everything is sent again
    () => Object.assign(lines[0], { quantity: 2, unit_price: 25000 }),
  ];
  let patched = 0;
  let errors = 0;
  for (let j = 0; j < 300; j++) {
    changes[(j * 3 + (j >> 2)) % changes.length](j);
    const op = ['preview', 'quote', 'redemptions', 'tier_progress'][j % 4];
    const a = callInputs(op, shopper, c);
    assert.ok(!a.issues, JSON.stringify(a.issues));
    const before = held.held;
    const got = held.run(op, a.shopper, a.input, now, a);
    if (before && before.items && a.lines.items.some((b, i) => b === before.items[i])) patched++;
    assert.equal(got, whole.run(op, a.shopper, a.input, now), `update ${j} (${op})`);
    if (got.includes('too large')) errors++;
  }
  assert.ok(patched > 100 && errors > 0, `${patched} of 300 calls sent a patch, ${errors} answered an error`);
});
