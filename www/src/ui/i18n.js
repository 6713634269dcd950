// Text and number formatting for one locale. Money is integer minor units:
// it reaches Intl.NumberFormat as an exact decimal *string* ("1234.50"),
// never as a float, so formatting cannot change a value.

// Intl needs a region for the conventional formats (vi → 120.000 ₫).
const REGION = { vi: 'vi-VN', en: 'en-US' };

// Each chunk brings its own strings: `add({ en: {…}, vi: {…} })`.
const dicts = { en: {}, vi: {} };
export function addStrings(more) {
  for (const lang of Object.keys(more)) dicts[lang] = Object.assign(dicts[lang] || {}, more[lang]);
}

export function makeI18n(locale, cfg, exponentOf) {
  const lang = String(locale).toLowerCase().split(/[-_]/)[0];
  const tag = locale.includes('-') ? locale : REGION[lang] || locale;
  // Built-in languages are vi and en; any other locale starts from English
  // and takes the merchant's `texts` for it.
  const dict = dicts[lang] || dicts.en;
  const overrides = (cfg.texts && (cfg.texts[locale] || cfg.texts[lang])) || {};
  const plural = safe(() => new Intl.PluralRules(tag), { select: () => 'other' });
  const numbers = safe(() => new Intl.NumberFormat(tag), { format: String });
  const moneyFormats = new Map();
  const fallbackLocale = (cfg.store && cfg.store.default_locale) || 'en';

  /** t('points', { n: 12 }) → "12 points"; numbers in vars are formatted. */
  function t(key, vars) {
    let s = Object.prototype.hasOwnProperty.call(overrides, key) ? overrides[key] : dict[key] ?? dicts.en[key] ?? key;
    if (s && typeof s === 'object') s = s[plural.select((vars && vars.n) || 0)] || s.other;
    return String(s).replace(/\{(\w+)\}/g, (m, k) => {
      if (!vars || !(k in vars)) return m;
      const v = vars[k];
      return typeof v === 'number' ? numbers.format(v) : String(v);
    });
  }

  const points = (n) => t('points', { n });

  function money(minor, currency = cfg.store.currency) {
    const exp = exponentOf(currency);
    let f = moneyFormats.get(currency);
    if (!f) {
      f = safe(
        () => new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp }),
        { format: (x) => x + ' ' + currency },
      );
      moneyFormats.set(currency, f);
    }
    return f.format(decimalString(minor, exp));
  }

  /** A config Text: one string, or one per locale. */
  function text(v) {
    if (v == null) return '';
    if (typeof v === 'string') return v;
    return v[locale] ?? v[lang] ?? v[fallbackLocale] ?? Object.values(v)[0] ?? '';
  }

  /** "2026-12-31" or an ISO instant → a date in this locale (UTC calendar day). */
  function date(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    // Vietnamese writes dates as 31/12/2027; others get their medium style.
    const style = lang === 'vi' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : { dateStyle: 'medium' };
    return safe(() => new Intl.DateTimeFormat(tag, Object.assign({ timeZone: 'UTC' }, style)).format(d), iso);
  }

  /** An exact decimal string ("12.5") in this locale's digits. */
  const decimal = (s) => safe(() => numbers.format(String(s)), String(s));

  return { locale, lang, tag, t, points, money, text, date, decimal, num: (n) => numbers.format(n) };
}

/** 12345, 2 → "123.45"; −5, 2 → "-0.05". Exact: integer digits only. */
export function decimalString(minor, exp) {
  const neg = minor < 0;
  let s = String(Math.abs(minor));
  if (exp > 0) {
    s = s.padStart(exp + 1, '0');
    s = s.slice(0, -exp) + '.' + s.slice(-exp);
  }
  return (neg ? '-' : '') + s;
}

/** ISO 4217 minor-unit digits as Intl knows them (the core's table wins for the program currency). */
export function intlExponent(code) {
  return safe(() => new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits, 2);
}

function safe(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
