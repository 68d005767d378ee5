// Custom fields: definitions, per-type validation of contact values (create, PATCH, bulk),
// required, dropdown options, visibility, archive, delete with confirmation, permissions.
// Readings of docs/API.md:
// - POST /fields answers 201 (or 200) with the field; PATCH answers 200 with the field;
//   DELETE with confirm=true answers 204 (or 200).
// - Integer values given as integer strings are stored and returned as JSON integers.
// - A custom_fields key that is not a field of the workspace answers 400 with
//   details.field "custom_fields.<key>".
// - Trying to change `key` or `type` in PATCH /fields answers 400.
// - GET /fields lists fields by ascending `order`.
// - Archived fields are hidden from GET /fields (and from contacts) but their values are
//   kept: un-archiving shows them again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, expectError, newPhone, createContact } from './lib.mjs';

let srv, A, AG, MG;
before(async () => {
  srv = await startServer({ users: [{ email: 'agent@acme.test', role: 'agent' }, { email: 'manager@acme.test', role: 'manager' }] });
  A = client(srv.base, srv.tokenA);
  AG = client(srv.base, srv.tokens['agent@acme.test']);
  MG = client(srv.base, srv.tokens['manager@acme.test']);
});
after(async () => { await srv?.stop(); });

const FIELDS = [
  { key: 'nickname', label: 'Nickname', type: 'text' },
  { key: 'bio', label: 'Biography', type: 'long_text' },
  { key: 'age', label: 'Age', type: 'integer' },
  { key: 'balance', label: 'Balance', type: 'decimal' },
  { key: 'birthday', label: 'Birthday', type: 'date' },
  { key: 'tier', label: 'Tier', type: 'dropdown', options: ['Bronze', 'Silver', 'Gold'] },
  { key: 'vip_member', label: 'VIP member', type: 'checkbox' },
];

test('POST /fields creates a field of every type', async () => {
  for (const f of FIELDS) {
    const res = await A.post('/api/v1/fields', f);
    const j = expectStatus(res, [200, 201]);
    assert.equal(typeof j.id, 'number');
    assert.equal(j.key, f.key);
    assert.equal(j.label, f.label);
    assert.equal(j.type, f.type);
    assert.deepEqual(j.options, f.options || []);
    assert.equal(j.required, false);
    assert.equal(j.visibility, 'all');
    assert.equal(typeof j.order, 'number');
    assert.equal(j.archived, false);
  }
  const list = expectStatus(await A.get('/api/v1/fields'), 200).items;
  assert.deepEqual(list.map((f) => f.key).sort(), FIELDS.map((f) => f.key).sort());
});

test('POST /fields validation', async () => {
  const bad = [
    [{ key: 'Age2', label: 'x', type: 'text' }, 'key'],
    [{ key: '1abc', label: 'x', type: 'text' }, 'key'],
    [{ key: 'has-dash', label: 'x', type: 'text' }, 'key'],
    [{ key: 'a'.repeat(65), label: 'x', type: 'text' }, 'key'],
    [{ key: 'colour', label: 'x', type: 'color' }, 'type'],
    [{ key: 'level', label: 'x', type: 'dropdown' }, 'options'],
    [{ key: 'level', label: 'x', type: 'dropdown', options: [] }, 'options'],
    [{ key: 'secret', label: 'x', type: 'text', visibility: 'everyone' }, 'visibility'],
    [{ key: 'thing', label: 'x', type: 'text', colour: 'red' }, 'colour'],
    [{ label: 'x', type: 'text' }, 'key'],
  ];
  for (const [body, field] of bad) expectError(await A.post('/api/v1/fields', body), 400, 'invalid_argument', field);
  expectStatus(await A.post('/api/v1/fields', { key: 'a'.repeat(64), label: 'Long key', type: 'text' }), [200, 201]);
  expectError(await A.post('/api/v1/fields', { key: 'age', label: 'Again', type: 'text' }), 409, 'already_exists');
  expectStatus(await A.del(`/api/v1/fields/${'a'.repeat(64)}?confirm=true`), [200, 204]);
});

const VALID = {
  nickname: ['x'.repeat(1000)],
  bio: ['y'.repeat(20000)],
  age: [42, '42', -3, 0],
  balance: [3.25, 10, -0.5],
  birthday: ['2024-02-29', '1999-12-31'],
  tier: ['Gold', 'Bronze'],
  vip_member: [true, false],
};
const EXPECTED = { age: { '42': 42 } };
const INVALID = {
  nickname: ['x'.repeat(1001), ['a'], { a: 1 }],
  bio: ['y'.repeat(20001)],
  age: ['abc', 4.5, '4.5', true, '12abc'],
  balance: ['abc', true, '1.2.3'],
  birthday: ['2023-02-29', '2024-13-01', '01/02/2024', '2024-1-5', 20240101],
  tier: ['Platinum', 'gold?', 3],
  vip_member: ['maybe', 2],
};

