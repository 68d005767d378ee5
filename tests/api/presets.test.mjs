// Presets: personal vs shared visibility between users, permissions, filter validation.
// Readings of docs/API.md:
// - POST /presets answers 201 (or 200) with {id, name, filter, shared, …}; the filter is
//   returned as given (values strings or arrays).
// - Another user's personal preset does not exist for you (404 on PATCH/DELETE), even for
//   an admin. A shared preset may be changed by its owner or any manager+; an agent who
//   does not own it gets 403.
// - Creating a shared preset needs manager+ (403 for agents); agents may keep personal ones.
// - A filter with an unknown key or a bad value answers 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, expectError } from './lib.mjs';

let srv, A, MG, AG;
before(async () => {
  srv = await startServer({ users: [{ email: 'manager@acme.test', role: 'manager' }, { email: 'agent@acme.test', role: 'agent' }] });
  A = client(srv.base, srv.tokenA);
  MG = client(srv.base, srv.tokens['manager@acme.test']);
  AG = client(srv.base, srv.tokens['agent@acme.test']);
});
after(async () => { await srv?.stop(); });

const names = async (cl) => expectStatus(await cl.get('/api/v1/presets'), 200).items.map((p) => p.name).sort();
let adminPersonal, adminShared, agentPersonal;

test('create personal and shared presets', async () => {
  adminPersonal = expectStatus(await A.post('/api/v1/presets', { name: 'My VIPs', filter: { tag: 'vip' }, shared: false }), [200, 201]);
  assert.equal(typeof adminPersonal.id, 'number');
  assert.equal(adminPersonal.name, 'My VIPs');
  assert.equal(adminPersonal.shared, false);
  assert.deepEqual(adminPersonal.filter, { tag: 'vip' });
  adminShared = expectStatus(await A.post('/api/v1/presets', {
    name: 'Team Hot', filter: { starred: 'true', tag: ['hot', 'warm'], tag_mode: 'any' }, shared: true,
  }), [200, 201]);
  assert.equal(adminShared.shared, true);
  assert.deepEqual(adminShared.filter, { starred: 'true', tag: ['hot', 'warm'], tag_mode: 'any' });
  agentPersonal = expectStatus(await AG.post('/api/v1/presets', { name: 'Agent Own', filter: { q: 'smith' }, shared: false }), [200, 201]);
  assert.equal(agentPersonal.shared, false);
});

test('GET /presets returns own + shared only', async () => {
  assert.deepEqual(await names(A), ['My VIPs', 'Team Hot']);
  assert.deepEqual(await names(MG), ['Team Hot']);
  assert.deepEqual(await names(AG), ['Agent Own', 'Team Hot']);
  const one = expectStatus(await AG.get('/api/v1/presets'), 200).items.find((p) => p.name === 'Team Hot');
  assert.deepEqual(one.filter, adminShared.filter);
});

test('agents cannot create or change shared presets', async () => {
  expectError(await AG.post('/api/v1/presets', { name: 'Agent Shared', filter: {}, shared: true }), 403, 'permission_denied');
  expectError(await AG.patch(`/api/v1/presets/${adminShared.id}`, { name: 'Agent Renamed' }), 403, 'permission_denied');
  expectError(await AG.del(`/api/v1/presets/${adminShared.id}`), 403, 'permission_denied');
  expectError(await AG.patch(`/api/v1/presets/${agentPersonal.id}`, { shared: true }), 403, 'permission_denied');
  assert.deepEqual(await names(MG), ['Team Hot']);
});

test('personal presets of others are invisible (404), even to an admin', async () => {
  expectError(await AG.patch(`/api/v1/presets/${adminPersonal.id}`, { name: 'x' }), 404, 'not_found');
  expectError(await AG.del(`/api/v1/presets/${adminPersonal.id}`), 404, 'not_found');
  expectError(await MG.patch(`/api/v1/presets/${adminPersonal.id}`, { name: 'x' }), 404, 'not_found');
  expectError(await A.patch(`/api/v1/presets/${agentPersonal.id}`, { name: 'x' }), 404, 'not_found');
  expectError(await A.del(`/api/v1/presets/${agentPersonal.id}`), 404, 'not_found');
  assert.deepEqual(await names(A), ['My VIPs', 'Team Hot']);
  assert.deepEqual(await names(AG), ['Agent Own', 'Team Hot']);
});

test('owner edits personal presets; a manager edits a shared one', async () => {
  const p = expectStatus(await AG.patch(`/api/v1/presets/${agentPersonal.id}`, { name: 'Agent Renamed', filter: { q: 'jones' } }), 200);
  assert.equal(p.name, 'Agent Renamed');
  assert.deepEqual(p.filter, { q: 'jones' });
  const s = expectStatus(await MG.patch(`/api/v1/presets/${adminShared.id}`, { name: 'Team Hotter' }), 200);
  assert.equal(s.name, 'Team Hotter');
  assert.deepEqual(await names(AG), ['Agent Renamed', 'Team Hotter']);
  // unsharing makes it personal to its owner again
  expectStatus(await A.patch(`/api/v1/presets/${adminShared.id}`, { shared: false }), 200);
  assert.deepEqual(await names(AG), ['Agent Renamed']);
  assert.deepEqual(await names(A), ['My VIPs', 'Team Hotter']);
});

test('preset validation', async () => {
  expectError(await A.post('/api/v1/presets', { filter: {}, shared: false }), 400, 'invalid_argument', 'name');
  expectError(await A.post('/api/v1/presets', { name: 'Bad', filter: { bogus: 'x' }, shared: false }), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/presets', { name: 'Bad', filter: { starred: 'maybe' }, shared: false }), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/presets', { name: 'Bad', filter: 'tag=vip', shared: false }), 400, 'invalid_argument', 'filter');
  expectError(await A.post('/api/v1/presets', { name: 'Bad', filter: {}, shared: 'yes' }), 400, 'invalid_argument', 'shared');
  expectError(await A.post('/api/v1/presets', { name: 'Bad', filter: {}, colour: 'x' }), 400, 'invalid_argument', 'colour');
  assert.deepEqual(await names(A), ['My VIPs', 'Team Hotter']);
});

test('DELETE /presets/{id}', async () => {
  expectStatus(await AG.del(`/api/v1/presets/${agentPersonal.id}`), 204);
  assert.deepEqual(await names(AG), []);
  expectError(await AG.del(`/api/v1/presets/${agentPersonal.id}`), 404, 'not_found');
  expectStatus(await A.patch(`/api/v1/presets/${adminShared.id}`, { shared: true }), 200);
  expectStatus(await MG.del(`/api/v1/presets/${adminShared.id}`), 204);
  assert.deepEqual(await names(A), ['My VIPs']);
});
