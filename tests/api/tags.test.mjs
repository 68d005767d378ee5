// Tags: create, list with counts, rename (contacts follow), merge, delete, duplicates.
// Readings of docs/API.md:
// - PATCH /tags/{id} answers 200 with the updated tag.
// - Renaming a tag to a label another tag already has (case-insensitive) answers 409.
// - Merging a tag into itself answers 400; merging into an unknown tag answers 404.
// - `count` counts live (not trashed) contacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, expectStatus, expectError, createContact, listAll, ids } from './lib.mjs';

let srv, A;
before(async () => { srv = await startServer(); A = client(srv.base, srv.tokenA); });
after(async () => { await srv?.stop(); });

const tags = async () => expectStatus(await A.get('/api/v1/tags'), 200).items;
const tagByLabel = async (label) => (await tags()).find((t) => t.label === label);
const get = async (id) => expectStatus(await A.get(`/api/v1/contacts/${id}`), 200);

test('POST /tags creates a tag with colour and description', async () => {
  const res = await A.post('/api/v1/tags', { label: 'VIP', description: 'Very important', color: '#ff8800' });
  const t = expectStatus(res, 201);
  assert.equal(typeof t.id, 'number');
  assert.equal(t.label, 'VIP');
  assert.equal(t.description, 'Very important');
  assert.equal(t.color.toLowerCase(), '#ff8800');
  const listed = await tagByLabel('VIP');
  assert.ok(listed, 'listed');
  assert.equal(listed.id, t.id);
  assert.equal(listed.count, 0);
  assert.equal(listed.description, 'Very important');
  const plain = expectStatus(await A.post('/api/v1/tags', { label: 'plain' }), 201);
  assert.equal(plain.label, 'plain');
});

test('POST /tags validation: duplicate label (case-insensitive) 409, bad colour 400, missing label 400', async () => {
  expectError(await A.post('/api/v1/tags', { label: 'VIP' }), 409, 'already_exists');
  expectError(await A.post('/api/v1/tags', { label: 'vip' }), 409, 'already_exists');
  expectError(await A.post('/api/v1/tags', { label: 'Red', color: 'red' }), 400, 'invalid_argument', 'color');
  expectError(await A.post('/api/v1/tags', { label: 'Red', color: '#12345' }), 400, 'invalid_argument', 'color');
  expectError(await A.post('/api/v1/tags', { description: 'no label' }), 400, 'invalid_argument', 'label');
  expectError(await A.post('/api/v1/tags', { label: '' }), 400, 'invalid_argument', 'label');
  expectError(await A.post('/api/v1/tags', { label: 'x', shade: 'dark' }), 400, 'invalid_argument', 'shade');
  assert.equal((await tags()).filter((t) => t.label.toLowerCase() === 'vip').length, 1);
  assert.ok(!(await tagByLabel('Red')));
});

test('tags named on a contact match existing tags case-insensitively, or are created', async () => {
  const before = (await tags()).length;
  const c = await createContact(A, { tags: ['vip', 'Fresh-Tag'] });
  assert.deepEqual([...c.tags].sort(), ['Fresh-Tag', 'VIP']);
  const after = await tags();
  assert.equal(after.length, before + 1, 'only Fresh-Tag was created');
  assert.equal(after.filter((t) => t.label.toLowerCase() === 'vip').length, 1);
});

test('counts follow contacts (trashed contacts are not counted)', async () => {
  const a = await createContact(A, { tags: ['Counted'] });
  const b = await createContact(A, { tags: ['counted'] });
  await createContact(A, { tags: ['other'] });
  assert.equal((await tagByLabel('Counted')).count, 2);
  expectStatus(await A.del(`/api/v1/contacts/${b.id}`), 204);
  assert.equal((await tagByLabel('Counted')).count, 1);
  expectStatus(await A.patch(`/api/v1/contacts/${a.id}`, { tags: [] }), 200);
  assert.equal((await tagByLabel('Counted')).count, 0);
});

test('PATCH /tags/{id}: rename, contacts follow; description and colour', async () => {
  const t = expectStatus(await A.post('/api/v1/tags', { label: 'Lead' }), 201);
  const c1 = await createContact(A, { tags: ['Lead', 'plain'] });
  const c2 = await createContact(A, { tags: ['lead'] });
  const r = expectStatus(await A.patch(`/api/v1/tags/${t.id}`, { label: 'Prospect', color: '#00aa00', description: 'renamed' }), 200);
  assert.equal(r.id, t.id);
  assert.equal(r.label, 'Prospect');
  assert.equal(r.color.toLowerCase(), '#00aa00');
  assert.equal(r.description, 'renamed');
  assert.deepEqual([...(await get(c1.id)).tags].sort(), ['Prospect', 'plain']);
  assert.deepEqual((await get(c2.id)).tags, ['Prospect']);
  assert.ok(!(await tagByLabel('Lead')));
  assert.equal((await tagByLabel('Prospect')).count, 2);
  const byFilter = await listAll(A, 'tag=Prospect');
  assert.deepEqual(ids(byFilter.items).sort(), [c1.id, c2.id].sort());
  assert.equal((await listAll(A, 'tag=Lead')).total, 0);
  // errors
  expectError(await A.patch(`/api/v1/tags/${t.id}`, { label: 'vip' }), 409, 'already_exists');
  expectError(await A.patch(`/api/v1/tags/${t.id}`, { color: 'green' }), 400, 'invalid_argument', 'color');
  expectError(await A.patch('/api/v1/tags/987654', { label: 'x' }), 404, 'not_found');
  // case-only rename of itself is allowed
  const r2 = expectStatus(await A.patch(`/api/v1/tags/${t.id}`, { label: 'PROSPECT' }), 200);
  assert.equal(r2.label, 'PROSPECT');
  assert.deepEqual((await get(c2.id)).tags, ['PROSPECT']);
});

