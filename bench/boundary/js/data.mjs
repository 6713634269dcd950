// The experiment's inputs: a 20-line VND cart with every field a line can
// carry (ids, product/variant ids, SKU, tags, product type, collections,
// quantity, prices and discounts; one line priced above 2^32 minor units so
// 64-bit amounts really cross), a member shopper, and the update sequence
// (one line's quantity changes per call, as in bench/sections/preview.mjs).
export const NOW = Date.parse('2026-11-22T10:00:00Z');

const unit = (i) => (i === 17 ? 12_884_901_895 : 25_000 + i * 5_000);

export function makeCart() {
  const lines = Array.from({ length: 20 }, (_, i) => ({
    id: `l${i}`,
    product_id: `gid://shopify/Product/${8_100_000 + i}`,
    variant_id: `gid://shopify/ProductVariant/${45_000_000 + i}`,
    sku: `SKU-${i}`,
    product_type: i % 2 ? 'Cà phê' : 'Bánh',
    tags: ['menu', i % 5 === 0 ? 'the-qua-tang' : 'moi'],
    collections: [i % 2 ? 'do-uong' : 'banh-ngot', i === 7 ? 'qua-tang' : 'tat-ca'],
    quantity: 1 + (i % 3),
    line_price: unit(i) * (1 + (i % 3)),
    discount: i === 17 ? 12_884_000_000 : i % 4 === 0 ? 5_000 : 0,
    gift_card: i === 13,
  }));
  return { currency: 'VND', lines, discount: 20_000, shipping: 30_000 };
}

/** Update j of the sequence: one line's quantity (and so its price) changes. */
export function update(cart, j) {
  const i = j % 20;
  const l = cart.lines[i];
  l.quantity = 1 + (j % 5);
  l.line_price = unit(i) * l.quantity;
  if (i === 17) l.discount = 12_884_000_000 * l.quantity;
}

/** The shopper in the core's JSON shape (instants as epoch ms). */
export const SHOPPER = {
  member: true,
  balance: 1_200,
  pending: 150,
  lifetime_orders: 0,
  period_spend: 2_500_000,
  period_points: 320,
  period_orders: 6,
  tier: { id: 'bac', since: Date.parse('2026-03-01T00:00:00Z') },
  membership: { id: 'hoi-vien', status: 'active' },
  stamps: 4,
  card_started: Date.parse('2026-11-01T00:00:00Z'),
  last_activity: Date.parse('2026-11-20T08:30:00Z'),
  rewarded_actions: [{ id: 'signup', at: Date.parse('2026-01-05T00:00:00Z') }],
};

export const RULES = ['', 'quantity_zero', 'gift_card', 'product_id', 'variant_id', 'sku', 'tag', 'product_type', 'collection'];
export const STATUS = { trial: 0, active: 1, lapsed: 2 };
