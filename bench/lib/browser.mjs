// Debian's Chromium, headless, with the flags TOOLCHAIN.md lists (no
// background networking, no component updates: nothing but the page runs).
import { execFileSync } from 'node:child_process';

export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
export const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });
}

export function chromiumVersion() {
  try {
    // /usr/bin/chromium is a shell wrapper that prints a harmless "[: … unexpected operator" line on stderr.
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (e) {
    return 'unknown (' + e.message + ')';
  }
}
