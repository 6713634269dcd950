// Section 2, Lighthouse: the demo store's home, collection, product and cart
// pages, each with and without the widget (the bench server strips the
// script tag: ?widget=off), RUNS runs each, interleaved (run i measures every
// variant once; the with/without order alternates between runs), medians of
// score, TBT, CLS, LCP, FCP and their deltas, and the Shopify-style weighted
// delta (home 17 %, product 40 %, collection 43 %).
//
// Popup alone, on a store blog post (bench/pages/article.html, no previews):
// the page without any popup script, with npm ouibounce (its script, CSS and
// modal markup), and with our loader installed popup-only (data-launcher="off").
//
// Lighthouse 12 CLI, default mobile config (simulated throttling: 4× CPU,
// slow 4G), performance category only, Debian Chromium headless.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM, CHROME_FLAGS } from '../lib/browser.mjs';
import { startBenchServer } from '../lib/serve.mjs';
import { median, round } from '../lib/stats.mjs';

const run$ = promisify(execFile);
export const PAGES = [
  { id: 'home', label: 'home', path: '/demo/vi/index.html', weight: 0.17 },
  { id: 'collection', label: 'collection', path: '/demo/vi/collection.html', weight: 0.43 },
  { id: 'product', label: 'product', path: '/demo/vi/product.html?p=ca-phe-sua-da', weight: 0.4 },
  { id: 'cart', label: 'cart (2 lines)', path: '/demo/vi/cart.html?cart=demo', weight: 0 },
];
export const POPUP_PAGE = '/bench/pages/article.html';
export const POPUP_VARIANTS = [
  { id: 'none', label: 'no popup script', flags: 'widget=off' },
  { id: 'ouibounce', label: 'npm ouibounce 0.0.12 (script + CSS + modal markup)', flags: 'widget=off&peer=ouibounce' },
  { id: 'ours', label: 'our loader, popup-only (data-launcher="off")', flags: 'widget=popup' },
];
const with$ = (path, flags) => path + (path.includes('?') ? '&' : '?') + flags;

export function lighthouseArgs(url, out) {
  return [url, '--output=json', `--output-path=${out}`, '--only-categories=performance', '--quiet', `--chrome-flags=${CHROME_FLAGS.join(' ')}`];
}

