#!/usr/bin/env node
// Builds the storefront widget into www/dist/:
//   rewards.js                      the boot script: queue, config, launcher (stable name, short cache)
//   assets/loader-<hash>.js         the loader chunk (ES module): API, events, elements, storage
//   assets/triggers-<hash>.js       the popup triggers (ES module), when the popup can show
//   assets/ui-<hash>.js             the UI chunk (ES module, wasm glue inside)
//   assets/widget-<hash>.css        the stylesheet
//   assets/engine-cart-<hash>.wasm  the cart-page engine (from www/dist/pkg-cart, see build-wasm.sh)
//   assets/engine-<hash>.wasm       the full engine (www/dist/pkg): explainer, popup, actions too
//   manifest.json                   logical name → file
// Hashed files are immutable: rewards.js knows the loader chunk's name, the
// loader chunk the others', at build time.
//
// Usage: node scripts/build-widget.mjs [--with-wasm] [--check]
//   --with-wasm  run scripts/build-wasm.sh first (otherwise www/dist/pkg must exist)
//   --check      exit 1 when an artifact is over its budget or ceiling (issue 5;
//                the test command runs with it)

import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const www = join(root, 'www');
const dist = join(www, 'dist');
const assetsDir = join(dist, 'assets');
const pkg = join(dist, 'pkg');
const pkgCart = join(dist, 'pkg-cart');
const args = new Set(process.argv.slice(2));

// Budgets, gzip bytes: the loader alone, rewards.js (issue 10: ≤ 3 KB; it was
// 10 KB in issue 5); every JS file (Shopify flags an app's JS file over
// 10,000 compressed bytes); all a cart page downloads for the widget before
// its first numbers (CART_PAGE below; the platform chunk and the popup
// triggers load after, when idle).
const BUDGET = { loader: 3 * 1024, jsFile: 10000, cartPage: 25 * 1024 };
// The cart page is over its budget because of the wasm (docs/wasm-size.md
// says by how much and what would close it). Until it is met, this ceiling
// keeps it from growing: lower it with every saving; raised only with the
// bytes said: 59300 → 59380 (issue 12, +88 B gzip: ?ref= kept from any page
// in the loader chunk, the cart-page wasm reading the referral and birthday
// sections of the program); 59380 → 60220 (issue 12 part 3, +840 B gzip over
// that ceiling, +900 B over the 59311 B built before it: the membership
// what-if in the cart-page wasm's quote, a second preview with the plan
// applied, +588 B; the prompt's line "With … this order earns N instead of
// M — first 30 days free · Join now" and its strings in both languages in
// the UI chunk, +253 B; the loader's reserve for that line, +41 B; its CSS,
// +18 B); 60220 → 49500 (2026-12-03: the cart-page wasm without core's
// panic formatting, its answers written straight to text, its exports by
// hand without wasm-bindgen; 49,227 B built, docs/wasm-size.md); 49500 →
// 51250 (2026-12-03, night: the sum now follows the build's import graph and what
// Chromium requests, and so counts two files it had left out: the chunk of
// field tables the UI and the encoder share, 848 B, and the clearance, 1,113
// B; 51,349 B measured by `scripts/bench.sh sizes` before this, 51,201 B after
// the target-features section left the wasm); 51250 → 51300 (+83 B gzip: the
// input encoder builds one writer per field table once instead of
// interpreting the rows on every call, 2× faster on a 20-line cart,
// `scripts/bench.sh preview` reports the encoder alone); 51300 → 51450
// (+165 B gzip: the cart's texts are borrowed from the input bytes instead
// of copied into Strings, 288 K → 222 K instructions per 20-line preview
// natively, callgrind; docs/benchmarks.md).
const CEILING = { cartPage: 51450 };
const TARGET = ['es2020', 'chrome90', 'firefox90', 'safari15'];
const CSS_TARGET = ['chrome111', 'safari16.2', 'firefox113'];

if (args.has('--with-wasm')) execFileSync('bash', [join(root, 'scripts/build-wasm.sh')], { stdio: 'inherit', cwd: root });
for (const f of ['pkg/rewards_wasm.js', 'pkg/rewards_wasm_bg.wasm', 'pkg-cart/rewards_wasm.js', 'pkg-cart/rewards_wasm_bg.wasm']) {
  if (!existsSync(join(dist, f))) {
    console.error(`missing www/dist/${f}: run "bash scripts/build-wasm.sh" first (or pass --with-wasm)`);
    process.exit(1);
  }
}

const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 10);
mkdirSync(assetsDir, { recursive: true });
const manifest = {};
const emit = (logical, base, ext, buf) => {
  const file = `assets/${base}-${hash(buf)}.${ext}`;
  writeFileSync(join(dist, file), buf);
  manifest[logical] = file;
  return file;
};

// 1. the engines: the cart-page module first, the full one on first use
emit('engine-cart.wasm', 'engine-cart', 'wasm', readFileSync(join(pkgCart, 'rewards_wasm_bg.wasm')));
emit('engine.wasm', 'engine', 'wasm', readFileSync(join(pkg, 'rewards_wasm_bg.wasm')));

