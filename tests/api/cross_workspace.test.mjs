// Tenant isolation: workspace B (Globex) must never see or touch workspace A's (Acme) data.
// Readings of docs/API.md:
// - Ids of another workspace answer 404 on every endpoint that takes an id.
// - A list filter naming a tag/group/department that does not exist in the caller's
//   workspace answers 200 with no items (400 is accepted too) — never A's contacts.
// - POST /contacts/actions with ids of another workspace answers 200 {affected: 0} (or
//   404); either way nothing of A changes.
// - The phone duplicate guard is per workspace: B may create a contact with A's number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, api, expectStatus, expectError, newPhone, listAll, ids } from './lib.mjs';

let srv, A, B;
const a = {}; // A's objects
const b = {}; // B's objects

before(async () => {
  srv = await startServer();
  A = client(srv.base, srv.tokenA);
  B = client(srv.base, srv.tokenB);
  expectStatus(await A.post('/api/v1/fields', { key: 'age', label: 'A Age', type: 'integer' }), [200, 201]);
  expectStatus(await A.post('/api/v1/fields', { key: 'a_secret', label: 'A Secret', type: 'text' }), [200, 201]);
  a.tagShared = expectStatus(await A.post('/api/v1/tags', { label: 'shared-label' }), 201);
  a.tagOnly = expectStatus(await A.post('/api/v1/tags', { label: 'a-only-tag' }), 201);
  a.group = expectStatus(await A.post('/api/v1/groups', { name: 'A Group' }), [200, 201]);
  a.dept = expectStatus(await A.post('/api/v1/departments', { name: 'A Dept' }), [200, 201]);
  a.preset = expectStatus(await A.post('/api/v1/presets', { name: 'A preset', filter: { tag: 'a-only-tag' }, shared: true }), [200, 201]);
  a.presetPersonal = expectStatus(await A.post('/api/v1/presets', { name: 'A personal', filter: {}, shared: false }), [200, 201]);
  a.token = expectStatus(await A.post('/api/v1/tokens', { name: 'a-token' }), 201);
  a.me = expectStatus(await A.get('/api/v1/me'), 200);
  a.phone1 = newPhone();
  a.c1 = expectStatus(await A.post('/api/v1/contacts', {
    phone: a.phone1.e164, first_name: 'Aardvark', last_name: 'Acmeson', email: 'aardvark@acme-only.test',
    company: 'AcmeOnlyCo', state: 'Zanzibar', notes: 'acmesecretnote', tags: ['shared-label', 'a-only-tag'],
    groups: ['A Group'], department: 'A Dept', custom_fields: { age: 40, a_secret: 'classified' }, starred: false,
  }), 201);
  a.c2 = expectStatus(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'Trashed', last_name: 'Acmeson', tags: ['a-only-tag'] }), 201);
  expectStatus(await A.del(`/api/v1/contacts/${a.c2.id}`), 204);
  a.c2 = expectStatus(await A.get(`/api/v1/contacts/${a.c2.id}`), 200);
  a.c1 = expectStatus(await A.get(`/api/v1/contacts/${a.c1.id}`), 200);

  expectStatus(await B.post('/api/v1/fields', { key: 'age', label: 'B Age', type: 'integer' }), [200, 201]);
  b.tagShared = expectStatus(await B.post('/api/v1/tags', { label: 'shared-label' }), 201);
  b.group = expectStatus(await B.post('/api/v1/groups', { name: 'B Group' }), [200, 201]);
  b.c1 = expectStatus(await B.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'Bob', last_name: 'Globex', tags: ['shared-label'], custom_fields: { age: 50 } }), 201);
});
after(async () => { await srv?.stop(); });

async function assertAUnchanged() {
  const c1 = expectStatus(await A.get(`/api/v1/contacts/${a.c1.id}`), 200);
  assert.deepEqual(c1, a.c1, 'A contact 1 unchanged');
  const c2 = expectStatus(await A.get(`/api/v1/contacts/${a.c2.id}`), 200);
  assert.deepEqual(c2, a.c2, 'A contact 2 (trashed) unchanged');
}

