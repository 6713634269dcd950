// A store on Shopify or WooCommerce in front of the real server, for
// browser tests: the platform's side (its theme pages, here the fixture
// pages under fixtures/pages/, and its cart APIs, platform-carts.mjs) on
// its own loopback origin, with the widget's script tag pointing at a real
// `rewards-server serve` (real-server.mjs) as the platform integration
// prints it, a signed-in customer's token included. What the platform
// signs is signed here the way it signs it: webhooks (base64 HMAC-SHA256
// of the raw body), the Liquid snippet's shopper token, the WordPress
// plugin's token (its own PHP function, run with php-cli).

import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { repo } from './helpers.mjs';
import { platformAnswer, platformState } from './platform-carts.mjs';

/** base64 HMAC-SHA256 of the raw body: both platforms' webhook signature. */
export const platformSignature = (secret, body) => createHmac('sha256', secret).update(body).digest('base64');

/** The Liquid snippet's token (integrations/shopify/snippets/rewards-widget.liquid): base64url, `=` removed. */
export function liquidToken(secret, customerId) {
  const head = Buffer.from(String(customerId)).toString('base64url') + '.' + (Math.floor(Date.now() / 1000) + 3600);
  return head + '.' + createHmac('sha256', secret).update(head).digest('hex');
}

/** The WordPress plugin's token, by its own function (integrations/woocommerce/rewards-widget/includes/token.php). */
export function pluginToken(secret, customerId) {
  const file = join(repo, 'integrations/woocommerce/rewards-widget/includes/token.php');
  const code = "define('REWARDS_WIDGET_TEST', true); require $argv[1]; echo rewards_widget_shopper_token($argv[2], $argv[3], time());";
  return execFileSync('php', ['-r', code, '--', file, secret, String(customerId)], { encoding: 'utf8' });
}

/** A delivery to the server as the platform sends it; resolves to { status, json }. */
export async function deliver(server, path, headers, body) {
  const r = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await r.text();
  return { status: r.status, text, json: /^\s*[{[]/.test(text) ? JSON.parse(text) : null };
}

/** Shopify's delivery of `topic` (its X-Shopify-* headers), signed with `secret`. */
export const shopifyDelivery = (server, secret, topic, id, body) =>
  deliver(server, '/api/webhooks/shopify', { 'x-shopify-topic': topic, 'x-shopify-webhook-id': id, 'x-shopify-hmac-sha256': platformSignature(secret, body), 'x-shopify-shop-domain': 'pho-co.myshopify.com' }, body);

/** WooCommerce's delivery of `order.<event>` (`WC_Webhook::deliver`'s headers), signed with `secret`. */
export const wooDelivery = (server, secret, event, id, body) =>
  deliver(server, '/api/webhooks/woocommerce', {
    'x-wc-webhook-topic': 'order.' + event, 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': event, 'x-wc-webhook-id': '12',
    'x-wc-webhook-delivery-id': id, 'x-wc-webhook-signature': platformSignature(secret, body),
  }, body);

/**
 * The platform's side on a loopback origin (Chromium refuses a public
 * origin's requests to loopback): `/shopify/index.html`, `/woo/index.html`
 * and `/pages/NAME.html` are the fixture pages, their script tag pointed at
 * `shop.server` with `shop.token` (and `shop.locale`, the page's language
 * otherwise) once set; `shop.platform` is the
 * platform's cart state (platform-carts.mjs).
 */
export async function startStorefront() {
  const shop = { server: null, token: null, locale: null, platform: platformState() };
  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname;
      const page = /^\/(shopify|woo)\/index\.html$/.test(path) ? path : (/^\/pages\/([\w-]+\.html)$/.exec(path) || [])[1];
      if (page) {
        const html = readFileSync(join(repo, 'www/tests/fixtures/pages', page), 'utf8').replace(/<script src="\/rewards\.js"([^>]*)><\/script>/, (_, attrs) => scriptTag(shop, attrs));
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(html);
      }
      // The fixture pages' own stylesheet.
      if (path === '/tests/fixtures/pages/plain.css') {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
        return res.end(readFileSync(join(repo, 'www/tests/fixtures/pages/plain.css')));
      }
      const a = platformAnswer(shop.platform, req, path, body);
      res.writeHead(a ? a.status : 404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...(a ? a.headers : {}) });
      res.end(JSON.stringify(a ? a.value : { error: 'not_found' }));
    });
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  shop.url = `http://127.0.0.1:${http.address().port}`;
  shop.close = () => new Promise((r) => http.close(r));
  return shop;
}

/** The fixture page's tag with the real server's URLs (program, API) and the signed-in customer's token. */
function scriptTag(shop, attrs) {
  const api = shop.server.url;
  let rest = attrs.replace(/ data-config="[^"]*"/, '').replace(/ data-api="[^"]*"/, '');
  if (shop.locale) rest = rest.replace(/ data-locale="[^"]*"/, '') + ` data-locale="${shop.locale}"`;
  const token = shop.token ? ` data-shopper-token="${shop.token}"` : '';
  return `<script src="${api}/rewards.js"${rest} data-config="${api}/api/program" data-api="${api}/"${token}></script>`;
}
