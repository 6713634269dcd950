// Issue 12 part 3, against the real server (rewards-demo demo): the
// checkout prompt tells a shopper without Phố Cổ+ what this order would
// earn with it (the core's quote, `membership_offer`: the same preview
// with the plan applied), with the join link from `membership.join_url`;
// nothing for a shopper who holds it; the popup's membership offer for a
// repeat buyer (vn-coffee's `repeat_buyer` offer has `membership: true`).
// Screenshots of each state at 1280 and 375 px, axe on each.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, screenshot } from './helpers.mjs';
import { startRealEnv } from './real-server.mjs';

let server, browser, close;
before(async () => ({ server, browser, close } = await startRealEnv()));
after(() => close());

async function device(width, locale = 'vi-VN') {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
  const p = await context.newPage();
  // The cart the widget was given (the demo store's setCart), for the server's quote of it.
  await p.addInitScript(() => {
    window.Rewards = window.Rewards || [];
    Rewards.push(['on', 'cart:updated', (d) => (window.__cart = d.cart)]);
  });
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  p.on('console', (m) => m.type() === 'error' && p.errors.push(m.text()));
  return p;
}

const prompt = (p, selector, prop = 'textContent') =>
  p.evaluate(([s, k]) => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector(s)?.[k] ?? null, [selector, prop]);

/** A 500 g bag of robusta in the vi demo's cart, on the cart page (`query`: ?lang=en). */
async function cartPage(p, query = '') {
  const base = server.vi;
  await p.goto(base + '/vi/product.html?p=ca-phe-hat-robusta' + (query ? '&' + query.slice(1) : ''));
  await p.selectOption('#variant', '500');
  await p.click('#add');
  await p.goto(base + '/vi/cart.html' + query);
  await p.waitForFunction(() => window.Rewards && Rewards.timings && Rewards.timings.loader != null);
}

/** The server's own quote of a cart (POST /api/engine/quote), for a guest. */
async function serverQuote(cart) {
  const r = await fetch(server.vi + '/api/engine/quote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shopper: null, input: cart }) });
  assert.equal(r.status, 200);
  return r.json();
}

test('issue 12: the checkout prompt offers Phố Cổ+ with what this order would earn with it, from the core, vi and en, 1280 and 375 px', async () => {
  for (const [lang, query, locale] of [['vi', '', 'vi-VN'], ['en', '?lang=en', 'en-US']]) {
    for (const width of [1280, 375]) {
      const p = await device(width, locale);
      await cartPage(p, query);
      await p.waitForSelector('rewards-checkout-prompt >> [data-rw=membership-offer]');
      const q = await p.evaluate(() => Rewards.quote());
      const cart = await p.evaluate(() => window.__cart);
      const mine = await serverQuote(cart);
      // The widget's wasm and the server's native engine give the same what-if.
      assert.deepEqual(q.membership_offer, mine.membership_offer);
      const m = q.membership_offer;
      assert.equal(m.membership, 'hoi-vien');
      assert.equal(m.points_without, q.preview.total_points);
      assert.ok(m.points > m.points_without, JSON.stringify(m));
      const plan = lang === 'vi' ? 'Hội viên Phố Cổ+' : 'Pho Co+ membership';
      const words =
        lang === 'vi'
          ? `Với ${plan}, đơn này được ${m.points} điểm thay vì ${m.points_without} — miễn phí 30 ngày đầu Tham gia ngay`
          : `With ${plan} this order earns ${m.points} points instead of ${m.points_without} — first 30 days free Join now`;
      assert.equal(await prompt(p, '[data-rw=membership-offer]'), words);
      assert.equal(await prompt(p, '[data-rw=membership-offer] a', 'href'), 'https://caphephoco.example/hoi-vien');
      assert.deepEqual(await axe(p, 'rewards-checkout-prompt'), []);
      await p.evaluate(() => document.querySelector('rewards-checkout-prompt').scrollIntoView({ block: 'center' }));
      await screenshot(p, `issue12-prompt-membership-${lang}-${width}`);
      // A shopper who holds the plan (the demo's page-provided Silver member, active): no offer, the doubled points.
      await p.selectOption('#demo-shopper', 'silver');
      await p.waitForFunction(() => !document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=membership-offer]') && /Dùng điểm|Redeem/.test(document.querySelector('rewards-checkout-prompt').shadowRoot.textContent));
      const held = await p.evaluate(() => Rewards.quote());
      assert.equal(held.membership_offer, null);
      assert.ok(held.preview.multipliers.some((x) => x.source === 'membership'));
      if (width === 375) await screenshot(p, `issue12-prompt-membership-held-${lang}-${width}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    }
  }
});

test('issue 12: the popup\'s membership offer for a repeat buyer — no form, the join link, the cart\'s points with the plan', async () => {
  for (const width of [1280, 375]) {
    const p = await device(width);
    await cartPage(p);
    // A customer with two orders who has not joined the program (a page-provided shopper).
    await p.evaluate(() => Rewards.setShopper({ member: false, lifetime_orders: 2 }));
    await p.evaluate(() => Rewards.open('popup'));
    await p.waitForSelector('rewards-widget dialog.rw-popup[open] [data-rw=membership-join]');
    const shadow = (s, k = 'textContent') => p.evaluate(([s, k]) => document.querySelector('rewards-widget').shadowRoot.querySelector(s)?.[k] ?? null, [s, k]);
    assert.equal(await shadow('#rw-popup-title'), 'Gấp đôi điểm với Phố Cổ+');
    assert.equal(await shadow('[data-rw=membership-join]'), 'Dùng thử Phố Cổ+');
    assert.equal(await shadow('[data-rw=membership-join]', 'href'), 'https://caphephoco.example/hoi-vien');
    assert.equal(await shadow('#rw-f-email'), null, 'no signup form');
    const q = await p.evaluate(() => Rewards.quote());
    assert.match(await shadow('[data-rw=membership-offer]'), new RegExp(`đơn này được ${q.membership_offer.points} điểm thay vì ${q.membership_offer.points_without}`));
    assert.deepEqual(await axe(p, 'rewards-widget'), []);
    await screenshot(p, `issue12-popup-membership-vi-${width}`);
    // "No thanks" closes it.
    await p.click('rewards-widget dialog.rw-popup .rw-form .rw-link');
    await p.waitForSelector('rewards-widget dialog.rw-popup[open]', { state: 'detached' }).catch(() => p.waitForFunction(() => !document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-popup[open]')));
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
});
