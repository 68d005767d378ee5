// Malformed and ill-typed input: malformed JSON, wrong types, unknown fields, non-object
// bodies, bodies over 1 MiB.
// Readings of docs/API.md:
// - A JSON value of the wrong type for a field answers 400 with details.field naming it
//   (no silent coercion of numbers to strings or strings to booleans).
// - For a wrongly typed element of a list (tags: [1]) details.field is "tags" or starts
//   with "tags[" .
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, expectError, newPhone, createContact, listAll } from './lib.mjs';

let srv, A, target;
before(async () => {
  srv = await startServer();
  A = client(srv.base, srv.tokenA);
  target = await createContact(A, { first_name: 'Target' });
});
after(async () => { await srv?.stop(); });

test('malformed JSON answers 400 invalid_argument with the error envelope', async () => {
  for (const body of ['{"phone": "+14155550000",', '{phone: 1}', 'not json', '{"a":1}}', '\u0000']) {
    const res = await A.post('/api/v1/contacts', body);
    expectError(res, 400, 'invalid_argument');
    assert.match(res.headers.get('content-type') || '', /application\/json/);
  }
  expectError(await A.patch(`/api/v1/contacts/${target.id}`, '{"first_name":'), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/tags', '{"label":'), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/contacts/bulk', '{"contacts":[{'), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/contacts/actions', '[[['), 400, 'invalid_argument');
});

test('bodies that are not JSON objects answer 400', async () => {
  for (const body of ['[]', '"string"', 'null', '42', '']) {
    expectError(await A.post('/api/v1/contacts', body), 400, 'invalid_argument');
  }
  expectError(await A.patch(`/api/v1/contacts/${target.id}`, '[]'), 400, 'invalid_argument');
});

test('wrong types answer 400 with details.field', async () => {
  const cases = [
    [{ phone: 14155550123 }, 'phone'],
    [{ first_name: 5 }, 'first_name'],
    [{ last_name: ['a'] }, 'last_name'],
    [{ email: 123 }, 'email'],
    [{ company: { a: 1 } }, 'company'],
    [{ notes: true }, 'notes'],
    [{ starred: 'yes' }, 'starred'],
    [{ starred: 1 }, 'starred'],
    [{ do_not_call: 'no' }, 'do_not_call'],
    [{ tags: 'vip' }, 'tags'],
    [{ tags: [1] }, /^tags(\[0\])?$/],
    [{ groups: {} }, 'groups'],
    [{ phones: 'x' }, 'phones'],
    [{ phones: [{ label: 'x', number: 5 }] }, /^phones/],
    [{ custom_fields: [] }, 'custom_fields'],
    [{ consent: 'granted' }, 'consent'],
    [{ department: 7 }, 'department'],
  ];
  for (const [extra, field] of cases) {
    const body = { phone: newPhone().e164, ...extra };
    expectError(await A.post('/api/v1/contacts', body), 400, 'invalid_argument', field);
    if (!('phone' in extra)) expectError(await A.patch(`/api/v1/contacts/${target.id}`, extra), 400, 'invalid_argument', field);
  }
  const g = expectStatus(await A.get(`/api/v1/contacts/${target.id}`), 200);
  assert.equal(g.version, target.version, 'nothing changed');
  assert.equal((await listAll(A)).total, 1, 'nothing created');
});

test('unknown fields answer 400 with details.field', async () => {
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, favourite_color: 'blue' }), 400, 'invalid_argument', 'favourite_color');
  expectError(await A.patch(`/api/v1/contacts/${target.id}`, { favourite_color: 'blue' }), 400, 'invalid_argument', 'favourite_color');
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, phones: [{ label: 'w', number: newPhone().e164, ext: '1' }] }), 400, 'invalid_argument', /ext$/);
  expectError(await A.post('/api/v1/tags', { label: 'x', size: 3 }), 400, 'invalid_argument', 'size');
  expectError(await A.patch('/api/v1/workspace', { theme: 'dark' }), 400, 'invalid_argument', 'theme');
  expectError(await A.post('/api/v1/tokens', { name: 'x', scope: 'all' }), 400, 'invalid_argument', 'scope');
  expectError(await A.post('/api/v1/contacts/bulk', { contacts: [], dry_run: true }), 400, 'invalid_argument', 'dry_run');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'star', ids: [target.id], colour: 'red' }), 400, 'invalid_argument', 'colour');
  expectError(await A.post('/api/v1/auth/login', { email: 'admin@acme.test', password: 'x', remember_me: true }), 400, 'invalid_argument', 'remember_me');
  expectError(await A.post('/api/v1/groups', { name: 'g', color: 'red' }), 400, 'invalid_argument', 'color');
  expectError(await A.post('/api/v1/presets', { name: 'p', filter: {}, shared: false, pinned: true }), 400, 'invalid_argument', 'pinned');
  expectError(await A.post('/api/v1/members', { email: 'u@acme.test', password: 'long enough 1', role: 'agent', age: 3 }), 400, 'invalid_argument', 'age');
  expectError(await A.post('/api/v1/workspaces', { name: 'W', plan: 'gold' }), 400, 'invalid_argument', 'plan');
  assert.equal(expectStatus(await A.get('/api/v1/contacts/' + target.id), 200).starred, false);
  assert.equal((await listAll(A)).total, 1, 'nothing created');
  assert.ok(!expectStatus(await A.get('/api/v1/tags'), 200).items.some((t) => t.label === 'x'));
});

