// Measures the boundary experiment's variants (built by
// scripts/boundary-experiment.sh into bench/out/boundary/pkg/): sizes of
// each wasm (raw, gzip -9, brotli q11) and of its JS (wasm-bindgen glue +
// the adapter in js/, bundled and minified by esbuild), then in headless
// Chromium: (1) every variant and the plain-JS baseline compute every cart
// of the sequence and must agree; (2) timing of one 20-line preview round
// trip (JS encoding + call + JS decoding), CALLS calls per variant, timed in
// batches of BATCH (browsers clamp performance.now(); the page is
// cross-origin isolated, 5 µs), all variants alternating batch by batch,
// median and p90 over batch means; (3) program load time: Engine.load on the
// compiled document, LOADS times per variant in batches of 20.
// Prints a markdown table, writes bench/out/boundary.json.
//
//   node bench/boundary/run.mjs [--calls N] [--loads N]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { startBenchServer } from '../lib/serve.mjs';
import { launch, chromiumVersion } from '../lib/browser.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const out = join(repo, 'bench/out/boundary');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CALLS = arg('--calls', 10000);
const LOADS = arg('--loads', 2000);
const BATCH = 50;
const LOAD_BATCH = 20;

const { variants } = JSON.parse(readFileSync(join(repo, 'bench/boundary/variants.json'), 'utf8'));
const crate = (v) => 'bench_' + v.name.replace(/-/g, '_');

function sizes(file) {
  const b = readFileSync(file);
  return {
    raw: b.length,
    gzip: gzipSync(b, { level: 9 }).length,
    brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length,
  };
}

for (const v of variants) {
  const dir = join(out, 'pkg', v.name);
  v.wasm = sizes(join(dir, crate(v) + '_bg.wasm'));
  v.js = existsSync(join(dir, 'glue.min.js')) ? sizes(join(dir, 'glue.min.js')) : null;
}
const docs = { wire: sizes(join(out, 'program.wire')), json: sizes(join(out, 'program.compiled.json')), config: sizes(join(repo, 'bench/boundary/fixtures/program.json')) };

