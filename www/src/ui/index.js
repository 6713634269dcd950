// The UI chunk: loaded by rewards.js the first time a surface needs it.
// `mount(ctx)` receives the loader's context (config, state, events,
// failure reporting, DOM helpers) and returns what the loader calls.

import { makeI18n, intlExponent, addStrings } from './i18n.js';
import { loadEngine, nextTask } from './engine.js';
import { shopifyCentsToMinor, rescaleMinor } from './money.js';
import { renderPrompt } from './prompt.js';
import { lineFromAttributes, renderProduct } from './product.js';
import { en, vi } from './strings-core.js';
import { stamps, progressBar } from './widgets.js';
import { h, icon, ICONS, setHandlerWrapper } from '../loader/dom.js';

addStrings({ en, vi });

// The core's Shopper fields; /api/shopper adds email, signed_up, vouchers,
// which the engine would refuse as unknown fields.
const SHOPPER_FIELDS = ['member', 'balance', 'pending', 'lifetime_orders', 'period_spend', 'period_points', 'period_orders', 'tier', 'membership', 'stamps', 'card_started', 'last_activity', 'rewarded_actions', 'last_order_value'];

export function mount(ctx) {
  // The DOM helpers live here, not in the loader: every handler h() attaches
  // goes through the loader's failure guard.
  setHandlerWrapper((fn) => ctx.guard(fn, 'event handler'));
  Object.assign(ctx, { h, icon, ICONS });
  // `applied`: codes the page accepted through voucher:apply (until its
  // cart lists them); `autoApply`: codes just redeemed, applied once where possible.
  const u = { ctx, info: {}, applied: new Set(), autoApply: new Set(), widgets: { stamps, progressBar }, money: { shopifyCentsToMinor, rescaleMinor }, addStrings };
  let programExponent = null;
  u.exponentOf = (code) => (code === ctx.cfg.store.currency && programExponent != null ? programExponent : intlExponent(code));
  u.i = makeI18n(ctx.locale, ctx.cfg, u.exponentOf);

  let engine = null;
  u.engine = () =>
    engine ||
    (engine = loadEngine(ctx).then(
      (e) => {
        if (e.exponent != null) programExponent = e.exponent;
        return e;
      },
      (err) => {
        ctx.fail(err, 'rewards engine');
        throw err;
      },
    ));
  u.engine().catch(() => {}); // start now; failures are reported once by ctx.fail

  // ---- shopper -----------------------------------------------------------------
  let cached = null;
  u.shopper = async () => {
    if (ctx.state.shopper) return pick(ctx.state.shopper);
    const token = ctx.state.token;
    if (!token || !ctx.api) return null;
    if (!cached || cached.token !== token) cached = { token, shopper: fetchShopper(token) };
    return cached.shopper;
  };
  async function fetchShopper(token) {
    const r = await ctx.fetch(new URL('api/shopper', ctx.api).href, { headers: { authorization: 'Bearer ' + token } });
    if (r.status === 401 || r.status === 403) {
      // Expired or revoked: continue as a guest.
      ctx.warn('the shopper token was refused (' + r.status + '); showing guest previews.');
      return null;
    }
    if (!r.ok) throw new Error('api/shopper answered ' + r.status);
    const full = await r.json();
    // The server's own fields too (store_credit, …): the panel shows them.
    u.info = Object.assign(full, { signed_up: full.signed_up === true, vouchers: full.vouchers || [] });
    return pick(full);
  }
  u.refreshShopper = () => {
    cached = null;
    redrawAll();
  };

  u.path = () => {
    const root = ctx.attrs.root || (ctx.attrs.platform === 'shopify' && window.Shopify && Shopify.routes && Shopify.routes.root) || '/';
    const path = location.pathname;
    const prefix = root.endsWith('/') ? root.slice(0, -1) : root;
    return prefix && path.startsWith(prefix + '/') ? path.slice(prefix.length) : path;
  };

  // Where the cart comes from: generic pages call Rewards.setCart(); the
  // Shopify and WooCommerce readers are a chunk of their own.
  if (ctx.attrs.platform === 'generic') u.cart = { now: async () => ctx.state.cart, refresh: async () => ctx.state.cart };
  else {
    const platform = import('./platforms.js').then((m) => m.makePlatformCart(u));
    u.cart = { now: () => platform.then((c) => c.now()), refresh: () => platform.then((c) => c.refresh()), apply: (code) => platform.then((c) => c.apply(code)) };
  }
  // The popup and the panel are separate chunks, fetched on first use.
  let popup = null;
  let panel = null;
  const getPopup = () => (popup = popup || import('./popup.js').then((m) => m.makePopup(u)));
  const getPanel = () => (panel = panel || import('./panel.js').then((m) => m.makePanel(u)));
  u.openPopup = (trigger) => getPopup().then((p) => p.trigger(trigger));
  u.openPanel = () => getPanel().then((p) => p.open());
  let redeem = null;
  u.redeem = () => (redeem = redeem || import('./redeem.js'));
  let vouchers = null;
  u.vouchers = () => (vouchers = vouchers || import('./vouchers.js').then((m) => m.makeVouchers(u)));
  u.hasVouchers = () => Array.isArray(u.info.vouchers) && u.info.vouchers.length > 0;

  // ---- custom elements --------------------------------------------------------------------
  async function draw(el) {
    const seq = (el.rwSeq = (el.rwSeq || 0) + 1);
    const tag = el.localName;
    try {
      if (tag === 'rewards-product-points') {
        const line = lineFromAttributes(u, el);
        if (!line) {
          el.shadowRoot.replaceChildren();
          return ctx.warn('<rewards-product-points> needs a price attribute (minor units) or shopify-price.');
        }
        const [e, shopper] = await Promise.all([u.engine(), u.shopper()]);
        const node = await renderProduct(u, el, e, shopper, line);
        if (seq === el.rwSeq) el.shadowRoot.replaceChildren(node);
      } else {
        const [e, shopper, cart] = await Promise.all([u.engine(), u.shopper(), u.cart.now()]);
        const q = cart && Array.isArray(cart.lines) && cart.lines.length ? await e.run('quote', shopper, cart) : null;
        await nextTask(); // the quote and the rendering: two shorter tasks
        if (seq === el.rwSeq) await renderPrompt(u, el, q, shopper != null);
      }
      ctx.mark('firstRender');
    } catch (err) {
      if (seq === el.rwSeq && !ctx.failed) ctx.report(err, '<' + tag + '>');
    }
  }

  function redrawAll() {
    relabel();
    for (const el of ctx.elements) draw(el);
    if (panel) panel.then((p) => p.refresh()).catch((e) => ctx.report(e, 'explainer'));
  }

  // The launcher says "Rewards" in the shopper's language, or a signed-in
  // shopper's balance ("260 điểm").
  const relabel = () =>
    ctx.launcher &&
    u.shopper().then((s) => {
      const words = s ? u.i.points(s.balance || 0) : u.i.t('launcher');
      ctx.launcher.button.lastChild.textContent = words;
      ctx.launcher.wrap.setAttribute('aria-label', words);
    }, Boolean); // the shopper's state unknown: the words stay
  relabel();

  ctx.subscribe((state) => {
    if (state.locale && state.locale !== u.i.locale) u.i = makeI18n(state.locale, ctx.cfg, u.exponentOf);
    redrawAll();
  });

  return {
    element(el) {
      if (!el.rewardsOff) {
        // Keeps the floating launcher off the element (loader/clearance.js,
        // which also keeps it off the page's own controls).
        let stop = null;
        let off = false;
        el.rewardsOff = () => {
          off = true;
          if (stop) stop();
        };
        if (ctx.launcher) {
          ctx.clearance().then((c) => off || (stop = c.watch(el))).catch((e) => ctx.report(e, 'launcher'));
        }
        // A product view (segment signal) is the page's own product, marked
        // `primary`, not every product in a grid.
        const id = el.getAttribute('product-id');
        if (el.localName === 'rewards-product-points' && id && el.hasAttribute('primary')) ctx.store.productView(id);
      }
      return draw(el);
    },
    popup: u.openPopup,
    openExplainer: u.openPanel,
    async close(surface) {
      if (surface !== 'explainer' && popup) (await popup).close();
      if (surface !== 'popup' && surface !== 'signup' && panel) (await panel).close();
    },
    refreshCart: () => u.cart.refresh(),
    refreshShopper: () => u.refreshShopper(),
    async quote() {
      const [e, shopper, cart] = await Promise.all([u.engine(), u.shopper(), u.cart.now()]);
      return cart ? e.run('quote', shopper, cart) : null;
    },
    page() {
      for (const el of ctx.elements) if (el.hasAttribute('primary') && el.getAttribute('product-id')) ctx.store.productView(el.getAttribute('product-id'));
    },
  };
}

function pick(s) {
  const out = {};
  for (const k of SHOPPER_FIELDS) if (s[k] != null) out[k] = s[k];
  return out;
}
