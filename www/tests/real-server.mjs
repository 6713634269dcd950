// The real reference server for browser tests: `rewards-demo demo` on
// free ports, with its own SQLite files in a temp dir, serving the demo
// stores, the widget build (www/dist) and the API, seeded as the demo is.
// The binary is cargo's (the test command builds it for the server tests;
// built here when missing).

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, newPage, repo } from './helpers.mjs';
import { demoBinary, serverBinary } from './publish.mjs';

const execFileAsync = promisify(execFile);

/** Starts the demo; resolves to { vi, en, close } with each store's base URL. */
export async function startRealServer() {
  const binary = demoBinary();
  const data = mkdtempSync(join(tmpdir(), 'rewards-real-'));
  const child = spawn(binary, ['demo', '--port', '0', '--data', data], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const urls = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('rewards-demo demo did not start in 60 s:\n' + out)), 60_000);
    const onData = (chunk) => {
      out += chunk;
      const vi = /vi store\s+(http:\/\/[\d.:]+)\/vi\//.exec(out);
      const en = /en store\s+(http:\/\/[\d.:]+)\/en\//.exec(out);
      if (vi && en) {
        clearTimeout(timer);
        resolve({ vi: vi[1], en: en[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (out += c));
    child.on('exit', (code) => reject(new Error(`rewards-demo demo exited with ${code}:\n${out}`)));
  });
  return {
    ...urls,
    log: () => out,
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode != null ? r() : child.on('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** The real server and a Chromium for one test file: `({ server, browser, close } = await startRealEnv())`. */
export async function startRealEnv() {
  const server = await startRealServer();
  const browser = await launchChromium();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * `setup()`'s shape on the real server: `url('/demo/vi/cart.html')` is the
 * vi store's own page on its `rewards-demo demo` instance (each store has
 * its own origin), `page()` a fresh context with error capture.
 */
export async function setupReal() {
  const { server, browser, close } = await startRealEnv();
  return {
    server,
    browser,
    url: (path) => path.replace(/^\/demo\/(vi|en)\//, (_, store) => `${server[store]}/${store}/`),
    page: (options) => newPage(browser, options),
    close,
  };
}

/** The demo server refuses a signup form sent sooner than this after it was shown (its `signup_min_fill_ms`, 1000, plus a margin). */
export const DEMO_MIN_FILL_MS = 1100;

/** In `page` on a real demo store: a token the demo's backend signs for one of its customers (`demo-1`, …). */
export const demoToken = (page, customer) => page.evaluate(async (c) => (await (await fetch('/demo/token?customer_id=' + c)).json()).token, customer);
/** In `page`: what the server reads with `token` (GET /api/shopper). */
export const shopperOf = (page, token) => page.evaluate(async (t) => (await fetch('/api/shopper', { headers: { authorization: 'Bearer ' + t } })).json(), token);
/** In `page`: the token of the first seeded demo customer with at least `points` to spend. */
export async function customerWith(page, points) {
  for (let c = 1; c <= 80; c++) {
    const token = await demoToken(page, 'demo-' + c);
    if ((await shopperOf(page, token)).balance >= points) return token;
  }
  throw new Error('no seeded demo customer has ' + points + ' points');
}

/** On the real demo at `base`: the demo's signed-in customer (demo-1, seeded with points and orders) with a 500 g bag of beans in the cart, the prompt showing their points. */
export async function signedInCart(p, base) {
  await p.goto(base + '/vi/product.html?p=ca-phe-hat-robusta');
  await p.selectOption('#variant', '500');
  await p.click('#add');
  await p.goto(base + '/vi/cart.html');
  await p.waitForSelector('#demo-shopper option[value=server]', { state: 'attached' });
  await p.selectOption('#demo-shopper', 'server');
  await p.waitForFunction(() => /Dùng điểm \(\d+\)/.test(document.querySelector('rewards-checkout-prompt').shadowRoot.textContent));
}

/**
 * `rewards-server serve` on a free port with its own SQLite file, on a
 * fixture `program` (tests/fixtures/programs/NAME.json), serving the widget
 * build; `env` adds settings (REWARDS_*). Resolves to { url, log, close }.
 */
export async function startRealServe({ program, env = {} }) {
  const { createServer } = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const data = mkdtempSync(join(tmpdir(), 'rewards-serve-'));
  const settings = {
    ...process.env,
    DATABASE_URL: `sqlite://${join(data, 'rewards.sqlite')}?mode=rwc`,
    REWARDS_BIND: `127.0.0.1:${port}`,
    REWARDS_PROGRAM: join(repo, 'tests/fixtures/programs', program + '.json'),
    REWARDS_WWW_DIST: join(repo, 'www/dist'),
    REWARDS_MERCHANT_SECRET: 'e2e-merchant-secret-0123456789',
    REWARDS_WEBHOOK_SECRET: 'e2e-webhook-secret-0123456789',
    REWARDS_ADMIN_TOKEN: 'e2e-admin-token-0123456789',
    ...env,
  };
  const child = spawn(serverBinary(), ['serve'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: settings });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode != null) throw new Error(`rewards-server serve exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(url + '/api/health')).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > 60_000) throw new Error('rewards-server serve did not start in 60 s:\n' + out);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    merchantSecret: settings.REWARDS_MERCHANT_SECRET,
    adminToken: settings.REWARDS_ADMIN_TOKEN,
    /** `rewards-server ARGS…` on this server's settings and database (the CLI a merchant runs beside it); resolves to its stdout. */
    cli: (args, password) => execFileAsync(serverBinary(), args, { cwd: repo, env: { ...settings, REWARDS_ADMIN_PASSWORD: password ?? '' }, encoding: 'utf8' }).then((r) => r.stdout),
    log: () => out,
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode != null ? r() : child.on('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * On `startRealServe()`'s server: a console owner, added with the CLI (as
 * a merchant adds one beside the server), signed in to /console in a new
 * context of `browser` (`options`: its viewport…). Resolves to the page.
 */
export async function consolePage(browser, serve, options = {}) {
  const email = 'owner@e2e.test';
  const password = 'e2e console password 2026';
  if (!serve.owner) serve.owner = serve.cli(['admin', 'add-user', email, '--role', 'owner', '--lang', 'en'], password);
  await serve.owner;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  const p = await context.newPage();
  await p.goto(serve.url + '/console/login');
  await p.fill('#email', email);
  await p.fill('#password', password);
  await Promise.all([p.waitForURL(/\/console$/), p.press('#password', 'Enter')]);
  return p;
}

/**
 * On `startRealServe()`'s server: the console's owner records an
 * adjustment of `points` for the member with `customerId` (the members
 * search by customer id, the member page's form), as a merchant gives a
 * customer points by hand. Resolves to the balance the console then shows.
 */
export async function adjustInConsole(browser, serve, customerId, points, reason) {
  const p = await consolePage(browser, serve);
  await p.fill('#q', String(customerId));
  await Promise.all([p.waitForURL(/q=/), p.press('#q', 'Enter')]);
  await Promise.all([p.waitForURL(/\/console\/members\/shp_/), p.click('table a[href^="/console/members/"]')]);
  await p.fill('#points', String(points));
  await p.fill('#reason', reason);
  await Promise.all([p.waitForURL(/done=adjusted/), p.press('#reason', 'Enter')]);
  const balance = Number((await p.textContent('dl.facts div:first-child dd')).replace(/[^\d]/g, ''));
  await p.context().close();
  return balance;
}
