// Members (admin), role permissions, last-admin rule, API tokens.
// Readings of docs/API.md:
// - PATCH /members/{user_id} answers 200 with the member {user, role, department};
//   DELETE answers 204. Unknown user ids answer 404.
// - Adding an email that is already a member answers 409.
// - GET /workspace is part of "settings (admin)", so non-admins get 403 on it too.
// - A token of a user removed from the workspace stops working (401, 403 accepted).
// - Another user's token cannot be revoked by a non-admin (403 or 404).
// - last_used_at is set once a token has been used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, client, api, expectStatus, expectError, newPhone, createContact, login, PASSWORD,
} from './lib.mjs';

let srv, A, AG, MG;
before(async () => {
  srv = await startServer({ users: [{ email: 'agent@acme.test', role: 'agent', name: 'Agent Smith' }, { email: 'manager@acme.test', role: 'manager' }] });
  A = client(srv.base, srv.tokenA);
  AG = client(srv.base, srv.tokens['agent@acme.test']);
  MG = client(srv.base, srv.tokens['manager@acme.test']);
});
after(async () => { await srv?.stop(); });

const members = async () => expectStatus(await A.get('/api/v1/members'), 200).items;
const memberByEmail = async (email) => (await members()).find((m) => m.user.email === email);

test('GET /members lists users with role and department (admin only)', async () => {
  const items = await members();
  const byEmail = Object.fromEntries(items.map((m) => [m.user.email, m]));
  assert.deepEqual(Object.keys(byEmail).sort(), ['admin@acme.test', 'agent@acme.test', 'manager@acme.test']);
  assert.equal(byEmail['admin@acme.test'].role, 'admin');
  assert.equal(byEmail['agent@acme.test'].role, 'agent');
  assert.equal(byEmail['agent@acme.test'].user.name, 'Agent Smith');
  assert.equal(byEmail['manager@acme.test'].role, 'manager');
  for (const m of items) {
    assert.equal(typeof m.user.id, 'number');
    assert.ok('department' in m);
  }
  expectError(await MG.get('/api/v1/members'), 403, 'permission_denied');
  expectError(await AG.get('/api/v1/members'), 403, 'permission_denied');
});

test('POST /members creates a user with a role; the new user can log in', async () => {
  expectStatus(await A.post('/api/v1/departments', { name: 'Sales' }), [200, 201]);
  const res = await A.post('/api/v1/members', { email: 'newbie@acme.test', name: 'New Bie', password: 'long enough 1', role: 'manager', department: 'Sales' });
  const m = expectStatus(res, 201);
  assert.equal(m.user.email, 'newbie@acme.test');
  assert.equal(m.user.name, 'New Bie');
  assert.equal(typeof m.user.id, 'number');
  assert.equal(m.role, 'manager');
  assert.equal(m.department, 'Sales');
  const l = await login(srv.base, 'newbie@acme.test', 'long enough 1');
  const j = expectStatus(l.res, 200);
  assert.equal(j.role, 'manager');
  assert.equal(j.workspace.name, 'Acme');
  assert.ok(await memberByEmail('newbie@acme.test'));
});

test('POST /members validation', async () => {
  expectError(await A.post('/api/v1/members', { email: 'nopass@acme.test', role: 'agent' }), 400, 'invalid_argument', 'password');
  expectError(await A.post('/api/v1/members', { email: 'short@acme.test', password: 'short', role: 'agent' }), 400, 'invalid_argument', 'password');
  expectError(await A.post('/api/v1/members', { email: 'role@acme.test', password: 'long enough 1', role: 'owner' }), 400, 'invalid_argument', 'role');
  expectError(await A.post('/api/v1/members', { email: 'not-an-email', password: 'long enough 1', role: 'agent' }), 400, 'invalid_argument', 'email');
  expectError(await A.post('/api/v1/members', { email: 'x@acme.test', password: 'long enough 1', role: 'agent', shoe: 42 }), 400, 'invalid_argument', 'shoe');
  expectError(await A.post('/api/v1/members', { email: 'agent@acme.test', role: 'agent' }), 409, 'already_exists');
  expectError(await MG.post('/api/v1/members', { email: 'm2@acme.test', password: 'long enough 1', role: 'agent' }), 403, 'permission_denied');
  expectError(await AG.post('/api/v1/members', { email: 'm3@acme.test', password: 'long enough 1', role: 'admin' }), 403, 'permission_denied');
  const emails = (await members()).map((m) => m.user.email);
  for (const e of ['nopass@acme.test', 'short@acme.test', 'role@acme.test', 'm2@acme.test', 'm3@acme.test']) assert.ok(!emails.includes(e));
});

