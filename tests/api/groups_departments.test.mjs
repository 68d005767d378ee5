// Groups (manager+ to write), departments (admin to write), and department scoping of
// managers/agents.
// Readings of docs/API.md:
// - POST /groups and POST /departments answer 201 (or 200) with {id,name,count};
//   PATCH answers 200 with the same shape; a duplicate name answers 409.
// - Renaming a group/department: contacts follow (like tags).
// - Deleting a department leaves its contacts without a department.
// - A contact outside a scoped user's department is invisible to them: reads and writes
//   answer 404 (403 also accepted), lists/searches/totals leave it out, actions skip it.
// - A contact created by an agent/manager who has a department goes to that department
//   (otherwise its creator could not see it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, expectError, createContact, listAll, ids } from './lib.mjs';

let srv, A, AG, MG, PM;
before(async () => {
  srv = await startServer({ users: [
    { email: 'agent@acme.test', role: 'agent' },
    { email: 'manager@acme.test', role: 'manager' },
    { email: 'plainmanager@acme.test', role: 'manager' },
  ] });
  A = client(srv.base, srv.tokenA);
  AG = client(srv.base, srv.tokens['agent@acme.test']);
  MG = client(srv.base, srv.tokens['manager@acme.test']);
  PM = client(srv.base, srv.tokens['plainmanager@acme.test']);
});
after(async () => { await srv?.stop(); });

const get = async (id) => expectStatus(await A.get(`/api/v1/contacts/${id}`), 200);
const sortNum = (a) => [...a].sort((x, y) => x - y);

test('groups: create, duplicate, counts, auto-create from contacts', async () => {
  const g = expectStatus(await PM.post('/api/v1/groups', { name: 'Callbacks' }), [200, 201]);
  assert.equal(typeof g.id, 'number');
  assert.equal(g.name, 'Callbacks');
  assert.equal(g.count, 0);
  expectError(await PM.post('/api/v1/groups', { name: 'Callbacks' }), 409, 'already_exists');
  expectError(await PM.post('/api/v1/groups', {}), 400, 'invalid_argument', 'name');
  expectError(await PM.post('/api/v1/groups', { name: 'x', colour: 'red' }), 400, 'invalid_argument', 'colour');
  const c1 = await createContact(A, { groups: ['Callbacks', 'Auto Group'] });
  await createContact(A, { groups: ['Callbacks'] });
  const list = expectStatus(await A.get('/api/v1/groups'), 200).items;
  assert.equal(list.find((x) => x.name === 'Callbacks')?.count, 2);
  assert.equal(list.find((x) => x.name === 'Auto Group')?.count, 1);
  assert.deepEqual([...c1.groups].sort(), ['Auto Group', 'Callbacks']);
});

test('groups: rename (contacts follow) and delete', async () => {
  const g = expectStatus(await A.post('/api/v1/groups', { name: 'Renamable' }), [200, 201]);
  const c = await createContact(A, { groups: ['Renamable'] });
  const r = expectStatus(await PM.patch(`/api/v1/groups/${g.id}`, { name: 'Renamed' }), 200);
  assert.equal(r.name, 'Renamed');
  assert.deepEqual((await get(c.id)).groups, ['Renamed']);
  assert.deepEqual(ids((await listAll(A, 'group=Renamed')).items), [c.id]);
  expectError(await PM.patch(`/api/v1/groups/${g.id}`, { name: 'Callbacks' }), 409, 'already_exists');
  expectError(await PM.patch('/api/v1/groups/987654', { name: 'x' }), 404, 'not_found');
  expectStatus(await PM.del(`/api/v1/groups/${g.id}`), 204);
  assert.deepEqual((await get(c.id)).groups, []);
  assert.ok(!expectStatus(await A.get('/api/v1/groups'), 200).items.some((x) => x.id === g.id));
  expectError(await PM.del(`/api/v1/groups/${g.id}`), 404, 'not_found');
});

