// The hostile-host-page matrix (issue 6): every page in www/tests/hostile/
// loads the widget the way a merchant would (one script tag) and attacks it
// one way. For each page:
//   errors  — nothing reaches window.onerror / unhandledrejection, and no
//             CSP / Trusted Types violation but the detected wasm compile;
//   globals — at most one global added (window.Rewards), counted against the
//             same page loaded with an empty rewards.js;
//   widget  — renders (launcher on screen, clickable, the explainer opens, the
//             cart's points and the product's points are the core's numbers)
//             or steps aside, with exactly the expected console messages;
//   host    — the page's own button still counts clicks.
// A table of pages × checks is printed at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, ready, pageErrors, sleep } from './helpers.mjs';
import { nodeEngine } from './serve.mjs';

// The cart host.js gives the widget, and the product on every page.
const CART = {
  currency: 'USD',
  lines: [
    { id: 'socks', product_id: 'merino-hiker-sock', product_type: 'Socks', quantity: 2, unit_price: 1800 },
    { id: 'tee', product_id: 'trail-tee', product_type: 'Shirts', quantity: 1, unit_price: 3500 },
  ],
};
const SOCK = { product_id: 'merino-hiker-sock', product_type: 'Socks', quantity: 1, unit_price: 1800 };

// expect: 'render' (default) or 'aside'. messages: the [Rewards] console
// messages expected, in order (default none). product: false when the page
// owns <rewards-product-points>. spa: navigate by swapping the body first.
const PAGES = [
  { file: 'all-unset.html', attack: '* { all: unset !important }' },
  { file: 'display-none.html', attack: 'div, button { display: none !important }' },
  { file: 'z-index.html', attack: 'max z-index overlays over the launcher corner' },
  { file: 'zoom.html', attack: 'html { zoom: 200% }' },
  { file: 'rtl.html', attack: '<html dir=rtl lang=ar>' },
  { file: 'quirks.html', attack: 'quirks mode (no doctype)' },
  { file: 'base-href.html', attack: '<base href> on another origin' },
  { file: 'prototypes.html', attack: 'Object/Array.prototype additions, Array.prototype.toJSON' },
  { file: 'fetch.html', attack: 'replaced fetch' },
  { file: 'json-parse.html', attack: 'replaced JSON.parse / JSON.stringify' },
  { file: 'promise.html', attack: 'replaced Promise (non-native polyfill)' },
  { file: 'define.html', attack: 'replaced customElements.define (deferred)' },
  { file: 'csp-nonce.html', attack: "nonce-only CSP, no 'wasm-unsafe-eval', data-api", messages: [/wasm-unsafe-eval.*using the server/] },
  { file: 'csp-nonce-noapi.html', attack: "nonce-only CSP, no 'wasm-unsafe-eval', no server", expect: 'aside', messages: [/wasm-unsafe-eval.*no data-api/] },
  { file: 'trusted-types.html', attack: "require-trusted-types-for 'script'" },
  { file: 'rewards-global.html', attack: 'window.Rewards already defined', expect: 'aside', messages: [/already used by this page/] },
  { file: 'element-names.html', attack: '<rewards-product-points> already defined', product: false, messages: [/<rewards-product-points> is already defined/] },
  { file: 'twice.html', attack: 'script tag included twice' },
  { file: 'late.html', attack: 'loaded 300 ms after load' },
  { file: 'spa-replace.html', attack: 'SPA: document.body.replaceWith', spa: true },
  { file: 'spa-innerhtml.html', attack: 'SPA: document.body.innerHTML', spa: true },
  { file: 'spa-document.html', attack: 'SPA: <html> children replaced (head, body)', spa: true },
];

let env;
let expected;
const rows = [];
before(async () => {
  env = await setup();
  const engine = (await nodeEngine())('us-apparel');
  const now = Date.now();
  expected = {
    cart: JSON.parse(engine.run('quote', '', JSON.stringify(CART), now)).preview.total_points,
    product: JSON.parse(engine.run('product_points', '', JSON.stringify(SOCK), now)).total_points,
  };
  assert.ok(expected.cart > 0 && expected.product > 0, 'the fixture cart earns points: ' + JSON.stringify(expected));
});
after(async () => {
  printTable();
  await env.close();
});

/** A page with the widget (or, `withWidget: false`, with an empty rewards.js) and its global snapshot. */
async function open(file, { withWidget }) {
  env.server.reset();
  // The stub server's /api/engine runs the program the pages load.
  env.server.program = 'us-apparel';
  const page = await env.page();
  await page.addInitScript(() => {
    window.__keys0 = Object.getOwnPropertyNames(window);
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));
  });
  // base-href.html needs absolute URLs: %ORIGIN% is this server.
  await page.route('**/tests/hostile/*.html*', async (route) => {
    const response = await route.fetch();
    route.fulfill({ response, body: (await response.text()).replaceAll('%ORIGIN%', env.server.url) });
  });
  if (!withWidget) await page.route('**/rewards.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
  await page.goto(env.url('/tests/hostile/' + file));
  return page;
}

