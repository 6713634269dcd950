// Candidate 4 (a-numbers, the B readers, cartpage): typed calls. Strings
// are interned once (this Map remembers their ids), integers cross as
// (hi, lo) 32-bit halves, the cart line by line; the answer is an
// Int32Array laid out by a-numbers/src/boundary.rs `encode_preview`.
// ctx: the compiled program's tier ids, action ids and membership id (the
// page has the compiled program), to name what the answer gives by index.
import { RULES, STATUS } from './data.mjs';

const H = 4294967296;
const hi = (n) => Math.floor(n / H);

export function adapter(Engine, doc, ctx) {
  const e = Engine.load(doc);
  if (!e) throw new Error('numbers: program refused');
  const ids = new Map();
  const names = [''];
  const sym = (s) => {
    if (s == null) return 0;
    let k = ids.get(s);
    if (k === undefined) {
      ids.set(s, (k = e.intern(s)));
      names[k] = s;
    }
    return k;
  };
  const J = (a, i) => a[i] * H + (a[i + 1] >>> 0);
  return (s, cart, now, repeat) => {
    const b = s.balance || 0, p = s.pending || 0, o = s.lifetime_orders || 0, sp = s.period_spend || 0, pp = s.period_points || 0, po = s.period_orders || 0, st = s.stamps || 0;
    e.shopper(!!s.member, hi(b), b >>> 0, hi(p), p >>> 0, hi(o), o >>> 0, hi(sp), sp >>> 0, hi(pp), pp >>> 0, hi(po), po >>> 0, hi(st), st >>> 0);
    const cs = s.card_started ?? 0, la = s.last_activity ?? 0, lv = s.last_order_value ?? 0;
    e.shopper_times((s.card_started != null) | ((s.last_activity != null) << 1) | ((s.last_order_value != null) << 2), hi(cs), cs >>> 0, hi(la), la >>> 0, hi(lv), lv >>> 0);
    if (s.tier) e.shopper_tier(sym(s.tier.id), hi(s.tier.since), s.tier.since >>> 0);
    if (s.membership) e.shopper_membership(sym(s.membership.id), STATUS[s.membership.status]);
    for (const a of s.rewarded_actions || []) e.shopper_action(sym(a.id), hi(a.at), a.at >>> 0);
    const lines = cart.lines;
    for (const l of lines) {
      const d = l.discount || 0;
      e.line(sym(l.id), sym(l.product_id), sym(l.variant_id), sym(l.sku), sym(l.product_type), l.quantity, hi(l.line_price), l.line_price >>> 0, hi(d), d >>> 0, !!l.gift_card);
      for (const t of l.tags) e.tag(sym(t));
      for (const c of l.collections) e.collection(sym(c));
    }
    const cd = cart.discount || 0, sh = cart.shipping || 0;
    // Timing of the computation alone (the `compute` crate): the cart just sent, previewed `repeat` times inside wasm.
    if (repeat) return e.compute_only(repeat, hi(cd), cd >>> 0, hi(sh), sh >>> 0, hi(now), now >>> 0);
    const a = e.preview(hi(cd), cd >>> 0, hi(sh), sh >>> 0, hi(now), now >>> 0);
    let i = 0;
    if (a[i++] !== 0) return { error: a[0] };
    const out = new Array(a[i++]);
    for (let k = 0; k < out.length; k++, i += 10) {
      const ex = a[i + 8];
      out[k] = { id: lines[k].id, net: J(a, i), qualifying: J(a, i + 2), points: [J(a, i + 4), J(a, i + 6)], excluded: ex ? { rule: RULES[ex], value: names[a[i + 9]] ?? '' } : null };
    }
    const qualifying_total = J(a, i), units = J(a, i + 2), base_points = [J(a, i + 4), J(a, i + 6)];
    i += 8;
    const multipliers = new Array(a[i++]);
    for (let k = 0; k < multipliers.length; k++, i += 5) {
      multipliers[k] = a[i] ? { source: 'membership', id: ctx.membershipId } : { source: 'tier', id: ctx.tierIds[a[i + 1]] };
    }
    const multiplier = [J(a, i), J(a, i + 2)], points_before_rounding = [J(a, i + 4), J(a, i + 6)], earned_points = J(a, i + 8);
    i += 10;
    const flags = a[i++];
    const bonuses = new Array(a[i++]);
    for (let k = 0; k < bonuses.length; k++, i += 3) bonuses[k] = { action: ctx.actionIds[a[i]], points: J(a, i + 1) };
    return { lines: out, qualifying_total, units, base_points, multipliers, multiplier, points_before_rounding, earned_points, minimum_order_met: (flags & 1) === 1, capped: (flags & 2) === 2, bonuses, total_points: J(a, i), cashback: J(a, i + 2) };
  };
}