// 2. the stylesheet
const css = await transform(readFileSync(join(www, 'src/widget.css'), 'utf8'), { loader: 'css', minify: true, target: CSS_TARGET });
emit('widget.css', 'widget', 'css', Buffer.from(css.code));

// 3. the UI chunk (bundles the wasm-bindgen glue); the popup and the
//    explainer panel split off into chunks fetched on first use, each with
//    its CSS inlined as a minified string (surfaces.css)
const cssAsText = {
  name: 'css-as-text',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const out = await transform(readFileSync(args.path, 'utf8'), { loader: 'css', minify: true, target: CSS_TARGET });
      return { contents: 'export default ' + JSON.stringify(out.code.trim()), loader: 'js' };
    });
  },
};
// The two glue files are the same text: each is imported under its own
// (commented) text, so each gets its own module instance and wasm.
const glue = (dir) => import('data:text/javascript;base64,' + Buffer.from(readFileSync(join(dir, 'rewards_wasm.js'), 'utf8') + '\n// ' + dir).toString('base64'));
// The cart-page module's operations, from the module itself (rewards_core::Op::on_cart_page).
const cartGlue = await glue(pkgCart);
cartGlue.initSync({ module: readFileSync(join(pkgCart, 'rewards_wasm_bg.wasm')) });
const cartOps = cartGlue.ops().split(',');
// The inputs' field tables, from the full module (rewards_core::input::table): the JS encoder interprets them.
const fullGlue = await glue(pkg);
fullGlue.initSync({ module: readFileSync(join(pkg, 'rewards_wasm_bg.wasm')) });
const inputTables = fullGlue.inputs();
const ui = await build({
  plugins: [cssAsText],
  define: { __REWARDS_CART_OPS__: JSON.stringify(cartOps), __REWARDS_INPUTS__: inputTables },
  entryPoints: { ui: join(www, 'src/ui/index.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: TARGET,
  write: false,
  outdir: assetsDir,
  entryNames: '[name]-[hash]',
  chunkNames: 'ui-[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const entryOf = new Map(Object.entries(ui.metafile.outputs).map(([path, meta]) => [basename(path), meta.entryPoint || '']));
// Which UI files each one imports statically (the browser fetches those with it).
const staticImports = new Map(
  Object.entries(ui.metafile.outputs).map(([path, meta]) => [basename(path), meta.imports.filter((i) => i.kind === 'import-statement').map((i) => basename(i.path))]),
);
for (const out of ui.outputFiles) {
  const name = basename(out.path);
  writeFileSync(join(assetsDir, name), out.contents);
  const entry = entryOf.get(name);
  // ui.js is the entry; popup and panel are lazy chunks; shared code is in
  // unnamed "chunk" files, listed under their own names.
  const logical = entry.endsWith('src/ui/index.js') ? 'ui.js' : entry ? name.replace(/-[A-Z0-9]+\.js$/, '.js') : name;
  manifest[logical] = 'assets/' + name;
}

// 4. the loader chunk (API, events, element definitions, storage; the boot
//    script imports it when idle) and its popup-trigger chunk (imported
//    when the popup can show)
const jsModule = async (entry) => {
  const r = await build({ entryPoints: [entry], bundle: true, format: 'esm', minify: true, target: TARGET, write: false, legalComments: 'none', logLevel: 'warning' });
  return Buffer.from(r.outputFiles[0].contents);
};
emit('triggers.js', 'triggers', 'js', await jsModule(join(www, 'src/loader/triggers.js')));
emit('clearance.js', 'clearance', 'js', await jsModule(join(www, 'src/loader/clearance.js')));
const rest = await build({
  entryPoints: [join(www, 'src/loader/rest.js')],
  bundle: true,
  format: 'esm',
  minify: true,
  target: TARGET,
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __REWARDS_ASSETS__: JSON.stringify({ ui: manifest['ui.js'], css: manifest['widget.css'], wasm: manifest['engine-cart.wasm'], wasmFull: manifest['engine.wasm'], triggers: manifest['triggers.js'], clearance: manifest['clearance.js'] }) },
});
emit('loader.js', 'loader', 'js', Buffer.from(rest.outputFiles[0].contents));

// 5. the boot script (rewards.js), which knows the loader chunk's hashed name
//    (the chunk knows the others')
const version = (/^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'crates/wasm/Cargo.toml'), 'utf8')) || [])[1] || '0.0.0';
const loader = await build({
  entryPoints: [join(www, 'src/loader/main.js')],
  bundle: true,
  format: 'iife',
  minify: true,
  target: TARGET,
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __REWARDS_VERSION__: JSON.stringify(version),
    __REWARDS_LOADER__: JSON.stringify(manifest['loader.js']),
  },
});
const loaderBuf = Buffer.from(loader.outputFiles[0].contents);
writeFileSync(join(dist, 'rewards.js'), loaderBuf);
manifest['rewards.js'] = 'rewards.js';
writeFileSync(join(dist, 'manifest.json'), JSON.stringify({ version, files: manifest }, null, 2) + '\n');