test('POST /tags/{id}/merge moves contacts to the target and deletes the source', async () => {
  const src = expectStatus(await A.post('/api/v1/tags', { label: 'Hot Lead' }), 201);
  const dst = expectStatus(await A.post('/api/v1/tags', { label: 'Hot' }), 201);
  const onlySrc = await createContact(A, { tags: ['Hot Lead'] });
  const both = await createContact(A, { tags: ['Hot Lead', 'Hot'] });
  const onlyDst = await createContact(A, { tags: ['Hot'] });
  const res = await A.post(`/api/v1/tags/${src.id}/merge`, { into: dst.id });
  const t = expectStatus(res, 200);
  assert.equal(t.id, dst.id);
  assert.equal(t.label, 'Hot');
  assert.equal(t.count, 3);
  assert.deepEqual((await get(onlySrc.id)).tags, ['Hot']);
  assert.deepEqual((await get(both.id)).tags, ['Hot'], 'no duplicate tag on a contact that had both');
  assert.deepEqual((await get(onlyDst.id)).tags, ['Hot']);
  assert.ok(!(await tags()).some((x) => x.id === src.id), 'source tag deleted');
  assert.equal((await tagByLabel('Hot')).count, 3);
  expectError(await A.patch(`/api/v1/tags/${src.id}`, { label: 'zombie' }), 404, 'not_found');
  // errors
  expectError(await A.post(`/api/v1/tags/${dst.id}/merge`, { into: 987654 }), 404, 'not_found');
  expectError(await A.post(`/api/v1/tags/987654/merge`, { into: dst.id }), 404, 'not_found');
  expectError(await A.post(`/api/v1/tags/${dst.id}/merge`, { into: dst.id }), 400, 'invalid_argument');
  expectError(await A.post(`/api/v1/tags/${dst.id}/merge`, {}), 400, 'invalid_argument', 'into');
});

test('DELETE /tags/{id} removes the tag from contacts', async () => {
  const t = expectStatus(await A.post('/api/v1/tags', { label: 'Doomed' }), 201);
  const c = await createContact(A, { tags: ['Doomed', 'plain'] });
  expectStatus(await A.del(`/api/v1/tags/${t.id}`), 204);
  assert.deepEqual((await get(c.id)).tags, ['plain']);
  assert.ok(!(await tagByLabel('Doomed')));
  expectError(await A.del(`/api/v1/tags/${t.id}`), 404, 'not_found');
  // the label is free again
  expectStatus(await A.post('/api/v1/tags', { label: 'Doomed' }), 201);
});

test('renaming or removing a tag, group or department moves the versions of its contacts on: a stale edit is refused', async () => {
  const x = await createContact(A, { first_name: 'Stale', last_name: 'Reader', tags: ['Old Label'], groups: ['Old Group'], department: 'Old Dept' });
  const other = await createContact(A, { first_name: 'Not', last_name: 'Touched' });
  const v1 = (await get(x.id)).version;
  const tag = await tagByLabel('Old Label');
  expectStatus(await A.patch(`/api/v1/tags/${tag.id}`, { label: 'New Label' }), 200);
  const after = await get(x.id);
  assert.deepEqual(after.tags, ['New Label']);
  assert.equal(after.version, v1 + 1);
  // An edit made from the old reading (which would put "Old Label" back) is refused.
  const e = expectError(await A.patch(`/api/v1/contacts/${x.id}`, { tags: ['Old Label', 'Extra'] }, { 'if-match': `"${v1}"` }), 412, 'failed_precondition');
  assert.ok(e.message.length > 0);
  assert.deepEqual((await get(x.id)).tags, ['New Label']);
  // Color and description do not change how the contact reads: no new version.
  expectStatus(await A.patch(`/api/v1/tags/${tag.id}`, { color: '#00aa00' }), 200);
  assert.equal((await get(x.id)).version, v1 + 1);
  // Groups and departments: renamed or deleted, the same.
  const group = expectStatus(await A.get('/api/v1/groups'), 200).items.find((g) => g.name === 'Old Group');
  expectStatus(await A.patch(`/api/v1/groups/${group.id}`, { name: 'New Group' }), 200);
  assert.equal((await get(x.id)).version, v1 + 2);
  const dept = expectStatus(await A.get('/api/v1/departments'), 200).items.find((d) => d.name === 'Old Dept');
  expectStatus(await A.del(`/api/v1/departments/${dept.id}`), 204);
  const last = await get(x.id);
  assert.equal(last.version, v1 + 3);
  assert.ok(!last.department, 'no department any more');
  expectStatus(await A.del(`/api/v1/tags/${tag.id}`), 204);
  assert.equal((await get(x.id)).version, v1 + 4);
  assert.equal((await get(other.id)).version, other.version, 'contacts without them keep their version');
});
