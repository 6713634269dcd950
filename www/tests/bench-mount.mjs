// Main-thread cost of the widget at load, in Chromium (printed, never asserted).
// For N fresh loads (new browser context each: cold cache, empty storage but
// the popup in cooldown) of
//   - launcher: a page with only the launcher (tests/fixtures/pages/bench.html),
//   - cart:     the demo cart page (checkout prompt: UI chunk + wasm + first numbers),
// it records a CDP performance trace and reads the renderer main thread's
// top-level tasks between the loader's first statement (its EvaluateScript
// task) and the end of the task holding the `rewards:launcher` user-timing
// mark (the launcher shown) — or, on the cart page, `rewards:first-render`:
//   widget main-thread time  Σ wall time of the tasks that run widget code: an
//                            event naming /rewards.js or /assets/ (script
//                            evaluation, compile, function calls, timers,
//                            idle callbacks), wasm, or promise continuations
//                            (RunMicrotasks: the bench page runs no other script).
//                            A task running the page's own script (the demo
//                            cart's JS creating the prompt element) counts only
//                            for the widget events inside it; so does a task of the
//                            document's parsing or its DOMContentLoaded/load dispatch
//                            (the boot's listener runs in it, then the page's layout).
//   all tasks in the window  Σ of every task, the page's own work included (upper bound)
//   + first frame            the widget time plus the rendering task that
//                            first paints the launcher (style, layout, paint)
//   CPU (thread time)        the same widget tasks' thread CPU time (alone and with
//                            that frame): robust to a loaded machine at ×1 (wall
//                            time there includes waiting for a core); under CDP
//                            throttling it grows too
//   longest widget task, and every task > 50 ms in the window
//   deferred work            widget tasks after the window (idle steps, timers)
//                            until the trace ends (~300 ms after the next frame)
// CPU ×1 and ×4 (CDP Emulation.setCPUThrottlingRate); medians and max.
// The bench itself runs nothing in the page during the load (no polling): it
// awaits a promise the init script resolves on the widget's events.
//
//   node scripts/build-widget.mjs && node www/tests/bench-mount.mjs [runs=20]
//     [--throttle=1,4] [--pages=launcher,cart] [--explain]   (what each load's longest widget task did)
//     [--loader=/rewards.js,/dist/before/rewards.js]   A/B: loaders interleaved load by load
//     [--config=inline]   the page's data-config="URL" becomes data-config-json with the published
//                         program inline (a server-rendered store: no config request)
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { loadavg } from 'node:os';
import { refersToOurs, isWasm, pageScript, pageWork, unionUs } from '../../bench/lib/trace.mjs';
import { inlineConfigAttr } from '../../bench/lib/serve.mjs';

const opts = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')));
const RUNS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a))) || 20;
const THROTTLES = (opts.throttle || '1,4').split(',').map(Number);
const PAGE_IDS = (opts.pages || 'launcher,cart').split(',');
const LOADERS = (opts.loader || '/rewards.js').split(',');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8.wasm', 'toplevel', 'blink.user_timing', '__metadata'];
const PAGES = {
  launcher: { label: 'launcher only (bench.html): script start → launcher ready', path: '/tests/fixtures/pages/bench.html', end: 'rewards:launcher' },
  cart: { label: 'demo cart page: script start → first numbers', path: '/demo/vi/cart.html', end: 'rewards:first-render', cart: true },
};

const server = await startServer();
console.log('load average: ' + loadavg().map((x) => x.toFixed(2)).join(' '));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });

function initScript({ cart, end }) {
  if (cart) localStorage.setItem('demo:cart:vn', JSON.stringify({ lines: [{ handle: 'ca-phe-sua-da', variant: 'l', qty: 2 }, { handle: 'ca-phe-hat-robusta', variant: '500', qty: 1 }], insurance: false }));
  localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
  // Resolved after the end mark and the next painted frame (+ idle work the
  // widget scheduled right after), so the trace holds all of it.
  // A loader without user-timing marks (an older build, for A/B runs): its
  // `rewards:ready` event fires in the task that shows the launcher.
  window.addEventListener('rewards:ready', () => performance.getEntriesByName('rewards:launcher').length || performance.mark('rewards:launcher'));
  window.__benchDone = new Promise((resolve) => {
    const settle = () => requestAnimationFrame(() => setTimeout(() => setTimeout(resolve, 300), 0));
    new PerformanceObserver((list, obs) => {
      if (list.getEntries().some((e) => e.name === end)) obs.disconnect(), settle();
    }).observe({ type: 'mark', buffered: true });
  });
}

