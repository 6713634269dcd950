// Issue 12: orders carry the referral code. The widget writes the `?ref=`
// code it keeps, while the core says it still counts (popup decision's
// `referral`), into the platform's cart: Shopify's cart attribute
// `rewards_ref` through /cart/update.js `attributes` (the order's
// `note_attributes` then carry it), WooCommerce's first-party cookie
// `rewards_ref` (the plugin copies it to the order's meta at checkout).
// Against the recorded platform cart shapes of www/tests/fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const DAY = 86_400_000;
const updates = () => env.server.requests.filter((r) => r.method === 'POST' && r.path === '/shopify/cart/update.js').length;

test('issue 12: Shopify — the kept code becomes the rewards_ref cart attribute, in its canonical form, once', async () => {
  env.server.reset();
  const page = await env.page();
  // Typed as shared: lower case with a hyphen; the core reads it as 28T5CY4T.
  await page.goto(env.url('/shopify/index.html?ref=28t5-cy4t'));
  await ready(page);
  for (let i = 0; i < 50 && !(env.server.shopifyCart.attributes || {}).rewards_ref; i++) await page.waitForTimeout(100);
  assert.deepEqual(env.server.shopifyCart.attributes, { rewards_ref: '28T5CY4T' });
  // Another page of the visit: the cart already carries it, nothing is sent again.
  const sent = updates();
  await page.goto(env.url('/shopify/index.html'));
  await ready(page);
  await page.waitForTimeout(800);
  assert.equal(updates(), sent);
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 12: Shopify — a code past referral.remember_days comes off the cart; a malformed ?ref= writes nothing', async () => {
  env.server.reset();
  env.server.shopifyCart.attributes = { rewards_ref: '28T5CY4T', gift_wrap: 'yes' };
  const page = await env.page();
  await page.addInitScript((at) => localStorage.setItem('rewards:v1', JSON.stringify({ ref: '28T5CY4T', ref_at: at })), Date.now() - 31 * DAY);
  await page.goto(env.url('/shopify/index.html'));
  await ready(page);
  for (let i = 0; i < 50 && (env.server.shopifyCart.attributes || {}).rewards_ref; i++) await page.waitForTimeout(100);
  assert.deepEqual(env.server.shopifyCart.attributes, { gift_wrap: 'yes' }, 'the vn-coffee program remembers a code 30 days; the theme\'s own attribute stays');

  env.server.reset();
  const odd = await env.page();
  await odd.goto(env.url('/shopify/index.html?ref=%3Cimg%20src%3Dx%3E'));
  await ready(odd);
  await odd.waitForTimeout(1000);
  assert.equal(updates(), 0);
  assert.deepEqual(env.server.shopifyCart.attributes, {});
  assert.deepEqual(await pageErrors(odd), []);
});

test('issue 12: WooCommerce — the kept code becomes the rewards_ref cookie the plugin copies to the order', async () => {
  env.server.reset();
  const page = await env.page();
  await page.goto(env.url('/woo/index.html?ref=28T5CY4T'));
  await ready(page);
  await page.waitForFunction(() => /(?:^|; )rewards_ref=28T5CY4T/.test(document.cookie), null, { timeout: 5000 });
  const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'rewards_ref');
  assert.equal(cookie.path, '/');
  assert.equal(cookie.sameSite, 'Lax');
  // Past us-apparel's remember_days (30, the default): the cookie is removed.
  await page.evaluate((at) => localStorage.setItem('rewards:v1', JSON.stringify({ ref: '28T5CY4T', ref_at: at })), Date.now() - 31 * DAY);
  await page.goto(env.url('/woo/index.html'));
  await ready(page);
  await page.waitForFunction(() => !/rewards_ref=/.test(document.cookie), null, { timeout: 5000 });
  assert.deepEqual(await pageErrors(page), []);
});
