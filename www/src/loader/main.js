// The boot script (`rewards.js`): the one script tag a merchant pastes. It
// does only what the first frame needs: it owns the single global
// `window.Rewards` (the command queue), reads the program config and shows
// the launcher with its own small sheet. The rest of the loader — the API
// methods, events, element definitions, popup triggers, storage, route
// watching — is the loader chunk (rest.js → assets/loader-<hash>.js). It is
// imported when the browser is idle after the launcher's frame, at once on
// a page with inline elements, or on first use (an API call, the shopper's
// intent on the launcher).
//
// Until it has started, every API call, every failure to report and the
// `ready` event are recorded in one list; the chunk replays the list in
// order, so a listener added early receives the events emitted after it was
// added, and a call gets its answer (in a promise) when its turn comes. The
// `rewards:ready` DOM event on window is dispatched at once.
//
// Failure containment: every entry point (API call, listener, timer,
// promise) goes through `guard`/`report`, so nothing reaches the page's
// window.onerror or unhandledrejection; the first failure prints one clear
// console message and the widget steps aside.

import { BASE_CSS } from './base-css.js';
import { ELEMENTS } from './elements.js';

const VERSION = __REWARDS_VERSION__;
const LOADER_CHUNK = __REWARDS_LOADER__;
const MARK = '__rewardsWidget';
const LAUNCHER_TEXT = { en: 'Rewards', vi: 'Điểm thưởng' };
// The API methods (the loader chunk implements them; docs/embed.md lists them).
const METHODS = ['on', 'off', 'setCart', 'setShopper', 'setShopperToken', 'setLocale', 'open', 'close', 'refreshCart', 'refreshShopper', 'quote', 'trackProductView', 'page'];

try {
  start(document.currentScript, performance.now());
} catch (e) {
  off(e);
}

/** The one message for a failure nothing else can word (no start, no loader chunk). */
function off(e) {
  try {
    console.error('[Rewards] the widget is off on this page: ' + ((e && e.message) || e));
  } catch {
    /* no console */
  }
}