test('PATCH /members/{user_id} changes role and department', async () => {
  const nb = await memberByEmail('newbie@acme.test');
  const r = expectStatus(await A.patch(`/api/v1/members/${nb.user.id}`, { role: 'agent', department: null }), 200);
  assert.equal(r.role, 'agent');
  assert.equal(r.department, null);
  expectError(await A.patch(`/api/v1/members/${nb.user.id}`, { role: 'boss' }), 400, 'invalid_argument', 'role');
  expectError(await A.patch('/api/v1/members/987654', { role: 'agent' }), 404, 'not_found');
  expectError(await MG.patch(`/api/v1/members/${nb.user.id}`, { role: 'admin' }), 403, 'permission_denied');
  assert.equal((await memberByEmail('newbie@acme.test')).role, 'agent');
});

test('the last admin cannot be demoted or removed (422)', async () => {
  const admin = await memberByEmail('admin@acme.test');
  const e = expectError(await A.patch(`/api/v1/members/${admin.user.id}`, { role: 'manager' }), 422, 'failed_precondition');
  assert.ok(e.message.length > 0);
  expectError(await A.del(`/api/v1/members/${admin.user.id}`), 422, 'failed_precondition');
  assert.equal((await memberByEmail('admin@acme.test')).role, 'admin');
  // with a second admin, that one can be demoted again
  const nb = await memberByEmail('newbie@acme.test');
  expectStatus(await A.patch(`/api/v1/members/${nb.user.id}`, { role: 'admin' }), 200);
  expectStatus(await A.patch(`/api/v1/members/${nb.user.id}`, { role: 'manager' }), 200);
  expectError(await A.patch(`/api/v1/members/${admin.user.id}`, { role: 'agent' }), 422, 'failed_precondition');
});

test('agents: read and create contacts only (403 on everything else)', async () => {
  const c = await createContact(A, { first_name: 'Perm' });
  const tag = expectStatus(await A.post('/api/v1/tags', { label: 'perm-tag' }), 201);
  expectStatus(await A.post('/api/v1/fields', { key: 'perm_field', label: 'Perm', type: 'text' }), [200, 201]);
  const own = expectStatus(await AG.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'ByAgent' }), 201);
  expectStatus(await AG.get('/api/v1/contacts'), 200);
  expectStatus(await AG.get(`/api/v1/contacts/${c.id}`), 200);
  expectStatus(await AG.get(`/api/v1/contacts/${c.id}/history`), 200);
  expectStatus(await AG.get('/api/v1/tags'), 200);
  expectStatus(await AG.get('/api/v1/fields'), 200);
  const denied = [
    ['patch', `/api/v1/contacts/${c.id}`, { first_name: 'x' }],
    ['patch', `/api/v1/contacts/${own.id}`, { first_name: 'x' }],
    ['del', `/api/v1/contacts/${c.id}`],
    ['del', `/api/v1/contacts/${c.id}?permanent=true`],
    ['post', '/api/v1/contacts/bulk', { contacts: [{ phone: newPhone().e164 }] }],
    ['post', '/api/v1/contacts/actions', { action: 'star', ids: [c.id] }],
    ['post', '/api/v1/tags', { label: 'agent-tag' }],
    ['post', '/api/v1/fields', { key: 'agent_field', label: 'x', type: 'text' }],
    ['patch', `/api/v1/tags/${tag.id}`, { label: 'x' }],
    ['del', `/api/v1/tags/${tag.id}`],
    ['post', `/api/v1/tags/${tag.id}/merge`, { into: tag.id }],
    ['patch', '/api/v1/fields/perm_field', { label: 'x' }],
    ['del', '/api/v1/fields/perm_field?confirm=true'],
    ['patch', '/api/v1/workspace', { name: 'Pwned' }],
    ['post', '/api/v1/departments', { name: 'Rogue' }],
    ['post', '/api/v1/groups', { name: 'Rogue' }],
  ];
  for (const [m, p, b] of denied) expectError(await AG[m](p, b), 403, 'permission_denied');
  const after = expectStatus(await A.get(`/api/v1/contacts/${c.id}`), 200);
  assert.equal(after.first_name, 'Perm');
  assert.equal(after.deleted_at, null);
  assert.equal(after.starred, false);
  // trash restore is an edit too
  expectStatus(await A.del(`/api/v1/contacts/${c.id}`), 204);
  expectError(await AG.post(`/api/v1/contacts/${c.id}/restore`), 403, 'permission_denied');
  expectStatus(await A.post(`/api/v1/contacts/${c.id}/restore`), 200);
});

test('managers: edit contacts, tags, bulk; not fields, members, settings, departments', async () => {
  const c = await createContact(A, { first_name: 'Mgr' });
  expectStatus(await MG.patch(`/api/v1/contacts/${c.id}`, { first_name: 'Mgr2' }), 200);
  expectStatus(await MG.post('/api/v1/contacts/actions', { action: 'star', ids: [c.id] }), 200);
  expectStatus(await MG.post('/api/v1/contacts/bulk', { contacts: [{ phone: newPhone().e164 }] }), 200);
  expectStatus(await MG.post('/api/v1/tags', { label: 'mgr-tag' }), 201);
  expectStatus(await MG.del(`/api/v1/contacts/${c.id}`), 204);
  expectStatus(await MG.post(`/api/v1/contacts/${c.id}/restore`), 200);
  const denied = [
    ['post', '/api/v1/fields', { key: 'mgr_field', label: 'x', type: 'text' }],
    ['patch', '/api/v1/workspace', { contact_limit: 1 }],
    ['post', '/api/v1/departments', { name: 'Rogue' }],
    ['get', '/api/v1/members'],
  ];
  for (const [m, p, b] of denied) expectError(await MG[m](p, b), 403, 'permission_denied');
});

