// Workspace settings: GET/PATCH /workspace, default_country, contact_limit.
// Readings of docs/API.md:
// - PATCH /workspace answers 200 with the whole workspace object.
// - contact_count and the plan limit count live contacts (not the trash): that is what
//   makes "restore → 422 when over plan limit" possible.
// - A fresh workspace is unlimited: contact_limit is null or 0.
// - default_country must be a known ISO 3166 alpha-2 code in upper case ("USA", "XX" → 400).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, expectError, newPhone, createContact, listAll } from './lib.mjs';

let srv, A;
before(async () => { srv = await startServer(); A = client(srv.base, srv.tokenA); });
after(async () => { await srv?.stop(); });

const ws = async () => expectStatus(await A.get('/api/v1/workspace'), 200);

test('GET /workspace returns the settings', async () => {
  const w = await ws();
  assert.equal(typeof w.id, 'number');
  assert.equal(w.name, 'Acme');
  assert.equal(w.default_country, 'US');
  assert.ok(w.contact_limit === null || w.contact_limit === 0, `unlimited: ${w.contact_limit}`);
  assert.equal(w.contact_count, 0);
  assert.match(w.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  await createContact(A);
  await createContact(A);
  assert.equal((await ws()).contact_count, 2);
});

test('PATCH /workspace renames', async () => {
  const w = expectStatus(await A.patch('/api/v1/workspace', { name: 'Acme Corp' }), 200);
  assert.equal(w.name, 'Acme Corp');
  assert.equal((await ws()).name, 'Acme Corp');
  assert.equal(expectStatus(await A.get('/api/v1/me'), 200).workspace.name, 'Acme Corp');
  expectStatus(await A.patch('/api/v1/workspace', { name: 'Acme' }), 200);
  expectError(await A.patch('/api/v1/workspace', { name: '' }), 400, 'invalid_argument', 'name');
  expectError(await A.patch('/api/v1/workspace', { plan: 'gold' }), 400, 'invalid_argument', 'plan');
});

test('default_country changes how national numbers are parsed', async () => {
  const w = expectStatus(await A.patch('/api/v1/workspace', { default_country: 'GB' }), 200);
  assert.equal(w.default_country, 'GB');
  const uk = expectStatus(await A.post('/api/v1/contacts', { phone: '07400 839275' }), 201);
  assert.equal(uk.phone, '+447400839275');
  const d = expectStatus(await A.post('/api/v1/contacts', { phone: '020 7946 1235' }), 201);
  assert.equal(d.phone, '+442079461235');
  // a US national number is not a valid GB number
  expectError(await A.post('/api/v1/contacts', { phone: '(415) 555-2671' }), 400, 'invalid_argument', 'phone');
  // international format still wins
  const us = expectStatus(await A.post('/api/v1/contacts', { phone: '+1 415 555 2671' }), 201);
  assert.equal(us.phone, '+14155552671');
  // the bulk path uses it too
  const b = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: [{ phone: '07400 839276' }] }), 200);
  assert.equal(b.created, 1);
  assert.equal(expectStatus(await A.get(`/api/v1/contacts/${b.ids[0]}`), 200).phone, '+447400839276');
  expectStatus(await A.patch('/api/v1/workspace', { default_country: 'US' }), 200);
  const us2 = expectStatus(await A.post('/api/v1/contacts', { phone: '(212) 736-4830' }), 201);
  assert.equal(us2.phone, '+12127364830');
  for (const bad of ['XX', 'USA', '', 42]) {
    expectError(await A.patch('/api/v1/workspace', { default_country: bad }), 400, 'invalid_argument', 'default_country');
  }
  assert.equal((await ws()).default_country, 'US');
});

