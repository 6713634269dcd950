// The rewards explainer: a side panel built only from the core's explainer
// model (so it can never disagree with the numbers): balance, ways to
// earn and redeem, tiers with progress, the punch card as stamps, the paid
// membership, and a join call-to-action for guests.

import { openDialog, signInLink } from './dialog.js';
import { en, vi } from './strings-panel.js';

export function makePanel(u) {
  const { ctx } = u;
  // Shared helpers come through `u`, so this chunk imports nothing the
  // main chunk has (no extra shared chunk on cart pages).
  const { stamps, progressBar } = u.widgets;
  u.addStrings({ en, vi });
  const { h, icon, ICONS } = ctx;
  let current = null;
  let body = null;
  let seq = 0;

  async function open() {
    if (current && current.isOpen()) return;
    body = h('div', { class: 'rw-panel-body', 'aria-busy': 'true' }, h('p', { class: 'rw-muted rw-loading', text: u.i.t('loading') }));
    const head = h(
      'div',
      { class: 'rw-panel-head' },
      h('p', { class: 'rw-eyebrow', text: ctx.cfg.store.name || '' }),
      h('h2', { id: 'rw-panel-title', class: 'rw-title', text: u.i.t('panel_title') }),
    );
    const side = ctx.corner.endsWith('left') ? 'rw-left' : 'rw-right';
    const mine = (current = openDialog(u, {
      cls: 'rw-panel ' + side,
      labelledBy: 'rw-panel-title',
      content: [head, body],
      onClose: (reason) => {
        if (current === mine) current = null;
        if (ctx.launcher) ctx.launcher.button.setAttribute('aria-expanded', 'false');
        ctx.emit('explainer:closed', { reason });
      },
    }));
    if (ctx.launcher) ctx.launcher.button.setAttribute('aria-expanded', 'true');
    current.card.querySelector('.rw-close').focus();
    ctx.emit('explainer:opened', {});
    await render();
  }

  async function render() {
    if (!current) return;
    const mine = ++seq;
    let model;
    let known;
    let codes = null;
    try {
      const [engine, shopper] = await Promise.all([u.engine(), u.shopper()]);
      known = shopper != null;
      model = await engine.run('explainer', shopper);
      if (known && u.hasVouchers()) codes = (await u.vouchers()).section(u.info.vouchers);
    } catch (e) {
      if (mine === seq && body) {
        body.replaceChildren(h('p', { class: 'rw-muted', text: u.i.t('load_error') }));
        body.removeAttribute('aria-busy');
      }
      throw e;
    }
    if (mine !== seq || !body) return;
    body.replaceChildren(...sections(model, known, codes));
    body.removeAttribute('aria-busy');
  }

  /** `known`: a signed-in (or page-provided) shopper, not a guest; `codes`: their "Your codes" block. */
  function sections(m, known, codes) {
    const { t, text, money, points, date, decimal } = u.i;
    const out = [];
    const s = m.shopper;
    const tiers = m.tiers;
    const tierName = (id) => {
      const level = tiers && tiers.levels.find((l) => l.id === id);
      return level ? text(level.name) : id;
    };

    // Balance, or the invitation to join.
    if (known) {
      out.push(
        h(
          'div',
          { class: 'rw-summary' },
          h('p', { class: 'rw-muted', text: t('balance') }),
          h('p', { class: 'rw-balance', text: points(s.balance) }),
          birthday(),
          s.pending > 0 ? h('p', { class: 'rw-muted', text: t('pending', { points: points(s.pending) }) }) : null,
          credit(m),
          s.tier ? h('p', { class: 'rw-pill', text: tierName(s.tier) }) : null,
          s.multiplier !== '1' ? h('p', { class: 'rw-muted', text: t('multiplier', { m: decimal(s.multiplier) }) }) : null,
        ),
      );
    } else if (u.info.signed_up || ctx.store.get().signed_up) {
      // Signed up in this browser without a token: the store shows the points once it signs the shopper in.
      out.push(h('div', { class: 'rw-summary' }, h('p', { text: t('signed_up', { store: m.store.name }) }), signInLink(u)));
    } else if (ctx.signupUrl) {
      const bonus = (m.actions.find((a) => a.kind === 'signup') || {}).points || 0;
      out.push(
        h(
          'div',
          { class: 'rw-summary rw-join' },
          h('h3', { text: t('guest_title', { store: m.store.name }) }),
          h('p', { text: bonus ? t('guest_body', { points: points(bonus) }) : t('guest_body_plain') }),
          h('button', { type: 'button', class: 'rw-primary', text: t('join'), on: { click: ctx.guard(() => (current.close('join'), u.openPopup('manual'))) } }),
        ),
      );
    }

    // The shopper's codes, right under the balance they came from.
    if (codes) out.push(section('codes', t('vc_title'), codes));
    if (known && ctx.state.token && ctx.api) out.push(activity());

    // Ways to earn.
    const e = m.earn;
    const earn = [item(t('earn_rate', { points: points(e.points_per_step), amount: money(e.step) }), null, null)];
    if (e.minimum_order > 0) earn.push(item(t('earn_min', { amount: money(e.minimum_order) })));
    if (e.max_points_per_order != null) earn.push(item(t('earn_max', { points: points(e.max_points_per_order) })));
    if (m.cashback) earn.push(item(t('cashback', { percent: decimal(m.cashback.percent) })));
    for (const a of m.actions) {
      const name = text(a.name) || t('action_' + a.kind);
      const label = a.url ? h('a', { href: a.url, target: '_blank', rel: 'noopener noreferrer', text: name }) : name;
      const birthday = a.kind === 'birthday' && m.birthday ? t('birthday_when', { n: m.birthday.notice_days }) : null;
      const when = !a.eligible ? (a.next_eligible ? t('action_again', { date: date(a.next_eligible) }) : t('action_done')) : birthday || limitText(a.limit);
      earn.push(item(label, when, '+' + points(a.points), !a.eligible && known));
    }
    if (hasSelector(e.exclude)) earn.push(item(h('span', { class: 'rw-muted', text: t('earn_excluded') })));
    out.push(section('earn', t('earn_title'), h('ul', { class: 'rw-list' }, earn)));
    if (m.referral) out.push(referral(m.referral, m.store.name, known));

    // Ways to redeem.
    if (m.redeem.length) {
      const list = m.redeem.map((r) => {
        // What the kind gives, unless the name already says it ("Free shipping", "10% off your order").
        const name = text(r.name);
        const kind = redeemText(r);
        const details = same(kind, name) || (r.kind === 'percent_off' && name.includes(decimal(r.percent) + '%')) ? [] : [kind];
        if (r.kind === 'amount_off' && r.max_points > r.min_points) details.push(t('redeem_range', { min: points(r.min_points), max: points(r.max_points) }));
        if (r.max_discount != null && r.kind !== 'free_product') details.push(t('redeem_cap', { amount: money(r.max_discount) }));
        if (r.min_cart > 0) details.push(t('redeem_min_cart', { amount: money(r.min_cart) }));
        // The paid plan by its name: "member" is what every signed-up shopper is.
        const badge = r.members_only ? h('span', { class: 'rw-tag', text: t('members_only', { plan: m.membership ? text(m.membership.name) : '' }) }) : null;
        return item([name, badge], details.join(' · '), r.kind === 'amount_off' ? null : points(r.points));
      });
      out.push(section('redeem', t('redeem_title'), h('ul', { class: 'rw-list' }, list)));
    }

    // Tiers, with the shopper's progress.
    if (tiers) {
      const p = tiers.progress;
      const period = t('period_' + tiers.period);
      const levels = tiers.levels.map((l) => {
        const mine = s.tier === l.id && known;
        const need =
          l.threshold === 0
            ? t('tier_start')
            : [tiers.metric === 'spend' ? t('tier_spend', { amount: money(l.threshold) }) : tiers.metric === 'points' ? t('tier_points', { points: points(l.threshold) }) : t('tier_orders', { n: l.threshold }), period]
                .filter(Boolean)
                .join(' ');
        return h(
          'li',
          { class: 'rw-tier' + (mine ? ' rw-tier-mine' : '') },
          h('div', { class: 'rw-tier-head' }, h('strong', { text: text(l.name) }), mine ? h('span', { class: 'rw-tag', text: t('tier_yours') }) : null),
          h('p', { class: 'rw-muted', text: need }),
          l.perks.length ? h('ul', { class: 'rw-perks' }, l.perks.map((k) => h('li', { text: text(k) }))) : null,
        );
      });
      const progress = known && p ? tierProgress(p, tierName, tiers.metric) : null;
      out.push(section('tiers', t('tiers_title'), progress, h('ol', { class: 'rw-tiers' }, levels)));
    }

    // Punch card as stamps.
    const card = m.punch_card;
    if (card) {
      const p = card.progress || { stamps: 0, remaining: card.stamps_required };
      const rules = [card.per === 'item' ? t('punch_per_item') : t('punch_per_order')];
      if (card.max_stamps_per_order != null) rules[0] += ' (' + t('punch_max', { n: card.max_stamps_per_order }) + ')';
      if (card.expiry_days != null) rules.push(t('punch_expiry', { n: card.expiry_days }));
      if (p.expires_at) rules.push(t('punch_expires', { date: date(p.expires_at) }));
      out.push(
        section(
          'punch',
          text(card.name),
          stamps(u, card.stamps_required, p.stamps, 0),
          h('p', { class: 'rw-strong', text: t('punch_more', { n: card.stamps_required - p.stamps, reward: text(card.reward.description) }) }),
          h('p', { class: 'rw-muted', text: rules.join('. ') + '.' }),
        ),
      );
    }

    // Paid membership.
    const ms = m.membership;
    if (ms) {
      const fee = t(ms.billing === 'yearly' ? 'membership_yearly' : 'membership_monthly', { amount: money(ms.fee) });
      out.push(
        section(
          'membership',
          text(ms.name),
          h('p', { class: 'rw-strong' }, fee, ms.active ? h('span', { class: 'rw-tag', text: t('membership_active') }) : null),
          ms.trial_days > 0 && !ms.active ? h('p', { class: 'rw-muted', text: t('membership_trial', { n: ms.trial_days }) }) : null,
          h('ul', { class: 'rw-perks' }, ms.perks.map((k) => h('li', { text: text(k) }))),
        ),
      );
    }

    const notes = [];
    if (m.lifecycle.pending_days > 0) notes.push(t('lifecycle_pending', { n: m.lifecycle.pending_days }));
    if (m.lifecycle.expiry_months_inactive != null) notes.push(t('lifecycle_expiry', { n: m.lifecycle.expiry_months_inactive }));
    if (notes.length) out.push(h('p', { class: 'rw-note', text: notes.join(' ') }));
    return out;
  }

  /** "Your activity": the server's ledger of this shopper in plain words, a page at a time, on demand. */
  function activity() {
    const { t, date, points } = u.i;
    const list = h('ul', { class: 'rw-list', 'data-rw': 'activity' });
    const note = h('p', { class: 'rw-muted', role: 'status' });
    const more = h('button', { type: 'button', class: 'rw-secondary', text: t('activity_show'), on: { click: ctx.guard(() => load()) } });
    let before = null;
    async function load() {
      more.disabled = true;
      try {
        const q = new URLSearchParams({ limit: '10', lang: u.i.lang });
        if (before != null) q.set('before', String(before));
        const r = await ctx.fetch(new URL('api/shopper/activity?' + q, ctx.api).href, { headers: { authorization: 'Bearer ' + ctx.state.token } });
        if (!r.ok) throw new Error('api/shopper/activity answered ' + r.status);
        const page = await r.json();
        for (const e of page.entries) {
          list.append(item(unbroken(e.text), e.spendable_at ? t('activity_pending', { date: date(e.spendable_at) }) : date(e.at)));
        }
        if (before == null) {
          const lines = [];
          if (page.expiring) lines.push(t('activity_expiring', { points: points(page.expiring.points), date: date(page.expiring.at) }));
          if (!page.entries.length) lines.push(t('activity_empty'));
          note.textContent = lines.join(' ');
        }
        before = page.next_before;
        more.textContent = t('activity_more');
        more.hidden = before == null;
      } catch (e) {
        note.textContent = t('load_error');
        throw e;
      } finally {
        more.disabled = false;
      }
    }
    return section('activity', t('activity_title'), note, list, more);
  }

  /** "Happy birthday — N points added", once per year per browser (GET /api/shopper's birthday_gift). */
  function birthday() {
    const gift = u.info.birthday_gift;
    if (!gift || !Number.isSafeInteger(gift.points) || ctx.store.get().birthday_seen === gift.year) return null;
    ctx.store.patch({ birthday_seen: gift.year });
    return h('p', { class: 'rw-strong', role: 'status', 'data-rw': 'birthday', text: u.i.t('birthday_added', { points: u.i.points(gift.points) }) });
  }

  /** "Give X, get Y": the member's link with Copy and (where the browser has it) Share; a guest sees the offer. */
  function referral(r, store, known) {
    const { t, points, money } = u.i;
    const give = [r.friend.points > 0 ? points(r.friend.points) : null, r.friend.voucher != null ? t('ref_voucher', { amount: money(r.friend.voucher) }) : null].filter(Boolean).join(' + ');
    const get = points(r.referrer_points);
    const code = known && u.info.referral_code;
    if (!code) return section('referral', t('ref_title', { give, get }), h('p', { class: 'rw-muted', text: t('ref_guest', { give, get }) }));
    let link;
    try {
      // Without link_base: the page the member is on, without its query.
      const url = new URL(r.link_base || location.origin + location.pathname);
      url.searchParams.set('ref', code);
      link = url.href;
    } catch {
      link = location.origin + location.pathname + '?ref=' + code;
    }
    const status = h('p', { class: 'rw-muted', role: 'status', 'data-rw': 'referral-status' });
    const field = h('input', { id: 'rw-ref-link', class: 'rw-ref-link', type: 'text', readonly: true, value: link, 'data-rw': 'referral-link', on: { focus: (e) => e.target.select() } });
    const copy = h('button', {
      type: 'button',
      class: 'rw-secondary',
      text: t('ref_copy'),
      on: {
        click: ctx.guard(async () => {
          try {
            await navigator.clipboard.writeText(link);
            status.textContent = t('ref_copied');
          } catch {
            // No clipboard access: the link is selected for the shopper to copy.
            field.focus();
          }
        }),
      },
    });
    const share =
      typeof navigator.share === 'function'
        ? h('button', { type: 'button', class: 'rw-secondary', text: t('ref_share'), on: { click: ctx.guard(() => navigator.share({ title: store, text: t('ref_share_text', { store, give }), url: link }).catch(() => {})) } })
        : null;
    return section(
      'referral',
      t('ref_title', { give, get }),
      h('p', { text: t(r.friend_reward_on === 'first_order' ? 'ref_body_first_order' : 'ref_body_signup', { give, get }) }),
      h('label', { for: 'rw-ref-link', class: 'rw-muted', text: t('ref_link') }),
      field,
      h('p', { class: 'rw-muted', 'data-rw': 'referral-code', text: t('ref_code', { code }) }),
      h('div', { class: 'rw-actions' }, copy, share),
      status,
    );
  }

  /** The store credit cashback earned (GET /api/shopper), when the program has cashback or there is some. */
  function credit(m) {
    const { t, money } = u.i;
    const { store_credit: have, store_credit_pending: pending } = u.info;
    if (typeof have !== 'number' || !(m.cashback || have > 0 || pending > 0)) return null;
    return [
      h('p', { class: 'rw-credit', 'data-rw': 'credit', 'data-value': have, text: t('credit', { amount: money(have) }) }),
      pending > 0 ? h('p', { class: 'rw-muted', 'data-rw': 'credit-pending', text: t('credit_pending', { amount: money(pending) }) }) : null,
    ];
  }

  function tierProgress(p, tierName, metric) {
    const { t, money, points, date } = u.i;
    const lines = [];
    if (p.next) {
      const key = metric === 'spend' ? 'next_spend' : metric === 'points' ? 'next_points' : 'next_orders';
      lines.push(h('p', { class: 'rw-strong', text: t(key, { amount: money(p.needed), points: points(p.needed), n: p.needed, tier: tierName(p.next) }) }));
      lines.push(progressBar(u, p.progress_permille, t('progress_label', { tier: tierName(p.next) })));
    } else lines.push(h('p', { class: 'rw-strong', text: t('tier_top') }));
    if (p.at_risk && p.deadline) lines.push(h('p', { class: 'rw-warn', text: t('tier_at_risk', { date: date(p.deadline), tier: tierName(p.current) }) }));
    else if (p.deadline && p.current) lines.push(h('p', { class: 'rw-muted', text: t('tier_held', { date: date(p.deadline) }) }));
    return h('div', { class: 'rw-progress' }, lines);
  }

  function redeemText(r) {
    const { t, money, points, decimal } = u.i;
    if (r.kind === 'amount_off') return t('redeem_amount', { amount: money(r.value), points: points(r.points) });
    if (r.kind === 'percent_off') return t('redeem_percent', { percent: decimal(r.percent) });
    if (r.kind === 'free_shipping') return t('redeem_shipping');
    return t('redeem_product', { amount: money(r.value) });
  }

  function limitText(limit) {
    const { t } = u.i;
    if (limit === 'once') return t('limit_once');
    if (limit === 'yearly') return t('limit_yearly');
    if (limit && limit.every_days) return limit.every_days === 1 ? t('limit_daily') : t('limit_every', { n: limit.every_days });
    return null;
  }

  /** The words with each code or order number ("RW-DZSR-0YH9-EJA7", "demo-85-133") kept on one line: a code broken at its hyphen reads as two. */
  function unbroken(text) {
    return text.split(/(\S+-\S+)/).map((part, i) => (i % 2 ? h('span', { class: 'rw-nobr', text: part }) : part));
  }

  function item(main, detail, side, done) {
    return h(
      'li',
      { class: 'rw-item' + (done ? ' rw-done' : '') },
      h('div', { class: 'rw-item-main' }, h('span', { class: 'rw-item-name' }, main), detail ? h('span', { class: 'rw-muted', text: detail }) : null),
      side ? h('span', { class: 'rw-item-side', text: side }) : null,
    );
  }

  function section(key, title, ...children) {
    const id = 'rw-s-' + key;
    return h('section', { class: 'rw-section', 'aria-labelledby': id }, h('h3', { id, text: title }), children);
  }

  return {
    open,
    close: () => current && current.close('api'),
    refresh: () => (current ? render() : null),
    isOpen: () => !!(current && current.isOpen()),
  };
}

/** The same words, whatever their case and spacing. */
function same(a, b) {
  const norm = (s) => String(s).toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

function hasSelector(sel) {
  return !!sel && Object.keys(sel).some((k) => Array.isArray(sel[k]) && sel[k].length);
}