const addedGlobals = (page) =>
  page.evaluate(() => {
    const before = new Set(window.__keys0);
    return Object.getOwnPropertyNames(window).filter((n) => !before.has(n) && n !== '__keys0' && n !== '__violations');
  });

const ours = (page) => page.consoleMessages.filter((m) => m.text.startsWith('[Rewards]')).map((m) => m.text);

/** The page's own button still counts (a real click, so nothing may cover it). */
async function hostWorks(page) {
  const before = Number(await page.locator('#host-count').textContent());
  await page.locator('#host-btn').click({ timeout: 3000 });
  await page.waitForFunction((n) => Number(document.getElementById('host-count').textContent) === n + 1, before, { timeout: 3000 });
}

/** Numbers in the shadow root of the first `host` element, as `[data-rw=key]` data-value. */
function waitValue(page, host, key, value) {
  return page.waitForFunction(
    ([host, key, value]) => {
      const el = document.querySelector(host);
      const v = el && el.shadowRoot && el.shadowRoot.querySelector(`[data-rw=${key}]`);
      return v && Number(v.dataset.value) === value;
    },
    [host, key, value],
    { timeout: 10000 },
  );
}

/** The number is laid out and visible, in an element that keeps its reserved height. */
async function visible(page, selector, minHostHeight) {
  const number = page.locator(selector);
  assert.ok(await number.evaluate((e) => e.checkVisibility({ visibilityProperty: true, opacityProperty: true })), selector + ' is visible');
  const box = await number.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, selector + ' has a size: ' + JSON.stringify(box));
  const host = await page.locator(selector.split(' ')[0]).boundingBox();
  assert.ok(host && host.height >= minHostHeight, selector.split(' ')[0] + ' keeps its height: ' + JSON.stringify(host));
}

/** The launcher is on screen, on top, clickable, and opens the explainer. */
async function launcherWorks(page) {
  const launchers = await page.evaluate(() => [...document.querySelectorAll('rewards-widget')].map((w) => w.shadowRoot.querySelectorAll('.rw-launcher').length));
  assert.deepEqual(launchers, [1], 'one widget host with one launcher');
  const box = await page.locator('rewards-widget .rw-launcher').boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box && box.width >= 44 && box.height >= 44, 'launcher has a size: ' + JSON.stringify(box));
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, 'launcher inside the viewport: ' + JSON.stringify(box));
  // Styled by its own sheet whatever the page's CSS says (the default brand colour).
  assert.equal(await page.locator('rewards-widget .rw-launcher').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(29, 92, 74)');
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  // Where the page's content sits under it (zoom 200%: the checkout prompt), the launcher has stepped
  // aside for it (loader/clearance.js: transparent, out of the pointer's way); focused, it is back.
  if (await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launch').classList.contains('rw-tucked'))) {
    await page.locator('rewards-widget .rw-launcher').focus();
  }
  assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x, y).localName, [x, y]), 'rewards-widget', 'nothing covers the launcher');
  await page.mouse.click(x, y);
  await page.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-section', { timeout: 10000 });
  const panel = await page.locator('rewards-widget dialog.rw-panel').boundingBox();
  assert.ok(panel && panel.width >= 280 && panel.height >= 300, 'the explainer is laid out: ' + JSON.stringify(panel));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-panel[open]'));
}

async function rendered(page, spec) {
  await ready(page);
  if (spec.spa) {
    await waitValue(page, 'rewards-checkout-prompt', 'earn', expected.cart);
    await page.locator('#nav').click();
    await page.waitForSelector('#page-2');
  }
  await waitValue(page, 'rewards-checkout-prompt', 'earn', expected.cart);
  await visible(page, 'rewards-checkout-prompt [data-rw=earn]', 100);
  if (spec.product !== false) {
    await waitValue(page, 'rewards-product-points', 'points', expected.product);
    await visible(page, 'rewards-product-points [data-rw=points]', 20);
  } else assert.equal(await page.locator('rewards-product-points').textContent(), 'Theme points: 36', "the page's own element is left alone");
  await launcherWorks(page);
}

