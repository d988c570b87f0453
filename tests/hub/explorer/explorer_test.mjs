// The explorer page end to end in Debian's Chromium (run by
// explorer_test.sh, which starts the hub on port 0 and loads the demo):
//  - the page loads the demo and picks Nigeria's maternal mortality ratio
//    through the dimension selectors (names from the codelists);
//  - the chart draws both vintages (UNSD's, then WHO's revision) and the
//    revision table says who revised which period, and from what;
//  - the asOf slider goes back to UNSD's vintage (the hub's ?at=);
//  - a third vintage submitted while the page is open shows without reload;
//  - the country view shows Kenya's national and global figures and their
//    differences, the global view the regional aggregates and coverage, the
//    ledger the rejected submission's diagnostics and the overdue provider,
//    each as the API says;
//  - no request leaves the hub's origin, and the console stays clean (a
//    Content-Security-Policy violation would show there).
// Screenshots of each step go to $ARTIFACTS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const env = (name) => { const v = process.env[name]; assert.ok(v, `${name} is not set`); return v; };
const url = env('HUB_URL');
const key = env('SERIES_KEY');
const artifacts = env('ARTIFACTS');
const { chromium } = createRequire(`${env('NPM_DEPS')}/package.json`)('playwright-core');

const api = async (path) => {
  const r = await fetch(url + path);
  assert.equal(r.status, 200, `${path}: HTTP ${r.status}`);
  return r.json();
};

