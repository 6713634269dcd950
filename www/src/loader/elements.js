// <rewards-checkout-prompt> and <rewards-product-points>: light shells the
// loader defines once it has read the program, each reserving the space
// the program shows there; the UI chunk renders into them when the numbers
// are ready.

// Reserved space, before the element is defined (the snippet in
// docs/embed.md) and after. --rw-h is what this program shows there at
// this width (reserve() below), so rendering moves the page little.
export const RESERVE_CSS =
  ':host{display:block!important;box-sizing:border-box!important;min-width:0!important;max-width:100%;contain:layout style}' +
  ':host([hidden]){display:none!important}' +
  ':host(rewards-product-points){min-height:var(--rewards-points-height,var(--rw-h,24px))!important}' +
  ':host(rewards-checkout-prompt){min-height:var(--rewards-prompt-height,var(--rw-h,220px))!important}';

export const ELEMENTS = ['rewards-checkout-prompt', 'rewards-product-points'];

const PRODUCT_ATTRS = ['product-id', 'variant-id', 'sku', 'price', 'shopify-price', 'quantity', 'tags', 'product-type', 'collections', 'gift-card', 'title'];

/** Defines both elements unless the page already owns a name (then that one is left alone). */
export function defineElements(ctx) {
  for (const name of ELEMENTS) {
    let taken;
    try {
      taken = customElements.get(name);
    } catch {
      taken = true;
    }
    if (taken) {
      ctx.warn(`<${name}> is already defined by this page; the rewards widget leaves it alone.`);
      continue;
    }
    const observed = name === 'rewards-product-points' ? PRODUCT_ATTRS : ['redeem'];
    class RewardsElement extends HTMLElement {
      static get observedAttributes() {
        return observed;
      }
      connectedCallback() {
        ctx.guard(() => {
          if (!this.shadowRoot) {
            const root = this.attachShadow({ mode: 'open' });
            ctx.adopt(root, [ctx.reserveSheet()]);
            ctx.theme(this);
          }
          // Read and set while the page is defining its elements, before they are painted.
          if (ctx.cfg) this.style.setProperty('--rw-h', reserve(ctx, this) + 'px');
          ctx.elements.add(this);
          ctx.mountElement(this);
        })();
      }
      disconnectedCallback() {
        ctx.guard(() => {
          ctx.elements.delete(this);
          if (this.rewardsOff) this.rewardsOff();
          this.rewardsOff = null;
        })();
      }
      attributeChangedCallback() {
        ctx.guard(() => {
          if (this.isConnected && this.shadowRoot) ctx.mountElement(this);
        })();
      }
    }
    try {
      customElements.define(name, RewardsElement);
    } catch (e) {
      ctx.warn(`could not define <${name}> (${(e && e.message) || e}); it stays empty.`);
    }
  }
}

/**
 * The height (px) the element's content will take: the rows the published
 * program shows there (widget.css: the prompt's rows; 20 px lines of
 * product points) and how often their words wrap at its width. The words'
 * widths are the built-in strings' in each language ([en, vi], a number of
 * two or three digits included) as Chromium's default sans-serif (DejaVu
 * Sans) sets them: wider than phones' system fonts, so a miss leaves blank
 * space rather than moving the page. Vietnamese is not simply shorter:
 * "Sản phẩm này không được tích điểm" is wider than its English.
 */
function reserve(ctx, el) {
  const cfg = ctx.cfg;
  const w = el.offsetWidth;
  const px = (en, vi) => (/^vi/.test(ctx.locale) ? vi : en);
  const plan = (name) => (name && typeof name == 'object' ? px(name.en, name.vi) || Object.values(name)[0] : name) || '';
  /** Lines that words `n` px wide take in the width less `pad`: one when they fit, else about 20 px of each line lost where a word does not fit. */
  const lines = (n, pad) => (n > w - pad ? Math.ceil(n / Math.max(w - pad - 20, 40)) : 1);
  const a = (name) => el.getAttribute(name) || '';
  const card = cfg.punch_card;
  if (el.localName == ELEMENTS[1]) {
    const values = PRODUCT_ATTRS.map(a).join().split(/\s*,\s*/);
    const match = (sel) => Object.values(sel).some((list) => list.some((v) => values.includes(v)));
    const price = (+a('price') || (a('shopify-price') * 10 ** cfg.store.exponent) / 100) * (+a('quantity') || 1);
    // "This product doesn't earn points" (no icon); or, beside the 24 px icon, "Earn 12 points",
    // "· on orders from 50.000 ₫" (when the product alone is below the minimum order), "· +1 stamp".
    return (
      4 +
      20 *
        (el.hasAttribute('gift-card') || match(cfg.earning.exclude)
          ? lines(px(243, 275), 0)
          : lines(px(124, 109) + (price < cfg.earning.minimum_order) * px(182, 166) + (card && match(card.eligible)) * px(88, 69), 24))
    );
  }
  const known = ctx.state.shopper || ctx.state.token;
  const n = card ? card.stamps_required : 0;
  return (
    // Border and padding; what the order earns (22 px lines beside the icon) and its details (18 px:
    // a guest's first-order bonus, cashback); then, after an 8 px gap each, tier progress (two lines
    // and its bar), stamps (the circles beside the words, or below them when narrow), and a member's
    // "Redeem points" or a guest's "Join".
    32 +
    22 * lines(px(270, 220), 64) +
    18 * lines((!known && cfg.actions.some((x) => x.kind == 'first_order')) * px(215, 184) + !!cfg.cashback * px(267, 213), 64) +
    (cfg.tiers ? 59 : 0) +
    (n ? (n <= 12 && w < 124 + 15 * n ? 44 : 28) : 0) +
    // Issue 12: the membership what-if, a full-width row of 18 px lines ("With {plan} this order earns
    // 520 points instead of 260 — first 30 days free Join now": its words with three-digit numbers,
    // 505 px in English, plus ~7.5 px per character of the plan's name; the Vietnamese, 539 px, is
    // counted as 490: its short words lose less at each wrap), unless the page's shopper holds the
    // plan (active or trial).
    (cfg.membership && !/^[at]/.test(((ctx.state.shopper || {}).membership || {}).status)
      ? 8 + 18 * lines(px(505, 490) + 7.5 * String(plan(cfg.membership.name)).length, 32)
      : 0) +
    ((known ? cfg.redemptions.length : ctx.signupUrl && !ctx.store.get().signed_up) ? 44 : 0)
  );
}
