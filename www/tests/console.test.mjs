// Issue 13 against the real server (`rewards-demo demo`, SQLite): the
// merchant console, keyboard only. The demo's owner adds a new user on the
// users page; that new user signs in → finds a member → adjust their
// balance (a refused one first) → edit the program (an error at its field,
// fixed; the earn rate changed and a tier added) → the preview frame shows
// the real widget with the draft → publish → the storefront's widget shows
// the new program → roll back. axe on every console page; screenshots at
// 1280 and 375 px in Vietnamese and English (reports/screenshots/console-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, screenshot } from './helpers.mjs';
import { startRealEnv } from './real-server.mjs';

const OWNER = 'owner@demo.test';
const PASSWORD = 'demo-console-password-not-for-production';
const NEW_USER = 'moi@demo.test';
const NEW_PASSWORD = 'mật khẩu của người mới 2026';
const AXE = readFileSync(join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');

let server, browser, close;
before(async () => ({ server, browser, close } = await startRealEnv()));
after(() => close());

/** axe on a page whose CSP allows no inline script: injected through the debugger, not a <script>. */
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', '));
  });
}

async function console_(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  const p = await context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  // A refused form answers its page with 422 or 409: that is the page, not an error in it.
  p.on('console', (m) => m.type() === 'error' && !/status of (422|409)/.test(m.text()) && p.errors.push(m.text()));
  return p;
}

