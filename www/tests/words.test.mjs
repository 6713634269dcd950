// Issue 14, part 5: words that say what is true. A paid-plan reward names
// the plan (every signed-up shopper is a "member" of the free program), the
// points picker's summary follows the amount picked, and a product that does
// not reach the minimum order on its own says so beside its points.
// On the real server (`rewards-demo demo`); signed-in shoppers are the
// demo's customers with tokens the demo's backend signs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ready, pageErrors } from './helpers.mjs';
import { setupReal, customerWith, shopperOf } from './real-server.mjs';

let env;
before(async () => {
  env = await setupReal();
});
after(() => env.close());

async function cartWith(page, store, product, variant) {
  await page.goto(env.url(`/demo/${store}/product.html?p=${product}`));
  if (variant) await page.selectOption('#variant', variant);
  await page.click('#add');
  await page.goto(env.url(`/demo/${store}/cart.html`));
  await ready(page);
}

test('issue 14: a paid-plan reward shown to a free member names the plan, in the prompt and the explainer, in both languages', async () => {
  const page = await env.page();
  await cartWith(page, 'vi', 'ca-phe-hat-robusta', '500');
  await page.selectOption('#demo-shopper', 'member'); // 120 points, no paid plan
  await page.click('rewards-checkout-prompt .rw-pr-actions button');
  const paid = page.locator('rewards-checkout-prompt .rw-opt', { hasText: 'Hội viên giảm 20%' });
  await paid.waitFor();
  assert.match(await paid.textContent(), /Chỉ dành cho Hội viên Phố Cổ\+/);
  assert.doesNotMatch(await paid.textContent(), /Chỉ dành cho hội viên$/);
  await page.evaluate(() => Rewards.open('explainer'));
  const tag = page.locator('rewards-widget #rw-s-redeem ~ * .rw-tag, rewards-widget .rw-section[aria-labelledby=rw-s-redeem] .rw-tag');
  await tag.first().waitFor();
  assert.equal(await tag.first().textContent(), 'Chỉ dành cho Hội viên Phố Cổ+');

  const en = await env.page();
  await cartWith(en, 'en', 'merino-hiker-sock', 'l');
  await en.evaluate(() => Rewards.open('explainer'));
  const enTag = en.locator('rewards-widget .rw-section[aria-labelledby=rw-s-redeem] .rw-tag');
  await enTag.first().waitFor();
  assert.equal(await enTag.first().textContent(), 'Only with Northwind+');
  assert.deepEqual(await pageErrors(page), []);
  assert.deepEqual(await pageErrors(en), []);
});

test('issue 14: the points picker says what the amount picked saves and spends', async () => {
  const page = await env.page();
  await cartWith(page, 'vi', 'ca-phe-hat-robusta', '500');
  await page.selectOption('#demo-shopper', 'silver'); // 1,250 points
  await page.click('rewards-checkout-prompt .rw-pr-actions button');
  const option = page.locator('rewards-checkout-prompt .rw-opt', { hasText: 'Giảm tiền trực tiếp' });
  await option.locator('select').waitFor();
  const summary = () => option.locator('.rw-item-main .rw-muted').textContent().then((s) => s.replace(/\s/g, ' '));
  const max = await summary();
  await option.locator('select').selectOption('300');
  assert.equal(await summary(), 'Giảm 30.000 ₫ · Dùng 300 điểm');
  assert.notEqual(max, await summary());
  await option.locator('select').selectOption('100');
  assert.equal(await summary(), 'Giảm 10.000 ₫ · Dùng 100 điểm');
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 14: a product below the minimum order says the points come with an order from that amount', async () => {
  const page = await env.page();
  // vn-coffee: 1 point per 10,000 ₫, minimum order 50,000 ₫. A coffee alone is under it; a 165,000 ₫ bag is not.
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-sua-da'));
  await ready(page);
  const line = (sel) => page.evaluate((s) => document.querySelector(s).shadowRoot.textContent.replace(/\s/g, ' '), sel);
  await page.waitForFunction(() => document.querySelector('rewards-product-points[primary]').shadowRoot.querySelector('[data-rw=points]'));
  assert.match(await line('rewards-product-points[primary]'), /^Tích \d+ điểm · cho đơn từ 50\.000 ₫/);
  await page.goto(env.url('/demo/vi/product.html?p=ca-phe-hat-robusta'));
  await page.selectOption('#variant', '500');
  await page.waitForFunction(() => /16 điểm/.test(document.querySelector('rewards-product-points[primary]').shadowRoot.textContent));
  assert.doesNotMatch(await line('rewards-product-points[primary]'), /cho đơn từ/);
  assert.deepEqual(await pageErrors(page), []);
});