test('groups: agents cannot write groups', async () => {
  expectError(await AG.post('/api/v1/groups', { name: 'AgentGroup' }), 403, 'permission_denied');
  const g = expectStatus(await A.get('/api/v1/groups'), 200).items.find((x) => x.name === 'Callbacks');
  expectError(await AG.patch(`/api/v1/groups/${g.id}`, { name: 'x' }), 403, 'permission_denied');
  expectError(await AG.del(`/api/v1/groups/${g.id}`), 403, 'permission_denied');
  expectStatus(await AG.get('/api/v1/groups'), 200);
});

let sales, support;
test('departments: admin creates, renames, deletes; others get 403', async () => {
  sales = expectStatus(await A.post('/api/v1/departments', { name: 'Sales' }), [200, 201]);
  assert.equal(sales.name, 'Sales');
  assert.equal(sales.count, 0);
  support = expectStatus(await A.post('/api/v1/departments', { name: 'Support' }), [200, 201]);
  expectError(await A.post('/api/v1/departments', { name: 'Sales' }), 409, 'already_exists');
  expectError(await A.post('/api/v1/departments', {}), 400, 'invalid_argument', 'name');
  for (const cl of [PM, AG]) {
    expectError(await cl.post('/api/v1/departments', { name: 'Rogue' }), 403, 'permission_denied');
    expectError(await cl.patch(`/api/v1/departments/${sales.id}`, { name: 'Rogue' }), 403, 'permission_denied');
    expectError(await cl.del(`/api/v1/departments/${sales.id}`), 403, 'permission_denied');
  }
  const tmp = expectStatus(await A.post('/api/v1/departments', { name: 'Temp Dept' }), [200, 201]);
  const c = await createContact(A, { department: 'Temp Dept' });
  assert.equal(c.department, 'Temp Dept');
  const r = expectStatus(await A.patch(`/api/v1/departments/${tmp.id}`, { name: 'Temporary' }), 200);
  assert.equal(r.name, 'Temporary');
  assert.equal((await get(c.id)).department, 'Temporary');
  expectStatus(await A.del(`/api/v1/departments/${tmp.id}`), 204);
  assert.equal((await get(c.id)).department, null);
  expectError(await A.patch(`/api/v1/departments/${tmp.id}`, { name: 'x' }), 404, 'not_found');
  // auto-created from contact input
  const m = await createContact(A, { department: 'Marketing' });
  assert.equal(m.department, 'Marketing');
  const list = expectStatus(await A.get('/api/v1/departments'), 200).items;
  assert.ok(list.some((d) => d.name === 'Marketing' && d.count === 1));
});

const C = {};
test('scoped users only see their department\'s contacts', async () => {
  C.s1 = await createContact(A, { first_name: 'Sally', last_name: 'Sales', department: 'Sales' });
  C.s2 = await createContact(A, { first_name: 'Sam', last_name: 'Sales', department: 'Sales' });
  C.p1 = await createContact(A, { first_name: 'Pat', last_name: 'Support', department: 'Support' });
  C.n1 = await createContact(A, { first_name: 'Nora', last_name: 'Nodept' });
  const members = expectStatus(await A.get('/api/v1/members'), 200).items;
  const uid = (email) => members.find((m) => m.user.email === email).user.id;
  const pa = expectStatus(await A.patch(`/api/v1/members/${uid('agent@acme.test')}`, { department: 'Sales' }), 200);
  assert.equal(pa.department, 'Sales');
  expectStatus(await A.patch(`/api/v1/members/${uid('manager@acme.test')}`, { department: 'Support' }), 200);
  assert.equal(expectStatus(await AG.get('/api/v1/me'), 200).department, 'Sales');

  const agentList = await listAll(AG);
  assert.deepEqual(sortNum(ids(agentList.items)), sortNum([C.s1.id, C.s2.id]));
  assert.equal(agentList.total, 2);
  const mgrList = await listAll(MG);
  assert.deepEqual(ids(mgrList.items), [C.p1.id]);
  // search and filters stay inside the department
  assert.equal((await listAll(AG, 'q=Pat')).total, 0);
  assert.equal((await listAll(AG, 'q=Nora')).total, 0);
  assert.equal((await listAll(AG, 'department=Support')).total, 0);
  assert.equal((await listAll(AG, 'q=Sally')).total, 1);
  // direct reads of other contacts
  for (const id of [C.p1.id, C.n1.id]) expectStatus(await AG.get(`/api/v1/contacts/${id}`), [403, 404]);
  expectStatus(await AG.get(`/api/v1/contacts/${C.s1.id}`), 200);
  expectStatus(await AG.get(`/api/v1/contacts/${C.p1.id}/history`), [403, 404]);
  // the unscoped manager sees everything
  assert.ok((await listAll(PM)).total >= 4);
});

