// Platform carts (a chunk loaded only with data-platform="shopify" or
// "woocommerce"): shopify reads /cart.js, woocommerce the Store API cart.
// Platform carts are converted to the core's shape in true minor units and
// re-read whenever the page changes the cart (theme events, and requests to
// the platform's cart endpoints seen through PerformanceObserver — the
// page's fetch/XMLHttpRequest are never patched). Voucher codes are applied
// through the same APIs: Shopify's /cart/update.js `discount` (the codes the
// cart should end with) and WooCommerce's Store API apply-coupon (with the
// `Nonce` its cart answer carries); which codes are on the cart is read back
// from each cart answer (`discount_codes`, `coupons`).
// A referral code the browser arrived with (`?ref=`, kept by the loader)
// goes with the order when it still counts (the core's answer, popup
// decision's `referral`): Shopify's cart attribute `rewards_ref`
// (/cart/update.js `attributes`, read back from the order's
// `note_attributes`), WooCommerce's first-party cookie `rewards_ref`,
// which the plugin copies to the order's meta at checkout.

const SHOPIFY_MUTATION = /\/cart\/(add|change|update|clear)(\.js|\.json)?(\?|$)/;
const WOO_MUTATION = /\/wc\/store(\/v1)?\/(cart\/[a-z-]+|batch)|wc-ajax=(add_to_cart|remove_from_cart|apply_coupon|remove_coupon|update_order_review)|[?&]add-to-cart=/;
const SHOPIFY_EVENTS = ['cart:updated', 'cart:refresh', 'cart:change', 'cart:requestComplete', 'theme:cart:change', 'ajaxProduct:added'];
const WOO_EVENTS = ['wc-blocks_added_to_cart', 'wc-blocks_removed_from_cart'];
const WOO_JQUERY_EVENTS = 'added_to_cart removed_from_cart updated_cart_totals wc_fragments_refreshed';
const WAIT_MS = 2500;

