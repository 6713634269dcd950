// Mount time in Chromium (printed, never asserted): for N fresh loads of
//   - a page with only the launcher (tests/fixtures/pages/bench.html), and
//   - the demo cart page (checkout prompt: UI chunk + wasm + first numbers),
// it reads Rewards.timings (ms from the loader's first statement; `busy` is
// the wall time of the loader's own synchronous steps until the launcher),
// the CPU time the V8 sampling profiler attributes to the widget's scripts
// and wasm, and the long tasks (> 50 ms) seen during the load, with and
// without 4× CPU throttling (CDP Emulation.setCPUThrottlingRate). On a
// loaded machine every wall-clock figure grows: note the load average.
//
//   node scripts/build-widget.mjs && node www/tests/bench-mount.mjs [runs]
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const RUNS = Number(process.argv[2]) || 20;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const server = await startServer();
const { loadavg } = await import('node:os');
console.log('load average: ' + loadavg().map((x) => x.toFixed(2)).join(' '));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });

async function once(path, throttle, cart) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.addInitScript((cart) => {
    window.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(Math.round(e.duration)))).observe({ type: 'longtask', buffered: true });
    if (cart) localStorage.setItem('demo:cart:vn', JSON.stringify({ lines: [{ handle: 'ca-phe-sua-da', variant: 'l', qty: 2 }, { handle: 'ca-phe-hat-robusta', variant: '500', qty: 1 }], insurance: false }));
    localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
  }, cart);
  await page.goto(server.url + path);
  await page.waitForFunction((cart) => window.Rewards && Rewards.timings && Rewards.timings.launcher != null && (!cart || Rewards.timings.firstRender != null), cart, { timeout: 30000 });
  const r = await page.evaluate(() => ({ t: Rewards.timings, long: window.__long }));
  // Sampled CPU time in the widget's own code (loader, chunks, wasm) up to here.
  const { profile } = await cdp.send('Profiler.stop');
  const ours = new Set(profile.nodes.filter((n) => /\/rewards\.js$|\/assets\/|^wasm:/.test(n.callFrame.url)).map((n) => n.id));
  r.cpu = 0;
  profile.samples.forEach((id, i) => {
    if (ours.has(id)) r.cpu += profile.timeDeltas[i] / 1000;
  });
  await context.close();
  return r;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const fmt = (o) => `median ${o.median.toFixed(1)} ms, max ${o.max.toFixed(1)} ms`;

for (const throttle of [1, 4]) {
  for (const [label, path, cart] of [
    ['launcher only (bench.html)', '/tests/fixtures/pages/bench.html', false],
    ['cart page (demo, prompt with numbers)', '/demo/vi/cart.html', true],
  ]) {
    const rows = [];
    for (let i = 0; i < RUNS; i++) rows.push(await once(path, throttle, cart));
    console.log(`\n${label}, CPU ×${throttle}, ${RUNS} loads`);
    console.log(`  script start → config parsed   ${fmt(stats(rows.map((r) => r.t.config)))}`);
    console.log(`  script start → launcher ready  ${fmt(stats(rows.map((r) => r.t.launcher)))}`);
    console.log(`  loader main-thread time (busy) ${fmt(stats(rows.map((r) => r.t.busy)))}`);
    console.log(`  CPU in widget code (sampled)   ${fmt(stats(rows.map((r) => r.cpu)))}`);
    if (cart) {
      console.log(`  script start → engine ready    ${fmt(stats(rows.map((r) => r.t.engine)))}`);
      console.log(`  script start → first numbers   ${fmt(stats(rows.map((r) => r.t.firstRender)))}`);
    }
    const longs = rows.flatMap((r) => r.long);
    console.log(`  long tasks (> 50 ms) during load: ${longs.length ? longs.join(', ') + ' ms' : 'none'}`);
  }
}
await browser.close();
await server.close();