test('every type validates values on contact create with details.field custom_fields.<key>', async () => {
  for (const [key, values] of Object.entries(INVALID)) {
    for (const v of values) {
      const res = await A.post('/api/v1/contacts', { phone: newPhone().e164, custom_fields: { [key]: v } });
      expectError(res, 400, 'invalid_argument', `custom_fields.${key}`);
    }
  }
  for (const [key, values] of Object.entries(VALID)) {
    for (const v of values) {
      const c = await createContact(A, { custom_fields: { [key]: v } });
      const want = EXPECTED[key]?.[String(v)] ?? v;
      assert.deepEqual(c.custom_fields[key], want, `${key}=${JSON.stringify(v).slice(0, 40)}`);
    }
  }
  const tiny = await createContact(A, { custom_fields: { balance: 0.1 } });
  assert.ok(Math.abs(Number(tiny.custom_fields.balance) - 0.1) < 1e-9);
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, custom_fields: { nosuch: 1 } }), 400, 'invalid_argument', 'custom_fields.nosuch');
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, custom_fields: 'age=3' }), 400, 'invalid_argument', 'custom_fields');
});

test('every type validates values on PATCH; keys given are set, null clears a key', async () => {
  const c = await createContact(A, { custom_fields: { age: 30, tier: 'Silver', nickname: 'Nick' } });
  for (const [key, values] of Object.entries(INVALID)) {
    for (const v of values) {
      const res = await A.patch(`/api/v1/contacts/${c.id}`, { custom_fields: { [key]: v } });
      expectError(res, 400, 'invalid_argument', `custom_fields.${key}`);
    }
  }
  expectError(await A.patch(`/api/v1/contacts/${c.id}`, { custom_fields: { nosuch: 'x' } }), 400, 'invalid_argument', 'custom_fields.nosuch');
  const unchanged = expectStatus(await A.get(`/api/v1/contacts/${c.id}`), 200);
  assert.deepEqual(unchanged.custom_fields, { age: 30, tier: 'Silver', nickname: 'Nick' });
  assert.equal(unchanged.version, c.version, 'refused PATCHes change nothing');
  const p = expectStatus(await A.patch(`/api/v1/contacts/${c.id}`, { custom_fields: { age: '31', birthday: '2000-01-01', nickname: null } }), 200);
  assert.deepEqual(p.custom_fields, { age: 31, tier: 'Silver', birthday: '2000-01-01' });
  const g = expectStatus(await A.get(`/api/v1/contacts/${c.id}`), 200);
  assert.deepEqual(g.custom_fields, p.custom_fields);
});

test('bulk validates custom field values per row', async () => {
  const res = await A.post('/api/v1/contacts/bulk', { contacts: [
    { phone: newPhone().e164, custom_fields: { age: 5 } },
    { phone: newPhone().e164, custom_fields: { age: 'five' } },
    { phone: newPhone().e164, custom_fields: { tier: 'Platinum' } },
  ] });
  const j = expectStatus(res, 200);
  assert.equal(j.created, 1);
  assert.deepEqual(j.errors.map((e) => e.index), [1, 2]);
  assert.match(String(j.errors[0].field), /(^|\.)custom_fields\.age$/);
  assert.match(String(j.errors[1].field), /(^|\.)custom_fields\.tier$/);
  assert.equal(j.errors[0].code, 'invalid_argument');
});

test('a required field must have a value on create (API and bulk)', async () => {
  const f = expectStatus(await A.post('/api/v1/fields', { key: 'account_no', label: 'Account', type: 'text', required: true }), [200, 201]);
  assert.equal(f.required, true);
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'NoAcct' }), 400, 'invalid_argument', 'custom_fields.account_no');
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, custom_fields: { account_no: '' } }), 400, 'invalid_argument', 'custom_fields.account_no');
  const ok = await createContact(A, { custom_fields: { account_no: 'A-1' } });
  assert.equal(ok.custom_fields.account_no, 'A-1');
  const b = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: [
    { phone: newPhone().e164, custom_fields: { account_no: 'A-2' } },
    { phone: newPhone().e164 },
  ] }), 200);
  assert.equal(b.created, 1);
  assert.equal(b.errors.length, 1);
  assert.equal(b.errors[0].index, 1);
  assert.match(String(b.errors[0].field), /(^|\.)custom_fields\.account_no$/);
  // clearing a required value is refused too
  expectError(await A.patch(`/api/v1/contacts/${ok.id}`, { custom_fields: { account_no: null } }), 400, 'invalid_argument', 'custom_fields.account_no');
  const r = expectStatus(await A.patch('/api/v1/fields/account_no', { required: false }), 200);
  assert.equal(r.required, false);
  await createContact(A, { first_name: 'NoAcctNow' });
});

