// Seeds fuzz/corpus/<target>/ from the core's fixtures (run once; the
// corpus is then grown by fuzzing and minimised with `scripts/fuzz.sh cmin`).
// Files are named by their SHA-1, as libFuzzer names the inputs it adds.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'tests', 'fixtures');
const corpus = join(root, 'fuzz', 'corpus');

const add = (target, bytes) => {
  const dir = join(corpus, target);
  mkdirSync(dir, { recursive: true });
  const buf = Buffer.from(bytes);
  writeFileSync(join(dir, createHash('sha1').update(buf).digest('hex')), buf);
};
// A fixture input given as a JSON string is raw text; anything else is JSON.
const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );

const programNames = ['kw-oud.json', 'us-apparel.json', 'vn-coffee.json'];
for (const name of programNames) add('config', readFileSync(join(fixtures, 'programs', name)));
for (const file of walk(join(fixtures, 'invalid'))) add('config', text(JSON.parse(readFileSync(file, 'utf8')).config));

for (const file of walk(join(fixtures, 'cases'))) {
  const c = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof c.program === 'object') add('config', text(c.program));
  if (c.cart !== undefined) add('cart', text(c.cart));
  if (c.line !== undefined) add('cart', text(c.line));
  if (c.shopper !== undefined && c.shopper !== null) add('shopper', text(c.shopper));
  if (c.signals !== undefined) {
    add('signals', text(c.signals));
    if (typeof c.signals === 'object' && c.signals.cart) add('cart', text(c.signals.cart));
  }
  // engine: header (program choice, now as i64 LE), then 0xFF-separated sections.
  const header = Buffer.alloc(9);
  const choice = typeof c.program === 'string' ? programNames.indexOf(c.program) : 3;
  header[0] = choice;
  const now = typeof c.now === 'number' ? BigInt(c.now) : BigInt(Date.parse(c.now));
  header.writeBigInt64LE(now, 1);
  const sections = [
    typeof c.program === 'object' ? text(c.program) : '',
    c.shopper === undefined || c.shopper === null ? '' : text(c.shopper),
    c.cart === undefined ? '' : text(c.cart),
    c.line === undefined ? '' : text(c.line),
    c.signals === undefined ? '' : text(c.signals),
  ];
  const parts = [header];
  for (const s of sections) parts.push(Buffer.from([0xff]), Buffer.from(s, 'utf8'));
  add('engine', Buffer.concat(parts));
}

// generated: the bytes are choices; start from deterministic random bytes.
let state = 0x2545f4914f6cdd1dn;
const next = () => {
  state ^= (state << 13n) & 0xffffffffffffffffn;
  state ^= state >> 7n;
  state ^= (state << 17n) & 0xffffffffffffffffn;
  return Number(state & 0xffn);
};
for (let i = 0; i < 64; i++) {
  const len = 64 << (i % 6);
  add('generated', Uint8Array.from({ length: len }, next));
}
for (const t of ['config', 'cart', 'shopper', 'signals', 'engine', 'generated']) {
  console.log(t, readdirSync(join(corpus, t)).length);
}
