// Issue 14, part 3: no number or sentence that matters is cut off. Every
// surface of the widget (product points on the collection and product pages,
// the checkout prompt as a guest, as a member with tier progress, stamps,
// redemptions open and a code listed, a completed punch card, the explainer
// for a guest and a member, the signup popup), in both demo stores, at 320,
// 375 and 1280 px: no text-bearing element in any widget shadow root is cut
// (ellipsis, hidden overflow, line clamp), nothing scrolls sideways, and no
// text relies on a `title` tooltip. Screenshots go to reports/screenshots/.
// On the real server (`rewards-demo demo`): the members are the demo's
// seeded customers (signed in with tokens its backend signs), with the
// codes of their seeded history, and stamps added by real orders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ready, pageErrors, screenshot } from './helpers.mjs';
import { setupReal } from './real-server.mjs';

let env;
before(async () => {
  env = await setupReal();
});
after(() => env.close());

const WIDTHS = [
  [320, { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true }],
  [375, { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 }],
  [1280, { viewport: { width: 1280, height: 900 } }],
];

const STORES = {
  vi: {
    key: 'vn',
    product: 'ca-phe-sua-da',
    // 2 iced coffees (2 stamps: coffee is stamped per item) and a bag of beans.
    cart: [['ca-phe-sua-da', 'l', 2], ['ca-phe-hat-robusta', '500', 1]],
    // Below the 50.000 ₫ minimum: the detail line says how much more earns points.
    small: [['ca-phe-sua-da', 'm', 1]],
    required: 10,
    added: 2,
    // The signed-in member's tier (its points are multiplied).
    tier: 'bac',
  },
  en: {
    key: 'us',
    product: 'merino-hiker-sock',
    // A rain shell and socks (the sock club stamps once per order).
    cart: [['ridgeline-rain-shell', 'm', 1], ['merino-hiker-sock', 'l', 2]],
    small: [['merino-hiker-sock', 'm', 1]],
    required: 6,
    added: 1,
    tier: 'trailblazer',
  },
};

/**
 * In the page: every cut text in the widget's shadow roots. An element is
 * checked when it (or a descendant within its block) holds text: cut when
 * its content is wider than its box while overflow-x hides it or
 * text-overflow is ellipsis, or taller while it is line-clamped or
 * overflow-y hides it. Scroll containers must not scroll sideways.
 */
function findCuts(hosts) {
  const out = [];
  const roots = [];
  for (const host of document.querySelectorAll(hosts)) if (host.shadowRoot) roots.push(host);
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const hidden = (v) => v === 'hidden' || v === 'clip';
  const describe = (el) => ({ tag: el.tagName.toLowerCase(), cls: String(el.getAttribute('class') || ''), text: el.textContent.replace(/\s+/g, ' ').trim().slice(0, 160) });
  for (const host of roots) {
    const seen = new Set();
    for (const el of host.shadowRoot.querySelectorAll('*')) {
      if (!visible(el) || el.closest('.rw-sr, .rw-hp, svg')) continue;
      if (el.hasAttribute('title')) out.push(Object.assign({ host: host.localName, why: 'title tooltip' }, describe(el)));
      const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!hasText) continue;
      // The element and its ancestors inside the shadow root: any of them may clip its text.
      for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
        if (seen.has(a)) continue;
        seen.add(a);
        const s = getComputedStyle(a);
        const clamp = s.webkitLineClamp && s.webkitLineClamp !== 'none';
        const wide = a.scrollWidth > a.clientWidth + 1;
        const tall = a.scrollHeight > a.clientHeight + 1;
        const why = [];
        if (wide && (hidden(s.overflowX) || s.textOverflow === 'ellipsis')) why.push('cut sideways (' + a.scrollWidth + ' > ' + a.clientWidth + ' px)');
        if (tall && (clamp || hidden(s.overflowY))) why.push((clamp ? 'line-clamped' : 'cut below') + ' (' + a.scrollHeight + ' > ' + a.clientHeight + ' px)');
        if (why.length) out.push(Object.assign({ host: host.localName, why: why.join(', ') }, describe(a)));
      }
    }
    // Nothing inside scrolls sideways.
    for (const el of host.shadowRoot.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      if (!visible(el) || !/auto|scroll/.test(s.overflowX)) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(Object.assign({ host: host.localName, why: 'scrolls sideways (' + el.scrollWidth + ' > ' + el.clientWidth + ' px)' }, describe(el)));
    }
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) out.push({ host: 'page', why: 'page scrolls sideways (' + doc.scrollWidth + ' > ' + doc.clientWidth + ' px)', tag: 'html', cls: '', text: '' });
  return out;
}

