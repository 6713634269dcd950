// The exit-intent signup popup on the Vietnamese demo store: when it shows,
// when it must not, the form, and keyboard use. On the real server
// (`rewards-demo demo`): signups reach it and are answered by it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ready, leaveThroughTop, popupOpen, pageErrors, sleep } from './helpers.mjs';
import { setupReal, DEMO_MIN_FILL_MS } from './real-server.mjs';

let env;
before(async () => {
  env = await setupReal();
});

/** The signup bodies the page posts to the server, as sent. */
function recordSignups(page) {
  const sent = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/signup')) sent.push(r.postDataJSON());
  });
  return sent;
}
const MIN_FILL_MS = DEMO_MIN_FILL_MS;
after(() => env.close());

const DAY = 86400000;
const consentVi = 'Tôi đồng ý nhận email về ưu đãi và sản phẩm mới từ Cà Phê Phố Cổ.';

async function events(page) {
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ['popup:shown', 'popup:dismissed', 'signup']) Rewards.on(name, (d) => window.__events.push([name, d]));
  });
}
const seen = (page) => page.evaluate(() => window.__events);
const deepActive = (page) =>
  page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a ? (a.id ? '#' + a.id : a.className || a.nodeName) : null;
  });
const insidePopup = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('rewards-widget').shadowRoot;
    return !!root.activeElement && root.querySelector('dialog.rw-popup').contains(root.activeElement);
  });

test('exit intent: leaving through the top shows it; moves inside, a <select> and the sides do not', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/collection.html'));
  await ready(page);
  await events(page);
  // Moves inside the page, and onto other elements.
  for (const [x, y] of [[200, 500], [900, 120], [640, 60], [300, 30], [1000, 700]]) await page.mouse.move(x, y, { steps: 3 });
  // A <select>'s dropdown makes Chrome fire mouseout from the control with no relatedTarget.
  await page.evaluate(() => document.querySelector('#demo-shopper').dispatchEvent(new MouseEvent('mouseout', { bubbles: true, composed: true, clientX: 640, clientY: 5, relatedTarget: null })));
  // Leaving through the left side, level with the middle of the page.
  await page.mouse.move(100, 400);
  await page.mouse.move(-30, 400);
  await sleep(800);
  assert.equal(await popupOpen(page), false, 'no popup before leaving through the top');
  await leaveThroughTop(page);
  await page.waitForFunction(() => window.__events.some((e) => e[0] === 'popup:shown'));
  assert.equal(await popupOpen(page), true);
  const shown = (await seen(page)).find((e) => e[0] === 'popup:shown')[1];
  assert.equal(shown.trigger, 'exit_intent');
  assert.equal(shown.segment, 'bouncer');
  assert.deepEqual(await pageErrors(page), []);
});

test('cooldown holds across reloads; an expired cooldown shows it again; never after signup', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/'));
  await ready(page);
  await leaveThroughTop(page);
  await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-popup[open]'));
  await page.keyboard.press('Escape');
  assert.equal(await popupOpen(page), false, 'Escape closes it');
  const lastShown = await page.evaluate(() => JSON.parse(localStorage.getItem('rewards:v1')).last_shown);
  assert.ok(Date.now() - lastShown < 60000, 'last_shown recorded');

  await page.reload();
  await ready(page);
  await leaveThroughTop(page);
  await sleep(1000);
  assert.equal(await popupOpen(page), false, 'in cooldown after a reload');

  // Eight days later (the program's cooldown is seven).
  await page.evaluate((t) => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: t })), Date.now() - 8 * DAY);
  await page.reload();
  await ready(page);
  await leaveThroughTop(page);
  await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('dialog.rw-popup[open]'));
  await page.fill('dialog.rw-popup #rw-f-email', `lan.nguyen.${Date.now()}@example.vn`);
  await sleep(MIN_FILL_MS);
  await page.click('dialog.rw-popup button[type=submit]');
  await page.waitForSelector('dialog.rw-popup #rw-popup-done');
  await page.keyboard.press('Escape');

  for (let i = 0; i < 2; i++) {
    await page.evaluate((t) => {
      const v = JSON.parse(localStorage.getItem('rewards:v1'));
      localStorage.setItem('rewards:v1', JSON.stringify(Object.assign(v, { last_shown: t })));
    }, Date.now() - 30 * DAY);
    await page.reload();
    await ready(page);
    await leaveThroughTop(page);
    await sleep(800);
    assert.equal(await popupOpen(page), false, 'never again after signup (reload ' + i + ')');
  }
  // Not even when the page asks for it.
  await page.evaluate(() => Rewards.open('popup'));
  await sleep(800);
  assert.equal(await popupOpen(page), false);
  assert.deepEqual(await pageErrors(page), []);
});

