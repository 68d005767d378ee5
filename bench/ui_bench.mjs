// Web app benchmark in real Chromium against a running server (SPEC S12.2, issue: web app).
// Measures: sign-in click → first rows shown; a keystroke in search → updated rows; and
// scrolling N rows of the contact list, counting steps where the visible part of the list
// was not fully covered by rendered rows ("dropped content").
//
//   node bench/ui_bench.mjs --base http://127.0.0.1:8080 --email E --password P [--rows 10000]
import { chromium } from '../web/node_modules/playwright-core/index.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const base = args.base ?? 'http://127.0.0.1:8080';
const rowsToScroll = Number(args.rows ?? 10000);
const queries = (args.queries ?? 'jo,mar,smi,ann,dav,gar,lee,kim,rob,wil').split(',');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);
const status = () => page.locator('.page-head p[aria-live]').textContent();

// 1. Sign in → first rows.
await page.goto(base + '/');
await page.getByLabel('Email').fill(args.email);
await page.getByLabel('Password').fill(args.password);
let t0 = performance.now();
await page.getByRole('button', { name: 'Sign in' }).click();
await page.locator('[role=row][aria-rowindex="2"]').waitFor();
const firstRows = performance.now() - t0;
const total = await status();

// 2. Keystroke → updated rows (the list shows the new total and rows in the same render).
const search = page.getByLabel('Search contacts');
const keystroke = [];
for (const q of queries) {
  await search.fill(q.slice(0, -1));
  await page.waitForTimeout(400);
  const before = await status();
  t0 = performance.now();
  await search.press(q.slice(-1));
  await page.waitForFunction((prev) => {
    const el = document.querySelector('.page-head p[aria-live]');
    return el && el.textContent !== prev && !el.textContent.startsWith('Loading');
  }, before, { polling: 'raf', timeout: 10000 });
  keystroke.push(performance.now() - t0);
}
await search.fill('');
await page.waitForTimeout(500);

// 3. Scroll N rows: step half a viewport at a time; after two frames, the visible band of
// the list must be covered by rendered rows (gaps = dropped content).
const scroll = await page.evaluate(async (n) => {
  const body = document.querySelector('.grid-body');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const rowHeight = 52;
  let steps = 0, gaps = 0, waits = 0;
  const start = performance.now();
  while (body.scrollTop < n * rowHeight) {
    const target = body.scrollTop + body.clientHeight / 2;
    // The list grows as pages load: wait for more rows when at the end of what is loaded.
    for (let i = 0; body.scrollHeight - body.clientHeight < target && i < 500; i++) {
      waits++;
      await new Promise((r) => setTimeout(r, 10));
    }
    body.scrollTop = target;
    await frame();
    await frame();
    steps++;
    const view = body.getBoundingClientRect();
    const top = view.top + 1, bottom = Math.min(view.bottom, view.top + body.scrollHeight - body.scrollTop) - 1;
    const rows = [...body.querySelectorAll('[role=row]')].map((r) => r.getBoundingClientRect())
      .filter((r) => r.bottom > top && r.top < bottom).sort((a, b) => a.top - b.top);
    let covered = top;
    for (const r of rows) if (r.top <= covered + 1) covered = Math.max(covered, r.bottom);
    if (covered < bottom - 1) gaps++;
  }
  const last = [...body.querySelectorAll('[role=row]')].map((r) => Number(r.getAttribute('aria-rowindex'))).sort((a, b) => b - a)[0];
  return { steps, gaps, waits, ms: performance.now() - start, lastRowIndex: last - 1 };
}, rowsToScroll);

const result = {
  list_total: total,
  signin_to_first_rows_ms: Math.round(firstRows),
  keystroke_to_rows_ms: { median: Math.round(median(keystroke)), max: Math.round(max(keystroke)), samples: keystroke.map(Math.round) },
  scroll: { rows: scroll.lastRowIndex, steps: scroll.steps, steps_with_gaps: scroll.gaps, seconds: +(scroll.ms / 1000).toFixed(1) },
};
console.log(JSON.stringify(result, null, 2));
await browser.close();
