// Candidates 3a/3b (a-postcard, a-hand): the call as postcard wire bytes
// (the field order of boundary_common::io::Call), the answer decoded from
// the same format. Encoded strings are cached (ids, tags repeat).
import { RULES, STATUS } from './data.mjs';

const H = 4294967296;
const enc = new TextEncoder();
const dec = new TextDecoder();

class Writer {
  constructor() { this.b = new Uint8Array(4096); this.i = 0; this.cache = new Map(); }
  room(n) { if (this.i + n > this.b.length) { const b = new Uint8Array((this.b.length + n) * 2); b.set(this.b); this.b = b; } }
  u8(v) { this.room(1); this.b[this.i++] = v; }
  uvar(v) { // v: a non-negative safe integer
    this.room(10);
    while (v >= 128) { this.b[this.i++] = (v % 128) | 128; v = Math.floor(v / 128); }
    this.b[this.i++] = v;
  }
  i64(v) { this.uvar(v >= 0 ? v * 2 : -v * 2 - 1); }
  str(s) {
    let bytes = this.cache.get(s);
    if (bytes === undefined) { bytes = enc.encode(s); if (this.cache.size < 4096) this.cache.set(s, bytes); }
    this.uvar(bytes.length); this.room(bytes.length); this.b.set(bytes, this.i); this.i += bytes.length;
  }
  optStr(s) { if (s == null) this.u8(0); else { this.u8(1); this.str(s); } }
  optI64(v) { if (v == null) this.u8(0); else { this.u8(1); this.i64(v); } }
  strs(a) { this.uvar(a.length); for (const s of a) this.str(s); }
}

class Reader {
  constructor(b) { this.b = b; this.i = 0; }
  u8() { return this.b[this.i++]; }
  uvar() { let v = 0, m = 1, x; do { x = this.b[this.i++]; v += (x & 127) * m; m *= 128; } while (x & 128); return v; }
  i64() { const u = this.uvar(); return u % 2 ? -(u + 1) / 2 : u / 2; }
  str() {
    const n = this.uvar(), b = this.b, i = this.i;
    this.i += n;
    if (n < 32) { let s = ''; for (let k = i; k < i + n; k++) { if (b[k] > 127) return dec.decode(b.subarray(i, i + n)); s += String.fromCharCode(b[k]); } return s; }
    return dec.decode(b.subarray(i, i + n));
  }
  ratio() { return [this.i64(), this.i64()]; }
}

function encodeCall(w, s, cart, now) {
  w.i = 0;
  w.i64(now);
  w.u8(s.member ? 1 : 0);
  for (const k of ['balance', 'pending', 'lifetime_orders', 'period_spend', 'period_points', 'period_orders']) w.i64(s[k] || 0);
  if (s.tier) { w.u8(1); w.str(s.tier.id); w.i64(s.tier.since); } else w.u8(0);
  if (s.membership) { w.u8(1); w.str(s.membership.id); w.u8(STATUS[s.membership.status]); } else w.u8(0);
  w.i64(s.stamps || 0);
  w.optI64(s.card_started); w.optI64(s.last_activity);
  const acts = s.rewarded_actions || [];
  w.uvar(acts.length);
  for (const a of acts) { w.str(a.id); w.i64(a.at); }
  w.optI64(s.last_order_value);
  w.uvar(cart.lines.length);
  for (const l of cart.lines) {
    w.str(l.id); w.optStr(l.product_id); w.optStr(l.variant_id); w.optStr(l.sku); w.optStr(l.product_type);
    w.strs(l.tags || []); w.strs(l.collections || []);
    w.i64(l.quantity); w.i64(l.line_price); w.i64(l.discount || 0); w.u8(l.gift_card ? 1 : 0);
  }
  w.i64(cart.discount || 0); w.i64(cart.shipping || 0);
  return w.b.subarray(0, w.i);
}

function decodeAnswer(bytes) {
  const r = new Reader(bytes);
  const error = r.u8();
  if (error || !r.u8()) return { error: error || -1 };
  const lines = new Array(r.uvar());
  for (let k = 0; k < lines.length; k++) {
    const id = r.str(), net = r.i64(), qualifying = r.i64(), points = r.ratio(), ex = r.u8(), value = r.str();
    lines[k] = { id, net, qualifying, points, excluded: ex ? { rule: RULES[ex], value } : null };
  }
  const qualifying_total = r.i64(), units = r.i64(), base_points = r.ratio();
  const multipliers = new Array(r.uvar());
  for (let k = 0; k < multipliers.length; k++) {
    const source = r.u8() ? 'membership' : 'tier', id = r.str(), m = r.i64(), s = r.uvar();
    multipliers[k] = { source, id, value: [m, s] };
  }
  const multiplier = r.ratio(), points_before_rounding = r.ratio(), earned_points = r.i64();
  const minimum_order_met = r.u8() === 1, capped = r.u8() === 1;
  const bonuses = new Array(r.uvar());
  for (let k = 0; k < bonuses.length; k++) bonuses[k] = { action: r.str(), points: r.i64() };
  const total_points = r.i64(), cashback = r.i64();
  return { lines, qualifying_total, units, base_points, multipliers, multiplier, points_before_rounding, earned_points, minimum_order_met, capped, bonuses, total_points, cashback };
}

export function adapter(Engine, doc) {
  const e = Engine.load(doc);
  if (!e) throw new Error('bytes: program refused');
  const w = new Writer();
  return (shopper, cart, now) => decodeAnswer(e.preview(encodeCall(w, shopper, cart, now)));
}
