// A plain-JavaScript points preview, written ONLY as a speed baseline for
// the preview-latency benchmark (bench/sections/preview.mjs): what a widget
// without the wasm engine would run in the page. It is not used by the
// widget and is not a second source of truth — the Rust core is.
//
// It follows the core's earning rules (src/preview.rs) for programs like
// tests/fixtures/programs/vn-coffee.json: order-discount allocation by
// largest remainder, exclusions (quantity 0, gift cards, product/variant
// ids, SKUs, tags, product types, collections), points_per_step / step,
// tier multiplier (metric, threshold, requalify hold), membership
// multiplier, combine add/multiply/highest, one earning rounding, minimum
// order, cap, first-order bonus, cashback. Integers are JS numbers: it
// throws when a product leaves the safe-integer range instead of rounding.
// Not covered (throws): carts in another currency (conversion).
//
//   import { baselinePreview } from './baseline-preview.js';
//   const preview = baselinePreview(program);   // program: parsed config object
//   preview(shopper, cart, nowMs) → { lines:[{id, qualifying}], qualifying_total, units,
//                                     earned_points, total_points, cashback, … }

const DAY_MS = 86400000;

function safe(n, what) {
  if (!Number.isSafeInteger(n)) throw new RangeError(`baseline: ${what} leaves the safe-integer range`);
  return n;
}

/** "1.25" → [125, 100] (exact decimal as integer fraction). */
function decimal(text) {
  const [int, frac = ''] = String(text).split('.');
  const den = 10 ** frac.length;
  return [safe(Number(int) * den + Math.sign(Number(int + '1')) * Number(frac || 0), 'decimal'), den];
}

/** num / den rounded the way the program names it (den > 0). */
function roundDiv(num, den, mode) {
  const q = Math.floor(num / den);
  const r = num - q * den;
  if (mode === 'ceil') return r ? q + 1 : q;
  if (mode === 'half_up') {
    // halves away from zero
    if (2 * r > den || (2 * r === den && num >= 0)) return q + 1;
    return q;
  }
  return q; // floor
}

function instant(v) {
  if (v == null) return null;
  return typeof v === 'number' ? v : Date.parse(/T/.test(v) ? v : v + 'T00:00:00Z');
}

function addMonths(ms, months) {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) + (ms - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
const startOfYear = (ms) => Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);

function tierMultiplier(program, shopper, now) {
  const t = program.tiers;
  if (!t) return null;
  const value = { spend: shopper.period_spend, points: shopper.period_points, orders: shopper.period_orders }[t.metric || 'spend'] || 0;
  let index = -1;
  t.levels.forEach((l, i) => {
    if (value >= l.threshold) index = i;
  });
  if (t.retention !== 'drop' && shopper.tier) {
    const held = t.levels.findIndex((l) => l.id === shopper.tier.id);
    const since = instant(shopper.tier.since);
    const until = t.period === 'lifetime' ? Infinity : t.period === 'rolling_12_months' ? addMonths(since, 12) : addMonths(startOfYear(since), 24);
    if (held >= 0 && now < until) index = Math.max(index, held);
  }
  return index < 0 ? null : { source: 'tier', id: t.levels[index].id, value: decimal(t.levels[index].multiplier || '1') };
}

function excludedBy(ex, line) {
  if (!ex) return null;
  const one = (rule, list, v) => (list && v != null && list.includes(v) ? [rule, v] : null);
  const any = (rule, list, vs) => {
    const v = list && (vs || []).find((x) => list.includes(x));
    return v != null ? [rule, v] : null;
  };
  return (
    one('product_id', ex.product_ids, line.product_id) ||
    one('variant_id', ex.variant_ids, line.variant_id) ||
    one('sku', ex.skus, line.sku) ||
    any('tag', ex.tags, line.tags) ||
    one('product_type', ex.product_types, line.product_type) ||
    any('collection', ex.collections, line.collections)
  );
}

/** Largest-remainder split of the order discount over line nets (earlier line on ties). */
function allocate(nets, discount) {
  const total = nets.reduce((t, n) => t + n, 0);
  const d = Math.min(discount || 0, total);
  if (!d || !total) return nets.map(() => 0);
  const shares = nets.map((n) => Math.floor(safe(n * d, 'discount allocation') / total));
  const rems = nets.map((n, i) => [(n * d) % total, i]);
  let left = d - shares.reduce((t, s) => t + s, 0);
  while (left-- > 0) {
    let best = -1;
    rems.forEach(([r], k) => {
      if (r >= 0 && (best < 0 || r > rems[best][0])) best = k;
    });
    if (best < 0) break;
    shares[rems[best][1]] += 1;
    rems[best][0] = -1;
  }
  return shares;
}

