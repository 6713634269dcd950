// Issue 14, parts 4 and 5, against the real server (`rewards-demo demo`,
// SQLite): every signup gets the same answer ({ok: true}: no token, id or
// bonus) and the same words, so an address the program already knows,
// typed on a new device, is told nothing about itself; the store's sign-in
// link (`store.sign_in_url`) when the program has one. Cashback says where
// the credit goes, and the explainer shows the signed-in shopper's store
// credit from GET /api/shopper.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, screenshot } from './helpers.mjs';
import { startRealEnv, DEMO_MIN_FILL_MS } from './real-server.mjs';
import { CONFIGS, publish } from './publish.mjs';

let server, browser, close;
before(async () => ({ server, browser, close } = await startRealEnv()));
after(() => close());

/** A new device: a fresh context (no storage) at `base`. */
async function device(base, options = {}) {
  const context = await browser.newContext(Object.assign({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' }, options));
  const p = await context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  p.base = base;
  return p;
}

const inOverlay = (p, selector) => p.evaluate((s) => document.querySelector('rewards-widget').shadowRoot.querySelector(s)?.textContent ?? null, selector);

/** Opens the popup on the home page, signs up with `email`; resolves to the server's answer and the message shown. */
async function signUp(p, email, path = '/vi/') {
  await p.goto(p.base + path);
  await p.waitForFunction(() => window.Rewards && window.Rewards.timings && window.Rewards.timings.loader != null);
  await p.evaluate(() => Rewards.open('popup'));
  await p.waitForSelector('rewards-widget dialog.rw-popup[open] #rw-f-email');
  await p.fill('rewards-widget #rw-f-email', email);
  await p.waitForTimeout(DEMO_MIN_FILL_MS);
  const answer = p.waitForResponse((r) => r.url().endsWith('/api/signup'));
  await p.click('rewards-widget dialog.rw-popup button[type=submit]');
  const r = await answer;
  await p.waitForSelector('rewards-widget #rw-popup-done');
  return {
    status: r.status(),
    body: await r.json(),
    title: await inOverlay(p, '#rw-popup-done'),
    text: await inOverlay(p, 'dialog.rw-popup .rw-popup-body'),
  };
}


test('issue 14: a new email, the same email on another device, and an address the store knows all get the same answer and the same words', async () => {
  const email = 'lan.' + Date.now() + '@example.vn';
  const first = await device(server.vi);
  const joined = await signUp(first, email);
  assert.equal(joined.status, 201);
  assert.deepEqual(joined.body, { ok: true }, 'no token, id or bonus: nothing that differs by address');
  assert.equal(joined.title, 'Cảm ơn bạn đã đăng ký');
  const WORDS = 'Cảm ơn bạn đã đăng kýTừ nay mỗi đơn hàng đều được tích điểm. Đăng nhập vào Cà Phê Phố Cổ để xem điểm của bạn.Đóng';
  assert.equal(joined.text, WORDS);
  await first.context().close();

  // The same address on another device (another spelling), and an address the store's history knows.
  for (const typed of [email.toUpperCase(), 'demo1@example.com']) {
    const other = await device(server.vi, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const again = await signUp(other, typed);
    assert.equal(again.status, joined.status, typed + ': the same status');
    assert.deepEqual(again.body, joined.body, typed + ': the same answer');
    assert.equal(again.text, WORDS, typed + ': the same words');
    // Nothing confirms a membership or promises an email.
    assert.doesNotMatch(again.text, /thành viên|hộp thư|email/i, typed + ': ' + again.text);
    assert.equal(await other.locator('rewards-widget [data-rw=sign-in]').count(), 0, 'no sign-in link without store.sign_in_url');
    await screenshot(other, 'known-email-popup-vi-375');
    assert.deepEqual(await axe(other), []);
    // The explainer says the same, and shows no points it could not read.
    await other.keyboard.press('Escape');
    await other.evaluate(() => Rewards.open('explainer'));
    await other.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-section');
    assert.equal(await inOverlay(other, '.rw-summary'), 'Đăng nhập vào Cà Phê Phố Cổ để xem điểm của bạn tại đây.');
    assert.equal(await other.evaluate(() => JSON.parse(localStorage.getItem('rewards:v1')).token), undefined);
    assert.deepEqual(other.errors, []);
    await other.context().close();
  }
});

test('issue 14: with store.sign_in_url the neutral answer offers the store\'s sign-in page, in both languages', async () => {
  // The demo's program with a sign-in page, published as a store would; the real server answers the signup.
  const cfg = JSON.parse(CONFIGS['vn-coffee']);
  cfg.store.sign_in_url = 'https://phoco.example/account/login';
  const doc = publish(JSON.stringify(cfg));
  const WORDS = {
    vi: { path: '/vi/', title: 'Cảm ơn bạn đã đăng ký', body: 'Từ nay mỗi đơn hàng đều được tích điểm. Đăng nhập vào Cà Phê Phố Cổ để xem điểm của bạn.', link: 'Đăng nhập', close: 'Đóng' },
    en: { path: '/vi/?lang=en', title: 'Thanks for signing up', body: 'Every order earns points from now on. Sign in to Cà Phê Phố Cổ to see yours.', link: 'Sign in', close: 'Close' },
  };
  for (const [lang, words] of Object.entries(WORDS)) {
    for (const width of [320, 1280]) {
      const p = await device(server.vi, width < 600 ? { viewport: { width, height: 700 }, isMobile: true, hasTouch: true } : {});
      await p.route('**/programs/vn-coffee.json', (route) => route.fulfill({ contentType: 'application/json', body: doc }));
      // demo2 is known from the demo's seeded orders.
      const r = await signUp(p, 'demo2@example.com', words.path);
      assert.deepEqual(r.body, { ok: true });
      assert.equal(r.title, words.title);
      assert.equal(r.text, words.title + words.body + words.link + words.close);
      const link = p.locator('rewards-widget dialog.rw-popup a[data-rw=sign-in]');
      assert.equal(await link.textContent(), words.link);
      assert.equal(await link.getAttribute('href'), cfg.store.sign_in_url);
      await screenshot(p, `known-email-popup-signin-${lang}-${width}`);
      assert.deepEqual(await axe(p), []);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    }
  }
});

test('issue 14: the real server\'s refusal of an address reaches the shopper at the field, in the widget\'s words and the shopper\'s language', async () => {
  const WORDS = {
    vi: { path: '/vi/', field: 'Vui lòng nhập email hợp lệ, ví dụ ten@example.com', form: 'Vui lòng kiểm tra lại các ô được đánh dấu.' },
    en: { path: '/vi/?lang=en', field: 'Enter an email address like name@example.com', form: 'Please check the highlighted fields.' },
  };
  for (const [lang, words] of Object.entries(WORDS)) {
    const p = await device(server.vi);
    await p.goto(p.base + words.path);
    await p.waitForFunction(() => window.Rewards && window.Rewards.timings && window.Rewards.timings.loader != null);
    await p.evaluate(() => Rewards.open('popup'));
    await p.waitForSelector('rewards-widget dialog.rw-popup[open] #rw-f-email');
    // The form's own check lets two dots through; the server refuses them (`email: has an invalid name before the @`).
    await p.fill('rewards-widget #rw-f-email', 'lan..nguyen@example.vn');
    await p.waitForTimeout(DEMO_MIN_FILL_MS);
    const answer = p.waitForResponse((r) => r.url().endsWith('/api/signup'));
    await p.click('rewards-widget dialog.rw-popup button[type=submit]');
    const r = await answer;
    assert.equal(r.status(), 422);
    const refusal = await r.json();
    assert.deepEqual(refusal.issues.map((i) => i.path), ['email'], JSON.stringify(refusal));
    await p.waitForFunction((w) => {
      const e = document.querySelector('rewards-widget').shadowRoot.querySelector('#rw-f-email-err');
      return e && !e.hidden && e.textContent === w;
    }, words.field);
    assert.equal(await inOverlay(p, 'dialog.rw-popup .rw-form-err'), words.form);
    const popup = await inOverlay(p, 'dialog.rw-popup');
    assert.ok(!popup.includes(refusal.issues[0].message), lang + ': the server\'s English is not shown: ' + popup);
    // Corrected, the same form signs up.
    await p.fill('rewards-widget #rw-f-email', `lan.nguyen.${lang}.${Date.now()}@example.vn`);
    const ok = p.waitForResponse((r) => r.url().endsWith('/api/signup'));
    await p.click('rewards-widget dialog.rw-popup button[type=submit]');
    assert.equal((await ok).status(), 201);
    await p.waitForSelector('rewards-widget #rw-popup-done');
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
});
