// An SVG line chart of a series' vintages: one line per vintage (the series
// as it stood after each submission that changed it), the latest solid and
// on top, earlier ones dashed. Hand-drawn SVG: no charting library to ship.

const SVG = 'http://www.w3.org/2000/svg';
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
export const colorOf = (i) => PALETTE[i % PALETTE.length];

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Round steps (1, 2, 5 x 10^n) covering [lo, hi].
function ticks(lo, hi, count = 5) {
  if (lo === hi) { lo -= 1; hi += 1; }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step / 2; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

// vintages: [{watermark, label, points: [{period, value}]}], oldest first.
export function drawChart(container, vintages, { width = 760, height = 320 } = {}) {
  container.replaceChildren();
  const periods = [...new Set(vintages.flatMap((v) => v.points.map((p) => p.period)))].sort();
  const values = vintages.flatMap((v) => v.points.map((p) => p.value)).filter(Number.isFinite);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  svg.append(el('title', {}, `${vintages.length} vintage(s) over ${periods.length} period(s)`));
  container.append(svg);
  if (!periods.length || !values.length) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no observations'));
    return;
  }
  const m = { left: 56, right: 16, top: 12, bottom: 36 };
  const ys = ticks(Math.min(...values), Math.max(...values));
  const y0 = ys[0], y1 = ys[ys.length - 1];
  const x = (period) => m.left + (periods.length === 1 ? (width - m.left - m.right) / 2
    : periods.indexOf(period) * (width - m.left - m.right) / (periods.length - 1));
  const y = (v) => height - m.bottom - (v - y0) / (y1 - y0 || 1) * (height - m.top - m.bottom);
  for (const t of ys) {
    svg.append(el('line', { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t), class: 'grid' }));
    svg.append(el('text', { x: m.left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'axis' }, String(t)));
  }
  const every = Math.ceil(periods.length / 12);  // at most ~12 labels
  periods.forEach((p, i) => {
    if (i % every) return;
    svg.append(el('text', { x: x(p), y: height - m.bottom + 18, 'text-anchor': 'middle', class: 'axis' }, p));
  });
  vintages.forEach((v, i) => {
    const latest = i === vintages.length - 1;
    const pts = v.points.filter((p) => Number.isFinite(p.value)).sort((a, b) => a.period.localeCompare(b.period));
    const g = el('g', { class: `vintage${latest ? ' latest' : ''}`, 'data-watermark': v.watermark });
    g.append(el('title', {}, v.label));
    if (pts.length > 1) {
      g.append(el('path', {
        d: pts.map((p, j) => `${j ? 'L' : 'M'}${x(p.period).toFixed(1)},${y(p.value).toFixed(1)}`).join(''),
        stroke: colorOf(i), fill: 'none', 'stroke-width': latest ? 2.5 : 1.5,
        'stroke-dasharray': latest ? '' : '5 3',
      }));
    }
    for (const p of pts) {
      const c = el('circle', { cx: x(p.period), cy: y(p.value), r: latest ? 3.5 : 2.5, fill: colorOf(i) });
      c.append(el('title', {}, `${p.period}: ${p.value} (${v.label})`));
      g.append(c);
    }
    svg.append(g);
  });
}
