// DOM helpers. The loader uses only makeSheet/adopt (its launcher is built
// with plain DOM calls); h, icon and ICONS are bundled into the UI chunk,
// which puts them on ctx for its modules.
// Shopper-visible text only ever goes in through text nodes: `h()` turns
// every string child into a Text node and never touches innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * h('button', { class: 'x', type: 'button', on: { click } }, 'text', child)
 * Props: `class`, `text`, `on` (event → handler), `style` (custom
 * properties via setProperty, CSP-safe), anything else an attribute
 * (`true` → empty attribute, `false`/`null`/`undefined` → omitted).
 */
// Every handler h() attaches runs through this (the UI chunk sets it to the loader's
// failure guard), so an event handler can never throw into the page.
let wrapHandler = (fn) => fn;
export function setHandlerWrapper(wrap) {
  wrapHandler = wrap;
}

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

function apply(el, props) {
  if (!props) return;
  for (const key of Object.keys(props)) {
    const v = props[key];
    if (v == null || v === false) continue;
    if (key === 'on') for (const type of Object.keys(v)) el.addEventListener(type, wrapHandler(v[type]));
    else if (key === 'text') el.textContent = String(v);
    else if (key === 'style') for (const p of Object.keys(v)) el.style.setProperty(p, v[p]);
    else el.setAttribute(key, v === true ? '' : String(v));
  }
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An inline SVG icon from path data (24×24 box), hidden from assistive tech. */
export function icon(d, cls) {
  const s = document.createElementNS(SVG_NS, 'svg');
  s.setAttribute('viewBox', '0 0 24 24');
  s.setAttribute('aria-hidden', 'true');
  s.setAttribute('focusable', 'false');
  s.setAttribute('class', 'rw-icon' + (cls ? ' ' + cls : ''));
  for (const part of [].concat(d)) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', part);
    s.append(p);
  }
  return s;
}

// Icon paths (stroke icons drawn with currentColor). One path per icon:
// subpaths in one `d` draw the same strokes with fewer elements to create.
export const ICONS = {
  gift: 'M4 11h16v9H4zM3 7h18v4H3zM12 7v13M12 7c-1.5-3-5-3.5-5-1.2C7 7 9 7 12 7zM12 7c1.5-3 5-3.5 5-1.2C17 7 15 7 12 7z',
  close: 'M6 6l12 12M18 6L6 18',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  star: 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z',
  cup: 'M5 8h11v6a5 5 0 01-5 5h-1a5 5 0 01-5-5zM16 10h1.5a2.5 2.5 0 010 5H16M8 3.5v2M11 3.5v2',
  chevron: 'M7 10l5 5 5-5',
};

/**
 * Styles for shadow roots: constructable sheets where supported (not
 * subject to the page's style-src CSP, shared by every root), a <style>
 * element otherwise.
 */
export function makeSheet(text) {
  try {
    const s = new CSSStyleSheet();
    s.replaceSync(text);
    return s;
  } catch {
    return text;
  }
}

export function adopt(root, sheets) {
  const objs = sheets.filter((s) => typeof s !== 'string');
  if (objs.length && 'adoptedStyleSheets' in root) root.adoptedStyleSheets = objs;
  for (const s of sheets) {
    if (typeof s === 'string' && !root.querySelector('style[data-rw="' + s.length + '"]')) {
      const style = document.createElement('style');
      style.setAttribute('data-rw', s.length);
      style.textContent = s;
      root.append(style);
    }
  }
}
