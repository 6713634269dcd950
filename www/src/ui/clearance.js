// The floating launcher never covers the inline elements (on a phone, the
// checkout prompt's buttons pass under it): while one of them is under the
// launcher, the launcher steps aside (hidden, out of the tab order) and
// comes back once the element has scrolled on. An IntersectionObserver
// whose root is the viewport shrunk to the launcher's box does the geometry:
// no scroll listener, no layout read per frame (one read on setup and resize).

const GAP = 8; // px of clearance around the launcher

export function makeClearance(ctx) {
  const watched = new Set();
  const under = new Set();
  let io = null;
  let pending = 0;
  let tries = 0;

  const wrap = () => ctx.launcher && ctx.launcher.wrap;
  const update = ctx.guard(() => {
    const w = wrap();
    // Never while it has focus: a keyboard user is on it.
    if (w) w.classList.toggle('rw-tucked', under.size > 0 && !w.matches(':focus-within'));
  }, 'launcher');

  const build = ctx.guard(() => {
    pending = 0;
    if (io) io.disconnect();
    io = null;
    under.clear();
    const w = wrap();
    if (!w || !watched.size || typeof IntersectionObserver !== 'function') return update();
    const r = w.getBoundingClientRect();
    if (!r.width) {
      // Not shown yet (its popover opens in an animation frame): look again soon.
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
      }, 'launcher'),
      { rootMargin: inset.join(' ') },
    );
    for (const el of watched) io.observe(el);
  }, 'launcher');
  const later = () => {
    if (!pending) pending = requestAnimationFrame(build);
  };
  window.addEventListener('resize', ctx.guard(later, 'launcher'), { passive: true });

  return {
    /** Keeps the launcher off `el`; returns the function that stops it. */
    watch(el) {
      const w = wrap();
      if (w && !w.rwClearance) {
        w.rwClearance = true;
        w.addEventListener('focusin', update);
        w.addEventListener('focusout', update);
      }
      watched.add(el);
      if (io) io.observe(el);
      else later();
      return () => {
        watched.delete(el);
        under.delete(el);
        if (io) io.unobserve(el);
        update();
      };
    },
  };
}
