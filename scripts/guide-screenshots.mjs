// The screenshots in docs/shopify.md and docs/woocommerce.md, of our own
// pages as a merchant following the guide sees them, at 1280 and 375 px:
// the console's "Connect your store" (the URLs and topics to paste), its
// delivery log with refused deliveries (a wrong secret, an order in another
// currency), and the widget on the store showing a signed-in customer's
// points after an order webhook. Against the real server (`rewards-server
// serve`, SQLite, the demo stores' programs) with the recorded platform
// deliveries of crates/server/tests/fixtures/, signed as the platform signs
// them; the store's side is the test storefront (www/tests/storefront.mjs).
//
//   node scripts/guide-screenshots.mjs     (needs www/dist and the debug server binary)
//
// Output: docs/img/<platform>-<what>-<width>.png (docs assets, committed),
// each cropped to what the guide points at, then made smaller with
// pngquant and optipng when they are installed (apt-get install pngquant
// optipng); without them the PNGs are written as Chromium made them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, ready, repo } from '../www/tests/helpers.mjs';
import { consolePage, startRealServe } from '../www/tests/real-server.mjs';
import { liquidToken, pluginToken, shopifyDelivery, startStorefront, wooDelivery } from '../www/tests/storefront.mjs';

const OUT = join(repo, 'docs/img');
const fixture = (p) => readFileSync(join(repo, 'crates/server/tests/fixtures', p), 'utf8');
const WIDTHS = {
  1280: { viewport: { width: 1280, height: 900 } },
  375: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
};

/** What each guide's store receives: accepted deliveries, then refused ones; and its signed-in customer. */
const PLATFORMS = {
  shopify: {
    program: 'vn-coffee',
    secretEnv: 'REWARDS_SHOPIFY_WEBHOOK_SECRET',
    secret: 'guide-shopify-signing-secret-0123456789',
    page: '/shopify/index.html',
    customer: () => JSON.parse(fixture('shopify/orders-paid-vnd.json')).customer.id,
    token: liquidToken,
    async deliveries(server, secret) {
      const customer = fixture('shopify/customers-create.json');
      const order = fixture('shopify/orders-paid-vnd.json');
      return [
        await shopifyDelivery(server, secret, 'customers/create', 'guide-customer', customer),
        await shopifyDelivery(server, secret, 'orders/paid', 'guide-order', order),
        // Refused: signed with another secret; an order in a currency the program is not in.
        await shopifyDelivery(server, 'not-the-signing-secret-0123456789', 'orders/paid', 'guide-wrong-secret', order),
        await shopifyDelivery(server, secret, 'orders/paid', 'guide-kwd', fixture('shopify/orders-paid-kwd.json')),
      ];
    },
  },
  woocommerce: {
    program: 'us-apparel',
    secretEnv: 'REWARDS_WOOCOMMERCE_WEBHOOK_SECRET',
    secret: 'guide-woocommerce-webhook-secret-0123456789',
    page: '/woo/index.html',
    customer: () => JSON.parse(fixture('woocommerce/order-1041-processing-usd-coupon.json')).customer_id,
    token: pluginToken,
    async deliveries(server, secret) {
      const order = fixture('woocommerce/order-1041-processing-usd-coupon.json');
      return [
        await wooDelivery(server, secret, 'created', 'guide-1041', order),
        await wooDelivery(server, 'not-the-webhook-secret-0123456789', 'updated', 'guide-wrong-secret', order),
        await wooDelivery(server, secret, 'created', 'guide-kwd', fixture('woocommerce/order-2210-completed-kwd.json')),
      ];
    },
  },
};

const browser = await launchChromium();
mkdirSync(OUT, { recursive: true });
const written = [];

/** A PNG of the page from the top of `from` to the bottom of `to` (selectors), the page's width. */
async function crop(p, name, from, to) {
  const box = await p.evaluate(([from, to]) => {
    const top = document.querySelector(from).getBoundingClientRect().top + scrollY - 8;
    const bottom = document.querySelector(to).getBoundingClientRect().bottom + scrollY + 8;
    return { x: 0, y: Math.max(0, top), width: document.documentElement.clientWidth, height: bottom - Math.max(0, top) };
  }, [from, to]);
  const file = join(OUT, name + '.png');
  await p.screenshot({ path: file, clip: box, fullPage: true });
  written.push(file);
}

for (const [name, platform] of Object.entries(PLATFORMS)) {
  const shop = await startStorefront();
  const server = await startRealServe({ program: platform.program, env: { [platform.secretEnv]: platform.secret, REWARDS_ALLOWED_ORIGINS: shop.url } });
  shop.server = server;
  try {
    const answers = await platform.deliveries(server, platform.secret);
    console.log(name, answers.map((a) => a.status).join(' '));
    for (const [width, options] of Object.entries(WIDTHS)) {
      // The console: the URLs and topics to paste, then what arrived and what was refused.
      const p = await consolePage(browser, server, options);
      await p.goto(server.url + '/console/connect');
      const section = `section[aria-labelledby="connect-${name}"]`;
      // The platform's part, down to the theme snippet (Shopify, with the page's title above: it comes
      // first) or the plugin's server URL (WooCommerce), above "Arrived".
      await crop(p, `${name}-connect-${width}`, name === 'shopify' ? 'main h1' : section, `${section} ${name === 'shopify' ? 'details' : 'pre'}`);
      await crop(p, `${name}-deliveries-${width}`, `${section} h3`, `${section} > :last-child`);
      await p.context().close();

      // The store: the signed-in customer's points in the widget's panel.
      shop.token = platform.token(server.merchantSecret, platform.customer());
      shop.locale = 'en';
      const context = await browser.newContext({ ...options, locale: 'en-US' });
      const s = await context.newPage();
      await s.addInitScript(() => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() })));
      await s.goto(shop.url + platform.page);
      await ready(s);
      await s.evaluate(() => Rewards.open('explainer'));
      await s.waitForFunction(() => /points? pending/.test(document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-panel[open] .rw-summary')?.textContent || ''));
      await s.waitForTimeout(300); // the panel's opening transition
      const file = join(OUT, `${name}-points-${width}.png`);
      await s.locator('rewards-widget dialog.rw-panel').screenshot({ path: file });
      written.push(file);
      await context.close();
    }
  } finally {
    await server.close();
    await shop.close();
  }
}
await browser.close();

const has = (tool) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const [pngquant, optipng] = [has('pngquant'), has('optipng')];
for (const file of written) {
  try {
    if (pngquant) execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality', '70-95', '--strip', '--output', file, file]);
  } catch {
    /* 98/99: the palette PNG would be larger or worse than allowed: the file is left as it was */
  }
  if (optipng) execFileSync('optipng', ['-quiet', '-o5', '-strip', 'all', file]);
  console.log(file.slice(repo.length), statSync(file).size, 'B');
}
if (!pngquant || !optipng) console.log('(not made smaller: install pngquant and optipng)');