export function makePlatformCart(u) {
  const { ctx } = u;
  const { shopifyCentsToMinor, rescaleMinor } = u.money;
  const platform = ctx.attrs.platform;
  const shopify = platform === 'shopify';
  const root = withSlash(ctx.attrs.platformRoot || (shopify && window.Shopify && Shopify.routes && Shopify.routes.root) || '/');
  const productInfo = new Map();
  const needsTags = usesTagsOrCollections(ctx.cfg);

  const at = (path) => new URL(path, new URL(root, location.href)).href;
  let latest = null;
  let raw = null;
  let nonce = null;
  async function refresh() {
    const p = (async () => {
      const url = at(shopify ? 'cart.js' : 'wp-json/wc/store/v1/cart');
      const r = await ctx.fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!r.ok) throw new Error(`${url} answered ${r.status}`);
      return accept(r);
    })();
    latest = p;
    return p;
  }

  /** A cart answer (a read, or the answer to a change): publish it. */
  async function accept(r) {
    if (!shopify) nonce = r.headers.get('Nonce') || r.headers.get('X-WC-Store-API-Nonce') || nonce;
    raw = await r.json();
    const cart = shopify ? await fromShopify(raw) : await fromWoo(raw);
    const codes = codesOn(raw).map((c) => c.toUpperCase());
    if (codes.length) cart.discount_codes = codes;
    ctx.set('cart', cart);
    ctx.emit('cart:updated', { cart, platform });
    if (!referred) referred = ctx.guard(carryReferral, 'keeping the referral code')();
    return cart;
  }

  /** Once per page: the kept code, when the core says it still counts, onto the platform's cart (or off it when it no longer does). */
  let referred = null;
  async function carryReferral() {
    const saved = ctx.store.get();
    const had = shopify ? (raw && raw.attributes && raw.attributes.rewards_ref) || '' : (/(?:^|; )rewards_ref=([^;]*)/.exec(document.cookie) || [])[1] || '';
    if (typeof saved.ref !== 'string' && !had) return;
    let code = '';
    if (typeof saved.ref === 'string' && typeof saved.ref_at === 'number') {
      const [engine, shopper] = await Promise.all([u.engine(), u.shopper()]);
      const d = await engine.run('popup_decision', shopper, { path: u.path(), pages_viewed: 1, product_views: 0, referral: { code: saved.ref, at: saved.ref_at } });
      code = (d.referral && d.referral.code) || '';
    }
    if (code === had) return;
    if (!shopify) {
      document.cookie = 'rewards_ref=' + code + '; path=/; SameSite=Lax' + (code ? '' : '; max-age=0') + (location.protocol === 'https:' ? '; secure' : '');
      return;
    }
    const r = await ctx.fetch(at('cart/update.js'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: ctx.json({ attributes: { rewards_ref: code || null } }), // null removes it (Shopify's Ajax Cart API)
    });
    if (r.ok) raw = await r.json();
    else ctx.warn(`the shopify cart did not take the referral attribute (${r.status}).`);
  }

  /**
   * Codes on the cart, as the platform spells them: Shopify's
   * `discount_codes` (only those it applies, unless `all`) and the codes of
   * its cart-level discount applications; WooCommerce's `coupons`.
   */
  function codesOn(c, all = false) {
    const list = shopify
      ? (c.discount_codes || [])
          .filter((d) => d && (all || d.applicable !== false))
          .concat((c.cart_level_discount_applications || []).filter((d) => d && d.type === 'discount_code').map((d) => ({ code: d.key || d.title })))
      : c.coupons || [];
    const seen = new Set();
    return list.map((d) => String((d && d.code) || '')).filter((code) => code && !seen.has(code.toUpperCase()) && seen.add(code.toUpperCase()));
  }

  /** Applies a voucher code to the platform cart → 'applied' | 'refused'. */
  async function apply(code) {
    if (!raw) await (latest || first);
    const want = code.toUpperCase();
    let r;
    if (shopify) {
      // `discount` is the whole set the cart should end with: keep the others.
      const keep = (raw ? codesOn(raw, true) : []).filter((c) => c.toUpperCase() !== want);
      r = await ctx.fetch(at('cart/update.js'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: ctx.json({ discount: keep.concat([code]).join(',') }),
      });
    } else {
      const headers = { 'content-type': 'application/json', accept: 'application/json' };
      if (nonce) headers.Nonce = nonce;
      r = await ctx.fetch(at('wp-json/wc/store/v1/cart/apply-coupon'), { method: 'POST', credentials: 'same-origin', headers, body: ctx.json({ code }) });
    }
    if (!r.ok) {
      ctx.warn(`the ${platform} cart did not take the code (${r.status}).`);
      return 'refused';
    }
    await accept(r);
    return codesOn(raw).some((c) => c.toUpperCase() === want) ? 'applied' : 'refused';
  }

  async function productTags(key, url, pick) {
    if (!needsTags || !key) return null;
    if (!productInfo.has(key)) {
      productInfo.set(
        key,
        ctx
          .fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
          .then((r) => (r.ok ? r.json() : null))
          .then((j) => (j ? pick(j) : null), () => null),
      );
    }
    return productInfo.get(key);
  }

  async function fromShopify(c) {
    const currency = c.currency;
    const exp = u.exponentOf(currency);
    const minor = (cents) => shopifyCentsToMinor(cents, exp);
    const lines = await Promise.all(
      (c.items || []).map(async (it, i) => {
        const original = int(it.original_line_price ?? it.line_price);
        const final = int(it.final_line_price ?? it.line_price);
        const info = await productTags(it.handle, new URL(`products/${encodeURIComponent(it.handle)}.js`, new URL(root, location.href)).href, (p) => ({
          tags: Array.isArray(p.tags) ? p.tags : String(p.tags || '').split(/\s*,\s*/).filter(Boolean),
        }));
        return clean({
          id: String(it.key || it.id || i),
          product_id: str(it.product_id),
          variant_id: str(it.variant_id ?? it.id),
          sku: it.sku || null,
          title: it.product_title || it.title || null,
          product_type: it.product_type || null,
          tags: info ? info.tags : undefined,
          quantity: int(it.quantity),
          line_price: minor(original),
          discount: minor(original) - minor(final),
          gift_card: it.gift_card === true,
        });
      }),
    );
    const cartLevel = (c.cart_level_discount_applications || []).reduce((s, d) => s + int(d.total_allocated_amount), 0);
    return withConversion({ currency, discount: minor(cartLevel), lines }, currency === ctx.cfg.store.currency ? null : shopifyRate(currency));
  }

  async function fromWoo(c) {
    const totals = c.totals || {};
    const currency = totals.currency_code;
    const unit = int(totals.currency_minor_unit);
    const exp = u.exponentOf(currency);
    const minor = (s) => rescaleMinor(int(s), unit, exp);
    const lines = await Promise.all(
      (c.items || []).map(async (it) => {
        const t = it.totals || {};
        const sub = int(t.line_subtotal);
        const total = int(t.line_total ?? t.line_subtotal);
        const info = await productTags(
          str(it.id),
          new URL(`wp-json/wc/store/v1/products/${encodeURIComponent(it.id)}`, new URL(root, location.href)).href,
          (p) => ({ tags: slugs(p.tags), collections: slugs(p.categories) }),
        );
        return clean({
          id: String(it.key || it.id),
          product_id: str(it.id),
          sku: it.sku || null,
          title: it.name || null,
          tags: info ? info.tags : undefined,
          collections: info ? info.collections : undefined,
          quantity: int(it.quantity),
          // Store API line totals are before tax; coupons are already
          // spread over the lines (line_subtotal − line_total).
          line_price: minor(sub),
          discount: minor(sub) - minor(total),
        });
      }),
    );
    const shipping = totals.total_shipping == null ? 0 : minor(totals.total_shipping);
    return { currency, shipping, lines };
  }

  // Re-read after the page changes the cart.
  let timer = 0;
  const soon = ctx.guard(() => {
    clearTimeout(timer);
    timer = setTimeout(ctx.guard(refresh, 'reading the cart'), 120);
  });
  const pattern = shopify ? SHOPIFY_MUTATION : WOO_MUTATION;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if ((e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest') && pattern.test(e.name)) return soon();
      }
    }).observe({ type: 'resource' });
  } catch {
    /* no PerformanceObserver: theme events only */
  }
  for (const type of shopify ? SHOPIFY_EVENTS : WOO_EVENTS) {
    document.addEventListener(type, soon);
    if (!shopify) document.body && document.body.addEventListener(type, soon);
  }
  if (!shopify && window.jQuery) {
    try {
      window.jQuery(document.body).on(WOO_JQUERY_EVENTS, soon);
    } catch {
      /* not a usable jQuery */
    }
  }

  const first = refresh().catch((e) => {
    ctx.report(e, 'reading the ' + platform + ' cart');
    return null;
  });

  return {
    /** The freshest cart, waiting briefly for a read in flight. */
    now: () => Promise.race([(latest || first).catch(() => ctx.state.cart), new Promise((r) => setTimeout(() => r(ctx.state.cart), WAIT_MS))]),
    refresh,
    apply,
  };
}

