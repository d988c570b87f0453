// The Country and Global tabs: /api/v1/views/country/{AREA} (national and
// global figures side by side, with their differences) and
// /api/v1/views/global/{INDICATOR} (regional aggregates with their coverage).
// Areas and indicators are offered from the selected dataflow's codes.
import { enc, getJson } from './api.js';
import { $, breakdownText, fillTable, h, num, round, sequencer, showError } from './dom.js';
import { dimension } from './series.js';

export function initViews() {
  $('country-area').addEventListener('change', () => loadCountry().catch(showError));
  $('global-indicator').addEventListener('change', () => loadGlobal().catch(showError));
  $('global-type').addEventListener('change', () => loadGlobal().catch(showError));
}

// Offers the areas and indicators of the dataflow just selected, keeping a
// choice that is still offered.
export function offerCodes(params = new URLSearchParams()) {
  fillSelect($('country-area'), dimension('REF_AREA'), params.get('area'));
  fillSelect($('global-indicator'), dimension('SERIES'), params.get('indicator'));
}

function fillSelect(sel, dim, wanted) {
  const keep = wanted || sel.value;
  const codes = (dim?.codes || []).slice().sort((a, b) => a.name.localeCompare(b.name));
  sel.replaceChildren(h('option', { value: '' }, codes.length ? 'choose…' : 'none in this dataflow'),
    ...codes.map((c) => h('option', { value: c.id, selected: c.id === keep }, `${c.name} (${c.id})`)));
}

const nextCountry = sequencer();
const nextGlobal = sequencer();

const latestText = (side) => (side?.latest ? `${side.latest.value} (${side.latest.period})` : '');

export async function loadCountry() {
  const area = $('country-area').value;
  if (!area) return;
  window.history.replaceState(null, '', `#country?area=${enc(area)}`);
  const current = nextCountry();
  const { body } = await getJson(`/api/v1/views/country/${enc(area)}`);
  if (!current()) return;
  const withBoth = body.series.filter((s) => s.national && s.global).length;
  $('country-summary').textContent = `${body.name} (${body.area}) at watermark ${body.watermark}: ` +
    `${body.series.length} series from ${body.dataflows.join(', ')}; ${withBoth} with both a national and a global figure.`;
  fillTable($('country-table'), ['Indicator', 'Breakdown', 'National', 'Global', 'Difference (N − G)', 'By period'],
    body.series.map((s) => ({
      attrs: { 'data-indicator': s.indicator, class: s.national && s.global ? 'both' : undefined },
      cells: [h('td', { title: s.indicator }, s.name || s.indicator), breakdownText(s.breakdown),
              sideCell(s.national), sideCell(s.global),
              num(s.latestDifference ? `${s.latestDifference.difference} (${s.latestDifference.period})` : ''),
              h('td', {}, differences(s.differences))],
    })));
}

function sideCell(side) {
  if (!side) return h('td', { class: 'none' }, '—');
  return h('td', { class: 'num', title: `${side.dataflow} / ${side.series}` }, latestText(side),
           h('div', { class: 'note' }, side.dataflow));
}

function differences(rows) {
  if (!rows || !rows.length) return '';
  const t = h('table', { class: 'inner' });
  fillTable(t, ['Period', 'National', 'Global', 'N − G'],
            rows.map((d) => [d.period, num(d.national), num(d.global), num(d.difference)]));
  return h('details', {}, h('summary', {}, `${rows.length} period(s)`), t);
}

export async function loadGlobal() {
  const ind = $('global-indicator').value;
  if (!ind) return;
  const type = $('global-type').value;
  window.history.replaceState(null, '', `#global?indicator=${enc(ind)}&reportingType=${enc(type)}`);
  const current = nextGlobal();
  const { body } = await getJson(`/api/v1/views/global/${enc(ind)}?reportingType=${enc(type)}`);
  if (!current()) return;
  const method = body.method ? `${body.method.rule}${body.method.weight ? ` weighted by ${body.method.weight}` : ''}` : 'none';
  $('global-summary').textContent = `${body.name || body.indicator} at watermark ${body.watermark}: ` +
    `${body.rows.length} countries, ${body.aggregates.length} aggregates (hierarchy ${body.hierarchy ?? 'none'}, ` +
    `rule ${method}), from ${body.dataflows.join(', ')}.`;
  fillTable($('global-aggregates'), ['Region', 'Breakdown', 'Value', 'Periods', 'Areas counted', 'Weight share', 'Reported'],
    body.aggregates.map((a) => ({
      attrs: { 'data-region': a.region },
      cells: [`${a.name} (${a.region})`, breakdownText(a.breakdown), num(round(a.value)),
              a.periods ? `${a.periods.first}–${a.periods.last}` : '',
              num(`${a.coverage.areasCounted} / ${a.coverage.areasTotal}`),
              num(a.coverage.weightShare === undefined ? '' : `${(a.coverage.weightShare * 100).toFixed(1)}%`),
              num(a.reported?.value ?? '')],
    })));
  fillTable($('global-rows'), ['Area', 'Breakdown', 'Latest', 'Weight', 'Dataflow'],
    body.rows.map((r) => ({
      attrs: { 'data-area': r.area },
      cells: [`${r.name} (${r.area})`, breakdownText(r.breakdown), num(latestText(r)),
              num(r.weight === undefined ? '' : `${r.weight} (${r.weightPeriod})`), h('td', { class: 'note' }, r.dataflow)],
    })));
}