/** Contrast ratio of an element's edge colour (`prop`) against what is behind it. */
function edgeContrast(page, host, selector, prop) {
  return page.evaluate(
    ([host, selector, prop]) => {
      const parse = (c) => {
        const m = /rgba?\(([^)]+)\)/.exec(c) || /color\(srgb ([^)]+)\)/.exec(c);
        if (!m) return null;
        const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
        const scale = c.startsWith('color(') ? 255 : 1;
        return { r: parts[0] * scale, g: parts[1] * scale, b: parts[2] * scale, a: parts.length > 3 ? parts[3] : 1 };
      };
      const over = (top, below) => ({ r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a), b: top.b * top.a + below.b * (1 - top.a), a: 1 });
      const lum = ({ r, g, b }) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const root = document.querySelector(host).shadowRoot;
      const el = root.querySelector(selector);
      // What is behind: the first opaque background up the tree (through the shadow host), blended.
      const layers = [];
      for (let n = el.parentElement || el.getRootNode().host; n; n = n.parentElement || (n.getRootNode && n.getRootNode().host)) {
        const bg = parse(getComputedStyle(n).backgroundColor);
        if (bg && bg.a > 0) layers.push(bg);
        if (bg && bg.a === 1) break;
      }
      let behind = { r: 255, g: 255, b: 255, a: 1 };
      for (const l of layers.reverse()) behind = over(l, behind);
      const edge = over(parse(getComputedStyle(el)[prop]), behind);
      const [a, b] = [lum(edge), lum(behind)].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    },
    [host, selector, prop],
  );
}

test('issue 14: empty stamps and progress tracks keep a 3:1 edge against what is behind them', async () => {
  const page = await env.page();
  await cartWith(page, 'vi', 'ca-phe-sua-da');
  await page.selectOption('#demo-shopper', 'member'); // 2 of 10 stamps, tier progress
  await page.waitForSelector('rewards-checkout-prompt .rw-stamp-empty');
  const inPrompt = await edgeContrast(page, 'rewards-checkout-prompt', '.rw-stamp-empty', 'borderTopColor');
  assert.ok(inPrompt >= 3, 'prompt: empty stamp ' + inPrompt.toFixed(2) + ':1');
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('rewards-widget .rw-panel .rw-stamp-empty');
  assert.ok((await edgeContrast(page, 'rewards-widget', '.rw-panel .rw-stamp-empty', 'borderTopColor')) >= 3, 'explainer: empty stamp');
  const track = await page.evaluate(() => getComputedStyle(document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-panel .rw-bar')).boxShadow);
  assert.match(track, /inset/, 'the track has an edge: ' + track);
  assert.deepEqual(await pageErrors(page), []);
});

/** The focused element's ([data-probe]) outline colour against what is painted where the ring is: just left of its box. */
function ringContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c) || /color\(srgb ([^)]+)\)/.exec(c);
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      const k = c.startsWith('color(') ? 255 : 1;
      return { r: p[0] * k, g: p[1] * k, b: p[2] * k, a: p.length > 3 ? p[3] : 1 };
    };
    const over = (t, u) => ({ r: t.r * t.a + u.r * (1 - t.a), g: t.g * t.a + u.g * (1 - t.a), b: t.b * t.a + u.b * (1 - t.a), a: 1 });
    const lum = ({ r, g, b }) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const root = document.querySelector('rewards-widget').shadowRoot;
    const el = root.querySelector('[data-probe]');
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const x = r.left - parseFloat(s.outlineOffset) - parseFloat(s.outlineWidth) / 2;
    const under = root.elementsFromPoint(x, r.top + r.height / 2).find((e) => e !== el && !el.contains(e));
    const layers = [];
    for (let n = under; n; n = n.parentElement || (n.getRootNode().host !== n && n.getRootNode().host)) {
      const bg = parse(getComputedStyle(n).backgroundColor);
      if (bg.a > 0) layers.push(bg);
      if (bg.a === 1) break;
    }
    let behind = { r: 255, g: 255, b: 255, a: 1 };
    for (const l of layers.reverse()) behind = over(l, behind);
    const [a, b] = [lum(over(parse(s.outlineColor), behind)), lum(behind)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  });
}

