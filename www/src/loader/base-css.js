// The only CSS the loader parses at load: the launcher's. It goes into every
// shadow root before widget.css (the other tokens, the inline elements' and
// the surfaces' styles), which is fetched and parsed only when the UI chunk
// loads — so a page that shows just the launcher never parses the rest. The
// inline elements' reserve (RESERVE_CSS in elements.js) is a sheet of its
// own, made when the first element connects. Hand-minified; the readable form:
//
//   :host   --rw-brand, --rw-on-brand, --rw-font from --rewards-* (theming by custom properties)
//   :host(rewards-widget)   the overlay host: a zero-size fixed box out of the page's layout
//   .rw-launch              the launcher's wrapper (a popover once the loader chunk starts), fixed in a corner
//   .rw-launcher            the pill button; 44 px high below 520 px (its hover lift is in
//                           widget.css, which hovering it loads)
//   .rw-gift                its icon
// (.rw-icon, the UI's SVG icons, is in widget.css: nothing draws one before it loads.)
//
// Sizes are px, not rem: host pages often rescale the root font.

// The tokens the launcher uses; widget.css defines the rest.
const TOKENS =
  ':host{--rw-brand:var(--rewards-brand,#1d5c4a);--rw-on-brand:var(--rewards-brand-text,#fff);' +
  // system-ui is the platform's UI font (San Francisco, Segoe UI, Roboto…) in every supported browser.
  '--rw-font:var(--rewards-font,system-ui,sans-serif)}';

const OVERLAY =
  // all:initial!important also undoes the page's transform, filter, contain (an
  // !important :host rule wins over the page's, even its !important ones).
  ':host(rewards-widget){all:initial!important;position:fixed!important;inset:0 auto auto 0!important;width:0!important;height:0!important;' +
  // Above the page until the launcher moves into the top layer (rest.js).
  'display:block!important;z-index:2147483647!important}';

// (The brand-coloured :focus-visible ring is in widget.css: focusing the
// launcher loads it; until then the browser's own ring shows.)
const BASICS = '*{box-sizing:border-box}';

const LAUNCHER =
  // --rw-gap: the distance from the corner's edges (12 px below 520 px).
  '.rw-launch{--rw-gap:20px;position:fixed;z-index:2147483000;inset:auto var(--rw-gap) var(--rw-gap) auto;margin:0;padding:0;border:0;background:transparent;overflow:visible;color:inherit}' +
  '.rw-launch[class*=left]{left:var(--rw-gap);right:auto}.rw-launch[class*=top]{top:var(--rw-gap);bottom:auto}' +
  '.rw-launcher{cursor:pointer;border:0;margin:0;-webkit-tap-highlight-color:transparent;display:inline-flex;align-items:center;gap:8px;' +
  'min-height:48px;padding:12px 20px 12px 16px;border-radius:999px;background:var(--rw-brand);color:var(--rw-on-brand);' +
  'font:600 15px/1.2 var(--rw-font);box-shadow:0 6px 20px #14100c38,0 1px 3px #14100c33}' +
  // The gift icon, drawn in CSS (lid, box, ribbon, bow loops): the first SVG
  // element a page creates is slower than the rest of the launcher.
  '.rw-gift{position:relative;width:20px;height:20px;flex:none;' +
  'background:radial-gradient(circle at 7.6px 4.6px,#0000 1.1px,currentColor 1.2px 2.6px,#0000 2.7px),' +
  'radial-gradient(circle at 12.4px 4.6px,#0000 1.1px,currentColor 1.2px 2.6px,#0000 2.7px)}' +
  '.rw-gift::before,.rw-gift::after{content:"";position:absolute;box-sizing:border-box;border:1.5px solid;' +
  'background:linear-gradient(currentColor,currentColor) 50%/1.5px 100% no-repeat}' +
  '.rw-gift::before{left:2.5px;width:15px;top:5.8px;height:4px;border-radius:1px}' +
  '.rw-gift::after{left:3.3px;width:13.4px;top:9.3px;height:7.8px;border-top:0;border-radius:0 0 1px 1px}' +
  '@media (max-width:520px){.rw-launch{--rw-gap:12px}.rw-launcher{min-height:44px;padding:10px 16px 10px 12px}}';

export const BASE_CSS = TOKENS + OVERLAY + BASICS + LAUNCHER;
