// Issue 10, part 4: rewards.js is a boot script (queue, config, launcher);
// the rest of the loader (API methods, events, elements, storage) is the
// loader chunk, imported when idle or on first use, and the popup triggers
// a chunk of their own. Early commands and listeners work with the deferred
// chunk: what is called before it arrives runs, in order, once it does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, ready, pageErrors, sleep } from './helpers.mjs';
import { DEMO_CART } from '../../bench/lib/serve.mjs';

let env;
before(async () => {
  env = await setup();
});
after(() => env.close());

const CART2 = { currency: 'VND', lines: [{ id: 'a', product_type: 'Cà phê', quantity: 1, unit_price: 55000 }, { id: 'b', product_type: 'Cà phê', quantity: 2, unit_price: 45000 }] };

/** Holds the loader chunk's response until `release()`. */
async function holdLoaderChunk(page) {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/assets/loader-*.js', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('issue 10: early commands and listeners work with the deferred loader chunk', async () => {
  env.server.reset();
  const page = await env.page();
  const release = await holdLoaderChunk(page);
  await page.goto(env.url('/tests/fixtures/pages/early.html'));
  // The launcher is up without the loader chunk, in the language the queue chose.
  await page.waitForFunction(() => window.Rewards && !Array.isArray(window.Rewards) && Rewards.timings.launcher != null);
  assert.equal(await page.locator('rewards-widget .rw-launcher').textContent(), 'Rewards', 'setLocale("en") queued before the script');
  // The queued function ran at once; the DOM event fired with the launcher;
  // the API's listeners wait for the chunk.
  assert.deepEqual(await page.evaluate(() => window.__log), ['fn:function', 'dom:ready']);
  assert.equal(await page.evaluate(() => Rewards.timings.loader), undefined, 'the loader chunk is held');

  // Calls after `ready`, before the chunk: a listener, a cart, a quote (a promise), a bad command.
  await page.evaluate((cart) => {
    Rewards.on('cart:updated', (d) => window.__log.push('late:' + d.cart.lines.length));
    Rewards.setCart(cart);
    window.__quote = Rewards.quote();
    window.__quoteIsPromise = typeof window.__quote.then === 'function';
    Rewards.push(['noSuchCommand']);
  }, CART2);
  await sleep(200);
  assert.deepEqual(await page.evaluate(() => window.__log), ['fn:function', 'dom:ready'], 'nothing ran without the chunk');
  assert.equal(await page.evaluate(() => window.__quoteIsPromise), true);

  release();
  await ready(page);
  // In the order they were made: the queued listeners get the queued cart,
  // then `ready` (emitted before the chunk came), then the later cart, to
  // both listeners.
  assert.deepEqual(await page.evaluate(() => window.__log), ['fn:function', 'dom:ready', 'cart:1', 'ready:en', 'cart:2', 'late:2']);
  const t = await page.evaluate(() => Rewards.timings);
  assert.ok(t.loader > t.launcher, 'the loader chunk came after the launcher: ' + JSON.stringify(t));
  // The early quote is the quote of the cart set before it.
  const early = await page.evaluate(() => window.__quote);
  const now = await page.evaluate(() => Rewards.quote());
  assert.ok(early && early.preview && early.preview.total_points > 0, JSON.stringify(early));
  assert.deepEqual(early, now);
  assert.ok(page.consoleMessages.some((m) => m.text.includes('unknown command "noSuchCommand"')), 'the bad command is worded by the chunk');
  // After the chunk: calls run at once; a late `ready` listener is called at once.
  assert.equal(await page.evaluate(() => {
    let got = null;
    Rewards.on('ready', (d) => (got = d.locale));
    return got;
  }), 'en');
  assert.equal(await page.evaluate(() => {
    let n = 0;
    const fn = () => n++;
    Rewards.on('cart:updated', fn);
    Rewards.setCart({ currency: 'VND', lines: [] });
    Rewards.off('cart:updated', fn);
    Rewards.setCart({ currency: 'VND', lines: [] });
    return n;
  }), 1, 'synchronous once the chunk is there');
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 10: a page without elements loads only rewards.js and the config before the launcher; the loader chunk when idle', async () => {
  env.server.reset();
  const page = await env.page();
  await page.addInitScript(() => {
    window.__order = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__order.push(e.name))).observe({ type: 'mark', buffered: true });
  });
  await page.goto(env.url('/tests/fixtures/pages/bench.html'));
  await ready(page);
  const paths = env.server.requests.map((r) => r.path.replace(/-[\w]+\.(js|css|wasm)$/, '.$1'));
  assert.ok(paths.indexOf('/assets/loader.js') > paths.indexOf('/demo/programs/vn-coffee.json'), 'the loader chunk after the config: ' + paths.join(' '));
  // Fetched after the launcher was shown (resource timing vs the user-timing mark).
  const [fetched, shown] = await page.evaluate(() => [
    performance.getEntriesByType('resource').find((e) => /\/assets\/loader-/.test(e.name)).startTime,
    performance.getEntriesByName('rewards:launcher')[0].startTime,
  ]);
  assert.ok(fetched > shown, `loader chunk fetched at ${fetched} ms, launcher at ${shown} ms`);
  assert.deepEqual(
    (await page.evaluate(() => window.__order)).filter((n) => n.startsWith('rewards:')),
    ['rewards:launcher', 'rewards:loader'],
  );
  assert.ok(!paths.some((p) => /\/assets\/(ui|widget|engine)/.test(p)), 'no UI, CSS or wasm: ' + paths.join(' '));
  assert.ok(paths.includes('/assets/triggers.js'), 'the popup can show (first visit): its triggers are armed');
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 10: in cooldown or after signup the popup triggers chunk is never loaded', async () => {
  for (const saved of [{ last_shown: Date.now() }, { signed_up: true }]) {
    env.server.reset();
    const page = await env.page();
    await page.addInitScript((v) => localStorage.setItem('rewards:v1', JSON.stringify(v)), saved);
    await page.goto(env.url('/tests/fixtures/pages/bench.html'));
    await ready(page);
    await sleep(300);
    const paths = env.server.requests.map((r) => r.path);
    assert.ok(paths.some((p) => p.startsWith('/assets/loader-')), 'the loader chunk came');
    assert.ok(!paths.some((p) => p.startsWith('/assets/triggers-')), JSON.stringify(saved) + ': no triggers chunk: ' + paths.join(' '));
    assert.deepEqual(await pageErrors(page), []);
    await page.context().close();
  }
});

