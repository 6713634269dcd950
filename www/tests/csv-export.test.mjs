// Issue 14, part 5: CSV exports open correctly in Excel. On the real server
// (`rewards-demo demo`, its seeded customers), the merchant signs in to
// the KPI page (/admin, Basic auth with the admin token, as a browser asks
// for it) and downloads both exports from its links: each starts with the
// UTF-8 byte order mark (Excel reads UTF-8 only with it: "Phố Cổ" becomes
// "PhÃ´Ì CÃ´Ì‰" without), Vietnamese text stays intact, and every ledger
// entry says what happened in words beside its raw detail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pageErrors } from './helpers.mjs';
import { setupReal } from './real-server.mjs';

let env;
before(async () => {
  env = await setupReal();
});
after(() => env.close());

/** The demo's admin token (crates/server/src/demo.rs, ADMIN_TOKEN), as the password of any user. */
const ADMIN = { username: 'merchant', password: 'demo-admin-token-not-for-production' };

/** Clicks the /admin page's link named `name` and resolves to the downloaded file's bytes and name. */
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`a:text("${name}")`)]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

test('issue 14: the KPI page\'s CSV exports start with a byte order mark, keep Vietnamese intact and say each ledger entry in words', async () => {
  const page = await env.page({ httpCredentials: ADMIN, acceptDownloads: true });
  await page.goto(env.server.vi + '/admin');
  await page.waitForSelector('h1');
  assert.match(await page.textContent('h1'), /Rewards KPIs · Cà Phê Phố Cổ/);

  const ledger = await download(page, 'ledger (CSV)');
  assert.equal(ledger.name, 'ledger.csv');
  assert.deepEqual([...ledger.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'ledger.csv starts with the UTF-8 byte order mark');
  const rows = ledger.bytes.toString('utf8').slice(1).trim().split('\r\n'); // RFC 4180 line ends, as Excel writes them
  const head = rows[0].split(',');
  assert.deepEqual(head.slice(0, 8), ['entry_id', 'shopper_id', 'at', 'available_at', 'cause', 'ref', 'delta', 'description']);
  assert.equal(head.at(-1), 'detail_json', 'the raw detail comes last, named as JSON');
  assert.ok(rows.length > 10, 'the seeded ledger: ' + rows.length + ' rows');
  // Every entry's description is words with its points, never the JSON ({…}) or empty.
  const words = rows.slice(1).map((r) => /^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,("[^"]*"|[^,]*),/.exec(r)[1].replace(/^"|"$/g, ''));
  for (const w of words) assert.match(w, /^[A-Z][^{}]*: [+−]\d[\d,]* points?$/, 'a ledger entry in words: ' + w);
  assert.ok(words.some((w) => /^Order \S+ \([\d,]+ VND qualifying\): \+\d/.test(w)), 'an order says its qualifying amount: ' + words.slice(0, 5).join(' | '));

  const signups = await download(page, 'signups and consents (CSV)');
  assert.equal(signups.name, 'signups.csv');
  assert.deepEqual([...signups.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'signups.csv starts with the UTF-8 byte order mark');
  assert.match(signups.bytes.toString('utf8'), /Tôi đồng ý/, 'the consent wording, in Vietnamese, as UTF-8');
  assert.deepEqual(await pageErrors(page), []);
});
