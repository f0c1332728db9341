// The HTML report as a person sees it: headless Chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core pinned in reports/html/package-lock.json) opens the report.html that
// `simvus run S --seed 1 --report DIR` writes, for a passing run and a failing one, from file://.
//
//   node tests/reports/report_browser.test.mjs [path/to/simvus]
//
// Checks: no console or page errors; no request but the file itself; the #timeline and #sequence
// canvases hold ink (pixels read back); the four charts are there (a uPlot chart or "no samples
// in this run"); ArrowRight x3 moves the current event (window.simvusReport.stepIndex(), the
// highlighted text and both canvases' highlight); the failing report shows FAIL and opens at
// verdict.failed_event, highlighted. Prints each report's load time (the page must open a
// 2,000-event report in under 2 s; only a sanity bound is asserted here).
//
// Environment: SIMVUS_BIN (else argv[2], else build/default/simvus), SIMVUS_CHROMIUM (else
// /usr/bin/chromium), SIMVUS_REPORT_SCENARIO (the passing run; flush, ~7,000 events), and
// SIMVUS_WRITE_SCREENSHOT=1 to write docs/report.png from the passing report. Exits 77 (ctest's
// SKIP_RETURN_CODE) when chromium or reports/html/node_modules is missing. When simvus writes a
// report.json but no report.html, the page is built by reports/html/assemble.mjs; to work on the
// page alone, SIMVUS_REPORT_ASSEMBLE=1 always builds it so from this tree's reports/html (no
// rebuild of simvus), and SIMVUS_REPORT_PASS and SIMVUS_REPORT_FAIL name report.json files to use
// instead of running simvus.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const htmlDir = path.join(repo, 'reports/html');
const simvus = process.env.SIMVUS_BIN || process.argv[2] || path.join(repo, 'build/default/simvus');
const chromium = process.env.SIMVUS_CHROMIUM || '/usr/bin/chromium';
const passScenario = process.env.SIMVUS_REPORT_SCENARIO || 'flush';
const SKIP = 77;

function skip(why) {
  console.log(`SKIP report-browser: ${why}`);
  process.exit(SKIP);
}
if (!fs.existsSync(chromium)) skip(`no Chromium at ${chromium} (apt-get install chromium, or set SIMVUS_CHROMIUM)`);
if (!fs.existsSync(path.join(htmlDir, 'node_modules/puppeteer-core/package.json'))) {
  skip('reports/html/node_modules is missing (run .ci/setup, or npm ci --prefix reports/html)');
}
if (!fs.existsSync(simvus) && !process.env.SIMVUS_REPORT_PASS) {
  throw new Error(`no simvus binary at ${simvus} (set SIMVUS_BIN)`);
}
const puppeteer = createRequire(path.join(htmlDir, 'package.json'))('puppeteer-core');

// ---------------------------------------------------------------- the runs and their reports
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'simvus-report-browser-'));