test('a scoped manager can only change contacts of their department', async () => {
  const s1Before = await get(C.s1.id);
  expectStatus(await MG.patch(`/api/v1/contacts/${C.s1.id}`, { first_name: 'Hijacked' }), [403, 404]);
  expectStatus(await MG.del(`/api/v1/contacts/${C.s1.id}`), [403, 404]);
  expectStatus(await MG.del(`/api/v1/contacts/${C.s1.id}?permanent=true`), [403, 404]);
  const p = expectStatus(await MG.patch(`/api/v1/contacts/${C.p1.id}`, { first_name: 'Patricia' }), 200);
  assert.equal(p.first_name, 'Patricia');
  const r = await MG.post('/api/v1/contacts/actions', { action: 'star', ids: [C.s1.id, C.p1.id] });
  assert.equal(expectStatus(r, 200).affected, 1);
  const r2 = await MG.post('/api/v1/contacts/actions', { action: 'add_tags', filter: { q: 'Sales' }, tags: ['leak'] });
  assert.equal(expectStatus(r2, 200).affected, 0);
  const s1After = await get(C.s1.id);
  assert.equal(s1After.first_name, s1Before.first_name);
  assert.equal(s1After.deleted_at, null);
  assert.equal(s1After.starred, false);
  assert.deepEqual(s1After.tags, []);
  assert.equal((await get(C.p1.id)).starred, true);
});

test('a scoped manager cannot restore or see the history of other departments\' contacts', async () => {
  const s = await createContact(A, { first_name: 'Trashed', last_name: 'Sales', department: 'Sales' });
  expectStatus(await A.del(`/api/v1/contacts/${s.id}`), 204);
  expectStatus(await MG.post(`/api/v1/contacts/${s.id}/restore`), [403, 404]);
  expectStatus(await MG.get(`/api/v1/contacts/${s.id}/history`), [403, 404]);
  assert.ok(!ids((await listAll(MG, 'trash=true')).items).includes(s.id), 'not in their trash list');
  assert.ok((await get(s.id)).deleted_at, 'still trashed');
});

test('bulk by a scoped manager puts the contacts in their department', async () => {
  const j = expectStatus(await MG.post('/api/v1/contacts/bulk', { contacts: [{ phone: '+12127364998', first_name: 'Bulky' }] }), 200);
  assert.equal(j.created, 1);
  assert.equal((await get(j.ids[0])).department, 'Support');
});

test('a contact created by a scoped agent lands in their department', async () => {
  const c = expectStatus(await AG.post('/api/v1/contacts', { phone: '+12127364999', first_name: 'Walkin' }), 201);
  assert.equal(c.department, 'Sales');
  expectStatus(await AG.get(`/api/v1/contacts/${c.id}`), 200);
  assert.ok(ids((await listAll(AG)).items).includes(c.id));
  assert.ok(!ids((await listAll(MG)).items).includes(c.id));
});