test('PATCH /fields/{key}: label, options, visibility, order; key and type are fixed', async () => {
  const r = expectStatus(await A.patch('/api/v1/fields/tier', { label: 'Level', options: ['Bronze', 'Silver', 'Gold', 'Platinum'], order: 50 }), 200);
  assert.equal(r.key, 'tier');
  assert.equal(r.label, 'Level');
  assert.deepEqual(r.options, ['Bronze', 'Silver', 'Gold', 'Platinum']);
  assert.equal(r.order, 50);
  const c = await createContact(A, { custom_fields: { tier: 'Platinum' } });
  assert.equal(c.custom_fields.tier, 'Platinum', 'new option accepted');
  expectError(await A.patch('/api/v1/fields/tier', { type: 'text' }), 400, 'invalid_argument', 'type');
  expectError(await A.patch('/api/v1/fields/tier', { key: 'level' }), 400, 'invalid_argument', 'key');
  expectError(await A.patch('/api/v1/fields/tier', { visibility: 'nobody' }), 400, 'invalid_argument', 'visibility');
  expectError(await A.patch('/api/v1/fields/nosuch', { label: 'x' }), 404, 'not_found');
  expectStatus(await A.patch('/api/v1/fields/age', { order: 1 }), 200);
  const list = expectStatus(await A.get('/api/v1/fields'), 200).items;
  for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].order <= list[i].order, `fields ordered by order: ${list.map((f) => `${f.key}:${f.order}`)}`);
  assert.equal(list.find((f) => f.key === 'tier').label, 'Level');
});

test('archive hides a field but keeps its values', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'legacy_id', label: 'Legacy', type: 'text' }), [200, 201]);
  const c = await createContact(A, { custom_fields: { legacy_id: 'L-9' } });
  const r = expectStatus(await A.patch('/api/v1/fields/legacy_id', { archived: true }), 200);
  assert.equal(r.archived, true);
  const list = expectStatus(await A.get('/api/v1/fields'), 200).items;
  assert.ok(!list.some((f) => f.key === 'legacy_id'), 'hidden from the default list');
  const all = expectStatus(await A.get('/api/v1/fields?include_archived=true'), 200).items;
  const found = all.find((f) => f.key === 'legacy_id');
  assert.ok(found, 'listed with include_archived=true');
  assert.equal(found.archived, true);
  expectStatus(await A.patch('/api/v1/fields/legacy_id', { archived: false }), 200);
  const g = expectStatus(await A.get(`/api/v1/contacts/${c.id}`), 200);
  assert.equal(g.custom_fields.legacy_id, 'L-9', 'value kept through archive');
});

test('DELETE /fields/{key} needs confirm=true: 412 with details.values first', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'temp_code', label: 'Temp', type: 'integer' }), [200, 201]);
  const a = await createContact(A, { custom_fields: { temp_code: 1 } });
  await createContact(A, { custom_fields: { temp_code: 2 } });
  await createContact(A, { first_name: 'no temp' });
  const e = expectError(await A.del('/api/v1/fields/temp_code'), 412, 'failed_precondition');
  assert.equal(e.details.values, 2);
  expectError(await A.del('/api/v1/fields/temp_code?confirm=false'), 412, 'failed_precondition');
  assert.ok(expectStatus(await A.get('/api/v1/fields'), 200).items.some((f) => f.key === 'temp_code'), 'still there');
  expectStatus(await A.del('/api/v1/fields/temp_code?confirm=true'), [200, 204]);
  const all = expectStatus(await A.get('/api/v1/fields?include_archived=true'), 200).items;
  assert.ok(!all.some((f) => f.key === 'temp_code'), 'gone');
  const g = expectStatus(await A.get(`/api/v1/contacts/${a.id}`), 200);
  assert.ok(!('temp_code' in g.custom_fields), 'values removed');
  expectError(await A.del('/api/v1/fields/temp_code?confirm=true'), 404, 'not_found');
  // the key can be created again, empty
  expectStatus(await A.post('/api/v1/fields', { key: 'temp_code', label: 'Temp', type: 'text' }), [200, 201]);
  const g2 = expectStatus(await A.get(`/api/v1/contacts/${a.id}`), 200);
  assert.ok(!('temp_code' in g2.custom_fields) || g2.custom_fields.temp_code === null);
});