// Runs simvus with --report and returns {html, json}; a failing verdict exits non-zero, which is
// expected for the failing run.
async function makeReport(name, args, given) {
  const dir = path.join(work, name);
  if (given) {
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(given, path.join(dir, 'report.json'));
  } else try {
    execFileSync(simvus, ['run', ...args, '--report', dir, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (!fs.existsSync(path.join(dir, 'report.json'))) {
      throw new Error(`simvus run ${args.join(' ')} --report wrote no report.json (exit ${err.status}): ${err.stderr}`);
    }
  }
  const jsonPath = path.join(dir, 'report.json');
  const htmlPath = path.join(dir, 'report.html');
  if (!fs.existsSync(htmlPath) || process.env.SIMVUS_REPORT_ASSEMBLE === '1') {
    const { assemble } = await import(pathToFileURL(path.join(htmlDir, 'assemble.mjs')).href);
    fs.writeFileSync(htmlPath, assemble(fs.readFileSync(jsonPath, 'utf8')));
    console.log(`# ${name}: report.html built by reports/html/assemble.mjs`);
  }
  return { html: htmlPath, json: JSON.parse(fs.readFileSync(jsonPath, 'utf8')) };
}

let browser;
let passing;
let failing;
before(async () => {
  passing = await makeReport('pass', [passScenario, '--seed', '1'], process.env.SIMVUS_REPORT_PASS);
  failing = await makeReport('fail', ['timeline', '--seed', '1', '--inject-bug', 'ignore-deletes'],
    process.env.SIMVUS_REPORT_FAIL);
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
});
after(async () => {
  if (browser) await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
});

// Opens a report; records console errors, page errors and every request; returns the page.
async function open(report, label) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const problems = [];
  const requests = [];
  page.on('console', m => {
    if (m.type() === 'error' || (m.type() === 'warn' && m.text().startsWith('simvus report'))) {
      problems.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('request', r => requests.push(r.url()));
  const url = pathToFileURL(report.html).href;
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  await page.waitForFunction(() => window.simvusReport && window.simvusReport.ready, { timeout: 15000 });
  const loadMs = performance.now() - t0;
  const initMs = await page.evaluate(() => window.simvusReport.init_ms);
  console.log(`# ${label}: report.html of ${report.json.events.length} events ` +
    `(${fs.statSync(report.html).size} bytes) opened in ${loadMs.toFixed(0)} ms, page code ${initMs.toFixed(0)} ms`);
  return { page, problems, requests, url, loadMs };
}

// Pixels of a canvas darker than the page's light greys: text, marks and lines, not background.
async function inkPixels(page, id) {
  return page.evaluate(id => {
    const c = document.getElementById(id);
    if (!c || !c.width || !c.height) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 0; k < d.length; k += 4) if (d[k + 3] > 0 && Math.min(d[k], d[k + 1], d[k + 2]) < 190) n++;
    return n;
  }, id);
}

async function current(page) {
  return page.evaluate(() => ({
    index: window.simvusReport.stepIndex(),
    text: document.getElementById('current-text').textContent,
    timeline: Number(document.getElementById('timeline').dataset.current),
    sequence: Number(document.getElementById('sequence').dataset.current),
  }));
}

function assertClean(opened) {
  assert.deepEqual(opened.problems, [], 'no console or page errors');
  const others = opened.requests.filter(u => u !== opened.url);
  assert.deepEqual(others, [], 'no request but the report file itself');
}

async function assertDrawn(page) {
  for (const id of ['timeline', 'sequence']) {
    const ink = await inkPixels(page, id);
    assert.ok(ink > 500, `#${id} is not blank (${ink} ink pixels)`);
  }
  const charts = await page.evaluate(() =>
    ['latency', 'throughput', 'tsafe', 'segments'].map(name => {
      const fig = document.getElementById('chart-' + name);
      return {
        name,
        exists: !!fig,
        plot: !!(fig && fig.querySelector('.uplot canvas')),
        empty: !!(fig && /no samples in this run/.test(fig.textContent)),
      };
    }));
  for (const c of charts) {
    assert.ok(c.exists && (c.plot || c.empty), `chart ${c.name} is a uPlot chart or says it has no samples`);
  }
  return charts;
}

// ---------------------------------------------------------------- the passing run
test('a passing report renders, makes no request, and steps with the keys', async () => {
  const opened = await open(passing, `${passScenario} --seed 1 (PASS)`);
  const { page } = opened;
  assert.ok(opened.loadMs < 15000, `opened in ${opened.loadMs.toFixed(0)} ms (sanity bound 15 s)`);
  assert.equal(await page.$eval('#verdict-word', e => e.textContent), 'PASS');
  assert.equal(await page.evaluate(() => window.simvusReport.eventCount()), passing.json.events.length);
  const charts = await assertDrawn(page);
  assert.ok(charts.some(c => c.plot), 'at least one chart has samples');

  // ArrowRight three times: the current event moves forward each time, on both canvases.
  const start = await current(page);
  assert.equal(start.timeline, start.index);
  assert.equal(start.sequence, start.index);
  let last = start;
  const texts = new Set([start.text]);
  for (let k = 0; k < 3; k++) {
    await page.keyboard.press('ArrowRight');
    const now = await current(page);
    assert.ok(now.index > last.index, `ArrowRight moved the current event (${last.index} -> ${now.index})`);
    assert.equal(now.timeline, now.index, 'the timeline highlights the current event');
    assert.equal(now.sequence, now.index, 'the sequence diagram highlights the current event');
    assert.equal(passing.json.events[now.index].level, 'step', 'steps go through step-level events');
    texts.add(now.text);
    last = now;
  }
  assert.ok(texts.size > 1, 'the highlighted text changed');
  await page.keyboard.press('ArrowLeft');
  assert.ok((await current(page)).index < last.index, 'ArrowLeft steps back');
  await page.keyboard.press('Home');
  assert.equal((await current(page)).index, start.index, 'Home returns to the first step');

  // Responsiveness: the time one step takes (redrawing every view).
  const stepMs = await page.evaluate(() => {
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) window.simvusReport.step(1);
    return (performance.now() - t0) / 20;
  });
  console.log(`# one step redraws in ${stepMs.toFixed(1)} ms`);

  if (process.env.SIMVUS_WRITE_SCREENSHOT === '1') {
    // A step in the middle of the run, so the highlight and the state panel show something.
    await page.evaluate(() => window.simvusReport.step(Math.floor(window.simvusReport.stepCount() / 3)));
    const out = path.join(repo, 'docs/report.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`# wrote ${out}`);
  }
  assertClean(opened);
  await page.close();
});

// ---------------------------------------------------------------- the failing run
test('a failing report shows FAIL and opens at the failed event', async () => {
  const opened = await open(failing, 'timeline --seed 1 --inject-bug ignore-deletes (FAIL)');
  const { page } = opened;
  const v = failing.json.verdict;
  assert.equal(v.pass, false, 'the injected bug fails the run');
  assert.equal(v.invariant, 'deleted-row-returned');
  assert.equal(await page.$eval('#verdict-word', e => e.textContent), 'FAIL');
  assert.equal(await page.$eval('#verdict-invariant', e => e.textContent), v.invariant);
  assert.ok(v.failed_event >= 0, 'report.json names the event nearest the failure');
  const at = await current(page);
  assert.equal(at.index, v.failed_event, 'the page opens at verdict.failed_event');
  assert.equal(at.timeline, v.failed_event);
  assert.equal(at.sequence, v.failed_event);
  assert.ok(await page.$eval('#current-event', e => e.classList.contains('failed')),
    'the failed event is highlighted as the failure');
  await assertDrawn(page);
  await page.keyboard.press('ArrowLeft');
  assert.ok((await current(page)).index < v.failed_event, 'ArrowLeft steps back from the failed event');
  assertClean(opened);
  await page.close();
});