test('issue 14: the keyboard focus ring keeps 3:1 against what is behind it, on the white surface, the tint and the panel\'s brand-coloured head', async () => {
  for (const store of ['vi', 'en']) {
    const page = await env.page();
    await page.addInitScript(() => localStorage.setItem('rewards:v1', JSON.stringify({ last_shown: Date.now() })));
    await page.goto(env.url(`/demo/${store}/`));
    await ready(page);
    await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').focus());
    await page.keyboard.press('Enter');
    await page.waitForSelector('rewards-widget >> dialog.rw-panel[open] .rw-section');
    const rings = [];
    // The close button in the head (brand), the join button in the tinted summary, then links on the white body.
    for (let i = 0; i < 4; i++) {
      const what = await page.evaluate(() => {
        const root = document.querySelector('rewards-widget').shadowRoot;
        for (const e of root.querySelectorAll('[data-probe]')) e.removeAttribute('data-probe');
        const a = root.activeElement;
        a.setAttribute('data-probe', '');
        return a.matches(':focus-visible') && a.className + ' ' + a.textContent.trim().slice(0, 20);
      });
      assert.ok(what, `${store}: stop ${i} shows a focus ring`);
      rings.push([what, await ringContrast(page)]);
      await page.keyboard.press('Tab');
    }
    for (const [what, ratio] of rings) assert.ok(ratio >= 3, `${store}: the ring of ${what} is ${ratio.toFixed(2)}:1`);
    assert.deepEqual(await pageErrors(page), []);
    await page.context().close();
  }
});