test('B gets 404 for A\'s contact ids on every contact endpoint', async () => {
  for (const c of [a.c1, a.c2]) {
    expectError(await B.get(`/api/v1/contacts/${c.id}`), 404, 'not_found');
    expectError(await B.patch(`/api/v1/contacts/${c.id}`, { first_name: 'Pwned' }), 404, 'not_found');
    expectError(await B.patch(`/api/v1/contacts/${c.id}`, { first_name: 'Pwned' }, { 'if-match': `"${c.version}"` }), 404, 'not_found');
    expectError(await B.get(`/api/v1/contacts/${c.id}/history`), 404, 'not_found');
    expectError(await B.post(`/api/v1/contacts/${c.id}/restore`), 404, 'not_found');
    expectError(await B.del(`/api/v1/contacts/${c.id}`), 404, 'not_found');
    expectError(await B.del(`/api/v1/contacts/${c.id}?permanent=true`), 404, 'not_found');
  }
  await assertAUnchanged();
  const h = expectStatus(await A.get(`/api/v1/contacts/${a.c1.id}/history`), 200);
  assert.ok(h.items.every((i) => !i.user || i.user.email === 'admin@acme.test'), 'no history entry by B');
});

test('B\'s list, search and filters never return A\'s contacts', async () => {
  const all = await listAll(B);
  assert.deepEqual(ids(all.items), [b.c1.id]);
  assert.equal(all.total, 1);
  const trash = await listAll(B, 'trash=true');
  assert.equal(trash.total, 0);
  for (const qv of ['Aardvark', 'aard', 'Acmeson', 'AcmeOnlyCo', 'Zanzibar', 'acmesecretnote', 'aardvark@acme-only.test',
    a.phone1.digits, a.phone1.digits.slice(3, 8), 'Trashed']) {
    const r = await listAll(B, `q=${encodeURIComponent(qv)}`);
    assert.equal(r.total, 0, `q=${qv}`);
  }
  assert.deepEqual(ids((await listAll(B, 'tag=shared-label')).items), [b.c1.id]);
  assert.deepEqual(ids((await listAll(B, 'tag=shared-label&tag_mode=all')).items), [b.c1.id]);
  assert.deepEqual(ids((await listAll(B, 'cf.age.gte=0')).items), [b.c1.id]);
  assert.deepEqual(ids((await listAll(B, 'cf.age=40')).items), []);
  assert.deepEqual(ids((await listAll(B, 'created_after=2000-01-01')).items), [b.c1.id]);
  for (const p of ['tag=a-only-tag', 'tag=a-only-tag&trash=true', 'group=A%20Group', 'department=A%20Dept']) {
    const res = await B.get(`/api/v1/contacts?${p}`);
    expectStatus(res, [200, 400]);
    if (res.status === 200) {
      assert.equal(res.json.total, 0, p);
      assert.deepEqual(res.json.items, [], p);
    }
  }
  // and A does not see B
  expectError(await A.get(`/api/v1/contacts/${b.c1.id}`), 404, 'not_found');
  assert.ok(!ids((await listAll(A, 'tag=shared-label')).items).includes(b.c1.id));
});

test('B\'s tags, fields, groups, departments, presets, members and tokens lists hold nothing of A', async () => {
  const tags = expectStatus(await B.get('/api/v1/tags'), 200).items;
  assert.deepEqual(tags.map((t) => t.label), ['shared-label']);
  assert.equal(tags[0].id, b.tagShared.id);
  assert.equal(tags[0].count, 1, 'count only counts B contacts');
  const fields = expectStatus(await B.get('/api/v1/fields?include_archived=true'), 200).items;
  assert.deepEqual(fields.map((f) => f.label), ['B Age']);
  const groups = expectStatus(await B.get('/api/v1/groups'), 200).items;
  assert.deepEqual(groups.map((g) => g.name), ['B Group']);
  const depts = expectStatus(await B.get('/api/v1/departments'), 200).items;
  assert.deepEqual(depts, []);
  const presets = expectStatus(await B.get('/api/v1/presets'), 200).items;
  assert.deepEqual(presets, []);
  const members = expectStatus(await B.get('/api/v1/members'), 200).items;
  assert.deepEqual(members.map((m) => m.user.email), ['admin@globex.test']);
  const tokens = expectStatus(await B.get('/api/v1/tokens'), 200).items;
  assert.ok(!tokens.some((t) => t.id === a.token.id || t.user_id === a.me.user.id), 'no A tokens');
  const w = expectStatus(await B.get('/api/v1/workspace'), 200);
  assert.equal(w.name, 'Globex');
  assert.equal(w.contact_count, 1);
  const me = expectStatus(await B.get('/api/v1/me'), 200);
  assert.deepEqual(me.workspaces.map((x) => x.name), ['Globex']);
});

