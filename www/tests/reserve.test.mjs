// Issue 14, part 3: the reserved heights follow what the program shows. The
// loader reserves the checkout prompt's and the product points' space from
// the published program (the prompt's rows: points always, tier progress,
// stamps, "Redeem"/"Join" only when the program has them) and from each
// element's width (its words wrap on a phone card), so the page does not
// move when the numbers render. Measured for a points-only program and for
// the full demo program in both languages, at 320, 375 and 1280 px: the
// reserved height vs the height the content takes (never less, at most
// 4 px more), the page's own boxes with the reserve alone vs with the
// content (the same), and the layout shifts (PerformanceObserver) from the
// frame the UI renders in (none). The demo stores
// on the real server (`rewards-demo demo`); the points-only program on a
// merchant's test page of its own, in front of `rewards-server serve` with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, pageErrors, screenshot } from './helpers.mjs';
import { setupReal, startRealServe } from './real-server.mjs';
import { startStorefront } from './storefront.mjs';

let env;
before(async () => {
  env = await setupReal();
});
after(() => env.close());

const WIDTHS = {
  320: { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true },
  375: { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true },
  1280: { viewport: { width: 1280, height: 900 } },
};
// What a reserve may exceed its content by (the prompt's rows are estimated to 2 px); it is never
// less (that would move the page).
const TOLERANCE = 4;

/** A program with nothing but points: no tiers, stamps, redemptions, actions, cashback or popup. */
const POINTS_ONLY = JSON.stringify({ version: 1, store: { name: 'Plain Goods', currency: 'USD', default_locale: 'en' }, earning: { points_per_step: 1, step: 100 } });

/**
 * Before the widget: every layout shift, and when the first frame that shows
 * rendered UI ran its animation-frame callbacks (`__renderAt`, read with
 * performance.now()). A shift entry's startTime is the time its frame was
 * painted, which comes after that frame's callbacks and can be 20–40 ms
 * after the frame's own timestamp (the `t` a callback gets) on a busy
 * machine: comparing entries with frame timestamps counted the move from the
 * stylesheet's pre-definition height to the reserve (the frame that defines
 * the elements, long before the numbers) as a shift after rendering: the
 * 0.0117 of the vi collection's second row of cards at 1280 px. Painted
 * after `__renderAt` means caused by the rendered UI's frame or a later one.
 * `__renderedWithReserve`: that frame is not the one that set the reserve
 * (when the UI renders in the very frame that defines the elements, the
 * frame's shift is the move to the reserve and to the content at once).
 */
