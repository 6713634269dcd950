// bench/out/comparison.svg: horizontal bar panels drawn from report.json —
// what a page downloads for the widget against the budgets, the popup peer
// and the loyalty scripts merchants would otherwise install; preview latency
// wasm vs the plain-JS baseline; Lighthouse score deltas. Plain SVG, no deps.
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(y, title, bars, { unit, lines = [], width = 860 }) {
  const left = 300;
  const plot = width - left - 150;
  const maxV = Math.max(...bars.map((b) => b.value), ...lines.map((l) => l.value), 1e-9);
  const minV = Math.min(0, ...bars.map((b) => b.value));
  const span = maxV - minV;
  const x = (v) => left + ((v - minV) / span) * plot;
  const out = [`<text x="16" y="${y + 18}" font-size="15" font-weight="700">${esc(title)}</text>`];
  let row = y + 34;
  for (const b of bars) {
    const x0 = x(Math.min(0, b.value));
    const w = Math.max(1, Math.abs(x(b.value) - x(0)));
    out.push(`<text x="${left - 8}" y="${row + 14}" font-size="12" text-anchor="end">${esc(b.label)}</text>`);
    out.push(`<rect x="${x0}" y="${row + 2}" width="${w}" height="16" fill="${b.color}" rx="2"/>`);
    out.push(`<text x="${Math.max(x(b.value), x(0)) + 6}" y="${row + 14}" font-size="12">${esc(b.text)}</text>`);
    row += 22;
  }
  lines.forEach((l, i) => {
    out.push(`<line x1="${x(l.value)}" x2="${x(l.value)}" y1="${y + 30}" y2="${row + 4 + 12 * i}" stroke="#c0392b" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x(l.value) + 3}" y="${row + 14 + 12 * i}" font-size="11" fill="#c0392b">${esc(l.label)}</text>`);
  });
  row += 12 * lines.length;
  if (minV < 0) out.push(`<line x1="${x(0)}" x2="${x(0)}" y1="${y + 30}" y2="${row}" stroke="#555"/>`);
  out.push(`<text x="${width - 16}" y="${y + 18}" font-size="11" text-anchor="end" fill="#555">${esc(unit)}</text>`);
  return { svg: out.join('\n'), height: row - y + 18 };
}

export function comparisonSvg(report) {
  const width = 860;
  const parts = [];
  let y = 40;
  const s = report.sections;
  const OURS = '#6f3b1f', PEER = '#7f8c8d', RIVAL = '#bdc3c7';
  if (s.sizes && s.sizes.figures) {
    const f = s.sizes.figures;
    const kb = (b) => Math.round((b / 1024) * 10) / 10;
    const bars = f.pages.map((p) => ({ label: `ours: ${p.label}`, value: kb(p.gzip), text: `${kb(p.gzip)} KB`, color: OURS }));
    if (f.ouibounce) bars.push({ label: 'ouibounce (popup peer, JS + CSS)', value: kb(f.ouibounce.gzip), text: `${kb(f.ouibounce.gzip)} KB`, color: PEER });
    for (const c of f.competitors_kb) bars.push({ label: c.name, value: c.kb, text: `~${c.kb} KB${/Yotpo/.test(c.name) ? ' (to 1 MB)' : ''}`, color: RIVAL });
    const p = panel(y, 'What a page downloads for the widget (gzip) vs loyalty scripts', bars, {
      unit: 'KB; competitors: published JS weights (issue 5)',
      lines: [{ value: f.budgets_bytes.loaderGzip / 1024, label: 'loader budget 10 KB' }, { value: f.budgets_bytes.cartPageGzip / 1024, label: 'cart budget 25 KB' }],
    });
    parts.push(p.svg);
    y += p.height + 20;
  }
  if (s.preview && s.preview.figures) {
    const f = s.preview.figures;
    const p = panel(y, `Preview update, 20-line cart, median (${f.ratio_wasm_to_js_median}× the JS baseline)`, [
      { label: 'wasm Engine.preview (with JSON both ways)', value: f.wasm_preview.median_us, text: `${f.wasm_preview.median_us} µs`, color: OURS },
      { label: 'plain-JS baseline', value: f.js_baseline.median_us, text: `${f.js_baseline.median_us} µs`, color: PEER },
    ], { unit: 'µs per update', lines: [{ value: 20, label: 'budget 20 µs' }] });
    parts.push(p.svg);
    y += p.height + 20;
  }
  if (s.lighthouse && s.lighthouse.figures) {
    const f = s.lighthouse.figures;
    const bars = f.pages.map((p) => ({ label: `${p.label}: score with − without`, value: p.delta.score, text: `${p.delta.score}`, color: OURS }));
    bars.push({ label: 'Shopify-weighted delta', value: f.weighted_score_delta, text: `${f.weighted_score_delta}`, color: OURS });
    for (const v of f.popup.slice(1)) bars.push({ label: `blog post: ${v.id === 'ours' ? 'our popup-only loader' : v.id}`, value: v.delta.score, text: `${v.delta.score}`, color: v.id === 'ours' ? OURS : PEER });
    const p = panel(y, 'Lighthouse performance score delta (median)', bars, { unit: 'points', lines: [{ value: -1, label: 'budget −1' }] });
    parts.push(p.svg);
    y += p.height + 20;
    const tbt = f.pages.map((p) => ({ label: `${p.label}: TBT with − without`, value: p.delta.tbt, text: `${p.delta.tbt} ms`, color: OURS }));
    for (const v of f.popup.slice(1)) tbt.push({ label: `blog post: ${v.id === 'ours' ? 'our popup-only loader' : v.id}`, value: v.delta.tbt, text: `${v.delta.tbt} ms`, color: v.id === 'ours' ? OURS : PEER });
    const q = panel(y, 'Lighthouse Total Blocking Time delta (median)', tbt, { unit: 'ms', lines: [{ value: 10, label: 'budget 10 ms' }] });
    parts.push(q.svg);
    y += q.height + 20;
  }
  const m = report.machine || {};
  parts.push(`<text x="16" y="${y + 4}" font-size="11" fill="#555">${esc(`${m.at || ''} · ${m.nproc} cores, load ${((m.load_average || []).join(' '))} · ${m.chromium || ''} · scripts/bench.sh`)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 20}" viewBox="0 0 ${width} ${y + 20}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="16" y="24" font-size="17" font-weight="700">Rewards widget benchmarks</text>
${parts.join('\n')}
</svg>
`;
}
