// The loader (`rewards.js`): the one script tag a merchant pastes. It owns
// the single global `window.Rewards`, replays the command queue, reads the
// program config, shows the launcher, defines the custom elements and arms
// the popup triggers. Everything with numbers lives in the UI chunk and the
// wasm engine, fetched only when a surface needs them.
//
// Failure containment: every entry point (API call, listener, timer,
// promise) goes through `guard`/`report`, so nothing reaches the page's
// window.onerror or unhandledrejection; the first failure prints one clear
// console message and the widget steps aside.

import { makeSheet, adopt } from './dom.js';
import { makeStore } from './store.js';
import { armTriggers, triggerSettings } from './triggers.js';
import { defineElements, ELEMENTS, RESERVE_CSS } from './elements.js';
import { BASE_CSS } from './base-css.js';
import { stringify } from './json.js';

const VERSION = __REWARDS_VERSION__;
const ASSETS = __REWARDS_ASSETS__;
const MARK = '__rewardsWidget';
const DAY_MS = 86400000;
const LAUNCHER_TEXT = { en: 'Rewards', vi: 'Điểm thưởng' };
const THEME_KEYS = ['brand', 'brand-text', 'text', 'muted', 'surface', 'font', 'radius', 'z'];
const CORNERS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'];

(function boot() {
  const t0 = performance.now();
  const script = document.currentScript;
  try {
    start(script, t0);
  } catch (e) {
    try {
      console.error('[Rewards] the widget could not start and is off on this page: ' + ((e && e.message) || e));
    } catch {
      /* no console */
    }
  }
})();