test('issue 14: the launcher follows a locale switch and shows a signed-in shopper\'s balance', async () => {
  const page = await env.page();
  await page.goto(env.url('/demo/vi/'));
  await ready(page);
  const label = () => page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').textContent);
  assert.equal(await label(), 'Ưu đãi', "the merchant's Vietnamese word");
  await page.evaluate(() => Rewards.setLocale('en'));
  await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').textContent === 'Rewards');
  await page.evaluate(() => Rewards.setLocale('vi'));
  await page.waitForFunction(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').textContent === 'Ưu đãi');
  // A seeded customer of the demo, signed in: the launcher shows the balance the server reads.
  const token = await customerWith(page, 1);
  const { balance } = await shopperOf(page, token);
  const words = balance.toLocaleString('vi-VN') + ' điểm';
  await page.evaluate((t) => Rewards.setShopperToken(t), token);
  await page.waitForFunction((w) => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').textContent.replace(/\s/g, ' ') === w, words);
  assert.equal(await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launch').getAttribute('aria-label').replace(/\s/g, ' ')), words);
  assert.deepEqual(await pageErrors(page), []);
});

test('issue 14: the Vietnamese store\'s "English" link shows the same store, its program and cart, in English', async () => {
  const page = await env.page();
  await cartWith(page, 'vi', 'ca-phe-sua-da', 'l');
  await page.click('header a.lang');
  await page.waitForURL(/\/vi\/cart\.html\?lang=en$/);
  await ready(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('header .logo strong'), 'Cà Phê Phố Cổ', 'the same store');
  assert.equal(await page.textContent('main h1'), 'Cart');
  assert.match(await page.textContent('.lines'), /Cà phê sữa đá \(iced milk coffee\)/, 'the same cart, in English words');
  // The widget speaks English, with the program's English names, and counts the same VND cart.
  await page.waitForFunction(() => /Earn \d+ points? with this order/.test(document.querySelector('rewards-checkout-prompt').shadowRoot.textContent));
  assert.equal(await page.evaluate(() => document.querySelector('rewards-widget').shadowRoot.querySelector('.rw-launcher').textContent), 'Rewards');
  // Moving around stays in English; the link back is Vietnamese.
  assert.equal(await page.getAttribute('header nav a[href^="collection.html"]', 'href'), 'collection.html?lang=en');
  const back = page.locator('header a.lang');
  assert.equal(await back.textContent(), 'Tiếng Việt');
  await back.click();
  await page.waitForURL(/\/vi\/cart\.html$/);
  assert.equal(await page.textContent('main h1'), 'Giỏ hàng');
  assert.deepEqual(await pageErrors(page), []);
});

// ---- the built-in sentences ------------------------------------------------------------
// Every string of every surface (prompt and product points, redemptions list,
// "Your codes", popup, explainer), in both languages, plural forms included.
const STRINGS = [];
for (const surface of ['core', 'redeem', 'vouchers', 'popup', 'panel']) {
  const mod = await import(`../src/ui/strings-${surface}.js`);
  for (const lang of ['en', 'vi']) {
    for (const [key, v] of Object.entries(mod[lang])) for (const s of typeof v === 'object' ? Object.values(v) : [v]) STRINGS.push({ where: `${surface}.${lang}.${key}`, lang, s });
  }
}
// English words that may come twice in a sentence.
const GLUE = new Set(['a', 'an', 'the', 'to', 'of', 'for', 'on', 'in', 'and', 'or', 'at', 'by', 'it', 'its', 'this', 'that', 'is', 'are', 'be', 'with', 'from', 'per', 'every', 'you', 'can', 'we', 'our', 'one', 'more', 'off', 'up', 'so', 'no', 'not', 'after', 'here']);
const words = (s) => s.replace(/\{\w+\}/g, ' ').toLocaleLowerCase().split(/[^\p{L}’']+/u).filter(Boolean);
/** What a sentence says twice: an English word (plural or possessive alike: "tier … yours" is "your" twice), a Vietnamese two-syllable word. */
function twice(s, lang) {
  const w = words(s);
  const units = lang === 'vi' ? w.slice(1).map((x, i) => w[i] + ' ' + x) : w.filter((x) => !GLUE.has(x)).map((x) => x.replace(/(’s|'s|s)$/, ''));
  return [...new Set(units.filter((u, i) => units.indexOf(u) !== i))];
}
/** A merchant's reward or redemption name inside a sentence ("… nhận Một ly cà phê miễn phí!"): its capital and grammar break. */
const midSentence = (s) => /\{(reward|name)\}/.test(s) && !/(^|: )\{(reward|name)\}/.test(s);

test('issue 14: no built-in sentence says a word twice ("Your tier is yours until …") or puts a merchant\'s reward name mid-sentence, in either language', () => {
  // The checks catch what the widget used to say.
  assert.deepEqual(twice('Your tier is yours until {date}', 'en'), ['your']);
  assert.deepEqual(twice('Một số sản phẩm không được tích điểm — trang sản phẩm sẽ ghi rõ.', 'vi'), ['sản phẩm']);
  assert.ok(midSentence('Đủ dấu: nhận {reward}!') && midSentence('{n} more stamps for {reward}') && midSentence('Points to use for {name}'));
  assert.ok(!midSentence('Card complete! Your reward: {reward}') && !midSentence('{name}: points to use'));
  assert.ok(STRINGS.length > 250, STRINGS.length + ' strings');
  const found = [];
  for (const { where, lang, s } of STRINGS) {
    const again = twice(s, lang);
    if (again.length) found.push(`${where}: "${s}" says ${again.map((x) => `"${x}"`).join(', ')} twice`);
    if (midSentence(s)) found.push(`${where}: "${s}" puts a merchant's name mid-sentence`);
  }
  assert.deepEqual(found, []);
});

/** In the page: every list item of a surface whose lines say the same thing twice (the name, each " · " part of its details, its value). */
function repeatedLines([host, selector]) {
  const out = [];
  const root = document.querySelector(host).shadowRoot;
  for (const li of root.querySelectorAll(selector)) {
    const lines = [...li.querySelectorAll('strong, span, p, code')]
      .filter((e) => ![...e.children].some((c) => c.textContent.trim()))
      .flatMap((e) => e.textContent.split(' · '))
      // "$5 off" and "$5.00 off" say the same.
      .map((s) => s.replace(/\s+/g, ' ').replace(/[.,]0+(?!\d)/g, '').trim().toLocaleLowerCase())
      .filter(Boolean);
    const dup = lines.filter((l, i) => lines.indexOf(l) !== i);
    if (dup.length) out.push(li.textContent.replace(/\s+/g, ' ').trim() + ' — repeats "' + dup[0] + '"');
  }
  return out;
}

test('issue 14: no line of the explainer, the prompt\'s redemptions or "Your codes" repeats another of the same item ("Free shipping / Free shipping"), in both languages', async () => {
  for (const [store, product, variant, shopper] of [
    ['vi', 'ca-phe-hat-robusta', '500', 'silver'],
    ['en', 'merino-hiker-sock', 'l', 'member'],
  ]) {
    const page = await env.page();
    await cartWith(page, store, product, variant);
    await page.selectOption('#demo-shopper', shopper);
    await page.click('rewards-checkout-prompt .rw-pr-actions button');
    await page.waitForSelector('rewards-checkout-prompt .rw-redeem:not([hidden]) .rw-opt');
    assert.deepEqual(await page.evaluate(repeatedLines, ['rewards-checkout-prompt', 'li']), [], store + ': the prompt');
    await page.evaluate(() => Rewards.open('explainer'));
    await page.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-section[aria-labelledby=rw-s-redeem]');
    assert.deepEqual(await page.evaluate(repeatedLines, ['rewards-widget', '.rw-panel li']), [], store + ': the explainer');
    // Its free shipping reward says what it costs and its cap, not its name twice.
    const shipping = await page.evaluate(() => [...document.querySelector('rewards-widget').shadowRoot.querySelectorAll('.rw-section[aria-labelledby=rw-s-redeem] li')].map((li) => li.textContent).find((t) => /giao hàng|shipping/i.test(t)));
    assert.ok(shipping, store + ': a free shipping reward is listed');
    assert.deepEqual(await pageErrors(page), []);
    await page.context().close();
  }
  // "Your codes": free shipping codes from the server, one used by an order and one not, are each named once.
  const page = await env.page();
  await page.goto(env.url('/demo/vi/'));
  await ready(page);
  const token = await customerWith(page, 300);
  const codes = await page.evaluate(async (t) => {
    const post = async (path, body) => {
      const r = await fetch(path, { method: 'POST', headers: { authorization: 'Bearer ' + t, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return [r.status, await r.json()];
    };
    const cart = { currency: 'VND', shipping: 30000, lines: [{ id: 'l1', product_id: 'ca-phe-hat-robusta', quantity: 1, unit_price: 185000 }] };
    const one = await post('/api/redeem', { redemption_id: 'mien-phi-giao-hang', points: 150, cart, idempotency_key: 'words-ship-1' });
    const two = await post('/api/redeem', { redemption_id: 'mien-phi-giao-hang', points: 150, cart, idempotency_key: 'words-ship-2' });
    const used = await post('/demo/order', { cart, discount_codes: [one[1].voucher_code] });
    return { one, two, used };
  }, token);
  assert.deepEqual([codes.one[0], codes.two[0], codes.used[0]], [200, 200, 200], JSON.stringify(codes));
  await page.evaluate((t) => Rewards.setShopperToken(t), token);
  await page.evaluate(() => Rewards.open('explainer'));
  await page.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-vc-past');
  assert.deepEqual(await page.evaluate(repeatedLines, ['rewards-widget', '.rw-panel li']), [], 'your codes');
  assert.equal((await page.locator(`rewards-widget .rw-vc[data-code="${codes.two[1].voucher_code}"] .rw-vc-head`).textContent()).trim(), 'Miễn phí giao hàng');
  assert.deepEqual(await pageErrors(page), []);

  // The English store's "$5 off" codes (a seeded member's): the name says the value, so "$5.00 off" is not added.
  const en = await env.page();
  await en.goto(env.url('/demo/en/'));
  await ready(en);
  await en.evaluate((t) => Rewards.setShopperToken(t), await customerWith(en, 1));
  await en.evaluate(() => Rewards.open('explainer'));
  await en.waitForSelector('rewards-widget dialog.rw-panel[open] .rw-vc .rw-code');
  const heads = await en.evaluate(() => [...document.querySelector('rewards-widget').shadowRoot.querySelectorAll('.rw-vc:not(.rw-vc-past) .rw-vc-head')].map((e) => e.textContent.trim()));
  assert.ok(heads.includes('$5 off'), JSON.stringify(heads));
  assert.deepEqual(await en.evaluate(repeatedLines, ['rewards-widget', '.rw-panel li']), [], 'your codes, en');
  assert.deepEqual(await pageErrors(en), []);
});

test('issue 14: "Your activity" keeps each code and order number on one line and says "spendable from" only under pending credits, at 320 px in both languages', async () => {
  for (const store of ['vi', 'en']) {
    const page = await env.page({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });
    await page.goto(env.url(`/demo/${store}/`));
    await ready(page);
    // A seeded customer with a refund of an order whose points are still pending, and a code redeemed now.
    const found = await page.evaluate(async () => {
      for (let c = 1; c <= 80; c++) {
        const token = (await (await fetch('/demo/token?customer_id=demo-' + c)).json()).token;
        const { entries } = await (await fetch('/api/shopper/activity?limit=50', { headers: { authorization: 'Bearer ' + token } })).json();
        const refund = entries.find((e) => e.cause === 'refund' && entries.some((o) => o.cause === 'order' && o.spendable_at && e.text.endsWith(o.text.split(' ').pop())));
        if (refund) return { token, refund: refund.text };
      }
      return null;
    });
    assert.ok(found, store + ': a seeded customer has a refund of a pending order');
    const cart = store == 'vi' ? { currency: 'VND', lines: [{ id: 'l1', product_id: 'ca-phe-hat-robusta', quantity: 1, unit_price: 185000 }] } : { currency: 'USD', lines: [{ id: 'l1', product_id: 'ridgeline-rain-shell', quantity: 1, unit_price: 18900 }] };
    const redeemed = await page.evaluate(async ([t, cart]) => {
      const program = (await (await fetch('/api/program')).json()).program;
      const option = program.redemptions[0];
      const r = await fetch('/api/redeem', { method: 'POST', headers: { authorization: 'Bearer ' + t, 'content-type': 'application/json' }, body: JSON.stringify({ redemption_id: option.id, points: option.points_cost || option.points || undefined, cart, idempotency_key: 'words-activity-' + Date.now() }) });
      return [r.status, await r.json()];
    }, [found.token, cart]);
    await page.evaluate((t) => Rewards.setShopperToken(t), found.token);
    await page.evaluate(() => Rewards.open('explainer'));
    const show = page.locator('rewards-widget .rw-section:has([data-rw=activity]) button.rw-secondary');
    await show.click();
    await page.waitForSelector('rewards-widget [data-rw=activity] li');
    const items = await page.evaluate(() =>
      [...document.querySelector('rewards-widget').shadowRoot.querySelectorAll('[data-rw=activity] li')].map((li) => {
        const name = li.querySelector('.rw-item-name');
        // Each code or order number ("RW-DZSR-0YH9-EJA7", "demo-85-133") sits in one line box.
        const broken = [...name.querySelectorAll('.rw-nobr')].filter((s) => s.getClientRects().length != 1).map((s) => s.textContent);
        const tokens = name.textContent.split(/\s+/).filter((w) => /\S-\S/.test(w));
        return { text: name.textContent, detail: li.querySelector('.rw-muted') && li.querySelector('.rw-muted').textContent, broken, kept: name.querySelectorAll('.rw-nobr').length, tokens: tokens.length };
      }),
    );
    for (const i of items) {
      assert.deepEqual(i.broken, [], store + ': broken across lines in ' + i.text);
      assert.equal(i.kept, i.tokens, store + ': every hyphenated code kept whole in ' + i.text);
    }
    const refund = items.find((i) => i.text === found.refund);
    assert.ok(refund, store + ': the refund is listed: ' + found.refund);
    assert.doesNotMatch(refund.detail, /Spendable|Dùng được/, store + ': a refund takes points back at once: ' + refund.detail);
    if (redeemed[0] === 200) assert.ok(items.some((i) => i.text.includes(redeemed[1].voucher_code)), store + ': the code just redeemed is listed');
    assert.deepEqual(await pageErrors(page), []);
    await page.context().close();
  }
});