/** Presses Tab until the element matching `selector` has the focus. */
async function tabTo(p, selector, max = 1500) {
  for (let i = 0; i < max; i++) {
    if (await p.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
    await p.keyboard.press('Tab');
  }
  const at = await p.evaluate(() => [document.hasFocus(), document.activeElement && document.activeElement.outerHTML.slice(0, 80)]);
  throw new Error('Tab never reached ' + selector + '; focus: ' + JSON.stringify(at));
}

async function typeInto(p, selector, text) {
  await tabTo(p, selector);
  await p.keyboard.press('Control+A');
  await p.keyboard.type(text);
}

const fieldId = (path) => '#f-' + Buffer.from(path).toString('hex');

async function signIn(p, email = OWNER, password = PASSWORD) {
  await p.goto(server.vi + '/console');
  assert.match(p.url(), /\/console\/login$/);
  await typeInto(p, '#email', email);
  await typeInto(p, '#password', password);
  await Promise.all([p.waitForURL(/\/console$/), p.keyboard.press('Enter')]);
}

async function checkAxe(p, what) {
  assert.deepEqual(await axe(p), [], what);
}

test('issue 13: a new user signs in, adjusts a member, changes the earn rate and adds a tier, sees it in the preview and on the store, rolls back — keyboard only', async () => {
  // The demo's owner adds the new user on the users page, then signs out.
  const first = await console_();
  await signIn(first);
  await first.goto(server.vi + '/console/users');
  await checkAxe(first, 'users page');
  await typeInto(first, '#new-email', NEW_USER);
  await tabTo(first, '#new-role');
  await first.keyboard.press('End'); // owner: the program editor is the owner's
  await typeInto(first, '#new-password', NEW_PASSWORD);
  await Promise.all([first.waitForURL(/done=added/), first.keyboard.press('Enter')]);
  assert.match(await first.textContent('.ok'), /Đã thêm người dùng/);
  assert.match(await first.textContent('table'), /moi@demo\.test/);
  await screenshot(first, 'console-users-vi-1280');
  await first.setViewportSize({ width: 375, height: 800 });
  await screenshot(first, 'console-users-vi-375');
  await first.context().close();

  const p = await console_();
  await signIn(p, NEW_USER, NEW_PASSWORD);
  await checkAxe(p, 'members');
  assert.match(await p.textContent('header'), /Đang đăng nhập: moi@demo.test \(chủ cửa hàng\)/);

  // Find the seeded customer demo-1 and open their page.
  await typeInto(p, '#q', 'demo-1');
  await Promise.all([p.waitForURL(/q=demo-1/), p.keyboard.press('Enter')]);
  await tabTo(p, 'table a[href^="/console/members/"]');
  await Promise.all([p.waitForURL(/\/console\/members\/shp_/), p.keyboard.press('Enter')]);
  await checkAxe(p, 'member page');
  const balance = async () => Number((await p.textContent('dl.facts div:first-child dd')).replace(/\./g, ''));
  const start = await balance();
  assert.ok(start > 0, 'the seeded member has points');

  // Refused: more than the balance. The message is at the field, which has the focus.
  await typeInto(p, '#points', String(-(start + 1)));
  await typeInto(p, '#reason', 'Thử trừ quá số dư');
  await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
  await p.waitForSelector('#points-error');
  assert.match(await p.textContent('#points-error'), /Bị từ chối: thành viên có .* điểm/);
  assert.equal(await p.evaluate(() => document.activeElement.id), 'points');
  assert.equal(await balance(), start);
  await checkAxe(p, 'member page with a refused adjustment');

  // Accepted: +50 with a reason, shown in the history with who made it.
  await typeInto(p, '#points', '50');
  await typeInto(p, '#reason', 'Quà xin lỗi vì giao trễ');
  await Promise.all([p.waitForURL(/done=adjusted/), p.keyboard.press('Enter')]);
  assert.equal(await balance(), start + 50);
  assert.match(await p.textContent('#history'), /Điều chỉnh bởi moi@demo\.test \(Quà xin lỗi vì giao trễ\): \+50 điểm/);
  assert.match(await p.textContent('.ok'), /Đã ghi điều chỉnh \+50 điểm/);
  await screenshot(p, 'console-member-vi-1280');
  await p.setViewportSize({ width: 375, height: 800 });
  await screenshot(p, 'console-member-vi-375');
  await p.setViewportSize({ width: 1280, height: 900 });

  // The program: an error at its field, then fixed.
  await p.goto(server.vi + '/console/program');
  await checkAxe(p, 'program editor');
  const step = fieldId('earning.step');
  await typeInto(p, step, '-5');
  await tabTo(p, 'button[value=publish]');
  await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
  await p.waitForSelector('#issues');
  assert.match(await p.textContent(`${step}-error`), /earning\.step: must be at least 1, found -5/);
  assert.equal(await p.getAttribute(step, 'aria-invalid'), 'true');
  await checkAxe(p, 'program editor with an error');
  await screenshot(p, 'console-program-error-vi-1280');

  // Fixed: 1 point per 5,000 ₫, and a new top tier.
  await typeInto(p, step, '5000');
  await tabTo(p, 'button[value="add:tiers.levels"]', 400);
  await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
  await typeInto(p, fieldId('tiers.levels[3].threshold'), '20000000');
  await typeInto(p, fieldId('tiers.levels[3].name.vi'), 'Kim cương');
  await typeInto(p, fieldId('tiers.levels[3].name.en'), 'Diamond');
  await tabTo(p, 'button[value=preview]', 400);
  await Promise.all([p.waitForNavigation(), p.keyboard.press('Enter')]);
  assert.equal(await p.$('#issues'), null, 'no problem left');
  assert.match(await p.textContent('.changes'), /earning\.step: 10000 → 5000/);

  // The preview frame: the real widget with the draft, for a guest, then a Gold member.
  const frame = () => p.frame({ name: 'preview' });
  const widgetText = (f) => f.evaluate(() => {
    const w = document.querySelector('rewards-widget');
    return w && w.shadowRoot ? w.shadowRoot.textContent : '';
  });
  await p.waitForFunction(() => {
    const f = document.querySelector('iframe[name=preview]');
    const w = f && f.contentDocument && f.contentDocument.querySelector('rewards-widget');
    return w && w.shadowRoot && /Kim cương/.test(w.shadowRoot.textContent);
  }, null, { timeout: 20_000 });
  assert.match(await widgetText(frame()), /Kim cương/);
  const prompt = await frame().evaluate(() => document.querySelector('rewards-checkout-prompt').shadowRoot.textContent);
  assert.match(prompt, /\d/, 'the sample cart prompt shows numbers');
  await screenshot(p, 'console-program-preview-vi-1280');
  // The frame's explainer took the focus, as on a store: Escape closes it, Tab leaves the frame.
  await p.keyboard.press('Escape');
  await tabTo(p, '.jump a[href="#preview-h"]');
  await p.keyboard.press('Enter');
  await tabTo(p, 'a[target=preview][href*="who=tier:vang"]', 20);
  await p.keyboard.press('Enter');
  await p.waitForFunction(() => /who=tier:vang/.test(document.querySelector('iframe[name=preview]').contentWindow.location.href));
  await p.waitForFunction(() => {
    const d = document.querySelector('iframe[name=preview]').contentDocument;
    const w = d && d.querySelector('rewards-widget');
    return w && w.shadowRoot && /Kim cương/.test(w.shadowRoot.textContent);
  }, null, { timeout: 20_000 });
  assert.deepEqual(p.errors, []);

  // Publish: in force at once on the storefront.
  await p.keyboard.press('Escape');
  await tabTo(p, 'button[value=publish]');
  await Promise.all([p.waitForURL(/done=published/), p.keyboard.press('Enter')]);
  assert.match(await p.textContent('.ok'), /Đã xuất bản/);
  const explainerText = async (shot) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const shop = await context.newPage();
    await shop.goto(server.vi + '/vi/');
    await shop.waitForFunction(() => window.Rewards && window.Rewards.timings && window.Rewards.timings.loader != null);
    await shop.evaluate(() => Rewards.open('explainer'));
    await shop.waitForFunction(() => document.querySelector('rewards-widget')?.shadowRoot?.querySelector('[role=dialog], dialog[open]'));
    await shop.waitForTimeout(300);
    const text = await shop.evaluate(() => document.querySelector('rewards-widget').shadowRoot.textContent);
    if (shot) await screenshot(shop, shot);
    await context.close();
    return text;
  };
  // The new tier and the new earn rate (1 point per 5.000 ₫ instead of 10.000 ₫).
  const fiveThousand = /(^|[^\d.])5\.000\s₫/;
  const published = await explainerText('console-storefront-after-publish-vi-1280');
  assert.match(published, /Kim cương/);
  assert.match(published, fiveThousand, published);

  // Roll back to the file's version: the store no longer shows the new tier.
  await tabTo(p, '.jump a[href="#versions-h"]');
  await p.keyboard.press('Enter');
  await tabTo(p, '.versions button', 20);
  await Promise.all([p.waitForURL(/done=published/), p.keyboard.press('Enter')]);
  const rolledBack = await explainerText();
  assert.doesNotMatch(rolledBack, /Kim cương/);
  assert.doesNotMatch(rolledBack, fiveThousand);
  assert.deepEqual(p.errors, []);
});

