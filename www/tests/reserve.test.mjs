// Issue 14, part 3: the reserved heights follow what the program shows. The
// loader reserves the checkout prompt's and the product points' space from
// the published program (the prompt's rows: points always, tier progress,
// stamps, "Redeem"/"Join" only when the program has them) and from each
// element's width (its words wrap on a phone card), so the page barely
// moves when the numbers render. Measured for a points-only program and for
// the full demo program, at 375 and 1280 px (and 320 for the demo): the
// reserved height vs the height the content takes, and the layout shifts
// (PerformanceObserver) from the frame the UI renders in. The demo stores
// on the real server (`rewards-server demo`); the points-only program on a
// merchant's test page of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors, screenshot } from './helpers.mjs';
import { publish } from './publish.mjs';
import { setupReal } from './real-server.mjs';

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
// One line of text: what a reserve may be off by.
const TOLERANCE = 20;

/** A program with nothing but points: no tiers, stamps, redemptions, actions, cashback or popup. */
const POINTS_ONLY = JSON.stringify({ version: 1, store: { name: 'Plain Goods', currency: 'USD', default_locale: 'en' }, earning: { points_per_step: 1, step: 100 } });

/** Before the widget: every layout shift, and the last frame before the UI rendered anything. */
function watchShifts() {
  window.__shifts = [];
  window.__beforeRender = 0;
  window.__defined = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const what = (e.sources || []).map((s) => (s.node ? (s.node.localName || '#text') + (s.node.className ? '.' + String(s.node.className).split(' ')[0] : '') : '?'));
      if (!e.hadRecentInput) window.__shifts.push({ t: e.startTime, value: e.value, what });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  // The shifts that count come with the rendering: the frame that defines the elements moves the
  // page from the stylesheet's pre-definition heights (the merchant's snippet, docs/embed.md) to the
  // reserve, long before.
  const frame = (t) => {
    const els = [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')];
    if (els.some((e) => e.shadowRoot && e.shadowRoot.firstElementChild)) return;
    window.__beforeRender = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // On a loaded machine the UI can render in the very frame that defines the elements: that
  // frame's shift is the move to the reserve, so the count starts after it either way.
  for (const name of ['rewards-checkout-prompt', 'rewards-product-points']) {
    customElements.whenDefined(name).then(() => requestAnimationFrame((t) => (window.__defined = Math.max(window.__defined, t))));
  }
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

async function settle(page) {
  await page.waitForFunction(() => {
    const els = [...document.querySelectorAll('rewards-checkout-prompt, rewards-product-points')];
    return els.length && els.every((e) => e.shadowRoot && e.shadowRoot.querySelector('.rw-prompt [data-rw=earn], .rw-points'));
  });
  await page.waitForTimeout(300); // fonts and the last redraw
}

async function check(page, what) {
  const rows = await page.evaluate(heights);
  const shifts = await page.evaluate(() => window.__shifts.filter((s) => s.t > Math.max(window.__beforeRender, window.__defined)));
  const shift = shifts.reduce((n, s) => n + s.value, 0);
  const report = rows.map((r) => `${r.tag} ${r.width} px: reserved ${r.reserved}, content ${r.content} — "${r.text}"`);
  console.log(`# ${what}: layout shift once the UI renders ${shift.toFixed(4)}\n#   ` + report.join('\n#   '));
  for (const r of rows) {
    assert.ok(Number.isFinite(r.reserved), `${what}: ${r.tag} has a reserve`);
    assert.ok(Math.abs(r.content - r.reserved) <= TOLERANCE, `${what}: ${r.tag} at ${r.width} px reserved ${r.reserved} px, its content takes ${r.content} px`);
  }
  // Known, not yet found: on some runs the vi collection's cards move by 0.0117 some 10–30 ms after
  // the UI renders, although every box ends exactly at its reserve (an intermediate render, e.g.
  // before widget.css applies). The bound keeps that from growing; the session note tracks it.
  assert.ok(shift < 0.02, `${what}: the page shifted ${shift} when the UI rendered: ${JSON.stringify(shifts)}`);
  return rows;
}

for (const width of [375, 1280]) {
  test(`issue 14: a points-only program reserves the prompt's one row and its join button, not 220 px — ${width} px`, async (t) => {
    const env = await setup();
    t.after(() => env.close());
    const page = await env.page(WIDTHS[width]);
    await page.addInitScript(watchShifts);
    await page.route('**/tests/fixtures/reserve-program.json', (route) => route.fulfill({ contentType: 'application/json', body: publish(POINTS_ONLY) }));
    await page.goto(env.url('/tests/fixtures/pages/reserve.html'));
    await ready(page);
    await settle(page);
    const [prompt] = await check(page, `points only, ${width} px`);
    assert.ok(prompt.reserved <= 120, 'the prompt reserves what a points-only program shows: ' + prompt.reserved);
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
