// The Submissions tab: the ledger (/api/v1/submissions), newest first, with
// each rejected submission's diagnostics, and the providers that are
// overdue (/api/v1/reporting).
import { chainLinks, getJson } from './api.js';
import { $, fillTable, fmtTime, h, num, sequencer } from './dom.js';

const LIMIT = 200;
const nextLoad = sequencer();

export async function loadLedger() {
  const current = nextLoad();
  const [{ body: ledger }, { body: reporting }, links] = await Promise.all([
    getJson(`/api/v1/submissions?limit=${LIMIT}`), getJson('/api/v1/reporting'), chainLinks()]);
  if (!current()) return;
  const rows = reporting.providers.flatMap((p) => p.dataflows.map((d) => ({ p, d })));
  rows.sort((a, b) => Number(b.d.overdue) - Number(a.d.overdue) || a.p.provider.localeCompare(b.p.provider));
  fillTable($('providers'), ['Provider', 'Dataflow', 'Status', 'Last committed', 'Days since', 'Expected every', 'Committed', 'Rejected'],
    rows.map(({ p, d }) => ({
      attrs: { class: d.overdue ? 'overdue' : undefined, 'data-provider': p.provider },
      cells: [p.provider, d.dataflow, d.overdue ? 'overdue' : 'on time',
              h('td', { class: 'time' }, d.last_committed_at ? fmtTime(d.last_committed_at) : 'never'),
              num(d.days_since_last === undefined ? '' : d.days_since_last.toFixed(1)),
              p.report_every_days ? `${p.report_every_days} days` : 'no schedule',
              num(d.committed), num(d.rejected)],
    })));
  fillTable($('submissions'), ['Received', 'Submission', 'Provider', 'Dataflow', 'Status', 'Watermark', 'Observations', 'Revisions', 'Audit link', 'Diagnostics'],
    ledger.submissions.map((s) => ({
      attrs: { class: s.status, 'data-id': s.id },
      cells: [h('td', { class: 'time' }, fmtTime(s.accepted_at)), h('td', {}, h('code', {}, s.id)), s.provider, s.dataflow || s.kind, s.status,
              num(s.watermark), num(s.observations), revisions(s.revisions), chainCell(links.get(s.watermark)),
              h('td', {}, diagnostics(s))],
    })));
}

// The commit's link in the audit trail (hub/README.md "Audit trail"): the
// start of its hash; the whole link on hover. Empty until linked.
function chainCell(link) {
  if (!link) return h('td', { class: 'note' }, '');
  return h('td', { class: 'chain', title: `hash ${link.hash}\nprev ${link.prev}\nrevisions ${link.revisions_sha256}` },
           h('code', {}, link.hash.slice(0, 12)));
}

// What the commit changed, leaving out the zero counts.
function revisions(r) {
  if (!r) return '';
  const parts = ['new', 'changed', 'deleted', 'unchanged'].filter((k) => r[k]).map((k) => `${r[k]} ${k}`);
  return parts.join(', ') || 'nothing';
}

function diagnostics(s) {
  const list = s.diagnostics || [];
  if (s.failure) list.unshift({ text: `failed to apply: ${s.failure}` });
  if (!list.length) return '';
  return h('details', { open: s.status !== 'committed' },
    h('summary', {}, `${list.length}${s.skipped_series ? `, ${s.skipped_series} series skipped` : ''}`),
    h('ul', {}, list.map((d) => h('li', {}, h('code', {}, d.text || d.message)))));
}
