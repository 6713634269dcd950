// Section 3, main-thread cost at load, Chromium with 4× CPU throttling
// (CDP Emulation.setCPUThrottlingRate), each load in a fresh browser context
// (cold HTTP cache, no wasm code cache), LOADS loads per page:
//   - a page without previews (bench/pages/article.html): script start → launcher ready,
//     with the program fetched (data-config="URL") and inline (?config=inline:
//     data-config-json, no request: the launcher is up in the script's own task)
//   - the demo cart page (checkout prompt): script start → first numbers
//     (UI chunk + wasm + first mount)
//
// Two kinds of loads alternate, so both see the same machine load:
//   plain   no tracing: the widget's own Rewards.timings (ms from the
//           loader's first statement; `busy` = the loader's synchronous work
//           until the launcher) and PerformanceObserver long tasks.
//   traced  CDP Tracing (devtools.timeline, v8.wasm, toplevel) — the
//           breakdown, from the renderer main thread's trace events:
//             loader evaluation   EvaluateScript of /rewards.js
//             UI chunk evaluation v8.compileModule + v8.evaluateModule of /assets/ui-*.js
//             wasm compile        main-thread wasm.* compile events (streaming, lazy
//                                 compilation); background compile threads listed apart
//             wasm instantiate    wasm.*Instantiate on the main thread
//             widget main thread  Σ top-level tasks (RunTask) that run widget code:
//                                 an event naming a /rewards.js or /assets/ script
//                                 (EvaluateScript, FunctionCall, compileModule, long
//                                 animation frame script source), a module evaluation
//                                 (the demo pages have no other modules) or a wasm
//                                 event, from the loader's start to the end mark. A
//                                 task that also runs the page's own script (the demo
//                                 store's JS creating the prompt element, whose
//                                 callbacks run widget code) counts only for the
//                                 widget events inside it, as in www/tests/bench-mount.mjs;
//                                 so does a task of the document's parsing or its
//                                 DOMContentLoaded/load dispatch (a widget listener in it).
//                                 A task running only promise continuations of widget
//                                 code carries no such event: a lower bound.
//             longest task        the longest such task, and the longest of any task
//           Tracing itself slows the page a little; the plain loads carry the wall-clock figures.
// The end of the window is a performance.mark the bench adds from the widget's
// `rewards:ready` event (launcher) or when Rewards.timings.firstRender appears.
import { launch } from '../lib/browser.mjs';
import { startBenchServer } from '../lib/serve.mjs';
import { summary, round } from '../lib/stats.mjs';
import { OURS, refersToOurs, isWasm, pageScript, pageWork, unionUs } from '../lib/trace.mjs';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.wasm', 'toplevel', 'blink.user_timing'];
export const PAGES = [
  { id: 'launcher', label: 'page without previews: script start → launcher ready', path: '/bench/pages/article.html', until: 'launcher' },
  { id: 'inline', label: 'page without previews, program inline: script start → launcher ready', path: '/bench/pages/article.html?config=inline', until: 'launcher' },
  { id: 'cart', label: 'cart page: script start → first numbers (UI + wasm + first mount)', path: '/demo/vi/cart.html?cart=demo', until: 'firstRender' },
];

function initScript(until) {
  // Runs before any page script: the popup stays in cooldown (its chunk would
  // be a different page state), long tasks are recorded, and the end of the
  // measured window becomes a performance mark the trace can see.
  localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(Math.round(e.duration * 10) / 10))).observe({ type: 'longtask', buffered: true });
  const endMark = () => performance.mark('bench:end');
  if (until === 'launcher') window.addEventListener('rewards:ready', endMark, { once: true });
  else {
    const poll = () => (window.Rewards && Rewards.timings && Rewards.timings.firstRender != null ? endMark() : setTimeout(poll, 5));
    poll();
  }
}

