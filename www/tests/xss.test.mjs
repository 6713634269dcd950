// Markup in every string a merchant or a shopper can write (issue 6):
// store name, text overrides, tier names and perks, membership, punch card,
// action and redemption names, popup offers and consent wording, the
// shopper's name, and a voucher code from the server. Each must reach the
// widget as text: its literal characters in textContent, no element made
// from it, nothing run (window.__xss stays undefined).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors, sleep } from './helpers.mjs';
import { CONFIGS, nodeEngine, publish } from './serve.mjs';

/** A payload naming the field it sits in: an <img onerror>, a tag break-out, an <svg onload> and a javascript: URL. */
const P = (id) => `${id}: <img src=x onerror="window.__xss='${id}'"> "><script>window.__xss='${id}'</script> <svg onload=window.__xss=1> javascript:window.__xss=1`;
const EVIL_URL = 'https://instagram.com/northwind?"><script>window.__xss=1</script>';
// The checkout prompt's membership link (issue 12): an attribute value too.
const EVIL_JOIN = 'https://northwind.example/plus?"><img src=x onerror="window.__xss=1">';

function hostileProgram() {
  const cfg = JSON.parse(CONFIGS['us-apparel']);
  cfg.store.name = P('store');
  cfg.texts = {
    en: {
      launcher: P('launcher'),
      prompt_earn_guest: P('prompt_earn_guest') + ' {points}',
      prompt_earn: P('prompt_earn') + ' {points}',
      prompt_redeem: P('prompt_redeem') + ' {n}',
      product_earn: P('product_earn') + ' {points}',
      panel_title: P('panel_title'),
      join: P('join'),
      earn_title: P('earn_title'),
      signin_title: P('signin_title'),
      vc_title: P('vc_title'),
    },
  };
  cfg.actions.forEach((a, i) => (a.name = P('action' + i)));
  cfg.actions.find((a) => a.url).url = EVIL_URL;
  cfg.tiers.levels.forEach((l, i) => {
    l.name = P('tier' + i);
    l.perks = [P('perk' + i)];
  });
  cfg.membership.name = P('membership');
  cfg.membership.perks = [P('membership_perk')];
  cfg.membership.join_url = EVIL_JOIN;
  cfg.punch_card.name = P('punch_card');
  cfg.punch_card.reward.description = P('punch_reward');
  cfg.redemptions.forEach((r, i) => (r.name = P('redemption' + i)));
  for (const offer of Object.values(cfg.popup.offers)) Object.assign(offer, { title: P('offer_title') + ' {points}', body: P('offer_body'), cta: P('offer_cta') });
  cfg.popup.consents[0].text = P('consent');
  return cfg;
}

// Every payload id that must be seen as text somewhere.
const EXPECTED = [
  'store', 'launcher', 'prompt_earn_guest', 'prompt_earn', 'prompt_redeem', 'product_earn', 'panel_title', 'join', 'earn_title',
  'signin_title', 'vc_title', 'action0', 'action1', 'action2', 'action3', 'action4', 'action5', 'action6', 'action7',
  'tier0', 'tier1', 'tier2', 'perk0', 'perk1', 'perk2', 'membership', 'membership_perk', 'punch_card', 'punch_reward',
  'redemption0', 'redemption1', 'redemption2', 'redemption3', 'redemption4', 'offer_title', 'offer_body', 'offer_cta', 'consent', 'voucher',
];

// The cart host.js hands over (the payloads change no number).
const CART = {
  currency: 'USD',
  lines: [
    { id: 'socks', product_id: 'merino-hiker-sock', product_type: 'Socks', quantity: 2, unit_price: 1800 },
    { id: 'tee', product_id: 'trail-tee', product_type: 'Shirts', quantity: 1, unit_price: 3500 },
  ],
};

let env;
let points;
before(async () => {
  env = await setup();
  points = JSON.parse((await nodeEngine())('us-apparel').run('quote', '', JSON.stringify(CART), Date.now())).preview.total_points;
});
after(() => env.close());

/** The page with the hostile program; the server's voucher code is a payload too. */
/** The hostile store, its program published (or, `raw`, the merchant's config as written). */
async function openPage(cfg, { raw = false } = {}) {
  env.server.reset();
  const page = await env.page();
  const body = raw ? JSON.stringify(cfg) : publish(JSON.stringify(cfg));
  await page.route('**/tests/hostile/xss-program.json', (route) => route.fulfill({ contentType: 'application/json', body }));
  await page.route('**/api/redeem', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ voucher_code: P('voucher'), discount: 500, balance: 2500 }) }));
  await page.goto(env.url('/tests/hostile/xss.html'));
  return page;
}

/** Text of every widget shadow root, and what markup is in them. */
function snapshot(page) {
  return page.evaluate(() => {
    const roots = [...document.querySelectorAll('rewards-widget, rewards-checkout-prompt, rewards-product-points')].map((e) => e.shadowRoot).filter(Boolean);
    const all = [document.body, ...roots];
    const count = (sel) => all.reduce((n, r) => n + r.querySelectorAll(sel).length, 0);
    return {
      text: roots.map((r) => r.textContent).join('\n'),
      injected: count('img, script, svg:not(.rw-icon), iframe, object, embed, b, i'),
      jsLinks: count('a[href^="javascript:" i], [onerror], [onload]'),
      links: roots.flatMap((r) => [...r.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))),
      xss: window.__xss,
    };
  });
}

