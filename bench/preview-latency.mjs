// Preview latency through the wasm boundary in headless Chromium: a 20-line
// cart, N updates (one quantity changes each time), each timed with
// performance.now(). Prints median and p99 in microseconds. Reported, never
// asserted. Usage: node bench/preview-latency.mjs [N]   (after scripts/build-wasm.sh)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const N = Number(process.argv[2] || 10000);
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
const server = createServer((req, res) => {
  const path = req.url === '/' ? '/bench/preview-latency.html' : req.url.split('?')[0];
  try {
    const body = readFileSync(join(root, path));
    res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  const result = await page.evaluate(async (n) => {
    const { default: init, Engine } = await import('/www/dist/pkg/rewards_wasm.js');
    await init('/www/dist/pkg/rewards_wasm_bg.wasm');
    const config = await (await fetch('/tests/fixtures/programs/vn-coffee.json')).text();
    const engine = new Engine(config);
    const lines = Array.from({ length: 20 }, (_, i) => ({
      id: `l${i}`, product_id: `p${i}`, sku: `SKU-${i}`, quantity: 1 + (i % 3),
      unit_price: 25000 + i * 5000, product_type: i % 2 ? 'Cà phê' : 'Bánh', tags: ['menu'],
    }));
    const shopper = JSON.stringify({ member: true, balance: 1200, period_spend: 1500000, stamps: 4, card_started: '2026-11-01' });
    const now = Date.parse('2026-11-22T10:00:00Z');
    const times = { preview: [], quote: [] };
    // The browser clamps timer resolution, so time batches of 50 updates and
    // report per-update figures from the batch distribution.
    const BATCH = 50;
    for (const op of ['preview', 'quote']) {
      for (let i = 0; i < n; i += BATCH) {
        const t0 = performance.now();
        for (let j = i; j < i + BATCH; j++) {
          lines[j % 20].quantity = 1 + (j % 5);
          JSON.parse(engine[op](shopper, JSON.stringify({ currency: 'VND', lines }), now));
        }
        times[op].push((performance.now() - t0) / BATCH);
      }
    }
    const stats = (xs) => {
      xs.sort((a, b) => a - b);
      return { median_us: Math.round(xs[xs.length >> 1] * 1000), p99_us: Math.round(xs[Math.floor(xs.length * 0.99)] * 1000) };
    };
    return { n, preview: stats(times.preview), quote: stats(times.quote) };
  }, N);
  console.log(`preview (20-line cart, stringify + call + JSON.parse), ${result.n} updates in batches of 50: median ${result.preview.median_us} µs, p99 batch ${result.preview.p99_us} µs`);
  console.log(`quote   (preview + tier + punch card + redemptions),       ${result.n} updates in batches of 50: median ${result.quote.median_us} µs, p99 batch ${result.quote.p99_us} µs`);
} finally {
  await browser.close();
  server.close();
}
