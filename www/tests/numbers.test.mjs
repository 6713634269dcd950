// The numbers the widget shows equal the core's for the same input: the
// test loads the same wasm Engine directly in the page, computes the quote
// and product points for the cart/shopper the store handed the widget,
// and compares with what the elements display — after adding, changing
// and removing lines, and for guests and members, in both demo stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors } from './helpers.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

/** Loads the core in the page once, for the demo store's program. */
async function loadCore(page) {
  await page.evaluate(async () => {
    if (window.__core) return;
    const m = await import('/dist/pkg/rewards_wasm.js');
    await m.default({ module_or_path: '/dist/pkg/rewards_wasm_bg.wasm' });
    const { makeEncoder } = await import('/src/ui/wire-encode.js');
    const { jsonEngines } = await import('/tests/engine-json.mjs');
    const store = window.DemoCatalogs[document.body.dataset.store];
    const doc = await (await fetch('/demo/programs/' + store.program + '.json')).json(); // published
    // Called with JSON texts (tests/engine-json.mjs).
    window.__core = jsonEngines(makeEncoder, m)(new m.Engine(Uint8Array.from(atob(doc.engine), (c) => c.charCodeAt(0))));
    window.__program = doc.program;
  });
}

/** What the checkout prompt shows vs what the core says, for the store's current cart and shopper. */
function promptState(page) {
  return page.evaluate(() => {
    const shopper = window.DemoStore.shopper();
    const cart = window.DemoStore.cart();
    const q = JSON.parse(window.__core.run('quote', shopper ? JSON.stringify(shopper) : '', JSON.stringify(cart), Date.now()));
    const cfg = window.__program;
    const root = document.querySelector('rewards-checkout-prompt').shadowRoot;
    const val = (k) => {
      const el = root.querySelector('[data-rw=' + k + ']');
      return el ? { value: Number(el.getAttribute('data-value')), text: el.textContent } : null;
    };
    const levels = JSON.parse(window.__core.run('explainer', '', '', 0)).tiers;
    let needAfter = null;
    if (q.tier && !q.tier.tier_changes && levels) {
      const i = levels.levels.findIndex((l) => l.id === q.tier.tier_after);
      const next = levels.levels[i + 1];
      needAfter = next ? next.threshold - q.tier.value_after : 0;
    }
    const usable = q.redemptions.options.filter((o) => o.usable).map((o) => o.id);
    const shownUsable = [...root.querySelectorAll('.rw-opt:not(.rw-blocked) button')].map((b) => b.getAttribute('aria-label'));
    const fmt = new Intl.NumberFormat(cfg.store.default_locale === 'vi' ? 'vi-VN' : 'en-US');
    return {
      expected: {
        points: q.preview.total_points,
        pointsText: fmt.format(q.preview.total_points),
        stamps: q.punch_card ? q.punch_card.added : null,
        needAfter,
        usable: usable.length,
      },
      shown: {
        points: val('earn') && val('earn').value,
        pointsText: val("earn") && (val("earn").text.match(/[\d.,]+/) || [""])[0],
        stamps: val('stamps') && val('stamps').value,
        needAfter: val('tier') && (q.tier && q.tier.tier_changes ? null : val('tier').value),
        usable: shownUsable.length,
      },
    };
  });
}

/** Opens the prompt's redemptions list (fetched on first open). */
async function openRedeem(page) {
  await page.waitForSelector('rewards-checkout-prompt .rw-pr-actions button[aria-expanded]');
  if ((await page.getAttribute('rewards-checkout-prompt .rw-pr-actions button', 'aria-expanded')) !== 'true') await page.click('rewards-checkout-prompt .rw-pr-actions button');
}

