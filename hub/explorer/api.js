// The hub's HTTP API as the page uses it: same origin, JSON in and out.
// Every read answers with X-Hub-Watermark, the consistent state it read.

export const SDMX_JSON_STRUCTURE = 'application/vnd.sdmx.structure+json;version=2.0.0';
export const SDMX_JSON_DATA = 'application/vnd.sdmx.data+json;version=2.0.0';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The message in any error body the hub sends: its own {"error": {...}} or
// an SDMX-JSON error message ({"errors": [{...}]}).
function errorMessage(status, text) {
  try {
    const body = JSON.parse(text);
    if (body.error && body.error.message) return body.error.message;
    const e = body.errors && body.errors[0];
    if (e) return e.title || e.detail || e.message || JSON.stringify(e);
  } catch (_) { /* not JSON */ }
  return text.trim() || `HTTP ${status}`;
}

export async function getJson(path, accept = 'application/json') {
  const resp = await fetch(path, { headers: { Accept: accept } });
  const text = await resp.text();
  if (!resp.ok) throw new ApiError(resp.status, `${path}: ${errorMessage(resp.status, text)}`);
  return { body: JSON.parse(text), watermark: Number(resp.headers.get('X-Hub-Watermark')) };
}

// A dataflow as the page keeps it.
export function flowOf(df) {
  return { agency: df.agencyID, id: df.id, version: df.version, name: df.name || df.id, structure: df.structure };
}
export const flowString = (f) => `${f.agency}:${f.id}(${f.version})`;  // as history and the feed write it
export const flowRef = (f) => `${f.agency},${f.id},${f.version}`;       // SDMX REST 1.x flowRef
export const flowPath = (f) => `${enc(f.agency)}/${enc(f.id)}/${enc(f.version)}`;  // SDMX REST 2.x
export const enc = encodeURIComponent;

export async function dataflows() {
  const { body } = await getJson('/sdmx/v2/structure/dataflow/*/*/*', SDMX_JSON_STRUCTURE);
  return (body.data.dataflows || []).map(flowOf)
    .sort((a, b) => a.name.localeCompare(b.name) || flowString(a).localeCompare(flowString(b)));
}

// The dataflow's dimensions, in key order, each with its name and the codes
// that have data (names from the codelists): one availability query with
// its structures.
export async function dimensionsOf(flow) {
  const { body } = await getJson(`/sdmx/v2/availability/dataflow/${flowPath(flow)}/*?references=all`,
                                 SDMX_JSON_STRUCTURE);
  const d = body.data;
  const dsd = (d.dataStructures || []).find((s) => urnOf(s) === flow.structure) || (d.dataStructures || [])[0];
  if (!dsd) throw new ApiError(404, `no data structure for ${flowString(flow)}`);
  const concepts = new Map();
  for (const cs of d.conceptSchemes || []) {
    for (const c of cs.concepts || []) concepts.set(`${urnOf(cs).replace('conceptscheme.ConceptScheme', 'conceptscheme.Concept')}.${c.id}`, c.name);
  }
  const codelists = new Map((d.codelists || []).map((cl) => [urnOf(cl), cl]));
  const available = new Map();
  for (const c of d.dataConstraints || []) {
    for (const region of c.cubeRegions || []) {
      for (const kv of region.keyValues || []) available.set(kv.id, kv.values || []);
    }
  }
  const dims = (dsd.dataStructureComponents.dimensionList.dimensions || [])
    .slice().sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return dims.map((dim) => {
    const cl = codelists.get(dim.localRepresentation?.enumeration);
    const names = new Map((cl?.codes || []).map((c) => [c.id, c.name || c.id]));
    const codes = (available.get(dim.id) || [...names.keys()]).map((id) => ({ id, name: names.get(id) || id }));
    return { id: dim.id, name: concepts.get(dim.conceptIdentity) || dim.id, codes };
  });
}

function urnOf(artefact) {
  const self = (artefact.links || []).find((l) => l.rel === 'self');
  return self ? self.urn : artefact.urn;
}

// The series whose keys match `key` (v1 key syntax: '' per dimension =
// any), each as {key, codes: [{id, name}] in dimension order}.
export async function seriesKeys(flow, key) {
  const { body } = await getJson(`/sdmx/v1/data/${flowRef(flow)}/${key || 'all'}?detail=serieskeysonly`,
                                 SDMX_JSON_DATA);
  const st = body.data.structures[0];
  const dims = st.dimensions.series.slice().sort((a, b) => a.keyPosition - b.keyPosition);
  const ds = body.data.dataSets[0] || { series: {} };
  // A series' index key lists the value index of each series dimension, in
  // the order of dimensions.series.
  return Object.keys(ds.series || {}).map((idx) => {
    const at = idx.split(':').map(Number);
    const codes = dims.map((dim) => {
      const v = dim.values[at[st.dimensions.series.indexOf(dim)]];
      return { dim: dim.id, id: v.id, name: v.name || v.id };
    });
    return { key: codes.map((c) => c.id).join('.'), codes };
  }).sort((a, b) => a.key.localeCompare(b.key));
}

// Revision statistics and triangle of one series (hub/views/vintages.h)
// at watermark `at`.
export async function seriesVintages(flow, key, at) {
  const { body } = await getJson(`/api/v1/vintages/${enc(flowRef(flow))}/${enc(key)}?horizon=1` +
                                 (at ? `&at=${at}` : ''));
  return body.series[0];
}

// The audit trail's links (GET /api/v1/audit/chain, tab-separated), by seq.
export async function chainLinks() {
  const resp = await fetch('/api/v1/audit/chain');
  if (!resp.ok) throw new ApiError(resp.status, `/api/v1/audit/chain: HTTP ${resp.status}`);
  const [head, ...lines] = (await resp.text()).split('\n').filter(Boolean);
  const names = head.split('\t');
  return new Map(lines.map((l) => {
    const cells = l.split('\t');
    const link = Object.fromEntries(names.map((n, i) => [n, cells[i]]));
    return [Number(link.seq), link];
  }));
}

export const history = (flow, key, at) =>
  getJson(`/api/v1/history/${enc(flowRef(flow))}/${enc(key)}${at ? `?at=${at}` : ''}`);