test('B cannot touch A\'s tags, groups, departments, presets, fields, members or tokens (404)', async () => {
  expectError(await B.patch(`/api/v1/tags/${a.tagOnly.id}`, { label: 'pwned' }), 404, 'not_found');
  expectError(await B.del(`/api/v1/tags/${a.tagOnly.id}`), 404, 'not_found');
  expectError(await B.post(`/api/v1/tags/${a.tagOnly.id}/merge`, { into: b.tagShared.id }), 404, 'not_found');
  expectError(await B.post(`/api/v1/tags/${b.tagShared.id}/merge`, { into: a.tagShared.id }), 404, 'not_found');
  expectError(await B.patch(`/api/v1/groups/${a.group.id}`, { name: 'pwned' }), 404, 'not_found');
  expectError(await B.del(`/api/v1/groups/${a.group.id}`), 404, 'not_found');
  expectError(await B.patch(`/api/v1/departments/${a.dept.id}`, { name: 'pwned' }), 404, 'not_found');
  expectError(await B.del(`/api/v1/departments/${a.dept.id}`), 404, 'not_found');
  expectError(await B.patch(`/api/v1/presets/${a.preset.id}`, { name: 'pwned' }), 404, 'not_found');
  expectError(await B.del(`/api/v1/presets/${a.preset.id}`), 404, 'not_found');
  expectError(await B.del(`/api/v1/presets/${a.presetPersonal.id}`), 404, 'not_found');
  expectError(await B.patch('/api/v1/fields/a_secret', { label: 'pwned' }), 404, 'not_found');
  expectError(await B.del('/api/v1/fields/a_secret?confirm=true'), 404, 'not_found');
  expectError(await B.del('/api/v1/fields/a_secret'), 404, 'not_found');
  expectError(await B.patch(`/api/v1/members/${a.me.user.id}`, { role: 'agent' }), 404, 'not_found');
  expectError(await B.del(`/api/v1/members/${a.me.user.id}`), 404, 'not_found');
  expectError(await B.del(`/api/v1/tokens/${a.token.id}`), 404, 'not_found');
  // B's own field with the same key changes only B's
  expectStatus(await B.patch('/api/v1/fields/age', { label: 'B Age 2' }), 200);
  expectStatus(await B.patch('/api/v1/workspace', { name: 'Globex Inc' }), 200);

  const aTags = expectStatus(await A.get('/api/v1/tags'), 200).items;
  assert.deepEqual(aTags.map((t) => t.label).sort(), ['a-only-tag', 'shared-label']);
  assert.equal(aTags.find((t) => t.label === 'shared-label').count, 1);
  assert.equal(aTags.find((t) => t.label === 'a-only-tag').count, 1);
  const aFields = expectStatus(await A.get('/api/v1/fields'), 200).items;
  assert.deepEqual(aFields.map((f) => f.label).sort(), ['A Age', 'A Secret']);
  assert.deepEqual(expectStatus(await A.get('/api/v1/groups'), 200).items.map((g) => g.name), ['A Group']);
  assert.deepEqual(expectStatus(await A.get('/api/v1/departments'), 200).items.map((d) => d.name), ['A Dept']);
  assert.deepEqual(expectStatus(await A.get('/api/v1/presets'), 200).items.map((p) => p.name).sort(), ['A personal', 'A preset']);
  assert.equal(expectStatus(await A.get('/api/v1/members'), 200).items[0].role, 'admin');
  assert.equal(expectStatus(await A.get('/api/v1/workspace'), 200).name, 'Acme');
  expectStatus(await api(srv.base, a.token.token, 'GET', '/api/v1/me'), 200);
  await assertAUnchanged();
});