export function analyseTrace(events) {
  const loader = events.find((e) => e.name === 'EvaluateScript' && OURS.test((e.args && e.args.data && e.args.data.url) || ''));
  if (!loader) throw new Error('trace: no EvaluateScript for /rewards.js');
  const { pid, tid } = loader;
  const main = events.filter((e) => e.pid === pid && e.tid === tid);
  const end = main.find((e) => e.name === 'bench:end');
  if (!end) throw new Error('trace: no bench:end mark');
  const t0 = loader.ts;
  const t1 = end.ts;
  const within = (e) => e.ts >= t0 && e.ts <= t1;
  const ms = (us) => round(us / 1000, 2);
  const dur = (e) => e.dur || 0;

  const uiEval = main.filter((e) => within(e) && /^v8\.(compileModule|evaluateModule)$|^EvaluateScript$/.test(e.name) && e !== loader && refersToOurs(e));
  const wasmMain = main.filter((e) => within(e) && e.ph === 'X' && isWasm(e));
  const instantiate = wasmMain.filter((e) => /Instantiate/.test(e.name));
  const compile = wasmMain.filter((e) => !/Instantiate/.test(e.name));
  const wasmBackground = events.filter((e) => e.pid === pid && e.tid !== tid && e.ph === 'X' && isWasm(e) && e.ts >= t0 && e.ts <= t1);

  // Top-level tasks on the main thread inside the window, and which run widget code.
  const tasks = main.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.ts + dur(e) >= t0 && e.ts <= t1);
  const marks = main.filter((e) => within(e) && (refersToOurs(e) || isWasm(e)));
  const widgetTasks = tasks.filter((t) => marks.some((m) => m.ts >= t.ts && m.ts <= t.ts + dur(t)));
  // A task that runs the page's own script (the demo store's JS creating a
  // <rewards-checkout-prompt>, whose callbacks run widget code), or the
  // document's parsing and lifecycle events (the parser's last task calls the
  // boot's DOMContentLoaded listener, then lays out the page), counts only
  // for the widget events inside it, not as a whole (as www/tests/bench-mount.mjs).
  // The loader's own evaluation task counts whole.
  const e0 = (t) => t.ts <= loader.ts && loader.ts <= t.ts + dur(t);
  const share = new Map();
  for (const t of widgetTasks) {
    const evs = main.filter((e) => e !== t && e.ts >= t.ts && e.ts <= t.ts + dur(t));
    if (e0(t) || !evs.some((e) => pageScript(e) || pageWork(e))) continue;
    const spans = evs.filter((e) => e.ph === 'X' && !pageScript(e) && (refersToOurs(e) || isWasm(e)));
    share.set(t, unionUs(spans.map((e) => [e.ts, e.ts + dur(e)])));
  }
  const widgetDur = (t) => (share.has(t) ? share.get(t) : dur(t));
  return {
    window_ms: ms(t1 - t0),
    loader_eval_ms: ms(dur(loader)),
    ui_eval_ms: ms(unionUs(uiEval.map((e) => [e.ts, e.ts + dur(e)]))),
    wasm_compile_main_ms: ms(unionUs(compile.map((e) => [e.ts, e.ts + dur(e)]))),
    wasm_instantiate_ms: ms(unionUs(instantiate.map((e) => [e.ts, e.ts + dur(e)]))),
    wasm_compile_background_ms: ms(unionUs(wasmBackground.map((e) => [e.ts, e.ts + dur(e)]))),
    widget_main_ms: ms(widgetTasks.reduce((t, e) => t + widgetDur(e), 0)),
    widget_tasks: widgetTasks.length,
    longest_widget_task_ms: ms(Math.max(0, ...widgetTasks.map(widgetDur))),
    longest_task_ms: ms(Math.max(0, ...tasks.map(dur))),
  };
}

async function load(browser, server, page, traced) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await tab.addInitScript(initScript, page.until);
    if (traced) await browser.startTracing(tab, { categories: CATEGORIES });
    await tab.goto(server.url + page.path);
    await tab.waitForFunction((k) => window.Rewards && Rewards.timings && Rewards.timings[k] != null && performance.getEntriesByName('bench:end').length > 0, page.until, { timeout: 60000 });
    const r = await tab.evaluate(() => ({ timings: Rewards.timings, long: window.__long }));
    if (traced) r.trace = analyseTrace(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
    return r;
  } finally {
    await context.close();
  }
}