async function expectPrompt(page, label) {
  let state;
  for (let i = 0; i < 40; i++) {
    state = await promptState(page);
    if (JSON.stringify(state.expected) === JSON.stringify(state.shown)) break;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(state.shown, state.expected, label);
  return state.expected;
}

/** Every <rewards-product-points> on the page vs the core's product_points. */
async function expectProducts(page, label) {
  let rows;
  for (let i = 0; i < 40; i++) {
    rows = await page.evaluate(() => {
      const shopper = window.DemoStore.shopper();
      return [...document.querySelectorAll('rewards-product-points')].map((el) => {
        const a = (n) => el.getAttribute(n);
        const line = { id: 'product', quantity: 1, unit_price: Number(a('price')), product_id: a('product-id'), variant_id: a('variant-id'), product_type: a('product-type') };
        if (a('tags')) line.tags = a('tags').split(',');
        if (a('collections')) line.collections = a('collections').split(',');
        if (el.hasAttribute('gift-card')) line.gift_card = true;
        const p = JSON.parse(window.__core.run('product_points', shopper ? JSON.stringify(shopper) : '', JSON.stringify(line), Date.now()));
        const cart = { currency: p.currency, lines: [line] };
        const k = JSON.parse(window.__core.run('punch_card', shopper ? JSON.stringify(shopper) : '', JSON.stringify(cart), Date.now()));
        const excluded = p.lines.every((l) => l.excluded);
        const shown = el.shadowRoot.querySelector('[data-rw=points]');
        const stamps = el.shadowRoot.querySelector('[data-rw=stamps]');
        return {
          id: a('product-id') + '@' + a('price'),
          expected: { points: excluded ? 0 : p.total_points, excluded, stamps: k ? k.added : 0 },
          shown: {
            points: shown ? Number(shown.getAttribute('data-value')) : p.total_points === 0 ? 0 : null,
            excluded: !!shown && shown.classList.contains('rw-muted'),
            stamps: stamps ? Number(stamps.getAttribute('data-value')) : 0,
          },
        };
      });
    });
    if (rows.every((r) => JSON.stringify(r.expected) === JSON.stringify(r.shown))) break;
    await page.waitForTimeout(100);
  }
  for (const r of rows) assert.deepEqual(r.shown, r.expected, label + ': ' + r.id);
  return rows;
}

test('Vietnamese store: product points and the checkout prompt match the core as the cart changes', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/collection.html'));
  await ready(page);
  await loadCore(page);
  const grid = await expectProducts(page, 'collection grid');
  assert.equal(grid.length, 8);
  assert.ok(grid.some((r) => r.expected.excluded), 'the gift card is excluded');
  assert.ok(grid.some((r) => r.expected.stamps === 1), 'coffee earns a stamp');
  assert.ok(grid.some((r) => r.expected.points > 0));

  // Product page: the variant changes the price attribute, the element follows.
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-sua-da'));
  await ready(page);
  await loadCore(page);
  await expectProducts(page, 'ly vừa');
  await page.selectOption('#variant', 'l');
  const [large] = await expectProducts(page, 'ly lớn');
  assert.equal(large.expected.points, 4);
  await page.click('#add');
  await page.click('#add');
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-hat-robusta'));
  await page.selectOption('#variant', '500');
  await page.click('#add');

  // Cart: add, change, remove lines; an excluded add-on.
  await page.goto(env.url('/demo/vi/cart.html'));
  await ready(page);
  await loadCore(page);
  const first = await expectPrompt(page, 'two lines');
  assert.ok(first.points > 0 && first.stamps === 2);
  await page.locator('.line').first().getByRole('button', { name: /Tăng số lượng/ }).click();
  const more = await expectPrompt(page, 'quantity 3');
  assert.ok(more.points > first.points);
  assert.equal(more.stamps, 3, 'max_stamps_per_order caps it at 3');
  await page.locator('.line').first().getByRole('button', { name: /Tăng số lượng/ }).click();
  assert.equal((await expectPrompt(page, 'quantity 4')).stamps, 3);
  await page.check('#insurance');
  await expectPrompt(page, 'with the excluded SKU');
  await page.locator('.line').nth(1).getByRole('button', { name: /^Xoá/ }).click();
  await expectPrompt(page, 'robusta removed');

  // A member in the Silver tier with Phố Cổ+ and 1,250 points.
  await page.selectOption('#demo-shopper', 'silver');
  await openRedeem(page);
  const silver = await expectPrompt(page, 'silver member');
  assert.ok(silver.usable > 0, 'redemptions the balance allows are listed');
  assert.match((await page.evaluate(() => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]').textContent)), /^Đơn này được cộng [\d.]+ điểm$/);
  await page.locator('.line').first().getByRole('button', { name: /Giảm số lượng/ }).click();
  await expectPrompt(page, 'member, quantity 3');
  await page.locator('.line').first().getByRole('button', { name: /Giảm số lượng/ }).click();
  await expectPrompt(page, 'member, quantity 2');
  assert.deepEqual(await pageErrors(page), []);
});

test('English store: clearance and gift cards excluded; member multipliers; prompt matches the core', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/en/collection.html'));
  await ready(page);
  await loadCore(page);
  const grid = await expectProducts(page, 'grid');
  assert.equal(grid.filter((r) => r.expected.excluded).length, 2, 'clearance hoodie and gift card');
  await page.selectOption('#demo-shopper', 'trailblazer');
  const member = await expectProducts(page, 'trailblazer grid');
  const sock = (rows) => rows.find((r) => r.id.startsWith('merino-hiker-sock')).expected.points;
  assert.ok(sock(member) > sock(grid), 'the tier and Northwind+ multipliers raise product points');

  for (const [p, v] of [['ridgeline-rain-shell', 'm'], ['merino-hiker-sock', 'l'], ['basecamp-hoodie', 'm']]) {
    await page.goto(env.url('/demo/en/product.html?p=' + p));
    await page.selectOption('#variant', v);
    await page.click('#add');
  }
  await page.goto(env.url('/demo/en/cart.html'));
  await ready(page);
  await loadCore(page);
  await openRedeem(page);
  const q = await expectPrompt(page, 'three lines, trailblazer');
  assert.equal(q.stamps, 1, 'sock club: one stamp per order');
  await page.locator('.line').nth(1).getByRole('button', { name: /Increase quantity/ }).click();
  assert.equal((await expectPrompt(page, 'two pairs')).stamps, 1);
  await page.locator('.line').nth(0).getByRole('button', { name: /^Remove/ }).click();
  await expectPrompt(page, 'shell removed');
  await page.selectOption('#demo-shopper', 'guest');
  await expectPrompt(page, 'guest');
  assert.deepEqual(await pageErrors(page), []);
});