function assertInert(snap, where) {
  assert.equal(snap.xss, undefined, where + ': a payload ran');
  assert.equal(snap.jsLinks, 0, where + ': an event-handler attribute or javascript: link exists');
  // Neither the page body nor the widget has any such element of its own (icons are svg.rw-icon).
  assert.equal(snap.injected, 0, where + ': an element was made from a payload');
}

test('XSS: markup in every merchant string, the shopper name and a voucher code is shown as text', async () => {
  const page = await openPage(hostileProgram());
  const seen = [];
  const take = async (where) => {
    await sleep(150); // an <img onerror> would have fired by now
    const snap = await snapshot(page);
    assertInert(snap, where);
    seen.push(snap.text);
    return snap;
  };

  // Launcher, checkout prompt and product points (guest).
  await ready(page);
  await page.waitForFunction((n) => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector(`[data-rw=earn][data-value="${n}"]`), points);
  await page.waitForFunction(() => document.querySelector('rewards-product-points').shadowRoot.querySelector('[data-rw=points]'));
  await take('prompt');

  // The explainer: store, titles, actions (one with a quote-breaking URL), redemptions, tiers, perks, punch card, membership.
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-section');
  const panel = await take('explainer');
  assert.deepEqual(panel.links, [EVIL_JOIN, EVIL_URL], 'the prompt\'s join link and the action URL are attribute values, verbatim');
  await page.keyboard.press('Escape');

  // The popup: offer texts and consent wording; the shopper types markup as a name.
  await page.evaluate(() => Rewards.open('popup'));
  await page.waitForSelector('rewards-widget dialog.rw-popup[open] #rw-f-email');
  await take('popup');
  await page.locator('rewards-widget #rw-f-email').fill('shopper@example.com');
  await page.locator('rewards-widget #rw-f-name').fill(P('name').slice(0, 100));
  await page.locator('rewards-widget dialog.rw-popup button[type=submit]').click();
  await page.waitForSelector('rewards-widget #rw-popup-done');
  await take('popup success');
  assert.equal(env.server.signups.length, 1);
  assert.equal(env.server.signups[0].body.name, P('name').slice(0, 100), 'the name is sent as typed');
  await page.keyboard.press('Escape');

  // A signed-in shopper with points: the redemption list and a voucher code from the server.
  // Its codes come from GET /api/shopper: one of them is a payload as well.
  const voucher = { code: P('voucher'), status: 'unused', kind: 'amount_off', source: 'redemption', redemption_id: 'x', points: 100, discount: 500, currency: 'USD', issued_at: '2026-11-01T00:00:00Z', status_at: null, order_id: null, voided_reason: null };
  env.server.shoppers.set('tok-xss', { member: true, balance: 3000, tier: { id: 'trailblazer', since: '2026-01-01' }, email: 'x@example.com', signed_up: true, vouchers: [voucher] });
  await page.evaluate(() => Rewards.setShopperToken('tok-xss'));
  const toggle = page.locator('rewards-checkout-prompt button[aria-controls=rw-redeem]');
  await toggle.click();
  await page.waitForSelector('rewards-checkout-prompt #rw-redeem:not([hidden]) .rw-opt');
  await take('redemptions');
  await page.locator('rewards-checkout-prompt .rw-opt:not(.rw-blocked) button.rw-primary').first().click();
  await page.waitForFunction(() => document.querySelectorAll('rewards-checkout-prompt').length && document.querySelector('rewards-checkout-prompt').shadowRoot.querySelectorAll('.rw-vc .rw-code').length >= 1);
  await take('voucher');
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('rewards-widget dialog.rw-panel .rw-vc .rw-code');
  await take('voucher in the explainer');

  const text = seen.join('\n');
  const missing = EXPECTED.filter((id) => !text.includes(P(id)));
  assert.deepEqual(missing, [], 'every payload appears literally as text');
  assert.ok(text.includes(`${P('prompt_earn_guest')} ${points} points`), 'placeholders are filled next to the payload');
  assert.deepEqual(await pageErrors(page), []);
  assert.equal(page.consoleMessages.filter((m) => m.text.startsWith('[Rewards]')).length, 0);
});

test('XSS: a javascript: URL in an action is refused by the publisher; handed the raw config, the widget steps aside with one message, no link', async () => {
  const cfg = hostileProgram();
  cfg.actions.find((a) => a.url).url = 'javascript:window.__xss=1';
  assert.throws(() => publish(JSON.stringify(cfg)), /actions\[3\]\.url: must be an http\(s\) URL/);
  const page = await openPage(cfg, { raw: true });
  await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').hidden, null, { timeout: 10000 });
  await sleep(300);
  const messages = page.consoleMessages.filter((m) => m.text.startsWith('[Rewards]')).map((m) => m.text);
  assert.equal(messages.length, 1, JSON.stringify(messages));
  assert.match(messages[0], /not a published program/);
  const snap = await snapshot(page);
  assert.equal(snap.xss, undefined);
  assert.equal(snap.jsLinks, 0);
  assert.deepEqual(snap.links, []);
  assert.equal(await page.evaluate(() => document.querySelector('rewards-widget')?.shadowRoot.querySelector('.rw-launcher') ?? null), null, 'launcher removed');
  assert.deepEqual(await pageErrors(page), []);
});
