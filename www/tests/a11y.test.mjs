// Accessibility and layout of every surface in every state, in both demo
// stores, at 1280 and 375 px: axe-core reports 0 violations (the whole
// page, shadow roots included), nothing scrolls sideways at 320 px, and a
// screenshot of each state goes to reports/screenshots/ for a human look.
// On the real server (`rewards-demo demo`): signups and redemptions reach
// it; the signed-in member is one of its seeded customers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ready, pageErrors, axe, screenshot, sleep } from './helpers.mjs';
import { setupReal, customerWith, shopperOf, DEMO_MIN_FILL_MS } from './real-server.mjs';

let env;
before(async () => {
  env = await setupReal();
});
after(() => env.close());

const WIDTHS = [
  ['desktop', { viewport: { width: 1280, height: 900 } }],
  ['phone', { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 }],
];

async function check(page, name) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], name + ': axe violations');
  await screenshot(page, name);
}

const overlay = (page, sel) => page.waitForSelector(sel);

async function fillCart(page, store, items) {
  // The program's scroll-depth trigger would open the popup over the page.
  await page.addInitScript(() => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() })));
  for (const [handle, variant, times] of items) {
    await page.goto(env.url(`/demo/${store}/product.html?p=${handle}`));
    await page.selectOption('#variant', variant);
    // On a phone the floating launcher may sit over the button: centre it first.
    await page.locator('#add').evaluate((b) => b.scrollIntoView({ block: 'center' }));
    for (let i = 0; i < times; i++) await page.click('#add');
  }
}

for (const [device, options] of WIDTHS) {
  for (const store of ['vi', 'en']) {
    const member = store === 'vi' ? 'silver' : 'trailblazer';
    const tag = `${store}-${device}`;

    test(`${tag}: launcher, explainer (guest and member), product points`, async () => {
      const page = await env.page(options);
      await page.goto(env.url(`/demo/${store}/`));
      await ready(page);
      await page.waitForFunction(() => [...document.querySelectorAll('rewards-product-points')].every((e) => e.shadowRoot && e.shadowRoot.childElementCount));
      await check(page, `home-launcher-${tag}`);
      await page.click('.rw-launcher');
      await overlay(page, 'dialog.rw-panel[open] .rw-section');
      await check(page, `explainer-guest-${tag}`);
      await page.keyboard.press('Escape');
      await page.selectOption('#demo-shopper', member);
      await page.click('.rw-launcher');
      await overlay(page, 'dialog.rw-panel[open] .rw-balance');
      await check(page, `explainer-member-${tag}`);
      await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-panel-body').scrollTo(0, 100000));
      await screenshot(page, `explainer-member-bottom-${tag}`);
      await page.keyboard.press('Escape');
      await page.goto(env.url(`/demo/${store}/product.html?p=${store === 'vi' ? 'ca-phe-sua-da' : 'merino-hiker-sock'}`));
      await ready(page);
      await page.waitForSelector('rewards-product-points [data-rw=points]');
      await check(page, `product-points-${tag}`);
      assert.deepEqual(await pageErrors(page), []);
    });

    test(`${tag}: signup popup — form, errors, server error, success`, async () => {
      const page = await env.page(options);
      // The server down: a fault injected on the network, then lifted.
      let down = true;
      await page.route('**/api/signup', (route) => (down ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"unavailable","message":"storage is unavailable; retry later"}' }) : route.continue()));
      await page.goto(env.url(`/demo/${store}/collection.html`));
      await ready(page);
      await page.evaluate(() => Rewards.open('popup'));
      await overlay(page, 'dialog.rw-popup[open]');
      await check(page, `popup-form-${tag}`);
      await page.click('dialog.rw-popup button[type=submit]');
      await overlay(page, '#rw-f-email-err:not([hidden])');
      await check(page, `popup-invalid-${tag}`);
      await page.fill('#rw-f-email', `an.${tag}.${Date.now()}@example.com`);
      await page.fill('#rw-f-name', 'An Trần'); // required in the US program
      await sleep(DEMO_MIN_FILL_MS);
      await page.click('dialog.rw-popup button[type=submit]');
      await overlay(page, 'dialog.rw-popup .rw-form-err:not([hidden])');
      await check(page, `popup-error-${tag}`);
      down = false;
      await page.click('dialog.rw-popup button[type=submit]');
      await overlay(page, '#rw-popup-done');
      await check(page, `popup-success-${tag}`);
      assert.deepEqual(await pageErrors(page), []);
    });

    test(`${tag}: checkout prompt — guest, member with redemptions open, voucher`, async () => {
      const page = await env.page(options);
      await fillCart(page, store, store === 'vi' ? [['ca-phe-sua-da', 'l', 2], ['ca-phe-hat-robusta', '500', 1]] : [['ridgeline-rain-shell', 'm', 1], ['merino-hiker-sock', 'l', 2]]);
      await page.goto(env.url(`/demo/${store}/cart.html`));
      await ready(page);
      await overlay(page, 'rewards-checkout-prompt [data-rw=earn]');
      await page.locator('rewards-checkout-prompt').scrollIntoViewIfNeeded();
      await check(page, `prompt-guest-${tag}`);
      await page.selectOption('#demo-shopper', member);
      await overlay(page, 'rewards-checkout-prompt .rw-pr-actions button[aria-expanded]');
      await page.click('rewards-checkout-prompt .rw-pr-actions button');
      await overlay(page, 'rewards-checkout-prompt .rw-redeem:not([hidden])');
      await page.locator('rewards-checkout-prompt').scrollIntoViewIfNeeded();
      await check(page, `prompt-redeem-${tag}`);
      // A seeded customer with enough points for a reward, signed in; the voucher comes from the server.
      const token = await customerWith(page, store === 'vi' ? 150 : 500);
      const { balance } = await shopperOf(page, token);
      await page.selectOption('#demo-shopper', 'guest');
      await page.evaluate((t) => Rewards.setShopperToken(t), token);
      await page.waitForFunction((b) => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('.rw-pr-actions').textContent.replace(/\D/g, '').includes(String(b)), balance);
      await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('.rw-opt:not(.rw-blocked) button'));
      const redeemed = page.waitForResponse((r) => r.url().endsWith('/api/redeem'));
      await page.locator('rewards-checkout-prompt .rw-opt:not(.rw-blocked)').first().getByRole('button').click();
      const issued = await redeemed;
      assert.equal(issued.status(), 200, 'the server issued the voucher');
      await overlay(page, `rewards-checkout-prompt .rw-vc[data-code="${(await issued.json()).voucher_code}"]`);
      await page.locator('rewards-checkout-prompt .rw-vcs').scrollIntoViewIfNeeded();
      await check(page, `prompt-voucher-${tag}`);
      assert.deepEqual(await pageErrors(page), []);
    });
  }
}

