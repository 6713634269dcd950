// Shared browser-test plumbing: Debian's Chromium through playwright-core,
// one static+stub server per test file, error capture, axe-core, shadow-DOM
// reads and screenshots.

import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startServer } from './serve.mjs';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = join(repo, 'reports/screenshots');
const AXE = readFileSync(join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
/** Debian Chromium's launch flags on these machines (TOOLCHAIN.md). */
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium, headless, with the flags above. */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
}

/** One browser + server for a test file: `const env = await setup(); … await env.close()`. */
export async function setup() {
  const server = await startServer();
  const browser = await launchChromium();
  return {
    server,
    browser,
    url: (path) => server.url + path,
    page: (options) => newPage(browser, options),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh context (empty storage) and page on `browser`, with error capture. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(Object.assign({ viewport: { width: 1280, height: 900 }, locale: 'en-US' }, options));
  const page = await context.newPage();
  page.errors = [];
  page.consoleMessages = [];
  page.on('pageerror', (e) => page.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => page.consoleMessages.push({ type: m.type(), text: m.text() }));
  // What reached the page's own handlers: the widget must never get here.
  await page.addInitScript(() => {
    window.__pageErrors = [];
    window.addEventListener('error', (e) => window.__pageErrors.push('error: ' + (e.message || (e.target && e.target.src) || e.type)), true);
    window.addEventListener('unhandledrejection', (e) => window.__pageErrors.push('unhandledrejection: ' + (e.reason && e.reason.message ? e.reason.message : String(e.reason))));
  });
  return page;
}

/** Errors that reached window.onerror / unhandledrejection, plus uncaught page errors. */
export async function pageErrors(page) {
  const inPage = await page.evaluate(() => window.__pageErrors || []).catch(() => []);
  return [...page.errors, ...inPage];
}

/** Waits until the widget has started: the launcher is shown (`ready`) and
 * the loader chunk has set up the API, the elements and the popup triggers
 * (`timings.loader`). */
export async function ready(page) {
  await page.waitForFunction(() => window.Rewards && !Array.isArray(window.Rewards) && window.Rewards.timings.launcher != null && window.Rewards.timings.loader != null, null, { timeout: 10000 });
}

/** Text of `selector` inside the shadow root of the first `host`. */
export function shadowText(page, host, selector) {
  return page.evaluate(
    ([h, s]) => {
      const el = document.querySelector(h);
      const t = el && el.shadowRoot && el.shadowRoot.querySelector(s);
      return t ? t.textContent : null;
    },
    [host, selector],
  );
}

/** Runs axe-core on the whole page (shadow roots included). */
export async function axe(page, context) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  // Through the debugger, not a <script>: pages whose CSP allows no inline script (the console) are checked too.
  if (!has) await page.evaluate(AXE);
  return page.evaluate(async (ctx) => {
    const r = await window.axe.run(ctx || document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + ' — ' + n.failureSummary).slice(0, 5) }));
  }, context || null);
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + '.png') });
}

/** Evaluates the core directly in the page, with the same wasm build. */
export async function coreEval(page, programUrl, fn, args) {
  return page.evaluate(
    async ([programUrl, fnText, args]) => {
      const m = await import('/dist/pkg/rewards_wasm.js');
      await m.default({ module_or_path: '/dist/pkg/rewards_wasm_bg.wasm' });
      const { makeEncoder } = await import('/src/ui/wire-encode.js');
      const { jsonEngines } = await import('/tests/engine-json.mjs');
      const doc = await (await fetch(programUrl)).json(); // a published program
      // Called with JSON texts (tests/engine-json.mjs).
      const engine = jsonEngines(makeEncoder, m)(new m.Engine(Uint8Array.from(atob(doc.engine), (c) => c.charCodeAt(0))));
      // eslint-disable-next-line no-new-func
      return new Function('engine', 'args', 'return (' + fnText + ')(engine, args)')(engine, args);
    },
    [programUrl, fn.toString(), args],
  );
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Moves the real pointer out of the viewport through the top edge. */
export async function leaveThroughTop(page, x = 640) {
  await page.mouse.move(x, 300);
  await page.mouse.move(x, 40, { steps: 4 });
  await page.mouse.move(x, 2, { steps: 2 });
  await page.mouse.move(x, -20);
}

export function popupOpen(page) {
  return page.evaluate(() => {
    const host = document.querySelector('rewards-widget');
    const d = host && host.shadowRoot.querySelector('dialog.rw-popup');
    return !!(d && d.open);
  });
}