function metrics(report) {
  const a = report.audits;
  const boot = (a['bootup-time'].details && a['bootup-time'].details.items) || [];
  const ours = boot.filter((i) => /\/rewards\.js|\/assets\//.test(i.url));
  return {
    score: Math.round(report.categories.performance.score * 100),
    tbt: a['total-blocking-time'].numericValue,
    cls: a['cumulative-layout-shift'].numericValue,
    lcp: a['largest-contentful-paint'].numericValue,
    fcp: a['first-contentful-paint'].numericValue,
    bytes: a['total-byte-weight'].numericValue,
    widget_script_ms: ours.reduce((t, i) => t + (i.scripting || 0) + (i.scriptParseCompile || 0), 0),
  };
}

let failures = [];
/** One Lighthouse run; a run that crashes or hangs (seen once on a loaded box) is retried once. */
async function lighthouse(bin, url, dir, n) {
  const out = join(dir, `run-${n}.json`);
  for (let attempt = 1; ; attempt++) {
    try {
      await run$(process.execPath, [bin, ...lighthouseArgs(url, out)], { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 1 << 26, timeout: 120000, killSignal: 'SIGKILL' });
      const report = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(out);
      if (report.runtimeError) throw new Error(report.runtimeError.code + ': ' + report.runtimeError.message);
      return { ...metrics(report), benchmark_index: report.environment && report.environment.benchmarkIndex };
    } catch (e) {
      failures.push({ url, attempt, error: String(e.message).split('\n')[0].slice(0, 200) });
      if (attempt >= 2) throw new Error(`lighthouse failed twice on ${url}: ${e.message}`);
    }
  }
}

const KEYS = ['score', 'tbt', 'cls', 'lcp', 'fcp', 'bytes', 'widget_script_ms'];
const medians = (rows) => Object.fromEntries(KEYS.map((k) => [k, round(median(rows.map((r) => r[k])), k === 'cls' ? 4 : 1)]));
const delta = (a, b) => Object.fromEntries(KEYS.map((k) => [k, round(a[k] - b[k], k === 'cls' ? 4 : 1)]));

export async function run({ repo, opts, log }) {
  const runs = opts.runs;
  const bin = join(repo, 'node_modules/lighthouse/cli/index.js');
  const version = JSON.parse(readFileSync(join(repo, 'node_modules/lighthouse/package.json'), 'utf8')).version;
  const dir = mkdtempSync(join(tmpdir(), 'rewards-lh-'));
  const server = await startBenchServer();
  const samples = {}; // key → rows
  const add = (key, m) => (samples[key] = samples[key] || []).push(m);
  let n = 0;
  failures = [];
  try {
    // One unmeasured run warms the server's compression cache and the disk.
    await lighthouse(bin, server.url + PAGES[0].path, dir, n++);
    for (let i = 0; i < runs; i++) {
      for (const page of PAGES) {
        const variants = [['with', page.path], ['without', with$(page.path, 'widget=off')]];
        if (i % 2) variants.reverse();
        for (const [v, path] of variants) add(`${page.id}:${v}`, await lighthouse(bin, server.url + path, dir, n++));
      }
      const popup = POPUP_VARIANTS.slice(i % 3).concat(POPUP_VARIANTS.slice(0, i % 3));
      for (const v of popup) add(`popup:${v.id}`, await lighthouse(bin, server.url + with$(POPUP_PAGE, v.flags), dir, n++));
      log(`  lighthouse run ${i + 1}/${runs} done (${n} reports)`);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const pages = PAGES.map((p) => {
    const w = medians(samples[`${p.id}:with`]);
    const wo = medians(samples[`${p.id}:without`]);
    return { id: p.id, label: p.label, url: p.path, weight: p.weight, with: w, without: wo, delta: delta(w, wo), runs: { with: samples[`${p.id}:with`], without: samples[`${p.id}:without`] } };
  });
  const weighted = round(pages.reduce((t, p) => t + p.weight * p.delta.score, 0), 2);
  const popup = POPUP_VARIANTS.map((v) => ({ id: v.id, label: v.label, url: with$(POPUP_PAGE, v.flags), median: medians(samples[`popup:${v.id}`]), runs: samples[`popup:${v.id}`] }));
  const base = popup[0].median;
  for (const p of popup) p.delta = delta(p.median, base);

  const md = [`Lighthouse ${version}, default mobile config (simulated throttling), performance only, ${runs} runs per variant, interleaved; medians. Δ = with − without.`, ''];
  md.push('| page | score with / without (Δ) | TBT ms with / without (Δ) | CLS with / without (Δ) | LCP ms with / without (Δ) | widget scripting ms (bootup-time) |', '|---|---:|---:|---:|---:|---:|');
  for (const p of pages) {
    md.push(`| ${p.label} | ${p.with.score} / ${p.without.score} (${p.delta.score}) | ${p.with.tbt} / ${p.without.tbt} (${p.delta.tbt}) | ${p.with.cls} / ${p.without.cls} (${p.delta.cls}) | ${p.with.lcp} / ${p.without.lcp} (${p.delta.lcp}) | ${p.with.widget_script_ms} |`);
  }
  const bi = median(Object.values(samples).flat().map((r) => r.benchmark_index).filter((x) => x != null));
  md.push('', `Lighthouse's CPU benchmark index on this machine: median ${bi}${failures.length ? `; ${failures.length} run(s) crashed or hung and were retried` : ''}.`);
  md.push('', `Shopify-style weighted score delta (home 17 %, product 40 %, collection 43 %): **${weighted} points**.`, '');
  md.push('Popup alone, on a blog post (no previews). Lighthouse never leaves the page, so this is the cost of having the popup armed, not of showing it (both fire on exit intent):', '', '| variant | score (Δ) | TBT ms (Δ) | CLS (Δ) | LCP ms (Δ) | bytes (Δ) |', '|---|---:|---:|---:|---:|---:|');
  for (const p of popup) md.push(`| ${p.label} | ${p.median.score} (${p.delta.score}) | ${p.median.tbt} (${p.delta.tbt}) | ${p.median.cls} (${p.delta.cls}) | ${p.median.lcp} (${p.delta.lcp}) | ${p.median.bytes} (${p.delta.bytes}) |`);

  const worst = (k) => pages.reduce((m, p) => (k === 'score' ? Math.min(m, p.delta[k]) : Math.max(m, p.delta[k])), k === 'score' ? Infinity : -Infinity);
  const budgets = [
    { figure: 'Lighthouse score delta, worst demo page (median)', budget: '≥ −1 point', value: `${worst('score')}`, met: worst('score') >= -1, over_by: round(Math.max(0, -1 - worst('score')), 1) },
    { figure: 'Shopify-style weighted score delta', budget: '≥ −1 point', value: `${weighted}`, met: weighted >= -1, over_by: round(Math.max(0, -1 - weighted), 2) },
    { figure: 'CLS delta, worst demo page (median)', budget: '0.000', value: `${worst('cls')}`, met: worst('cls') <= 0, over_by: round(Math.max(0, worst('cls')), 4) },
    { figure: 'TBT delta, worst demo page (median)', budget: '≤ 10 ms', value: `${worst('tbt')} ms`, met: worst('tbt') <= 10, over_by: round(Math.max(0, worst('tbt') - 10), 1) },
  ];
  const example = `CHROME_PATH=${CHROMIUM} node_modules/.bin/lighthouse ${lighthouseArgs('http://127.0.0.1:PORT/demo/vi/product.html?p=ca-phe-sua-da&widget=off', 'out.json').map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`;
  return {
    title: 'Lighthouse',
    commands: [`scripts/bench.sh lighthouse --runs ${runs}`, 'node bench/lib/serve.mjs 8788   # the bench server alone (flags ?widget=off|popup, ?peer=ouibounce, ?cart=demo)', example],
    method: `Lighthouse ${version} CLI per run (a fresh Chromium each), against the bench server on 127.0.0.1 (brotli like production). Without-widget variants are the same HTML with the widget's script tag removed by the bench server. The cart page's cart is seeded in localStorage before any script (both variants).`,
    figures: { lighthouse: version, runs, pages, weighted_score_delta: weighted, popup, retried_runs: failures, benchmark_index_median: median(Object.values(samples).flat().map((r) => r.benchmark_index).filter((x) => x != null)) },
    budgets,
    markdown: md.join('\n'),
  };
}
