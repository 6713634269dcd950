// Issue 14, part 1, on Shopify and WooCommerce against the real server
// (`rewards-server serve`, SQLite, the demo stores' programs): a platform
// customer gets points the real ways — the platform's recorded order
// webhook, signed with the store's secret (pending points), and an
// adjustment in the console (points to spend now) — signs in with the token
// the platform integration signs (Shopify's Liquid snippet, the WordPress
// plugin's PHP), redeems in the widget on the platform's cart page, and the
// code goes to the platform: Shopify's /cart/update.js `discount` (the codes
// the cart should end with), WooCommerce's Store API apply-coupon with the
// cart's Nonce. The platform refuses a code it does not know (the merchant
// has not created it there) and takes it once it does. Applying uses
// nothing on our server: the code stays unused until the platform's order
// webhook carries it, and is then shown as used. On any other platform
// the page's `voucher:apply` listener answers (docs/embed.md), with the
// codes the server holds.
//
// The platform's side (pages and cart APIs) is storefront.mjs and
// platform-carts.mjs; every answer of ours is the real binary's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, repo, screenshot } from './helpers.mjs';
import { adjustInConsole, startRealServe } from './real-server.mjs';
import { liquidToken, pluginToken, shopifyDelivery, startStorefront, wooDelivery } from './storefront.mjs';

const fixture = (p) => readFileSync(join(repo, p), 'utf8');
const SHOPIFY_SECRET = 'e2e-shopify-signing-secret-0123456789';
const WOO_SECRET = 'e2e-woocommerce-webhook-secret-0123456789';

let browser;
before(async () => (browser = await launchChromium()));
after(() => browser.close());

/** The shop and the real server it talks to, the server allowing the shop's origin. */
async function storeOn(program, env) {
  const shop = await startStorefront();
  shop.server = await startRealServe({ program, env: { ...env, REWARDS_ALLOWED_ORIGINS: shop.url } });
  return shop;
}

async function cartPage(shop, path, locale) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const p = await context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  // No popup over the cart: it was shown a moment ago. The carts the widget reads, as it publishes them.
  await p.addInitScript(() => {
    localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
    window.Rewards = window.Rewards || [];
    window.__carts = [];
    Rewards.push(['on', 'cart:updated', (d) => window.__carts.push(d.cart)]);
  });
  await p.goto(shop.url + path);
  return p;
}

/** What our server holds for the token's shopper (GET /api/shopper). */
async function shopperOf(server, token) {
  const r = await fetch(server.url + '/api/shopper', { headers: { authorization: 'Bearer ' + token } });
  assert.equal(r.status, 200);
  return r.json();
}

/** The merchant's look-up of a code (GET /api/vouchers/{code}, admin token). */
async function voucherOf(server, code) {
  const r = await fetch(server.url + '/api/vouchers/' + encodeURIComponent(code), { headers: { authorization: 'Bearer ' + server.adminToken } });
  assert.equal(r.status, 200);
  return r.json();
}

/** Redeems the option named `name` in the checkout prompt (its amount `amount` when it has a picker); resolves to the new code. */
async function redeemInPrompt(p, name, amount) {
  await p.click('rewards-checkout-prompt .rw-pr-actions button');
  const option = p.locator('rewards-checkout-prompt .rw-opt', { has: p.locator('strong', { hasText: name }) }).first();
  if (amount) await option.locator('select.rw-select').selectOption(String(amount));
  await option.getByRole('button').click();
  const item = p.locator('rewards-checkout-prompt .rw-vc').first();
  await item.waitFor();
  return item.getAttribute('data-code');
}

const lastCart = (p) => p.evaluate(() => window.__carts[window.__carts.length - 1]);
const hint = (p, code) => p.locator(`rewards-checkout-prompt .rw-vc[data-code="${code}"] .rw-vc-hint`);
const applyButton = (p, code) => p.locator(`rewards-checkout-prompt .rw-vc[data-code="${code}"] button.rw-primary`);

