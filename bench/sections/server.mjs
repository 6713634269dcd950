// Section 5, server load: scripts/bench-server.sh (wrk on loopback with
// crates/server/bench/wrk.lua) against POST /api/webhooks/orders and
// GET /api/shopper at a fixed concurrency, on SQLite and on a throwaway
// PostgreSQL cluster (scripts/pg-test-cluster.sh). This section only runs
// that script with the release server bench.sh built and reads its JSON.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { round } from '../lib/stats.mjs';

export async function run({ repo, opts, out, log }) {
  const targetDir = process.env.CARGO_TARGET_DIR || join(repo, 'target');
  const bin = join(targetDir, 'release/rewards-server');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run scripts/bench.sh server (it builds it) or cargo build --release -p rewards-server -p rewards-demo`);
  const report = join(out, 'server-bench.json');
  const args = ['--bin', bin, '--duration', String(opts.duration), '--concurrency', String(opts.concurrency), '--report', report];
  const exit = await new Promise((resolve) => {
    const child = spawn('bash', [join(repo, 'scripts/bench-server.sh'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => String(d).split('\n').filter(Boolean).forEach((l) => log('  ' + l)));
    child.on('close', resolve);
  });
  if (!existsSync(report)) throw new Error(`scripts/bench-server.sh exited ${exit} without a report`);
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const rows = r.results.map((x) => ({
    database: x.database, endpoint: x.endpoint, requests: x.requests, throughput_per_s: x.throughput_per_s,
    p50_ms: x.p50_ms, p90_ms: x.p90_ms, p99_ms: x.p99_ms, max_ms: x.max_ms, errors: x.errors, load_average_1m_before: x.load_average_1m_before,
    cpu_ms_per_request: x.cpu_ms_per_request, context_switches_per_request: x.context_switches_per_request, writes_per_commit: x.writes_per_commit,
  }));
  const md = [
    `${r.generator}; ${opts.concurrency} connections, 1 wrk thread, ${opts.duration} s per run after a 1 s warm-up; ${r.cores} cores shared by server and wrk; program ${r.program}.`,
    '',
    '| database | endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | load avg before | CPU ms / request | context switches / request |',
    '|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|',
    ...rows.map((x) => `| ${x.database} | \`${x.endpoint}\` | ${round(x.throughput_per_s, 0)} | ${x.p50_ms} | ${x.p90_ms} | ${x.p99_ms} | ${x.max_ms} | ${Object.values(x.errors).some((v) => v) ? JSON.stringify(x.errors) : 'none'} | ${x.load_average_1m_before} | ${x.cpu_ms_per_request ?? '–'} | ${x.context_switches_per_request ?? '–'} |`),
    '',
    `SQLite: ${r.sqlite}. PostgreSQL: ${r.postgresql}.`,
  ];
  const sqliteOrders = rows.find((x) => x.database === 'sqlite' && /webhooks\/orders/.test(x.endpoint));
  const budgets = sqliteOrders
    ? [{
        figure: 'order webhooks on SQLite, 2 cores (throughput, p99)',
        budget: '≥ 2000/s, p99 ≤ 20 ms',
        value: `${round(sqliteOrders.throughput_per_s, 0)}/s, p99 ${sqliteOrders.p99_ms} ms`,
        met: sqliteOrders.throughput_per_s >= 2000 && sqliteOrders.p99_ms <= 20,
        over_by: `${round(Math.max(0, 2000 - sqliteOrders.throughput_per_s), 0)}/s short, p99 ${round(Math.max(0, sqliteOrders.p99_ms - 20), 2)} ms over`,
      }]
    : [];
  // Issue 11: Shopify's own order webhooks, the same target, SQLite and PostgreSQL (reported):
  // the median run by throughput of each database, with the spread of its runs.
  for (const database of ['sqlite', 'postgresql']) {
    const runs = rows.filter((x) => x.database === database && /webhooks\/shopify/.test(x.endpoint)).sort((a, b) => a.throughput_per_s - b.throughput_per_s);
    if (!runs.length) continue;
    const x = runs[(runs.length - 1) >> 1];
    const spread = runs.length > 1 ? ` (${runs.length} runs: ${round(runs[0].throughput_per_s, 0)}–${round(runs.at(-1).throughput_per_s, 0)}/s)` : '';
    budgets.push({
      figure: `Shopify orders/paid webhooks on ${database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, 2 cores (throughput, p99; median run)`,
      budget: '≥ 2000/s, p99 ≤ 20 ms',
      value: `${round(x.throughput_per_s, 0)}/s, p99 ${x.p99_ms} ms${spread}`,
      met: x.throughput_per_s >= 2000 && x.p99_ms <= 20,
      over_by: `${round(Math.max(0, 2000 - x.throughput_per_s), 0)}/s short, p99 ${round(Math.max(0, x.p99_ms - 20), 2)} ms over`,
    });
  }
  return {
    title: 'Server load',
    commands: [`scripts/bench-server.sh ${args.join(' ').replace(repo + '/', '')}`, `scripts/bench.sh server --duration ${opts.duration} --concurrency ${opts.concurrency}`],
    method: `The release server (${bin.replace(repo + '/', '')}), ${r.sqlite === undefined ? '' : 'SQLite in a fresh file, '}PostgreSQL in a throwaway cluster; every order webhook a new signed order; shopper state with signed tokens. wrk measures each request from send to response (closed loop). Shopify's order webhooks (\`POST /api/webhooks/shopify\`, the ~15 KB VND fixture order under new ids) are driven by \`rewards-demo bench --endpoint shopify\` (crates/demo), whose client runs in the server's process (closed loop, same concurrency).`,
    figures: { exit_code: exit, ...r, results: rows },
    budgets,
    markdown: md.join('\n'),
  };
}
