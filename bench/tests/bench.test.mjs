// Tests of the benchmark's own parts: the plain-JS baseline agrees with the
// engine (so the preview comparison compares equal work), the bench server's
// page variants, the trace attribution, the report renderer.
//   node --test bench/tests/     (needs www/dist/pkg: scripts/build-wasm.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { baselinePreview, comparable } from '../baseline-preview.js';
import { rewritePage } from '../lib/serve.mjs';
import { analyseTrace } from '../sections/mainthread.mjs';
import { renderMarkdown } from '../report.mjs';
import { nodeEngine, CONFIGS } from '../../www/tests/serve.mjs';

const NOW = Date.parse('2026-11-22T10:00:00Z');

// A deterministic spread of carts and shoppers over the rules the baseline covers.
function* cases(program) {
  const currency = program === 'vn-coffee' ? 'VND' : 'USD';
  const unit = program === 'vn-coffee' ? 1000 : 1;
  const shoppers = [
    null,
    { member: true },
    { member: true, lifetime_orders: 3, period_spend: 2500000, period_points: 1200 },
    { member: true, period_spend: 100, tier: { id: program === 'vn-coffee' ? 'vang' : 'summit', since: '2025-03-01' } },
    { member: true, tier: { id: program === 'vn-coffee' ? 'bac' : 'trailblazer', since: '2023-01-01' } },
    { member: true, membership: { id: program === 'vn-coffee' ? 'hoi-vien' : 'northwind-plus', status: 'active' }, period_points: 6000, period_spend: 6000000 },
    { member: true, membership: { id: 'x', status: 'lapsed' }, rewarded_actions: [{ id: 'first_order', at: '2026-01-01' }] },
  ];
  let seed = 7;
  // LCG; its low bits cycle quickly, so draw from the high ones.
  const rnd = (n) => Math.floor((seed = (seed * 1103515245 + 12345) % 2147483648) / 65536) % n;
  for (let k = 0; k < 300; k++) {
    const lines = Array.from({ length: 1 + rnd(8) }, (_, i) => {
      const line = { id: `l${i}`, product_id: `p${rnd(5)}`, quantity: rnd(4), tags: rnd(4) ? [] : ['the-qua-tang', 'gift-card'][rnd(2)] ? [['the-qua-tang', 'gift-card'][rnd(2)]] : [] };
      if (rnd(2)) line.unit_price = (1 + rnd(300)) * unit + rnd(99);
      else line.line_price = (1 + rnd(900)) * unit;
      if (!rnd(5)) line.discount = rnd(50) * unit;
      if (!rnd(6)) line.product_type = ['Gift card', 'Cà phê', 'Bánh'][rnd(3)];
      if (!rnd(6)) line.collections = ['clearance'];
      if (!rnd(12)) line.gift_card = true;
      if (!rnd(15)) line.sku = 'SHIP-INSURANCE';
      return line;
    });
    const cart = { currency, lines };
    if (!rnd(3)) cart.discount = rnd(200) * unit;
    yield { shopper: shoppers[k % shoppers.length], cart };
  }
}

test('the plain-JS baseline computes what the engine computes (both fixture programs, 300 carts each)', async () => {
  const engineFor = await nodeEngine();
  for (const program of ['vn-coffee', 'us-apparel']) {
    const js = baselinePreview(JSON.parse(CONFIGS[program]));
    let compared = 0;
    for (const { shopper, cart } of cases(program)) {
      const a = JSON.parse(engineFor(program).run('preview', shopper ? JSON.stringify(shopper) : '', JSON.stringify(cart), NOW));
      if (a.error) continue; // an order with no units etc.: the engine refuses, the baseline is never timed on it
      assert.equal(comparable(js(shopper, cart, NOW)), comparable(a), `${program}: ${JSON.stringify({ shopper, cart })}`);
      compared++;
    }
    assert.ok(compared > 200, `${program}: only ${compared} carts compared`);
  }
});

