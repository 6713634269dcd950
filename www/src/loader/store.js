// What the widget remembers. localStorage `rewards:v1`: when the popup was
// last shown and whether this browser signed up (a stored `token` from
// earlier versions is ignored). sessionStorage `rewards:visit`: pages and product views in
// this visit (the core's segment signals). Storage can be missing or throw
// (private modes, sandboxed frames, full quota): then nothing is kept.

import { stringify } from './json.js';

const KEY = 'rewards:v1';
const VISIT = 'rewards:visit';
const MAX_PRODUCTS = 50;

function area(name) {
  try {
    // The getter throws where storage is blocked; writes are guarded below.
    return window[name] || null;
  } catch {
    return null;
  }
}

function read(s, key) {
  try {
    const v = s && JSON.parse(s.getItem(key) || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function write(s, key, value) {
  try {
    if (s) s.setItem(key, stringify(value));
  } catch {
    /* quota or blocked: forget */
  }
}

/**
 * Storage is opened on first use, not at load: the first localStorage
 * access in a page is a synchronous trip to the browser process.
 * `visit()` counts the current page view once, when first asked.
 */
export function makeStore() {
  let local;
  let session;
  let counted = false;
  const L = () => (local === undefined ? (local = area('localStorage')) : local);
  const S = () => (session === undefined ? (session = area('sessionStorage')) : session);
  return {
    /** { last_shown?: ms, signed_up?: bool } */
    get: () => read(L(), KEY),
    patch(fields) {
      const v = Object.assign(read(L(), KEY), fields);
      write(L(), KEY, v);
      return v;
    },
    /** { pages: n, products: [id…] } for this visit, this page included. */
    visit() {
      const raw = read(S(), VISIT);
      const v = { pages: Number.isSafeInteger(raw.pages) ? raw.pages : 0, products: Array.isArray(raw.products) ? raw.products : [] };
      if (!counted) {
        counted = true;
        v.pages += 1;
        write(S(), VISIT, v);
      }
      return v;
    },
    /** A new page (SPA route change): counted on the next visit(). */
    pageView() {
      counted = false;
    },
    productView(id) {
      const v = this.visit();
      id = String(id);
      if (id && !v.products.includes(id)) {
        v.products.push(id);
        v.products = v.products.slice(-MAX_PRODUCTS);
        write(S(), VISIT, v);
      }
      return v;
    },
  };
}