test('excluded pages never show it', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/checkout.html'));
  await ready(page);
  await events(page);
  await leaveThroughTop(page);
  await sleep(1200);
  assert.equal(await popupOpen(page), false);
  assert.deepEqual(await seen(page), []);
});

test('signup: invalid email rejected with a message; consents unticked; the endpoint gets the consent wording', async () => {
  const page = await env.page();
  const sent = recordSignups(page);
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-trung'));
  await ready(page);
  await events(page);
  await leaveThroughTop(page);
  await page.waitForSelector('dialog.rw-popup[open]');
  const boxes = page.locator('dialog.rw-popup input[type=checkbox]');
  assert.equal(await boxes.count(), 2, 'one box per consent purpose');
  for (let i = 0; i < 2; i++) assert.equal(await boxes.nth(i).isChecked(), false, 'unticked by default');
  assert.equal(await page.locator('dialog.rw-popup label[for=rw-c-0]').textContent(), consentVi);

  await page.fill('#rw-f-email', 'lan.nguyen@example');
  await page.click('dialog.rw-popup button[type=submit]');
  await page.waitForSelector('#rw-f-email-err:not([hidden])');
  assert.match(await page.locator('#rw-f-email-err').textContent(), /email hợp lệ/);
  assert.equal(await page.getAttribute('#rw-f-email', 'aria-invalid'), 'true');
  assert.equal(await deepActive(page), '#rw-f-email', 'focus goes to the field to fix');
  assert.equal(sent.length, 0, 'nothing sent');

  const email = `lan.nguyen.${Date.now()}@example.vn`;
  await page.fill('#rw-f-email', email);
  await page.fill('#rw-f-name', 'Nguyễn Thị Lan');
  await boxes.nth(0).check();
  await sleep(MIN_FILL_MS);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/signup'));
  await page.click('dialog.rw-popup button[type=submit]');
  assert.equal((await answer).status(), 201, 'the server took it');
  await page.waitForSelector('#rw-popup-done');
  assert.equal(sent.length, 1);
  const body = sent[0];
  assert.equal(body.email, email);
  assert.equal(body.name, 'Nguyễn Thị Lan');
  assert.equal(body.locale, 'vi');
  assert.equal(body.hp, '');
  assert.ok(body.page_url.endsWith('/vi/product.html?p=ca-phe-trung'));
  assert.ok(Number.isSafeInteger(body.started_at) && body.started_at <= Date.now());
  assert.deepEqual(body.consents, [{ id: 'email-marketing', version: 1, text: consentVi, granted: true }], 'only the ticked purpose, with its wording');
  assert.equal(body.birthday, undefined);
  // The same words for every address (issue 14): nothing says whether it was known.
  assert.equal(await page.locator('#rw-popup-done').textContent(), 'Cảm ơn bạn đã đăng ký');
  assert.match(await page.locator('dialog.rw-popup .rw-lead').textContent(), /Từ nay mỗi đơn hàng đều được tích điểm\. Đăng nhập vào/);
  const signup = (await seen(page)).find((e) => e[0] === 'signup');
  assert.deepEqual(signup[1], { consents: ['email-marketing'], locale: 'vi' });
  assert.deepEqual(await pageErrors(page), []);
});

test('server errors: a clear message, then retry works; field issues land on the field', async () => {
  const page = await env.page();
  const sent = recordSignups(page);
  // The server down, then flooded: faults the demo server won't produce on demand, injected on the network.
  let fault = { status: 503, body: { error: 'unavailable', message: 'storage is unavailable; retry later' } };
  await page.route('**/api/signup', (route) => (fault ? route.fulfill({ status: fault.status, contentType: 'application/json', body: JSON.stringify(fault.body) }) : route.continue()));
  await page.goto(env.url('/demo/vi/'));
  await ready(page);
  await page.evaluate(() => Rewards.open('popup'));
  await page.waitForSelector('dialog.rw-popup[open]');
  await page.fill('#rw-f-email', 'minh@example.vn');
  await sleep(MIN_FILL_MS);
  await page.click('dialog.rw-popup button[type=submit]');
  await page.waitForSelector('dialog.rw-popup .rw-form-err:not([hidden])');
  assert.match(await page.locator('dialog.rw-popup .rw-form-err').textContent(), /Đã có lỗi xảy ra/);
  assert.equal(await page.locator('dialog.rw-popup button[type=submit]').textContent(), 'Thử lại');

  // Issue 14: the server's English never reaches the shopper; its error
  // kinds and field paths become the widget's words in the shopper's language.
  // The real server refuses an address with two dots in a row (the form's own check lets it through).
  fault = null;
  await page.fill('#rw-f-email', 'minh..tran@example.vn');
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/signup'));
  await page.click('dialog.rw-popup button[type=submit]');
  assert.equal((await refused).status(), 422);
  await page.waitForFunction(() => {
    const e = document.querySelector('rewards-widget').shadowRoot.querySelector('#rw-f-email-err');
    return e && !e.hidden && e.textContent === 'Vui lòng nhập email hợp lệ, ví dụ ten@example.com';
  });
  assert.equal(await page.locator('dialog.rw-popup .rw-form-err').textContent(), 'Vui lòng kiểm tra lại các ô được đánh dấu.');
  fault = { status: 429, body: { error: 'rate_limited', message: 'too many signups from this address; try again later', issues: [{ path: '', message: 'retry after 60 seconds' }] } };
  await page.click('dialog.rw-popup button[type=submit]');
  await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-form-err').textContent.startsWith('Bạn đã thử quá nhiều lần'));
  const popupText = await page.locator('dialog.rw-popup').textContent();
  assert.ok(!/storage|invalid name|too many signups/.test(popupText), 'no server English: ' + popupText);

  fault = null;
  await page.fill('#rw-f-email', `minh.tran.${Date.now()}@example.vn`);
  const ok = page.waitForResponse((r) => r.url().endsWith('/api/signup'));
  await page.click('dialog.rw-popup button[type=submit]');
  assert.equal((await ok).status(), 201);
  await page.waitForSelector('#rw-popup-done');
  assert.equal(sent.length, 4, 'each attempt was sent');
  assert.deepEqual(await pageErrors(page), []);
});

