// Issue 14 on the merchant's side: the console's log tables at 375 px. The
// delivery log of "Connect your store" (what arrived, what was refused and
// the error the store was sent) and the audit log stack each row, every
// cell naming its column, instead of scrolling sideways past the error;
// stacked, the members list's points read after their label.
// On the real server (`rewards-server serve`, SQLite) with recorded Shopify
// deliveries signed as Shopify signs them, one of them with a wrong secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, repo } from './helpers.mjs';
import { consolePage, startRealServe } from './real-server.mjs';
import { shopifyDelivery } from './storefront.mjs';

const SECRET = 'console-phone-shopify-secret-0123456789';
const fixture = (p) => readFileSync(join(repo, 'crates/server/tests/fixtures', p), 'utf8');
let server, browser;
before(async () => {
  server = await startRealServe({ program: 'vn-coffee', env: { REWARDS_SHOPIFY_WEBHOOK_SECRET: SECRET } });
  browser = await launchChromium();
  const order = fixture('shopify/orders-paid-vnd.json');
  const answers = [
    await shopifyDelivery(server, SECRET, 'orders/paid', 'phone-order', order),
    await shopifyDelivery(server, 'not-the-signing-secret-0123456789', 'orders/paid', 'phone-wrong-secret', order),
    await shopifyDelivery(server, SECRET, 'orders/paid', 'phone-kwd', fixture('shopify/orders-paid-kwd.json')),
  ];
  assert.deepEqual(answers.map((a) => a.status), [200, 401, 422]);
});
after(async () => {
  await browser.close();
  await server.close();
});

/** Each table's scroll container on the page: how far its content overflows it, and cells not naming their column. */
const tables = (p) =>
  p.evaluate(() =>
    [...document.querySelectorAll('main table')].map((t) => {
      const box = t.closest('.scroll') || t.parentElement;
      return {
        caption: (t.caption || box.previousElementSibling).textContent.trim(),
        overflow: box.scrollWidth - box.clientWidth,
        unnamed: [...t.querySelectorAll('tbody td')].filter((td) => td.textContent && !td.dataset.label).length,
      };
    }),
  );

test('issue 14: 375 px, the connect page\'s delivery log (arrived, refused with the error sent) and the audit log do not scroll sideways', async () => {
  const p = await consolePage(browser, server, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await p.goto(server.url + '/console/connect');
  const connect = await tables(p);
  assert.ok(connect.length >= 2, 'the Shopify section shows what arrived and what was refused');
  for (const t of connect) assert.deepEqual(t, { ...t, overflow: 0, unnamed: 0 }, `connect: ${t.caption}`);
  // The refusal's error is all there, in the page's width.
  const error = await p.evaluate(() => {
    const td = [...document.querySelectorAll('main td')].find((e) => /HMAC|Hmac/.test(e.textContent));
    const r = td.getBoundingClientRect();
    return { right: r.right, width: document.documentElement.clientWidth, page: document.documentElement.scrollWidth };
  });
  assert.ok(error.right <= error.width, `the error sent ends at ${error.right} px of ${error.width}`);
  assert.equal(error.page, error.width, 'the page does not scroll sideways');
  await p.goto(server.url + '/console/audit');
  const audit = await tables(p);
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0], { ...audit[0], overflow: 0, unnamed: 0 }, 'audit log');
  // Stacked, a number reads after its label like every other cell (not pushed to the right edge).
  await p.goto(server.url + '/console');
  const aligns = await p.evaluate(() => [...document.querySelectorAll('table.stack-sm td.num')].map((td) => getComputedStyle(td).textAlign));
  assert.ok(aligns.length > 0, 'the order made a member: the members list has a points cell');
  assert.deepEqual([...new Set(aligns)], ['left']);
  await p.context().close();
});

test('issue 14: 1280 px, the same tables keep their columns', async () => {
  const p = await consolePage(browser, server, { viewport: { width: 1280, height: 900 } });
  await p.goto(server.url + '/console/connect');
  const heads = await p.evaluate(() => [...document.querySelectorAll('main thead')].map((t) => getComputedStyle(t).display));
  assert.ok(heads.length >= 2);
  assert.deepEqual(heads, heads.map(() => 'table-header-group'));
  for (const t of await tables(p)) assert.equal(t.overflow, 0, `connect: ${t.caption}`);
  await p.context().close();
});