function start(script, t0) {
  const existing = window.Rewards;
  if (existing && existing[MARK]) return; // included twice: one widget
  if (existing && !Array.isArray(existing)) {
    console.warn('[Rewards] window.Rewards is already used by this page: the widget is off on this page.');
    return;
  }
  const queued = Array.isArray(existing) ? existing.slice() : [];
  const nativeFetch = window.fetch.bind(window);
  // The promise constructor of async functions: the page may replace window.Promise.
  const NativePromise = (async () => {})().constructor;
  // The script tag's data-* attributes (the loader chunk reads the rest).
  const data = (script && script.dataset) || {};
  let apiUrl = data.api ? new URL(data.api, location.href).href : null;
  if (apiUrl && !apiUrl.endsWith('/')) apiUrl += '/';
  // The hashed assets' names are relative to rewards.js.
  const base = (script && script.src) || location.href;

  // Calls and events before the loader chunk has started: [method, args, resolve].
  const log = [];

  // ---- failure reporting ------------------------------------------------
  // The loader chunk words failures (console message, `error` event); one
  // before it has started is recorded like a call and loads it.
  const report = (err, what) => call('report', [err, what]);
  const guard = (fn, what) =>
    function guarded(...args) {
      try {
        const r = fn.apply(this, args);
        if (r && typeof r.then == 'function') r.then(undefined, (e) => report(e, what));
        return r;
      } catch (e) {
        report(e, what);
      }
    };

  const themeVars = {};
  for (const part of (data.theme || '').split(';')) {
    const i = part.indexOf(':');
    if (i > 0) themeVars[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }

  // Milestones in ms since the boot script's first statement, and `busy`:
  // the time its own synchronous JS took until the launcher was up
  // (network waits excluded; so are script compile and the browser's style
  // and layout: www/tests/bench-mount.mjs measures those from a trace).
  // Those after the config are also User Timing marks (`rewards:launcher`
  // here; the loader chunk's ctx.mark sets the others) for DevTools, RUM
  // tools and the benchmarks.
  const timings = { start: t0, busy: 0 };

  // The launcher's sheet, parsed when the launcher (or the loader chunk) first needs it.
  // Constructable sheets are not subject to the page's style-src CSP; a <style> where missing.
  let sheet;
  const baseSheet = () => {
    if (!sheet) {
      sheet = document.adoptedStyleSheets ? new CSSStyleSheet() : BASE_CSS;
      if (sheet != BASE_CSS) sheet.replaceSync(BASE_CSS);
    }
    return sheet;
  };
  let chosenLocale = null; // by setLocale() before the config was read
  // The context the loader chunk completes and the UI chunk works with.
  const ctx = {
    data,
    base,
    fetch: nativeFetch,
    log,
    /** Emits an event (the loader chunk replaces this: listeners and the DOM event). */
    emit(name, detail) {
      log.push(['emit', [name, detail]]);
      try {
        window.dispatchEvent(new CustomEvent('rewards:' + name, { detail }));
      } catch {
        /* CustomEvent unavailable or patched */
      }
    },
    guard,
    /** The launcher's sheet; the loader chunk adds widget.css and the surfaces' sheets. */
    baseSheet,
    /** Styles a shadow root (the loader chunk replaces this with dom.js's adopt). */
    adopt(root) {
      if (baseSheet() != BASE_CSS) root.adoptedStyleSheets = [sheet];
      else root.append(el('style', '', {}, BASE_CSS)); // no constructable sheets
    },
    theme(el) {
      // brand, brand-text, text, muted, surface, font, radius, z (docs/embed.md#theming)
      for (const k of Object.keys(themeVars)) el.style.setProperty('--rewards-' + k, themeVars[k]);
    },
    corner: /^(top|bottom)-(left|right)$/.test(themeVars.corner) ? themeVars.corner : 'bottom-right',
    /** ms since the boot's first statement. */
    since: () => Math.round((performance.now() - t0) * 100) / 100,
    timings,
    // Set later: cfg and engineBytes (the published program's two halves), locale; methods (the API, once
    // the loader chunk has started and replayed `log`); launcher; failed;
    // aside() (what stepping aside means for the loader chunk's parts).
    api: apiUrl,
    /** Steps aside; reports `err` (none: the loader chunk could not load). */
    fail(err, what) {
      if (ctx.failed) return;
      ctx.failed = true;
      if (err) report(err, what);
      if (ctx.launcher) ctx.launcher.wrap.remove();
      ctx.launcher = null;
      if (ctx.aside) ctx.aside();
    },
  };

  // ---- the loader chunk ------------------------------------------------------------
  let chunk = null;
  /** Imports the loader chunk once; resolves to its methods (null if it failed). */
  const rest = () =>
    chunk ||
    (chunk = import(new URL(LOADER_CHUNK, base).href)
      .then((m) => m.start(ctx))
      .catch((e) => {
        // Nothing to word it with: said here, and the widget steps aside.
        ctx.fail();
        off(e);
        return null;
      }));
  /** Numbers on this page: the loader chunk now (it starts the UI chunk). */
  const elementsNow = () => document.querySelector(ELEMENTS.join()) && rest();

  // ---- launcher --------------------------------------------------------------------
  // Plain DOM calls and a CSS-drawn icon: the first SVG element a page
  // creates costs more than the rest of the launcher.
  function mountLauncher() {
    const t = (ctx.cfg.texts && ctx.cfg.texts[ctx.locale]) || {};
    const label = t.launcher || LAUNCHER_TEXT[primary(ctx.locale)] || LAUNCHER_TEXT.en;
    const button = el('button', 'rw-launcher', { type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' });
    button.append(el('span', 'rw-gift', { 'aria-hidden': 'true' }), el('span', '', {}, label));
    button.addEventListener('click', guard(() => api.open('explainer'), 'launcher'));
    // Intent (hover, focus) warms the UI and the engine before the click.
    const warm = guard(() => rest().then((m) => m && m.warm()), 'launcher');
    button.addEventListener('pointerenter', warm);
    button.addEventListener('focus', warm);
    const wrap = el('div', 'rw-launch rw-' + ctx.corner, { role: 'region', 'aria-label': label });
    // The overlay root: the loader chunk's when it has started, else made
    // here (its ctx.overlayRoot() finds this one through the launcher).
    let root = ctx.overlayRoot && ctx.overlayRoot();
    if (!root) {
      const host = document.createElement('rewards-widget');
      root = host.attachShadow({ mode: 'open' });
      ctx.adopt(root);
      ctx.theme(host);
      document.documentElement.append(host);
    }
    // Plain elements in the overlay root; the loader chunk moves the wrapper
    // into the top layer in an idle step (showing a popover updates the whole
    // document's style at once: before the page's first frame that is the
    // page's own first style pass). Until then the host's z-index keeps it
    // above the page.
    wrap.append(button);
    root.append(wrap);
    ctx.launcher = { wrap, button };
    timings.launcher = ctx.since();
    try {
      performance.mark('rewards:launcher');
    } catch {
      /* User Timing missing or replaced by the page */
    }
  }

  // ---- the public API -----------------------------------------------------------------------
  const api = {
    version: VERSION,
    push(...cmds) {
      for (const cmd of cmds) run(cmd);
      return 0;
    },
    get timings() {
      return Object.assign({}, timings);
    },
  };
  const call = (name, args) => {
    if (ctx.methods) return ctx.methods[name](...args);
    rest();
    return new NativePromise((resolve) => log.push([name, args, resolve]));
  };
  api.push = guard(api.push, 'push()');
  for (const name of METHODS) {
    api[name] = guard((...args) => {
      // The launcher's label follows a language chosen before the config.
      if (name == 'setLocale' && typeof args[0] == 'string' && args[0]) chosenLocale = args[0];
      return call(name, args);
    }, name + '()');
  }
  Object.defineProperty(api, MARK, { value: true });

  /** A queued function runs now, a command as its method; the loader chunk words what is neither. */
  function run(cmd) {
    if (typeof cmd == 'function') return guard(cmd, 'queued function')(api);
    if (Array.isArray(cmd) && METHODS.includes(cmd[0])) return api[cmd[0]](...cmd.slice(1));
    call('unknown', [cmd]);
  }

  window.Rewards = api;
  for (const cmd of queued) run(cmd);

  // ---- start: config and launcher; the loader chunk when idle ---------------------------------
  // ctx.ready: the config is read and the launcher is up (the loader chunk's
  // start steps and the UI wait for it).
  ctx.ready = (async () => {
    let text = data.configJson; // inline: the launcher is up in this script's own task
    if (!text) {
      // The request starts in a task of its own: the script's task stays short.
      await new NativePromise((r) => setTimeout(r));
      const url = data.config ? new URL(data.config, location.href).href : apiUrl && apiUrl + 'api/program';
      if (!url) throw new Error('the script tag needs data-config (or data-api)');
      const r = await nativeFetch(url); // credentials: same-origin, the default
      if (!r.ok) throw new Error(`${url} answered ${r.status}`);
      text = await r.text();
    }
    const t = ctx.since();
    const doc = JSON.parse(text); // its SyntaxError says where
    const cfg = doc && doc.published == 1 && doc.program;
    if (!cfg) throw new Error('not a published program (rewards-server publish)');
    const s = cfg.store;
    ctx.cfg = cfg;
    ctx.engineBytes = doc.engine;
    // setLocale(); else the attribute; else <html lang> when the program offers it; else the program's default
    // (the published store always lists its locales).
    const lang = primary(document.documentElement.lang || '');
    ctx.locale = chosenLocale || data.locale || (lang && s.locales.find((l) => primary(l) == lang)) || s.default_locale;
    timings.config = ctx.since();
    if (ctx.failed) return;
    if (!/^(off|false)$/.test(data.launcher)) guard(mountLauncher, 'launcher')();
    // `ready`: the launcher is on screen (or off by the script tag's choice).
    ctx.emit('ready', { version: VERSION, locale: ctx.locale });
    timings.busy += ctx.since() - t;
  })();
  // Inline elements parsed after this script ran: their numbers need not wait for the config.
  elementsNow() || document.addEventListener('DOMContentLoaded', guard(elementsNow, 'start'));
  timings.busy = ctx.since();
  ctx.ready.then(
    // Numbers on this page: the loader chunk (element definitions) and the
    // UI chunk right away; else the loader chunk once the browser is idle
    // after the launcher's frame.
    () => elementsNow() || (window.requestIdleCallback || setTimeout)(guard(rest, 'start'), { timeout: 500 }),
    (e) => {
      ctx.fail(e, 'the widget is off on this page: no program config');
      rest(); // defines the elements, so they hide instead of keeping their reserved space
    },
  );
}

/** An element: class, attributes, text. */
function el(tag, cls, attrs, text) {
  const e = document.createElement(tag);
  e.className = cls;
  for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
}

function primary(locale) {
  return String(locale).toLowerCase().split(/[-_]/)[0];
}
