// The floating launcher never covers the inline elements (www/src/loader/clearance.js):
// on a 375 px phone the checkout prompt's button passes under the launcher as
// the cart page scrolls. While it is under, the launcher is hidden and the
// button takes the tap; scrolled back, the launcher is there and clickable
// again; a keyboard user on the launcher keeps it; at 1280 px nothing
// overlaps and the launcher stays. Checked by hit testing at real points,
// the way a tap or click would land.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const PHONE = { viewport: { width: 375, height: 700 } };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const WAIT = { timeout: 5000 };

/** The Vietnamese demo cart page with two lines in the cart, popup in cooldown. */
async function cartPage(options) {
  const page = await env.page(options);
  await page.addInitScript(() => {
    // The program's scroll-depth trigger would open the popup over the page.
    localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
    localStorage.setItem(
      'demo:cart:vn',
      JSON.stringify({ lines: [{ handle: 'ca-phe-sua-da', variant: 'l', qty: 2 }, { handle: 'ca-phe-hat-robusta', variant: '500', qty: 1 }], insurance: false }),
    );
  });
  await page.goto(env.url('/demo/vi/cart.html'));
  await ready(page);
  await page.waitForSelector('rewards-checkout-prompt .rw-pr-actions button');
  return page;
}

/** Viewport boxes of the launcher and of the prompt's last button. */
function boxes(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const launch = document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launch');
    const buttons = document.querySelector('rewards-checkout-prompt').shadowRoot.querySelectorAll('button');
    return { launcher: box(launch), button: box(buttons[buttons.length - 1]), scrollY };
  });
}

/** Scrolls so the prompt's last button is level with the launcher; returns a point inside both. */
async function scrollButtonUnderLauncher(page) {
  const { launcher, button } = await boxes(page);
  const launcherMid = (launcher.top + launcher.bottom) / 2;
  await page.evaluate((y) => scrollTo(0, y), button.top + (button.bottom - button.top) / 2 - launcherMid + (await boxes(page)).scrollY);
  const now = await boxes(page);
  const left = Math.max(now.launcher.left, now.button.left);
  const right = Math.min(now.launcher.right, now.button.right);
  const top = Math.max(now.launcher.top, now.button.top);
  const bottom = Math.min(now.launcher.bottom, now.button.bottom);
  assert.ok(right > left && bottom > top, 'the layout puts the button under the launcher: ' + JSON.stringify(now));
  return { x: (left + right) / 2, y: (top + bottom) / 2, launcher: now.launcher };
}

const centre = (b) => ({ x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2 });

/** Whether a tap at (x, y) lands on the launcher. */
function launcherHit(page, { x, y }) {
  return page.evaluate(
    ([x, y]) => {
      const host = document.querySelector('rewards-widget');
      if (document.elementFromPoint(x, y) !== host) return false;
      const t = host.shadowRoot.elementFromPoint(x, y);
      return !!(t && t.closest('.rw-launcher'));
    },
    [x, y],
  );
}

/** Records which element of the prompt a click reaches (and keeps it from acting). */
function recordPromptClicks(page) {
  return page.evaluate(() => {
    window.__promptClicks = [];
    document.querySelector('rewards-checkout-prompt').shadowRoot.addEventListener(
      'click',
      (e) => {
        window.__promptClicks.push(e.target.closest('button') ? e.target.closest('button').textContent : e.target.tagName);
        e.stopPropagation();
      },
      true,
    );
  });
}

