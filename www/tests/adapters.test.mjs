// Platform adapters against recorded responses of the platforms' real
// shapes: Shopify's /cart.js (money in 1/100 units even for VND) and the
// WooCommerce Store API cart (strings in minor units). The converted cart
// must be exactly the core's cart in true minor units, and the prompt must
// follow the theme's own cart requests (fetch and XHR) without a reload.
// Applying a code through these platforms runs on the real server:
// issue14-apply.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors, coreEval } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const SHOPIFY_CART = {
  currency: 'VND',
  discount: 20000,
  discount_codes: ['CHAOBAN'],
  lines: [
    { id: '45012345678901:8d6a3c2f0e1b4a5c9d7e6f5a4b3c2d1e', product_id: '8912345678901', variant_id: '45012345678901', sku: 'CFSD-L', title: 'Cà phê sữa đá', product_type: 'Cà phê', tags: ['ca-phe-phin', 'signature'], quantity: 2, line_price: 90000, discount: 0, gift_card: false },
    { id: '45012345678955:1a2b3c4d5e6f708192a3b4c5d6e7f809', product_id: '8912345678955', variant_id: '45012345678955', sku: 'HAT-ROB-500', title: 'Cà phê hạt Robusta Cầu Đất', product_type: 'Cà phê hạt', tags: ['ca-phe-hat', 'robusta'], quantity: 1, line_price: 165000, discount: 16500, gift_card: false },
    { id: '45012345679012:9f8e7d6c5b4a39281706f5e4d3c2b1a0', product_id: '8912345679012', variant_id: '45012345679012', sku: 'GIFT-200K', title: 'Thẻ quà tặng Phố Cổ', product_type: 'Gift card', tags: ['the-qua-tang'], quantity: 1, line_price: 200000, discount: 0, gift_card: true },
  ],
};

const WOO_CART = {
  currency: 'USD',
  shipping: 800,
  discount_codes: ['TRAIL10'],
  lines: [
    { id: 'c74d97b01eae257e44aa9d5bade97baf', product_id: '112', sku: 'NW-SOCK-MERINO', title: 'Merino Hiker Sock', tags: ['merino'], collections: ['socks'], quantity: 2, line_price: 3600, discount: 360 },
    { id: 'a5bfc9e07964f8dddeb95fc584cd965d', product_id: '118', sku: 'NW-SHELL-RIDGE', title: 'Ridgeline Rain Shell', tags: [], collections: ['jackets'], quantity: 1, line_price: 18900, discount: 1890 },
    { id: 'e2c420d928d4bf8ce0ff2ec19b371514', product_id: '131', sku: 'NW-GIFT-50', title: 'Northwind Gift Card', tags: ['gift-card'], collections: ['gift-cards'], quantity: 1, line_price: 5000, discount: 0 },
  ],
};

const lastCart = (page, n) =>
  page.waitForFunction((n) => window.__carts.length >= n, n).then(() => page.evaluate(() => window.__carts[window.__carts.length - 1]));

/** The prompt's numbers vs the core's quote for `cart`. */
async function promptMatches(page, program, cart) {
  const q = await coreEval(page, program, (engine, cart) => JSON.parse(engine.run('quote', '', JSON.stringify(cart), Date.now())), cart);
  await page.waitForFunction(
    ([points, stamps]) => {
      const r = document.querySelector('rewards-checkout-prompt').shadowRoot;
      const e = r.querySelector('[data-rw=earn]');
      const s = r.querySelector('[data-rw=stamps]');
      return e && Number(e.dataset.value) === points && (stamps == null || (s && Number(s.dataset.value) === stamps));
    },
    [q.preview.total_points, q.punch_card ? q.punch_card.added : null],
    { timeout: 5000 },
  );
  return q;
}

test('Shopify: /cart.js ×100 money becomes true VND minor units; theme fetch and XHR refresh the prompt', async () => {
  env.server.reset();
  const page = await env.page();
  await page.addInitScript(() => {
    window.Rewards = window.Rewards || [];
    window.__carts = [];
    Rewards.push(['on', 'cart:updated', (d) => window.__carts.push(d.cart)]);
  });
  await page.goto(env.url('/shopify/index.html'));
  await ready(page);
  const cart = await lastCart(page, 1);
  assert.deepEqual(cart, SHOPIFY_CART, 'converted cart: VND, ÷100, line and cart-level discounts, tags from /products/{handle}.js');
  const q = await promptMatches(page, '/demo/programs/vn-coffee.json', SHOPIFY_CART);
  // Without the ÷100 the core would see 100× the money (and cap at 2,000 points).
  const naive = await coreEval(page, '/demo/programs/vn-coffee.json', (engine, cart) => JSON.parse(engine.run('preview', '', JSON.stringify(cart), Date.now())).total_points, {
    currency: 'VND',
    lines: SHOPIFY_CART.lines.map((l) => Object.assign({}, l, { line_price: l.line_price * 100, discount: l.discount * 100 })),
  });
  assert.notEqual(q.preview.total_points, naive);
  assert.equal(q.preview.lines[2].excluded.rule, 'gift_card');

  // Product element: Liquid's shopify-price="4500000" is 45,000 ₫.
  await page.waitForFunction(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]'));
  assert.equal(await page.evaluate(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]').dataset.value), '4');

  await page.click('#more');
  const after = await lastCart(page, 2);
  assert.equal(after.lines[0].quantity, 3);
  assert.equal(after.lines[0].line_price, 135000);
  await promptMatches(page, '/demo/programs/vn-coffee.json', after);

  await page.click('#xhr');
  const third = await lastCart(page, 3);
  assert.equal(third.lines[1].quantity, 2);
  assert.equal(third.lines[1].line_price, 330000);
  assert.equal(third.lines[1].discount, 33000);
  await promptMatches(page, '/demo/programs/vn-coffee.json', third);

  // A theme event also triggers a re-read.
  await page.evaluate(() => document.dispatchEvent(new CustomEvent('cart:refresh')));
  await lastCart(page, 4);
  assert.equal(env.server.requests.filter((r) => r.path === '/shopify/cart.js').length, 4);
  assert.deepEqual(await pageErrors(page), []);
});

test('WooCommerce: Store API strings in minor units; categories and tags feed exclusions; updates refresh', async () => {
  env.server.reset();
  const page = await env.page();
  await page.addInitScript(() => {
    window.Rewards = window.Rewards || [];
    window.__carts = [];
    Rewards.push(['on', 'cart:updated', (d) => window.__carts.push(d.cart)]);
  });
  await page.goto(env.url('/woo/index.html'));
  await ready(page);
  const cart = await lastCart(page, 1);
  assert.deepEqual(cart, WOO_CART);
  const q = await promptMatches(page, '/demo/programs/us-apparel.json', WOO_CART);
  assert.deepEqual(q.preview.lines[2].excluded, { rule: 'tag', value: 'gift-card' }, 'the gift card tag from the product endpoint excludes it');
  await page.click('#more');
  const after = await lastCart(page, 2);
  assert.equal(after.lines[0].quantity, 3);
  assert.equal(after.lines[0].line_price, 5400);
  await promptMatches(page, '/demo/programs/us-apparel.json', after);
  assert.deepEqual(await pageErrors(page), []);
});