export async function run({ opts, log }) {
  const loads = opts.loads;
  const server = await startBenchServer();
  const browser = await launch();
  const results = [];
  try {
    for (const page of PAGES) {
      const plain = [];
      const traced = [];
      await load(browser, server, page, false); // warm the server's compression cache, not measured
      for (let i = 0; i < loads; i++) {
        plain.push(await load(browser, server, page, false));
        traced.push(await load(browser, server, page, true));
      }
      const T = (k) => summary(traced.map((r) => r.trace[k]), 2);
      const P = (k) => summary(plain.map((r) => r.timings[k]).filter((x) => x != null), 1);
      const longs = plain.flatMap((r) => r.long);
      const res = {
        id: page.id,
        label: page.label,
        url: page.path,
        loads,
        wall: {
          config_ms: P('config'),
          launcher_ms: P('launcher'),
          loader_busy_ms: P('busy'),
          ...(page.until === 'firstRender' ? { ui_ms: P('ui'), engine_ms: P('engine'), first_numbers_ms: P('firstRender') } : {}),
        },
        long_tasks_ms: longs,
        trace: Object.fromEntries(Object.keys(traced[0].trace).map((k) => [k, T(k)])),
      };
      results.push(res);
      log(`  ${page.id}: widget main thread median ${res.trace.widget_main_ms.median} ms, max ${res.trace.widget_main_ms.max} ms; longest widget task ${res.trace.longest_widget_task_ms.max} ms`);
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const md = [`CPU throttled 4×, fresh context per load (cold cache), ${loads} plain + ${loads} traced loads per page. Figures: median / max (ms).`, ''];
  md.push('| | page without previews → launcher | … program inline → launcher | cart page → first numbers |', '|---|---:|---:|---:|');
  const [a, inline, b] = results;
  const cell = (s) => (s && s.n ? `${s.median} / ${s.max}` : '—');
  const rows = [
    ['**widget main-thread time** (traced tasks running widget code; a lower bound)', (r) => r.trace.widget_main_ms],
    ['  loader script evaluation (`/rewards.js`)', (r) => r.trace.loader_eval_ms],
    ['  UI chunk compile + evaluation', (r) => r.trace.ui_eval_ms],
    ['  wasm compile, main thread', (r) => r.trace.wasm_compile_main_ms],
    ['  wasm instantiate', (r) => r.trace.wasm_instantiate_ms],
    ['wasm compile, background threads', (r) => r.trace.wasm_compile_background_ms],
    ['longest task running widget code', (r) => r.trace.longest_widget_task_ms],
    ['longest task of any kind in the window', (r) => r.trace.longest_task_ms],
    ['tasks running widget code (count)', (r) => r.trace.widget_tasks],
    ['traced window: script start → end', (r) => r.trace.window_ms],
    ['untraced: loader `busy` (its own synchronous work to launcher)', (r) => r.wall.loader_busy_ms],
    ['untraced wall: script start → launcher ready', (r) => r.wall.launcher_ms],
    ['untraced wall: script start → engine ready', (r) => r.wall.engine_ms],
    ['untraced wall: script start → first numbers', (r) => r.wall.first_numbers_ms],
  ];
  for (const [label, f] of rows) md.push(`| ${label} | ${results.map((r) => cell(f(r))).join(' | ')} |`);
  const longs = (r) => (r.long_tasks_ms.length ? r.long_tasks_ms.join(', ') + ' ms' : 'none');
  md.push('', `Long tasks (> 50 ms, PerformanceObserver, untraced loads): page without previews ${longs(a)}; program inline ${longs(inline)}; cart page ${longs(b)}.`);
  md.push('', 'The widget sets User Timing marks `rewards:launcher` (launcher shown), `rewards:ui` (UI chunk and widget.css loaded), `rewards:engine` (Engine built), `rewards:first-render` (first numbers) and exposes the same milestones in `Rewards.timings` (ms since its first statement). The bench ends its window at its own `bench:end` mark. A task that also runs the page\'s own script, or the document\'s parsing and DOMContentLoaded/load dispatch, counts only for the widget events inside it.');

  const longest = Math.max(...results.map((r) => r.trace.longest_widget_task_ms.max));
  const toLauncher = (r, how) => {
    const m = r.trace.widget_main_ms.median;
    return { figure: `main-thread time, script start → launcher ready, ${how}, 4× throttle (median, traced widget tasks)`, budget: '≤ 10 ms', value: `${m} ms`, met: m <= 10, over_by: round(Math.max(0, m - 10), 2) };
  };
  const budgets = [
    toLauncher(a, 'program fetched (data-config)'),
    toLauncher(inline, 'program inline (data-config-json)'),
    { figure: 'no widget task > 50 ms during load (max over all pages, all traced loads)', budget: '≤ 50 ms', value: `${longest} ms`, met: longest <= 50, over_by: round(Math.max(0, longest - 50), 2) },
  ];
  return {
    title: 'Main-thread cost at load',
    commands: [`scripts/bench.sh mainthread --loads ${loads}`, 'node www/tests/bench-mount.mjs 20   # the widget helper\'s earlier probe (Rewards.timings + V8 sampling), ×1 and ×4'],
    method: 'Playwright (playwright-core) driving /usr/bin/chromium; CDP Emulation.setCPUThrottlingRate {rate: 4}; CDP Tracing via browser.startTracing with categories ' + CATEGORIES.join(', ') + '; see the header of bench/sections/mainthread.mjs for how tasks are attributed.',
    figures: { throttle: 4, loads, pages: results },
    budgets,
    markdown: md.join('\n'),
  };
}
