// <rewards-product-points product-id=… price=…>: "Earn 12 points" for one
// product, from the core's product_points (exclusions and the shopper's
// multiplier included), plus the stamps it adds to the punch card.
//
// Attributes: price (minor units) or shopify-price (Shopify's ×100 units,
// as Liquid prints them), product-id, variant-id, sku, title, tags and
// collections (comma-separated), product-type, quantity, gift-card.

export function lineFromAttributes(u, el) {
  const a = (name) => {
    const v = el.getAttribute(name);
    return v == null || v.trim() === '' ? null : v.trim();
  };
  const list = (name) => (a(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
  let price = integer(a('price'));
  const cents = integer(a('shopify-price'));
  if (price == null && cents != null) price = u.money.shopifyCentsToMinor(cents, u.exponentOf(u.ctx.cfg.store.currency));
  if (price == null) return null;
  const line = { id: 'product', quantity: integer(a('quantity')) ?? 1, unit_price: price };
  for (const [attr, key] of [['product-id', 'product_id'], ['variant-id', 'variant_id'], ['sku', 'sku'], ['product-type', 'product_type'], ['title', 'title']]) {
    if (a(attr) != null) line[key] = a(attr);
  }
  if (list('tags').length) line.tags = list('tags');
  if (list('collections').length) line.collections = list('collections');
  if (el.hasAttribute('gift-card')) line.gift_card = true;
  return line;
}

export async function renderProduct(u, el, engine, shopper, line) {
  const { ctx } = u;
  const { h, icon, ICONS } = ctx;
  const { t, points, money } = u.i;
  const p = await engine.run('product_points', shopper, line);
  let added = 0;
  if (ctx.cfg.punch_card && p.total_points >= 0) {
    const card = await engine.run('punch_card', shopper, { currency: ctx.cfg.store.currency, lines: [line] });
    added = (card && card.added) || 0;
  }
  const excluded = p.lines.length && p.lines.every((l) => l.excluded);
  const stampText = added ? h('span', { class: 'rw-muted', 'data-rw': 'stamps', 'data-value': added, text: t('product_stamps', { n: added }) }) : null;
  let parts;
  if (excluded) parts = [h('span', { class: 'rw-muted', 'data-rw': 'points', 'data-value': 0, text: t('product_excluded') })];
  else if (p.total_points > 0) {
    // Points only come with an order that reaches the minimum: say so when this product alone does not.
    const min = p.minimum_order_met ? null : h('span', { class: 'rw-muted', 'data-rw': 'minimum', text: t('product_min', { amount: money(p.minimum_order) }) });
    parts = [icon(ICONS.star, 'rw-pr-icon'), h('span', null, h('strong', { 'data-rw': 'points', 'data-value': p.total_points, text: t('product_earn', { points: points(p.total_points) }) }), min ? ' · ' : null, min, stampText ? ' · ' : null, stampText)];
  }
  // Too small to earn a whole point on its own: say nothing rather than "Earn 0 points".
  else parts = stampText ? [icon(ICONS.cup, 'rw-pr-icon'), stampText] : [];
  // The icon, then the words: they wrap beside it on a narrow card, never cut.
  return h('p', { class: 'rw-points' }, parts);
}

function integer(v) {
  if (v == null || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}
