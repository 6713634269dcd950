// Facts about the machine a report was measured on: timings on a shared
// 2-core box move with everything else running, so every report carries them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, freemem, release } from 'node:os';
import { chromiumVersion } from './browser.mjs';

const sh = (cmd, args, cwd) => {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
};

export function machine(repo) {
  const la = loadavg().map((x) => Math.round(x * 100) / 100);
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(`${repo}/node_modules/${name}/package.json`, 'utf8')).version;
    } catch {
      return null;
    }
  };
  const busy = sh('ps', ['-eo', 'pcpu,ni,comm', '--sort=-pcpu', '--no-headers'])
    ?.split('\n').slice(0, 6).map((l) => l.trim().split(/\s+/)).filter((p) => Number(p[0]) >= 5).map(([cpu, ni, comm]) => `${comm} (${cpu} % CPU, nice ${ni})`);
  return {
    at: new Date().toISOString(),
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpu_model: cpus()[0] && cpus()[0].model,
    load_average: la,
    memory_gb: { total: Math.round(totalmem() / 1e8) / 10, free: Math.round(freemem() / 1e8) / 10 },
    kernel: release(),
    chromium: chromiumVersion(),
    node: process.version,
    lighthouse: pkg('lighthouse'),
    playwright_core: pkg('playwright-core'),
    wrk: sh('sh', ['-c', 'wrk -v 2>&1 | head -1']),
    rustc: sh('rustc', ['--version']),
    git: { commit: sh('git', ['rev-parse', '--short', 'HEAD'], repo), dirty_files: (sh('git', ['status', '--porcelain'], repo) || '').split('\n').filter(Boolean).length },
    busiest_processes: busy || [],
  };
}