/** A fresh page with this cart, shopper token and popup state. */
async function open(options, store, { cart = [], popupDone = true } = {}) {
  const s = STORES[store];
  const page = await env.page(options);
  const lines = cart.map(([handle, variant, qty]) => ({ handle, variant, qty }));
  await page.addInitScript(
    ([key, lines, popupDone]) => {
      if (sessionStorage.getItem('overflow:init')) return;
      sessionStorage.setItem('overflow:init', '1');
      localStorage.setItem('demo:cart:' + key, JSON.stringify({ lines, insurance: false }));
      // The program's triggers would open the popup over the page.
      if (popupDone) localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
    },
    [s.key, lines, popupDone],
  );
  return page;
}

/**
 * The store's signed-in members, made once per store on the real server:
 * `member` a seeded customer in the tier named in STORES (its points are
 * multiplied) with stamps and an unused code from its history; `card`
 * another one whose punch card is one stamp short, by real orders of the
 * small cart (one stamp each).
 */
const MEMBERS = {};
async function members(store) {
  if (MEMBERS[store]) return MEMBERS[store];
  const s = STORES[store];
  const page = await open({}, store, { cart: s.small });
  await page.goto(env.url(`/demo/${store}/cart.html`));
  await ready(page);
  const made = await page.evaluate(async ({ s }) => {
    const token = async (c) => (await (await fetch('/demo/token?customer_id=' + c)).json()).token;
    const read = async (t) => (await fetch('/api/shopper', { headers: { authorization: 'Bearer ' + t } })).json();
    const post = async (path, t, body) => {
      const r = await fetch(path, { method: 'POST', headers: { authorization: 'Bearer ' + t, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return [r.status, await r.json()];
    };
    const small = window.DemoStore.cart();
    let member = null;
    let card = null;
    for (let c = 1; c <= 80 && !(member && card); c++) {
      const t = await token('demo-' + c);
      const who = await read(t);
      const unused = (who.vouchers || []).some((v) => v.status === 'unused');
      if (!member && who.tier && who.tier.id === s.tier && who.stamps > 0 && unused) member = t;
      else if (!card) card = t;
    }
    if (!member || !card) return { error: 'no seeded customer in tier ' + s.tier + ' with stamps and an unused code' };
    for (let n = 0; n < s.required && (await read(card)).stamps !== s.required - 1; n++) {
      const placed = await post('/demo/order', card, { cart: small });
      if (placed[0] !== 200) return { error: 'order: ' + JSON.stringify(placed) };
    }
    if ((await read(card)).stamps !== s.required - 1) return { error: 'the card is not one stamp short' };
    return { member, card };
  }, { s });
  await page.context().close();
  assert.equal(made.error, undefined, made.error);
  return (MEMBERS[store] = made);
}

const inPrompt = (page, fn) => page.waitForFunction(fn, null, { timeout: 10000 });

async function signIn(page, token) {
  await page.evaluate((t) => Rewards.setShopperToken(t), token);
}

async function promptReady(page) {
  await page.waitForSelector('rewards-checkout-prompt [data-rw=earn]');
  await page.locator('rewards-checkout-prompt').scrollIntoViewIfNeeded();
}

for (const [width, options] of WIDTHS) {
  for (const store of ['vi', 'en']) {
    const s = STORES[store];
    test(`issue 14: nothing of the widget is cut off — ${store}, ${width} px`, async () => {
      const who = await members(store);
      const failures = [];
      const errors = [];
      // Each surface checks its own shadow roots (the launcher is in the overlay's, with the dialogs).
      const HOSTS = { points: 'rewards-product-points', prompt: 'rewards-checkout-prompt', overlay: 'rewards-widget' };
      const check = async (page, surface, hosts, shot) => {
        for (const c of await page.evaluate(findCuts, HOSTS[hosts])) {
          const line = `${surface} @ ${width} px, ${store}: <${c.tag} class="${c.cls}"> in ${c.host} ${c.why}: "${c.text}"`;
          if (!failures.includes(line)) failures.push(line);
        }
        if (shot) await screenshot(page, `overflow-${shot}-${store}-${width}`);
      };
      const done = async (page) => {
        errors.push(...(await pageErrors(page)));
        await page.context().close();
      };

      // Product points: the collection and a product page, as a guest and as a member (larger numbers).
      for (const [path, name] of [['collection.html', 'collection'], [`product.html?p=${s.product}`, 'product']]) {
        const page = await open(options, store);
        await page.goto(env.url(`/demo/${store}/${path}`));
        await ready(page);
        await page.waitForFunction(() => [...document.querySelectorAll('rewards-product-points')].every((e) => e.shadowRoot && e.shadowRoot.querySelector('.rw-points')));
        await page.locator('rewards-product-points').first().scrollIntoViewIfNeeded();
        await check(page, `product points (${name}, guest)`, 'points', name);
        const guest = await page.evaluate(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]').dataset.value);
        await signIn(page, who.member);
        // The member's tier multiplies the points: wait for the larger number.
        await page.waitForFunction((g) => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]').dataset.value !== g, guest);
        await check(page, `product points (${name}, member)`, 'points');
        await done(page);
      }

      // The checkout prompt as a guest, with a full cart and a small one.
      for (const [cart, name] of [[s.cart, 'guest'], [s.small, 'guest-small']]) {
        const page = await open(options, store, { cart });
        await page.goto(env.url(`/demo/${store}/cart.html`));
        await ready(page);
        await promptReady(page);
        await check(page, `prompt (${name})`, 'prompt', 'prompt-' + name);
        await done(page);
      }

      // As a member: tier progress, stamps added, a code listed, redemptions open.
      {
        const page = await open(options, store, { cart: s.cart });
        await page.goto(env.url(`/demo/${store}/cart.html`));
        await ready(page);
        await signIn(page, who.member);
        await inPrompt(page, () => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('.rw-vc .rw-code') && document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=tier]'));
        await page.click('rewards-checkout-prompt .rw-pr-actions button[aria-expanded]');
        await page.waitForSelector('rewards-checkout-prompt .rw-redeem:not([hidden]) .rw-opt');
        await promptReady(page);
        await check(page, 'prompt (member, redemptions open, code listed)', 'prompt', 'prompt-member');
        await page.locator('rewards-checkout-prompt .rw-redeem').scrollIntoViewIfNeeded();
        await screenshot(page, `overflow-prompt-redeem-${store}-${width}`);
        await done(page);
      }

      // A completed punch card: one stamp short, with an eligible cart.
      {
        const page = await open(options, store, { cart: s.cart });
        await page.goto(env.url(`/demo/${store}/cart.html`));
        await ready(page);
        await signIn(page, who.card);
        // The member's card (not the guest's first render): this order completes it, no stamp left empty.
        await inPrompt(page, () => {
          const root = document.querySelector('rewards-checkout-prompt').shadowRoot;
          const e = root.querySelector('[data-rw=stamps]');
          return e && e.closest('.rw-prompt') && root.querySelector('.rw-stamp-added') && root.querySelectorAll('.rw-stamp-empty').length === 0;
        });
        await promptReady(page);
        await check(page, 'prompt (punch card completed)', 'prompt', 'prompt-card');
        await done(page);
      }

      // The explainer, as a guest and as a member with a code.
      {
        const page = await open(options, store);
        await page.goto(env.url(`/demo/${store}/`));
        await ready(page);
        await page.evaluate(() => Rewards.open('explainer'));
        await page.waitForSelector('dialog.rw-panel[open] .rw-section');
        await check(page, 'explainer (guest)', 'overlay', 'explainer-guest');
        await page.keyboard.press('Escape');
        await signIn(page, who.member);
        await page.evaluate(() => Rewards.open('explainer'));
        await page.waitForSelector('dialog.rw-panel[open] .rw-balance');
        await page.waitForSelector('dialog.rw-panel[open] .rw-vc .rw-code');
        await check(page, 'explainer (member)', 'overlay', 'explainer-member');
        await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-panel-body').scrollTo(0, 100000));
        await screenshot(page, `overflow-explainer-member-bottom-${store}-${width}`);
        await done(page);
      }

      // The signup popup.
      {
        const page = await open(options, store, { popupDone: false });
        await page.goto(env.url(`/demo/${store}/collection.html`));
        await ready(page);
        await page.evaluate(() => Rewards.open('popup'));
        await page.waitForSelector('dialog.rw-popup[open]');
        await check(page, 'signup popup', 'overlay', 'popup');
        await done(page);
      }

      assert.deepEqual(errors, [], 'no page errors');
      assert.deepEqual(failures, [], `${failures.length} cut or sideways-scrolling text(s):\n  ` + failures.join('\n  '));
    });
  }
}