function start(script, t0) {
  const existing = window.Rewards;
  if (existing && existing[MARK]) return; // included twice: one widget
  if (existing && !Array.isArray(existing)) {
    console.warn('[Rewards] window.Rewards is already used by this page; the rewards widget did not start.');
    return;
  }
  const queued = Array.isArray(existing) ? existing.slice() : [];
  const nativeFetch = window.fetch.bind(window);
  const attrs = readAttributes(script);
  const base = (script && script.src) || location.href;
  const assets = {};
  for (const k of Object.keys(ASSETS)) assets[k] = new URL(ASSETS[k], base).href;

  // ---- failure reporting ------------------------------------------------
  let spoke = false;
  const listeners = Object.create(null);
  const say = (level, msg) => {
    if (spoke && !attrs.debug) return;
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
  const warn = (msg) => say('warn', msg);
  const guard = (fn, what) =>
    function guarded(...args) {
      try {
        const r = fn.apply(this, args);
        if (r && typeof r.then === 'function') r.then(undefined, (e) => report(e, what));
        return r;
      } catch (e) {
        report(e, what);
      }
    };

  // ---- events ------------------------------------------------------------
  const sticky = Object.create(null);
  function emit(name, detail) {
    if (name === 'ready') sticky.ready = detail;
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
    try {
      window.dispatchEvent(new CustomEvent('rewards:' + name, { detail }));
    } catch {
      /* CustomEvent unavailable or patched */
    }
  }

  // ---- state ---------------------------------------------------------------
  const store = makeStore();
  // A token from an earlier signup is read when the UI needs a shopper.
  const state = { cart: null, shopper: null, token: attrs.shopperToken || null };
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

  // ---- styles and the overlay root -------------------------------------------
  // At load only the base sheet (reserve, tokens, launcher: a few hundred
  // bytes to parse); widget.css is fetched and parsed with the UI chunk,
  // before anything it styles is rendered.
  const sheets = [makeSheet(BASE_CSS)];
  const roots = new Map(); // shadow root → its own sheets, before the shared ones
  const adoptAll = (root, own = []) => {
    roots.set(root, own);
    adopt(root, own.concat(sheets));
  };
  const addSheet = (text) => {
    sheets.push(makeSheet(text));
    for (const [root, own] of roots) adopt(root, own.concat(sheets));
  };
  const reserveSheet = once(() => makeSheet(RESERVE_CSS));
  const widgetCss = once(() =>
    nativeFetch(assets.css)
      .then((r) => {
        if (!r.ok) throw new Error(`${assets.css} answered ${r.status}`);
        return r.text();
      })
      .then(addSheet),
  );

  let overlay = null;
  const overlayRoot = () => {
    if (!overlay) {
      const host = document.createElement('rewards-widget');
      overlay = host.attachShadow({ mode: 'open' });
      adoptAll(overlay);
      theme(host);
    }
    // An SPA may replace the document's children: put the host back.
    if (!overlay.host.isConnected) {
      document.documentElement.append(overlay.host);
      // Leaving the document closed the launcher's popover: show it again.
      if (launcher && launcher.wrap.popover) launcher.wrap.showPopover();
    }
    return overlay;
  };

  const themeVars = parseTheme(attrs.theme);
  const corner = CORNERS.includes(themeVars.corner) ? themeVars.corner : 'bottom-right';
  function theme(el) {
    for (const k of THEME_KEYS) if (themeVars[k]) el.style.setProperty('--rewards-' + k, themeVars[k]);
  }

  // ---- the context the UI chunk works with --------------------------------------
  // Milestones in ms since the loader's first statement, and `busy`: the
  // time the loader's own synchronous JS took until the launcher was up
  // (network waits excluded; so are script compile and the browser's style
  // and layout: www/tests/bench-mount.mjs measures those from a trace).
  // The milestones after the config are also User Timing marks
  // (rewards:launcher, rewards:ui, rewards:engine, rewards:first-render) for
  // DevTools, RUM tools and the benchmarks.
  const timings = { start: t0, busy: 0 };
  const mark = (k) => {
    if (timings[k] != null) return;
    timings[k] = Math.round((performance.now() - t0) * 100) / 100;
    if (k !== 'config') {
      try {
        performance.mark('rewards:' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
      } catch {
        /* User Timing missing or replaced by the page */
      }
    }
  };
  const busy = (since) => {
    timings.busy = Math.round((timings.busy + performance.now() - since) * 100) / 100;
  };
  const ctx = {
    version: VERSION,
    attrs,
    assets,
    fetch: nativeFetch,
    /** JSON.stringify that page-added toJSON methods cannot change. */
    json: stringify,
    state,
    set,
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    emit,
    hasListener: (name) => !!(listeners[name] && listeners[name].length),
    report,
    warn,
    guard,
    store,
    /** Styles a shadow root: the shared sheets (`own` sheets first). */
    adopt: adoptAll,
    reserveSheet,
    /** More CSS for every shadow root (the popup and panel chunks bring theirs). */
    addSheet,
    theme,
    corner,
    overlayRoot,
    elements: new Set(),
    mark,
    timings,
    cfg: null,
    cfgText: null,
    locale: 'en',
    api: attrs.api,
    signupUrl: attrs.signupUrl || (attrs.api ? new URL('api/signup', attrs.api).href : null),
    wasm: once(() => nativeFetch(assets.wasm)),
    failed: false,
    fail(err, what) {
      if (ctx.failed) return;
      ctx.failed = true;
      report(err, what);
      stepAside();
    },
    mountElement(el) {
      if (ctx.failed) return void (el.hidden = true);
      ui().then((u) => u && u.element(el));
    },
    openPopup: (trigger) => ui().then((u) => u && u.popup(trigger)),
  };

  let uiPromise = null;
  function ui() {
    if (!uiPromise) {
      uiPromise = (async () => {
        await ready;
        if (ctx.failed) return null;
        // The chunk and widget.css load in parallel; the CSS is in every
        // shadow root before the chunk renders anything.
        const [mod] = await Promise.all([import(assets.ui), widgetCss()]);
        mark('ui');
        return mod.mount(ctx);
      })().catch((e) => {
        ctx.fail(e, 'loading the widget UI');
        return null;
      });
    }
    return uiPromise;
  }

  // ---- launcher --------------------------------------------------------------------
  let launcher = null;
  // Plain DOM calls and a CSS-drawn icon: the first SVG element a page
  // creates costs more than the rest of the launcher.
  function mountLauncher() {
    if (attrs.launcher === false || launcher) return;
    const t = (ctx.cfg.texts && ctx.cfg.texts[ctx.locale]) || {};
    const label = t.launcher || LAUNCHER_TEXT[primary(ctx.locale)] || LAUNCHER_TEXT.en;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'rw-launcher';
    button.setAttribute('aria-haspopup', 'dialog');
    button.setAttribute('aria-expanded', 'false');
    const gift = document.createElement('span');
    gift.className = 'rw-gift';
    gift.setAttribute('aria-hidden', 'true');
    const text = document.createElement('span');
    text.textContent = label;
    button.append(gift, text);
    button.addEventListener('click', guard(() => api.open('explainer'), 'launcher'));
    const wrap = document.createElement('div');
    wrap.className = 'rw-launch rw-' + corner;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', label);
    overlayRoot().append(wrap);
    // Top layer: no host z-index can cover the launcher. Opened while still
    // empty: showing a popover updates the document's style (it looks for a
    // focus delegate), and an empty one costs little to style; the button
    // goes in after, styled in the next frame's own style pass.
    if (typeof wrap.showPopover === 'function') {
      wrap.setAttribute('popover', 'manual');
      wrap.showPopover();
    }
    wrap.append(button);
    launcher = { wrap, button };
    ctx.launcher = launcher;
    shown();
  }

  /** Warms the UI and the engine on intent, before the click. */
  function warmOnIntent() {
    if (!launcher) return;
    const warm = guard(() => ui(), 'launcher');
    launcher.button.addEventListener('pointerenter', warm);
    launcher.button.addEventListener('focus', warm);
  }

  function stepAside() {
    disarm();
    if (launcher) launcher.wrap.remove();
    launcher = null;
    for (const el of ctx.elements) el.hidden = true;
  }

  // ---- popup triggers ----------------------------------------------------------------
  // Arming reads no storage (the first localStorage access in a page is a
  // synchronous trip to the browser process): what storage says is checked
  // when a trigger fires. The page view is counted separately, when idle.
  let disarm = () => {};
  let arrived = 0; // performance.now() when this page began (an SPA route: its change)
  function armPopup() {
    disarm();
    const popup = ctx.cfg && ctx.cfg.popup;
    if (!popup || popup.enabled === false || !ctx.signupUrl || ctx.failed) return;
    disarm = armTriggers(triggerSettings(popup), (trigger) => popupAllowed(popup) && ctx.openPopup(trigger), (fn) => guard(fn, 'popup trigger'), arrived);
  }
  /** Never again after signup; a cheap pre-check that mirrors the core's
   * cooldown, so a page in cooldown never loads the engine for nothing (the
   * core still decides). */
  function popupAllowed(popup) {
    const s = store.get();
    if (s.signed_up) return false;
    const cooldown = (typeof popup.cooldown_days === 'number' ? popup.cooldown_days : 7) * DAY_MS;
    return !(typeof s.last_shown === 'number' && Date.now() < s.last_shown + cooldown);
  }
  ctx.armPopup = armPopup;

  // ---- SPA navigation -------------------------------------------------------------------
  let lastUrl = location.pathname + location.search;
  const onNavigate = guard(() => {
    const url = location.pathname + location.search;
    if (url !== lastUrl) {
      lastUrl = url;
      api.page();
    }
  }, 'navigation');

  // ---- the public API -----------------------------------------------------------------------
  const api = {
    version: VERSION,
    get timings() {
      return Object.assign({}, timings);
    },
    push(...cmds) {
      for (const cmd of cmds) run(cmd);
      return 0;
    },
    on(name, fn) {
      if (typeof fn !== 'function') return;
      (listeners[name] = listeners[name] || []).push(fn);
      if (name === 'ready' && sticky.ready) guard(fn, 'ready listener')(sticky.ready);
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
    },
    open(surface) {
      if (surface === 'explainer') return ui().then((u) => u && u.openExplainer());
      if (surface === 'popup' || surface === 'signup') return ctx.openPopup('manual');
      warn(`open(): unknown surface "${surface}" (use "popup" or "explainer")`);
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
      overlayRoot();
      if (ready.done) {
        store.visit(); // count this page view (a segment signal)
        armPopup();
      }
      if (uiPromise) uiPromise.then((u) => u && u.page());
    },
  };
  for (const k of Object.keys(api)) {
    const d = Object.getOwnPropertyDescriptor(api, k);
    if (typeof d.value === 'function') api[k] = guard(d.value, k + '()');
  }
  Object.defineProperty(api, MARK, { value: true });

  function run(cmd) {
    if (typeof cmd === 'function') return guard(cmd, 'queued function')(api);
    if (!Array.isArray(cmd) || typeof cmd[0] !== 'string') return warn('push(): expected ["command", …args]');
    const fn = api[cmd[0]];
    if (typeof fn !== 'function' || cmd[0] === 'push') return warn(`push(): unknown command "${cmd[0]}"`);
    return fn(...cmd.slice(1));
  }

  // ---- start: config, launcher, triggers ----------------------------------------------------
  const ready = (async () => {
    const text = await loadConfigText(attrs, nativeFetch);
    const t = performance.now();
    let cfg;
    try {
      cfg = JSON.parse(text);
    } catch (e) {
      throw new Error('the program config is not valid JSON (' + e.message + ')');
    }
    if (!cfg || typeof cfg !== 'object' || !cfg.store || typeof cfg.store.currency !== 'string') {
      throw new Error('the program config has no store.currency; is data-config pointing at a program config?');
    }
    ctx.cfg = cfg;
    ctx.cfgText = text;
    if (!state.locale) ctx.locale = pickLocale(attrs.locale, cfg);
    mark('config');
    busy(t);
  })();
  window.Rewards = api;
  let defined = false;
  const define = () => defined || ((defined = true), defineElements(ctx));
  for (const cmd of queued) run(cmd);

  busy(t0);
  ready.then(
    guard(() => {
      const t = performance.now();
      ready.done = true;
      // Numbers on this page: start the UI (and the wasm) right away.
      // The elements are defined now when the page has some (their numbers
      // come first), else once the launcher is up.
      const elementsNow = !!document.querySelector(ELEMENTS.join());
      if (elementsNow) define();
      if (ctx.elements.size) ui();
      if (attrs.launcher === false) shown();
      else mountLauncher();
      busy(t);
      // The rest waits until the launcher is on screen and the browser is
      // idle, one small step per idle callback.
      idleSteps([
        armPopup,
        define,
        () => {
          if (window.navigation && navigation.addEventListener) navigation.addEventListener('navigatesuccess', onNavigate);
          window.addEventListener('popstate', onNavigate);
          window.addEventListener('hashchange', onNavigate);
        },
        warmOnIntent,
        () => store.visit(), // count this page view (a segment signal)
      ]);
    }, 'start'),
    (e) => {
      ctx.fail(e, 'could not load the program config; the widget is off on this page');
      define(); // so the elements hide instead of keeping their reserved space
    },
  );

  /** The launcher is on screen (or off by the script tag's choice): `ready`. */
  function shown() {
    if (attrs.launcher !== false) mark('launcher');
    emit('ready', { version: VERSION, locale: ctx.locale });
  }

  /** Runs each step in an idle callback of its own (a timer where there is none). */
  function idleSteps(steps) {
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
}

function readAttributes(script) {
  const d = (script && script.dataset) || {};
  let configJson = null;
  if (d.configJson) configJson = d.configJson;
  const api = d.api ? withSlash(new URL(d.api, location.href).href) : null;
  return {
    config: d.config ? new URL(d.config, location.href).href : null,
    configJson,
    api,
    signupUrl: d.signupUrl ? new URL(d.signupUrl, location.href).href : null,
    locale: d.locale || null,
    platform: ['shopify', 'woocommerce'].includes(d.platform) ? d.platform : 'generic',
    platformRoot: d.platformRoot || null,
    // A path prefix the store lives under ("/vi/"; relative to the page).
    root: d.root ? new URL(d.root, location.href).pathname : null,
    theme: d.theme || '',
    shopperToken: d.shopperToken || null,
    launcher: d.launcher !== 'off' && d.launcher !== 'false',
    debug: d.debug != null,
  };
}

async function loadConfigText(attrs, fetch) {
  if (attrs.configJson) return attrs.configJson;
  const url = attrs.config || (attrs.api && new URL('api/program', attrs.api).href);
  if (!url) throw new Error('no program config: add data-config="URL" (or data-api) to the script tag');
  const r = await fetch(url); // credentials: same-origin, the default
  if (!r.ok) throw new Error(`${url} answered ${r.status}`);
  return r.text();
}

/** The attribute; else <html lang> when the program offers it; else the program's default. */
function pickLocale(attr, cfg) {
  if (attr) return attr;
  const offered = Array.isArray(cfg.store.locales) ? cfg.store.locales : [cfg.store.default_locale];
  const lang = primary(document.documentElement.lang || '');
  const hit = lang && offered.find((l) => primary(l) === lang);
  return hit || cfg.store.default_locale || 'en';
}

function primary(locale) {
  return String(locale).toLowerCase().split(/[-_]/)[0];
}

function parseTheme(text) {
  const out = {};
  for (const part of String(text).split(';')) {
    const i = part.indexOf(':');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function withSlash(url) {
  return url.endsWith('/') ? url : url + '/';
}

function once(fn) {
  let p;
  return () => p || (p = fn());
}