// Old hashed files would only pile up.
const keep = new Set(Object.values(manifest).map((f) => f.replace('assets/', '')));
for (const f of readdirSync(assetsDir)) if (!keep.has(f.replace(/\.(gz|br)$/, ''))) rmSync(join(assetsDir, f));

// Sizes, and the precompressed siblings the server sends to browsers that
// accept them (file.gz, file.br: tower-http's precompressed ServeDir).
const size = (file) => {
  const buf = readFileSync(join(dist, file));
  const gz = gzipSync(buf, { level: 9 });
  const br = brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(join(dist, file + '.gz'), gz);
  writeFileSync(join(dist, file + '.br'), br);
  return { file, raw: buf.length, gzip: gz.length, brotli: br.length };
};
const rows = {
  loader: size('rewards.js'),
  'loader-chunk': size(manifest['loader.js']),
  triggers: size(manifest['triggers.js']),
  clearance: size(manifest['clearance.js']),
  ui: size(manifest['ui.js']),
  css: size(manifest['widget.css']),
  wasm: size(manifest['engine-cart.wasm']),
  'wasm-full': size(manifest['engine.wasm']),
};
for (const k of Object.keys(manifest).filter((k) => k.startsWith('ui-'))) rows[k.replace(/\.js$/, '')] = size(manifest[k]);
const pad = (v, n) => String(v).padStart(n);
console.log(`\nwidget build ${version} → www/dist (manifest.json)`);
console.log(`${'artifact'.padEnd(44)} ${pad('raw', 8)} ${pad('gzip', 8)} ${pad('brotli', 8)}`);
for (const [name, r] of Object.entries(rows)) console.log(`${(name + '  ' + r.file).padEnd(44)} ${pad(r.raw, 8)} ${pad(r.gzip, 8)} ${pad(r.brotli, 8)}`);
const sum = (keys, k) => keys.reduce((t, key) => t + rows[key][k], 0);
// What a product or cart page downloads before its first numbers (what
// Chromium requests there: `scripts/bench.sh sizes` lists it): the boot
// script, the loader chunk, the clearance (the launcher steps aside from
// the page's controls at first paint), the CSS, the UI chunk and the input
// encoder's chunk (loaded with the first engine) with every chunk they
// import, and the cart-page wasm. Computed from the build's import graph,
// so a shared chunk esbuild splits out is never left out of the sum.
const rowOf = (name) => Object.keys(rows).find((k) => rows[k].file === 'assets/' + name);
const withImports = (names, seen = new Set()) => {
  for (const n of names) if (!seen.has(n)) seen.add(n), withImports(staticImports.get(n) || [], seen);
  return seen;
};
const CART_PAGE = ['loader', 'loader-chunk', 'clearance', 'css', 'wasm', ...[...withImports([manifest['ui.js'], manifest['ui-wire-inputs.js']].map((f) => basename(f)))].map(rowOf)];
const pages = [
  ['page without previews (boot + loader chunk)', ['loader', 'loader-chunk']],
  ['… popup armed (+ triggers)', ['loader', 'loader-chunk', 'triggers']],
  ['… launcher clear of the page (+ clearance, idle)', ['loader', 'loader-chunk', 'clearance']],
  ['product / cart page (+ clearance, ui, encoder, wasm)', CART_PAGE],
  ['everything, all surfaces opened', Object.keys(rows)],
];
for (const [label, keys] of pages) console.log(`${label.padEnd(44)} ${pad(sum(keys, 'raw'), 8)} ${pad(sum(keys, 'gzip'), 8)} ${pad(sum(keys, 'brotli'), 8)}`);
const over = []; // fails --check
const unmet = []; // over an issue budget but under its ceiling: reported
if (rows.loader.gzip > BUDGET.loader) over.push(`loader ${rows.loader.gzip} B gzip > ${BUDGET.loader} B`);
for (const [name, r] of Object.entries(rows)) {
  if (r.file.endsWith('.js') && r.gzip > BUDGET.jsFile) over.push(`${name} ${r.gzip} B gzip > ${BUDGET.jsFile} B per JS file`);
}
const cart = sum(CART_PAGE, 'gzip');
if (cart > CEILING.cartPage) over.push(`cart page ${cart} B gzip > ceiling ${CEILING.cartPage} B`);
else if (cart > BUDGET.cartPage) unmet.push(`cart page ${cart} B gzip is ${cart - BUDGET.cartPage} B over the ${BUDGET.cartPage} B budget (ceiling ${CEILING.cartPage} B holds)`);
if (over.length) console.log(`budgets (issue 5): OVER — ${over.join('; ')}`);
else console.log(`budgets (issue 5): loader and every JS file within budget${unmet.length ? `; NOT MET: ${unmet.join('; ')}` : '; cart page within budget'}`);
writeFileSync(join(dist, 'sizes.json'), JSON.stringify({ version, rows, cartPageGzip: cart, budget: BUDGET, ceiling: CEILING, over, unmet }, null, 2) + '\n');
if (over.length && args.has('--check')) process.exit(1);