test('keyboard only: launcher → explainer → join → signup; Tab stays inside; Escape returns focus', async () => {
  const page = await env.page();
  const sent = recordSignups(page);
  await page.goto(env.url('/demo/vi/'));
  await ready(page);
  await events(page);

  // Escape closes and focus returns to where it was.
  await page.focus('.rewards-band button');
  await page.evaluate(() => Rewards.open('popup'));
  await page.waitForSelector('dialog.rw-popup[open]');
  assert.equal(await deepActive(page), '#rw-f-email', 'focus moves into the dialog');
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    assert.ok(await insidePopup(page), 'Tab stays inside the dialog');
  }
  await page.keyboard.press('Escape');
  // The dialog's close event (and our clean-up) runs as a task after Escape.
  await page.waitForFunction(() => window.__events.some((e) => e[0] === 'popup:dismissed'));
  assert.equal(await popupOpen(page), false);
  assert.equal(await deepActive(page), 'button ghost', 'focus is back on the page button');
  const dismissed = (await seen(page)).find((e) => e[0] === 'popup:dismissed');
  assert.equal(dismissed[1].reason, 'escape');

  // The whole signup with the keyboard, starting from the launcher.
  await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').focus());
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog.rw-panel[open] .rw-join button');
  assert.equal(await deepActive(page), 'rw-close', 'the panel opens with focus on its close button');
  await page.keyboard.press('Tab');
  assert.equal(await deepActive(page), 'rw-primary', 'then the join button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('dialog.rw-popup[open]');
  await page.keyboard.type(`hoa.le.${Date.now()}@example.vn`);
  await page.keyboard.press('Tab'); // name
  await page.keyboard.type('Lê Hoa');
  // Through the birthday field (Chrome gives a date input one stop per part).
  for (let i = 0; i < 6 && (await deepActive(page)) !== '#rw-c-0'; i++) await page.keyboard.press('Tab');
  assert.equal(await deepActive(page), '#rw-c-0', 'first consent box');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab'); // second consent
  await page.keyboard.press('Tab'); // submit
  assert.equal(await deepActive(page), 'rw-primary');
  await sleep(MIN_FILL_MS);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#rw-popup-done');
  assert.equal(await deepActive(page), '#rw-popup-done', 'the success heading takes focus');
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].consents.map((c) => c.id), ['email-marketing']);
  assert.equal(sent[0].name, 'Lê Hoa');
  assert.deepEqual(await pageErrors(page), []);
});

test('a cart abandoner is told the points waiting in the cart (segment from the core)', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-hat-robusta'));
  await page.selectOption('#variant', '500');
  await page.click('#add');
  await page.goto(env.url('/demo/vi/cart.html'));
  await ready(page);
  await events(page);
  await leaveThroughTop(page);
  await page.waitForFunction(() => window.__events.some((e) => e[0] === 'popup:shown'));
  const shown = (await seen(page)).find((e) => e[0] === 'popup:shown')[1];
  assert.equal(shown.segment, 'cart_abandoner');
  assert.equal(shown.offer, 'cart_abandoner');
  const points = await page.evaluate(() => Number(document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]').dataset.value));
  assert.equal(shown.points, points, 'the same points as the checkout prompt');
  assert.equal(await page.locator('#rw-popup-title').textContent(), `Đừng bỏ lỡ ${points} điểm!`);
  assert.deepEqual(await pageErrors(page), []);
});
