// The explorer page: one ES module per tab, no build step and no library,
// served by the hub itself (hub/http/handlers/explorer.cc). The location
// hash holds the tab and what is selected (#series?flow=...&key=...), so a
// view can be linked to.
import { getJson } from './api.js';
import { $, fmtTime, h, showError } from './dom.js';
import { loadLedger } from './ledger.js';
import { subscribe } from './live.js';
import { initSeries, onFlowChange, refreshSeries } from './series.js';
import { initViews, loadCountry, loadGlobal, offerCodes } from './views.js';

const TABS = ['series', 'country', 'global', 'ledger'];
let tab = 'series';

function parseHash() {
  const [name, query] = location.hash.replace(/^#/, '').split('?');
  return { name: TABS.includes(name) ? name : 'series', params: new URLSearchParams(query || '') };
}

// Shows a tab and (re)loads what it shows.
async function show(name) {
  tab = name;
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.dataset.tab !== name;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.tab === name);
  if (name === 'country') await loadCountry();
  if (name === 'global') await loadGlobal();
  if (name === 'ledger') await loadLedger();
}

function setWatermark(w) {
  const el = $('watermark');
  if (Number(el.textContent) >= w) return;
  el.textContent = String(w);
}

async function onCommit(event) {
  setWatermark(event.watermark);
  const log = $('live-log');
  log.prepend(h('li', { 'data-watermark': event.watermark },
    h('strong', {}, `watermark ${event.watermark}`), ` ${event.provider} · ${event.dataflow || event.kind}`,
    h('div', { class: 'note' }, `${fmtTime(event.loadedAt)}: ${event.revisionsWritten} revisions written, ` +
      `${event.seriesChanged ?? (event.series || []).length} series changed`)));
  while (log.children.length > 50) log.lastChild.remove();
  // What is on screen follows the commit.
  if (tab === 'series') await refreshSeries(event);
  if (tab === 'country') await loadCountry();
  if (tab === 'global') await loadGlobal();
  if (tab === 'ledger') await loadLedger();
}

async function main() {
  // Any read carries the watermark it read at (not /healthz: a degraded hub
  // answers it 503, and its data is still worth reading).
  const { watermark } = await getJson('/api/v1/submissions?limit=1');
  setWatermark(watermark);
  const { name, params } = parseHash();
  initViews();
  onFlowChange(() => offerCodes(params));
  await initSeries(name === 'series' ? params : new URLSearchParams());
  await show(name);
  window.addEventListener('hashchange', () => show(parseHash().name).catch(showError));
  subscribe(Number($('watermark').textContent), {
    onCommit: (e) => onCommit(e).catch(showError),
    onState: (up) => { $('live-dot').className = up ? 'on' : 'off'; },
  });
  document.body.dataset.ready = 'true';  // for the browser test: first load done
}

main().catch(showError);