test('B\'s actions with A\'s ids affect nothing of A', async () => {
  const bodies = [
    { action: 'star', ids: [a.c1.id] },
    { action: 'unstar', ids: [a.c1.id] },
    { action: 'add_tags', ids: [a.c1.id], tags: ['pwned'] },
    { action: 'remove_tags', ids: [a.c1.id], tags: ['shared-label'] },
    { action: 'set_field', ids: [a.c1.id], field: 'age', value: 1 },
    { action: 'add_to_group', ids: [a.c1.id], group: 'B Group' },
    { action: 'remove_from_group', ids: [a.c1.id], group: 'A Group' },
    { action: 'set_dnc', ids: [a.c1.id], value: true },
    { action: 'delete', ids: [a.c1.id] },
    { action: 'restore', ids: [a.c2.id] },
    { action: 'delete_permanently', ids: [a.c1.id, a.c2.id] },
  ];
  for (const body of bodies) {
    const res = await B.post('/api/v1/contacts/actions', body);
    expectStatus(res, [200, 404]);
    if (res.status === 200) assert.equal(res.json.affected, 0, `${body.action} affected`);
  }
  // mixed ids: only B's is affected
  const mixed = await B.post('/api/v1/contacts/actions', { action: 'add_tags', ids: [a.c1.id, b.c1.id], tags: ['mixed'] });
  expectStatus(mixed, [200, 404]);
  if (mixed.status === 200) assert.equal(mixed.json.affected, 1);
  await assertAUnchanged();
});

test('B\'s actions on a filter affect nothing of A', async () => {
  const r1 = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'delete', filter: { q: 'Aardvark' } }), 200);
  assert.equal(r1.affected, 0);
  const r2 = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'add_tags', filter: { tag: 'shared-label' }, tags: ['b-filtered'] }), 200);
  assert.equal(r2.affected, 1);
  const r3 = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'delete_permanently', filter: { trash: 'true' } }), 200);
  assert.equal(r3.affected, 0);
  const r4 = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'set_dnc', filter: { created_after: '2000-01-01' }, value: true }), 200);
  assert.equal(r4.affected, 1);
  const r5 = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'restore', filter: { trash: 'true' } }), 200);
  assert.equal(r5.affected, 0);
  await assertAUnchanged();
});

test('an empty filter in B means all of B, never A', async () => {
  const bCount = (await listAll(B)).total;
  const r = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'star', filter: {} }), 200);
  assert.equal(r.affected, bCount);
  const r2 = expectStatus(await B.post('/api/v1/contacts/actions', { action: 'unstar', filter: {} }), 200);
  assert.equal(r2.affected, bCount);
  await assertAUnchanged();
});

test('a cursor from A\'s listing never yields A\'s contacts to B', async () => {
  for (let i = 0; i < 3; i++) expectStatus(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: `Pager${i}` }), 201);
  const page = expectStatus(await A.get('/api/v1/contacts?limit=1'), 200);
  assert.ok(page.next_cursor, 'A has a next page');
  const res = await B.get(`/api/v1/contacts?limit=1&cursor=${encodeURIComponent(page.next_cursor)}`);
  expectStatus(res, [200, 400]);
  if (res.status === 200) {
    const aIds = ids((await listAll(A)).items);
    assert.ok(!res.json.items.some((c) => aIds.includes(c.id)), 'no A contact');
    assert.equal(res.json.total, (await listAll(B)).total);
  }
  // clean up so A's counts stay as the next test expects
  for (const c of (await listAll(A, 'q=Pager')).items) expectStatus(await A.del(`/api/v1/contacts/${c.id}?permanent=true`), 204);
});

test('the duplicate guard and tag creation are per workspace', async () => {
  const c = expectStatus(await B.post('/api/v1/contacts', { phone: a.phone1.national, first_name: 'Bcopy', tags: ['a-only-tag'] }), 201);
  assert.equal(c.phone, a.phone1.e164);
  assert.deepEqual(c.tags, ['a-only-tag']);
  const dup = expectError(await B.post('/api/v1/contacts', { phone: a.phone1.e164 }), 409, 'already_exists');
  assert.equal(dup.details.existing_id, c.id, 'the 409 names B\'s contact, not A\'s');
  const bulk = expectStatus(await B.post('/api/v1/contacts/bulk', { contacts: [{ phone: a.c2.phone }] }), 200);
  assert.equal(bulk.created, 1);
  const aTags = expectStatus(await A.get('/api/v1/tags'), 200).items;
  assert.equal(aTags.find((t) => t.label === 'a-only-tag').count, 1);
  assert.equal(expectStatus(await A.get('/api/v1/workspace'), 200).contact_count, 1);
  await assertAUnchanged();
});