test('workspace settings are admin-only: GET /workspace answers 403 to managers and agents', async () => {
  expectError(await AG.get('/api/v1/workspace'), 403, 'permission_denied');
  expectError(await MG.get('/api/v1/workspace'), 403, 'permission_denied');
});

test('DELETE /members/{user_id} removes the member; their token stops working', async () => {
  const tok = expectStatus(await MG.post('/api/v1/tokens', { name: 'mgr' }), 201).token;
  const mg = await memberByEmail('manager@acme.test');
  expectStatus(await A.del(`/api/v1/members/${mg.user.id}`), 204);
  assert.ok(!(await memberByEmail('manager@acme.test')));
  expectStatus(await MG.get('/api/v1/contacts'), [401, 403]);
  expectStatus(await api(srv.base, tok, 'GET', '/api/v1/contacts'), [401, 403]);
  expectError(await A.del(`/api/v1/members/${mg.user.id}`), 404, 'not_found');
});

// ---------------------------------------------------------------- tokens
test('POST /tokens shows the token once; GET /tokens never shows it', async () => {
  const res = await A.post('/api/v1/tokens', { name: 'ci' });
  const t = expectStatus(res, 201);
  assert.equal(typeof t.id, 'number');
  assert.equal(t.name, 'ci');
  assert.equal(typeof t.token, 'string');
  assert.ok(t.token.length >= 20);
  const me = expectStatus(await api(srv.base, t.token, 'GET', '/api/v1/me'), 200);
  assert.equal(me.user.email, 'admin@acme.test');
  assert.equal(me.workspace.name, 'Acme');
  const list = await A.get('/api/v1/tokens');
  const j = expectStatus(list, 200);
  const entry = j.items.find((x) => x.id === t.id);
  assert.ok(entry, 'listed');
  assert.equal(entry.name, 'ci');
  assert.equal(entry.user_id, me.user.id);
  assert.match(entry.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok(entry.last_used_at, 'last_used_at set after use');
  assert.ok(!list.text.includes(t.token), 'secret never listed');
  assert.ok(!list.text.includes(srv.tokenA), 'secret of the CLI token never listed');
  for (const x of j.items) assert.ok(!('token' in x));
});

test('GET /tokens: own tokens for members, all tokens of the workspace for admins', async () => {
  const agentTok = expectStatus(await AG.post('/api/v1/tokens', { name: 'agent-tok' }), 201);
  const agentMe = expectStatus(await AG.get('/api/v1/me'), 200);
  const agentList = expectStatus(await AG.get('/api/v1/tokens'), 200).items;
  assert.ok(agentList.length >= 2, 'CLI token and the new one');
  assert.ok(agentList.every((x) => x.user_id === agentMe.user.id), 'agent sees only own tokens');
  const adminList = expectStatus(await A.get('/api/v1/tokens'), 200).items;
  assert.ok(adminList.some((x) => x.id === agentTok.id), 'admin sees the agent token');
  assert.ok(adminList.some((x) => x.user_id !== agentMe.user.id));
  const adminOnly = adminList.find((x) => x.user_id !== agentMe.user.id);
  expectStatus(await AG.del(`/api/v1/tokens/${adminOnly.id}`), [403, 404]);
  expectStatus(await A.get('/api/v1/me'), 200);
});

test('DELETE /tokens/{id} revokes: the token then answers 401', async () => {
  const t = expectStatus(await A.post('/api/v1/tokens', { name: 'short-lived' }), 201);
  expectStatus(await api(srv.base, t.token, 'GET', '/api/v1/contacts'), 200);
  expectStatus(await A.del(`/api/v1/tokens/${t.id}`), 204);
  expectError(await api(srv.base, t.token, 'GET', '/api/v1/contacts'), 401, 'unauthenticated');
  expectError(await api(srv.base, t.token, 'POST', '/api/v1/contacts', { phone: newPhone().e164 }), 401, 'unauthenticated');
  assert.ok(!expectStatus(await A.get('/api/v1/tokens'), 200).items.some((x) => x.id === t.id));
  expectError(await A.del(`/api/v1/tokens/${t.id}`), 404, 'not_found');
  expectStatus(await A.get('/api/v1/me'), 200);
});

test('a user can log in with the CLI-created password', async () => {
  const l = await login(srv.base, 'agent@acme.test', PASSWORD);
  assert.equal(expectStatus(l.res, 200).role, 'agent');
});
