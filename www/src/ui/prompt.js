// <rewards-checkout-prompt>: what this cart earns (live), tier progress
// after it, the stamps it adds, and the redemptions the balance allows.
// It fills the height the loader reserved for what this program shows
// (loader/elements.js), growing only when its words need more room or the
// shopper opens the redemptions list.

import { stamps, progressBar } from './widgets.js';

export async function renderPrompt(u, el, q, shopperKnown) {
  const { ctx } = u;
  const { h, icon, ICONS } = ctx;
  const { t, text, money, points } = u.i;
  const cfg = ctx.cfg;
  const p = q && q.preview;
  const rows = [];

  // Row 1: the points this order earns, and what they include.
  let main;
  const extras = [];
  if (!p || !p.lines.length) main = t('prompt_empty');
  else if (p.total_points > 0) {
    main = t(shopperKnown ? 'prompt_earn' : 'prompt_earn_guest', { points: points(p.total_points) });
    const bonus = p.bonuses.reduce((s, b) => s + b.points, 0);
    if (bonus) extras.push(t('prompt_bonus', { points: points(bonus) }));
    if (p.capped) extras.push(t('prompt_capped'));
  } else if (!p.minimum_order_met && p.qualifying_total > 0) main = t('prompt_min', { amount: money(p.minimum_order - p.qualifying_total) });
  else main = t('prompt_none');
  // Bonus points but below the minimum order: say what unlocks purchase points.
  if (p && p.total_points > 0 && !p.minimum_order_met && p.qualifying_total > 0) extras.push(t('prompt_min', { amount: money(p.minimum_order - p.qualifying_total) }));
  if (p && p.cashback > 0) extras.push(t('prompt_cashback', { amount: money(p.cashback) }));
  rows.push(
    h(
      'div',
      { class: 'rw-pr-main', 'aria-live': 'polite', 'aria-atomic': 'true' },
      icon(ICONS.star, 'rw-pr-icon'),
      // Both lines wrap: what the order earns and its details are never cut.
      h('div', null, h('p', { class: 'rw-strong', 'data-rw': 'earn', 'data-value': p ? p.total_points : 0, text: main }), h('p', { class: 'rw-muted rw-extras', text: extras.join(' · ') })),
    ),
  );

  // Row 1b: what this order earns with the paid membership, for a shopper
  // without it (the core's what-if: null when it earns nothing more).
  const mo = q && q.membership_offer;
  const plan = cfg.membership;
  if (mo && plan) {
    const say = t('prompt_member', { plan: text(plan.name), points: points(mo.points), n: mo.points_without }) + (mo.trial_days > 0 ? t('prompt_member_trial', { n: mo.trial_days }) : '');
    rows.push(h('p', { class: 'rw-pr-member', 'data-rw': 'membership-offer', 'data-value': mo.points }, say + ' ', plan.join_url ? h('a', { href: plan.join_url, text: t('prompt_member_join') }) : null));
  }

  // Row 2: tier progress after this order.
  const tier = q && q.tier;
  const levels = (cfg.tiers && cfg.tiers.levels) || [];
  const name = (id) => {
    const l = levels.find((x) => x.id === id);
    return l ? text(l.name) : String(id);
  };
  if (tier && p && p.lines.length) {
    const afterIndex = levels.findIndex((l) => l.id === tier.tier_after);
    const next = levels[afterIndex + 1];
    let line;
    let needAfter = 0;
    let permille = 1000;
    let before = 1000;
    if (tier.tier_changes) line = t('prompt_tier_up', { tier: name(tier.tier_after) });
    else if (next) {
      const need = (needAfter = next.threshold - tier.value_after);
      const key = tier.metric === 'spend' ? 'prompt_next_spend' : tier.metric === 'points' ? 'prompt_next_points' : 'prompt_next_orders';
      line = t(key, { amount: money(need), points: points(need), n: need, tier: name(next.id) });
      const base = afterIndex >= 0 ? levels[afterIndex].threshold : 0;
      const span = Math.max(1, next.threshold - base);
      // Display only: where this order leaves the bar, in whole permille.
      permille = Math.floor((Math.max(0, tier.value_after - base) * 1000) / span);
      before = Math.min(permille, tier.progress_permille);
    } else line = t('prompt_tier_top', { tier: name(tier.current) });
    const bar = progressBar(u, permille, line);
    bar.firstChild.style.setProperty('--b', before / 10 + '%');
    rows.push(h('div', { class: 'rw-pr-tier' }, h('p', { 'data-rw': 'tier', 'data-value': needAfter, text: line }), bar));
  }

  // Row 3: stamps this order adds.
  const card = q && q.punch_card;
  if (card && cfg.punch_card && p && p.lines.length) {
    const cardName = text(cfg.punch_card.name);
    const reward = text(cfg.punch_card.reward && cfg.punch_card.reward.description);
    const line =
      card.completes > 0
        ? t('prompt_stamps_complete', { card: cardName, reward })
        : card.added > 0
          ? t('prompt_stamps_add', { n: card.added, after: card.stamps_after, card: cardName, required: card.required })
          : t('prompt_stamps_none', { card: cardName, n: card.stamps, required: card.required });
    const shown = card.completes > 0 ? card.required : card.stamps_after;
    // Circles for cards up to 12 stamps, beside the words or, when narrow, below; longer cards say it in words only.
    let circles = null;
    if (card.required <= 12) {
      circles = stamps(u, card.required, Math.min(card.stamps, shown), Math.max(0, shown - card.stamps));
      circles.setAttribute('aria-label', cardName + ': ' + circles.getAttribute('aria-label'));
    }
    rows.push(h('div', { class: 'rw-pr-stamps' }, h('p', { 'data-rw': 'stamps', 'data-value': card.added, text: line }), circles));
  }

  // Row 4: the shopper's unused codes (from the server), with copy / apply.
  if (u.hasVouchers() && el.getAttribute('vouchers') !== 'off') {
    const block = (await u.vouchers()).section(u.info.vouchers, { compact: true });
    if (block) rows.push(h('div', { class: 'rw-pr-codes' }, block));
  }

  // Row 5: use points, or join to keep them.
  const r = q && q.redemptions;
  const redeemOpen = el.rwRedeemOpen === true && el.getAttribute('redeem') !== 'off';
  const list = h('div', { class: 'rw-redeem', id: 'rw-redeem', hidden: !redeemOpen });
  // The list of redemptions is its own small chunk, fetched when opened.
  const fill = async () => {
    if (list.rwFilled) return;
    list.rwFilled = true;
    list.append((await u.redeem()).redeemList(u, el, r, q));
  };
  if (r && r.balance > 0 && r.options.length && el.getAttribute('redeem') !== 'off') {
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'rw-secondary',
        'aria-expanded': String(redeemOpen),
        'aria-controls': 'rw-redeem',
        on: {
          click: ctx.guard(async () => {
            el.rwRedeemOpen = !el.rwRedeemOpen;
            if (el.rwRedeemOpen) await fill();
            list.hidden = !el.rwRedeemOpen;
            toggle.setAttribute('aria-expanded', String(el.rwRedeemOpen));
          }, 'redemptions'),
        },
      },
      t('prompt_redeem', { n: r.balance }),
      icon(ICONS.chevron, 'rw-chev'),
    );
    rows.push(h('div', { class: 'rw-pr-actions' }, toggle));
    if (redeemOpen) await fill();
  } else if (!shopperKnown && ctx.signupUrl && !u.info.signed_up && !ctx.store.get().signed_up && p && p.total_points > 0) {
    rows.push(h('div', { class: 'rw-pr-actions' }, h('button', { type: 'button', class: 'rw-secondary', text: t('prompt_join'), on: { click: ctx.guard(() => u.openPopup('manual')) } })));
  }
  if (el.rwVoucher) list.prepend(el.rwVoucher);

  const box = h('div', { class: 'rw-prompt', role: 'group', 'aria-label': t('prompt_label') }, rows, list);
  el.shadowRoot.replaceChildren(box);
}
