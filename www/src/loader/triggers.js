// Popup triggers: when to ASK the core whether to show the popup. The core's
// popup_decision (segment, cooldown, excluded pages, signed-up) decides;
// these only notice moments. Their settings are the published program's
// `popup.triggers`, every default already filled in by the server.

// "After reading": a fast upward scroll only counts once the visitor has
// scrolled at least this far down and stayed this long.
const READ_DEPTH_VIEWPORTS = 1;
const READ_MS = 3000;
// "Fast": this many CSS px upward (or 30% of the viewport, if larger)
// within this window.
const FLICK_PX = 200;
const FLICK_WINDOW_MS = 300;
// Away from the tab at least this long before a return counts.
const AWAY_MS = 2000;
// Scroll depth waits this long after the visitor last used a control (a
// product form's size, quantity, "Add to cart"): never in the middle of it.
const CONTROL_QUIET_MS = 4000;
const CONTROLS = 'form, button, input, select, textarea, [role=button]';
const FORM_CONTROLS = /^(SELECT|OPTION|OPTGROUP|DATALIST|INPUT|TEXTAREA)$/;

/** Touch-first device: phones and tablets (the mobile heuristics apply). */
export function isTouch() {
  try {
    return matchMedia('(hover: none) and (pointer: coarse)').matches;
  } catch {
    return false;
  }
}

/**
 * Arms the enabled triggers; calls `fire(name)` at most once, then disarms
 * everything. Returns a function that disarms without firing.
 * `wrap` guards every listener so nothing throws into the page.
 * `since`: when the visitor arrived on this page (performance.now() ms; 0 for
 * the document's own load, the route change's time in an SPA) — reading time
 * counts from there, not from when the triggers happened to be armed.
 */
export function armTriggers(settings, fire, wrap, since = performance.now()) {
  const t = settings;
  const touch = isTouch();
  const undo = [];
  let done = false;
  const on = (target, type, fn, opts) => {
    const g = wrap(fn);
    target.addEventListener(type, g, opts);
    undo.push(() => target.removeEventListener(type, g, opts));
  };
  const later = (fn, ms) => {
    const id = setTimeout(wrap(fn), ms);
    undo.push(() => clearTimeout(id));
  };
  const disarm = () => {
    done = true;
    while (undo.length) undo.pop()();
  };
  const go = (name) => {
    if (done) return;
    disarm();
    fire(name);
  };
  const start = since;

  if (t.exit_intent && !touch) {
    on(document, 'mouseout', (e) => {
      // Moving onto another element (relatedTarget set) is not leaving; a
      // <select>'s or autofill's dropdown fires mouseout from the control.
      const origin = (e.composedPath && e.composedPath()[0]) || e.target;
      if (e.relatedTarget || FORM_CONTROLS.test((origin && origin.nodeName) || '')) return;
      if (e.clientY > t.exit_sensitivity_px) return; // not through the top
      if (e.clientX < 0 || e.clientX > window.innerWidth) return; // through a side
      go('exit_intent');
    });
  }

  if (t.delay_seconds != null) later(() => go('delay'), t.delay_seconds * 1000);

  if (t.scroll_percent != null || (touch && t.mobile_scroll_up)) {
    let maxY = 0;
    let samples = [];
    // Scroll depth is polite: only once the visitor has read (scrolled past
    // one screen, READ_MS on the page) and not while they use a control; on
    // a phone the scroll-up trigger takes its place (it would always win).
    const depthOn = t.scroll_percent != null && !(touch && t.mobile_scroll_up);
    let usedControl = -Infinity;
    let recheck = 0;
    undo.push(() => clearTimeout(recheck));
    if (depthOn) {
      for (const type of ['pointerdown', 'focusin', 'input', 'change']) {
        on(
          document,
          type,
          (e) => {
            const o = (e.composedPath && e.composedPath()[0]) || e.target;
            if (o && o.closest && o.closest(CONTROLS)) usedControl = performance.now();
          },
          { passive: true, capture: true },
        );
      }
    }
    const depth = () => {
      const view = window.innerHeight;
      const scrollable = document.documentElement.scrollHeight - view;
      if (!(scrollable > 0 && (window.scrollY / scrollable) * 100 >= t.scroll_percent && maxY >= view * READ_DEPTH_VIEWPORTS)) return;
      const now = performance.now();
      const wait = Math.max(start + READ_MS - now, usedControl + CONTROL_QUIET_MS - now);
      clearTimeout(recheck);
      if (wait > 0) recheck = setTimeout(wrap(depth), wait + 20);
      else go('scroll');
    };
    on(
      window,
      'scroll',
      () => {
        const y = window.scrollY;
        const now = performance.now();
        const view = window.innerHeight;
        maxY = Math.max(maxY, y);
        if (depthOn) depth();
        if (done || !(touch && t.mobile_scroll_up)) return;
        samples.push([now, y]);
        samples = samples.filter((s) => now - s[0] <= FLICK_WINDOW_MS);
        const read = maxY >= view * READ_DEPTH_VIEWPORTS && now - start >= READ_MS;
        const peak = Math.max(...samples.map((s) => s[1]));
        if (read && peak - y >= Math.max(FLICK_PX, view * 0.3)) go('mobile_scroll_up');
      },
      { passive: true },
    );
  }

  if (touch && t.mobile_back) {
    // Back-button intent: after the visitor's first interaction, add one
    // history entry for this same URL. Going back from it shows the popup
    // instead of leaving; the next back press leaves as usual (no trap).
    // Chrome ignores entries added without a user interaction, hence the wait.
    let pushed = false;
    const arm = () => {
      if (pushed || done) return;
      pushed = true;
      const state = history.state && typeof history.state === 'object' ? history.state : {};
      history.pushState(Object.assign({}, state, { rewardsBack: 1 }), '');
      on(window, 'popstate', () => {
        if (!(history.state && history.state.rewardsBack)) go('mobile_back');
      });
    };
    on(document, 'pointerdown', arm, { passive: true, capture: true });
    on(document, 'keydown', arm, { capture: true });
  }

  if (t.tab_return) {
    let hiddenAt = document.visibilityState === 'hidden' ? performance.now() : null;
    on(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') hiddenAt = performance.now();
      else if (hiddenAt != null && performance.now() - hiddenAt >= AWAY_MS) go('tab_return');
    });
  }

  if (t.idle_seconds != null) {
    let timer = 0;
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(wrap(() => go('idle')), t.idle_seconds * 1000);
    };
    undo.push(() => clearTimeout(timer));
    for (const type of ['pointermove', 'pointerdown', 'keydown', 'scroll', 'touchstart']) {
      on(type === 'scroll' ? window : document, type, reset, { passive: true, capture: true });
    }
    reset();
  }

  return disarm;
}