/** After the order with it: the explainer lists the code under used ones, with no Apply. */
async function shownAsUsed(p, code, words) {
  await p.reload();
  await p.evaluate(() => Rewards.open('explainer'));
  const past = p.locator(`rewards-widget dialog.rw-panel .rw-vc-past[data-code="${code}"]`);
  await past.waitFor();
  assert.match(await past.textContent(), words);
  assert.equal(await p.locator(`rewards-widget dialog.rw-panel .rw-vc:not(.rw-vc-past)[data-code="${code}"]`).count(), 0, 'no longer offered');
  assert.equal(await p.locator(`rewards-checkout-prompt .rw-vc:not(.rw-vc-past)[data-code="${code}"]`).count(), 0, 'nor in the prompt');
}

test('issue 14: Shopify — a code redeemed in the widget goes to /cart/update.js as the exact code beside the cart\'s own; unused on our server until the paid order carries it, then shown as used', async () => {
  const shop = await storeOn('vn-coffee', { REWARDS_SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET });
  const { server } = shop;
  try {
    const order = JSON.parse(fixture('crates/server/tests/fixtures/shopify/orders-paid-vnd.json'));
    const customer = order.customer.id;
    // A Shopify customer with an order: its points are pending (7 days).
    const paid = await shopifyDelivery(server, SHOPIFY_SECRET, 'orders/paid', 'e2e-order-1', JSON.stringify(order));
    assert.equal(paid.status, 200, paid.text);
    assert.ok(paid.json.points > 0, paid.text);
    // Points to spend now, given in the console.
    assert.equal(await adjustInConsole(browser, server, customer, 150, 'Welcome gift'), 150);

    // The cart holds the theme's CHAOBAN code, which the merchant created in Shopify.
    shop.platform.platformCodes.set('CHAOBAN', 2000000);
    shop.token = liquidToken(server.merchantSecret, customer);
    const p = await cartPage(shop, '/shopify/index.html', 'vi-VN');
    await p.waitForFunction(() => /Dùng điểm \(150\)/.test(document.querySelector('rewards-checkout-prompt')?.shadowRoot?.textContent || ''));

    // Redeeming 100 points applies the code at once; Shopify does not know it yet.
    const code = await redeemInPrompt(p, 'Giảm tiền trực tiếp'); // 100 points: the one amount 150 allows
    assert.match(code, /^RW-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await hint(p, code).filter({ hasText: 'Cửa hàng chưa nhận mã này' }).waitFor();
    const discounts = () => shop.platform.changes.filter((c) => c.path === '/shopify/cart/update.js' && 'discount' in c.body).map((c) => c.body);
    assert.deepEqual(discounts(), [{ discount: 'CHAOBAN,' + code }], 'the whole set the cart should end with: its own code kept, ours exactly');
    let held = await shopperOf(server, shop.token);
    assert.equal(held.balance, 50);
    assert.equal(held.vouchers.find((v) => v.code === code).status, 'unused');

    // The merchant creates it as a Shopify discount code: the same Apply takes.
    shop.platform.platformCodes.set(code, 1000000); // 10,000 ₫ in Shopify's ×100 units
    await applyButton(p, code).click();
    await hint(p, code).filter({ hasText: 'Đã áp dụng cho đơn này.' }).waitFor();
    assert.deepEqual(discounts(), [{ discount: 'CHAOBAN,' + code }, { discount: 'CHAOBAN,' + code }]);
    assert.deepEqual(shop.platform.shopifyCart.discount_codes, [{ code: 'CHAOBAN', applicable: true }, { code, applicable: true }]);
    assert.equal(await applyButton(p, code).isHidden(), true, 'no second Apply once applied');
    const cart = await lastCart(p);
    assert.deepEqual(cart.discount_codes, ['CHAOBAN', code]);
    assert.equal(cart.discount, 30000, 'the cart read back carries both discounts in true VND');
    assert.equal((await voucherOf(server, code)).status, 'unused', 'on the cart is not used');
    await screenshot(p, 'issue14-apply-shopify-applied-1280');

    // Shopify's orders/paid for the checkout with the code: used, by that order.
    const second = { ...order, id: 5612345678902, name: '#1043', order_number: 1043, discount_codes: [...order.discount_codes, { code, amount: '10000', type: 'fixed_amount' }] };
    const placed = await shopifyDelivery(server, SHOPIFY_SECRET, 'orders/paid', 'e2e-order-2', JSON.stringify(second));
    assert.equal(placed.status, 200, placed.text);
    const v = await voucherOf(server, code);
    assert.equal(v.status, 'used');
    assert.equal(String(v.order_id), '5612345678902');
    held = await shopperOf(server, shop.token);
    assert.equal(held.vouchers.find((x) => x.code === code).status, 'used');
    await shownAsUsed(p, code, /Đã dùng ngày/);
    assert.deepEqual(p.errors, []);
    await p.context().close();
  } finally {
    await server.close();
    await shop.close();
  }
});

test('issue 14: WooCommerce — a code redeemed in the widget goes to the Store API apply-coupon as the exact code with the cart\'s Nonce; unused on our server until the order carries it, then shown as used', async () => {
  const shop = await storeOn('us-apparel', { REWARDS_WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET });
  const { server } = shop;
  try {
    const order = JSON.parse(fixture('crates/server/tests/fixtures/woocommerce/order-1041-processing-usd-coupon.json'));
    const customer = order.customer_id; // WordPress user 7
    const created = await wooDelivery(server, WOO_SECRET, 'created', 'e2e-1041', JSON.stringify(order));
    assert.equal(created.status, 200, created.text);
    assert.ok(created.json.award.points > 0, created.text);
    assert.equal(await adjustInConsole(browser, server, customer, 600, 'Welcome gift'), 600);

    shop.token = pluginToken(server.merchantSecret, customer);
    const p = await cartPage(shop, '/woo/index.html', 'en-US');
    await p.waitForFunction(() => /Redeem points \(600\)/.test(document.querySelector('rewards-checkout-prompt')?.shadowRoot?.textContent || ''));

    const code = await redeemInPrompt(p, '$5 off');
    await hint(p, code).filter({ hasText: 'The store didn’t take this code' }).waitFor();
    const coupons = () => shop.platform.changes.filter((c) => c.path === '/woo/wp-json/wc/store/v1/cart/apply-coupon');
    assert.deepEqual(coupons(), [{ path: '/woo/wp-json/wc/store/v1/cart/apply-coupon', body: { code }, nonce: shop.platform.wooNonce }]);
    let held = await shopperOf(server, shop.token);
    assert.equal(held.balance, 100);
    assert.equal(held.vouchers.find((v) => v.code === code).status, 'unused');

    // The merchant creates the coupon in WooCommerce: the same Apply takes.
    shop.platform.platformCodes.set(code, 500);
    await applyButton(p, code).click();
    await hint(p, code).filter({ hasText: 'Applied to this order.' }).waitFor();
    assert.equal(await applyButton(p, code).isHidden(), true, 'no second Apply once applied');
    assert.deepEqual(coupons().map((c) => [c.body, c.nonce]), [[{ code }, shop.platform.wooNonce], [{ code }, shop.platform.wooNonce]]);
    assert.deepEqual(shop.platform.wooCart.coupons.map((c) => c.code), ['trail10', code.toLowerCase()], 'WooCommerce keeps coupon codes in lower case');
    const cart = await lastCart(p);
    assert.deepEqual(cart.discount_codes, ['TRAIL10', code]);
    assert.equal(cart.lines[0].discount, 360 + 500, 'the coupon reaches the line totals the preview earns on');
    assert.equal((await voucherOf(server, code)).status, 'unused', 'on the cart is not used');
    await screenshot(p, 'issue14-apply-woocommerce-applied-1280');

    // The order placed with it (WooCommerce's coupon line, its code lower-cased): used, by that order.
    const second = { ...order, id: 1042, number: '1042', order_key: 'wc_order_e2e1042', coupon_lines: [...order.coupon_lines, { id: 1206, code: code.toLowerCase(), discount: '5.00', discount_tax: '0.00', meta_data: [] }] };
    const placed = await wooDelivery(server, WOO_SECRET, 'created', 'e2e-1042', JSON.stringify(second));
    assert.equal(placed.status, 200, placed.text);
    const v = await voucherOf(server, code);
    assert.equal(v.status, 'used');
    assert.equal(String(v.order_id), '1042');
    held = await shopperOf(server, shop.token);
    assert.equal(held.vouchers.find((x) => x.code === code).status, 'used');
    await shownAsUsed(p, code, /Used on/);
    assert.deepEqual(p.errors, []);
    await p.context().close();
  } finally {
    await server.close();
    await shop.close();
  }
});

test('issue 14: another platform — without a voucher:apply listener the codes the server holds say to enter them at checkout; the page\'s respondWith decides applied or refused; nothing is used on the server', async () => {
  const shop = await storeOn('vn-coffee', {});
  const { server } = shop;
  try {
    // The merchant backend's order webhook for its customer, then points to spend from the console.
    const cart = { currency: 'VND', lines: [{ id: 'a', product_type: 'Cà phê', quantity: 1, unit_price: 55000 }] };
    const body = JSON.stringify({ order_id: 'g-1001', customer: { id: 'cust-generic-1' }, cart });
    const sig = 'sha256=' + createHmac('sha256', 'e2e-webhook-secret-0123456789').update(body).digest('hex');
    const r = await fetch(server.url + '/api/webhooks/orders', { method: 'POST', headers: { 'content-type': 'application/json', 'x-rewards-signature': sig }, body });
    assert.equal(r.status, 200, await r.text());
    assert.equal(await adjustInConsole(browser, server, 'cust-generic-1', 250, 'Welcome gift'), 250);
    // The backend signs the token (the same format as the Liquid snippet's); two codes redeemed with it.
    shop.token = liquidToken(server.merchantSecret, 'cust-generic-1');
    const codes = [];
    for (const key of ['g-redeem-1', 'g-redeem-2']) {
      const answer = await fetch(server.url + '/api/redeem', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + shop.token }, body: JSON.stringify({ redemption_id: 'giam-tien', points: 100, cart, idempotency_key: key }) });
      assert.equal(answer.status, 200);
      codes.push((await answer.json()).voucher_code);
    }
    const [taken, refused] = codes;

    const p = await cartPage(shop, '/pages/spa.html', 'vi-VN');
    await p.waitForFunction((n) => document.querySelector('rewards-checkout-prompt')?.shadowRoot?.querySelectorAll('.rw-vc').length === n, codes.length);
    // No listener: no Apply button, and the prompt says where the code goes.
    assert.equal(await p.locator('rewards-checkout-prompt .rw-vc button.rw-primary').count(), 0);
    assert.match(await p.locator('rewards-checkout-prompt .rw-vcs').textContent(), /Nhập mã vào ô mã giảm giá khi thanh toán\./);

    // A listener that takes one code and refuses the other (its cart re-set: the list shows Apply now).
    await p.evaluate(([taken, cart]) => {
      window.__asked = [];
      Rewards.on('voucher:apply', (v) => {
        window.__asked.push([v.code, v.discount, v.currency]);
        v.respondWith(new Promise((r) => setTimeout(() => r(v.code === taken), 50)));
      });
      Rewards.on('voucher:applied', (v) => window.__asked.push(['applied', v.code]));
      Rewards.setCart(cart);
    }, [taken, cart]);
    await applyButton(p, taken).click();
    await hint(p, taken).filter({ hasText: 'Đã áp dụng cho đơn này.' }).waitFor();
    assert.equal(await applyButton(p, taken).isHidden(), true, 'no second Apply once applied');
    await applyButton(p, refused).click();
    await hint(p, refused).filter({ hasText: 'Cửa hàng chưa nhận mã này' }).waitFor();
    assert.deepEqual(await p.evaluate(() => window.__asked), [[taken, 10000, 'VND'], ['applied', taken], [refused, 10000, 'VND']]);
    // The page's cart naming its codes keeps them shown as applied after a re-render.
    await p.evaluate(([refused, cart]) => Rewards.setCart({ ...cart, discount: 10000, discount_codes: [refused.toLowerCase()] }), [refused, cart]);
    await hint(p, refused).filter({ hasText: 'Đã áp dụng cho đơn này.' }).waitFor();
    // Applying is the page's business: both codes are still unused on the server.
    for (const code of codes) assert.equal((await voucherOf(server, code)).status, 'unused');
    assert.deepEqual(p.errors, []);
    await p.context().close();
  } finally {
    await server.close();
    await shop.close();
  }
});