test('issue 13: the console in English and Vietnamese at 1280 and 375 px, axe clean', async () => {
  for (const [lang, base] of [['vi', server.vi], ['en', server.en]]) {
    for (const width of [1280, 375]) {
      const p = await console_({ width, height: 900 });
      await p.goto(base + '/console/login');
      await checkAxe(p, `login ${lang} ${width}`);
      await screenshot(p, `console-login-${lang}-${width}`);
      await typeInto(p, '#email', OWNER);
      await typeInto(p, '#password', PASSWORD);
      await Promise.all([p.waitForURL(/\/console$/), p.keyboard.press('Enter')]);
      const html = await p.getAttribute('html', 'lang');
      assert.equal(html, lang, 'the demo owner of each store reads its language');
      await checkAxe(p, `members ${lang} ${width}`);
      await screenshot(p, `console-members-${lang}-${width}`);
      await p.goto(base + '/console/program');
      await checkAxe(p, `program ${lang} ${width}`);
      await screenshot(p, `console-program-${lang}-${width}`);
      await p.goto(base + '/console/audit');
      await checkAxe(p, `audit ${lang} ${width}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    }
  }
});

test('issue 14: an exclude_paths entry that matches nothing the way it is written is warned about where the merchant edits it, in both languages, and still publishes', async () => {
  for (const [lang, base, path, written, heading] of [
    ['en', server.en, 'popup.exclude_paths[1]', '/cart', /This can be published, but probably does not do what you meant:/],
    ['vi', server.vi, 'popup.exclude_paths[1]', '/account', /Có thể xuất bản, nhưng có lẽ chưa đúng ý bạn:/],
  ]) {
    const p = await console_();
    await p.goto(base + '/console/login');
    await typeInto(p, '#email', OWNER);
    await typeInto(p, '#password', PASSWORD);
    await Promise.all([p.waitForURL(/\/console$/), p.keyboard.press('Enter')]);
    await p.goto(base + '/console/program');
    assert.equal(await p.$('#warnings'), null, `${lang}: the demo program has nothing to warn about`);
    // "/cart" leaves "/cart.html" (the demo's own cart page) showing the popup.
    await p.fill(fieldId(path), written);
    await Promise.all([p.waitForNavigation(), p.click('button[value=preview]')]);
    assert.equal(await p.$('#issues'), null, `${lang}: a warning is no error`);
    const warning = await p.textContent('#warnings');
    assert.match(warning, heading);
    assert.ok(warning.includes(`${path}: "${written}" matches only that exact path`) && warning.includes(`"${written}*"`), warning);
    assert.deepEqual(await axe(p), [], `${lang}: the program editor with a warning`);
    await screenshot(p, `console-program-warning-${lang}-1280`);
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
});

test('issue 13: the KPI page — charts whose values a keyboard reaches, axe clean, at 1280 and 375 px in both languages', async () => {
  for (const [lang, base] of [['vi', server.vi], ['en', server.en]]) {
    for (const width of [1280, 375]) {
      const p = await console_({ width, height: 900 });
      await p.goto(base + '/console/login');
      await typeInto(p, '#email', OWNER);
      await typeInto(p, '#password', PASSWORD);
      await Promise.all([p.waitForURL(/\/console$/), p.keyboard.press('Enter')]);
      // From the navigation, by keyboard.
      await tabTo(p, 'nav a[href="/console/kpis"]');
      await Promise.all([p.waitForURL(/\/console\/kpis$/), p.keyboard.press('Enter')]);
      await checkAxe(p, `kpis ${lang} ${width}`);
      await screenshot(p, `console-kpis-${lang}-${width}`);
      const cards = await p.$$eval('.kpis > li', (li) => li.length);
      assert.equal(cards, 14, 'every KPI beside the previous period');
      // The page is no wider than the phone.
      assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `no sideways scroll at ${width}`);
      // Tab reaches a mark of the trend chart: its name carries its value, and its value shows beside it.
      const marks = await p.$$eval('#kpi-trends-h ~ figure .mark', (m) => m.length);
      if (marks > 0) {
        await tabTo(p, '#kpi-trends-h ~ figure .mark');
        const label = await p.evaluate(() => document.activeElement.getAttribute('aria-label'));
        assert.match(label, /·.*: .*%$/, 'series · period: value');
        const shown = await p.evaluate(() => getComputedStyle(document.activeElement.querySelector('.tip')).visibility);
        assert.equal(shown, 'visible', 'the focused mark shows its value');
        const other = await p.evaluate(() => getComputedStyle(document.querySelector('#kpi-trends-h ~ figure .mark:not(:focus) .tip') || document.body).visibility);
        assert.equal(other, marks > 1 ? 'hidden' : 'visible');
        await screenshot(p, `console-kpis-focus-${lang}-${width}`);
      }
      // The cost chart's bars are reachable too; its table opens from the keyboard.
      await tabTo(p, '#kpi-cost-h ~ figure .mark, #kpi-cost-h ~ details summary');
      await tabTo(p, '#kpi-cost-h ~ details summary');
      await p.keyboard.press('Enter');
      assert.equal(await p.evaluate(() => document.querySelector('#kpi-cost-h ~ details').open), true);
      await checkAxe(p, `kpis with a table open ${lang} ${width}`);
      await p.evaluate(() => document.activeElement.blur());
      await screenshot(p, `console-kpis-table-${lang}-${width}`);
      // Weeks instead of months, from the form.
      await tabTo(p, '#kpi-period');
      await p.keyboard.press('End');
      await tabTo(p, 'form[action="/console/kpis"] button');
      await Promise.all([p.waitForURL(/period=week/), p.keyboard.press('Enter')]);
      assert.equal(await p.$$eval('.kpis > li', (li) => li.length), 14);
      await checkAxe(p, `kpis by week ${lang} ${width}`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    }
  }
});