test('320 px: no horizontal scroll on any page or surface', async () => {
  const page = await env.page({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });
  const noSideScroll = async (what) => {
    const r = await page.evaluate(() => {
      const doc = document.documentElement;
      const root = document.querySelector('rewards-widget') && document.querySelector('rewards-widget').shadowRoot;
      const d = root && root.querySelector('dialog[open] .rw-card');
      const body = root && root.querySelector('dialog[open] .rw-panel-body');
      const prompt = document.querySelector('rewards-checkout-prompt');
      const p = prompt && prompt.shadowRoot.querySelector('.rw-prompt');
      return {
        page: doc.scrollWidth - doc.clientWidth,
        dialog: d ? d.scrollWidth - d.clientWidth : 0,
        panel: body ? body.scrollWidth - body.clientWidth : 0,
        prompt: p ? p.scrollWidth - p.clientWidth : 0,
      };
    });
    assert.deepEqual(r, { page: 0, dialog: 0, panel: 0, prompt: 0 }, what);
  };
  await fillCart(page, 'vi', [['ca-phe-sua-da', 'l', 3]]);
  for (const path of ['/demo/vi/', '/demo/vi/collection.html', '/demo/vi/product.html?p=ca-phe-trung', '/demo/vi/cart.html', '/demo/vi/checkout.html', '/demo/en/']) {
    await page.goto(env.url(path));
    await ready(page);
    await noSideScroll(path);
  }
  await page.goto(env.url('/demo/vi/cart.html'));
  await ready(page);
  await page.selectOption('#demo-shopper', 'silver');
  await page.click('rewards-checkout-prompt .rw-pr-actions button');
  await noSideScroll('prompt with redemptions');
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('dialog.rw-panel[open] .rw-balance');
  await noSideScroll('explainer');
  await screenshot(page, 'explainer-member-vi-320');
  await page.keyboard.press('Escape');
  await page.selectOption('#demo-shopper', 'guest');
  await page.evaluate(() => Rewards.open('popup'));
  await page.waitForSelector('dialog.rw-popup[open]');
  await noSideScroll('popup');
  await screenshot(page, 'popup-form-vi-320');
  assert.deepEqual(await pageErrors(page), []);
});
