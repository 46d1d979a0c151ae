// e2e.js - drives the analysts' page in headless Chromium (Debian's, through
// playwright-core) against a running `sanctum serve`, with a fresh profile and
// no network beyond the server. Prints "N passed, N failed"; exits non-zero on
// any failure. Screenshots go to SHOT_DIR.
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require(process.env.PLAYWRIGHT_DIR);

const base = process.env.SANCTUM_URL;
const shots = process.env.SHOT_DIR;
let passed = 0, failed = 0;
function check(cond, desc, detail) {
  if (cond) passed++;
  else { failed++; console.error(`FAIL: ${desc}${detail !== undefined ? ' (' + detail + ')' : ''}`); }
}

(async () => {
  const context = await chromium.launchPersistentContext(process.env.PROFILE_DIR, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1366, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  const outside = [], errors = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await page.goto(base);
    await page.waitForFunction(() => document.getElementById('lists-status').textContent.startsWith('Loaded'));
    check(await page.locator('#list option[value="ofac-sdn"]').count() === 1, 'the list filter offers the loaded lists');

    // search, with the keyboard only
    await page.focus('#q');
    await page.keyboard.type('Kim Sang-man');
    await page.keyboard.press('Enter');
    await page.waitForSelector('ol.hits li');
    const first = await page.locator('ol.hits li').first().getAttribute('data-entity');
    check(first === 'ofac-sdn:43377', 'typing a name shows the right hit first', first);
    const bar = await page.locator('ol.hits li .bar span').first().evaluate((e) => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width);
    check(bar > 0.99, 'the first hit has a full score bar', bar);
    check(await page.locator('ol.hits li .why .tok').count() >= 3, 'the explanation is shown');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === 'results-heading', 'focus moves to the results', focused);
    await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: false });

    // filters: organizations only, high threshold
    await page.selectOption('#type', 'organization');
    await page.click('#search-button');
    await page.waitForFunction(() => !document.querySelector('ol.hits li[data-entity="ofac-sdn:43377"]'));
    check(true, 'the type filter removes the person');
    await page.selectOption('#type', '');
    await page.click('#search-button');
    await page.waitForSelector('ol.hits li[data-entity="ofac-sdn:43377"]');

    // open the entity from the keyboard
    await page.locator('ol.hits li a.open-entity').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /KIM/.test(document.getElementById('entity-heading').textContent));
    const entityText = await page.locator('#entity').innerText();
    for (const want of ['KIM, Sangman', '109420132', '1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ', 'DPRK4', 'Russia'])
      check(entityText.includes(want), `the entity page shows ${want}`);
    check(!/^null$/m.test(entityText), 'the entity page shows no stray null');
    await page.screenshot({ path: path.join(shots, 'entity.png'), fullPage: false });
    await page.click('#back');
    await page.waitForSelector('#search-view:not([hidden])');
    check(await page.locator('ol.hits li').count() > 0, 'going back keeps the results');

    // upload a CSV and download the results
    const csv = 'id,name\nc1,Kim Sang-man\nc2,Jinyong IT Cooperation Co Ltd\nc3,Zzyzx Nobody\n';
    await page.setInputFiles('#batch-file', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#batch-button');
    await page.waitForSelector('#batch-summary');
    const summary = await page.locator('#batch-summary').innerText();
    check(/^customers\.csv: 3 records: 2 with hits/.test(summary), 'the CSV is screened', summary);
    const table = await page.locator('#batch-results table').innerText();
    check(table.includes('ofac-sdn:43377'), 'the batch table shows the best hit');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const file = path.join(shots, download.suggestedFilename());
    await download.saveAs(file);
    const got = fs.readFileSync(file, 'utf8');
    check(download.suggestedFilename() === 'customers-results.csv' && got.startsWith('id,rank,entity') &&
          got.includes('c1,1,ofac-sdn:43377'), 'the results download as CSV', got.slice(0, 120));

    // upload a workbook (made with libxlsxwriter: a title row, then the header), from the keyboard
    const book = path.join(__dirname, '..', 'server', 'data', 'customers.xlsx');
    await page.setInputFiles('#batch-file', book);
    await page.focus('#batch-button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^customers\.xlsx:/.test((document.getElementById('batch-summary') || {}).textContent || ''));
    const xsummary = await page.locator('#batch-summary').innerText();
    check(/^customers\.xlsx: 3 records: 2 with hits, \d+ hits, 0 errors/.test(xsummary), 'the workbook is screened', xsummary);
    const xtable = await page.locator('#batch-results table').innerText();
    check(/c1\s+\d+\s+1\.00\s+KIM, Sang Man\s+ofac-sdn:43377/.test(xtable), 'the workbook\'s Kim Sang-man hits ofac-sdn:43377',
          xtable.slice(0, 600));
    const focusedSummary = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focusedSummary === 'batch-summary', 'focus moves to the batch summary', focusedSummary);
    // the results as a workbook, with the keyboard
    await page.focus('#download-xlsx');
    const [xdownload] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const xfile = path.join(shots, xdownload.suggestedFilename());
    await xdownload.saveAs(xfile);
    const xbytes = fs.readFileSync(xfile);
    check(xdownload.suggestedFilename() === 'customers-results.xlsx' && xbytes.slice(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')) &&
          xbytes.includes('xl/worksheets/'), 'the results download as an XLSX workbook', xdownload.suggestedFilename());
    await page.waitForFunction(() => /^Saved/.test(document.getElementById('download-status').textContent));
    const jsonl = await page.locator('#download-jsonl').getAttribute('download');
    check(jsonl === 'customers-results.jsonl', 'a JSON Lines download is offered', jsonl);
    await page.locator('#batch-results').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'batch.png'), fullPage: true });
    // the page as docs/screenshots/serve-page.png shows it: a search and a screened workbook
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'serve-page.png'), fullPage: false });

    check(outside.length === 0, 'nothing is fetched from anywhere but the server', outside.join(' '));
    check(errors.length === 0, 'no script errors', errors.join(' | '));
  } catch (e) {
    check(false, 'the walk through the page completes', e.message.split('\n')[0]);
    try { await page.screenshot({ path: path.join(shots, 'failure.png') }); } catch (_) { /* best effort */ }
  } finally {
    await context.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
