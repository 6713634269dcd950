// Small pieces shared by the checkout prompt and the explainer panel.

/** A progress bar from the core's permille. */
export function progressBar(u, permille, label) {
  const pct = Math.max(0, Math.min(1000, permille)) / 10;
  const bar = u.ctx.h('div', { class: 'rw-bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct) }, u.ctx.h('span', { style: { '--p': pct + '%' } }));
  return bar;
}

/** Stamps as circles: `have` collected, `added` more from this cart; read out as one phrase. */
export function stamps(u, required, have, added) {
  const { h, icon, ICONS } = u.ctx;
  const list = [];
  for (let n = 1; n <= required; n++) {
    const state = n <= have ? 'filled' : n <= have + added ? 'added' : 'empty';
    list.push(h('span', { class: 'rw-stamp rw-stamp-' + state }, state === 'empty' ? null : icon(ICONS.cup)));
  }
  return h('div', { class: 'rw-stamps', role: 'img', 'aria-label': u.i.t('punch_progress', { n: have + added, required }) }, list);
}