/** Runs inside the page. */
async function inPage({ variants, calls, loads, batch, loadBatch }) {
  const data = await import('/bench/boundary/js/data.mjs');
  const { baselinePreview, comparable } = await import('/bench/baseline-preview.js');
  const config = await (await fetch('/bench/boundary/fixtures/program.json')).json();
  const wire = new Uint8Array(await (await fetch('/bench/out/boundary/program.wire')).arrayBuffer());
  const jsonDoc = new Uint8Array(await (await fetch('/bench/out/boundary/program.compiled.json')).arrayBuffer());
  const compiled = JSON.parse(new TextDecoder().decode(jsonDoc));
  const ctx = { tierIds: compiled.tiers ? compiled.tiers.levels.map((l) => l.id) : [], actionIds: compiled.actions.map((a) => a.id), membershipId: compiled.membership && compiled.membership.id };
  const impls = {};
  for (const v of variants) {
    if (!v.adapter) continue;
    const base = `/bench/out/boundary/pkg/${v.name}/${v.crate}`;
    const glue = await import(base + '.js');
    await glue.default({ module_or_path: base + '_bg.wasm' });
    const { adapter } = await import(`/bench/boundary/js/${v.adapter}.mjs`);
    const doc = v.doc === 'json' ? jsonDoc : wire;
    impls[v.name] = { preview: adapter(glue.Engine, doc, ctx), Engine: glue.Engine, doc };
  }
  const js = baselinePreview(config);
  impls.js_baseline = { preview: (s, c, now) => js(s, c, now) };

  // 1. Agreement on every cart: the baseline's fields, plus exact line points between the wasm variants.
  const pointsOf = (r) => r.lines.map((l) => (Array.isArray(l.points) ? l.points : String(l.points).includes('/') ? String(l.points).split('/').map(Number) : [Number(l.points), 1]))
    .map(([n, d]) => Math.round((n / d) * 1e6)).join(',');
  const excl = (r) => r.lines.map((l) => (l.excluded ? l.excluded.rule + ':' + l.excluded.value : '-')).join(',');
  const names = Object.keys(impls);
  const carts = Object.fromEntries(names.map((k) => [k, data.makeCart()]));
  const disagree = Object.fromEntries(names.map((k) => [k, 0]));
  let firstDisagreement = null, sample = null;
  for (let j = 0; j < calls; j++) {
    let ref = null, refFull = null;
    for (const k of names) {
      data.update(carts[k], j);
      const r = impls[k].preview(data.SHOPPER, carts[k], data.NOW);
      if (r.error) throw new Error(`${k}: error ${JSON.stringify(r)} on cart ${j}`);
      const key = comparable(r);
      const full = k === 'js_baseline' ? null : key + '|' + pointsOf(r) + '|' + excl(r);
      if (ref === null) { ref = key; refFull = full; sample = { total_points: r.total_points, earned_points: r.earned_points, cashback: r.cashback, capped: r.capped, bonuses: r.bonuses.length }; }
      else if (key !== ref || (full !== null && full !== refFull)) {
        disagree[k]++;
        if (!firstDisagreement) firstDisagreement = { variant: k, cart: j, got: full || key, want: refFull || ref };
      }
    }
  }

  // 2. Timing, all implementations alternating batch by batch.
  const times = Object.fromEntries(names.map((k) => [k, []]));
  for (const k of names) carts[k] = data.makeCart();
  let sink = 0;
  for (let i = 0; i < calls; i += batch) {
    for (const k of names) {
      const op = impls[k].preview, c = carts[k];
      const t0 = performance.now();
      for (let j = i; j < i + batch; j++) {
        data.update(c, j);
        sink += op(data.SHOPPER, c, data.NOW).units | 0;
      }
      times[k].push((performance.now() - t0) / batch);
    }
  }

  // 3. Program load: Engine.load(document) (copy in, read, convert, build the Program) + free.
  const loadTimes = {};
  const loadNames = names.filter((k) => impls[k].Engine);
  for (const k of loadNames) loadTimes[k] = [];
  for (let i = 0; i < loads; i += loadBatch) {
    for (const k of loadNames) {
      const { Engine, doc } = impls[k];
      const t0 = performance.now();
      for (let j = 0; j < loadBatch; j++) {
        const e = Engine.load(doc);
        sink += e ? 1 : 0;
        e.free();
      }
      loadTimes[k].push((performance.now() - t0) / loadBatch);
    }
  }
  // The computation alone: the `compute` crate previews one converted cart REPEAT times inside wasm.
  const computeTimes = [];
  const REPEAT = 200;
  for (const v of variants.filter((v) => v.compute)) {
    const c = data.makeCart();
    for (let i = 0; i < Math.max(20, calls / REPEAT); i++) {
      data.update(c, i);
      const t0 = performance.now();
      sink += impls[v.name].preview(data.SHOPPER, c, data.NOW, REPEAT);
      computeTimes.push((performance.now() - t0) / REPEAT);
    }
  }
  // JS's own parse of the same JSON document, for scale.
  loadTimes.js_json_parse = [];
  const text = new TextDecoder().decode(jsonDoc);
  for (let i = 0; i < loads; i += loadBatch) {
    const t0 = performance.now();
    for (let j = 0; j < loadBatch; j++) sink += JSON.parse(text).actions.length;
    loadTimes.js_json_parse.push((performance.now() - t0) / loadBatch);
  }
  let step = Infinity;
  for (let k = 0, last = performance.now(); k < 2000; k++) {
    const t = performance.now();
    if (t > last) step = Math.min(step, t - last);
    last = t;
  }
  return { times, computeTimes, loadTimes, disagree, firstDisagreement, sample, sink, isolated: self.crossOriginIsolated, timerStepUs: Math.round(step * 10000) / 10 };
}

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const us = (ms) => Math.round(ms * 10000) / 10;

const load1 = os.loadavg()[0];
const server = await startBenchServer();
const browser = await launch();
let r;
try {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
  await page.goto(server.url + '/bench/preview-latency.html?isolate=1');
  r = await page.evaluate(inPage, { variants: variants.map((v) => ({ ...v, crate: crate(v) })), calls: CALLS, loads: LOADS, batch: BATCH, loadBatch: LOAD_BATCH });
} finally {
  await browser.close();
  await server.close();
}
const load2 = os.loadavg()[0];

const call = (k) => (r.times[k] ? { median_us: us(q(r.times[k], 0.5)), p90_us: us(q(r.times[k], 0.9)), batches: r.times[k].length } : null);
const loadT = (k) => (r.loadTimes[k] ? { median_us: us(q(r.loadTimes[k], 0.5)), p90_us: us(q(r.loadTimes[k], 0.9)) } : null);
const baseline = call('js_baseline');
const empty = variants.find((v) => v.name === 'empty');
for (const v of variants) {
  v.call = call(v.name);
  v.load = loadT(v.name);
  v.disagreements = r.disagree[v.name] ?? null;
  v.vs_js = v.call ? Math.round((v.call.median_us / baseline.median_us) * 10) / 10 : null;
}

