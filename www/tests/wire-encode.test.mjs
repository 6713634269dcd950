// Issue 10: the widget's input encoder (www/src/ui/wire-encode.js) and the
// core's native one (rewards_core::input::encode) interpret the same field
// tables (the full module's `inputs()`), so for every fixture case's
// shopper and input they write the same bytes (tests/fixtures/input-bytes.json,
// kept current by `cargo test --test input_bytes`). A malformed one is refused
// with the same paths: by the JS encoder itself, or — for what only the core
// judges (currency codes, decimals, UTC dates) — by the wasm reading the bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publish } from './publish.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const www = join(repo, 'www');
const load = (file) => import('data:text/javascript;base64,' + readFileSync(file).toString('base64'));

const glue = await load(join(www, 'dist/pkg/rewards_wasm.js'));
glue.initSync({ module: readFileSync(join(www, 'dist/pkg/rewards_wasm_bg.wasm')) });
const { makeEncoder } = await load(join(www, 'src/ui/wire-encode.js'));
const tables = JSON.parse(glue.inputs());
const { encode, callInputs } = makeEncoder(tables);
const expected = JSON.parse(readFileSync(join(repo, 'tests/fixtures/input-bytes.json'), 'utf8'));

const cases = new Map();
(function walk(dir, prefix) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name), prefix + e.name + '/');
    else if (e.name.endsWith('.json')) cases.set(prefix + e.name.slice(0, -5), JSON.parse(readFileSync(join(dir, e.name), 'utf8')));
  }
})(join(repo, 'tests/fixtures/cases'), '');

const hex = (b) => Buffer.from(b).toString('hex');
const engines = new Map();
function engineFor(program) {
  const text = typeof program === 'string' ? readFileSync(join(repo, 'tests/fixtures/programs', program), 'utf8') : JSON.stringify(program);
  if (!engines.has(text)) engines.set(text, new glue.Engine(Buffer.from(JSON.parse(publish(text)).engine, 'base64')));
  return engines.get(text);
}

test('issue 10: the JS encoder writes the native bytes for every fixture shopper and input', () => {
  const keys = Object.keys(expected);
  assert.ok(keys.length > 200, `only ${keys.length} inputs`);
  let same = 0;
  for (const key of keys) {
    const want = expected[key];
    if (typeof want !== 'string') continue;
    const [name, input] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    const raw = cases.get(name)[input];
    const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
    const got = encode(input, value);
    assert.deepEqual(got.issues, undefined, key);
    assert.equal(hex(got.bytes), want, key);
    same++;
  }
  assert.ok(same > 200, `only ${same} compared`);
});

test('issue 10: a malformed fixture input is refused with the native paths, by the encoder or by the wasm', () => {
  let refused = 0;
  for (const [key, want] of Object.entries(expected)) {
    if (typeof want === 'string') continue;
    const [name, input] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    const c = cases.get(name);
    const raw = c[input];
    const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
    const got = encode(input, value);
    let paths;
    if (got.issues) paths = got.issues.map((i) => i.path);
    else {
      // Well-formed for the encoder: the wasm reads the bytes and names the path.
      const args = input === 'shopper' ? callInputs('explainer', value, null) : callInputs(c.op, null, value);
      const out = JSON.parse(engineFor(c.program).run(input === 'shopper' ? 'explainer' : c.op, args.shopper, args.input, 0));
      assert.equal(out.error, 'invalid', key + ': ' + JSON.stringify(out));
      paths = out.issues.map((i) => i.path);
    }
    // The JS encoder leaves to the core what only the core judges, so it may name fewer.
    assert.ok(paths.length > 0 && paths.every((p) => want.issues.includes(p)), `${key}: ${JSON.stringify(paths)} vs ${JSON.stringify(want.issues)}`);
    refused++;
  }
  assert.ok(refused >= 10, `only ${refused} malformed inputs`);
});

test('issue 10: page values the JSON text never had: dates as their ISO text, prototype additions ignored', () => {
  const cart = { currency: 'VND', lines: [{ quantity: 1, line_price: 5 }] };
  const plain = hex(encode('cart', cart).bytes);
  Object.prototype.polluted = 'yes';
  try {
    assert.equal(hex(encode('cart', cart).bytes), plain);
  } finally {
    delete Object.prototype.polluted;
  }
  const at = '2026-11-22T10:00:00.000Z';
  assert.equal(hex(encode('shopper', { card_started: new Date(at) }).bytes), hex(encode('shopper', { card_started: at }).bytes));
  const bad = encode('cart', { currency: 'VND', lines: [{ quantity: 1.5, line_price: 5, colour: 'red' }], extra: 1 });
  assert.deepEqual(
    bad.issues.map((i) => i.path + ': ' + i.message),
    ['lines[0].quantity: must be a whole number, found 1.5', 'lines[0].colour: unknown field', 'extra: unknown field'],
  );
});
