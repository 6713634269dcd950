// Publishing a program for the browser tests, with the real publisher:
// `rewards-server publish -` (the binary the test command builds for the
// server tests; built here when missing). The browser only ever reads
// published documents (rewards_core::publish), as on a real store.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const targetDir = process.env.CARGO_TARGET_DIR || join(repo, 'target');

/** The debug `rewards-server` binary, built when missing. */
export function serverBinary() {
  const binary = join(targetDir, 'debug', 'rewards-server');
  if (!existsSync(binary)) execFileSync('cargo', ['build', '-p', 'rewards-server'], { cwd: repo, stdio: 'inherit' });
  return binary;
}

/** The demo binary (crates/demo: `rewards-demo demo`), built when missing as the server is. */
export function demoBinary() {
  const binary = join(targetDir, 'debug', 'rewards-demo');
  if (!existsSync(binary)) execFileSync('cargo', ['build', '-p', 'rewards-demo'], { cwd: repo, stdio: 'inherit' });
  return binary;
}

const cache = new Map();

/** The published document (JSON text) of a merchant config; throws the publisher's error for an invalid one. */
export function publish(configText) {
  if (!cache.has(configText)) {
    try {
      cache.set(configText, execFileSync(serverBinary(), ['publish', '-'], { input: configText, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim());
    } catch (e) {
      throw new Error(String(e.stderr || e.message).trim());
    }
  }
  return cache.get(configText);
}

/** The merchant configs of the demo stores, as written (tests/fixtures/programs). */
export const CONFIGS = {
  'vn-coffee': readFileSync(join(repo, 'tests/fixtures/programs/vn-coffee.json'), 'utf8'),
  'us-apparel': readFileSync(join(repo, 'tests/fixtures/programs/us-apparel.json'), 'utf8'),
};

/** The same programs published: what `data-config` and `/api/program` give the widget. */
export const PROGRAMS = Object.fromEntries(Object.entries(CONFIGS).map(([name, text]) => [name, publish(text)]));

/** A published document's engine bytes (what the wasm `Engine` takes). */
export function engineBytes(doc) {
  return Buffer.from(JSON.parse(doc).engine, 'base64');
}
