// POST /contacts/bulk and POST /contacts/actions.
// Readings of docs/API.md:
// - In a bulk batch the first occurrence of a phone wins; later rows with the same number
//   (in any format) are reported as `already_exists`, like rows whose phone is already in
//   the workspace.
// - `errors[].field` may be the bare field ("phone") or the indexed path
//   ("contacts[1].phone"); both are accepted. `ids` lists the created contacts in input order.
// - More than 10,000 contacts answer 413 payload_too_large or 400 invalid_argument and
//   create nothing.
// - Actions on ids that do not exist (or not in this workspace) count nothing: 200 with
//   affected 0, or 404; either way nothing changes.
// - `affected` counts the contacts the action was applied to (those matched by ids/filter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, client, expectStatus, expectError, newPhone, createContact, listAll, ids, uniq,
} from './lib.mjs';

let srv, A;
before(async () => { srv = await startServer(); A = client(srv.base, srv.tokenA); });
after(async () => { await srv?.stop(); });

const fieldIs = (name) => new RegExp(`(^|\\.)${name.replace(/[.[\]]/g, '\\$&')}$`);

test('bulk: valid rows are created, invalid and duplicate rows are reported by index', async () => {
  const existing = await createContact(A, { first_name: 'Existing' });
  const p0 = newPhone();
  const p2 = newPhone();
  const p5 = newPhone();
  const rows = [
    { phone: p0.national, first_name: 'Row0' },
    { phone: 'not a phone', first_name: 'Row1' },
    { phone: p2.e164, name: 'Row Two' },
    { phone: p0.e164, first_name: 'Row3 duplicate of row 0' },
    { phone: existing.phone, first_name: 'Row4 duplicate of existing' },
    { phone: p5.e164, first_name: 'Row5', tags: ['bulk-tag'], groups: ['bulk-group'] },
    { first_name: 'Row6 no phone' },
    { phone: newPhone().e164, first_name: 'Row7', nickname: 'unknown field' },
  ];
  const before = (await listAll(A)).total;
  const res = await A.post('/api/v1/contacts/bulk', { contacts: rows });
  const j = expectStatus(res, 200);
  assert.equal(j.created, 3);
  assert.equal(j.ids.length, 3);
  assert.ok(Array.isArray(j.errors));
  const byIndex = Object.fromEntries(j.errors.map((e) => [e.index, e]));
  assert.deepEqual(j.errors.map((e) => e.index).sort((a, b) => a - b), [1, 3, 4, 6, 7], JSON.stringify(j.errors));
  for (const e of j.errors) {
    assert.equal(typeof e.code, 'string');
    assert.equal(typeof e.message, 'string');
  }
  assert.equal(byIndex[1].code, 'invalid_argument');
  assert.match(String(byIndex[1].field), fieldIs('phone'));
  assert.equal(byIndex[3].code, 'already_exists');
  assert.equal(byIndex[4].code, 'already_exists');
  assert.equal(byIndex[6].code, 'invalid_argument');
  assert.match(String(byIndex[6].field), fieldIs('phone'));
  assert.equal(byIndex[7].code, 'invalid_argument');
  assert.match(String(byIndex[7].field), fieldIs('nickname'));

  const got = [];
  for (const id of j.ids) got.push(expectStatus(await A.get(`/api/v1/contacts/${id}`), 200));
  assert.deepEqual(got.map((c) => c.phone), [p0.e164, p2.e164, p5.e164], 'ids in input order');
  assert.equal(got[0].first_name, 'Row0');
  assert.equal(got[1].first_name, 'Row');
  assert.equal(got[1].last_name, 'Two');
  assert.deepEqual(got[2].tags, ['bulk-tag']);
  assert.deepEqual(got[2].groups, ['bulk-group']);
  const after = (await listAll(A)).total;
  assert.equal(after, before + 3);
});