test('375 px: the launcher steps aside while the prompt button is under it, and comes back', async () => {
  const page = await cartPage(PHONE);
  const top = await boxes(page);
  assert.equal(top.scrollY, 0);
  assert.ok(await launcherHit(page, centre(top.launcher)), 'at the top the launcher is there');

  const point = await scrollButtonUnderLauncher(page);
  // Hidden (after its fade): neither at its centre nor over the button does a tap reach it.
  await page.waitForFunction(
    ([a, b]) => {
      const host = document.querySelector('rewards-widget');
      return document.elementFromPoint(a.x, a.y) !== host && document.elementFromPoint(b.x, b.y) !== host;
    },
    [centre(point.launcher), point],
    WAIT,
  );
  assert.equal(await launcherHit(page, centre(point.launcher)), false);
  assert.equal(await launcherHit(page, point), false);
  // Out of the pointer's way, but still in the tab order: a keyboard user can reach it (it shows when focused).
  await page.waitForFunction(() => getComputedStyle(document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launch')).opacity === '0', null, WAIT);
  const launch = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launch'));
    return [s.opacity, s.pointerEvents, s.visibility];
  });
  assert.deepEqual(launch, ['0', 'none', 'visible']);
  // The button takes the tap where the launcher was.
  await recordPromptClicks(page);
  const label = await page.evaluate(() => [...document.querySelector('rewards-checkout-prompt').shadowRoot.querySelectorAll('button')].pop().textContent);
  await page.mouse.click(point.x, point.y);
  assert.deepEqual(await page.evaluate(() => window.__promptClicks), [label]);

  // Back at the top: the launcher is visible and a click opens the explainer.
  await page.evaluate(() => scrollTo(0, 0));
  const back = centre((await boxes(page)).launcher);
  await page.waitForFunction(
    ({ x, y }) => {
      const host = document.querySelector('rewards-widget');
      const t = document.elementFromPoint(x, y) === host && host.shadowRoot.elementFromPoint(x, y);
      return !!(t && t.closest('.rw-launcher'));
    },
    back,
    WAIT,
  );
  await page.mouse.click(back.x, back.y);
  await page.waitForSelector('dialog.rw-panel[open]', WAIT);
  assert.deepEqual(await pageErrors(page), []);
});

test('375 px: keyboard focus on the launcher keeps it in place over the prompt button', async () => {
  const page = await cartPage(PHONE);
  const inLauncher = () =>
    page.evaluate(() => {
      const host = document.querySelector('rewards-widget');
      return document.activeElement === host && !!host.shadowRoot.activeElement && host.shadowRoot.activeElement.matches('.rw-launcher');
    });
  // The launcher is last in the tab order: Shift+Tab from the start of the page reaches it.
  await page.keyboard.press('Shift+Tab');
  assert.ok(await inLauncher(), 'Shift+Tab focuses the launcher');

  const point = await scrollButtonUnderLauncher(page);
  // Longer than the clearance needs to react (a frame) plus its fade.
  await page.waitForTimeout(600);
  assert.ok(await inLauncher(), 'focus stays on the launcher');
  assert.ok(await launcherHit(page, point), 'a keyboard user keeps the launcher it is on');
  assert.ok(await launcherHit(page, centre(point.launcher)));

  // Focus moves on: now it steps aside.
  await page.keyboard.press('Tab');
  assert.equal(await inLauncher(), false);
  await page.waitForFunction(({ x, y }) => document.elementFromPoint(x, y) !== document.querySelector('rewards-widget'), point, WAIT);
  assert.deepEqual(await pageErrors(page), []);
});

test('1280 px: nothing passes under the launcher; it stays visible all the way down', async () => {
  const page = await cartPage(DESKTOP);
  const maxY = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  for (const y of [0, Math.round(maxY / 2), maxY]) {
    await page.evaluate((y) => scrollTo(0, y), y);
    await page.waitForTimeout(300);
    const { launcher, button } = await boxes(page);
    const overlaps = launcher.left < button.right && button.left < launcher.right && launcher.top < button.bottom && button.top < launcher.bottom;
    assert.equal(overlaps, false, `at scrollY ${y} the prompt button is clear of the launcher`);
    assert.ok(await launcherHit(page, centre(launcher)), `at scrollY ${y} the launcher is visible and takes a click`);
  }
  assert.deepEqual(await pageErrors(page), []);
});
