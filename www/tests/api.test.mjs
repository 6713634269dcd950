// The public JS API: the command queue, events, open/close, live cart and
// locale changes, SPA navigation, redemptions (event, and with a server
// the voucher code), voucher:apply with respondWith.
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

test('issue 14: voucher:apply — without a listener the code is to be entered at checkout; respondWith decides applied or refused', async () => {
  env.server.reset();
  const voucher = (code) => ({ code, status: 'unused', kind: 'amount_off', source: 'redemption', redemption_id: 'giam-tien', points: 100, discount: 10000, currency: 'VND', issued_at: '2026-11-01T00:00:00Z', status_at: null, order_id: null, voided_reason: null });
  env.server.shoppers.set('tok-codes', { member: true, balance: 40, signed_up: true, email: 'c@example.vn', vouchers: [voucher('RW-AAAA-AAAA-AAAA'), voucher('RW-BBBB-BBBB-BBBB')] });
  const page = await env.page();
  await page.goto(env.url('/tests/fixtures/pages/spa.html'));
  await ready(page);
  await page.evaluate(() => Rewards.setShopperToken('tok-codes'));
  const hint = (code) => page.locator(`rewards-checkout-prompt .rw-vc[data-code="${code}"] .rw-vc-hint`);
  await page.waitForSelector('rewards-checkout-prompt .rw-vcs');
  // No listener: no Apply button, and the prompt says where the code goes.
  assert.equal(await page.locator('rewards-checkout-prompt .rw-vc button.rw-primary').count(), 0);
  assert.match(await page.locator('rewards-checkout-prompt .rw-vcs').textContent(), /Nhập mã vào ô mã giảm giá khi thanh toán\./);

  // A listener that takes one code and refuses the other.
  await page.evaluate(() => {
    window.__asked = [];
    Rewards.on('voucher:apply', (v) => {
      window.__asked.push([v.code, v.discount, v.currency]);
      v.respondWith(new Promise((r) => setTimeout(() => r(v.code === 'RW-AAAA-AAAA-AAAA'), 50)));
    });
    Rewards.on('voucher:applied', (v) => window.__asked.push(['applied', v.code]));
    Rewards.setCart({ currency: 'VND', lines: [{ id: 'a', product_type: 'Cà phê', quantity: 1, unit_price: 55000 }] });
  });
  const apply = (code) => page.locator(`rewards-checkout-prompt .rw-vc[data-code="${code}"] button.rw-primary`);
  await apply('RW-AAAA-AAAA-AAAA').click();
  await hint('RW-AAAA-AAAA-AAAA').filter({ hasText: 'Đã áp dụng cho đơn này.' }).waitFor();
  assert.equal(await apply('RW-AAAA-AAAA-AAAA').isHidden(), true, 'no second Apply once applied');
  await apply('RW-BBBB-BBBB-BBBB').click();
  await hint('RW-BBBB-BBBB-BBBB').filter({ hasText: 'Cửa hàng chưa nhận mã này' }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__asked), [['RW-AAAA-AAAA-AAAA', 10000, 'VND'], ['applied', 'RW-AAAA-AAAA-AAAA'], ['RW-BBBB-BBBB-BBBB', 10000, 'VND']]);
  // The page's cart naming its codes keeps them shown as applied after a re-render.
  await page.evaluate(() => Rewards.setCart({ currency: 'VND', discount: 10000, discount_codes: ['rw-bbbb-bbbb-bbbb'], lines: [{ id: 'a', product_type: 'Cà phê', quantity: 1, unit_price: 55000 }] }));
  await hint('RW-BBBB-BBBB-BBBB').filter({ hasText: 'Đã áp dụng cho đơn này.' }).waitFor();
  assert.deepEqual(await pageErrors(page), []);
});
