// Issue 11, part 3: a store on Shopify or WooCommerce, end to end against
// the real server (`rewards-server serve`, SQLite): the widget on the
// store's cart page reads the platform's own cart API (Shopify's /cart.js,
// WooCommerce's Store API cart, answered here with recorded shapes) for a
// signed-in customer whose token the platform side signed (the Liquid
// snippet's filters; the WordPress plugin's own PHP function, run with
// php-cli); the platform then delivers the recorded order webhook of that
// same cart; the widget shows the points arrive, and they are exactly the
// preview it showed for the cart.
//
// The carts: WooCommerce's is www/tests/fixtures/woo-cart-usd.json, which
// order-1041 (crates/server/tests/fixtures/woocommerce/README.md) checks out;
// Shopify's, fixtures/shopify-cart-vnd-order-5612345678901.json, is the
// /cart.js answer (the shape of fixtures/shopify-cart-vnd.json, ×100
// subunits) of the cart orders-paid-vnd.json was placed from: the same
// variants, the 10 % line discount, the GIAM20K cart-level code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launchChromium, repo, screenshot } from './helpers.mjs';
import { startRealServe } from './real-server.mjs';
import { liquidToken, platformSignature, pluginToken } from './storefront.mjs';

const fixture = (p) => readFileSync(join(repo, p), 'utf8');

let browser;
before(async () => (browser = await launchChromium()));
after(() => browser.close());

/**
 * The store: its cart page with the script tag as the platform integration
 * prints it (`shop.tag`, set once the server runs), and the platform's
 * endpoints (`routes`: path → JSON) answered from recordings. On loopback,
 * like the server: Chromium refuses a public origin's requests to loopback.
 */
async function startShop(routes) {
  const shop = { tag: '' };
  const http = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/cart') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Cart</title>${shop.tag}</head><body><h1>Your cart</h1><rewards-checkout-prompt></rewards-checkout-prompt></body></html>`);
    }
    res.writeHead(path in routes ? 200 : 404, { 'content-type': 'application/json', Nonce: 'e2e-nonce' });
    res.end(JSON.stringify(routes[path] ?? {}));
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  shop.url = `http://127.0.0.1:${http.address().port}`;
  shop.close = () => new Promise((r) => http.close(r));
  return shop;
}

async function storePage(server, shop, platform, token) {
  shop.tag = `<script src="${server.url}/rewards.js" async data-config="${server.url}/api/program" data-api="${server.url}/" data-platform="${platform}" data-locale="en" data-shopper-token="${token}"></script>`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const p = await context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  p.consoleMessages = [];
  p.on('console', (m) => p.consoleMessages.push(m.type() + ': ' + m.text()));
  await p.addInitScript(() => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() })));
  await p.goto(shop.url + '/cart');
  return p;
}

/** The points the checkout prompt previews for the cart ("This order earns N points"). */
async function previewed(p) {
  try {
    await p.waitForFunction(() => /This order earns [\d,]+ points?/.test(document.querySelector('rewards-checkout-prompt')?.shadowRoot?.textContent || ''), null, { timeout: 20_000 });
  } catch (e) {
    const seen = await p.evaluate(() => document.querySelector('rewards-checkout-prompt')?.shadowRoot?.textContent ?? '(no prompt)');
    throw new Error(`the prompt shows no preview: ${JSON.stringify(seen)}; console: ${JSON.stringify(p.consoleMessages)}; errors: ${JSON.stringify(p.errors)}`);
  }
  const text = await p.evaluate(() => document.querySelector('rewards-checkout-prompt').shadowRoot.textContent);
  return Number(/This order earns ([\d,]+) points?/.exec(text)[1].replace(/,/g, ''));
}

/** The explainer's balance block: the pending points the server holds for the shopper. */
async function pendingShown(p) {
  await p.evaluate(() => Rewards.open('explainer'));
  await p.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-summary');
  const text = await p.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-summary').textContent);
  const m = /([\d,]+) points? pending/.exec(text);
  return { text, pending: m ? Number(m[1].replace(/,/g, '')) : 0 };
}

