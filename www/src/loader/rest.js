// The loader chunk (assets/loader-<hash>.js): the part of the loader the
// launcher's first frame does not need. The boot script (main.js) imports
// it when the browser is idle after the launcher is up, at once on a page
// with inline elements, or on first use, and calls `start(ctx)`. It adds
// the API methods and events, the cart/shopper state, storage, the custom
// element definitions, the popup triggers and route watching, replays what
// the boot recorded before it came (calls and events, in order), and loads
// the UI chunk when a surface needs numbers.
//
// Everything it runs is guarded by ctx.guard/ctx.report, like the boot.
// The popup triggers (triggers.js) are a chunk of their own, which this one
// imports only when the popup can show.

import { makeSheet, adopt } from './dom.js';
import { makeStore } from './store.js';
import { defineElements, ELEMENTS, RESERVE_CSS } from './elements.js';
import { stringify } from './json.js';

const ASSETS = __REWARDS_ASSETS__;
const DAY_MS = 86400000;

/** Completes ctx, replays ctx.log and returns the API methods (and `warm`). */
export function start(ctx) {
  const { guard, data, timings } = ctx;
  const assets = {};
  for (const k of Object.keys(ASSETS)) assets[k] = new URL(ASSETS[k], ctx.base).href;
  /** Sets a milestone once; also a User Timing mark (`rewards:first-render` for firstRender). */
  const mark = (k) => {
    if (timings[k] != null) return;
    timings[k] = ctx.since();
    try {
      performance.mark('rewards:' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
    } catch {
      /* User Timing missing or replaced by the page */
    }
  };
  const store = makeStore();
  // A referral link (?ref=CODE on any page) is kept with when it came; the
  // core decides whether it still counts (referral.remember_days) and
  // whether it is a code at all, so a malformed value is simply never used.
  try {
    const ref = new URLSearchParams(location.search).get('ref');
    if (ref && ref.length < 33) store.patch({ ref, ref_at: Date.now() });
  } catch {
    /* no URLSearchParams or storage: no referral */
  }
  const attrs = {
    signupUrl: data.signupUrl ? new URL(data.signupUrl, location.href).href : null,
    platform: ['shopify', 'woocommerce'].includes(data.platform) ? data.platform : 'generic',
    platformRoot: data.platformRoot || null,
    // A path prefix the store lives under ("/vi/"; relative to the page).
    root: data.root ? new URL(data.root, location.href).pathname : null,
    shopperToken: data.shopperToken || null,
  };

  // ---- failure reporting ------------------------------------------------
  // One console message for the first failure (every one with data-debug).
  let spoke = false;
  const say = (level, msg) => {
    if (spoke && data.debug == null) return;
    spoke = true;
    try {
      console[level]('[Rewards] ' + msg);
    } catch {
      /* no console */
    }
  };
  const report = (err, what) => {
    const message = (err && err.message) || String(err);
    say('error', (what ? what + ': ' : '') + message);
    emit('error', { what: what || 'error', message });
  };

  // ---- events ------------------------------------------------------------
  const listeners = Object.create(null);
  let readyDetail = null;
  /** The API's listeners; `dom`: the rewards:<name> event on window too. */
  function emit(name, detail, dom = true) {
    if (name === 'ready') readyDetail = detail;
    for (const fn of (listeners[name] || []).slice()) {
      try {
        fn(detail);
      } catch (e) {
        try {
          console.error(`[Rewards] a "${name}" listener threw:`, e);
        } catch {
          /* no console */
        }
      }
    }
    if (!dom) return;
    try {
      window.dispatchEvent(new CustomEvent('rewards:' + name, { detail }));
    } catch {
      /* CustomEvent unavailable or patched */
    }
  }

  // ---- state ---------------------------------------------------------------
  const state = { cart: null, shopper: null, token: attrs.shopperToken };
  const subscribers = new Set();
  let pending = false;
  const set = (key, value) => {
    state[key] = value;
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      for (const fn of subscribers) guard(fn, 'update')(state);
    });
  };

  // ---- styles ------------------------------------------------------------------
  // Each shadow root's own sheets, then the launcher's base sheet, then the
  // shared ones (widget.css, the surfaces' sheets).
  const sheets = [ctx.baseSheet()];
  const roots = new Map(); // shadow root → its own sheets
  const adoptAll = (root, own = []) => {
    roots.set(root, own);
    adopt(root, own.concat(sheets));
  };
  // The overlay root: the boot made one for a launcher shown before this
  // chunk came (base sheet only); else this chunk makes it, the boot asks.
  let overlay = ctx.launcher && ctx.launcher.wrap.getRootNode();
  if (overlay) roots.set(overlay, []);

  Object.assign(ctx, {
    assets,
    mark,
    /** The shadow root for overlays (popup, panel), one per page. */
    overlayRoot() {
      if (!overlay) {
        const host = document.createElement('rewards-widget');
        overlay = host.attachShadow({ mode: 'open' });
        adoptAll(overlay);
        ctx.theme(host);
      }
      // An SPA may replace the document's children: put the host back.
      if (!overlay.host.isConnected) {
        document.documentElement.append(overlay.host);
        // Leaving the document closed the launcher's popover: show it again.
        if (ctx.launcher && ctx.launcher.wrap.popover) ctx.launcher.wrap.showPopover();
      }
      return overlay;
    },
    attrs,
    signupUrl: attrs.signupUrl || (ctx.api ? ctx.api + 'api/signup' : null),
    emit,
    hasListener: (name) => !!(listeners[name] && listeners[name].length),
    report,
    warn: (msg) => say('warn', msg),
    state,
    set,
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    adopt: adoptAll,
    /** More CSS for every shadow root (widget.css; the popup and panel chunks bring theirs). */
    addSheet(text) {
      sheets.push(makeSheet(text));
      for (const [root, own] of roots) adopt(root, own.concat(sheets));
    },
    /** JSON.stringify that page-added toJSON methods cannot change. */
    json: stringify,
    store,
    elements: new Set(),
    reserveSheet: once(() => makeSheet(RESERVE_CSS)),
    wasm: once(() => ctx.fetch(assets.wasm)),
    wasmFull: once(() => ctx.fetch(assets.wasmFull)),
    mountElement(el) {
      if (ctx.failed) return void (el.hidden = true);
      ui().then((u) => u && u.element(el));
    },
    openPopup: (trigger) => ui().then((u) => u && u.popup(trigger)),
    armPopup,
    aside() {
      stop();
      for (const el of ctx.elements) el.hidden = true;
    },
  });

  const widgetCss = once(() =>
    ctx
      .fetch(assets.css)
      .then((r) => {
        if (!r.ok) throw new Error(`${assets.css} answered ${r.status}`);
        return r.text();
      })
      .then(ctx.addSheet),
  );

  let uiPromise = null;
  function ui() {
    if (!uiPromise) {
      // The chunk and widget.css load in parallel with each other (and with
      // the config when this is called before it is read); the CSS is in
      // every shadow root before the chunk renders anything.
      const loading = Promise.all([import(assets.ui), widgetCss()]);
      loading.catch(() => {}); // reported below, unless the config failed first
      uiPromise = (async () => {
        await ctx.ready;
        if (ctx.failed) return null;
        const [mod] = await loading;
        mark('ui');
        return mod.mount(ctx);
      })().catch((e) => {
        ctx.fail(e, 'loading the widget UI');
        return null;
      });
    }
    return uiPromise;
  }

  // ---- popup triggers ----------------------------------------------------------------
  // The trigger code (triggers.js) is a chunk of its own, loaded only when
  // the popup can show on this page: enabled, a signup URL, and storage
  // says neither signed up nor in cooldown (checked again when a trigger
  // fires; the core still decides). Most page views of a returning visitor
  // never load it.
  let disarm = () => {};
  let arming = 0; // the latest armPopup() call; an older one arms nothing
  const stop = () => {
    arming++;
    disarm();
  };
  let arrived = 0; // performance.now() when this page began (an SPA route: its change)
  const triggers = once(() => import(assets.triggers));
  ctx.clearance = once(() => import(assets.clearance).then((m) => m.makeClearance(ctx)));
  /** Arms the popup triggers (resolves when armed or not needed; never rejects). */
  async function armPopup() {
    stop();
    const popup = ctx.cfg && ctx.cfg.popup;
    if (!popup || !popup.enabled || !ctx.signupUrl || ctx.failed || !popupAllowed(popup)) return;
    const n = arming;
    try {
      const t = await triggers();
      if (n === arming && !ctx.failed) {
        disarm = t.armTriggers(popup.triggers, (trigger) => popupAllowed(popup) && ctx.openPopup(trigger), (fn) => guard(fn, 'popup trigger'), arrived);
      }
    } catch (e) {
      ctx.report(e, 'popup triggers');
    }
  }
  /** Never again after signup; a cheap pre-check that mirrors the core's
   * cooldown, so a page in cooldown never loads the engine for nothing (the
   * core still decides). */
  function popupAllowed(popup) {
    const s = store.get();
    if (s.signed_up) return false;
    const cooldown = popup.cooldown_days * DAY_MS;
    return !(typeof s.last_shown === 'number' && Date.now() < s.last_shown + cooldown);
  }

  // ---- SPA navigation -------------------------------------------------------------------
  let lastUrl = location.pathname + location.search;
  const onNavigate = guard(() => {
    const url = location.pathname + location.search;
    if (url !== lastUrl) {
      lastUrl = url;
      methods.page();
    }
  }, 'navigation');

  // ---- the API methods (window.Rewards forwards to them) -----------------------------------
  let begun = false; // the config is read and this chunk's start steps are under way
  const methods = {
    on(name, fn) {
      if (typeof fn !== 'function') return;
      (listeners[name] = listeners[name] || []).push(fn);
      if (name === 'ready' && readyDetail) guard(fn, 'ready listener')(readyDetail);
    },
    off(name, fn) {
      const list = listeners[name];
      if (list) listeners[name] = list.filter((f) => f !== fn);
    },
    setCart(cart) {
      set('cart', cart && typeof cart === 'object' ? cart : null);
      emit('cart:updated', { cart: state.cart });
    },
    setShopper(shopper) {
      set('shopper', shopper && typeof shopper === 'object' ? shopper : null);
    },
    setShopperToken(token) {
      set('token', typeof token === 'string' && token ? token : null);
    },
    setLocale(locale) {
      if (typeof locale !== 'string' || !locale) return;
      ctx.locale = locale;
      set('locale', locale);
      // The launcher's words follow (the UI chunk has the strings).
      if (ctx.launcher) ui();
    },
    open(surface) {
      if (surface === 'explainer') return ui().then((u) => u && u.openExplainer());
      if (surface === 'popup' || surface === 'signup') return ctx.openPopup('manual');
      ctx.warn(`open(): unknown surface "${surface}" (use "popup" or "explainer")`);
    },
    close(surface) {
      if (uiPromise) return uiPromise.then((u) => u && u.close(surface));
    },
    refreshCart() {
      return ui().then((u) => u && u.refreshCart());
    },
    /** Re-reads the signed-in shopper (after an order: points, used codes). */
    refreshShopper() {
      if (uiPromise) return uiPromise.then((u) => u && u.refreshShopper());
    },
    quote() {
      return ui().then((u) => (u ? u.quote() : null));
    },
    trackProductView(productId) {
      if (productId != null) store.productView(productId);
    },
    page() {
      arrived = performance.now();
      store.pageView();
      ctx.overlayRoot();
      if (begun) {
        store.visit(); // count this page view (a segment signal)
        armPopup();
      }
      if (uiPromise) uiPromise.then((u) => u && u.page());
    },
    /** The shopper's intent on the launcher: the UI and the engine, before the click. */
    warm: () => ui(),
    /** A failure the boot met before this chunk had started. */
    report,
    /** push() of something that is no command. */
    unknown(cmd) {
      ctx.warn(Array.isArray(cmd) && typeof cmd[0] === 'string' ? `push(): unknown command "${cmd[0]}"` : 'push(): expected ["command", …args]');
    },
  };

  // From now on window.Rewards calls these at once. First, what the boot
  // recorded before this chunk came, in order: calls (their promises get
  // the answers; the boot's guard reports a rejection) and events (for the
  // listeners added before them; the DOM events were dispatched then).
  ctx.methods = methods;
  for (const [name, args, resolve] of ctx.log.splice(0)) {
    if (name === 'emit') emit(args[0], args[1], false);
    else {
      try {
        resolve(methods[name](...args));
      } catch (e) {
        report(e, name + '()');
        resolve();
      }
    }
  }

  let defined = false;
  const define = () => defined || ((defined = true), defineElements(ctx));
  // Numbers on this page: the UI chunk now, in parallel with the config;
  // the elements (their shadow roots and reserved heights) once it is read,
  // since what the program shows sets those heights.
  if (document.querySelector(ELEMENTS.join())) ui();
  ctx.ready.then(
    guard(async () => {
      begun = true;
      if (ctx.failed) return define();
      // This chunk came when idle (or for elements): the element
      // definitions (for elements added later) and the popup triggers at
      // once, then `loader`: the widget has started. The launcher's move
      // into the top layer, route watching and the page-view count are idle
      // steps of their own.
      define();
      await armPopup();
      mark('loader');
      idleSteps(
        [
          // Top layer: no z-index of the page can cover the launcher (the boot
          // showed it as plain elements above the page). Showing a popover
          // updates the document's style: a step of its own.
          () => {
            const w = ctx.launcher && ctx.launcher.wrap;
            if (w && w.showPopover) {
              w.popover = 'manual';
              w.showPopover();
            }
          },
          // The launcher steps aside for the page's controls (loader/clearance.js).
          () => ctx.launcher && ctx.clearance(),
          () => {
            if (window.navigation && navigation.addEventListener) navigation.addEventListener('navigatesuccess', onNavigate);
            window.addEventListener('popstate', onNavigate);
            window.addEventListener('hashchange', onNavigate);
          },
          () => store.visit(), // count this page view (a segment signal)
        ],
        guard,
      );
    }, 'start'),
    define, // no config: the elements hide instead of keeping their reserved space
  );
  return methods;
}

/** Runs each step in an idle callback of its own (a timer where there is none). */
function idleSteps(steps, guard) {
  const next = () => {
    const step = steps.shift();
    if (!step) return;
    (window.requestIdleCallback || setTimeout)(
      () => {
        guard(step, 'start')();
        guard(next, 'start')();
      },
      { timeout: 500 },
    );
  };
  next();
}

function once(fn) {
  let p;
  return () => p || (p = fn());
}