test('issue 10: inline elements in the HTML are defined when the loader chunk arrives, which the boot fetches at once', async () => {
  env.server.reset();
  const page = await env.page();
  const release = await holdLoaderChunk(page);
  await page.goto(env.url('/tests/fixtures/pages/spa.html'));
  await page.waitForFunction(() => window.Rewards && Rewards.timings && Rewards.timings.launcher != null);
  assert.equal(await page.evaluate(() => !!customElements.get('rewards-checkout-prompt')), false, 'not defined without the chunk');
  release();
  await page.waitForFunction(() => {
    const e = document.querySelector('rewards-checkout-prompt').shadowRoot;
    return e && e.querySelector('[data-rw=earn]');
  });
  const t = await page.evaluate(() => Rewards.timings);
  assert.ok(t.firstRender != null && t.loader != null, JSON.stringify(t));
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 10: a cart page downloads only the cart-page engine; the explainer brings the full one, which then answers everything', async () => {
  env.server.reset();
  const page = await env.page();
  await page.addInitScript((cart) => localStorage.setItem('demo:cart:vn', JSON.stringify(cart)), DEMO_CART);
  await page.goto(env.url('/demo/vi/cart.html'));
  await ready(page);
  const root = page.locator('rewards-checkout-prompt');
  await page.waitForFunction(() => document.querySelector('rewards-checkout-prompt').shadowRoot.querySelector('[data-rw=earn]'));
  const wasm = () => env.server.requests.map((r) => r.path).filter((p) => p.endsWith('.wasm')).map((p) => p.replace(/-[\w]+\.wasm$/, '.wasm'));
  assert.deepEqual(wasm(), ['/assets/engine-cart.wasm'], 'the cart page: the cart-page module only');
  const earned = await root.evaluate((el) => el.shadowRoot.querySelector('[data-rw=earn]').getAttribute('data-value'));
  await page.click('rewards-widget >> .rw-launcher');
  await page.waitForSelector('dialog.rw-panel[open] .rw-section');
  assert.deepEqual(wasm(), ['/assets/engine-cart.wasm', '/assets/engine.wasm'], 'the explainer: the full module, once');
  // The cart computed again now goes to the full module: the same number for the same cart.
  await page.keyboard.press('Escape');
  await page.evaluate(() => Rewards.refreshCart());
  await sleep(300);
  assert.equal(await root.evaluate((el) => el.shadowRoot.querySelector('[data-rw=earn]').getAttribute('data-value')), earned);
  assert.ok(Number(earned) > 0, 'the cart earns points: ' + earned);
  assert.equal(env.server.engineCalls.length, 0, 'computed in the browser');
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 10: with the program inline (data-config-json) the launcher is up when rewards.js has run, before any other task; the loader chunk moves it into the top layer when idle', async () => {
  env.server.reset();
  const page = await env.page();
  const release = await holdLoaderChunk(page);
  await page.route('**/tests/inline-boot.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>inline</title></head><body><p>A post.</p></body></html>' }));
  await page.goto(env.url('/tests/inline-boot.html'));
  const program = await (await fetch(env.url('/demo/programs/vn-coffee.json'))).text();
  env.server.reset();
  // The script's load event is dispatched right after it ran (and its microtasks), in the same task.
  const atLoad = await page.evaluate(
    (text) =>
      new Promise((resolve) => {
        const s = document.createElement('script');
        s.src = '/rewards.js';
        s.dataset.configJson = text;
        s.onload = () => {
          const host = document.querySelector('rewards-widget');
          const wrap = host && host.shadowRoot.querySelector('.rw-launch');
          resolve({ label: wrap && wrap.textContent, launcher: Rewards.timings.launcher != null, popover: wrap && wrap.matches(':popover-open') });
        };
        document.head.append(s);
      }),
    program,
  );
  assert.deepEqual(atLoad, { label: 'Ưu đãi', launcher: true, popover: false });
  assert.ok(!env.server.requests.some((r) => r.path.includes('/programs/') || r.path === '/api/program'), 'no config request: ' + env.server.requests.map((r) => r.path).join(' '));
  // On top of the page before the chunk came (the host's z-index), in the top layer after.
  const box = await page.locator('rewards-widget .rw-launcher').boundingBox();
  assert.equal(await page.evaluate(([x, y]) => document.elementFromPoint(x, y).localName, [box.x + box.width / 2, box.y + box.height / 2]), 'rewards-widget');
  release();
  await ready(page);
  await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launch').matches(':popover-open'));
  assert.deepEqual(await pageErrors(page), []);
});
