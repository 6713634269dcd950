// Issue 14, part 5: cashback says where the credit goes, and the explainer
// shows the signed-in shopper's store credit. Against the real server
// (`rewards-demo demo`, SQLite): GET /api/shopper's store_credit is the
// cashback of the customer's orders net of refunds (pending like points),
// and an order placed at the demo checkout adds its cashback to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, screenshot } from './helpers.mjs';
import { signedInCart, startRealEnv } from './real-server.mjs';

let server, browser, close;
before(async () => ({ server, browser, close } = await startRealEnv()));
after(() => close());

const vnd = (n) => new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(n).replace(/\s/g, ' ');
const enVnd = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'VND' }).format(n).replace(/\s/g, ' ');
const flat = (s) => (s || '').replace(/\s/g, ' ');
const shopperVia = (p) =>
  p.evaluate(async () => {
    const t = await (await fetch('/demo/token?customer_id=demo-1')).json();
    return (await fetch('/api/shopper', { headers: { authorization: 'Bearer ' + t.token } })).json();
  });

async function explainer(p) {
  await p.evaluate(() => Rewards.open('explainer'));
  await p.waitForSelector('rewards-widget dialog.rw-panel[open] [data-rw=credit]');
  return p.evaluate(() => {
    const root = document.querySelector('rewards-widget').shadowRoot;
    const pending = root.querySelector('[data-rw=credit-pending]');
    return { credit: root.querySelector('[data-rw=credit]').textContent + (pending ? ' / ' + pending.textContent : ''), earn: root.querySelector('#rw-s-earn').parentElement.textContent };
  });
}

test('issue 14: cashback says it is store credit for the next order, and the explainer shows the store credit the server holds', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'vi-VN' });
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.addInitScript(() => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() })));
  // The demo's signed-in customer (demo-1, with 90 days of orders) and a 500 g bag of beans.
  await signedInCart(p, server.vi);

  // The prompt: this order's cashback, and where it goes.
  const extras = flat(await p.evaluate(() => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('.rw-extras').textContent));
  const m = /hoàn ([\d.]+) ₫ cho lần mua sau/.exec(extras);
  assert.ok(m, 'the cashback says where it goes: ' + extras);
  const cashback = Number(m[1].replace(/\./g, ''));
  assert.ok(cashback > 0);

  // The explainer: the rule in words, and the credit the server holds for this customer.
  const before = await shopperVia(p);
  assert.ok(Number.isInteger(before.store_credit) && Number.isInteger(before.store_credit_pending), JSON.stringify(before));
  assert.ok(before.store_credit + before.store_credit_pending > 0, 'the seeded orders earned cashback');
  const seen = await explainer(p);
  assert.match(flat(seen.earn), /Hoàn 1% giá trị đơn hàng vào tài khoản để dùng cho lần mua sau/);
  const words = (s) => 'Tiền hoàn đã tích lũy: ' + vnd(s.store_credit) + (s.store_credit_pending > 0 ? ' / ' + vnd(s.store_credit_pending) + ' đang chờ xác nhận' : '');
  assert.equal(flat(seen.credit), words(before));
  assert.deepEqual(await axe(p), []);
  await screenshot(p, 'credit-explainer-vi-375');
  await p.keyboard.press('Escape');

  // The order: its cashback joins the pending credit, as the prompt said.
  await p.goto(server.vi + '/vi/checkout.html');
  await p.waitForFunction(() => {
    // The prompt may not be defined yet on the new page (no shadow root): keep waiting.
    const e = document.querySelector('rewards-checkout-prompt')?.shadowRoot?.querySelector('[data-rw=earn]');
    return e && Number(e.dataset.value) > 0;
  });
  await p.click('button[type=submit]');
  await p.waitForFunction(() => document.getElementById('order-status').dataset.points);
  const after = await shopperVia(p);
  assert.equal(after.store_credit_pending - before.store_credit_pending, cashback, 'the order added the cashback the prompt showed');
  assert.equal(after.store_credit, before.store_credit);
  await p.evaluate(() => Rewards.refreshShopper());
  const again = await explainer(p);
  assert.equal(flat(again.credit), words(after));

  // In English (the Vietnamese store's ?lang=en).
  await p.goto(server.vi + '/vi/?lang=en');
  await p.waitForFunction(() => window.Rewards && Rewards.timings && Rewards.timings.loader != null);
  const en = await explainer(p);
  assert.equal(flat(en.credit), 'Store credit earned: ' + enVnd(after.store_credit) + (after.store_credit_pending > 0 ? ' / ' + enVnd(after.store_credit_pending) + ' pending' : ''));
  assert.match(flat(en.earn), /1% back as store credit for your next order/);
  await screenshot(p, 'credit-explainer-en-375');
  assert.deepEqual(errors, []);
  await context.close();
});