test('pathological input answers 4xx and the server stays up', async () => {
  const deep = `{"phone":"${newPhone().e164}","notes":${'['.repeat(100000)}${']'.repeat(100000)}}`;
  expectError(await A.post('/api/v1/contacts', deep), 400, 'invalid_argument');
  const badUtf8 = Buffer.concat([Buffer.from(`{"phone":"${newPhone().e164}","first_name":"`), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('"}')]);
  expectError(await A.post('/api/v1/contacts', badUtf8), 400, 'invalid_argument');
  expectStatus(await A.get('/api/v1/contacts/99999999999999999999999'), [400, 404]);
  expectStatus(await A.get('/api/v1/contacts/-1'), [400, 404]);
  expectError(await A.get('/api/v1/contacts?limit=99999999999999999999'), 400, 'invalid_argument', 'limit');
  expectStatus(await A.get('/api/v1/contacts?q=%ZZ'), [200, 400]);
  const huge = await A.post('/api/v1/contacts/actions', { action: 'star', ids: [1e30] });
  expectStatus(huge, [200, 400, 404]);
  if (huge.status === 200) assert.equal(huge.json.affected, 0);
  expectStatus(await A.patch(`/api/v1/contacts/${target.id}`, { first_name: 'x', version: 1e30 }), [400, 412]);
  expectError(await A.patch('/api/v1/workspace', { contact_limit: 1e30 }), 400, 'invalid_argument', 'contact_limit');
  expectStatus(await A.get('/api/v1/me'), 200);
  const g = expectStatus(await A.get(`/api/v1/contacts/${target.id}`), 200);
  assert.equal(g.version, target.version);
  assert.equal((await listAll(A)).total, 1, 'nothing created');
});

test('collection paths do not accept DELETE/PATCH (nothing is mass-deleted)', async () => {
  expectStatus(await A.del('/api/v1/contacts'), [404, 405]);
  expectStatus(await A.patch('/api/v1/contacts', { starred: true }), [404, 405]);
  expectStatus(await A.del('/api/v1/tags'), [404, 405]);
  const g = expectStatus(await A.get(`/api/v1/contacts/${target.id}`), 200);
  assert.equal(g.deleted_at, null);
  assert.equal(g.starred, false);
});

test('JSON bodies over 1 MiB answer 413 payload_too_large', async () => {
  const big = 'x'.repeat(1024 * 1024 + 100);
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, notes: big }), 413, 'payload_too_large');
  expectError(await A.patch(`/api/v1/contacts/${target.id}`, { notes: big }), 413, 'payload_too_large');
  expectError(await A.post('/api/v1/tags', { label: 'big', description: big }), 413, 'payload_too_large');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'star', ids: Array.from({ length: 200000 }, (_, i) => i + 1) }), 413, 'payload_too_large');
  assert.equal((await listAll(A)).total, 1, 'nothing created');
  assert.equal(expectStatus(await A.get(`/api/v1/contacts/${target.id}`), 200).version, target.version);
  // just under the limit is not refused for its size
  const under = await A.post('/api/v1/contacts', { phone: newPhone().e164, notes: 'y'.repeat(1000 * 1000) });
  assert.notEqual(under.status, 413, `a ~1 MB body is under 1 MiB\n${under.req} -> ${under.status}`);
});