/** Shopify Markets: a cart in another (presentment) currency than the shop's converts at 1 / Shopify.currency.rate. */
function shopifyRate(currency) {
  const c = window.Shopify && Shopify.currency;
  if (!c || c.active !== currency || c.rate == null) return null;
  return reciprocal(String(c.rate));
}

/**
 * 1 / rate as a decimal string with 12 fractional digits (rounding step
 * "conversion rate": floor), computed with BigInt — no floats.
 */
export function reciprocal(rate) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m) return null;
  const frac = m[2] || '';
  const mantissa = BigInt(m[1] + frac);
  if (mantissa === 0n) return null;
  const digits = 12;
  const q = (10n ** BigInt(frac.length + digits)) / mantissa;
  const s = q.toString().padStart(digits + 1, '0');
  return s.slice(0, -digits) + '.' + s.slice(-digits);
}

function withConversion(cart, rate) {
  if (rate) cart.conversion = { rate };
  return cart;
}

function usesTagsOrCollections(cfg) {
  const sel = [cfg.earning && cfg.earning.exclude, cfg.punch_card && cfg.punch_card.eligible];
  return sel.some((s) => s && ((s.tags && s.tags.length) || (s.collections && s.collections.length)));
}

function slugs(list) {
  return Array.isArray(list) ? list.map((x) => String(x.slug || x.name || '')).filter(Boolean) : [];
}

function int(v) {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (!Number.isSafeInteger(n)) throw new Error(`expected an integer amount, found ${JSON.stringify(v)}`);
  return n;
}

function str(v) {
  return v == null ? null : String(v);
}

/** Drops null/undefined fields: the core refuses nulls where it expects text. */
function clean(o) {
  for (const k of Object.keys(o)) if (o[k] == null) delete o[k];
  return o;
}

function withSlash(p) {
  return p.endsWith('/') ? p : p + '/';
}
