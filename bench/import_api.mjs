#!/usr/bin/env node
// Import benchmark through the HTTP API (SPEC S6): a fresh server on a temporary SQLite
// database, a generated messy CSV uploaded with POST /api/v1/imports (multipart), the
// suggested mapping PUT back, then two timings:
//   review — from the upload until GET /imports/{id}/review has answered
//            (upload + mapping + review, the wait a user has before the review screen)
//   run    — from POST /imports/{id}/start until GET /imports/{id} says `completed`
//            (polled every 100 ms)
//
//   node bench/import_api.mjs                 100,000 rows
//   ROWS=20000 node bench/import_api.mjs      quick check
//
// Environment: ROWS (100000), SEED (1), DIALBOOK_BIN (build/dialbook), KEEP=1 keeps the temp
// directory (database, server log, CSV), TIMEOUT_S (600: give up waiting for the import).
// No dependencies (Node 20). Progress on stderr; a markdown block on stdout.
// Exit status: 0 when the import completed with the counts the generator expects, 1 otherwise.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../tests/api/lib.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.DIALBOOK_BIN || path.join(REPO, 'build', 'dialbook');
const ROWS = Number(process.env.ROWS || 100000);
const SEED = process.env.SEED || '1';
const KEEP = process.env.KEEP === '1';
const TIMEOUT_S = Number(process.env.TIMEOUT_S || 600);
const EMAIL = 'bench@dialbook.local';
const PASSWORD = `bench-${Date.now()}-${process.pid}`;
const WS = 'ImportApiBench';

