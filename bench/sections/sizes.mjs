// Section 1, sizes: every widget artifact in www/dist raw / gzip -9 /
// brotli q11, and what each page type downloads for the widget. The page
// totals come from what Chromium actually requested (the bench server's log)
// on a page without previews, a product page and a cart page, after the
// widget's first numbers, so a chunk the import graph pulls in is counted.
// Deterministic: no timing involved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { launch } from '../lib/browser.mjs';
import { startBenchServer } from '../lib/serve.mjs';

export const BUDGETS = {
  cartPageGzip: 25 * 1024, // issue 5: everything a cart page downloads for the widget
  loaderGzip: 10 * 1024, // issue 5: the loader alone
  jsFileCompressed: 10000, // Shopify flags any app JS file over 10,000 B compressed
};
// Published weights of the loyalty scripts merchants would pick instead (issue 5).
export const COMPETITORS = [
  { name: 'Smile.io', kb: 105 },
  { name: 'LoyaltyLion', kb: 113 },
  { name: 'Yotpo (from)', kb: 285 },
];

export const PAGES = [
  { id: 'no_previews', label: 'page without previews (store blog post)', path: '/bench/pages/article.html', wait: 'launcher' },
  { id: 'product', label: 'product page', path: '/demo/vi/product.html?p=ca-phe-sua-da', wait: 'firstRender' },
  { id: 'cart', label: 'cart page (checkout prompt)', path: '/demo/vi/cart.html?cart=demo', wait: 'firstRender' },
];

export function measureFile(dist, file) {
  const buf = readFileSync(join(dist, file));
  return {
    file,
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The widget files Chromium requests on one page, in request order. */
async function requestedFiles(browser, server, page) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  // The popup would add its chunk on a trigger; keep the page at first load.
  await tab.addInitScript(() => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() })));
  const seen = [];
  tab.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if ((p === '/rewards.js' || p.startsWith('/assets/')) && !seen.includes(p)) seen.push(p);
  });
  await tab.goto(server.url + page.path);
  await tab.waitForFunction((k) => window.Rewards && Rewards.timings && Rewards.timings[k] != null, page.wait === 'launcher' ? 'launcher' : 'firstRender', { timeout: 30000 });
  await tab.waitForTimeout(500); // anything fetched right after the first render
  await context.close();
  return seen.map((p) => (p === '/rewards.js' ? 'rewards.js' : p.slice(1)));
}

export async function run({ repo, log }) {
  const dist = join(repo, 'www/dist');
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  const artifacts = Object.entries(manifest.files).map(([logical, file]) => ({ logical, ...measureFile(dist, file) }));
  const byFile = new Map(artifacts.map((a) => [a.file, a]));

  const server = await startBenchServer();
  const browser = await launch();
  const pages = [];
  try {
    for (const page of PAGES) {
      const files = await requestedFiles(browser, server, page);
      const rows = files.map((f) => byFile.get(f) || { logical: f, ...measureFile(dist, f) });
      const total = (k) => rows.reduce((t, r) => t + r[k], 0);
      pages.push({ id: page.id, label: page.label, url: page.path, files, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') });
      log(`  ${page.label}: ${files.length} files, ${total('gzip')} B gzip`);
    }
  } finally {
    await browser.close();
    await server.close();
  }

  // The popup peer of the Lighthouse section, for the chart: npm ouibounce's script and CSS.
  const peer = ['node_modules/ouibounce/build/ouibounce.min.js', 'node_modules/ouibounce/test/ouibounce.min.css'].map((f) => measureFile(repo, f));
  const ouibounce = { files: peer.map((p) => p.file), raw: peer.reduce((t, p) => t + p.raw, 0), gzip: peer.reduce((t, p) => t + p.gzip, 0), brotli: peer.reduce((t, p) => t + p.brotli, 0) };
  const loader = byFile.get('rewards.js');
  const cart = pages.find((p) => p.id === 'cart');
  const budgets = [
    { figure: 'cart page, everything the widget downloads (gzip)', budget: `≤ ${BUDGETS.cartPageGzip} B`, value: `${cart.gzip} B`, met: cart.gzip <= BUDGETS.cartPageGzip, over_by: Math.max(0, cart.gzip - BUDGETS.cartPageGzip) },
    { figure: 'loader alone (gzip)', budget: `≤ ${BUDGETS.loaderGzip} B`, value: `${loader.gzip} B`, met: loader.gzip <= BUDGETS.loaderGzip, over_by: Math.max(0, loader.gzip - BUDGETS.loaderGzip) },
  ];
  for (const a of artifacts.filter((a) => a.file.endsWith('.js'))) {
    budgets.push({ figure: `JS file ${a.file} (gzip; Shopify's per-file limit)`, budget: `≤ ${BUDGETS.jsFileCompressed} B`, value: `${a.gzip} B`, met: a.gzip <= BUDGETS.jsFileCompressed, over_by: Math.max(0, a.gzip - BUDGETS.jsFileCompressed) });
  }

  const md = [];
  md.push('| artifact | file | raw B | gzip B | brotli B |', '|---|---|---:|---:|---:|');
  for (const a of artifacts) md.push(`| ${a.logical} | \`${a.file}\` | ${a.raw} | ${a.gzip} | ${a.brotli} |`);
  md.push('', '| page type | widget files requested | raw B | gzip B | brotli B |', '|---|---|---:|---:|---:|');
  for (const p of pages) md.push(`| ${p.label} | ${p.files.map((f) => '`' + f.replace(/^assets\//, '') + '`').join(', ')} | ${p.raw} | ${p.gzip} | ${p.brotli} |`);
  md.push('', `Popup peer, npm ouibounce (script + CSS): ${ouibounce.raw} B raw, ${ouibounce.gzip} B gzip, ${ouibounce.brotli} B brotli — it shows a modal the merchant writes; no form, consent, offer rules or points.`);
  md.push('', `Competitor JS weights (issue 5, for the chart): ${COMPETITORS.map((c) => `${c.name} ~${c.kb} KB`).join(', ')}.`);

  return {
    title: 'Sizes',
    commands: [
      'node scripts/build-widget.mjs   # writes www/dist and www/dist/manifest.json',
      'node scripts/sizes.mjs www/dist/rewards.js www/dist/assets/*.js www/dist/assets/*.css www/dist/assets/*.wasm   # raw / gzip -9 / brotli q11 per file',
      'scripts/bench.sh sizes   # + which files Chromium requests per page type (bench server log)',
    ],
    method: 'gzip level 9 and brotli quality 11 (Node zlib), the same settings as scripts/build-widget.mjs and the .gz/.br siblings the server sends. Page totals: the widget files (/rewards.js, /assets/*) Chromium requested on that page until the first numbers (launcher on the page without previews) + 500 ms.',
    figures: { version: manifest.version, artifacts, pages, ouibounce, competitors_kb: COMPETITORS, budgets_bytes: BUDGETS },
    budgets,
    markdown: md.join('\n'),
  };
}