/** Widget code, counting the microtasks and wasm work it schedules. */
const referToOurs = (e) => e.name === 'RunMicrotasks' || isWasm(e) || refersToOurs(e);

function analyse(events, endMark) {
  const loader = events.find((e) => e.name === 'EvaluateScript' && /\/rewards\.js(\?|$)/.test((e.args && e.args.data && e.args.data.url) || ''));
  if (!loader) throw new Error('trace: no EvaluateScript of the loader');
  const main = events.filter((e) => e.pid === loader.pid && e.tid === loader.tid).sort((a, b) => a.ts - b.ts);
  const tasks = main.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.dur > 0);
  const taskOf = (ts) => tasks.find((t) => t.ts <= ts && ts <= t.ts + t.dur);
  const first = taskOf(loader.ts);
  const mark = main.find((e) => e.name === endMark);
  if (!mark) throw new Error('trace: no ' + endMark + ' mark (a loader without user-timing marks?)');
  const last = taskOf(mark.ts) || mark;
  const t0 = first.ts;
  const t1 = last.ts + (last.dur || 0);
  const inWindow = tasks.filter((t) => t.ts >= t0 && t.ts <= t1);
  const inside = (t) => main.filter((e) => e.ts >= t.ts && e.ts <= t.ts + t.dur && e !== t);
  const ours = inWindow.filter((t) => t === first || t === last || inside(t).some(referToOurs));
  // A task that runs the page's own script (the demo store's JS creating a
  // <rewards-checkout-prompt>, whose callbacks run widget code), or the
  // document's parsing and lifecycle events (the parser's last task
  // dispatches DOMContentLoaded to the boot's listener, then lays out the
  // page), counts only for the widget events inside it, not as a whole.
  const share = new Map();
  for (const t of ours) {
    const evs = inside(t);
    if (t === first || !evs.some((e) => pageScript(e) || pageWork(e))) continue;
    const spans = evs.filter((e) => e.ph === 'X' && referToOurs(e) && e.name !== 'RunMicrotasks');
    share.set(t, { dur: unionUs(spans.map((e) => [e.ts, e.ts + e.dur])), tdur: unionUs(spans.map((e) => [e.tts || 0, (e.tts || 0) + (e.tdur || 0)])) });
  }
  const part = (t, k) => (share.has(t) ? share.get(t)[k] : t[k] || 0);
  // The rendering task that first paints after the mark.
  const paint = main.find((e) => e.name === 'Paint' && e.ts > mark.ts);
  const frame = paint && taskOf(paint.ts);
  // Widget work deferred past the window (idle steps, timers) until the trace ends.
  const after = tasks.filter((t) => t.ts > t1 && main.some((e) => e.ts >= t.ts && e.ts <= t.ts + t.dur && e !== t && referToOurs(e) && e.name !== 'RunMicrotasks'));
  const sum = (ts, k = 'dur') => ts.reduce((s, t) => s + part(t, k), 0) / 1000;
  // --explain: what the longest widget task spent its time on (events > 2 ms).
  const top = ours.reduce((a, t) => (part(t, 'dur') > part(a, 'dur') ? t : a), ours[0]);
  const explain = main
    .filter((e) => e.ts >= top.ts && e.ts <= top.ts + top.dur && e !== top && e.ph === 'X' && e.dur > 2000 && !/^(RunTask|ThreadControllerImpl|BlinkScheduler|v8\.(run|callFunction)$)/.test(e.name))
    .map((e) => `${e.name}${e.args && e.args.data && e.args.data.url ? '(' + e.args.data.url.split('/').pop() + ')' : ''} ${(e.dur / 1000).toFixed(1)}`)
    .join(', ');
  return {
    widget: sum(ours),
    cpu: sum(ours, 'tdur'),
    all: sum(inWindow),
    frame: sum(ours) + (frame && !ours.includes(frame) ? frame.dur / 1000 : 0),
    frameCpu: sum(ours, 'tdur') + (frame && !ours.includes(frame) ? (frame.tdur || 0) / 1000 : 0),
    longest: Math.max(...ours.map((t) => part(t, 'dur'))) / 1000,
    long: inWindow.filter((t) => t.dur > 50000).map((t) => Math.round(t.dur / 1000)),
    tasks: ours.length,
    explain: `${(part(top, 'dur') / 1000).toFixed(1)} ms${share.has(top) ? ' (widget share of a page-script task of ' + (top.dur / 1000).toFixed(1) + ' ms)' : ''} at +${((top.ts - t0) / 1000).toFixed(0)} ms: ${explain}`,
    after: sum(after),
    afterLongest: Math.max(0, ...after.map((t) => t.dur)) / 1000,
    evaluate: loader.dur / 1000,
  };
}