function watchShifts() {
  window.__shifts = [];
  window.__renderAt = Infinity;
  window.__renderedWithReserve = false;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const what = (e.sources || []).map((s) => (s.node ? (s.node.localName || '#text') + (s.node.className ? '.' + String(s.node.className).split(' ')[0] : '') : '?'));
      // The demo store's own bar (its shopper switcher, filled by the demo's script) is not the
      // widget's to move: a shift of nothing but its controls is not counted.
      const el = (n) => (n && n.nodeType === 1 ? n : n && n.parentElement);
      const demoOwn = (e.sources || []).length > 0 && e.sources.every((s) => el(s.node) && el(s.node).closest('.demo-bar'));
      if (!e.hadRecentInput && !demoOwn) window.__shifts.push({ t: e.startTime, value: e.value, what });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  let reserved = false;
  const frame = () => {
    const els = [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')];
    if (els.some((e) => e.shadowRoot && e.shadowRoot.firstElementChild)) {
      window.__renderAt = performance.now();
      window.__renderedWithReserve = reserved;
      return;
    }
    // A frame laid out with every element's reserve set (the connected callback sets --rw-h).
    reserved = els.length > 0 && els.every((e) => e.style.getPropertyValue('--rw-h'));
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Each element's reserve (--rw-h) and the height its rendered content takes (its own min-height off). */
function heights() {
  return [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')].map((e) => {
    const box = e.shadowRoot.firstElementChild;
    const min = box.style.minHeight;
    box.style.minHeight = '0';
    const content = box.getBoundingClientRect().height;
    box.style.minHeight = min;
    return { tag: e.localName, width: Math.round(e.getBoundingClientRect().width), reserved: parseFloat(e.style.getPropertyValue('--rw-h')), content: Math.round(content), text: e.shadowRoot.textContent.replace(/\s+/g, ' ').slice(0, 80) };
  });
}

/**
 * The page's own boxes that sit elsewhere with the rendered UI than with the
 * reserve alone (each element's content hidden, its min-height left): what
 * rendering moved, whatever the frames' timing.
 */
function movedByRendering() {
  const hosts = [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')];
  const page = [...document.body.querySelectorAll('*')].filter((e) => !hosts.some((h) => h.contains(e)) && e.localName != 'rewards-widget');
  const boxes = () => page.map((e) => e.getBoundingClientRect()).map((r) => [r.top + scrollY, r.left, r.height].map(Math.round).join());
  const rendered = boxes();
  for (const h of hosts) h.shadowRoot.firstElementChild.style.display = 'none';
  const reserve = boxes();
  for (const h of hosts) h.shadowRoot.firstElementChild.style.display = '';
  return page.flatMap((e, i) => (rendered[i] == reserve[i] ? [] : [`${e.localName}.${e.className}: ${reserve[i]} → ${rendered[i]}`])).slice(0, 5);
}

async function settle(page) {
  await page.waitForFunction(() => {
    const els = [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')];
    return els.length && els.every((e) => e.shadowRoot && e.shadowRoot.querySelector('.rw-prompt [data-rw=earn], .rw-points'));
  });
  await page.waitForTimeout(300); // fonts and the last redraw
}

async function check(page, what) {
  const rows = await page.evaluate(heights);
  const shifts = await page.evaluate(() => window.__shifts.filter((s) => s.t > window.__renderAt));
  const withReserve = await page.evaluate(() => window.__renderedWithReserve);
  const moved = await page.evaluate(movedByRendering);
  const shift = shifts.reduce((n, s) => n + s.value, 0);
  const report = rows.map((r) => `${r.tag} ${r.width} px: reserved ${r.reserved}, content ${r.content} — "${r.text}"`);
  console.log(`# ${what}: layout shift once the UI renders ${shift.toFixed(4)}${withReserve ? '' : ' (rendered in the reserve\'s frame)'}\n#   ` + report.join('\n#   '));
  for (const r of rows) {
    assert.ok(Number.isFinite(r.reserved), `${what}: ${r.tag} has a reserve`);
    assert.ok(r.reserved >= r.content && r.reserved - r.content <= TOLERANCE, `${what}: ${r.tag} at ${r.width} px reserved ${r.reserved} px, its content takes ${r.content} px`);
  }
  assert.deepEqual(moved, [], `${what}: the page's boxes that sit elsewhere with the UI rendered than with the reserve (top, left, height)`);
  // Rendering moves nothing: every box ends at its reserve or inside it. Unless the UI rendered in
  // the very frame that set the reserve: that frame's shift is the move from the stylesheet's
  // pre-definition height, which the reserve cannot prevent (logged, not counted).
  if (withReserve) assert.equal(shift, 0, `${what}: the page shifted ${shift} when the UI rendered: ${JSON.stringify(shifts)}`);
  else console.log(`# ${what}: the UI rendered in the frame that set the reserve; its shift ${shift.toFixed(4)} is the move to the reserve`);
  return rows;
}

/** A store's own page (fixtures/pages/reserve.html) in front of the real server running the points-only program. */
let pointsOnly = null;
async function pointsOnlyStore() {
  if (!pointsOnly) {
    pointsOnly = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rewards-points-only-'));
      writeFileSync(join(dir, 'program.json'), POINTS_ONLY);
      const shop = await startStorefront();
      shop.server = await startRealServe({ program: 'vn-coffee', env: { REWARDS_PROGRAM: join(dir, 'program.json'), REWARDS_ALLOWED_ORIGINS: shop.url } });
      shop.dir = dir;
      return shop;
    })();
  }
  return pointsOnly;
}
after(async () => {
  if (!pointsOnly) return;
  const shop = await pointsOnly;
  await shop.server.close();
  await shop.close();
  rmSync(shop.dir, { recursive: true, force: true });
});

for (const width of [320, 375, 1280]) {
  test(`issue 14: a points-only program reserves the prompt's one row and its join button, not 220 px — ${width} px`, async () => {
    const shop = await pointsOnlyStore();
    const page = await env.page(WIDTHS[width]);
    await page.addInitScript(watchShifts);
    await page.goto(shop.url + '/pages/reserve.html');
    await ready(page);
    await settle(page);
    const [prompt] = await check(page, `points only, ${width} px`);
    // One row (its sentence on two 22 px lines at 320 px) and the join button.
    assert.ok(prompt.reserved <= 116 + 22 * (width == 320), 'the prompt reserves what a points-only program shows: ' + prompt.reserved);
    assert.deepEqual(await page.evaluate(() => [...document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('.rw-prompt').children].map((c) => c.className)), ['rw-pr-main', 'rw-pr-actions', 'rw-redeem']);
    await screenshot(page, `reserve-points-only-${width}`);
    assert.deepEqual(await pageErrors(page), []);
    await page.context().close();
  });
}

for (const width of [320, 375, 1280]) {
  for (const [store, key, cart] of [
    ['vi', 'vn', [['ca-phe-sua-da', 'l', 2], ['ca-phe-hat-robusta', '500', 1]]],
    ['en', 'us', [['ridgeline-rain-shell', 'm', 1], ['merino-hiker-sock', 'l', 2]]],
  ]) {
    test(`issue 14: the full demo program reserves its prompt rows and its product cards' wrapped lines — ${store}, ${width} px`, async () => {
      const page = await env.page(WIDTHS[width]);
      await page.addInitScript(watchShifts);
      await page.addInitScript(
        ([key, lines]) => {
          localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() }));
          localStorage.setItem('demo:cart:' + key, JSON.stringify({ lines, insurance: false }));
        },
        [key, cart.map(([handle, variant, qty]) => ({ handle, variant, qty }))],
      );
      for (const path of ['cart.html', 'collection.html']) {
        await page.goto(env.url(`/demo/${store}/${path}`));
        await ready(page);
        await settle(page);
        await check(page, `${store} ${path}, ${width} px`);
        await screenshot(page, `reserve-${store}-${path.replace('.html', '')}-${width}`);
      }
      assert.deepEqual(await pageErrors(page), []);
      await page.context().close();
    });
  }
}
