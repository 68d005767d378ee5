// Helpers for the browser (end-to-end) tests: real Chromium driven by playwright-core,
// against a throwaway server (tests/api/lib.mjs) that serves the built web app (web/dist).
//
// Each test file calls `useApp({ users })` once at top level: it starts the server and the
// browser in `before` and stops them in `after`. Tests then use `withPage(t, async (page) => …)`,
// which opens a fresh browser context (no cookies), and saves a full-page screenshot to
// tests/e2e/screenshots/<test name>.png when the test fails.
//
// Elements are found as a user perceives them: by role and accessible name, by label, or by
// visible text. No CSS selectors.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';
import { startServer, client, createContact, newPhone, expectStatus, PASSWORD, REPO } from '../api/lib.mjs';

export { client, createContact, newPhone, expectStatus, PASSWORD, REPO };

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.join(HERE, 'screenshots');
export const WEB_DIST = process.env.DIALBOOK_WEB || path.join(REPO, 'web', 'dist');
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 10000);

export const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
};

// Starts one server and one browser for the whole test file. The returned object is filled
// in `before`: {base, tokenA, tokenB, tokens, api (client for Acme's admin), browser, srv}.
// `seed(app)` runs once the server is up (a separate top-level `before` may run too early).
export function useApp({ users = [], seed } = {}) {
  const app = {};
  before(async () => {
    assert.ok(fs.existsSync(path.join(WEB_DIST, 'index.html')),
      `the web app is not built: ${WEB_DIST}/index.html is missing (build it with the web toolchain first)`);
    app.srv = await startServer({ users, web: WEB_DIST });
    app.base = app.srv.base;
    app.tokenA = app.srv.tokenA;
    app.tokenB = app.srv.tokenB;
    app.tokens = app.srv.tokens;
    app.api = client(app.base, app.tokenA);
    app.browser = await chromium.launch(LAUNCH);
    if (seed) await seed(app);
  });
  after(async () => {
    if (app.browser) await app.browser.close().catch(() => {});
    if (app.srv) await app.srv.stop();
  });
  return app;
}

function fileName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'test';
}

// Runs fn(page, context) in a fresh browser context. On failure: a full-page screenshot is
// saved and the page's console errors are added to the error message.
export async function withPage(t, app, fn, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await app.browser.newContext({ baseURL: app.base, viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // 4xx answers are part of the journeys (401 before sign-in, 409 duplicate, 412 stale…).
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  const file = path.join(SCREENSHOTS, `${fileName(t.name)}.png`);
  try {
    await fn(page, context);
    fs.rmSync(file, { force: true });  // no stale picture of an earlier failure
  } catch (err) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
      err.message += `\n  screenshot: ${path.relative(REPO, file)}`;
    } catch (e) {
      err.message += `\n  (no screenshot: ${e.message.split('\n')[0]})`;
    }
    if (problems.length) err.message += `\n  browser console:\n    ${problems.slice(-10).join('\n    ')}`;
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
}

// Signs in through the sign-in form and waits for the app shell.
export async function signIn(page, email, password = PASSWORD) {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

// Polls fn until it returns a truthy value (or assert-passes); fails with the last error.
export async function eventually(fn, { timeout = TIMEOUT, interval = 100, message } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v !== false && v !== undefined && v !== null) return v;
      last = new Error(message || `condition not met within ${timeout} ms (last value ${JSON.stringify(v)})`);
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      if (message && last && !last.message.startsWith(message)) last.message = `${message}\n  ${last.message}`;
      throw last;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// Waits until the locator's text content matches (string: contains; RegExp: test).
export async function expectText(locator, expected, opts = {}) {
  return eventually(async () => {
    const text = (await locator.textContent({ timeout: 1000 })) ?? '';
    const ok = expected instanceof RegExp ? expected.test(text) : text.includes(expected);
    assert.ok(ok, `expected text ${expected} in ${JSON.stringify(text)}`);
    return true;
  }, opts);
}

// Waits until the locator matches exactly n elements.
export async function expectCount(locator, n, opts = {}) {
  return eventually(async () => {
    const c = await locator.count();
    assert.equal(c, n, `expected ${n} element(s), found ${c}`);
    return true;
  }, opts);
}

// Waits until the attribute of the (single) element equals the value.
export async function expectAttr(locator, name, value, opts = {}) {
  return eventually(async () => {
    const v = await locator.getAttribute(name, { timeout: 1000 });
    assert.equal(v, value, `attribute ${name}`);
    return true;
  }, opts);
}

// Waits until the locator is gone (detached or hidden).
export async function expectGone(locator, opts = {}) {
  await locator.waitFor({ state: 'hidden', timeout: opts.timeout ?? TIMEOUT });
}

// ---- The contacts page -----------------------------------------------------------------

// The list's data rows: their accessible name is "<name>, <E.164 phone>".
export function contactRows(page) {
  return page.getByRole('region', { name: /^(Contact list|Trashed contacts)$/ }).getByRole('row', { name: /, \+\d+$/ });
}

// One contact's row, by its displayed name.
export function contactRow(page, name) {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('region', { name: /^(Contact list|Trashed contacts)$/ })
    .getByRole('row', { name: new RegExp(`^${esc}, \\+\\d+$`) });
}

// The names shown in the (rendered part of the) list, top to bottom. Read in one go: the
// virtualised rows are replaced as the list changes.
export async function rowNames(page) {
  const rows = await contactRows(page).evaluateAll((els) =>
    els.map((e) => [e.getAttribute('aria-label') ?? '', Number(e.getAttribute('aria-rowindex'))]));
  return rows.sort((a, b) => a[1] - b[1]).map(([label]) => label.replace(/, \+\d+$/, ''));
}

// "12 contacts" / "1 contact match" under the heading.
export function countLine(page) {
  return page.getByText(/^[\d,]+ contacts?( match)?/);
}

export async function expectRowNames(page, expected, opts = {}) {
  return eventually(async () => {
    assert.deepEqual(await rowNames(page), expected);
    return true;
  }, opts);
}

export function drawer(page, name) {
  return page.getByRole('dialog', { name });
}

// Navigates through the sidebar.
export async function goTo(page, linkName) {
  await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: linkName, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: linkName, exact: true }).waitFor();
}

// The toast area (role=status, aria-live) shows a message.
export async function expectToast(page, text) {
  await page.getByRole('status').filter({ hasText: text }).first().waitFor();
}