/** After the delivery, the page again: the widget shows the preview's points as the shopper's pending points. */
async function pointsArrived(p, preview, platform) {
  await p.reload();
  await previewed(p);
  const shown = await pendingShown(p);
  assert.equal(shown.pending, preview, shown.text);
  await screenshot(p, `issue11-${platform}-points-arrived-1280`);
  assert.deepEqual(p.errors, []);
  await p.context().close();
}

async function deliver(server, path, headers, body) {
  const r = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

test('issue 11: a WooCommerce order webhook awards the signed-in shopper exactly the preview the widget showed for the Store API cart', async () => {
  const secret = 'e2e-woocommerce-webhook-secret-0123456789';
  const products = JSON.parse(fixture('www/tests/fixtures/woo-products.json'));
  const routes = { '/wp-json/wc/store/v1/cart': JSON.parse(fixture('www/tests/fixtures/woo-cart-usd.json')) };
  for (const [id, product] of Object.entries(products)) routes[`/wp-json/wc/store/v1/products/${id}`] = product;
  const shop = await startShop(routes);
  const server = await startRealServe({ program: 'us-apparel', env: { REWARDS_WOOCOMMERCE_WEBHOOK_SECRET: secret, REWARDS_ALLOWED_ORIGINS: shop.url } });
  try {
    const order = fixture('crates/server/tests/fixtures/woocommerce/order-1041-processing-usd-coupon.json');
    const customer = JSON.parse(order).customer_id; // WordPress user 7
    const p = await storePage(server, shop, 'woocommerce', pluginToken(server.merchantSecret, customer));
    const preview = await previewed(p);
    assert.ok(preview > 0);
    assert.equal((await pendingShown(p)).pending, 0, 'nothing before the order');

    // WooCommerce's activation ping, then the order (`WC_Webhook::deliver`'s headers).
    const ping = await fetch(server.url + '/api/webhooks/woocommerce', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=12' });
    assert.equal(ping.status, 200);
    const answer = await deliver(server, '/api/webhooks/woocommerce', {
      'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'created', 'x-wc-webhook-id': '12',
      'x-wc-webhook-delivery-id': 'e2e-1041', 'x-wc-webhook-signature': platformSignature(secret, order),
    }, order);
    assert.equal(answer.award.points, preview, JSON.stringify(answer));

    await pointsArrived(p, preview, 'woocommerce');
  } finally {
    await server.close();
    await shop.close();
  }
});

test('issue 11: a Shopify orders/paid webhook awards the signed-in shopper exactly the preview the widget showed for /cart.js', async () => {
  const secret = 'e2e-shopify-signing-secret-0123456789';
  const cart = JSON.parse(fixture('www/tests/fixtures/shopify-cart-vnd-order-5612345678901.json'));
  const routes = { '/cart.js': cart };
  for (const it of cart.items) routes[`/products/${it.handle}.js`] = { id: it.product_id, handle: it.handle, tags: [] };
  const shop = await startShop(routes);
  const server = await startRealServe({ program: 'vn-coffee', env: { REWARDS_SHOPIFY_WEBHOOK_SECRET: secret, REWARDS_ALLOWED_ORIGINS: shop.url } });
  try {
    const order = fixture('crates/server/tests/fixtures/shopify/orders-paid-vnd.json');
    const { customer } = JSON.parse(order);
    const shopify = (topic, id, body) => deliver(server, '/api/webhooks/shopify', {
      'x-shopify-topic': topic, 'x-shopify-webhook-id': id, 'x-shopify-hmac-sha256': platformSignature(secret, body), 'x-shopify-shop-domain': 'pho-co.myshopify.com',
    }, body);
    // The customer's account (customers/create), then the theme's page for them.
    await shopify('customers/create', 'e2e-customer', JSON.stringify({ id: customer.id, email: customer.email, first_name: customer.first_name }));
    const p = await storePage(server, shop, 'shopify', liquidToken(server.merchantSecret, customer.id));
    const preview = await previewed(p);
    assert.ok(preview > 0);

    const answer = await shopify('orders/paid', 'e2e-order', order);
    assert.equal(answer.points, preview, JSON.stringify(answer));

    await pointsArrived(p, preview, 'shopify');
  } finally {
    await server.close();
    await shop.close();
  }
});