test('contact_limit: single creates stop at the limit with 422 details.limit', async () => {
  const count = (await ws()).contact_count;
  const limit = count + 2;
  const w = expectStatus(await A.patch('/api/v1/workspace', { contact_limit: limit }), 200);
  assert.equal(w.contact_limit, limit);
  await createContact(A);
  await createContact(A);
  const p = newPhone();
  const e = expectError(await A.post('/api/v1/contacts', { phone: p.e164, first_name: 'OverLimit' }), 422, 'failed_precondition');
  assert.equal(e.details.limit, limit);
  assert.equal((await ws()).contact_count, limit);
  assert.equal((await listAll(A, `q=${p.digits}`)).total, 0, 'nothing created');
});

test('contact_limit: a bulk batch that would exceed the limit is refused whole', async () => {
  const count = (await ws()).contact_count;
  const limit = count + 2;
  expectStatus(await A.patch('/api/v1/workspace', { contact_limit: limit }), 200);
  const rows = [newPhone(), newPhone(), newPhone()].map((p) => ({ phone: p.e164, tags: ['limit-batch'] }));
  const e = expectError(await A.post('/api/v1/contacts/bulk', { contacts: rows }), 422, 'failed_precondition');
  assert.equal(e.details.limit, limit);
  assert.equal((await ws()).contact_count, count, 'nothing partially created');
  assert.equal((await listAll(A, 'tag=limit-batch')).total, 0);
  // exactly filling the limit is fine
  const ok = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: rows.slice(0, 2) }), 200);
  assert.equal(ok.created, 2);
  assert.equal((await ws()).contact_count, limit);
  const e2 = expectError(await A.post('/api/v1/contacts/bulk', { contacts: [rows[2]] }), 422, 'failed_precondition');
  assert.equal(e2.details.limit, limit);
});

test('contact_limit: restore over the limit answers 422', async () => {
  const count = (await ws()).contact_count;
  const limit = count + 1;
  expectStatus(await A.patch('/api/v1/workspace', { contact_limit: limit }), 200);
  const x = await createContact(A, { first_name: 'Restorable' });
  expectStatus(await A.del(`/api/v1/contacts/${x.id}`), 204);
  await createContact(A, { first_name: 'Filler' });
  const e = expectError(await A.post(`/api/v1/contacts/${x.id}/restore`), 422, 'failed_precondition');
  assert.equal(e.details.limit, limit);
  assert.ok(expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200).deleted_at, 'still trashed');
});

test('contact_limit: restore through actions over the limit answers 422 and restores nothing', async () => {
  const count = (await ws()).contact_count;
  const limit = count + 2;
  expectStatus(await A.patch('/api/v1/workspace', { contact_limit: limit }), 200);
  const x = await createContact(A, { first_name: 'BulkRestore1' });
  const y = await createContact(A, { first_name: 'BulkRestore2' });
  expectStatus(await A.post('/api/v1/contacts/actions', { action: 'delete', ids: [x.id, y.id] }), 200);
  await createContact(A, { first_name: 'TakesASlot' });
  const e = expectError(await A.post('/api/v1/contacts/actions', { action: 'restore', ids: [x.id, y.id] }), 422, 'failed_precondition');
  assert.equal(e.details.limit, limit);
  assert.ok(expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200).deleted_at, 'nothing restored');
  assert.ok(expectStatus(await A.get(`/api/v1/contacts/${y.id}`), 200).deleted_at, 'nothing restored');
});

test('contact_limit: 0 or null means unlimited; bad values answer 400', async () => {
  for (const bad of [-1, 'abc', 1.5]) {
    expectError(await A.patch('/api/v1/workspace', { contact_limit: bad }), 400, 'invalid_argument', 'contact_limit');
  }
  let w = expectStatus(await A.patch('/api/v1/workspace', { contact_limit: 0 }), 200);
  assert.ok(w.contact_limit === 0 || w.contact_limit === null);
  await createContact(A);
  w = expectStatus(await A.patch('/api/v1/workspace', { contact_limit: 1 }), 200);
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164 }), 422, 'failed_precondition');
  w = expectStatus(await A.patch('/api/v1/workspace', { contact_limit: null }), 200);
  assert.ok(w.contact_limit === 0 || w.contact_limit === null);
  await createContact(A);
});