test('visibility: agents and managers do not see fields or values above their role', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'salary', label: 'Salary', type: 'integer', visibility: 'admin' }), [200, 201]);
  expectStatus(await A.post('/api/v1/fields', { key: 'margin', label: 'Margin', type: 'decimal', visibility: 'manager' }), [200, 201]);
  const c = await createContact(A, { custom_fields: { salary: 90000, margin: 0.25, nickname: 'Visible' } });
  const keys = async (cl) => expectStatus(await cl.get('/api/v1/fields'), 200).items.map((f) => f.key);
  const adminKeys = await keys(A);
  assert.ok(adminKeys.includes('salary') && adminKeys.includes('margin'));
  const mgrKeys = await keys(MG);
  assert.ok(mgrKeys.includes('margin') && !mgrKeys.includes('salary'), `manager sees ${mgrKeys}`);
  const agKeys = await keys(AG);
  assert.ok(!agKeys.includes('margin') && !agKeys.includes('salary') && agKeys.includes('nickname'), `agent sees ${agKeys}`);
  const asAgent = expectStatus(await AG.get(`/api/v1/contacts/${c.id}`), 200);
  assert.deepEqual(Object.keys(asAgent.custom_fields), ['nickname']);
  const asMgr = expectStatus(await MG.get(`/api/v1/contacts/${c.id}`), 200);
  assert.deepEqual(Object.keys(asMgr.custom_fields).sort(), ['margin', 'nickname']);
  // fields hidden from a role are unknown to it: no filtering or writing through them
  expectError(await AG.get('/api/v1/contacts?cf.salary.gte=1'), 400, 'invalid_argument', 'cf.salary.gte');
  expectError(await AG.get('/api/v1/contacts?cf.margin.empty=false'), 400, 'invalid_argument', 'cf.margin.empty');
  expectError(await AG.post('/api/v1/contacts', { phone: newPhone().e164, custom_fields: { salary: 1 } }), 400, 'invalid_argument', 'custom_fields.salary');
  const listAg = expectStatus(await AG.get('/api/v1/contacts?limit=500'), 200).items.find((x) => x.id === c.id);
  assert.deepEqual(Object.keys(listAg.custom_fields), ['nickname'], 'hidden in the list too');
});

test('only admins write fields (403 for managers and agents)', async () => {
  for (const cl of [MG, AG]) {
    expectError(await cl.post('/api/v1/fields', { key: 'sneaky', label: 'x', type: 'text' }), 403, 'permission_denied');
    expectError(await cl.patch('/api/v1/fields/age', { label: 'Hacked' }), 403, 'permission_denied');
    expectError(await cl.del('/api/v1/fields/age?confirm=true'), 403, 'permission_denied');
  }
  const list = expectStatus(await A.get('/api/v1/fields'), 200).items;
  assert.equal(list.find((f) => f.key === 'age').label, 'Age');
  assert.ok(!list.some((f) => f.key === 'sneaky'));
});

test('history shows changes of hidden fields only to those who may see the field', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'pay_band', label: 'Pay band', type: 'integer', visibility: 'admin' }), 201);
  const c = await createContact(A, { first_name: 'Paid' });
  expectStatus(await A.patch(`/api/v1/contacts/${c.id}`, { custom_fields: { pay_band: 250000 }, company: 'Acme' }), 200);
  expectStatus(await A.post('/api/v1/contacts/actions', { action: 'set_field', field: 'pay_band', value: 260000, ids: [c.id] }), 200);
  const mine = expectStatus(await A.get(`/api/v1/contacts/${c.id}/history`), 200).items;
  assert.ok(mine.some((h) => 'custom_fields.pay_band' in h.changes), 'the admin sees the pay band changes');
  for (const who of [AG, MG]) {
    const theirs = expectStatus(await who.get(`/api/v1/contacts/${c.id}/history`), 200).items;
    assert.equal(theirs.length, mine.length, 'the entries are still there');
    for (const h of theirs) assert.ok(!('custom_fields.pay_band' in h.changes), JSON.stringify(h));
    assert.ok(theirs.some((h) => h.changes.company), 'other changes stay visible');
  }
});
