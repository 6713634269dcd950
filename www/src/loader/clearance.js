// The floating launcher never covers what the shopper taps: on phones and
// narrow windows the page's own controls (links, buttons, form fields — the
// cart's checkout button sits right under it), everywhere the widget's
// inline elements. (A wide window has room around its content; stepping
// aside over a product grid there would only hide the launcher.) While any
// of them is under the launcher, the launcher steps aside: transparent and
// out of the pointer's way, so a tap reaches the page; it still takes
// keyboard focus and shows itself when focused. It comes back once the
// control has scrolled on. An IntersectionObserver whose root is the
// viewport shrunk to the launcher's box does the geometry: no scroll
// listener, no layout read per frame (one read on setup and resize).
//
// A chunk of its own (assets/clearance-<hash>.js), imported by the loader
// chunk when the browser is idle on every page with a launcher.
// `data-launcher-avoid="selector, …"` adds the store's own (a sticky
// add-to-cart bar's container, say) to the controls below.

const GAP = 8; // px of clearance around the launcher
/** What a shopper taps or types into. */
export const CONTROLS = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button],[role=link],[tabindex]:not([tabindex="-1"])';
/** Most page elements watched (a page with more controls is watched for its first ones). */
const MAX_WATCHED = 3000;
/** Where the page's controls are kept clear too. */
const NARROW = '(max-width: 768px), (hover: none) and (pointer: coarse)';
const CSS = '.rw-launch{transition:opacity .15s}.rw-launch.rw-tucked{opacity:0;pointer-events:none}.rw-launch.rw-tucked:focus-within{opacity:1;pointer-events:auto}';

export function makeClearance(ctx) {
  const watched = new Set();
  const under = new Set();
  let io = null;
  let pending = 0;
  let tries = 0;
  ctx.addSheet(CSS);

  const wrap = () => ctx.launcher && ctx.launcher.wrap;
  const update = ctx.guard(() => {
    const w = wrap();
    if (w) w.classList.toggle('rw-tucked', under.size > 0);
  }, 'launcher');

  const build = ctx.guard(() => {
    pending = 0;
    if (io) io.disconnect();
    io = null;
    under.clear();
    const w = wrap();
    if (!w || !watched.size || typeof IntersectionObserver !== 'function') {
      update();
      return ctx.mark('clearance');
    }
    const r = w.getBoundingClientRect();
    if (!r.width) {
      // Not laid out yet: look again soon.
      if (tries++ < 20) setTimeout(later, 250);
      return;
    }
    const vw = document.documentElement.clientWidth || innerWidth;
    const inset = [r.top, vw - r.right, innerHeight - r.bottom, r.left].map((v) => -Math.max(0, Math.floor(v - GAP)) + 'px');
    io = new IntersectionObserver(
      ctx.guard((entries) => {
        for (const e of entries) {
          const a = e.intersectionRect;
          if (e.isIntersecting && a.width * a.height > 0) under.add(e.target);
          else under.delete(e.target);
        }
        update();
        ctx.mark('clearance');
      }, 'launcher'),
      { rootMargin: inset.join(' ') },
    );
    for (const el of watched) io.observe(el);
  }, 'launcher');
  const later = () => {
    if (!pending) pending = requestAnimationFrame(build);
  };
  window.addEventListener('resize', ctx.guard(later, 'launcher'), { passive: true });

  function watch(el) {
    if (watched.has(el)) return;
    watched.add(el);
    if (io) io.observe(el);
    else later();
  }

  // The page's controls, now and as the page adds them (a theme's drawer, an SPA route).
  let selector = CONTROLS;
  const extra = ctx.data && ctx.data.launcherAvoid;
  if (extra) {
    try {
      document.querySelector(extra);
      selector += ',' + extra;
    } catch {
      ctx.warn(`data-launcher-avoid is not a CSS selector list: "${extra}"`);
    }
  }
  let narrow = { matches: true };
  try {
    narrow = matchMedia(NARROW);
  } catch {
    /* no matchMedia: keep every control clear */
  }
  const scan = ctx.guard(() => {
    for (const el of watched) if (!el.rwInline && (!el.isConnected || !narrow.matches)) forget(el);
    if (narrow.matches) {
      const found = document.querySelectorAll(selector);
      for (let i = 0; i < found.length && watched.size < MAX_WATCHED; i++) watch(found[i]);
    }
    update();
  }, 'launcher');
  if (narrow.addEventListener) narrow.addEventListener('change', scan);
  function forget(el) {
    watched.delete(el);
    under.delete(el);
    if (io) io.unobserve(el);
  }
  let rescan = 0;
  new MutationObserver(() => {
    clearTimeout(rescan);
    rescan = setTimeout(scan, 200);
  }).observe(document.documentElement, { childList: true, subtree: true });
  scan();

  return {
    /** Keeps the launcher off an inline element; returns the function that stops it. */
    watch(el) {
      el.rwInline = true;
      watch(el);
      return () => {
        forget(el);
        update();
      };
    },
  };
}
