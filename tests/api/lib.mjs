// Helpers for the black-box HTTP API tests (node:test, no dependencies).
// Each test file calls startServer() in `before` and stop() in `after`.
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.DIALBOOK_BIN || path.join(REPO, 'build', 'dialbook');
export const PASSWORD = 'correct horse 1';

// Runs the CLI; resolves {code, stdout, stderr}; rejects on a non-zero exit.
export function cli(args, { allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && !allowFail) {
        reject(new Error(`dialbook ${args.join(' ')} exited ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
      } else resolve({ code, stdout, stderr });
    });
  });
}

function lastLine(s) {
  const lines = s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1];
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts a fresh server on an empty SQLite database with two workspaces:
//   Acme   (admin@acme.test)   -> tokenA
//   Globex (admin@globex.test) -> tokenB
// `users`: extra users created with the CLI before the server starts:
//   [{email, role, workspace = 'Acme', name}] -> tokens[email] (a Bearer token each).
export async function startServer({ users = [], web = null, serveArgs: extraArgs = [] } = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dialbook-api-'));
  const db = `sqlite:${path.join(dir, 'db.sqlite')}`;
  await cli(['workspace', 'create', 'Acme', '--admin-email', 'admin@acme.test',
    '--admin-password', PASSWORD, '--db', db]);
  await cli(['workspace', 'create', 'Globex', '--admin-email', 'admin@globex.test',
    '--admin-password', PASSWORD, '--db', db]);
  const tokenA = lastLine((await cli(['token', 'create', '--email', 'admin@acme.test',
    '--workspace', 'Acme', '--db', db])).stdout);
  const tokenB = lastLine((await cli(['token', 'create', '--email', 'admin@globex.test',
    '--workspace', 'Globex', '--db', db])).stdout);
  const tokens = {};
  for (const u of users) {
    const ws = u.workspace || 'Acme';
    const args = ['users', 'create', '--email', u.email, '--password', u.password || PASSWORD,
      '--workspace', ws, '--role', u.role || 'agent', '--db', db];
    if (u.name) args.push('--name', u.name);
    await cli(args);
    tokens[u.email] = lastLine((await cli(['token', 'create', '--email', u.email,
      '--workspace', ws, '--db', db])).stdout);
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serveArgs = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--stop-with-parent'];
  if (web) serveArgs.push('--web', web);  // the built web app (browser tests)
  serveArgs.push(...extraArgs);
  const child = spawn(BIN, serveArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d) => { output = (output + d).slice(-20000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, sig) => { exited = { code, sig }; });

  const deadline = Date.now() + 15000;
  for (;;) {
    if (exited) {
      await fs.rm(dir, { recursive: true, force: true });
      throw new Error(`dialbook serve exited early (${JSON.stringify(exited)}):\n${output}`);
    }
    try {
      const r = await fetch(`${base}/healthz`);
      await r.text();
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await fs.rm(dir, { recursive: true, force: true });
      throw new Error(`dialbook serve did not answer /healthz within 15 s:\n${output}`);
    }
    await sleep(100);
  }

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 30 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { base, tokenA, tokenB, tokens, dir, db, stop, logs: () => output };
}

// One HTTP call. `token` is a Bearer token (or null). `body`: object -> JSON; string or
// Buffer -> sent as is (with Content-Type application/json unless given).
export async function api(base, token, method, urlPath, body, headers = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
  }
  const res = await fetch(base + urlPath, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  const reqBody = typeof payload === 'string' && payload.length > 300 ? payload.slice(0, 300) + '…' : payload;
  return {
    status: res.status, headers: res.headers, json, text,
    req: `${method} ${urlPath}${reqBody !== undefined && typeof reqBody === 'string' ? ' ' + reqBody : ''}`,
  };
}

// Short-hand bound to one server and one token: c.get(path), c.post(path, body) …
export function client(base, token, extraHeaders = {}) {
  const call = (m) => (p, body, headers = {}) => api(base, token, m, p, body, { ...extraHeaders, ...headers });
  return { get: call('GET'), post: call('POST'), patch: call('PATCH'), put: call('PUT'), del: call('DELETE'), base, token };
}

export function describeRes(res) {
  const t = res.text.length > 800 ? res.text.slice(0, 800) + '…' : res.text;
  return `${res.req}\n  -> ${res.status} ${t}`;
}

// Asserts the status (a number or a list of accepted numbers).
export function expectStatus(res, status) {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  assert.ok(ok, `expected HTTP ${JSON.stringify(status)}, got ${res.status}\n${describeRes(res)}`);
  return res.json;
}

// Asserts the error envelope {"error":{"code","message","details"}}; `field` checks
// details.field (string equality, or RegExp).
export function expectError(res, status, code, field) {
  expectStatus(res, status);
  const e = res.json && res.json.error;
  assert.ok(e && typeof e === 'object', `no {"error":{…}} envelope\n${describeRes(res)}`);
  assert.equal(e.code, code, `error.code\n${describeRes(res)}`);
  assert.equal(typeof e.message, 'string', `error.message\n${describeRes(res)}`);
  if (field !== undefined) {
    const f = e.details && e.details.field;
    if (field instanceof RegExp) assert.match(String(f), field, `details.field\n${describeRes(res)}`);
    else assert.equal(f, field, `details.field\n${describeRes(res)}`);
  }
  return e;
}

// Deterministic, valid-looking, unique US numbers (never 555, never N11, never a run).
const AREAS = ['212', '312', '415', '617', '646', '718', '202', '305', '213', '512'];
let seed = 12345;
const seen = new Set();
function rnd(n) { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) % n;
}
export function newPhone() {
  for (;;) {
    const area = AREAS[rnd(AREAS.length)];
    const ex = `${2 + rnd(8)}${rnd(10)}${rnd(10)}`;
    if (ex === '555' || ex.slice(1) === '11') continue;
    const sub = String(1000 + rnd(9000));
    if (/^(\d)\1+$/.test(sub)) continue;
    const e164 = `+1${area}${ex}${sub}`;
    if (seen.has(e164)) continue;
    seen.add(e164);
    return { e164, national: `(${area}) ${ex}-${sub}`, digits: `${area}${ex}${sub}` };
  }
}

let nameCounter = 0;
export function uniq(prefix = 'x') { nameCounter += 1; return `${prefix}${nameCounter}`; }

// Creates a contact (201 expected) and returns its JSON.
export async function createContact(c, body = {}) {
  const res = await c.post('/api/v1/contacts', { phone: newPhone().e164, ...body });
  return expectStatus(res, 201);
}

// Logs in with email/password; returns {cookie, csrf, json, res}.
export async function login(base, email, password = PASSWORD, workspace_id) {
  const body = { email, password };
  if (workspace_id !== undefined) body.workspace_id = workspace_id;
  const res = await api(base, null, 'POST', '/api/v1/auth/login', body);
  if (res.status !== 200) return { res };
  const cookies = res.headers.getSetCookie();
  const sc = cookies.find((c) => c.startsWith('dialbook_session='));
  const cookie = sc ? sc.split(';')[0] : undefined;
  return { res, cookie, setCookie: sc, csrf: res.json && res.json.csrf_token, json: res.json };
}

// All items of a list endpoint, following next_cursor.
export async function listAll(c, query = '', limit = 500) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 1000; i++) {
    const sep = query ? '&' : '';
    const q = `${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await c.get(`/api/v1/contacts?${q}`);
    const j = expectStatus(res, 200);
    items.push(...j.items);
    if (!j.next_cursor) return { items, total: j.total };
    cursor = j.next_cursor;
  }
  throw new Error('pagination did not end');
}

export function ids(items) { return items.map((x) => x.id); }
