// The Series tab: browse dataflows, pick a series by its dimensions (code
// names from the codelists), and chart it with every vintage, an asOf slider
// (the hub's ?at=WATERMARK) and who revised what and when.
import { dataflows, dimensionsOf, flowString, history, seriesKeys, seriesVintages, ApiError } from './api.js';
import { colorOf, drawChart } from './chart.js';
import { $, fillTable, fmtTime, h, num, round, sequencer, showError } from './dom.js';

const MAX_ROWS = 200;  // series listed at once; narrow with the selectors

let flows = [];
let flow = null;        // the selected dataflow
let dims = [];          // its dimensions: [{id, name, codes: [{id, name}]}]
let picked = {};        // dimension id -> code id ('' = any)
let selectedKey = null;
let vintageMarks = [];  // [{watermark, provider, loaded_at}] of the selected series, oldest first
let onFlow = () => {};

export const dimension = (id) => dims.find((d) => d.id === id);

// Calls back with each dataflow selected (the views list its areas and indicators).
export function onFlowChange(fn) { onFlow = fn; }

export async function initSeries(params) {
  flows = await dataflows();
  const sel = $('dataflow');
  sel.replaceChildren(...flows.map((f, i) => h('option', { value: i }, `${f.name} — ${flowString(f)}`)));
  sel.addEventListener('change', () => selectFlow(flows[sel.value]).catch(showError));
  $('asof').addEventListener('input', () => showAsOf(Number($('asof').value)).catch(showError));
  if (!flows.length) {
    $('series-count').textContent = 'No dataflows yet: submit structures first.';
    return;
  }
  const wanted = flows.findIndex((f) => flowString(f) === params.get('flow'));
  sel.value = String(Math.max(wanted, 0));
  await selectFlow(flows[sel.value], params.get('key'));
}

async function selectFlow(f, key = null) {
  flow = f;
  picked = {};
  selectedKey = null;
  $('series-detail').hidden = true;
  try {
    dims = await dimensionsOf(f);
  } catch (e) {
    dims = [];
    $('dims').replaceChildren();
    $('series-list').replaceChildren();
    $('series-count').textContent = e instanceof ApiError && e.status === 404 ? 'No data in this dataflow yet.' : e.message;
    onFlow(f);
    return;
  }
  if (key) key.split('.').forEach((code, i) => { if (dims[i]) picked[dims[i].id] = code; });
  $('dims').replaceChildren(...dims.map((d) => h('label', {}, d.name,
    h('select', { 'data-dim': d.id, onchange: (e) => { picked[d.id] = e.target.value; listSeries().catch(showError); } },
      h('option', { value: '' }, `any (${d.codes.length})`),
      d.codes.map((c) => h('option', { value: c.id, selected: picked[d.id] === c.id }, `${c.name} (${c.id})`))))));
  onFlow(f);
  await listSeries();
  if (key) await selectSeries(key);
}

const nextListing = sequencer();
const nextHistory = sequencer();
const nextAsOf = sequencer();

async function listSeries() {
  const key = dims.map((d) => picked[d.id] || '').join('.');
  const current = nextListing();
  let found;
  try {
    found = await seriesKeys(flow, dims.some((d) => picked[d.id]) ? key : '');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    found = [];
  }
  if (!current()) return;
  $('series-count').textContent = found.length > MAX_ROWS
    ? `${found.length} series match; the first ${MAX_ROWS} are listed: narrow with the selectors.`
    : `${found.length} series match. Pick one to see its revisions.`;
  // Columns for the dimensions that differ between the series listed.
  const varying = dims.map((d, i) => i).filter((i) => new Set(found.map((s) => s.codes[i]?.id)).size > 1);
  const shown = found.slice(0, MAX_ROWS);
  fillTable($('series-list'), ['Key', ...varying.map((i) => dims[i].name)], shown.map((s) => ({
    attrs: { 'data-key': s.key, class: s.key === selectedKey ? 'selected' : undefined,
             onclick: () => selectSeries(s.key).catch(showError) },
    cells: [h('td', {}, h('code', {}, s.key)), ...varying.map((i) => s.codes[i].name)],
  })));
}

const codeName = (i, id) => dims[i]?.codes.find((c) => c.id === id)?.name || id;

async function selectSeries(key) {
  selectedKey = key;
  for (const tr of $('series-list').querySelectorAll('tr[data-key]')) tr.classList.toggle('selected', tr.dataset.key === key);
  const codes = key.split('.');
  $('series-title').textContent = codes.map((c, i) => codeName(i, c))
    .filter((n, i) => !['_T', '_Z'].includes(codes[i]) && dims[i]?.codes.length !== 1).join(' · ') || key;
  $('series-key').textContent = `${flowString(flow)} / ${key}`;
  setHash({ flow: flowString(flow), key });
  await loadHistory(true);
}

function setHash(params) {
  window.history.replaceState(null, '', `#series?${new URLSearchParams(params)}`);
}

// Reads the selected series' history again (a commit changed it); stays at
// the latest vintage when the slider was there.
export async function refreshSeries(event) {
  if (!flow || !selectedKey || event.dataflow !== flowString(flow)) return;
  if (event.series && !event.series.some((s) => s.key === selectedKey)) return;
  const atLatest = Number($('asof').value) === vintageMarks.length - 1;
  await loadHistory(atLatest);
}

