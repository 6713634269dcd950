// The redemptions list of the checkout prompt (a chunk of its own: only a
// shopper with points opens it). Choosing one emits redemption:chosen; with
// a server and a shopper token it POSTs /api/redeem, and the code joins
// "Your codes" (ui/vouchers.js), applied to the order where possible.

import css from '../redeem.css';
import { en, vi } from './strings-redeem.js';

let styled = false;

export function redeemList(u, el, r, q) {
  const { ctx } = u;
  if (!styled) {
    ctx.addSheet(css);
    u.addStrings({ en, vi });
  }
  styled = true;
  const { h } = ctx;
  const { t, text, money, points } = u.i;
  const byId = new Map(ctx.cfg.redemptions.map((x) => [x.id, x]));
  const items = r.options.map((o) => {
    const def = byId.get(o.id) || {};
    const nameText = text(def.name) || o.id;
    const summary = h('span', { class: 'rw-muted' });
    let detail;
    let choose = null;
    if (o.usable) {
      let select = null;
      const amountFor = (pts) => (o.kind === 'amount_off' ? Math.floor(pts / def.points) * def.value : o.discount);
      if (o.kind === 'amount_off' && o.max_usable_points > o.min_points) {
        const steps = [];
        for (let v = o.min_points; v <= o.max_usable_points && steps.length < 40; v += o.increment) steps.push(v);
        if (steps[steps.length - 1] !== o.max_usable_points) steps.push(o.max_usable_points);
        // The summary follows the amount picked.
        const follow = () => (summary.textContent = saves(Number(select.value)));
        select = h(
          'select',
          { class: 'rw-select', 'aria-label': t('redeem_points_label', { name: nameText }), on: { change: follow } },
          steps.map((v) => h('option', { value: String(v), selected: v === o.max_usable_points, text: points(v) + ' → ' + money(amountFor(v)) })),
        );
      }
      const saves = (pts) => t('redeem_save', { amount: money(amountFor(pts)) }) + ' · ' + t('redeem_use', { points: points(pts) });
      detail = saves(o.max_usable_points);
      choose = h('div', { class: 'rw-choose' }, select, h('button', {
        type: 'button',
        class: 'rw-primary rw-small',
        text: t('redeem_choose'),
        'aria-label': t('redeem_choose') + ': ' + nameText,
        on: { click: ctx.guard(() => chosen(u, el, o, def, nameText, select ? Number(select.value) : o.max_usable_points, amountFor, q), 'redeem') },
      }));
    } else {
      const reason = o.reason;
      detail =
        reason === 'min_cart'
          ? t('reason_min_cart', { amount: money(o.min_cart) })
          : reason === 'insufficient_points'
            ? t('reason_insufficient_points', { points: points(o.shortfall) })
            : t('reason_' + reason, { plan: text(ctx.cfg.membership && ctx.cfg.membership.name) });
    }
    summary.textContent = detail;
    return h('li', { class: 'rw-opt' + (o.usable ? '' : ' rw-blocked') }, h('div', { class: 'rw-item-main' }, h('strong', { text: nameText }), summary), choose);
  });
  return h('ul', { class: 'rw-list' }, items);
}

async function chosen(u, el, o, def, nameText, pts, amountFor, q) {
  const { ctx } = u;
  const { h } = ctx;
  const { t } = u.i;
  const detail = { id: o.id, kind: o.kind, name: nameText, points: pts, discount: amountFor(pts), currency: ctx.cfg.store.currency };
  ctx.emit('redemption:chosen', detail);
  const status = h('div', { class: 'rw-voucher', role: 'status' });
  el.rwVoucher = status;
  const list = el.shadowRoot.querySelector('.rw-redeem');
  if (list) list.prepend(status);
  if (!(ctx.api && ctx.state.token)) {
    status.textContent = t('redeem_chosen', { name: nameText });
    return;
  }
  status.textContent = t('voucher_wait');
  const key = (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random().toString(16).slice(2);
  let out = null;
  try {
    const r = await ctx.fetch(new URL('api/redeem', ctx.api).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + ctx.state.token },
      body: ctx.json({ redemption_id: o.id, points: pts, cart: await u.cart.now(), idempotency_key: key }),
    });
    out = r.ok ? await r.json() : null;
  } catch {
    out = null;
  }
  if (!out || typeof out.voucher_code !== 'string') {
    status.textContent = t('redeem_error');
    return;
  }
  // The code is the server's now: listed under "Your codes" (and applied
  // where the store lets us) until an order uses it, on every device.
  const issued = { code: out.voucher_code, status: 'unused', kind: o.kind, redemption_id: o.id, discount: out.discount, currency: out.currency, points: out.points };
  u.info.vouchers = (u.info.vouchers || []).filter((v) => v.code !== issued.code).concat([issued]);
  u.autoApply.add(issued.code);
  status.remove();
  el.rwVoucher = null;
  ctx.emit('redemption:voucher', { id: o.id, voucher_code: out.voucher_code, discount: out.discount, balance: out.balance });
  u.refreshShopper();
}
