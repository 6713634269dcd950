#!/usr/bin/env node
// The bench orchestrator behind scripts/bench.sh (which builds the release
// artifacts first). Runs the sections asked for, merges them into
// bench/out/report.json (sections not run this time keep their earlier
// figures, each with its own timestamp and machine load), and writes
// bench/out/report.md and bench/out/comparison.svg, then prints report.md.
//
//   node bench/report.mjs [SECTION...] [--runs N] [--loads N] [--updates N]
//                         [--duration S] [--concurrency N] [--fresh]
//   node bench/report.mjs --render   re-writes report.md and comparison.svg from report.json
//   SECTION: sizes lighthouse mainthread preview server (default: all, in that order)
//
// Timings are reported, never asserted: the exit status is 1 only when a
// section failed to run, not when a budget is missed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { machine } from './lib/machine.mjs';
import { comparisonSvg } from './lib/svg.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'bench/out');
export const SECTIONS = ['sizes', 'lighthouse', 'mainthread', 'preview', 'server'];
const TITLES = { sizes: '1. Sizes', lighthouse: '2. Lighthouse', mainthread: '3. Main-thread cost at load', preview: '4. Preview latency', server: '5. Server load' };

function parseArgs(argv) {
  const opts = { runs: 5, loads: 20, updates: 10000, duration: 10, concurrency: 16, fresh: false, render: false, sections: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--runs') opts.runs = num();
    else if (a === '--loads') opts.loads = num();
    else if (a === '--updates') opts.updates = num();
    else if (a === '--duration') opts.duration = num();
    else if (a === '--concurrency') opts.concurrency = num();
    else if (a === '--fresh') opts.fresh = true;
    else if (a === '--render') opts.render = true;
    else if (SECTIONS.includes(a)) opts.sections.push(a);
    else throw new Error(`unknown argument "${a}" (sections: ${SECTIONS.join(' ')})`);
  }
  if (!opts.sections.length) opts.sections = [...SECTIONS];
  return opts;
}

const fmtLoad = (la) => la.map((x) => x.toFixed(2)).join(' ');

function budgetTable(report) {
  const rows = ['| section | figure | budget | measured | met |', '|---|---|---|---|---|'];
  for (const id of SECTIONS) {
    const s = report.sections[id];
    if (!s) continue;
    if (s.error) rows.push(`| ${TITLES[id]} | — | — | section failed: ${s.error.split('\n')[0]} | — |`);
    for (const b of s.budgets || []) rows.push(`| ${TITLES[id]} | ${b.figure} | ${b.budget} | ${b.value} | ${b.met ? 'yes' : `**no** (over by ${b.over_by})`} |`);
  }
  return rows.join('\n');
}

export function renderMarkdown(report) {
  const m = report.machine;
  const md = [
    '# Rewards widget benchmark report',
    '',
    `Written ${m.at} by \`${report.command}\`. Timings are medians of repeated runs on a shared machine: read them with the load average beside them.`,
    '',
    `Machine: ${m.nproc} cores (${m.cpu_model}), load average ${fmtLoad(m.load_average)} (1/5/15 min) at the end, ${m.memory_gb.total} GB RAM; ${m.chromium}; Node ${m.node}; Lighthouse ${m.lighthouse}; ${m.wrk || 'wrk missing'}; ${m.rustc}; git ${m.git.commit}${m.git.dirty_files ? ` + ${m.git.dirty_files} uncommitted files` : ''}.`,
    m.busiest_processes.length ? `Busiest processes at the end: ${m.busiest_processes.join(', ')}.` : '',
    '',
    '## Budgets (issue 5)',
    '',
    budgetTable(report),
    '',
    '![comparison](comparison.svg)',
  ];
  for (const id of SECTIONS) {
    const s = report.sections[id];
    if (!s) continue;
    md.push('', `## ${TITLES[id]}`, '');
    md.push(`Measured ${s.started} in ${s.seconds} s; load average at start ${fmtLoad(s.load_average_start)}, at end ${fmtLoad(s.load_average_end)}.`, '');
    if (s.error) {
      md.push('**This section failed:**', '', '```', s.error, '```');
      continue;
    }
    md.push('Commands:', '', '```sh', ...s.commands, '```', '');
    if (s.method) md.push(`Method: ${s.method}`, '');
    md.push(s.markdown);
  }
  return md.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n') + '\n';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(out, { recursive: true });
  const jsonPath = join(out, 'report.json');
  if (opts.render) {
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    writeFileSync(join(out, 'report.md'), renderMarkdown(report));
    writeFileSync(join(out, 'comparison.svg'), comparisonSvg(report));
    process.stdout.write(renderMarkdown(report));
    return;
  }
  const previous = !opts.fresh && existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : null;
  const report = { command: process.env.BENCH_COMMAND || `node bench/report.mjs ${process.argv.slice(2).join(' ')}`.trim(), options: opts, sections: (previous && previous.sections) || {} };
  const log = (line) => console.error(line);
  let failed = 0;
  for (const id of opts.sections) {
    log(`\n== ${TITLES[id]}`);
    const started = new Date();
    const load0 = loadavg();
    let result;
    try {
      const mod = await import(`./sections/${id}.mjs`);
      result = await mod.run({ repo, opts, out, log });
    } catch (e) {
      failed++;
      result = { error: String((e && e.stack) || e) };
      log(`   FAILED: ${result.error}`);
    }
    report.sections[id] = {
      ...result,
      started: started.toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      load_average_start: load0.map((x) => Math.round(x * 100) / 100),
      load_average_end: loadavg().map((x) => Math.round(x * 100) / 100),
      options: opts,
    };
  }
  report.machine = machine(repo);
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
  const md = renderMarkdown(report);
  writeFileSync(join(out, 'report.md'), md);
  writeFileSync(join(out, 'comparison.svg'), comparisonSvg(report));
  process.stdout.write(md);
  log(`\nwrote bench/out/report.md, bench/out/report.json, bench/out/comparison.svg`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e && e.message ? e.message : e);
    process.exit(2);
  });
}