const log = (m) => process.stderr.write(`== ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (t0) => (performance.now() - t0) / 1000;

function die(msg) {
  const e = new Error(msg);
  e.fatal = true;
  throw e;
}

function cli(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  if (r.status !== 0) die(`dialbook ${args.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function describe(res, text) {
  return `${res.status} ${text.length > 600 ? text.slice(0, 600) + '…' : text}`;
}

async function main() {
  if (!Number.isInteger(ROWS) || ROWS <= 0) die(`ROWS must be a positive whole number (got ${process.env.ROWS})`);
  if (!fs.existsSync(BIN)) die(`${BIN} not found (build it first)`);
  // (`dialbook import --help` exits 0 even without the command: CLI11 then prints the main help.)
  if (!/^\s+import\s/m.test(spawnSync(BIN, ['--help'], { encoding: 'utf8' }).stdout || ''))
    die(`${BIN} has no 'import' command yet (not in ${BIN} --help)`);

  const dir = await fsp.mkdtemp(path.join(process.env.TMPDIR || os.tmpdir(), 'dialbook-import-api-'));
  let server = null;
  let exited = null;
  let serverLog = '';
  const cleanup = async () => {
    if (server && !exited) {
      server.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) server.kill('SIGKILL');
    }
    if (KEEP) process.stderr.write(`import_api.mjs: kept ${dir}\n`);
    else await fsp.rm(dir, { recursive: true, force: true });
  };
  const onSignal = () => { cleanup().finally(() => process.exit(130)); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // ---------------------------------------------------------------- data
    const csv = path.join(dir, `import_${ROWS}.csv`);
    const statsFile = path.join(dir, 'stats.json');
    log(`generating ${ROWS} rows (seed ${SEED})`);
    const g = spawnSync(process.execPath, [path.join(REPO, 'bench', 'gen_import_csv.mjs'), '--rows', String(ROWS),
      '--seed', SEED, '--out', csv, '--stats-json', statsFile], { encoding: 'utf8' });
    if (g.status !== 0) die(`the generator failed:\n${g.stderr}`);
    const expected = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
    const fileBytes = fs.statSync(csv).size;

    // ---------------------------------------------------------------- server
    const dbFile = path.join(dir, 'db.sqlite');
    const db = `sqlite:${dbFile}`;
    cli(['workspace', 'create', WS, '--admin-email', EMAIL, '--admin-password', PASSWORD, '--db', db]);
    const token = cli(['token', 'create', '--email', EMAIL, '--workspace', WS, '--name', 'bench', '--db', db])
      .split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const serveArgs = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--stop-with-parent'];
    const mib = Math.ceil(fileBytes / 1048576) + 1;
    if (mib > 50) serveArgs.push('--max-upload-mb', String(mib));
    server = spawn(BIN, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => { serverLog = (serverLog + d).slice(-20000); };
    server.stdout.on('data', keep);
    server.stderr.on('data', keep);
    server.on('exit', (code, sig) => { exited = { code, sig }; });
    const deadline = Date.now() + 20000;
    for (;;) {
      if (exited) die(`dialbook serve exited early (${JSON.stringify(exited)}):\n${serverLog}`);
      try {
        const r = await fetch(`${base}/healthz`);
        await r.text();
        if (r.status === 200) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) die(`dialbook serve did not answer /healthz within 20 s:\n${serverLog}`);
      await sleep(100);
    }
    log(`server pid ${server.pid} on ${base}`);

    const call = async (method, p, body, headers = {}) => {
      const h = { authorization: `Bearer ${token}`, ...headers };
      let payload = body;
      if (body !== undefined && !(body instanceof FormData)) {
        payload = JSON.stringify(body);
        h['content-type'] = 'application/json';
      }
      const res = await fetch(base + p, { method, headers: h, body: payload });
      const text = await res.text();
      let json;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      return { res, text, json, status: res.status };
    };
    const expect = (r, statuses, what) => {
      if (!statuses.includes(r.status)) die(`${what}: expected HTTP ${statuses.join('|')}, got ${describe(r.res, r.text)}`);
      return r.json;
    };

    // ---------------------------------------------------------------- upload → review
    log(`uploading ${path.basename(csv)} (${(fileBytes / 1048576).toFixed(1)} MiB)`);
    const blob = typeof fs.openAsBlob === 'function'
      ? await fs.openAsBlob(csv, { type: 'text/csv' })
      : new Blob([fs.readFileSync(csv)], { type: 'text/csv' });
    const form = new FormData();
    form.append('file', blob, path.basename(csv));
    const tUpload = performance.now();
    const imp = expect(await call('POST', '/api/v1/imports', form), [201], 'POST /api/v1/imports');
    const uploadS = secs(tUpload);
    const id = imp.id;
    log(`import ${id}: ${imp.status}, format ${imp.format}, encoding ${imp.encoding}, rows_total ${imp.rows_total}, upload ${uploadS.toFixed(2)} s`);

    const columns = [];
    let consentColumn = null;
    for (const c of imp.columns || []) {
      if (c.suggested_field) columns.push({ index: c.index, field: c.suggested_field });
      else columns.push({ index: c.index, ignore: true });
      if (c.suggested_field === 'consent') consentColumn = c.index;
    }
    const suggested = (imp.columns || []).map((c) => `${c.header}→${c.suggested_field || '-'}`).join(', ');
    log(`suggested mapping: ${suggested}`);
    const tMap = performance.now();
    expect(await call('PUT', `/api/v1/imports/${id}/mapping`, {
      columns, consent_column: consentColumn,
      options: { on_duplicate: 'skip', default_country: 'US' },
    }), [200], 'PUT mapping');
    const mapS = secs(tMap);
    const tReview = performance.now();
    const review = expect(await call('GET', `/api/v1/imports/${id}/review`), [200], 'GET review');
    const reviewOnlyS = secs(tReview);
    const reviewS = secs(tUpload);
    log(`review: will_create ${review.will_create}, will_update ${review.will_update}, will_skip ${review.will_skip}, ` +
      `skipped ${JSON.stringify(review.skipped)} (GET review ${reviewOnlyS.toFixed(2)} s; upload→review ${reviewS.toFixed(2)} s)`);

    // ---------------------------------------------------------------- start → completed
    const tStart = performance.now();
    expect(await call('POST', `/api/v1/imports/${id}/start`, { consent_attested: true }), [202], 'POST start');
    let last = null;
    let lastLog = 0;
    for (;;) {
      const r = await call('GET', `/api/v1/imports/${id}`);
      expect(r, [200], 'GET import');
      last = r.json;
      if (['completed', 'failed', 'undone'].includes(last.status)) break;
      if (exited) die(`the server died during the import (${JSON.stringify(exited)}):\n${serverLog.slice(-3000)}`);
      if (secs(tStart) > TIMEOUT_S) die(`the import was not finished after ${TIMEOUT_S} s: ${r.text.slice(0, 400)}`);
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        const p = last.progress || {};
        log(`${last.status}: ${p.rows_done}/${p.rows_total} rows, ${p.rate} rows/s, eta ${p.eta_seconds} s`);
      }
      await sleep(100);
    }
    const runS = secs(tStart);
    let serverRss = '?';
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'));
      if (m) serverRss = `${Math.round(Number(m[1]) / 1024)} MiB`;
    } catch { /* not Linux, or gone */ }
    const sum = last.summary || {};
    log(`import ${id} ${last.status} in ${runS.toFixed(2)} s${last.error ? `: ${last.error}` : ''}`);

    // ---------------------------------------------------------------- checks
    const diffs = [];
    if (last.status !== 'completed') diffs.push(`status ${last.status}${last.error ? ` (${last.error})` : ''}`);
    if (sum.imported !== expected.expected_imported) diffs.push(`imported ${sum.imported} (expected ${expected.expected_imported})`);
    const skipped = sum.skipped || {};
    for (const [k, v] of Object.entries(expected.expected_skipped))
      if ((skipped[k] || 0) !== v) diffs.push(`skipped.${k} ${skipped[k] || 0} (expected ${v})`);
    for (const [k, v] of Object.entries(skipped))
      if (!(k in expected.expected_skipped)) diffs.push(`skipped.${k} ${v} (expected 0)`);
    if (review.will_create !== expected.expected_imported)
      diffs.push(`review.will_create ${review.will_create} (expected ${expected.expected_imported})`);
    if (consentColumn === null) diffs.push('no column was suggested as consent (the Consent header)');

    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout.trim() || '?';
    const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
    const rate = (s) => (s > 0 ? Math.round(ROWS / s) : 'n/a');
    const out = [
      '',
      `### ${new Date().toISOString().slice(0, 10)} — import through the API, ${ROWS} rows (${os.hostname()})`,
      '',
      `- Command: \`ROWS=${ROWS} SEED=${SEED} node bench/import_api.mjs\` (commit ${commit}${dirty ? ' + uncommitted changes in src/' : ''}; ` +
        `nproc ${os.cpus().length}; file ${(fileBytes / 1048576).toFixed(1)} MiB)`,
      `- **Upload → review: ${reviewS.toFixed(2)} s** (POST /imports ${uploadS.toFixed(2)} s, PUT mapping ${mapS.toFixed(2)} s, ` +
        `GET review ${reviewOnlyS.toFixed(2)} s)`,
      `- **Start → completed: ${runS.toFixed(2)} s** (${rate(runS)} rows/s, polled every 100 ms); server peak RSS ${serverRss}`,
      `- Review: will_create ${review.will_create}, will_skip ${review.will_skip}, skipped ${JSON.stringify(review.skipped)}`,
      `- Summary: ${JSON.stringify(sum)}`,
      `- Expected from the generator: imported ${expected.expected_imported}, skipped ${JSON.stringify(expected.expected_skipped)}`,
    ];
    if (diffs.length) out.push(`- **FAILED**: ${diffs.join('; ')}`);
    out.push('');
    process.stdout.write(out.join('\n') + '\n');
    process.stderr.write(`import_api.mjs: ${diffs.length ? 'FAIL' : 'OK'}\n`);
    process.exitCode = diffs.length ? 1 : 0;
  } catch (e) {
    process.stderr.write(`import_api.mjs: ${e.fatal ? e.message : e.stack || e}\n`);
    if (!e.fatal && serverLog) process.stderr.write(`server log (last lines):\n${serverLog.slice(-2000)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`import_api.mjs: ${e.fatal ? e.message : e.stack || e}\n`);
  process.exitCode = 1;
});
