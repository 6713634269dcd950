// Candidate 2 (a-swb): JS objects walked by serde-wasm-bindgen. The cart's
// lines are passed as they are (their fields are the mirror type's); the
// shopper is reshaped into the mirror type's fields.
import { RULES, STATUS } from './data.mjs';
export function adapter(Engine, doc) {
  const e = Engine.load(doc);
  if (!e) throw new Error('a-swb: program refused');
  return (s, cart, now) => {
    const shopper = {
      member: !!s.member, balance: s.balance || 0, pending: s.pending || 0, lifetime_orders: s.lifetime_orders || 0,
      period_spend: s.period_spend || 0, period_points: s.period_points || 0, period_orders: s.period_orders || 0,
      tier: s.tier ? { id: s.tier.id, at: s.tier.since } : null,
      membership: s.membership ? { id: s.membership.id, status: STATUS[s.membership.status] } : null,
      stamps: s.stamps || 0, card_started: s.card_started ?? null, last_activity: s.last_activity ?? null,
      rewarded_actions: s.rewarded_actions || [], last_order_value: s.last_order_value ?? null,
    };
    const a = e.preview({ now, shopper, cart: { lines: cart.lines, discount: cart.discount || 0, shipping: cart.shipping || 0 } });
    if (!a || a.error) return { error: a ? a.error : -1 };
    const p = a.preview;
    return {
      lines: p.lines.map((l) => ({ id: l.id, net: l.net, qualifying: l.qualifying, points: [l.points.num, l.points.den], excluded: l.excluded ? { rule: RULES[l.excluded], value: l.excluded_value } : null })),
      qualifying_total: p.qualifying_total, units: p.units,
      multipliers: p.multipliers.map((m) => ({ source: m.source ? 'membership' : 'tier', id: m.id })),
      minimum_order_met: p.minimum_order_met, capped: p.capped, earned_points: p.earned_points,
      bonuses: p.bonuses, total_points: p.total_points, cashback: p.cashback,
    };
  };
}