const computeOnly = r.computeTimes.length ? { median_us: us(q(r.computeTimes, 0.5)), p90_us: us(q(r.computeTimes, 0.9)), runs: r.computeTimes.length } : null;
const cpu = os.cpus()[0]?.model || 'unknown';
const result = {
  measured_at: new Date().toISOString(),
  command: `scripts/boundary-experiment.sh --calls ${CALLS} --loads ${LOADS}`,
  machine: { cpu, cores: os.cpus().length, loadavg_start: load1, loadavg_end: load2, chromium: chromiumVersion(), node: process.version,
    rustc: execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim(), wasm_opt: execFileSync(join(repo, 'node_modules/.bin/wasm-opt'), ['--version'], { encoding: 'utf8' }).trim() },
  method: { calls: CALLS, batch: BATCH, loads: LOADS, load_batch: LOAD_BATCH, cross_origin_isolated: r.isolated, timer_step_us: r.timerStepUs },
  documents: docs,
  agreement: { carts: CALLS, disagreements: r.disagree, first: r.firstDisagreement, last_cart: r.sample },
  js_baseline: baseline,
  compute_only_inside_wasm: computeOnly,
  js_json_parse_of_compiled_document: loadT('js_json_parse'),
  variants,
};
writeFileSync(join(repo, 'bench/out/boundary.json'), JSON.stringify(result, null, 2) + '\n');

const kb = (n) => (n / 1000).toFixed(1);
const md = [];
md.push(`| variant | what | wasm raw | wasm gzip | wasm brotli | Δ gzip vs empty | JS min | JS gzip | preview µs (median / p90) | × JS baseline | load µs (median) |`);
md.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const v of variants) {
  if (v.compute) continue;
  md.push(`| ${v.name} | ${v.what} | ${v.wasm.raw} | ${v.wasm.gzip} | ${v.wasm.brotli} | ${v.name === 'empty' ? '' : '+' + (v.wasm.gzip - empty.wasm.gzip)} | ${v.js ? v.js.raw : ''} | ${v.js ? v.js.gzip : ''} | ${v.call ? `${v.call.median_us} / ${v.call.p90_us}` : ''} | ${v.vs_js ?? ''} | ${v.load ? v.load.median_us : ''} |`);
}
md.push(`| js baseline | plain JS, same arithmetic (bench/baseline-preview.js), no boundary | | | | | | | ${baseline.median_us} / ${baseline.p90_us} | 1 | |`);
if (computeOnly) md.push(`| inside wasm | the core's preview alone, repeated on one converted cart (no boundary, no conversion) | | | | | | | ${computeOnly.median_us} / ${computeOnly.p90_us} | ${Math.round((computeOnly.median_us / baseline.median_us) * 10) / 10} | |`);
md.push('');
md.push(`Program documents: compiled wire ${docs.wire.raw} B (gzip ${docs.wire.gzip}), compiled JSON ${docs.json.raw} B (gzip ${docs.json.gzip}), merchant config ${docs.config.raw} B (gzip ${docs.config.gzip}). JSON.parse of the compiled JSON in JS: ${result.js_json_parse_of_compiled_document.median_us} µs.`);
const bad = Object.entries(r.disagree).filter(([, n]) => n > 0);
md.push(`Agreement: ${CALLS} carts, every variant and the JS baseline ${bad.length ? '**disagree**: ' + JSON.stringify(r.disagree) + ' first ' + JSON.stringify(r.firstDisagreement) : 'agree'} (last cart: ${JSON.stringify(r.sample)}).`);
md.push(`Machine: ${cpu}, ${os.cpus().length} cores, load average ${load1.toFixed(2)} → ${load2.toFixed(2)}; ${result.machine.chromium}; ${result.machine.rustc}; wasm-opt ${result.machine.wasm_opt}; cross-origin isolated ${r.isolated} (timer step ${r.timerStepUs} µs); ${CALLS} calls per variant in batches of ${BATCH}, ${LOADS} loads in batches of ${LOAD_BATCH}.`);
console.log(md.join('\n'));
if (bad.length) process.exitCode = 1;