async function steppedAside(page, spec) {
  const deadline = Date.now() + 10000;
  while (ours(page).length < spec.messages.length && Date.now() < deadline) await sleep(50);
  await sleep(500); // anything still to come would show now
  const state = await page.evaluate(() => ({
    launchers: [...document.querySelectorAll('rewards-widget')].reduce((n, w) => n + w.shadowRoot.querySelectorAll('.rw-launcher').length, 0),
    numbers: [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')].filter((el) => !el.hidden && el.shadowRoot && el.shadowRoot.querySelector('[data-rw]')).length,
  }));
  assert.deepEqual(state, { launchers: 0, numbers: 0 }, 'no launcher and no numbers left on the page');
}

for (const spec of PAGES) {
  test(`${spec.file}: ${spec.attack}`, async () => {
    const row = { file: spec.file, attack: spec.attack, errors: '—', globals: '—', widget: '—', host: '—' };
    rows.push(row);
    const check = async (key, label, fn) => {
      try {
        const got = await fn();
        row[key] = got === undefined ? label : got;
      } catch (e) {
        row[key] = 'FAIL';
        throw e;
      }
    };

    // The same page without the widget: the globals the page makes itself.
    const bare = await open(spec.file, { withWidget: false });
    await bare.waitForLoadState('load');
    await sleep(spec.file === 'late.html' ? 600 : 200);
    if (spec.spa) {
      await bare.locator('#nav').click();
      await bare.waitForSelector('#page-2');
    }
    const pageOwn = new Set(await addedGlobals(bare));
    await bare.context().close();

    const page = await open(spec.file, { withWidget: true });
    try {
      const expect = spec.expect || 'render';
      await check('widget', expect === 'render' ? 'rendered' : 'stepped aside', async () => {
        if (expect === 'render') await rendered(page, spec);
        else await steppedAside(page, spec);
        const messages = ours(page);
        const want = spec.messages || [];
        assert.equal(messages.length, want.length, 'console messages: ' + JSON.stringify(messages));
        want.forEach((re, i) => assert.match(messages[i], re));
      });
      await check('host', 'works', () => hostWorks(page));
      await check('globals', '', async () => {
        const extra = (await addedGlobals(page)).filter((n) => !pageOwn.has(n));
        assert.ok(extra.length <= 1 && extra.every((n) => n === 'Rewards'), 'globals added by the widget: ' + JSON.stringify(extra));
        return extra.length ? '+' + extra.join(',') : '+0';
      });
      if (spec.file === 'rewards-global.html') assert.equal(await page.evaluate(() => window.Rewards.theirs === true && window.Rewards.track()), 'tracked', "the page's Rewards is untouched");
      await check('errors', '0', async () => {
        assert.deepEqual(await pageErrors(page), []);
        // CSP and Trusted Types: the only thing refused is the wasm compile the widget detects.
        const violations = await page.evaluate(() => window.__violations.filter((v) => !/^script-src wasm-eval$/.test(v)));
        assert.deepEqual(violations, [], 'CSP / Trusted Types violations');
      });
    } finally {
      await page.context().close();
    }
  });
}

test('stringify: page-added toJSON methods (Prototype.js) change nothing and are put back', async () => {
  const source = readFileSync(new URL('../src/loader/json.js', import.meta.url));
  const { stringify } = await import('data:text/javascript;base64,' + source.toString('base64'));
  const mine = function () {
    return '[' + Array.prototype.map.call(this, (v) => JSON.stringify(v)).join(', ') + ']';
  };
  Array.prototype.toJSON = mine;
  try {
    const value = { lines: [{ quantity: 2, tags: ['a'] }], total: 5 };
    assert.equal(JSON.stringify(value), String.raw`{"lines":"[{\"quantity\":2,\"tags\":\"[\\\"a\\\"]\"}]","total":5}`, 'the attack is real');
    assert.equal(stringify(value), '{"lines":[{"quantity":2,"tags":["a"]}],"total":5}');
    assert.equal(Array.prototype.toJSON, mine, 'put back');
    assert.ok(Object.prototype.propertyIsEnumerable.call(Array.prototype, 'toJSON'), 'with its enumerability');
  } finally {
    delete Array.prototype.toJSON;
  }
});

function printTable() {
  const cols = [
    ['page', (r) => r.file],
    ['attack', (r) => r.attack],
    ['errors', (r) => r.errors],
    ['globals', (r) => r.globals],
    ['widget', (r) => r.widget],
    ['host', (r) => r.host],
  ];
  const passed = rows.filter((r) => ![r.errors, r.globals, r.widget, r.host].some((v) => v === 'FAIL' || v === '—')).length;
  const width = cols.map(([h, f]) => Math.max(h.length, ...rows.map((r) => String(f(r)).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(width[i])).join('  ');
  const out = ['', 'hostile host pages × checks', line(cols.map(([h]) => h)), line(width.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(line(cols.map(([, f]) => f(r))));
  out.push(`${passed}/${rows.length} pages passed every check (${PAGES.length} attacks)`, '');
  process.stdout.write(out.join('\n') + '\n');
}
