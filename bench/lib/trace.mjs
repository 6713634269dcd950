// Chromium trace helpers shared by the main-thread section
// (bench/sections/mainthread.mjs) and the A/B probe www/tests/bench-mount.mjs:
// which trace events are the widget's, which are the page's own script, and
// interval unions for overlapping events.

/** The widget's URLs: the loader, everything it loads from /assets/, its wasm functions. */
export const OURS = /\/rewards\.js(\?|$)|\/assets\/|^wasm:/;

/** The event runs or names widget code. (The bench pages run classic scripts
 * only, so every module evaluation is the widget's UI chunk.) */
export function refersToOurs(e) {
  const a = e.args || {};
  const d = a.data || {};
  const info = a.animation_frame_script_timing_info || {};
  if (e.name === 'v8.evaluateModule') return true;
  return [d.url, a.url, a.fileName, info.source_location_url, d.stackTrace && d.stackTrace[0] && d.stackTrace[0].url].some((u) => u && OURS.test(u));
}

/** A wasm compile or instantiate event (only the widget loads wasm). */
export const isWasm = (e) => (e.cat || '').includes('v8.wasm');

/** The page's own script running: a script or module of the page, or a call into it. */
export function pageScript(e) {
  const d = (e.args && e.args.data) || {};
  return /^(EvaluateScript|FunctionCall|v8\.compileModule|v8\.evaluateModule)$/.test(e.name) && !!d.url && !OURS.test(d.url);
}

/** The document's own parsing or lifecycle work: HTML parsing, or the browser dispatching
 * DOMContentLoaded / readystatechange / load (a task that does this also lays out the page;
 * a widget listener called in it is only part of it). */
export function pageWork(e) {
  const type = e.args && e.args.data && e.args.data.type;
  return e.name === 'ParseHTML' || (e.name === 'EventDispatch' && /^(DOMContentLoaded|readystatechange|load)$/.test(type || ''));
}

/** Total length of the union of [start, end) intervals (µs). */
export function unionUs(intervals) {
  let total = 0;
  let cur = null;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (!cur || a > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    } else cur[1] = Math.max(cur[1], b);
  }
  return total + (cur ? cur[1] - cur[0] : 0);
}