test('bench server variants: widget off, popup-only, ouibounce, seeded cart', () => {
  const html = readFileSync(new URL('../../www/demo/vi/cart.html', import.meta.url), 'utf8');
  const q = (s) => new URLSearchParams(s);
  assert.match(html, /<script src="\/rewards\.js"/);
  const off = rewritePage(html, q('widget=off'));
  assert.doesNotMatch(off, /rewards\.js/);
  assert.equal(off.replace(/\s/g, ''), html.replace(/<!--[^>]*rewards widget[^>]*-->/i, '').replace(/<script\s+src="\/rewards\.js"[^>]*><\/script>/i, '').replace(/\s/g, ''));
  assert.match(rewritePage(html, q('widget=popup')), /<script src="\/rewards\.js" data-launcher="off"/);
  const peer = rewritePage(html, q('widget=off&peer=ouibounce'));
  assert.match(peer, /<script src="\/peer\/ouibounce\.min\.js"><\/script>\n<script>ouibounce\(document\.getElementById\('ouibounce-modal'\)\);<\/script>\n<\/body>/);
  const seeded = rewritePage(html, q('cart=demo'));
  assert.ok(seeded.indexOf("localStorage.setItem('demo:cart:vn'") < seeded.indexOf('<script src="/rewards.js"'));
  assert.equal(rewritePage(html, q('')), html);
});

test('trace attribution: widget tasks, wasm split, longest task, window end', () => {
  const M = { pid: 1, tid: 1 };
  const url = 'http://127.0.0.1:1/rewards.js';
  const X = (name, ts, dur, extra = {}) => ({ ...M, ph: 'X', cat: 'devtools.timeline', name, ts, dur, ...extra });
  const events = [
    X('RunTask', 0, 8000),
    X('EvaluateScript', 100, 5000, { args: { data: { url } } }),
    X('RunTask', 10000, 60000), // the page's own long task
    X('RunTask', 80000, 12000),
    X('v8.evaluateModule', 80100, 3000),
    X('RunTask', 100000, 20000),
    X('wasm.FinishStreaming', 100100, 4000, { cat: 'v8.wasm' }),
    X('wasm.SyncInstantiate', 104500, 1000, { cat: 'v8.wasm' }),
    { pid: 1, tid: 2, ph: 'X', cat: 'v8.wasm', name: 'wasm.ValidateFunctionsStreaming', ts: 99000, dur: 2000 },
    { ...M, ph: 'I', cat: 'blink.user_timing', name: 'bench:end', ts: 121000 },
    X('RunTask', 130000, 90000, { args: {} }), // after the window
  ];
  const r = analyseTrace(events);
  assert.deepEqual(r, {
    window_ms: 120.9,
    loader_eval_ms: 5,
    ui_eval_ms: 3,
    wasm_compile_main_ms: 4,
    wasm_instantiate_ms: 1,
    wasm_compile_background_ms: 2,
    widget_main_ms: 40,
    widget_tasks: 3,
    longest_widget_task_ms: 20,
    longest_task_ms: 60,
  });
});

test('the report names a missed budget and by how much, and a failed section', () => {
  const md = renderMarkdown({
    command: 'scripts/bench.sh sizes preview',
    machine: { at: 'T', nproc: 2, cpu_model: 'cpu', load_average: [1, 2, 3], memory_gb: { total: 1 }, chromium: 'Chromium 1', node: 'v20', lighthouse: '12', wrk: 'wrk 4', rustc: 'rustc 1', git: { commit: 'abc', dirty_files: 0 }, busiest_processes: [] },
    sections: {
      sizes: { started: 'S', seconds: 1, load_average_start: [1, 1, 1], load_average_end: [1, 1, 1], commands: ['cmd'], markdown: 'table', budgets: [{ figure: 'loader', budget: '≤ 10240 B', value: '11000 B', met: false, over_by: 760 }] },
      preview: { started: 'S', seconds: 1, load_average_start: [1, 1, 1], load_average_end: [1, 1, 1], error: 'Error: boom' },
    },
  });
  assert.match(md, /\| 1\. Sizes \| loader \| ≤ 10240 B \| 11000 B \| \*\*no\*\* \(over by 760\) \|/);
  assert.match(md, /section failed: Error: boom/);
  assert.match(md, /```sh\ncmd\n```/);
});
