// Popup triggers besides desktop exit intent: the mobile heuristics under
// touch emulation, and delay / scroll depth / idle. The article fixture
// page takes the program's trigger settings from its query string. (Issue
// 14's polite scroll depth runs on the real demo store: polite-scroll.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, popupOpen, pageErrors, sleep, leaveThroughTop } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const PHONE = { viewport: { width: 390, height: 760 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const OFF = { exit_intent: false, mobile_scroll_up: false, mobile_back: false, tab_return: false };
const article = (triggers, extra = '') => env.url('/tests/fixtures/pages/article.html?triggers=' + encodeURIComponent(JSON.stringify(Object.assign({}, OFF, triggers))) + extra);

async function open(options, triggers, extra) {
  const page = await env.page(options);
  await page.goto(article(triggers, extra));
  await ready(page);
  await page.evaluate(() => {
    window.__shown = [];
    Rewards.on('popup:shown', (d) => window.__shown.push(d.trigger));
  });
  return page;
}
const shown = (page) => page.evaluate(() => window.__shown);

/** Scrolls in animation frames, as a finger would: `to` in px, over `frames` frames. */
function scrollTo(page, to, frames) {
  return page.evaluate(
    ([to, frames]) =>
      new Promise((done) => {
        const from = window.scrollY;
        let i = 0;
        const step = () => {
          i += 1;
          window.scrollTo(0, Math.round(from + ((to - from) * i) / frames));
          if (i < frames) requestAnimationFrame(step);
          else requestAnimationFrame(() => requestAnimationFrame(done));
        };
        requestAnimationFrame(step);
      }),
    [to, frames],
  );
}

test('mobile: a fast upward scroll after reading opens it; early flicks, slow scrolls and mouseout do not', async () => {
  const page = await open(PHONE, { mobile_scroll_up: true, exit_intent: true });
  assert.ok(await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches), 'touch emulation is on');
  // A fast flick before the visitor has read anything.
  await scrollTo(page, 1600, 30);
  await scrollTo(page, 900, 3);
  await sleep(300);
  assert.deepEqual(await shown(page), [], 'too early');
  // Desktop exit intent is not armed on touch screens.
  await leaveThroughTop(page, 200);
  await sleep(300);
  assert.deepEqual(await shown(page), []);
  await sleep(3000);
  // Reading: slow scrolling back up does not count.
  await scrollTo(page, 1800, 30);
  await scrollTo(page, 1650, 40);
  await sleep(300);
  assert.deepEqual(await shown(page), [], 'slow upward scroll');
  await scrollTo(page, 1000, 4);
  await page.waitForFunction(() => window.__shown.length === 1);
  assert.deepEqual(await shown(page), ['mobile_scroll_up']);
  assert.equal(await popupOpen(page), true);
  assert.deepEqual(await pageErrors(page), []);
});

test('mobile: back-button intent opens it once, after the visitor has interacted', async () => {
  const page = await open(PHONE, { mobile_back: true });
  const before = await page.evaluate(() => history.length);
  await page.touchscreen.tap(200, 300);
  await sleep(100);
  assert.equal(await page.evaluate(() => history.length), before + 1, 'one history entry, added after the tap');
  const url = page.url();
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => window.__shown.length === 1);
  assert.deepEqual(await shown(page), ['mobile_back']);
  assert.equal(page.url(), url, 'still on the page');
  assert.deepEqual(await pageErrors(page), []);
});

test('returning to the tab after a while opens it (tab_return)', async () => {
  const page = await open(PHONE, { tab_return: true });
  // Headless Chromium never hides a tab, so the page's visibility is
  // switched the way the browser would report it.
  const setVisibility = (state) =>
    page.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  await sleep(300);
  await setVisibility('visible');
  await sleep(300);
  assert.deepEqual(await shown(page), [], 'a blink away is not a return');
  await setVisibility('hidden');
  await sleep(2300);
  await setVisibility('visible');
  await page.waitForFunction(() => window.__shown.length === 1);
  assert.deepEqual(await shown(page), ['tab_return']);
});

test('idle: no input for idle_seconds opens it; input restarts the clock', async () => {
  const page = await open({}, { idle_seconds: 5 });
  for (let i = 0; i < 4; i++) {
    await sleep(1500);
    await page.mouse.move(300 + i * 20, 300);
  }
  assert.deepEqual(await shown(page), [], 'active visitor');
  await sleep(5500);
  assert.deepEqual(await shown(page), ['idle']);
});

test('delay and scroll depth (desktop)', async () => {
  const delayed = await open({}, { delay_seconds: 1 });
  await sleep(400);
  assert.deepEqual(await shown(delayed), []);
  await delayed.waitForFunction(() => window.__shown.length === 1, null, { timeout: 3000 });
  assert.deepEqual(await shown(delayed), ['delay']);

  const deep = await open({}, { scroll_percent: 60 });
  await scrollTo(deep, 800, 5);
  await sleep(300);
  assert.deepEqual(await shown(deep), [], 'not deep enough yet');
  await deep.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await deep.waitForFunction(() => window.__shown.length === 1);
  assert.deepEqual(await shown(deep), ['scroll']);
  assert.deepEqual(await pageErrors(deep), []);
});
