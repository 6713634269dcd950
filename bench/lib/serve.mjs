// The benchmark's static server: www/ (demo store, built widget) plus the
// bench's own pages, with compression like a real host (brotli or gzip when
// the browser accepts it; the widget's precompressed .br/.gz siblings from
// scripts/build-widget.mjs, everything else compressed once and cached) and
// the reference server's cache policy (/assets/ immutable, /rewards.js short).
//
// Query flags on any .html page (the page's own query string still reaches
// its scripts; the flags are read here, not by the page):
//   widget=off     the widget's <script src="/rewards.js"> tag is removed
//   widget=popup   the tag gets data-launcher="off": the loader alone, arming
//                  the exit-intent popup (the "popup-only" install)
//   peer=ouibounce npm ouibounce (build/ouibounce.min.js) with the modal
//                  markup and CSS from its own test page, installed as its
//                  README says (script + ouibounce(el) at the end of <body>)
//   config=inline  the tag's data-config="/demo/programs/…json" becomes data-config-json with
//                  that program published inline (a store that renders it into the page:
//                  no config request before the launcher)
//   cart=demo      seeds the demo store's cart in localStorage before any
//                  script runs, so the cart page has lines (both variants)
//   isolate=1      cross-origin isolation headers (COOP + COEP), so
//                  performance.now() is clamped to 5 µs instead of 100 µs
// The page body is otherwise byte-identical between variants.
//
//   import { startBenchServer } from './serve.mjs'; const s = await startBenchServer();
//   s.url → http://127.0.0.1:PORT ; await s.close()
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { TYPES, publish } from '../../www/tests/serve.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const www = join(repo, 'www');
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

/** The demo cart the cart page is measured with (handles from www/demo/shared/catalogs.js). */
export const DEMO_CART = {
  lines: [
    { handle: 'ca-phe-sua-da', variant: 'l', qty: 2 },
    { handle: 'ca-phe-hat-robusta', variant: '500', qty: 1 },
  ],
  insurance: false,
};

const WIDGET_TAG = /<!--[^>]*rewards widget[^>]*-->\s*|<script\s+src="\/rewards\.js"[^>]*><\/script>\s*/gi;
const OUIBOUNCE_MODAL = `<div id="ouibounce-modal"><div class="underlay"></div><div class="modal">
<div class="modal-title"><h3>Nhận 50 điểm khi đăng ký</h3></div>
<div class="modal-body"><p>Tham gia chương trình thành viên miễn phí.</p>
<form><input type="email" placeholder="ban@email.com"><input type="submit" value="Đăng ký"></form></div>
<div class="modal-footer"><p>Không, cảm ơn</p></div></div></div>
<script src="/peer/ouibounce.min.js"></script>
<script>ouibounce(document.getElementById('ouibounce-modal'));</script>
`;

/** The script tag's attribute holding a published program inline: data-config-json="…". */
export function inlineConfigAttr(text) {
  return 'data-config-json="' + text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;') + '"';
}

/** Rewrites one HTML page for the variant its query flags ask for. */
export function rewritePage(html, flags) {
  let out = html;
  const widget = flags.get('widget');
  if (widget === 'off') out = out.replace(WIDGET_TAG, '');
  else if (widget === 'popup') out = out.replace(/<script\s+src="\/rewards\.js"/i, '<script src="/rewards.js" data-launcher="off"');
  if (flags.get('config') === 'inline') {
    out = out.replace(/data-config="(\/demo\/programs\/[\w-]+\.json)"/, (_, path) => {
      const text = publish(readFileSync(join(www, path), 'utf8'));
      return inlineConfigAttr(text);
    });
  }
  if (flags.get('cart') === 'demo') {
    const seed = `<script>localStorage.setItem('demo:cart:vn', ${JSON.stringify(JSON.stringify(DEMO_CART))});</script>`;
    out = out.replace(/<head>/i, '<head>\n' + seed);
  }
  if (flags.get('peer') === 'ouibounce') {
    out = out.replace(/<\/head>/i, '<link rel="stylesheet" href="/peer/ouibounce.min.css">\n</head>');
    out = out.replace(/<\/body>/i, OUIBOUNCE_MODAL + '</body>');
  }
  return out;
}

function fileFor(pathname) {
  if (pathname === '/rewards.js') return join(www, 'dist/rewards.js');
  if (pathname.startsWith('/assets/')) return join(www, 'dist', pathname);
  if (pathname.startsWith('/bench/')) return join(repo, pathname);
  if (pathname.startsWith('/programs/')) return join(repo, 'tests/fixtures', pathname);
  if (pathname === '/peer/ouibounce.min.js') return join(repo, 'node_modules/ouibounce/build/ouibounce.min.js');
  if (pathname === '/peer/ouibounce.min.css') return join(repo, 'node_modules/ouibounce/test/ouibounce.min.css');
  return join(www, pathname);
}

function cacheControl(pathname) {
  if (pathname.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  if (pathname === '/rewards.js') return 'public, max-age=300';
  return 'no-cache';
}

export async function startBenchServer({ port = 0 } = {}) {
  const compressed = new Map(); // path + encoding + mtime → bytes
  const requests = [];

  async function body(file, info, encoding, transform, variant) {
    const key = `${file}|${encoding}|${info.mtimeMs}|${transform ? variant : ''}`;
    if (compressed.has(key)) return compressed.get(key);
    let buf = await readFile(file);
    if (transform) buf = Buffer.from(transform(buf.toString('utf8')));
    // The widget build's precompressed siblings are what production sends.
    const sibling = encoding && !transform && (await readFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`).catch(() => null));
    if (sibling) buf = sibling;
    else if (encoding === 'br') buf = brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    else if (encoding === 'gzip') buf = gzipSync(buf, { level: 9 });
    compressed.set(key, buf);
    return buf;
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      requests.push(url.pathname + url.search);
      if (url.pathname === '/' || url.pathname === '/demo') {
        res.writeHead(302, { location: '/demo/' });
        return res.end();
      }
      let file = normalize(fileFor(decodeURIComponent(url.pathname)));
      if (!file.startsWith(repo)) return res.writeHead(403).end();
      let info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      const ext = extname(file);
      const accept = String(req.headers['accept-encoding'] || '');
      const encoding = !COMPRESSIBLE.has(ext) ? null : /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
      const flags = url.searchParams;
      // The demo's program files answer published, as on a store (/programs/ stays the merchant's config, for the JS baseline).
      const program = /^\/demo\/programs\/[\w-]+\.json$/.test(url.pathname);
      const transform = program ? publish : ext === '.html' && [...flags.keys()].some((k) => ['widget', 'peer', 'cart', 'config'].includes(k)) ? (t) => rewritePage(t, flags) : null;
      const bytes = await body(file, info, encoding, transform, url.search);
      const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': cacheControl(url.pathname), vary: 'accept-encoding' };
      if (encoding) headers['content-encoding'] = encoding;
      if (ext === '.html' && flags.get('isolate') === '1') {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : bytes);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e && e.stack));
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await startBenchServer({ port: Number(process.argv[2]) || 8788 });
  console.log(`bench server at ${s.url}/demo/vi/  (flags: ?widget=off|popup, ?peer=ouibounce, ?cart=demo)`);
}
