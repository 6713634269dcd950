// Pages that make life hard, where a test needs more than the matrix checks
// (hostile-matrix.test.mjs): a strict CSP without 'wasm-unsafe-eval' with the
// server's numbers compared to the engine's, the wasm with a wrong content
// type, a late load with a queued listener. Nothing may reach window.onerror.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors, sleep } from './helpers.mjs';
import { nodeEngine } from './serve.mjs';

let env;
let engineFor;
before(async () => {
  env = await setup();
  engineFor = await nodeEngine();
});
after(() => env.close());

const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; require-trusted-types-for 'script'; trusted-types 'none'";
const CSP_CART = {
  currency: 'VND',
  lines: [
    { id: 'a', product_id: 'ca-phe-sua-da', product_type: 'Cà phê', quantity: 2, unit_price: 45000 },
    { id: 'b', product_id: 'ca-phe-hat-robusta', product_type: 'Cà phê hạt', quantity: 1, unit_price: 165000 },
  ],
};

test('strict CSP without wasm-unsafe-eval: the server engine takes over with the same numbers; no page errors', async () => {
  env.server.reset();
  env.server.headers.set('/tests/fixtures/pages/csp.html', { 'content-security-policy': STRICT_CSP });
  const page = await env.page();
  await page.goto(env.url('/tests/fixtures/pages/csp.html'));
  await ready(page);
  const expected = JSON.parse(engineFor('vn-coffee').run('quote', '', JSON.stringify(CSP_CART), Date.now()));
  await page.waitForFunction((points) => {
    const e = document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]');
    return e && Number(e.dataset.value) === points;
  }, expected.preview.total_points);
  await page.waitForFunction(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]'));
  assert.equal(await page.evaluate(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]').dataset.value), '4');
  assert.ok(env.server.engineCalls.some((c) => c.op === 'quote'), 'previews came from POST /api/engine/quote');
  assert.deepEqual(await pageErrors(page), []);
  const warnings = page.consoleMessages.filter((m) => m.text.startsWith('[Rewards]'));
  assert.equal(warnings.length, 1, 'one clear console message');
  assert.match(warnings[0].text, /wasm-unsafe-eval/);
  // Styled despite style-src 'self' (constructable stylesheets).
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher')).backgroundColor);
  assert.equal(bg, 'rgb(29, 92, 74)');
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('dialog.rw-panel[open] .rw-section');
  assert.deepEqual(await pageErrors(page), []);
});

test('strict CSP and no API: one console message, the widget steps aside, no page errors', async () => {
  env.server.reset();
  env.server.headers.set('/tests/fixtures/pages/csp-noapi.html', { 'content-security-policy': STRICT_CSP });
  const page = await env.page();
  await page.addInitScript(() => {
    window.Rewards = [['on', 'error', (e) => (window.__errorEvents = (window.__errorEvents || []).concat(e.what))]];
  });
  await page.goto(env.url('/tests/fixtures/pages/csp-noapi.html'));
  await ready(page);
  await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').hidden);
  assert.deepEqual(await page.evaluate(() => window.__errorEvents), ['rewards engine'], 'an error event for the page');
  await sleep(300);
  const ours = page.consoleMessages.filter((m) => m.text.startsWith('[Rewards]'));
  assert.equal(ours.length, 1);
  assert.match(ours[0].text, /wasm-unsafe-eval.*no data-api/);
  assert.equal(await page.evaluate(() => document.querySelector('rewards-product-points').hidden), true);
  assert.equal(await page.evaluate(() => !!document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher')), false, 'launcher removed');
  assert.deepEqual(await pageErrors(page), []);
  assert.equal(env.server.engineCalls.length, 0);
});

test('wasm served with the wrong content type still loads (arrayBuffer fallback)', async () => {
  env.server.reset();
  env.server.wasmType = 'application/octet-stream';
  const page = await env.page();
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-trung'));
  await ready(page);
  await page.waitForFunction(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]'));
  assert.equal(env.server.engineCalls.length, 0, 'computed in the browser');
  assert.equal(env.server.requests.filter((r) => r.path.endsWith('.wasm')).length, 1, 'fetched once');
  assert.deepEqual(await pageErrors(page), []);
});

// Hostile CSS, patched globals, the script twice, a taken window.Rewards or
// element name: one fixture page per attack in www/tests/hostile/, run by
// hostile-matrix.test.mjs.

test('loaded late, after the load event, with a queued command', async () => {
  const page = await env.page();
  await page.goto(env.url('/tests/fixtures/pages/plain.html'));
  await page.evaluate(
    () =>
      new Promise((done) => {
        window.Rewards = [];
        Rewards.push(['on', 'ready', (d) => (window.__ready = d)]);
        const s = document.createElement('script');
        s.src = '/rewards.js';
        s.dataset.config = '/demo/programs/vn-coffee.json';
        s.onload = done;
        document.body.append(s);
      }),
  );
  await ready(page);
  // <html lang="en"> and the program offers English: English it is.
  assert.deepEqual(await page.evaluate(() => window.__ready), { version: await page.evaluate(() => Rewards.version), locale: 'en' });
  assert.deepEqual(await pageErrors(page), []);
});
