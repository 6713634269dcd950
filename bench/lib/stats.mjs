// Order statistics for benchmark samples (nearest-rank, no interpolation:
// every figure printed is a value that was measured).
export const sorted = (xs) => [...xs].sort((a, b) => a - b);
export function percentile(xs, p) {
  const s = sorted(xs);
  if (!s.length) return null;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const median = (xs) => percentile(xs, 50);
export const max = (xs) => (xs.length ? Math.max(...xs) : null);
export const min = (xs) => (xs.length ? Math.min(...xs) : null);
export const round = (x, places = 1) => (x == null || !Number.isFinite(x) ? x : Math.round(x * 10 ** places) / 10 ** places);
export function summary(xs, places = 1) {
  return { n: xs.length, median: round(median(xs), places), p99: round(percentile(xs, 99), places), min: round(min(xs), places), max: round(max(xs), places) };
}
