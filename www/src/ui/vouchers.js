// "Your codes": the shopper's vouchers as the server knows them (GET
// /api/shopper), in the explainer and the checkout prompt: each unused code
// with its value, a copy button and, where the store lets the widget, an
// "Apply" button; used and cancelled codes below, marked so. A chunk of its
// own: only a shopper with vouchers (or one redeeming now) loads it.
//
// Applying goes through the platform: Shopify's /cart/update.js
// `discount`, WooCommerce's Store API apply-coupon (ui/platforms.js), or on
// other stores the page's `voucher:apply` listener (docs/embed.md).

import css from '../vouchers.css';
import { en, vi } from './strings-vouchers.js';

/** How many used or cancelled codes the explainer lists (most recent first). */
const PAST_SHOWN = 3;
/** How many unused codes the checkout prompt lists (applied ones first); the explainer has all. */
const PROMPT_SHOWN = 2;

export function makeVouchers(u) {
  const { ctx } = u;
  const { h } = ctx;
  u.addStrings({ en, vi });
  ctx.addSheet(css);
  // What the last "Apply" of each code answered: the cart it changes
  // re-renders the list, and the answer must stay in view.
  const outcome = new Map();

  // ---- applying a code to the order -------------------------------------------------------
  // Shopify and WooCommerce: through the platform's cart API. Other stores:
  // the page's `voucher:apply` listener answers with detail.respondWith().
  u.canApply = () => ctx.attrs.platform !== 'generic' || ctx.hasListener('voucher:apply');
  /** On this order: in the cart's `discount_codes` (the platform's or the page's), or just accepted. */
  u.isApplied = (code) => {
    const codes = ctx.state.cart && Array.isArray(ctx.state.cart.discount_codes) ? ctx.state.cart.discount_codes : [];
    return u.applied.has(code) || codes.some((c) => String(c).trim().toUpperCase() === code);
  };
  /** → 'applied' | 'refused' | 'manual' (nothing here can apply it). */
  u.applyVoucher = async (v) => {
    let state;
    if (ctx.attrs.platform !== 'generic') state = await u.cart.apply(v.code);
    else {
      let answer = null;
      const detail = { code: v.code, discount: v.discount, currency: v.currency, kind: v.kind, redemption_id: v.redemption_id };
      // Only during the event's dispatch, like FetchEvent.respondWith.
      detail.respondWith = (result) => {
        if (!answer) answer = Promise.resolve(result);
      };
      ctx.emit('voucher:apply', detail);
      state = !answer ? 'manual' : (await answer.catch(() => false)) ? 'applied' : 'refused';
    }
    if (state === 'applied') {
      u.applied.add(v.code);
      ctx.emit('voucher:applied', { code: v.code, discount: v.discount, currency: v.currency });
    }
    return state;
  };

  /** What the voucher is for, in words: the redemption's or the punch card's name. */
  function title(v) {
    const { text, t, money } = u.i;
    if (v.kind === 'punch_card' && ctx.cfg.punch_card) return text(ctx.cfg.punch_card.reward.description) || t('vc_amount', { amount: money(v.discount) });
    const def = ctx.cfg.redemptions.find((r) => r.id === v.redemption_id);
    return (def && text(def.name)) || t('vc_amount', { amount: money(v.discount) });
  }

  function value(v) {
    const { t, money } = u.i;
    return v.kind === 'free_shipping' ? t('vc_free_shipping') : t('vc_amount', { amount: money(v.discount, v.currency) });
  }

  /** The value beside the title, unless the title says just that ("Free shipping" twice; "$5 off" and "$5.00 off"). */
  function worth(v) {
    const words = value(v);
    const same = (s) => s.toLocaleLowerCase().replace(/[.,]0+(?!\d)/g, '');
    return same(words) === same(title(v)) ? null : words;
  }

  /** A button's words, and its name naming the code (several codes may be listed). */
  function label(button, words) {
    button.textContent = words;
    button.setAttribute('aria-label', words + ': ' + button.dataset.code);
  }

  /**
   * One unused code: what it is worth, the code, copy, apply (when the
   * store lets us) and where it goes. `compact`: the prompt's one-line form.
   */
  function item(v, compact) {
    const { t } = u.i;
    const hint = h('p', { class: 'rw-muted rw-vc-hint', role: 'status' });
    const copy = h('button', {
      type: 'button',
      class: 'rw-secondary rw-small',
      'data-code': v.code,
      on: {
        click: ctx.guard(async () => {
          await navigator.clipboard.writeText(v.code);
          label(copy, t('vc_copied'));
        }, 'copy code'),
      },
    });
    label(copy, t('vc_copy'));
    let apply = null;
    // The list says where a code goes once, under it (the explainer said it under
    // every code); an item speaks for itself only once something happened to it.
    const show = (state) => {
      const key = state === 'applied' ? 'vc_applied' : state === 'refused' ? 'vc_refused' : null;
      hint.textContent = key ? t(key) : '';
      if (apply) apply.hidden = state === 'applied';
    };
    const run = async () => {
      apply.disabled = true;
      label(apply, t('vc_applying'));
      let state = 'refused';
      try {
        state = await u.applyVoucher(v);
      } finally {
        outcome.set(v.code, state);
        apply.disabled = false;
        label(apply, t('vc_apply'));
        show(state);
      }
    };
    if (u.canApply()) {
      apply = h('button', { type: 'button', class: 'rw-primary rw-small', 'data-code': v.code, on: { click: ctx.guard(run, 'apply code') } });
      label(apply, t('vc_apply'));
    }
    show(u.isApplied(v.code) ? 'applied' : outcome.get(v.code) === 'refused' ? 'refused' : null);
    // Just redeemed: applied at once where the store lets us, once.
    if (apply && u.autoApply.delete(v.code) && !u.isApplied(v.code)) ctx.guard(run, 'apply code')();
    const code = h('code', { class: 'rw-code', text: v.code });
    const head = compact
      ? h('div', { class: 'rw-vc-line' }, code, h('span', { class: 'rw-muted', text: value(v) }))
      : [h('div', { class: 'rw-vc-head' }, h('strong', { text: title(v) }), worth(v) && h('span', { class: 'rw-muted', text: worth(v) })), code];
    return h('li', { class: 'rw-vc' + (compact ? ' rw-vc-compact' : ''), 'data-code': v.code }, head, h('div', { class: 'rw-code-row' }, copy, apply), hint);
  }

  function past(v) {
    const { t, date } = u.i;
    const state = v.status === 'used' ? t('vc_used', { date: date(v.status_at) }) : t('vc_voided');
    return h(
      'li',
      { class: 'rw-vc rw-vc-past', 'data-code': v.code, 'data-status': v.status },
      h('div', { class: 'rw-vc-head' }, h('span', { text: [title(v), worth(v)].filter(Boolean).join(' · ') }), h('span', { class: 'rw-muted', text: state })),
      h('code', { class: 'rw-code rw-code-past', text: v.code }),
    );
  }

  /**
   * The "Your codes" block, or null when there is nothing to list. The
   * explainer (`compact` false) lists every unused code, then the last used
   * and cancelled ones; the checkout prompt (`compact`) a heading and the
   * first few unused ones, applied first, with a way to the rest.
   */
  function section(vouchers, { compact = false } = {}) {
    const { t } = u.i;
    const list = Array.isArray(vouchers) ? vouchers : [];
    // Newest first (the list comes oldest first), applied ones before the rest.
    let unused = list
      .filter((v) => v.status === 'unused')
      .reverse()
      .sort((a, b) => u.isApplied(b.code) - u.isApplied(a.code));
    const done = compact ? [] : list.filter((v) => v.status !== 'unused').slice(-PAST_SHOWN).reverse();
    if (!unused.length && !done.length) return null;
    let more = null;
    if (compact) {
      if (unused.length > PROMPT_SHOWN) {
        more = h('button', { type: 'button', class: 'rw-link', text: t('vc_all', { n: unused.length }), on: { click: ctx.guard(() => u.openPanel(), 'explainer') } });
        unused = unused.slice(0, PROMPT_SHOWN);
      }
    }
    const where = !unused.every((v) => u.isApplied(v.code)) ? h('p', { class: 'rw-muted rw-vc-hint', text: t(u.canApply() ? 'vc_hint_apply' : 'vc_hint_manual') }) : null;
    return h(
      'div',
      { class: 'rw-vcs', 'data-rw': 'vouchers' },
      compact ? h('p', { class: 'rw-vcs-title rw-strong', text: t('vc_title') }) : null,
      unused.length ? h('ul', { class: 'rw-list' }, unused.map((v) => item(v, compact))) : null,
      where,
      more,
      done.length ? h('p', { class: 'rw-muted rw-vcs-past', text: t('vc_past') }) : null,
      done.length ? h('ul', { class: 'rw-list' }, done.map(past)) : null,
    );
  }

  return { section };
}
