// <rewards-checkout-prompt> and <rewards-product-points>: light shells
// defined by the loader so they reserve their space at once (zero layout
// shift); the UI chunk renders into them when the numbers are ready.

// Reserved space: identical before the element is defined (the snippet in
// docs/embed.md) and after, so rendering never moves the page.
export const RESERVE_CSS =
  ':host{display:block!important;box-sizing:border-box!important;min-width:0!important;max-width:100%;contain:layout style}' +
  ':host([hidden]){display:none!important}' +
  ':host(rewards-product-points){min-height:var(--rewards-points-height,24px)!important}' +
  ':host(rewards-checkout-prompt){min-height:var(--rewards-prompt-height,220px)!important}';

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