export function baselinePreview(program) {
  const e = program.earning;
  const currency = program.store.currency;
  const firstOrder = (program.actions || []).filter((a) => a.kind === 'first_order');
  const cashback = program.cashback ? decimal(program.cashback.percent) : null;

  return function preview(shopper, cart, now) {
    shopper = shopper || {};
    if (cart.currency !== currency) throw new Error('baseline: carts in the program currency only');
    const gross = cart.lines.map((l) => {
      const price = l.line_price != null ? l.line_price : safe(l.unit_price * l.quantity, 'line price');
      return Math.max(0, price - (l.discount || 0));
    });
    const shares = allocate(cart.lines.map((l, i) => (l.gift_card ? 0 : gross[i])), cart.discount);
    let qualifyingTotal = 0;
    let units = 0;
    const lines = cart.lines.map((l, i) => {
      const net = Math.max(0, gross[i] - shares[i]);
      const excluded = l.quantity === 0 ? ['quantity_zero', ''] : l.gift_card ? ['gift_card', ''] : excludedBy(e.exclude, l);
      const qualifying = excluded ? 0 : net;
      qualifyingTotal += qualifying;
      units += l.quantity;
      return { id: l.id, net, qualifying, excluded };
    });

    // Combined multiplier as an exact fraction [num, den].
    const parts = [];
    const tier = tierMultiplier(program, shopper, now);
    if (tier) parts.push(tier);
    const m = program.membership;
    if (m && shopper.membership && shopper.membership.status !== 'lapsed' && shopper.membership.id === m.id) {
      parts.push({ source: 'membership', id: m.id, value: decimal(m.multiplier) });
    }
    let [mn, md] = [1, 1];
    const combine = (program.multipliers && program.multipliers.combine) || 'add';
    parts.forEach(({ value: [vn, vd] }, i) => {
      if (i === 0) [mn, md] = [vn, vd];
      else if (combine === 'add') [mn, md] = [mn * vd + vn * md - md * vd, md * vd];
      else if (combine === 'multiply') [mn, md] = [mn * vn, md * vd];
      else if (vn * md > mn * vd) [mn, md] = [vn, vd];
    });
    if (mn < 0) mn = 0;

    // One rounding step: Σ qualifying × points_per_step × multiplier / step.
    const minimumMet = qualifyingTotal >= (e.minimum_order || 0);
    let earned = minimumMet ? roundDiv(safe(qualifyingTotal * e.points_per_step * mn, 'points'), safe(e.step * md, 'points'), e.rounding || 'floor') : 0;
    const capped = e.max_points_per_order != null && earned > e.max_points_per_order;
    if (capped) earned = e.max_points_per_order;

    const bonuses = [];
    if (!shopper.lifetime_orders && units > 0) {
      for (const a of firstOrder) {
        const id = a.id || a.kind;
        const done = (shopper.rewarded_actions || []).filter((r) => r.id === id).map((r) => instant(r.at));
        const last = done.length ? Math.max(...done) : null;
        const limit = a.limit || 'once';
        const ok = last == null || limit === 'unlimited' || (limit.every_days != null && now >= last + limit.every_days * DAY_MS) ||
          (limit === 'yearly' && new Date(now).getUTCFullYear() > new Date(last).getUTCFullYear());
        if (ok) bonuses.push({ action: id, points: a.points });
      }
    }
    const total = bonuses.reduce((t, b) => t + b.points, earned);
    const credit = cashback ? roundDiv(safe(qualifyingTotal * cashback[0], 'cashback'), cashback[1] * 100, program.cashback.rounding || 'floor') : 0;

    return {
      currency,
      lines,
      qualifying_total: qualifyingTotal,
      units,
      multipliers: parts.map((p) => ({ source: p.source, id: p.id })),
      minimum_order_met: minimumMet,
      capped,
      earned_points: earned,
      bonuses,
      total_points: total,
      cashback: credit,
    };
  };
}

/** The fields both implementations must agree on, from either result. */
export function comparable(r) {
  return JSON.stringify({
    lines: r.lines.map((l) => [l.id, l.net, l.qualifying]),
    qualifying_total: r.qualifying_total,
    units: r.units,
    multipliers: r.multipliers.map((m) => m.source + ':' + m.id),
    minimum_order_met: r.minimum_order_met,
    capped: r.capped,
    earned_points: r.earned_points,
    bonuses: r.bonuses.map((b) => b.action + ':' + b.points),
    total_points: r.total_points,
    cashback: r.cashback,
  });
}
