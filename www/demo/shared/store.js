// The demo store's own code — what a merchant's theme would do. It renders
// the pages from the catalog, keeps a cart in localStorage, and talks to
// the rewards widget only through its public API: the command queue
// (Rewards.push), setCart with the core's cart JSON, setShopper, events,
// and the two custom elements.
(function () {
  'use strict';
  const body = document.body;
  const base = window.DemoCatalogs[body.dataset.store];
  // The Vietnamese store in English (?lang=en): its copy, names and the
  // widget's language change; its program, prices and cart stay the same.
  const english = !!base.english && new URLSearchParams(location.search).get('lang') === 'en';
  const S = english ? inEnglish(base) : withEnglishLink(base);
  const T = S.t;
  if (english) {
    document.documentElement.lang = 'en';
    if (body.dataset.page !== 'product') document.title = S.t[body.dataset.page === 'collection' ? 'shop' : body.dataset.page] + ' — ' + S.name;
    window.Rewards = window.Rewards || [];
    window.Rewards.push(['setLocale', 'en']);
  }
  const page = body.dataset.page;
  const app = document.getElementById('app');
  const CART_KEY = 'demo:cart:' + body.dataset.store;
  const REWARD_KEY = 'demo:reward:' + body.dataset.store;
  const SHOPPER_KEY = 'demo:shopper:' + body.dataset.store;

  // The widget's queue: safe to use before rewards.js has loaded.
  window.Rewards = window.Rewards || [];

  const money = new Intl.NumberFormat(S.locale, { style: 'currency', currency: S.currency });
  const minorDigits = money.resolvedOptions().maximumFractionDigits;
  const fmt = (minor) => money.format(minorDigits ? (minor / 10 ** minorDigits).toFixed(minorDigits) : String(minor));

  // ---- tiny DOM helper ---------------------------------------------------------
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'href' && english && !/^(#|\.\.\/|\/|[a-z]+:)/.test(v)) e.setAttribute('href', v + (v.includes('?') ? '&' : '?') + 'lang=en');
      else if (k === 'text') e.textContent = v;
      else if (k === 'html') e.innerHTML = v; // static SVG art only
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c != null && c !== false) e.append(c);
    return e;
  }
  const find = (handle) => S.products.find((p) => p.handle === handle);
  const art = (p, cls) => el('div', { class: 'art ' + (cls || ''), html: window.DemoArt(p.art, p.color) });

  // ---- cart ------------------------------------------------------------------------
  function load(key, fallback) {
    try {
      return JSON.parse(localStorage.getItem(key)) || fallback;
    } catch {
      return fallback;
    }
  }
  let cart = load(CART_KEY, { lines: [], insurance: false });
  const save = () => {
    localStorage.setItem(CART_KEY, JSON.stringify(cart));
    publish();
    renderCount();
  };
  const count = () => cart.lines.reduce((n, l) => n + l.qty, 0);
  const variantOf = (l) => {
    const p = find(l.handle);
    return p && (p.variants.find((v) => v.id === l.variant) || p.variants[0]);
  };
  const subtotal = () => cart.lines.reduce((s, l) => s + variantOf(l).price * l.qty, 0) + (cart.insurance && S.addon ? S.addon.price : 0);
  // The discount on this order: a voucher code the store checked with the
  // server ({code, kind, discount}), or a redemption a page-provided shopper
  // chose ({id, kind, name, discount}). Cart and checkout both apply it.
  const reward = () => load(REWARD_KEY, null);

  /** The cart in the core's JSON shape (money in minor units). */
  function coreCart() {
    const lines = cart.lines.filter((l) => find(l.handle)).map((l) => {
      const p = find(l.handle);
      const v = variantOf(l);
      const line = {
        id: l.handle + ':' + v.id,
        product_id: p.handle,
        variant_id: p.handle + '-' + v.id,
        sku: (p.handle + '-' + v.id).toUpperCase(),
        title: p.title,
        product_type: p.type,
        tags: p.tags,
        collections: p.collections,
        quantity: l.qty,
        unit_price: v.price,
      };
      if (p.giftCard) line.gift_card = true;
      return line;
    });
    if (cart.insurance && S.addon && lines.length) lines.push({ id: 'addon', sku: S.addon.sku, title: S.addon.title, quantity: 1, unit_price: S.addon.price });
    const r = reward();
    const shipping = lines.length ? (r && r.kind === 'free_shipping' ? 0 : S.shipping) : 0;
    const out = { currency: S.currency, shipping, lines };
    // A voucher is worth a fixed amount, capped at the merchandise subtotal.
    if (r && r.kind !== 'free_shipping' && r.discount > 0) out.discount = Math.min(r.discount, subtotal());
    if (r && r.code) out.discount_codes = [r.code];
    return out;
  }
  const publish = () => window.Rewards.push(['setCart', coreCart()]);
  // For the store's own scripts (and the browser tests): the cart and the
  // shopper exactly as handed to the widget.
  window.DemoStore = { cart: coreCart, shopper: () => (S.shoppers.find((s) => s.id === (sessionStorage.getItem(SHOPPER_KEY) || 'guest')) || {}).shopper || null };

  function add(handle, variant, qty) {
    const line = cart.lines.find((l) => l.handle === handle && l.variant === variant);
    if (line) line.qty += qty;
    else cart.lines.push({ handle, variant, qty });
    save();
  }
  function setQty(i, qty) {
    if (qty <= 0) cart.lines.splice(i, 1);
    else cart.lines[i].qty = qty;
    save();
    render();
  }

  // ---- chrome: demo bar, header, footer ----------------------------------------------------
  let countBadge;
  function renderCount() {
    if (countBadge) countBadge.textContent = String(count());
  }
  function demoBar() {
    const saved = sessionStorage.getItem(SHOPPER_KEY) || 'guest';
    const select = el(
      'select',
      { id: 'demo-shopper', onchange: () => pickShopper(select.value) },
      S.shoppers.map((s) => el('option', { value: s.id, selected: s.id === saved, text: s.label })),
    );
    const reset = el('button', {
      type: 'button',
      class: 'link',
      text: T.reset,
      onclick: () => {
        for (const k of Object.keys(localStorage)) if (k.startsWith('rewards:') || k.startsWith('demo:')) localStorage.removeItem(k);
        sessionStorage.clear();
        location.reload();
      },
    });
    offerServerCustomer(select);
    return el('aside', { class: 'demo-bar', 'aria-label': 'Demo' }, el('label', { for: 'demo-shopper', text: T.demoBar }), select, reset);
  }
  function pickShopper(id) {
    sessionStorage.setItem(SHOPPER_KEY, id);
    const s = S.shoppers.find((x) => x.id === id);
    window.Rewards.push(['setShopper', s ? s.shopper : null]);
    // A signed-in customer of the reference server: its token, as a
    // merchant backend would render it (GET /demo/token, demo mode only).
    if (id !== 'server') window.Rewards.push(['setShopperToken', null]);
    else
      serverToken().then((t) => window.Rewards.push(['setShopperToken', t]));
  }
  let tokenRequest = null;
  const serverToken = () =>
    (tokenRequest =
      tokenRequest ||
      fetch('/demo/token?customer_id=demo-1')
        .then((r) => (r.ok ? r.json() : null))
        .then((j) => (j && typeof j.token === 'string' ? j.token : null))
        .catch(() => null));
  // The reference server runs the Vietnamese program; offer its customer there.
  function offerServerCustomer(select) {
    if (body.dataset.store !== 'vn') return;
    serverToken().then((t) => {
      if (!t) return;
      select.append(el('option', { value: 'server', text: T.serverCustomer, selected: sessionStorage.getItem(SHOPPER_KEY) === 'server' }));
    });
  }
  function header() {
    countBadge = el('span', { class: 'badge', 'aria-label': T.inCart, text: String(count()) });
    const link = (href, text, current) => el('a', { href, 'aria-current': current ? 'page' : null, text });
    return el(
      'header',
      { class: 'site-header' },
      el('a', { class: 'logo', href: './' }, el('span', { class: 'mark', html: logo() }), el('span', null, el('strong', { text: S.name }), el('small', { text: S.tagline }))),
      el(
        'nav',
        { 'aria-label': S.name },
        link('./', T.home, page === 'home'),
        link('collection.html', T.shop, page === 'collection' || page === 'product'),
        el('a', { href: 'cart.html', class: 'cart-link', 'aria-current': page === 'cart' ? 'page' : null }, T.cart + ' ', countBadge),
        el('a', { href: S.otherLang.href, class: 'lang', lang: english || body.dataset.store !== 'vn' ? 'vi' : 'en', text: S.otherLang.label }),
      ),
    );
  }
  const logo = () =>
    body.dataset.store === 'vn'
      ? '<svg viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="19" fill="#6f3b1f"/><path d="M11 17h16v6a8 8 0 0 1-8 8 8 8 0 0 1-8-8z" fill="#f4e7d3"/><path d="M27 19h2a3 3 0 0 1 0 6h-2.5" fill="none" stroke="#f4e7d3" stroke-width="2"/><path d="M16 9q2 3 0 5M21 8q2 3 0 6" stroke="#f4e7d3" stroke-width="2" fill="none" stroke-linecap="round"/></svg>'
      : '<svg viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="19" fill="#1e3a5f"/><path d="M7 29l9-14 5 7 4-5 8 12z" fill="#e8eef5"/><circle cx="28" cy="12" r="3" fill="#f3c969"/></svg>';
  const footer = () => el('footer', { class: 'site-footer' }, el('p', { text: T.footer }));

  // ---- pages --------------------------------------------------------------------------------
  function card(p, level) {
    const from = Math.min(...p.variants.map((v) => v.price));
    return el(
      'li',
      { class: 'card' },
      el(
        'a',
        { href: 'product.html?p=' + p.handle },
        art(p),
        el(level || 'h3', { class: 'card-title', text: p.title }),
        el('p', { class: 'price' }, p.compareAt ? el('s', { text: fmt(p.compareAt) }) : null, ' ', fmt(from)),
      ),
      el('rewards-product-points', productAttrs(p, p.variants[0])),
    );
  }
  function productAttrs(p, v) {
    return { 'product-id': p.handle, 'variant-id': p.handle + '-' + v.id, price: String(v.price), 'product-type': p.type, tags: p.tags.join(','), collections: p.collections.join(','), 'gift-card': p.giftCard ? true : null };
  }

  function home() {
    return [
      el(
        'section',
        { class: 'hero' },
        el('div', { class: 'hero-text' }, el('h1', { text: T.heroTitle }), el('p', { text: T.heroBody }), el('a', { class: 'button', href: 'collection.html', text: T.heroCta })),
        el('div', { class: 'hero-art', html: window.DemoArt(S.products[0].art, S.products[0].color) }),
      ),
      el('h2', { text: T.featured }),
      el('ul', { class: 'grid' }, S.products.slice(0, 4).map((p) => card(p))),
      el(
        'section',
        { class: 'rewards-band' },
        el('div', null, el('h2', { text: T.rewardsTitle }), el('p', { text: T.rewardsBody })),
        el('button', { type: 'button', class: 'button ghost', text: T.rewardsCta, onclick: () => window.Rewards.push(['open', 'explainer']) }),
      ),
    ];
  }

  function collection() {
    const current = new URLSearchParams(location.search).get('c');
    const chips = el(
      'nav',
      { class: 'chips', 'aria-label': T.shop },
      el('a', { href: 'collection.html', 'aria-current': current ? null : 'page', text: T.all }),
      S.collections.map((c) => el('a', { href: 'collection.html?c=' + c.id, 'aria-current': current === c.id ? 'page' : null, text: c.name })),
    );
    const list = S.products.filter((p) => !current || p.collections.includes(current));
    const title = (S.collections.find((c) => c.id === current) || { name: T.shop }).name;
    return [el('h1', { text: title }), chips, el('ul', { class: 'grid' }, list.map((p) => card(p, 'h2')))];
  }

  function product() {
    const p = find(new URLSearchParams(location.search).get('p')) || S.products[0];
    document.title = p.title + ' — ' + S.name;
    let v = p.variants[0];
    let qty = 1;
    const price = el('p', { class: 'price big', text: fmt(v.price) });
    const points = el('rewards-product-points', Object.assign({ primary: true }, productAttrs(p, v)));
    const status = el('p', { class: 'status', role: 'status' });
    const select = el(
      'select',
      {
        id: 'variant',
        onchange: () => {
          v = p.variants.find((x) => x.id === select.value);
          price.textContent = fmt(v.price);
          // The element re-renders when its attributes change.
          points.setAttribute('price', String(v.price));
          points.setAttribute('variant-id', p.handle + '-' + v.id);
        },
      },
      p.variants.map((x) => el('option', { value: x.id, text: x.name })),
    );
    const qtyOut = el('output', { id: 'qty', 'aria-live': 'polite', text: '1' });
    const stepper = el(
      'div',
      { class: 'stepper' },
      el('button', { type: 'button', 'aria-label': T.decrease, text: '−', onclick: () => (qtyOut.textContent = String((qty = Math.max(1, qty - 1)))) }),
      qtyOut,
      el('button', { type: 'button', 'aria-label': T.increase, text: '+', onclick: () => (qtyOut.textContent = String((qty = Math.min(20, qty + 1)))) }),
    );
    return [
      el('p', { class: 'crumbs' }, el('a', { href: 'collection.html', text: '← ' + T.shop })),
      el(
        'article',
        { class: 'product' },
        art(p, 'big'),
        el(
          'div',
          { class: 'buy' },
          el('h1', { text: p.title }),
          el('p', { class: 'price-row' }, p.compareAt ? el('s', { text: fmt(p.compareAt) }) : null, price),
          points,
          el('p', { class: 'desc', text: p.desc }),
          el('div', { class: 'field' }, el('label', { for: 'variant', text: T.size }), select),
          el('div', { class: 'field' }, el('span', { class: 'label', id: 'qty-label', text: T.qty }), stepper),
          el('button', {
            type: 'button',
            class: 'button wide',
            id: 'add',
            text: T.add,
            onclick: () => {
              add(p.handle, v.id, qty);
              status.textContent = T.added + ' (' + count() + ')';
            },
          }),
          status,
        ),
      ),
    ];
  }

  function lineRows(editable) {
    return cart.lines.map((l, i) => {
      const p = find(l.handle);
      const v = variantOf(l);
      return el(
        'li',
        { class: 'line' },
        art(p, 'thumb'),
        el('div', { class: 'line-main' }, el('a', { href: 'product.html?p=' + p.handle, text: p.title }), el('small', { text: v.name }), editable ? el('small', { class: 'unit', text: fmt(v.price) }) : null),
        editable
          ? el(
              'div',
              { class: 'stepper small' },
              el('button', { type: 'button', 'aria-label': T.decrease + ': ' + p.title, text: '−', onclick: () => setQty(i, l.qty - 1) }),
              el('output', { text: String(l.qty) }),
              el('button', { type: 'button', 'aria-label': T.increase + ': ' + p.title, text: '+', onclick: () => setQty(i, l.qty + 1) }),
            )
          : el('span', { class: 'qty', text: '× ' + l.qty }),
        el('span', { class: 'line-price', text: fmt(v.price * l.qty) }),
        editable ? el('button', { type: 'button', class: 'link remove', text: T.remove, 'aria-label': T.remove + ': ' + p.title, onclick: () => setQty(i, 0) }) : null,
      );
    });
  }

  function totals() {
    const c = coreCart();
    const r = reward();
    const rows = [[T.subtotal, fmt(subtotal())]];
    if (c.lines.length) rows.push([T.shipping, fmt(c.shipping)]);
    if (c.discount) rows.push([T.discount + (r ? ' (' + (r.code || r.name) + ')' : ''), '−' + fmt(c.discount)]);
    rows.push([T.total, fmt(subtotal() + c.shipping - (c.discount || 0))]);
    return el('dl', { class: 'totals' }, rows.map(([k, v], i) => el('div', { class: i === rows.length - 1 ? 'grand' : null }, el('dt', { text: k }), el('dd', { text: v }))));
  }

  // One prompt element for the page's life: re-rendering the cart moves it
  // instead of replacing it, so its numbers never blink.
  const prompt = el('rewards-checkout-prompt');
  function cartPage() {
    if (!cart.lines.length) return [el('h1', { text: T.cart }), el('p', { class: 'empty', text: T.empty }), el('a', { class: 'button', href: 'collection.html', text: T.keepShopping })];
    const addon = S.addon
      ? el(
          'label',
          { class: 'addon' },
          el('input', { type: 'checkbox', id: 'insurance', checked: cart.insurance, onchange: (e) => ((cart.insurance = e.target.checked), save(), render()) }),
          el('span', null, S.addon.title + ' (' + fmt(S.addon.price) + ')', el('small', { text: T.addonNote })),
        )
      : null;
    return [
      el('h1', { text: T.cart }),
      el(
        'div',
        { class: 'cart-layout' },
        el('div', null, el('ul', { class: 'lines' }, lineRows(true)), addon),
        el('aside', { class: 'summary', 'aria-label': T.summary }, totals(), prompt, el('a', { class: 'button wide', href: 'checkout.html', text: T.toCheckout })),
      ),
    ];
  }

  // The checkout's discount-code field: the code is checked with the server
  // (the merchant backend's job; /demo/voucher in the demo) and applied.
  function codeField() {
    const input = el('input', { id: 'discount-code', type: 'text', autocomplete: 'off', spellcheck: 'false', value: (reward() && reward().code) || '' });
    const note = el('p', { class: 'status', id: 'code-status', role: 'status' });
    const apply = el('button', {
      type: 'button',
      class: 'button ghost',
      id: 'apply-code',
      text: T.codeApply,
      onclick: async () => {
        const r = await applyCode(input.value);
        note.textContent = r.ok ? T.codeApplied.replace('{code}', r.code) : T[r.reason];
      },
    });
    const remove = el('button', {
      type: 'button',
      class: 'link',
      text: T.codeRemove,
      onclick: () => {
        localStorage.removeItem(REWARD_KEY);
        input.value = '';
        note.textContent = '';
        refreshTotals();
      },
    });
    return el('div', { class: 'field code-field' }, el('label', { for: 'discount-code', text: T.codeLabel }), el('div', { class: 'code-row' }, input, apply, remove), note);
  }

  /** Places the order: with the server, as the merchant backend's order webhook (/demo/order). */
  async function placeOrder() {
    const r = reward();
    const signedIn = sessionStorage.getItem(SHOPPER_KEY) === 'server';
    if (!signedIn && !(r && r.code)) return null;
    const headers = { 'content-type': 'application/json' };
    const t = signedIn ? await serverToken() : null;
    if (t) headers.authorization = 'Bearer ' + t;
    try {
      const res = await fetch('/demo/order', { method: 'POST', headers, body: JSON.stringify({ cart: coreCart(), discount_codes: r && r.code ? [r.code] : [] }) });
      return res.ok ? await res.json() : null;
    } catch {
      return null;
    }
  }

  function checkout() {
    const field = (id, label, type, auto) => el('div', { class: 'field' }, el('label', { for: id, text: label }), el('input', { id, type, autocomplete: auto }));
    const done = el('p', { class: 'status', id: 'order-status', role: 'status' });
    return [
      el('h1', { text: T.checkout }),
      el(
        'div',
        { class: 'cart-layout' },
        el(
          'form',
          {
            class: 'checkout-form',
            onsubmit: async (e) => {
              e.preventDefault();
              const placed = await placeOrder();
              cart = { lines: [], insurance: false };
              localStorage.removeItem(REWARD_KEY);
              save();
              done.textContent =
                placed && placed.points > 0
                  ? T.orderPoints.replace('{n}', new Intl.NumberFormat(S.locale).format(placed.points)).replace('{date}', new Date(placed.pending_until).toLocaleDateString(S.locale))
                  : T.orderPlaced;
              done.dataset.points = placed ? String(placed.points) : '';
              // Points added, codes used: the widget reads the shopper again.
              window.Rewards.push(['refreshShopper']);
            },
          },
          el('h2', { text: T.contact }),
          field('name', T.fullName, 'text', 'name'),
          field('phone', T.phone, 'tel', 'tel'),
          field('address', T.address, 'text', 'street-address'),
          codeField(),
          el('button', { type: 'submit', class: 'button wide', text: T.placeOrder }),
          done,
        ),
        el('aside', { class: 'summary', 'aria-label': T.summary }, el('h2', { text: T.summary }), el('ul', { class: 'lines compact' }, lineRows(false)), totals(), prompt),
      ),
    ];
  }

  // ---- render ----------------------------------------------------------------------------------
  const pages = { home, collection, product, cart: cartPage, checkout };
  let main;
  function render() {
    const next = el('main', { id: 'main' }, pages[page]());
    if (main) main.replaceWith(next);
    else app.append(next);
    main = next;
  }
  app.append(el('a', { class: 'skip', href: '#main', text: '↓ ' + T.home }), demoBar(), header());
  render();
  app.append(footer());

  function refreshTotals() {
    publish();
    const totalsEl = document.querySelector('.totals');
    if (totalsEl) totalsEl.replaceWith(totals());
  }

  /** Checks a code with the server and applies it → {ok, code} or {ok: false, reason}. */
  async function applyCode(typed) {
    const code = String(typed || '').trim().toUpperCase();
    if (!code) return { ok: false, reason: 'codeUnknown' };
    let v;
    try {
      const res = await fetch('/demo/voucher?code=' + encodeURIComponent(code));
      if (res.status === 404) return { ok: false, reason: 'codeUnknown' };
      if (!res.ok) return { ok: false, reason: 'codeError' };
      v = await res.json();
    } catch {
      return { ok: false, reason: 'codeError' };
    }
    if (v.status === 'used') return { ok: false, reason: 'codeUsed' };
    if (v.status === 'voided') return { ok: false, reason: 'codeVoided' };
    localStorage.setItem(REWARD_KEY, JSON.stringify({ code: v.code, kind: v.kind, discount: v.discount }));
    const input = document.getElementById('discount-code');
    if (input) input.value = v.code;
    refreshTotals();
    return { ok: true, code: v.code };
  }

  // The widget's "Apply" (and a code it just issued): this store's checkout
  // takes the code, so it says so (docs/embed.md, voucher:apply).
  window.Rewards.push(['on', 'voucher:apply', (v) => v.respondWith(applyCode(v.code).then((r) => r.ok))]);

  // A page-provided shopper (no server) choosing a redemption: the store
  // applies it itself. A signed-in shopper's choice becomes a voucher code.
  window.Rewards.push(['on', 'redemption:chosen', (r) => {
    if (sessionStorage.getItem(SHOPPER_KEY) === 'server') return;
    localStorage.setItem(REWARD_KEY, JSON.stringify({ id: r.id, kind: r.kind, name: r.name, discount: r.discount }));
    refreshTotals();
  }]);
  pickShopper(sessionStorage.getItem(SHOPPER_KEY) || 'guest');
  publish();

  /** The catalog with its English edition's words (ids, types and prices unchanged). */
  function inEnglish(c) {
    const e = c.english;
    const here = new URL(location.href);
    here.searchParams.delete('lang');
    return Object.assign({}, c, {
      locale: e.locale,
      tagline: e.tagline,
      t: e.t,
      collections: c.collections.map((x) => Object.assign({}, x, { name: e.collections[x.id] || x.name })),
      products: c.products.map((p) => {
        const w = e.products[p.handle] || {};
        return Object.assign({}, p, { title: w.title || p.title, desc: w.desc || p.desc, variants: p.variants.map((v) => Object.assign({}, v, { name: (w.variants || {})[v.id] || v.name })) });
      }),
      addon: c.addon && Object.assign({}, c.addon, { title: e.addon || c.addon.title }),
      shoppers: c.shoppers.map((x) => Object.assign({}, x, { label: e.shoppers[x.id] || x.label })),
      otherLang: { label: e.otherLang.label, href: here.href },
    });
  }

  /** A store with an English edition links to it from every page. */
  function withEnglishLink(c) {
    if (!c.english) return c;
    const there = new URL(location.href);
    there.searchParams.set('lang', 'en');
    return Object.assign({}, c, { otherLang: { label: 'English', href: there.href } });
  }
})();
