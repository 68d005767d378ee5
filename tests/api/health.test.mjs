// GET /healthz and GET /api/v1/openapi.json (both without auth).
// Reading of the contract: the OpenAPI document may list paths either with the
// "/api/v1" prefix or relative to a `servers[].url` of "/api/v1"; path parameter names
// are free ({id}, {contact_id} …). Every endpoint family of docs/API.md must appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, expectStatus, REPO } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('GET /healthz answers 200 {"status":"ok"} without auth', async () => {
  const res = await api(srv.base, null, 'GET', '/healthz');
  const j = expectStatus(res, 200);
  assert.deepEqual(j, { status: 'ok' });
  assert.match(res.headers.get('content-type') || '', /application\/json/);
});

test('GET /api/v1/openapi.json is an OpenAPI 3 document covering every endpoint family', async () => {
  const res = await api(srv.base, null, 'GET', '/api/v1/openapi.json');
  const doc = expectStatus(res, 200);
  assert.ok(doc && typeof doc === 'object', 'valid JSON');
  assert.equal(typeof doc.openapi, 'string');
  assert.ok(doc.openapi.startsWith('3.'), `openapi = ${doc.openapi}`);
  assert.ok(doc.info && typeof doc.info.title === 'string', 'info.title');
  assert.ok(doc.paths && typeof doc.paths === 'object', 'paths');
  const serverPrefix = (doc.servers || []).map((s) => String(s.url || '')).find((u) => u.endsWith('/api/v1')) ? '/api/v1' : '';
  const norm = (p) => {
    let x = p.replace(/\{[^}]+\}/g, '{}');
    if (!x.startsWith('/api/v1') && serverPrefix) x = serverPrefix + x;
    return x;
  };
  const have = new Set(Object.keys(doc.paths).map(norm));
  const expected = {
    '/api/v1/auth/login': ['post'],
    '/api/v1/auth/logout': ['post'],
    '/api/v1/auth/switch': ['post'],
    '/api/v1/me': ['get'],
    '/api/v1/workspaces': ['post'],
    '/api/v1/workspace': ['get', 'patch'],
    '/api/v1/contacts': ['get', 'post'],
    '/api/v1/contacts/{}': ['get', 'patch', 'delete'],
    '/api/v1/contacts/{}/restore': ['post'],
    '/api/v1/contacts/{}/history': ['get'],
    '/api/v1/contacts/bulk': ['post'],
    '/api/v1/contacts/actions': ['post'],
    '/api/v1/tags': ['get', 'post'],
    '/api/v1/tags/{}': ['patch', 'delete'],
    '/api/v1/tags/{}/merge': ['post'],
    '/api/v1/fields': ['get', 'post'],
    '/api/v1/fields/{}': ['patch', 'delete'],
    '/api/v1/groups': ['get', 'post'],
    '/api/v1/groups/{}': ['patch', 'delete'],
    '/api/v1/departments': ['get', 'post'],
    '/api/v1/departments/{}': ['patch', 'delete'],
    '/api/v1/presets': ['get', 'post'],
    '/api/v1/presets/{}': ['patch', 'delete'],
    '/api/v1/members': ['get', 'post'],
    '/api/v1/members/{}': ['patch', 'delete'],
    '/api/v1/tokens': ['get', 'post'],
    '/api/v1/tokens/{}': ['delete'],
  };
  const missing = [];
  for (const [p, methods] of Object.entries(expected)) {
    if (!have.has(p)) { missing.push(p); continue; }
    const key = Object.keys(doc.paths).find((k) => norm(k) === p);
    for (const m of methods) if (!doc.paths[key][m]) missing.push(`${m.toUpperCase()} ${p}`);
  }
  assert.deepEqual(missing, [], `paths missing from openapi.json: ${missing.join(', ')}`);
});

test('the served document is docs/openapi.json of the repository', async () => {
  const res = await api(srv.base, null, 'GET', '/api/v1/openapi.json');
  const served = expectStatus(res, 200);
  const file = JSON.parse(fs.readFileSync(path.join(REPO, 'docs', 'openapi.json'), 'utf8'));
  assert.deepEqual(served, file);
});

test('unknown /api/v1 path answers 404 with the error envelope', async () => {
  const res = await api(srv.base, srv.tokenA, 'GET', '/api/v1/no-such-endpoint');
  expectStatus(res, 404);
  assert.equal(res.json?.error?.code, 'not_found');
});
