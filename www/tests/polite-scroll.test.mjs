// Issue 14, part 4: the popup is polite. The Vietnamese demo store's own
// program has a "60 % scrolled" trigger (and exit intent, and the phone's
// scroll-up intent): on the real server (`rewards-demo demo`), on its own
// pages, scroll depth never fires before the shopper has seen more than one
// screen and spent 3 s on the page, never while they use the product form,
// never on the short product page where 60 % is where "Add to cart" is, and
// not on a phone (the scroll-up intent takes its place). The mouse stays
// still inside the page: exit intent never fires here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ready, pageErrors, sleep } from './helpers.mjs';
import { setupReal } from './real-server.mjs';

let env;
before(async () => {
  env = await setupReal();
});
after(() => env.close());

const PHONE = { viewport: { width: 390, height: 760 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

/** A first visit to `path` of the vi store (no cooldown yet), recording each popup:shown's trigger and time. */
async function visit(path, options) {
  const page = await env.page(options);
  await page.goto(env.url('/demo/vi/' + path));
  await ready(page);
  await page.evaluate(() => {
    window.__shown = [];
    Rewards.on('popup:shown', (d) => window.__shown.push({ trigger: d.trigger, at: performance.now() }));
  });
  // The demo program's trigger, as the server published it.
  const depth = await page.evaluate(async () => (await (await fetch('/api/program')).json()).program.popup.triggers.scroll_percent);
  assert.equal(depth, 60, 'the demo program has a 60 % scroll trigger');
  return page;
}
const shown = (page) => page.evaluate(() => window.__shown.map((s) => s.trigger));
const toBottom = (page) => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));

test('issue 14: scroll depth is polite on the demo store — not before a screen and 3 s, not on the short product page, not while the product form is in use, not on a phone', async () => {
  // The home page, a window 600 px high (more than a screen to scroll): straight to the bottom at once, it waits for the reading time.
  const eager = await visit('', { viewport: { width: 1280, height: 600 } });
  await toBottom(eager);
  await eager.waitForFunction(() => window.__shown.length === 1, null, { timeout: 8000 });
  assert.deepEqual(await shown(eager), ['scroll']);
  assert.ok((await eager.evaluate(() => window.__shown[0].at)) >= 3000, 'not before 3 s on the page');

  // The product page at 1280 × 900 scrolls 57 px: 60 % is reached just above "Add to cart", but the shopper never saw more than one screen.
  const short = await visit('product.html?p=ca-phe-hat-robusta', { viewport: { width: 1280, height: 900 } });
  assert.ok(await short.evaluate(() => document.documentElement.scrollHeight - innerHeight < innerHeight), 'the product page is less than a screen longer than the window');
  await toBottom(short);
  await sleep(3800);
  assert.deepEqual(await shown(short), [], 'the short product page never shows it on scroll');

  // The product page in a 420 px window (more than a screen to scroll): choosing a size and adding to the cart holds it back until the form has been left alone for 4 s.
  const form = await visit('product.html?p=ca-phe-hat-robusta', { viewport: { width: 1280, height: 420 } });
  await form.evaluate(() => {
    window.__used = 0;
    // The page's own controls (not the popup's, which takes the focus when it opens).
    for (const type of ['pointerdown', 'focusin', 'input', 'change']) document.addEventListener(type, (e) => e.target.localName != 'rewards-widget' && (window.__used = performance.now()), true);
  });
  await sleep(3100);
  await form.selectOption('#variant', '500');
  await form.click('#add');
  await toBottom(form);
  await form.waitForFunction(() => window.__shown.length === 1, null, { timeout: 10000 });
  assert.deepEqual(await shown(form), ['scroll']);
  const { at, used } = await form.evaluate(() => ({ at: window.__shown[0].at, used: window.__used }));
  assert.ok(used > 3000 && at - used >= 4000, `not within 4 s of the last use of the product form (used at ${used} ms, shown at ${at} ms)`);

  // On a phone the scroll-up intent takes its place: scrolling the collection down to the bottom shows nothing.
  const phone = await visit('collection.html', PHONE);
  for (let y = 200; y <= 2000; y += 200) {
    await phone.evaluate((y) => window.scrollTo(0, y), y);
    await sleep(60);
  }
  await toBottom(phone);
  await sleep(3800);
  assert.deepEqual(await shown(phone), [], 'scroll depth does not fire on a phone');
  for (const p of [eager, short, form, phone]) assert.deepEqual(await pageErrors(p), []);
});
