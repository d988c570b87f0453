// Small DOM helpers shared by the tabs.

export const $ = (id) => document.getElementById(id);

// h('td', {class: 'num'}, 'text', node, ...): an element with attributes
// (on* keys as listeners) and children (strings become text).
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// A table of `rows` (each an array of cells, or {cells, attrs}) under `headers`.
export function fillTable(table, headers, rows) {
  table.replaceChildren(
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.map((r) => {
      const { cells, attrs } = Array.isArray(r) ? { cells: r, attrs: {} } : r;
      return h('tr', attrs, cells.map((c) => (c instanceof Node && c.tagName === 'TD' ? c : h('td', {}, c))));
    })));
}

// ISO 8601 as the hub writes it -> "2026-12-07 12:41:26 UTC".
export const fmtTime = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '');

// A figure shown to people: six significant digits.
export const round = (v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v);

export const num = (v) => h('td', { class: 'num' }, v === undefined || v === null ? '' : String(v));

// A breakdown {SEX: 'F', AGE: '_T'} as its non-total codes: "SEX=F".
export function breakdownText(b) {
  const parts = Object.entries(b || {}).filter(([k, v]) => v !== '_T' && v !== '_Z' && k !== 'FREQ');
  return parts.length ? parts.map(([k, v]) => `${k}=${v}`).join(', ') : 'total';
}

// Answers can arrive out of order (a selector changed twice, a slider
// dragged): `const current = next()` before a request, then `if
// (!current()) return` after it drops an answer a later request superseded.
export function sequencer() {
  let last = 0;
  return () => {
    const mine = ++last;
    return () => mine === last;
  };
}

let errorTimer = 0;
export function showError(err) {
  const p = $('error');
  p.textContent = err instanceof Error ? err.message : String(err);
  p.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => { p.hidden = true; }, 15000);
  console.error(err);
}
