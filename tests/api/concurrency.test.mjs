// Races: the contract's guarantees must hold when requests arrive at the same time.
// - Optimistic concurrency: of N PATCHes with the same If-Match, exactly one wins (S2.4).
// - Duplicate guard: of N creates of the same phone, exactly one is created.
// - Plan limit: concurrent creates never push the workspace past contact_limit.
// - Sort order ties (same created_at) still give a stable, gap-free cursor walk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, newPhone, createContact, listAll } from './lib.mjs';

let srv, A;
before(async () => { srv = await startServer(); A = client(srv.base, srv.tokenA); });
after(async () => { await srv?.stop(); });

test('concurrent PATCHes with the same If-Match: exactly one succeeds, the rest get 412', async () => {
  const c = await createContact(A, { first_name: 'Race' });
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    A.patch(`/api/v1/contacts/${c.id}`, { first_name: `Racer${i}` }, { 'if-match': `"${c.version}"` })));
  const statuses = rs.map((r) => r.status).sort();
  assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses ${statuses}`);
  assert.equal(statuses.filter((s) => s === 412).length, 11, `statuses ${statuses}`);
  const winner = rs.find((r) => r.status === 200).json;
  const g = expectStatus(await A.get(`/api/v1/contacts/${c.id}`), 200);
  assert.equal(g.first_name, winner.first_name);
  assert.equal(g.version, winner.version);
});

test('concurrent creates of one phone: exactly one 201, the rest 409', async () => {
  const p = newPhone();
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    A.post('/api/v1/contacts', { phone: i % 2 ? p.e164 : p.national, first_name: `Dup${i}` })));
  const statuses = rs.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
  assert.equal(statuses.filter((s) => s === 409).length, 11, `statuses ${statuses}`);
  assert.equal((await listAll(A, `q=${p.digits}`)).total, 1);
});

test('concurrent bulk batches with the same phones create each phone once', async () => {
  const phones = [newPhone(), newPhone(), newPhone()];
  const rs = await Promise.all(Array.from({ length: 5 }, () =>
    A.post('/api/v1/contacts/bulk', { contacts: phones.map((p) => ({ phone: p.e164, tags: ['bulk-race'] })) })));
  const created = rs.map((r) => expectStatus(r, 200).created);
  assert.equal(created.reduce((a, b) => a + b, 0), 3, `created per batch: ${created}`);
  assert.equal((await listAll(A, 'tag=bulk-race')).total, 3);
});

test('concurrent creates never exceed contact_limit', async () => {
  const count = expectStatus(await A.get('/api/v1/workspace'), 200).contact_count;
  const limit = count + 3;
  expectStatus(await A.patch('/api/v1/workspace', { contact_limit: limit }), 200);
  const rs = await Promise.all(Array.from({ length: 12 }, () => A.post('/api/v1/contacts', { phone: newPhone().e164 })));
  const statuses = rs.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 201).length, 3, `statuses ${statuses}`);
  assert.equal(statuses.filter((s) => s === 422).length, 9, `statuses ${statuses}`);
  const w = expectStatus(await A.get('/api/v1/workspace'), 200);
  assert.equal(w.contact_count, limit);
  expectStatus(await A.patch('/api/v1/workspace', { contact_limit: 0 }), 200);
});

test('concurrent creates with tag labels differing in case create one tag', async () => {
  await Promise.all(['Racetag', 'RACETAG', 'racetag', 'RaceTag', 'raceTAG', 'racetaG'].map((label) =>
    A.post('/api/v1/contacts', { phone: newPhone().e164, tags: [label] })));
  const tags = expectStatus(await A.get('/api/v1/tags'), 200).items.filter((t) => t.label.toLowerCase() === 'racetag');
  assert.equal(tags.length, 1, JSON.stringify(tags));
  assert.equal(tags[0].count, 6);
});
