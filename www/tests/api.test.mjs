// The public JS API: the command queue, events, open/close, live cart and
// locale changes, SPA navigation, redemptions (event, and with a server
// the voucher code); voucher:apply with respondWith runs on the real server
// (issue14-apply.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors, sleep } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const earn = (page) => page.evaluate(() => {
  const e = document.querySelector('rewards-checkout-prompt') && document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]');
  return e ? { value: Number(e.dataset.value), text: e.textContent } : null;
});

test('queue: commands pushed before load replay in order; push after load runs at once; on/off', async () => {
  const page = await env.page();
  await page.goto(env.url('/tests/fixtures/pages/spa.html'));
  await ready(page);
  assert.deepEqual(await page.evaluate(() => window.__log), ['fn:function', 'ready:vi']);
  await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]'));
  assert.equal((await earn(page)).value, 35, '5 points + 30 first-order bonus for 55,000 ₫');

  await page.evaluate(() => {
    window.__count = 0;
    window.__fn = () => window.__count++;
    Rewards.on('cart:updated', window.__fn);
    Rewards.push(['setCart', { currency: 'VND', lines: [{ id: 'a', product_type: 'Cà phê', quantity: 3, unit_price: 55000 }] }]);
    Rewards.off('cart:updated', window.__fn);
    Rewards.setCart({ currency: 'VND', lines: [] });
  });
  assert.equal(await page.evaluate(() => window.__count), 1, 'off() stops the listener');
  await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').shadowRoot.textContent.includes('Thêm sản phẩm'));
  await page.evaluate(() => Rewards.push(['noSuchCommand']));
  assert.ok(page.consoleMessages.some((m) => m.text.includes('unknown command "noSuchCommand"')));
  const t = await page.evaluate(() => Rewards.timings);
  for (const k of ['start', 'config', 'launcher', 'ui', 'engine', 'firstRender']) assert.equal(typeof t[k], 'number', 'timing ' + k);
  assert.deepEqual(await pageErrors(page), []);
});

test('a page without numbers loads only the loader and the CSS; the UI and wasm come on intent, once', async () => {
  env.server.reset();
  const page = await env.page();
  await page.goto(env.url('/tests/fixtures/pages/plain.html'));
  await page.evaluate(
    () =>
      new Promise((done) => {
        const s = document.createElement('script');
        s.src = '/rewards.js';
        s.dataset.config = '/demo/programs/vn-coffee.json';
        s.onload = done;
        document.head.append(s);
      }),
  );
  await ready(page);
  await page.waitForTimeout(500);
  const heavy = () => env.server.requests.filter((r) => /\/assets\/(ui-|engine)/.test(r.path)).map((r) => r.path.replace(/-[\w]+\.(js|wasm)$/, '.$1'));
  assert.deepEqual(heavy(), [], 'no UI chunk, no wasm yet');
  await page.hover('.rw-launcher');
  await page.waitForFunction(() => Rewards.timings.engine != null);
  await page.click('.rw-launcher');
  await page.waitForSelector('dialog.rw-panel[open] .rw-section');
  await page.keyboard.press('Escape');
  await page.evaluate(() => Rewards.open('popup'));
  await page.waitForSelector('dialog.rw-popup[open]');
  const loaded = heavy();
  assert.equal(loaded.filter((p) => p.endsWith('.wasm')).length, 1, 'wasm fetched once');
  assert.equal(loaded.filter((p) => p === '/assets/ui.js').length, 1);
  assert.deepEqual(await pageErrors(page), []);
});

test('open/close each surface from the API, with events', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/'));
  await ready(page);
  await page.evaluate(() => {
    window.__ev = [];
    for (const n of ['explainer:opened', 'explainer:closed', 'popup:shown', 'popup:dismissed']) Rewards.on(n, (d) => window.__ev.push(n + ':' + (d.reason || d.trigger || '')));
  });
  // The merchant's text override for the launcher (config texts.vi.launcher).
  assert.equal(await page.locator('.rw-launcher').textContent(), 'Ưu đãi');
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('dialog.rw-panel[open] .rw-section');
  await page.evaluate(() => Rewards.close('explainer'));
  await page.waitForFunction(() => !document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-panel'));
  await page.evaluate(() => Rewards.open('popup'));
  await page.waitForSelector('dialog.rw-popup[open]');
  await page.evaluate(() => Rewards.close('popup'));
  await page.waitForFunction(() => !document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-popup'));
  assert.deepEqual(await page.evaluate(() => window.__ev), ['explainer:opened:', 'explainer:closed:api', 'popup:shown:manual', 'popup:dismissed:api']);
  assert.deepEqual(await pageErrors(page), []);
});

test('SPA: a route change and a swapped body keep the widget working; locale switches live', async () => {
  const page = await env.page();
  await page.goto(env.url('/tests/fixtures/pages/spa.html'));
  await ready(page);
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('rewards:visit') || '{}').pages === 1);
  await page.evaluate(() => go('/tests/fixtures/pages/gio-hang', '<h1>Giỏ hàng</h1><rewards-checkout-prompt></rewards-checkout-prompt>'));
  await page.waitForFunction(() => {
    const e = document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]');
    return e && e.dataset.value === '35';
  });
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('rewards:visit')).pages === 2);
  assert.equal(await page.evaluate(() => document.querySelectorAll('rewards-widget').length), 1);
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('dialog.rw-panel[open] .rw-section');
  await page.keyboard.press('Escape');

  await page.evaluate(() => Rewards.setLocale('en'));
  await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]').textContent === 'Earn 35 points with this order');
  await page.goBack();
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('rewards:visit')).pages === 3);
  assert.deepEqual(await pageErrors(page), []);
});

test('redemptions: for a page-provided shopper, choosing emits redemption:chosen (with a token the server issues a code: vouchers.test.mjs)', async () => {
  env.server.reset();
  const page = await env.page();
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-hat-robusta'));
  await page.selectOption('#variant', '500');
  await page.click('#add');
  await page.click('#add');
  await page.goto(env.url('/demo/vi/cart.html'));
  await ready(page);
  await page.evaluate(() => {
    window.__chosen = [];
    Rewards.on('redemption:chosen', (d) => window.__chosen.push(d));
    Rewards.on('redemption:voucher', (d) => window.__chosen.push(d));
  });
  // A page-provided shopper (no token): the choice is an event for the page.
  await page.selectOption('#demo-shopper', 'silver');
  await page.waitForSelector('rewards-checkout-prompt .rw-pr-actions button');
  await page.click('rewards-checkout-prompt .rw-pr-actions button');
  await page.waitForSelector('rewards-checkout-prompt .rw-redeem:not([hidden])');
  const select = page.locator('rewards-checkout-prompt select.rw-select');
  await select.selectOption('500');
  await page.locator('rewards-checkout-prompt .rw-opt').first().getByRole('button').click();
  await page.waitForFunction(() => window.__chosen.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__chosen[0]), { id: 'giam-tien', kind: 'amount_off', name: 'Giảm tiền trực tiếp', points: 500, discount: 50000, currency: 'VND' });
  assert.match(await page.locator('rewards-checkout-prompt .rw-voucher').textContent(), /Đã chọn: Giảm tiền trực tiếp/);
  assert.equal(env.server.requests.filter((r) => r.path.endsWith('/api/redeem')).length, 0, 'no server involved');
  assert.deepEqual(await pageErrors(page), []);
});