/** data-config="URL" → data-config-json="…" (the published program, attribute-escaped). */
async function inlineConfig(html) {
  const m = /data-config="([^"]+)"/.exec(html);
  if (!m) return html;
  const text = await (await fetch(new URL(m[1], server.url))).text();
  return html.replace(m[0], inlineConfigAttr(text));
}

async function once(page, throttle, loaderPath) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const tab = await context.newPage();
    if (loaderPath !== '/rewards.js' || opts.config === 'inline') {
      await tab.route('**' + page.path, async (route) => {
        const r = await route.fetch();
        let body = (await r.text()).replace('src="/rewards.js"', `src="${loaderPath}"`);
        if (opts.config === 'inline') body = await inlineConfig(body);
        route.fulfill({ response: r, body });
      });
    }
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await tab.addInitScript(initScript, { cart: !!page.cart, end: page.end });
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
    await tab.goto(server.url + page.path, { waitUntil: 'commit' });
    await cdp.send('Runtime.evaluate', { expression: 'window.__benchDone', awaitPromise: true, timeout: 60000 });
    const timings = (await cdp.send('Runtime.evaluate', { expression: 'JSON.stringify(Rewards.timings)', returnByValue: true })).result.value;
    await cdp.send('Tracing.end');
    await complete;
    return Object.assign(analyse(events, page.end), { timings: JSON.parse(timings) });
  } finally {
    await context.close();
  }
}

const stats = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return { median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, max: s[s.length - 1] };
};
const fmt = (xs) => {
  const o = stats(xs);
  return `median ${o.median.toFixed(1)} ms, max ${o.max.toFixed(1)} ms`;
};

for (const throttle of THROTTLES) {
  for (const id of PAGE_IDS) {
    const page = PAGES[id];
    const rows = Object.fromEntries(LOADERS.map((l) => [l, []]));
    await once(page, throttle, LOADERS[0]); // warm the server and the OS caches, not counted
    for (let i = 0; i < RUNS; i++) for (const l of LOADERS) rows[l].push(await once(page, throttle, l));
    for (const l of LOADERS) {
      const r = rows[l];
      console.log(`\n${page.label}${opts.config === 'inline' ? ' (config inline)' : ''}, CPU ×${throttle}, ${RUNS} loads, loader ${l}`);
      console.log(`  widget main-thread time          ${fmt(r.map((x) => x.widget))}  (${stats(r.map((x) => x.tasks)).median} tasks)`);
      console.log(`  … + the frame that paints it     ${fmt(r.map((x) => x.frame))}`);
      console.log(`  … thread CPU time                ${fmt(r.map((x) => x.cpu))}; with the frame ${fmt(r.map((x) => x.frameCpu))}`);
      console.log(`  all main-thread tasks in window  ${fmt(r.map((x) => x.all))}`);
      console.log(`  loader script evaluation task    ${fmt(r.map((x) => x.evaluate))}`);
      console.log(`  longest widget task              ${fmt(r.map((x) => x.longest))}`);
      console.log(`  deferred widget work after it    ${fmt(r.map((x) => x.after))}; longest such task ${fmt(r.map((x) => x.afterLongest))}`);
      console.log(`  wall: start → launcher ready     ${fmt(r.map((x) => x.timings.launcher))}`);
      if (page.cart) console.log(`  wall: start → first numbers     ${fmt(r.map((x) => x.timings.firstRender))}`);
      if ('explain' in opts) for (const x of r) console.log('    longest widget task ' + x.explain);
      const longs = r.flatMap((x) => x.long);
      console.log(`  tasks > 50 ms in the window: ${longs.length ? longs.join(', ') + ' ms' : 'none'}`);
    }
  }
}
await browser.close();
await server.close();