async function loadHistory(toLatest) {
  const current = nextHistory();
  const { body } = await history(flow, selectedKey);
  if (!current()) return;
  vintageMarks = vintagesOf(body.revisions).map(({ watermark, provider, loaded_at }) => ({ watermark, provider, loaded_at }));
  const slider = $('asof');
  slider.max = String(vintageMarks.length - 1);
  if (toLatest) slider.value = slider.max;
  $('series-detail').hidden = false;
  await showAsOf(Number(slider.value), body);
}

// The series as of the slider's vintage: the hub's history at that
// watermark (?at=), so what is drawn is what the hub held then.
async function showAsOf(index, latestBody) {
  const mark = vintageMarks[index];
  if (!mark) return;
  const latest = index === vintageMarks.length - 1;
  const current = nextAsOf();
  const [body, analysis] = await Promise.all([
    latest && latestBody ? latestBody : history(flow, selectedKey, mark.watermark).then((r) => r.body),
    seriesVintages(flow, selectedKey, mark.watermark)]);
  if (!current()) return;
  $('revision-stats').textContent = statsText(analysis?.statistics);
  triangleTable(analysis);
  const vintages = vintagesOf(body.revisions);
  $('asof-label').textContent = `watermark ${mark.watermark}: loaded ${fmtTime(mark.loaded_at)} from ${mark.provider}` +
    (latest ? ' (latest)' : ` (${vintageMarks.length - 1 - index} later vintage(s) hidden)`);
  drawChart($('chart'), vintages);
  $('legend').replaceChildren(...vintages.map((v, i) => h('li', { 'data-watermark': v.watermark },
    swatch(colorOf(i)), `${v.label} — ${v.summary}`)));
  revisionTable(body.revisions);
}

// Revision statistics as a sentence (GET /api/v1/vintages, output=stats).
function statsText(s) {
  if (!s) return '';
  const mean = (r) => (r.periods ? `mean revision ${signed(r.meanRevision)}, mean absolute ${round(r.meanAbsoluteRevision)}, over ${r.periods} period(s)` : 'no period to compare');
  return `${s.revisions} revision(s) in ${s.vintages} vintage(s). First release to latest: ${mean(s.latest)}. ` +
    `One vintage after first release: ${mean(s.atHorizon)}.`;
}
const signed = (v) => (v > 0 ? `+${round(v)}` : String(round(v)));

// The revision triangle: one row per period, one column per vintage, each
// cell the period's value as that vintage left it (changed cells marked).
function triangleTable(analysis) {
  const t = analysis?.triangle;
  if (!t) return;
  fillTable($('triangle'), ['Period', ...analysis.vintages.map((v) => `w${v.watermark} ${v.provider}`)],
    t.periods.map((p, i) => ({
      attrs: { 'data-period': p },
      cells: [p, ...t.values[i].map((v, j) => h('td', {
        class: `num${j > 0 && v !== t.values[i][j - 1] ? ' changed' : ''}`, 'data-watermark': t.vintages[j] }, v ?? ''))],
    })));
}

// Set through the CSSOM: the page's Content-Security-Policy refuses style attributes.
function swatch(color) {
  const s = h('span', { class: 'swatch' });
  s.style.background = color;
  return s;
}

// One vintage per watermark that changed the series: its observations as
// they stood after that commit.
function vintagesOf(revisions) {
  const byMark = new Map();
  for (const r of revisions) {
    if (!byMark.has(r.watermark)) byMark.set(r.watermark, { ...r, revs: [] });
    byMark.get(r.watermark).revs.push(r);
  }
  const state = new Map();
  return [...byMark.values()].sort((a, b) => a.watermark - b.watermark).map((v) => {
    let added = 0, revised = 0, deleted = 0;
    for (const r of v.revs) {
      if (r.deleted) { deleted += state.delete(r.period) ? 1 : 0; continue; }
      if (!state.has(r.period)) added++;
      else if (state.get(r.period) !== Number(r.value)) revised++;
      state.set(r.period, Number(r.value));
    }
    return {
      watermark: v.watermark, provider: v.provider, loaded_at: v.loaded_at,
      label: `watermark ${v.watermark} · ${v.provider} · ${fmtTime(v.loaded_at)} · ${v.submission}`,
      summary: [added && `${added} new`, revised && `${revised} revised`, deleted && `${deleted} deleted`]
        .filter(Boolean).join(', ') || 'unchanged values',
      points: [...state].map(([period, value]) => ({ period, value })),
    };
  });
}

// Every revision, newest first, each beside the value it replaced.
function revisionTable(revisions) {
  const before = new Map();  // period -> value at the previous revision
  const rows = [];
  for (const r of revisions.slice().sort((a, b) => a.watermark - b.watermark || a.period.localeCompare(b.period))) {
    const prev = before.get(r.period);
    const value = r.deleted ? null : r.value;
    const change = prev !== undefined && value !== null ? Number(value) - Number(prev) : null;
    const kind = r.deleted ? 'deleted' : prev === undefined ? 'new' : Number(prev) === Number(value) ? 'unchanged' : 'revised';
    rows.push({
      attrs: { class: kind, 'data-period': r.period, 'data-watermark': r.watermark },
      cells: [num(r.watermark), h('td', { class: 'time' }, fmtTime(r.loaded_at)), r.provider, h('td', {}, h('code', {}, r.submission)), r.period,
              num(value ?? 'deleted'), num(prev), num(change === null ? '' : Number(change.toPrecision(12))), kind, r.action],
    });
    if (r.deleted) before.delete(r.period); else before.set(r.period, value);
  }
  fillTable($('revisions'), ['Watermark', 'Loaded', 'Provider', 'Submission', 'Period', 'Value', 'Previous', 'Change', '', 'Action'],
            rows.reverse());
}