test('a scoped manager is never told the id of a contact outside the department', async () => {
  // Sally (Sales) exists; the Support manager tries her number in a bulk create and a PATCH.
  const bulk = expectStatus(await MG.post('/api/v1/contacts/bulk', { contacts: [{ phone: C.s1.phone }] }), 200);
  assert.equal(bulk.created, 0);
  assert.equal(bulk.errors[0].code, 'already_exists');
  assert.equal(bulk.errors[0].details.existing_id, undefined, JSON.stringify(bulk.errors[0]));
  const res = await MG.patch(`/api/v1/contacts/${C.p1.id}`, { phone: C.s1.phone });
  const err = expectError(res, 409, 'already_exists');
  assert.equal(err.details.existing_id, undefined);
  assert.equal(err.details.existing, undefined);
  // An admin is told.
  const adminBulk = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: [{ phone: C.s1.phone }] }), 200);
  assert.equal(adminBulk.errors[0].details.existing_id, C.s1.id);
});

test('tag and group counts of a scoped user count only their department\'s contacts', async () => {
  // Sales (the agent's department): one contact with both; Support (the manager's): two; no department: one.
  await createContact(A, { first_name: 'Cnt', last_name: 'Sales', department: 'Sales', tags: ['dept-count'], groups: ['Dept Count'] });
  for (const n of ['One', 'Two'])
    await createContact(A, { first_name: 'Cnt', last_name: n, department: 'Support', tags: ['dept-count'], groups: ['Dept Count'] });
  await createContact(A, { first_name: 'Cnt', last_name: 'Nodept', tags: ['dept-count'], groups: ['Dept Count'] });
  const count = async (c, path, key, value) =>
    expectStatus(await c.get(path), 200).items.find((x) => x[key] === value)?.count;
  assert.equal(await count(A, '/api/v1/tags', 'label', 'dept-count'), 4);
  assert.equal(await count(PM, '/api/v1/tags', 'label', 'dept-count'), 4);
  assert.equal(await count(AG, '/api/v1/tags', 'label', 'dept-count'), 1);
  assert.equal(await count(MG, '/api/v1/tags', 'label', 'dept-count'), 2);
  assert.equal(await count(A, '/api/v1/groups', 'name', 'Dept Count'), 4);
  assert.equal(await count(AG, '/api/v1/groups', 'name', 'Dept Count'), 1);
  assert.equal(await count(MG, '/api/v1/groups', 'name', 'Dept Count'), 2);
  // What a scoped manager gets back from renaming a tag is counted the same way.
  const tag = expectStatus(await A.get('/api/v1/tags'), 200).items.find((t) => t.label === 'dept-count');
  const renamed = expectStatus(await MG.patch(`/api/v1/tags/${tag.id}`, { label: 'dept-count-2' }), 200);
  assert.equal(renamed.count, 2);
  // The counts agree with what the list filter finds for each of them.
  assert.equal((await listAll(MG, 'tag=dept-count-2')).total, 2);
  assert.equal((await listAll(AG, 'tag=dept-count-2')).total, 1);
});

test('a department with members cannot be deleted (their scope would widen)', async () => {
  const depts = expectStatus(await A.get('/api/v1/departments'), 200).items;
  const support = depts.find((d) => d.name === 'Support');
  const err = expectError(await A.del(`/api/v1/departments/${support.id}`), 422, 'failed_precondition');
  assert.equal(err.details.count, 1);
  const seen = (await listAll(MG)).items;
  assert.ok(seen.length > 0 && seen.every((c) => c.department === 'Support'), 'the manager still sees only Support');
  // Once nobody works in it, it can go; its contacts stay, without a department.
  const members = expectStatus(await A.get('/api/v1/members'), 200).items;
  const mgr = members.find((m) => m.user.email === 'manager@acme.test');
  expectStatus(await A.patch(`/api/v1/members/${mgr.user.id}`, { department: '' }), 200);
  expectStatus(await A.del(`/api/v1/departments/${support.id}`), 204);
  assert.equal((await get(C.p1.id)).department, null);
});
