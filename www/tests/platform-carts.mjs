// The platforms' own cart APIs, for browser tests: Shopify's storefront
// AJAX API under /shopify/ (money in ×100 units, recorded shapes in
// fixtures/shopify-*.json) and WooCommerce's Store API under /woo/ (strings
// in minor units, fixtures/woo-*.json). These play the platform, never our
// server: the stub (serve.mjs) and the storefront in front of the real
// server (storefront.mjs) both answer with them. Each request that changes
// the cart is kept in `state.changes` ({path, body, nonce}) as the platform
// received it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('fixtures/', import.meta.url));
const fixture = (name) => JSON.parse(readFileSync(fixtures + name, 'utf8'));

/** A fresh platform: the recorded carts and products, no discount codes known. */
export function platformState() {
  return {
    shopifyCart: fixture('shopify-cart-vnd.json'),
    shopifyProducts: fixture('shopify-products.json'),
    wooCart: fixture('woo-cart-usd.json'),
    wooProducts: fixture('woo-products.json'),
    /** Discount codes the platform knows (the merchant created them there): code → amount off (Shopify ×100 units / Woo minor units). */
    platformCodes: new Map(),
    wooNonce: 'f3a9c2e1b7',
    /** The cart-changing requests as received: { path, body (parsed JSON), nonce }. */
    changes: [],
  };
}

/** The platform's answer to `req` at `p` (its path) → { status, value, headers } or null when the path is not the platform's. */
export function platformAnswer(state, req, p, body) {
  const json = (v) => JSON.parse(v || 'null');
  const answer = (status, value, headers = {}) => ({ status, value, headers });
  if (req.method === 'POST' && /^\/(shopify\/cart\/|woo\/wp-json\/wc\/store\/v1\/cart\/)/.test(p)) state.changes.push({ path: p, body: json(body), nonce: req.headers.nonce ?? null });
  // Shopify storefront AJAX API (recorded shapes, money in ×100 units).
  if (p === '/shopify/cart.js') return answer(200, state.shopifyCart);
  if (p === '/shopify/cart/update.js' && req.method === 'POST' && typeof (json(body) || {}).discount === 'string') {
    // `discount`: the whole set of codes the cart should end with (Shopify's changelog, May 2025).
    const c = state.shopifyCart;
    const codes = json(body).discount.split(',').map((x) => x.trim()).filter(Boolean);
    c.discount_codes = codes.map((code) => ({ code, applicable: state.platformCodes.has(code.toUpperCase()) }));
    c.cart_level_discount_applications = c.discount_codes
      .filter((d) => d.applicable)
      .map((d) => ({ type: 'discount_code', key: d.code, title: d.code, description: '', value: String(state.platformCodes.get(d.code.toUpperCase()) / 100), value_type: 'fixed_amount', allocation_method: 'across', target_selection: 'all', target_type: 'line_item', total_allocated_amount: state.platformCodes.get(d.code.toUpperCase()) }));
    c.total_discount = c.cart_level_discount_applications.reduce((s, d) => s + d.total_allocated_amount, 0);
    return answer(200, c);
  }
  if (p === '/shopify/cart/update.js' && req.method === 'POST' && (json(body) || {}).attributes) {
    // `attributes` merge into the cart's; a null value removes one (the Ajax Cart API's "update cart attributes").
    const c = state.shopifyCart;
    c.attributes = Object.assign({}, c.attributes);
    for (const [k, v] of Object.entries(json(body).attributes)) {
      if (v == null) delete c.attributes[k];
      else c.attributes[k] = String(v);
    }
    return answer(200, c);
  }
  if (/^\/shopify\/cart\/(add|change|update)\.js$/.test(p) && req.method === 'POST') {
    const b = json(body) || {};
    const item = state.shopifyCart.items.find((i) => String(i.id) === String(b.id) || i.key === b.id);
    if (item) {
      item.quantity = p.endsWith('add.js') ? item.quantity + (b.quantity || 1) : b.quantity;
      item.original_line_price = item.original_price * item.quantity;
      item.final_line_price = item.line_price = item.final_price * item.quantity;
      state.shopifyCart.items = state.shopifyCart.items.filter((i) => i.quantity > 0);
    }
    return answer(200, state.shopifyCart);
  }
  const sp = /^\/shopify\/products\/([\w-]+)\.js$/.exec(p);
  if (sp) return state.shopifyProducts[sp[1]] ? answer(200, state.shopifyProducts[sp[1]]) : answer(404, {});
  // WooCommerce Store API (amounts are strings in minor units).
  if (p === '/woo/wp-json/wc/store/v1/cart') return answer(200, state.wooCart, { Nonce: state.wooNonce });
  if (p === '/woo/wp-json/wc/store/v1/cart/apply-coupon' && req.method === 'POST') {
    // As the Store API answers: a nonce is required; an unknown coupon is a 400; else the new cart.
    if (req.headers.nonce !== state.wooNonce) return answer(401, { code: 'woocommerce_rest_missing_nonce', message: 'Missing the Nonce header. This endpoint requires a valid nonce.', data: { status: 401 } });
    const code = String((json(body) || {}).code || '').toLowerCase();
    const amount = state.platformCodes.get(code.toUpperCase());
    if (amount == null) return answer(400, { code: 'woocommerce_rest_cart_coupon_error', message: `Coupon "${code}" does not exist!`, data: { status: 400 } });
    const c = state.wooCart;
    c.coupons.push({ code, discount_type: 'fixed_cart', totals: { total_discount: String(amount), total_discount_tax: '0', currency_code: c.totals.currency_code, currency_minor_unit: c.totals.currency_minor_unit } });
    const first = c.items[0].totals;
    first.line_total = String(Number(first.line_total) - amount);
    return answer(200, c, { Nonce: state.wooNonce });
  }
  if (p === '/woo/wp-json/wc/store/v1/cart/update-item' && req.method === 'POST') {
    const b = json(body) || {};
    const item = state.wooCart.items.find((i) => i.key === b.key);
    if (item) {
      const unit = Number(item.totals.line_subtotal) / item.quantity;
      const ratio = Number(item.totals.line_total) / Number(item.totals.line_subtotal);
      item.quantity = b.quantity;
      item.totals.line_subtotal = String(unit * b.quantity);
      item.totals.line_total = String(Math.round(unit * b.quantity * ratio));
    }
    return answer(200, state.wooCart);
  }
  const wp = /^\/woo\/wp-json\/wc\/store\/v1\/products\/(\d+)$/.exec(p);
  if (wp) return state.wooProducts[wp[1]] ? answer(200, state.wooProducts[wp[1]]) : answer(404, {});
  return null;
}