const context = await chromium.launchPersistentContext(env('BROWSER_PROFILE'), {
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
const problems = [];
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20000);
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) problems.push(`request off the hub: ${r.url()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const shot = (name) => page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });

  // --- The demo loads; a revised series is picked by its dimensions.
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#dataflow'), /DF_DEMO_SDG/);
  const areaOption = await page.textContent('select[data-dim="REF_AREA"] option[value="566"]');
  assert.equal(areaOption, 'Nigeria (566)', 'area names come from the codelist');
  const [, reportingType, series, area] = key.split('.');
  await page.selectOption('select[data-dim="REPORTING_TYPE"]', reportingType);
  await page.selectOption('select[data-dim="SERIES"]', series);
  await page.selectOption('select[data-dim="REF_AREA"]', area);
  await page.click(`#series-list tr[data-key="${key}"]`);
  await page.waitForSelector('#chart svg g.vintage');
  assert.match(await page.textContent('#series-title'), /Maternal mortality ratio.*Nigeria/);

  // --- Both vintages, and who revised what: as the history API says.
  const flow = 'SDMXHUB,DF_DEMO_SDG,1.0';
  const hist = (await api(`/api/v1/history/${flow}/${key}`)).revisions;
  const marks = [...new Set(hist.map((r) => r.watermark))].sort((a, b) => a - b);
  assert.equal(marks.length, 2, 'UNSD sent the series, WHO revised it');
  assert.equal(await page.locator('#chart svg g.vintage').count(), 2);
  const legend = await page.locator('#legend li').allTextContents();
  assert.match(legend[0], /UNSD/);
  assert.match(legend[1], /WHO/);
  const first = new Map(hist.filter((r) => r.watermark === marks[0]).map((r) => [r.period, r.value]));
  const revised = hist.filter((r) => r.watermark === marks[1] && first.has(r.period) && Number(first.get(r.period)) !== Number(r.value));
  assert.ok(revised.length > 0);
  const revisedRows = page.locator('#revisions tr.revised');
  assert.equal(await revisedRows.count(), revised.length, 'one highlighted row per period WHO changed');
  for (const r of revised) {
    const cells = await page.locator(`#revisions tr.revised[data-period="${r.period}"] td`).allTextContents();
    assert.equal(cells[2], 'WHO');
    assert.equal(Number(cells[5]), Number(r.value), `${r.period}: the revised value`);
    assert.equal(Number(cells[6]), Number(first.get(r.period)), `${r.period}: the value it replaced`);
  }
  // The revision statistics, as /api/v1/vintages says.
  const stats = (await api(`/api/v1/vintages/${flow}/${key}?output=stats&horizon=1`)).series[0].statistics;
  assert.equal(stats.revisions, revised.length);
  assert.match(await page.textContent('#revision-stats'), new RegExp(`^${stats.revisions} revision\\(s\\) in 2 vintage\\(s\\)`));
  assert.match(await page.textContent('#revision-stats'), new RegExp(`over ${stats.latest.periods} period`));
  // The revision triangle: each revised period's cell at WHO's vintage is
  // WHO's value and marked changed; at UNSD's, UNSD's.
  await page.click('#triangle-box summary');
  for (const r of revised) {
    const cell = (w) => page.locator(`#triangle tr[data-period="${r.period}"] td[data-watermark="${w}"]`);
    assert.equal(Number(await cell(marks[0]).textContent()), Number(first.get(r.period)));
    assert.equal(Number(await cell(marks[1]).textContent()), Number(r.value));
    assert.match(await cell(marks[1]).getAttribute('class'), /changed/);
  }
  await shot('1-series-two-vintages');

  // --- asOf: back to UNSD's vintage, read from the hub at that watermark.
  const asOf = (i) => page.$eval('#asof', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }, i);
  await asOf(0);
  await page.waitForFunction(() => document.querySelectorAll('#chart svg g.vintage').length === 1);
  assert.match(await page.textContent('#asof-label'), new RegExp(`watermark ${marks[0]}: .* from UNSD`));
  assert.equal(await page.locator('#revisions tr.revised').count(), 0);
  assert.equal(await page.locator('#revisions tbody tr').count(), first.size);
  await page.waitForFunction(() => document.querySelector('#revision-stats').textContent.startsWith('0 revision(s) in 1 vintage(s)'));
  await shot('2-series-as-of-first-vintage');
  await asOf(1);
  await page.waitForFunction(() => document.querySelectorAll('#chart svg g.vintage').length === 2);

  // --- Live: a third vintage committed while the page is open appears
  // without a reload.
  await page.evaluate(() => { window.notReloaded = true; });
  const out = await promisify(execFile)(env('HUB'), ['submit', '--to', url, '--token', 'demo-who-token',
                                                     '--id-prefix', 'test-', '--wait', env('THIRD_VINTAGE')]);
  const committed = out.stdout.match(/committed at watermark (\d+)/);
  assert.ok(committed, out.stdout + out.stderr);
  await page.waitForSelector(`#live-log li[data-watermark="${committed[1]}"]`);
  await page.waitForFunction(() => document.querySelectorAll('#chart svg g.vintage').length === 3);
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  assert.equal(await page.textContent('#watermark'), committed[1]);
  assert.match((await page.locator('#legend li').allTextContents())[2], new RegExp(`watermark ${committed[1]} · WHO`));
  assert.match(await page.textContent('#asof-label'), /\(latest\)/);
  await shot('3-series-third-vintage-live');

  // --- Country view: Kenya, national beside global, differences as the API.
  await page.click('nav a[data-tab="country"]');
  await page.selectOption('#country-area', '404');
  await page.waitForSelector('#country-table tr.both');
  const country = await api('/api/v1/views/country/404');
  const both = country.series.filter((s) => s.national && s.global);
  assert.ok(both.length > 0);
  assert.equal(await page.locator('#country-table > tbody > tr.both').count(), both.length);
  const firstBoth = await page.locator('#country-table > tbody > tr.both').first().locator(':scope > td').allTextContents();
  assert.equal(firstBoth[4], `${both[0].latestDifference.difference} (${both[0].latestDifference.period})`);
  await shot('4-country-view-kenya');

  // --- Global view: aggregates with their coverage, as the API.
  await page.click('nav a[data-tab="global"]');
  await page.selectOption('#global-indicator', 'SH_STA_MORT');
  await page.waitForSelector('#global-aggregates tbody tr');
  const global = await api('/api/v1/views/global/SH_STA_MORT?reportingType=G');
  assert.ok(global.aggregates.length > 0);
  assert.equal(await page.locator('#global-aggregates tbody tr').count(), global.aggregates.length);
  assert.equal(await page.locator('#global-rows tbody tr').count(), global.rows.length);
  const world = global.aggregates.find((a) => a.region === '1');
  const worldCells = await page.locator('#global-aggregates tr[data-region="1"]').first().locator('td').allTextContents();
  assert.equal(worldCells[4], `${world.coverage.areasCounted} / ${world.coverage.areasTotal}`);
  await shot('5-global-view');

  // --- Ledger: the rejected submission with its diagnostics; KNBS overdue.
  await page.click('nav a[data-tab="ledger"]');
  await page.waitForSelector('#submissions tr.rejected');
  assert.match(await page.textContent('#submissions tr.rejected'), /999999/);
  assert.match(await page.textContent('#submissions tr.rejected details'), /REF_AREA|CL_AREA|code/i);
  await page.waitForSelector('#providers tr.overdue[data-provider="KNBS"]');
  const ledger = await api('/api/v1/submissions');
  assert.equal(await page.locator('#submissions tbody tr').count(), ledger.submissions.length);
  // Each committed submission shows its audit-trail link (the start of its hash).
  const chain = (await (await fetch(`${url}/api/v1/audit/chain`)).text()).trim().split('\n').slice(1).map((l) => l.split('\t'));
  const who = ledger.submissions.find((s) => s.id === 'test-third_vintage');
  const link = chain.find((cells) => Number(cells[0]) === who.watermark);
  assert.ok(link, 'the third vintage is linked into the audit trail');
  await page.click('nav a[data-tab="series"]');  // reload the ledger: the link may have come after it was read
  await page.click('nav a[data-tab="ledger"]');
  await page.waitForFunction((h) => document.querySelector('#submissions tr[data-id="test-third_vintage"] td.chain code')?.textContent === h,
                             link[link.length - 1].slice(0, 12));
  await shot('6-ledger');
} finally {
  await context.close();
}
assert.deepEqual(problems, [], problems.join('\n'));
console.log(`explorer: all steps passed; screenshots in ${artifacts}`);
