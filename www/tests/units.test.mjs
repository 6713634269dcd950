// Node-only checks: the integer money helpers, the build output (hashed
// names the loader knows, manifest), the demo's program copies, and the
// translations (every key in both languages, placeholders kept).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './helpers.mjs';

/** Imports a dependency-free ES module from www/src (as a data: URL, so Node needs no package type). */
async function load(rel) {
  const source = readFileSync(join(repo, 'www/src', rel));
  return import('data:text/javascript;base64,' + source.toString('base64'));
}

test('minor-unit rescaling: Shopify ×100 units for VND (0), USD (2), KWD (3); floor when dividing', async () => {
  const { shopifyCentsToMinor, rescaleMinor } = await load('ui/money.js');
  assert.equal(shopifyCentsToMinor(4500000, 0), 45000, '45,000 ₫ arrives as 4500000');
  assert.equal(shopifyCentsToMinor(1850, 2), 1850);
  assert.equal(shopifyCentsToMinor(1250, 3), 12500);
  assert.equal(shopifyCentsToMinor(4500099, 0), 45000, 'floor');
  assert.equal(rescaleMinor(-150, 2, 0), -2, 'floor for negatives too');
  assert.equal(rescaleMinor(12, 0, 2), 1200);
  assert.equal(rescaleMinor(Number.MAX_SAFE_INTEGER, 2, 2), Number.MAX_SAFE_INTEGER);
});

test('conversion rate reciprocal is exact decimal text (BigInt, 12 places, floor)', async () => {
  const { reciprocal } = await load('ui/platforms.js');
  assert.equal(reciprocal('1.0'), '1.000000000000');
  assert.equal(reciprocal('0.00004'), '25000.000000000000');
  assert.equal(reciprocal('3'), '0.333333333333');
  assert.equal(reciprocal('25000'), '0.000040000000');
  assert.equal(reciprocal('0'), null);
  assert.equal(reciprocal('-1'), null);
  assert.equal(reciprocal('1e3'), null);
});

test('money reaches Intl as exact decimal strings', async () => {
  const { decimalString } = await load('ui/i18n.js');
  assert.equal(decimalString(120000, 0), '120000');
  assert.equal(decimalString(12345, 2), '123.45');
  assert.equal(decimalString(5, 2), '0.05');
  assert.equal(decimalString(-5, 3), '-0.005');
  assert.equal(new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(decimalString(120000, 0)), '120.000\u00a0₫');
});

test('translations: Vietnamese and English have the same keys and placeholders', async () => {
  for (const file of ['strings-core.js', 'strings-popup.js', 'strings-panel.js', 'strings-vouchers.js']) {
    const { en, vi } = await load('ui/' + file);
    assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort(), file + ': same keys');
    const holes = (v) => [...new Set(JSON.stringify(v).match(/\{\w+\}/g) || [])].sort();
    for (const k of Object.keys(en)) assert.deepEqual(holes(vi[k]), holes(en[k]), `${file} ${k}: same placeholders`);
    for (const [k, v] of Object.entries(vi)) assert.ok(!/TODO|FIXME|xxx/i.test(JSON.stringify(v)), `${file} ${k}: written out`);
  }
});

test('build output: the boot script names the loader chunk, which names the other hashed assets in manifest.json; they exist', () => {
  const dist = join(repo, 'www/dist');
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  const boot = readFileSync(join(dist, 'rewards.js'), 'utf8');
  const hashed = (key) => {
    const file = manifest.files[key];
    assert.match(file, /^assets\/[\w-]+-[A-Za-z0-9]{8,10}\.(js|css|wasm)$/, key + ' is content-hashed');
    return file;
  };
  const chunkFile = hashed('loader.js');
  assert.ok(boot.includes(JSON.stringify(chunkFile)), 'rewards.js knows ' + chunkFile);
  const chunk = readFileSync(join(dist, chunkFile), 'utf8');
  for (const key of ['ui.js', 'widget.css', 'engine-cart.wasm', 'engine.wasm']) {
    const file = hashed(key);
    assert.ok(chunk.includes(JSON.stringify(file)), 'the loader chunk knows ' + file);
  }
  for (const file of Object.values(manifest.files)) assert.ok(existsSync(join(dist, file)), file + ' exists');
  assert.ok(!/\bwindow\.\w+\s*=(?!=)/.test(boot.replace(/window\.Rewards=/g, '')), 'rewards.js assigns no other global');
  assert.ok(!/\bwindow\.\w+\s*=(?!=)/.test(chunk), 'the loader chunk assigns no global');
});

test('the demo store runs the fixture programs, byte for byte', () => {
  for (const name of ['vn-coffee', 'us-apparel']) {
    assert.equal(readFileSync(join(repo, 'www/demo/programs', name + '.json'), 'utf8'), readFileSync(join(repo, 'tests/fixtures/programs', name + '.json'), 'utf8'), name);
  }
});
