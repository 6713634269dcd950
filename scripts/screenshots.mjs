// Screenshots of every shopper surface on both demo stores, through the real
// server (`rewards-demo demo`, SQLite), at 320, 375 and 1280 px, in
// Vietnamese and English: the launcher (a guest's and a signed-in
// shopper's balance), product points (collection and product page), the
// checkout prompt (guest, member), the redeem picker, "Your codes", the
// explainer (guest, member, top to bottom), "Your activity" and the signup
// popup. For a person to look at (issue 14): nothing here asserts; the
// browser tests do (overflow, reserve, words, a11y).
//
//   node scripts/screenshots.mjs [--only vi-375]   (needs www/dist and the debug server binary)
//
// Output: reports/screens/<store>-<width>-<surface>.png (reports/ is gitignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repo, ready } from '../www/tests/helpers.mjs';
import { startRealEnv, customerWith } from '../www/tests/real-server.mjs';
import { newPage } from '../www/tests/helpers.mjs';

const OUT = join(repo, 'reports/screens');
const WIDTHS = {
  320: { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
  375: { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
  1280: { viewport: { width: 1280, height: 900 } },
};
const STORES = {
  vi: { key: 'vn', product: 'ca-phe-hat-robusta', cart: [['ca-phe-sua-da', 'l', 2], ['ca-phe-hat-robusta', '500', 1]] },
  en: { key: 'us', product: 'merino-hiker-sock', cart: [['ridgeline-rain-shell', 'm', 1], ['merino-hiker-sock', 'l', 2]] },
};
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

const { server, browser, close } = await startRealEnv();
mkdirSync(OUT, { recursive: true });
const base = (store) => `${server[store]}/${store}/`;
let shots = 0;

/** A fresh page: this store's demo cart, the popup's cooldown set (it would cover the page) unless `popup`. */
async function open(store, width, { cart = [], popup = false } = {}) {
  const page = await newPage(browser, WIDTHS[width]);
  await page.addInitScript(
    ([key, lines, popup]) => {
      if (sessionStorage.getItem('shots:init')) return;
      sessionStorage.setItem('shots:init', '1');
      localStorage.setItem('demo:cart:' + key, JSON.stringify({ lines, insurance: false }));
      if (!popup) localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
    },
    [STORES[store].key, cart.map(([handle, variant, qty]) => ({ handle, variant, qty })), popup],
  );
  return page;
}
const shot = async (page, name, what) => {
  await page.waitForTimeout(250); // the last redraw, fonts
  await (what || page).screenshot({ path: join(OUT, name + '.png') });
  shots += 1;
};
const root = (page, host, fn, arg) => page.evaluate(([h, f, a]) => new Function('root', 'arg', 'return (' + f + ')(root, arg)')(document.querySelector(h).shadowRoot, a), [host, fn.toString(), arg]);

for (const store of ['vi', 'en']) {
  // A seeded member of the demo with points to spend (and its history: codes, activity).
  const probe = await newPage(browser);
  await probe.goto(base(store));
  const token = await customerWith(probe, 300);
  await probe.context().close();
  const s = STORES[store];
  for (const width of [320, 375, 1280]) {
    const tag = `${store}-${width}`;
    if (only && only !== tag) continue;
    // Launcher: a guest's, then a signed-in shopper's balance.
    {
      const page = await open(store, width);
      await page.goto(base(store));
      await ready(page);
      await shot(page, `${tag}-launcher-guest`);
      await page.evaluate((t) => Rewards.setShopperToken(t), token);
      await page.waitForFunction(() => /\d/.test(document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').textContent));
      await shot(page, `${tag}-launcher-member`);
      await page.context().close();
    }
    // Product points: the collection's cards and a product page.
    for (const [path, name] of [['collection.html', 'collection'], [`product.html?p=${s.product}`, 'product']]) {
      const page = await open(store, width);
      await page.goto(base(store) + path);
      await ready(page);
      await page.waitForFunction(() => [...document.querySelectorAll('rewards-product-points')].every((e) => e.shadowRoot && e.shadowRoot.querySelector('.rw-points')));
      await page.locator('rewards-product-points').first().scrollIntoViewIfNeeded();
      await shot(page, `${tag}-points-${name}`);
      await page.context().close();
    }
    // The checkout prompt: a guest's, then the member's with "Your codes", then the redeem picker open.
    {
      const page = await open(store, width, { cart: s.cart });
      await page.goto(base(store) + 'cart.html');
      await ready(page);
      await page.waitForSelector('rewards-checkout-prompt [data-rw=earn]');
      const prompt = page.locator('rewards-checkout-prompt');
      await prompt.scrollIntoViewIfNeeded();
      await shot(page, `${tag}-prompt-guest`);
      await page.evaluate((t) => Rewards.setShopperToken(t), token);
      await page.waitForSelector('rewards-checkout-prompt .rw-pr-actions button[aria-expanded]');
      await prompt.scrollIntoViewIfNeeded();
      await shot(page, `${tag}-prompt-member`);
      await shot(page, `${tag}-prompt-member-element`, prompt);
      await page.click('rewards-checkout-prompt .rw-pr-actions button[aria-expanded]');
      await page.waitForSelector('rewards-checkout-prompt .rw-redeem:not([hidden]) .rw-opt');
      await shot(page, `${tag}-redeem-picker`, prompt);
      await page.context().close();
    }
    // The explainer: a guest's; the member's from the top down (balance, codes, activity shown).
    {
      const page = await open(store, width);
      await page.goto(base(store));
      await ready(page);
      await page.evaluate(() => Rewards.open('explainer'));
      await page.waitForSelector('dialog.rw-panel[open] .rw-section');
      await shot(page, `${tag}-explainer-guest`);
      await page.keyboard.press('Escape');
      await page.evaluate((t) => Rewards.setShopperToken(t), token);
      await page.evaluate(() => Rewards.open('explainer'));
      await page.waitForSelector('dialog.rw-panel[open] .rw-balance');
      await shot(page, `${tag}-explainer-member`);
      const codes = page.locator('rewards-widget .rw-vc').first();
      if (await codes.count()) {
        await codes.scrollIntoViewIfNeeded();
        await shot(page, `${tag}-your-codes`);
      }
      const activity = page.locator('rewards-widget [data-rw=activity]');
      await activity.scrollIntoViewIfNeeded();
      const show = page.locator('rewards-widget [data-rw=activity] ~ button, rewards-widget .rw-section:has([data-rw=activity]) button.rw-secondary').first();
      if (await show.count()) await show.click();
      await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('[data-rw=activity] li'));
      await activity.scrollIntoViewIfNeeded();
      await shot(page, `${tag}-activity`);
      // The rest of the panel, a screen at a time.
      const steps = await root(page, 'rewards-widget', (r) => {
        const b = r.querySelector('.rw-panel-body');
        return Math.ceil(b.scrollHeight / b.clientHeight);
      });
      for (let i = 0; i < steps; i++) {
        await root(page, 'rewards-widget', (r, i) => r.querySelector('.rw-panel-body').scrollTo(0, i * r.querySelector('.rw-panel-body').clientHeight), i);
        await shot(page, `${tag}-explainer-member-${i + 1}`);
      }
      await page.context().close();
    }
    // The signup popup.
    {
      const page = await open(store, width, { popup: true });
      await page.goto(base(store) + 'collection.html');
      await ready(page);
      await page.evaluate(() => Rewards.open('popup'));
      await page.waitForSelector('dialog.rw-popup[open]');
      await shot(page, `${tag}-popup`);
      await page.context().close();
    }
  }
}
await close();
console.log(`${shots} screenshots in ${OUT}`);