test('bulk: a body without a contacts array answers 400', async () => {
  expectError(await A.post('/api/v1/contacts/bulk', {}), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/contacts/bulk', { contacts: 'x' }), 400, 'invalid_argument', 'contacts');
  expectError(await A.post('/api/v1/contacts/bulk', [{ phone: newPhone().e164 }]), 400, 'invalid_argument');
});

test('bulk: more than 10,000 contacts is refused whole (413 or 400)', async () => {
  const before = (await listAll(A)).total;
  const rows = [];
  for (let i = 0; i < 10001; i++) rows.push({ phone: `+1646${String(2000000 + i)}` });
  const res = await A.post('/api/v1/contacts/bulk', { contacts: rows });
  expectStatus(res, [400, 413]);
  assert.ok(['payload_too_large', 'invalid_argument'].includes(res.json?.error?.code), res.text.slice(0, 300));
  assert.equal((await listAll(A)).total, before, 'nothing created');
});

test('bulk: an empty batch creates nothing', async () => {
  const j = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: [] }), 200);
  assert.equal(j.created, 0);
  assert.deepEqual(j.ids, []);
  assert.deepEqual(j.errors, []);
});

test('bulk: bodies over 64 MiB answer 413 payload_too_large', async () => {
  const before = (await listAll(A)).total;
  const notes = 'z'.repeat(7600);
  const parts = [];
  for (let i = 0; i < 9000; i++) parts.push(JSON.stringify({ phone: `+1718${String(3000000 + i)}`, notes }));
  const body = `{"contacts":[${parts.join(',')}]}`;
  assert.ok(body.length > 64 * 1024 * 1024);
  // node:http rather than fetch: a server may answer 413 early and close the connection
  // while the body is still being sent; the answer must still reach the client.
  const res = await new Promise((resolve) => {
    const u = new URL(`${srv.base}/api/v1/contacts/bulk`);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
      headers: { authorization: `Bearer ${srv.tokenA}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
      let text = '';
      r.on('data', (d) => { text += d; });
      r.on('end', () => resolve({ status: r.statusCode, text }));
      r.on('error', () => resolve({ status: r.statusCode, text }));
    });
    req.on('error', (e) => resolve({ status: 0, text: `connection error, no HTTP answer: ${e.message}` }));
    req.end(body);
  });
  let json;
  try { json = JSON.parse(res.text); } catch { json = undefined; }
  expectError({ ...res, json, headers: new Headers(), req: `POST /api/v1/contacts/bulk (${body.length} bytes, 9000 contacts)` }, 413, 'payload_too_large');
  assert.equal((await listAll(A)).total, before, 'nothing created');
});

test('bulk: bodies over 1 MiB are accepted on this endpoint', async () => {
  const notes = 'n'.repeat(900);
  const rows = [];
  for (let i = 0; i < 1300; i++) rows.push({ phone: newPhone().e164, first_name: `Big${i}`, notes, tags: ['bigbatch'] });
  const body = JSON.stringify({ contacts: rows });
  assert.ok(body.length > 1024 * 1024 + 1000, 'payload is over 1 MiB');
  const res = await A.post('/api/v1/contacts/bulk', body);
  const j = expectStatus(res, 200);
  assert.equal(j.created, 1300);
  assert.deepEqual(j.errors, []);
  const l = expectStatus(await A.get('/api/v1/contacts?tag=bigbatch&limit=1'), 200);
  assert.equal(l.total, 1300);
});

// ---------------------------------------------------------------- actions
async function seed(n, extra = {}) {
  const tag = uniq('act');
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ phone: newPhone().e164, first_name: `${tag}-${i}`, tags: [tag], ...extra });
  const j = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: rows }), 200);
  assert.equal(j.created, n);
  return { tag, ids: j.ids };
}
const get = async (id) => expectStatus(await A.get(`/api/v1/contacts/${id}`), 200);
const act = async (body, status = 200) => expectStatus(await A.post('/api/v1/contacts/actions', body), status);

test('actions: add_tags and remove_tags on ids', async () => {
  const s = await seed(3);
  let r = await act({ action: 'add_tags', ids: [s.ids[0], s.ids[1]], tags: ['hot', 'Brand-New-Tag'] });
  assert.equal(r.affected, 2);
  assert.deepEqual([...(await get(s.ids[0])).tags].sort(), ['Brand-New-Tag', 'hot', s.tag].sort());
  assert.deepEqual((await get(s.ids[2])).tags, [s.tag]);
  const tags = expectStatus(await A.get('/api/v1/tags'), 200);
  const bn = tags.items.find((t) => t.label === 'Brand-New-Tag');
  assert.ok(bn, 'unknown tag created');
  assert.equal(bn.count, 2);
  r = await act({ action: 'remove_tags', ids: [s.ids[0]], tags: ['hot'] });
  assert.equal(r.affected, 1);
  assert.deepEqual([...(await get(s.ids[0])).tags].sort(), ['Brand-New-Tag', s.tag].sort());
  assert.ok((await get(s.ids[1])).tags.includes('hot'));
});

test('actions: set_field validates and sets a custom field value', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'score', label: 'Score', type: 'integer' }), [200, 201]);
  const s = await seed(3);
  const r = await act({ action: 'set_field', ids: s.ids.slice(0, 2), field: 'score', value: 7 });
  assert.equal(r.affected, 2);
  assert.equal((await get(s.ids[0])).custom_fields.score, 7);
  assert.equal((await get(s.ids[1])).custom_fields.score, 7);
  assert.ok(!('score' in (await get(s.ids[2])).custom_fields) || (await get(s.ids[2])).custom_fields.score === null);
  const bad = await A.post('/api/v1/contacts/actions', { action: 'set_field', ids: s.ids, field: 'score', value: 'abc' });
  expectError(bad, 400, 'invalid_argument');
  assert.match(String(bad.json.error.details?.field), /score|value/);
  assert.equal((await get(s.ids[0])).custom_fields.score, 7, 'refused action changes nothing');
  expectStatus(await A.post('/api/v1/contacts/actions', { action: 'set_field', ids: s.ids, field: 'no_such_field', value: 1 }), [400, 404]);
});

test('actions: add_to_group / remove_from_group', async () => {
  const s = await seed(3);
  const g = uniq('Callback');
  let r = await act({ action: 'add_to_group', ids: s.ids, group: g });
  assert.equal(r.affected, 3);
  for (const id of s.ids) assert.ok((await get(id)).groups.includes(g));
  const groups = expectStatus(await A.get('/api/v1/groups'), 200);
  assert.equal(groups.items.find((x) => x.name === g)?.count, 3);
  r = await act({ action: 'remove_from_group', ids: [s.ids[0]], group: g });
  assert.equal(r.affected, 1);
  assert.ok(!(await get(s.ids[0])).groups.includes(g));
  assert.ok((await get(s.ids[1])).groups.includes(g));
});

// History entries have the documented shape changes:{field:{from,to}} whatever made
// the change (values may be rendered as strings).
test('actions are recorded in the contact history as {field:{from,to}}', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'hist_num', label: 'Hist', type: 'integer' }), [200, 201]);
  const s = await seed(1);
  const before = expectStatus(await A.get(`/api/v1/contacts/${s.ids[0]}/history`), 200).items.length;
  await act({ action: 'star', ids: s.ids });
  await act({ action: 'add_tags', ids: s.ids, tags: ['hist-action'] });
  await act({ action: 'set_field', ids: s.ids, field: 'hist_num', value: 5 });
  await act({ action: 'set_field', ids: s.ids, field: 'hist_num', value: null });
  const h = expectStatus(await A.get(`/api/v1/contacts/${s.ids[0]}/history`), 200).items;
  assert.ok(h.length >= before + 4, `four more history entries: ${JSON.stringify(h)}`);
  for (const i of h) {
    for (const [k, v] of Object.entries(i.changes || {})) {
      assert.ok(v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v,
        `history "${i.action}" changes.${k} must be {from,to}, got ${JSON.stringify(v)}`);
    }
  }
  assert.ok(h.some((i) => i.changes?.starred?.to === true), 'starred change recorded');
  const tagChange = h.find((i) => Array.isArray(i.changes?.tags?.to) && i.changes.tags.to.includes('hist-action'));
  assert.ok(tagChange, `tag change recorded with to including the new tag: ${JSON.stringify(h)}`);
  assert.ok(!tagChange.changes.tags.from.includes('hist-action'));
  const cleared = h.find((i) => Object.entries(i.changes || {}).some(([k, v]) => /hist_num/.test(k) && v && v.to === null));
  assert.ok(cleared, `clearing the field recorded: ${JSON.stringify(h)}`);
  const [, cv] = Object.entries(cleared.changes).find(([k]) => /hist_num/.test(k));
  assert.equal(String(cv.from), '5', `cleared value's from: ${JSON.stringify(cv)}`);
});

test('actions: star, unstar, set_dnc', async () => {
  const s = await seed(2);
  assert.equal((await act({ action: 'star', ids: s.ids })).affected, 2);
  assert.equal((await get(s.ids[0])).starred, true);
  assert.equal((await act({ action: 'unstar', ids: [s.ids[0]] })).affected, 1);
  assert.equal((await get(s.ids[0])).starred, false);
  assert.equal((await get(s.ids[1])).starred, true);
  assert.equal((await act({ action: 'set_dnc', ids: s.ids, value: true })).affected, 2);
  assert.equal((await get(s.ids[0])).do_not_call, true);
  assert.equal((await act({ action: 'set_dnc', ids: [s.ids[1]], value: false })).affected, 1);
  assert.equal((await get(s.ids[1])).do_not_call, false);
  expectError(await A.post('/api/v1/contacts/actions', { action: 'set_dnc', ids: s.ids, value: 'yes' }), 400, 'invalid_argument');
});

test('actions: delete, restore, delete_permanently on ids', async () => {
  const s = await seed(3);
  assert.equal((await act({ action: 'delete', ids: s.ids })).affected, 3);
  for (const id of s.ids) assert.ok((await get(id)).deleted_at, 'trashed');
  const live = await listAll(A, `tag=${s.tag}`);
  assert.equal(live.total, 0);
  assert.equal((await act({ action: 'restore', ids: [s.ids[0], s.ids[1]] })).affected, 2);
  assert.equal((await get(s.ids[0])).deleted_at, null);
  assert.ok((await get(s.ids[2])).deleted_at);
  assert.equal((await act({ action: 'delete_permanently', ids: [s.ids[1], s.ids[2]] })).affected, 2);
  expectError(await A.get(`/api/v1/contacts/${s.ids[1]}`), 404, 'not_found');
  expectError(await A.get(`/api/v1/contacts/${s.ids[2]}`), 404, 'not_found');
  assert.equal((await get(s.ids[0])).deleted_at, null);
});

test('actions on a filter apply to exactly the filter result', async () => {
  const s = await seed(5);
  await act({ action: 'star', ids: [s.ids[0], s.ids[2]] });
  const other = await seed(2); // not matched
  await act({ action: 'star', ids: other.ids });
  let r = await act({ action: 'add_tags', filter: { tag: s.tag, starred: 'true' }, tags: ['filtered-tag'] });
  assert.equal(r.affected, 2);
  const tagged = await listAll(A, 'tag=filtered-tag');
  assert.deepEqual(ids(tagged.items).sort((a, b) => a - b), [s.ids[0], s.ids[2]].sort((a, b) => a - b));
  // array values in a filter
  r = await act({ action: 'add_tags', filter: { tag: [s.tag, other.tag], tag_mode: 'any' }, tags: ['both-sets'] });
  assert.equal(r.affected, 7);
  // q in a filter, then delete by filter
  expectStatus(await A.patch(`/api/v1/contacts/${s.ids[3]}`, { last_name: 'Zanzibarian' }), 200);
  r = await act({ action: 'delete', filter: { q: 'Zanzibarian' } });
  assert.equal(r.affected, 1);
  assert.ok((await get(s.ids[3])).deleted_at);
  assert.equal((await get(s.ids[4])).deleted_at, null);
  // restore by a trash filter
  r = await act({ action: 'restore', filter: { tag: s.tag, trash: 'true' } });
  assert.equal(r.affected, 1);
  assert.equal((await get(s.ids[3])).deleted_at, null);
});

test('actions: bad requests answer 400 and change nothing', async () => {
  const s = await seed(1);
  expectError(await A.post('/api/v1/contacts/actions', { action: 'explode', ids: s.ids }), 400, 'invalid_argument', 'action');
  expectError(await A.post('/api/v1/contacts/actions', { ids: s.ids }), 400, 'invalid_argument', 'action');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'star' }), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'star', filter: { bogus: 'x' } }), 400, 'invalid_argument');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'add_tags', ids: s.ids }), 400, 'invalid_argument', 'tags');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'add_to_group', ids: s.ids }), 400, 'invalid_argument', 'group');
  expectError(await A.post('/api/v1/contacts/actions', { action: 'star', ids: 'all' }), 400, 'invalid_argument', 'ids');
  const c = await get(s.ids[0]);
  assert.equal(c.starred, false);
  // ids that do not exist affect nothing
  const r = await A.post('/api/v1/contacts/actions', { action: 'star', ids: [987654321] });
  expectStatus(r, [200, 404]);
  if (r.status === 200) assert.equal(r.json.affected, 0);
});
