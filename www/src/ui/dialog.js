// A WAI-ARIA modal dialog on the native <dialog> (top layer: no host
// z-index can cover it; the page behind is inert). Focus moves in, Tab
// and Shift+Tab stay inside, Escape and the close button close it, focus
// returns to where it was. Never closes by itself.

import css from '../surfaces.css';

const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]):not([type=hidden]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

export function deepActiveElement() {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/**
 * openDialog(u, { cls, labelledBy, describedBy, content, onClose(reason) })
 * → { dialog, close(reason) }. `content` is the card's child nodes.
 */
let styled = false;

export function openDialog(u, opts) {
  const { h, icon, ICONS } = u.ctx;
  if (!styled) u.ctx.addSheet(css);
  styled = true;
  const returnTo = deepActiveElement();
  let reason = 'close';
  let closed = false;
  const closeButton = h('button', { type: 'button', class: 'rw-close', 'aria-label': u.i.t('close'), on: { click: () => close('close_button') } }, icon(ICONS.close));
  const card = h('div', { class: 'rw-card' }, closeButton, opts.content);
  const dialog = h(
    'dialog',
    {
      class: 'rw-dialog ' + (opts.cls || ''),
      'aria-modal': 'true',
      'aria-labelledby': opts.labelledBy,
      'aria-describedby': opts.describedBy,
      on: {
        cancel: () => {
          reason = 'escape';
        },
        close: u.ctx.guard(() => finish()),
        keydown: (e) => trap(e, dialog),
        click: (e) => {
          // A click on the backdrop lands on the <dialog> itself, outside the card.
          if (e.target === dialog && outside(e, card)) close('backdrop');
        },
      },
    },
    card,
  );
  u.ctx.overlayRoot().append(dialog);
  dialog.showModal();

  function close(why) {
    if (closed) return;
    reason = why || reason;
    if (dialog.open) dialog.close();
    else finish();
  }
  function finish() {
    if (closed) return;
    closed = true;
    dialog.remove();
    if (returnTo && returnTo.isConnected && typeof returnTo.focus === 'function') returnTo.focus();
    opts.onClose && opts.onClose(reason);
  }
  // Open until close() starts: a dialog on its way out no longer counts.
  return { dialog, card, close, isOpen: () => !closed && dialog.open };
}

export function focusFirst(container) {
  const el = container.querySelector('[data-autofocus]') || container.querySelector(FOCUSABLE);
  if (el) el.focus();
}

function trap(e, dialog) {
  if (e.key !== 'Tab') return;
  const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = dialog.getRootNode().activeElement;
  if (e.shiftKey && (active === first || !dialog.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
    e.preventDefault();
    first.focus();
  }
}

function outside(e, el) {
  const r = el.getBoundingClientRect();
  return e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom;
}

/** The store's sign-in page as the primary action (`store.sign_in_url`), or nothing. */
export function signInLink(u) {
  const url = u.ctx.cfg.store.sign_in_url;
  return url ? u.ctx.h('a', { class: 'rw-primary', href: url, 'data-rw': 'sign-in', text: u.i.t('sign_in') }) : null;
}
