// Minor-unit rescaling, integer arithmetic only.

/**
 * Shopify's cart money is an integer in 1/100 of the currency unit for
 * EVERY currency (VND 120,000 ₫ arrives as 12000000). True minor units
 * have `exp` digits: ×10 for 3-digit currencies, ÷100 for zero-decimal
 * ones (rounding step "Shopify cents → minor units": floor).
 */
export function shopifyCentsToMinor(cents, exp) {
  return rescaleMinor(cents, 2, exp);
}

/** An integer in 10^-from units → 10^-to units (floor when dividing; integer arithmetic only). */
export function rescaleMinor(value, from, to) {
  if (to === from) return value;
  if (to > from) return value * 10 ** (to - from);
  const d = 10 ** (from - to);
  return (value - (((value % d) + d) % d)) / d;
}
