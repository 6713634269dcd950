// Same-process A/B of the preview boundary in Node (issue 10's preview
// budget): two builds of the cart-page module, its glue and the input
// encoder, side by side in one process, on the preview bench's 20-line VND
// cart and member shopper (bench/sections/preview.mjs), one line's
// quantity changing per update. Batches of BATCH updates alternate between
// the variants, so the machine's load hits both alike; the figure is the
// median and the minimum of the batch means.
//
//   node bench/preview-ab.mjs A_DIR B_DIR [batches]
//
// A_DIR, B_DIR: checkouts whose www/dist/pkg-cart (scripts/build-wasm.sh)
// and www/dist/pkg (for the field tables) are built. Each variant runs the
// path the widget runs (engine.js): encode → Engine.run(…, args) →
// JSON.parse; then the encoder alone and the call alone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [a, b] = process.argv.slice(2, 4).map((d) => resolve(d));
const batches = +(process.argv[4] || 200);
const BATCH = 20;
if (!a || !b) throw new Error('usage: node bench/preview-ab.mjs A_DIR B_DIR [batches]');

import { publish } from '../www/tests/publish.mjs';

// The demo program, published (`rewards-server publish`, as the bench server serves it).
const doc = JSON.parse(publish(readFileSync(new URL('../www/demo/programs/vn-coffee.json', import.meta.url), 'utf8')));
const program = Uint8Array.from(Buffer.from(doc.engine, 'base64'));
const shopper = { member: true, balance: 1200, period_spend: 1500000, stamps: 4, card_started: '2026-11-01' };
const now = Date.parse('2026-11-22T10:00:00Z');
const fresh = () =>
  Array.from({ length: 20 }, (_, i) => ({
    id: `l${i}`, product_id: `p${i}`, sku: `SKU-${i}`, quantity: 1 + (i % 3),
    unit_price: 25000 + i * 5000, product_type: i % 2 ? 'Cà phê' : 'Bánh', tags: ['menu'],
  }));

async function variant(dir) {
  const url = (p) => pathToFileURL(`${dir}/${p}`).href + `?v=${encodeURIComponent(dir)}`;
  const cart = await import(url('www/dist/pkg-cart/rewards_wasm.js'));
  cart.initSync({ module: readFileSync(`${dir}/www/dist/pkg-cart/rewards_wasm_bg.wasm`) });
  const full = await import(url('www/dist/pkg/rewards_wasm.js'));
  full.initSync({ module: readFileSync(`${dir}/www/dist/pkg/rewards_wasm_bg.wasm`) });
  const { callInputs } = (await import(url('www/src/ui/wire-encode.js'))).makeEncoder(JSON.parse(full.inputs()));
  const engine = new cart.Engine(program);
  const lines = fresh();
  const pre = callInputs('preview', shopper, { currency: 'VND', lines: fresh() });
  return {
    dir,
    lines,
    run: (ls) => {
      const x = callInputs('preview', shopper, { currency: 'VND', lines: ls });
      return JSON.parse(engine.run('preview', x.shopper, x.input, now, x));
    },
    encode: (ls) => callInputs('preview', shopper, { currency: 'VND', lines: ls }),
    // The call alone on bytes encoded before the batch (the whole cart each time: no patch).
    call: () => engine.run('preview', pre.shopper, pre.input, now),
  };
}

const vs = [await variant(a), await variant(b)];
// Both answer the same on every cart of the sequence.
for (let j = 0; j < 2000; j++) {
  const [x, y] = vs.map((v) => (v.lines[j % 20].quantity = 1 + (j % 5), JSON.stringify(v.run(v.lines))));
  if (x !== y) throw new Error(`update ${j}: the variants disagree\n${x}\n${y}`);
}
const kinds = ['run', 'encode', 'call'];
const times = vs.map(() => Object.fromEntries(kinds.map((k) => [k, []])));
let sink = 0;
for (let i = 0; i < batches; i++) {
  for (const kind of kinds) {
    for (const [n, v] of vs.entries()) {
      const t0 = process.hrtime.bigint();
      for (let j = i * BATCH; j < (i + 1) * BATCH; j++) {
        v.lines[j % 20].quantity = 1 + (j % 5);
        sink += v[kind](v.lines) ? 1 : 0;
      }
      times[n][kind].push(Number(process.hrtime.bigint() - t0) / 1000 / BATCH);
    }
  }
}
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1].toFixed(1);
const min = (xs) => Math.min(...xs).toFixed(1);
const { loadavg } = await import('node:os');
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${batches} batches of ${BATCH}, alternating; µs per update, median / min of batch means (sink ${sink})`);
console.log('| | ' + vs.map((v) => v.dir).join(' | ') + ' |');
console.log('|---|' + vs.map(() => '---:').join('|') + '|');
const what = { run: 'encode + call + JSON.parse (the widget path)', encode: 'the encoder alone', call: 'the call alone, whole cart as bytes' };
for (const k of kinds) console.log(`| ${what[k]} | ` + times.map((t) => `${med(t[k])} / ${min(t[k])}`).join(' | ') + ' |');
