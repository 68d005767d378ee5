// Contacts CRUD: phone parsing, name split, duplicates, ETag/If-Match, PATCH, trash,
// restore, permanent delete, history.
// Readings of docs/API.md:
// - A phone that only belongs to a trashed contact is free: a new contact may take it,
//   and restoring the trashed one then answers 409 (that is what the restore-409 rule
//   implies).
// - PATCH changing the phone to a number of another live contact answers 409 too (the
//   phone is the identity; S2.3).
// - A non-integer id in the path answers 400 or 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, client, expectStatus, expectError, newPhone, createContact, listAll, ids,
} from './lib.mjs';

let srv, A;
before(async () => { srv = await startServer(); A = client(srv.base, srv.tokenA); });
after(async () => { await srv?.stop(); });

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const CONTACT_KEYS = ['id', 'first_name', 'last_name', 'phone', 'phone_type', 'phone_location', 'phones',
  'email', 'company', 'street', 'city', 'state', 'zip', 'country', 'notes', 'starred', 'department',
  'tags', 'groups', 'custom_fields', 'do_not_call', 'consent', 'source', 'created_at', 'updated_at',
  'deleted_at', 'last_called_at', 'last_call_outcome', 'total_calls', 'version'];

test('POST /contacts normalises a US national number to E.164 and returns the full contact', async () => {
  const res = await A.post('/api/v1/contacts', {
    phone: '(415) 555-2671', first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.test',
    company: 'US Navy', street: '1 Main St', city: 'Arlington', state: 'VA', zip: '22201',
    notes: 'compiler pioneer',
  });
  const c = expectStatus(res, 201);
  for (const k of CONTACT_KEYS) assert.ok(k in c, `contact has "${k}"`);
  assert.equal(typeof c.id, 'number');
  assert.equal(c.phone, '+14155552671');
  assert.equal(typeof c.phone_type, 'string');
  assert.ok(c.phone_type.length > 0, 'phone_type derived');
  assert.equal(typeof c.phone_location, 'string');
  assert.ok(c.phone_location.length > 0, `phone_location derived (got ${JSON.stringify(c.phone_location)})`);
  assert.equal(c.first_name, 'Grace');
  assert.equal(c.last_name, 'Hopper');
  assert.equal(c.email, 'grace@navy.test');
  assert.equal(c.company, 'US Navy');
  assert.equal(c.city, 'Arlington');
  assert.equal(c.state, 'VA');
  assert.equal(c.zip, '22201');
  assert.equal(c.notes, 'compiler pioneer');
  assert.equal(c.starred, false);
  assert.equal(c.do_not_call, false);
  assert.equal(c.department, null);
  assert.deepEqual(c.tags, []);
  assert.deepEqual(c.groups, []);
  assert.deepEqual(c.phones, []);
  assert.deepEqual(c.custom_fields, {});
  assert.equal(c.consent?.status, 'unknown');
  assert.ok(['manual', 'api'].includes(c.source), `source ${c.source}`);
  assert.match(c.created_at, RFC3339);
  assert.match(c.updated_at, RFC3339);
  assert.equal(c.deleted_at, null);
  assert.equal(c.last_called_at, null);
  assert.equal(c.total_calls, 0);
  assert.equal(typeof c.version, 'number');
  assert.equal(res.headers.get('etag'), `"${c.version}"`, 'ETag is "<version>"');
  const loc = res.headers.get('location') || '';
  assert.ok(loc.endsWith(`/api/v1/contacts/${c.id}`), `Location: ${loc}`);
});

test('common national and international formats are all normalised to E.164', async () => {
  const cases = [
    ['(212) 736-4821', '+12127364821'],
    ['212.736.4822', '+12127364822'],
    ['1-212-736-4823', '+12127364823'],
    ['+1 212 736 4824', '+12127364824'],
    ['212 736 4826', '+12127364826'],
    ['+44 20 7946 1234', '+442079461234'],
    ['+49 30 123456', '+4930123456'],
    ['011 44 7400 839272', '+447400839272'],
  ];
  for (const [input, e164] of cases) {
    const c = expectStatus(await A.post('/api/v1/contacts', { phone: input }), 201);
    assert.equal(c.phone, e164, `"${input}"`);
  }
});

test('the body country is used to parse a national number, and a UK mobile is typed mobile', async () => {
  const c = expectStatus(await A.post('/api/v1/contacts', { phone: '07400 839271', country: 'GB', first_name: 'Brit' }), 201);
  assert.equal(c.phone, '+447400839271');
  assert.equal(c.phone_type, 'mobile');
  assert.equal(c.country, 'GB');
});

test('invalid phones answer 400 with details.field=phone and the reason', async () => {
  const cases = [
    ['hello world', 'not_a_number'],
    ['+999 1234567', 'invalid_country_code'],
    ['415 555', 'too_short'],
    ['+1 415 555 26711234', 'too_long'],
    ['+1 415 123 4567', 'invalid_number'],
    ['+1 234 567 8901', 'fake_number'],
  ];
  const allowed = ['too_short', 'too_long', 'invalid_country_code', 'not_a_number', 'invalid_number', 'fake_number'];
  for (const [input, reason] of cases) {
    const res = await A.post('/api/v1/contacts', { phone: input, first_name: 'Bad' });
    const e = expectError(res, 400, 'invalid_argument', 'phone');
    assert.ok(allowed.includes(e.details.reason), `reason for "${input}" is one of the documented ones: ${e.details.reason}`);
    assert.equal(e.details.reason, reason, `reason for "${input}"`);
  }
  expectError(await A.post('/api/v1/contacts', { first_name: 'NoPhone' }), 400, 'invalid_argument', 'phone');
  expectError(await A.post('/api/v1/contacts', { phone: '', first_name: 'Empty' }), 400, 'invalid_argument', 'phone');
  const all = await listAll(A, 'q=Bad');
  assert.equal(all.items.filter((x) => x.first_name === 'Bad').length, 0, 'no invalid contact was stored');
});

test('name is split into first_name and last_name when they are absent', async () => {
  const c = await createContact(A, { name: 'Ada Lovelace' });
  assert.equal(c.first_name, 'Ada');
  assert.equal(c.last_name, 'Lovelace');
  assert.ok(!('name' in c) || c.name === 'Ada Lovelace');
  const d = await createContact(A, { name: '  Alan   Turing ' });
  assert.equal(d.first_name, 'Alan');
  assert.equal(d.last_name, 'Turing');
  const e = await createContact(A, { name: 'Cher' });
  assert.equal(e.first_name, 'Cher');
  assert.ok(e.last_name === '' || e.last_name === null, `last_name empty: ${JSON.stringify(e.last_name)}`);
  const f = await createContact(A, { name: 'Ignored Name', first_name: 'Real', last_name: 'Person' });
  assert.equal(f.first_name, 'Real');
  assert.equal(f.last_name, 'Person');
});

test('a phone already in the workspace answers 409 with existing_id and the existing contact', async () => {
  const p = newPhone();
  const x = await createContact(A, { phone: p.e164, first_name: 'Original' });
  const res = await A.post('/api/v1/contacts', { phone: p.national, first_name: 'Copy' });
  const e = expectError(res, 409, 'already_exists');
  assert.equal(e.details.existing_id, x.id);
  assert.equal(e.details.existing?.id, x.id);
  assert.equal(e.details.existing?.phone, p.e164);
  assert.equal(e.details.existing?.first_name, 'Original');
  const all = await listAll(A, `q=${p.digits}`);
  assert.deepEqual(ids(all.items), [x.id], 'only the original exists');
});

test('GET /contacts/{id} returns the contact with an ETag; unknown ids answer 404', async () => {
  const x = await createContact(A, { first_name: 'Getme' });
  const res = await A.get(`/api/v1/contacts/${x.id}`);
  const g = expectStatus(res, 200);
  assert.deepEqual(g, x);
  assert.equal(res.headers.get('etag'), `"${x.version}"`);
  expectError(await A.get('/api/v1/contacts/987654321'), 404, 'not_found');
  expectStatus(await A.get('/api/v1/contacts/abc'), [400, 404]);
});

test('PATCH is a partial update and bumps the version', async () => {
  const x = await createContact(A, { first_name: 'Part', last_name: 'Ial', email: 'p@x.test', company: 'Keep Co', tags: ['keep'], starred: true });
  const res = await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'Parted' });
  const y = expectStatus(res, 200);
  assert.equal(y.first_name, 'Parted');
  assert.equal(y.last_name, 'Ial');
  assert.equal(y.email, 'p@x.test');
  assert.equal(y.company, 'Keep Co');
  assert.deepEqual(y.tags, ['keep']);
  assert.equal(y.starred, true);
  assert.equal(y.phone, x.phone);
  assert.ok(y.version > x.version, 'version increases');
  assert.ok(y.updated_at >= x.updated_at);
  assert.equal(y.created_at, x.created_at);
  const gr = await A.get(`/api/v1/contacts/${x.id}`);
  const g = expectStatus(gr, 200);
  assert.deepEqual(g, y, 'PATCH response equals the stored contact');
  assert.equal(gr.headers.get('etag'), `"${y.version}"`, 'ETag follows the version');
  // clearing a field with null
  const z = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { company: null, starred: false }), 200);
  assert.ok(z.company === null || z.company === '', `company cleared: ${JSON.stringify(z.company)}`);
  assert.equal(z.starred, false);
  assert.equal(z.email, 'p@x.test');
});

test('PATCH with name splits it; department can be set and cleared', async () => {
  const x = await createContact(A, { first_name: 'Old', last_name: 'Name' });
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { name: 'Brand New' }), 200);
  assert.equal(y.first_name, 'Brand');
  assert.equal(y.last_name, 'New');
  const z = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { department: 'Ops' }), 200);
  assert.equal(z.department, 'Ops');
  const w = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { department: null }), 200);
  assert.equal(w.department, null);
});

test('tags given twice with different case are stored once', async () => {
  const x = await createContact(A, { tags: ['Twice', 'twice', 'TWICE'] });
  assert.equal(x.tags.length, 1);
  assert.equal(x.tags[0].toLowerCase(), 'twice');
});

test('PATCH replaces tags, groups and phones as whole sets', async () => {
  const x = await createContact(A, { tags: ['t-one', 't-two'], groups: ['g-one', 'g-two'] });
  assert.deepEqual([...x.tags].sort(), ['t-one', 't-two']);
  assert.deepEqual([...x.groups].sort(), ['g-one', 'g-two']);
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { tags: ['t-three'], groups: [] }), 200);
  assert.deepEqual(y.tags, ['t-three']);
  assert.deepEqual(y.groups, []);
  const p1 = newPhone();
  const p2 = newPhone();
  const z = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { phones: [{ label: 'work', number: p1.national }, { label: 'home', number: p2.e164 }] }), 200);
  assert.equal(z.phones.length, 2);
  const work = z.phones.find((p) => p.label === 'work');
  assert.equal(work?.number, p1.e164);
  assert.ok('type' in work && 'location' in work, 'phones[] have type and location');
  const w = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { phones: [{ label: 'mobile', number: p2.e164 }] }), 200);
  assert.deepEqual(w.phones.map((p) => [p.label, p.number]), [['mobile', p2.e164]]);
  const bad = await A.patch(`/api/v1/contacts/${x.id}`, { phones: [{ label: 'x', number: 'nope' }] });
  expectError(bad, 400, 'invalid_argument', /^phones/);
});

test('If-Match with a stale version answers 412 with details.current and changes nothing', async () => {
  const x = await createContact(A, { first_name: 'Etag' });
  const v1 = x.version;
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'Etag2' }, { 'if-match': `"${v1}"` }), 200);
  assert.ok(y.version > v1);
  const res = await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'Lost' }, { 'if-match': `"${v1}"` });
  const e = expectError(res, 412, 'failed_precondition');
  assert.equal(e.details.current?.id, x.id);
  assert.equal(e.details.current?.version, y.version);
  assert.equal(e.details.current?.first_name, 'Etag2');
  const g = expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200);
  assert.equal(g.first_name, 'Etag2');
  assert.equal(g.version, y.version);
  // the current version passes
  expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'Etag3' }, { 'if-match': `"${y.version}"` }), 200);
});

test('a stale version in the PATCH body acts like If-Match', async () => {
  const x = await createContact(A, { first_name: 'BodyVer' });
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'BodyVer2', version: x.version }), 200);
  const e = expectError(await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'Lost', version: x.version }), 412, 'failed_precondition');
  assert.equal(e.details.current?.version, y.version);
  const g = expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200);
  assert.equal(g.first_name, 'BodyVer2');
});

test('a fetched contact can be sent back as a PATCH body (read-only fields are ignored)', async () => {
  const x = await createContact(A, { first_name: 'Round', last_name: 'Trip', tags: ['rt'], email: 'rt@x.test' });
  const body = { ...x, first_name: 'Rounder', phone_type: 'voip', total_calls: 99, source: 'import', created_at: '2000-01-01T00:00:00Z' };
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, body), 200);
  assert.equal(y.first_name, 'Rounder');
  assert.equal(y.total_calls, 0);
  assert.equal(y.source, x.source);
  assert.equal(y.created_at, x.created_at);
  assert.equal(y.phone_type, x.phone_type);
  assert.deepEqual(y.tags, ['rt']);
});

test('PATCH errors: unknown field, invalid phone, duplicate phone, unknown id', async () => {
  const x = await createContact(A, { first_name: 'PErr' });
  const other = await createContact(A, { first_name: 'Other' });
  expectError(await A.patch(`/api/v1/contacts/${x.id}`, { nickname: 'x' }), 400, 'invalid_argument', 'nickname');
  const e = expectError(await A.patch(`/api/v1/contacts/${x.id}`, { phone: '+1 415 123 4567' }), 400, 'invalid_argument', 'phone');
  assert.equal(e.details.reason, 'invalid_number');
  const d = expectError(await A.patch(`/api/v1/contacts/${x.id}`, { phone: other.phone }), 409, 'already_exists');
  assert.equal(d.details.existing_id, other.id);
  const g = expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200);
  assert.equal(g.phone, x.phone);
  assert.equal(g.version, x.version, 'refused PATCHes change nothing');
  expectError(await A.patch('/api/v1/contacts/987654321', { first_name: 'x' }), 404, 'not_found');
  // changing the phone to a new valid number in national format works
  const p = newPhone();
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { phone: p.national }), 200);
  assert.equal(y.phone, p.e164);
});

test('consent, do_not_call and starred round-trip; bad consent status answers 400', async () => {
  const x = await createContact(A, { consent: { status: 'granted', source: 'web form' }, do_not_call: true, starred: true });
  assert.equal(x.consent.status, 'granted');
  assert.equal(x.consent.source, 'web form');
  assert.ok('at' in x.consent);
  assert.equal(x.do_not_call, true);
  assert.equal(x.starred, true);
  const y = expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { consent: { status: 'revoked', source: 'sms STOP' } }), 200);
  assert.equal(y.consent.status, 'revoked');
  expectError(await A.post('/api/v1/contacts', { phone: newPhone().e164, consent: { status: 'maybe' } }), 400, 'invalid_argument', /^consent/);
});

test('DELETE moves to trash; GET still returns it; restore brings it back', async () => {
  const x = await createContact(A, { first_name: 'Trashy' });
  expectStatus(await A.del(`/api/v1/contacts/${x.id}`), 204);
  const g = expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200);
  assert.match(g.deleted_at || '', RFC3339, 'deleted_at set');
  const live = await listAll(A);
  assert.ok(!ids(live.items).includes(x.id), 'not in the default list');
  const trash = await listAll(A, 'trash=true');
  assert.ok(ids(trash.items).includes(x.id), 'in the trash list');
  assert.ok(trash.items.every((c) => c.deleted_at), 'trash list only holds trashed contacts');
  const r = expectStatus(await A.post(`/api/v1/contacts/${x.id}/restore`), 200);
  assert.equal(r.id, x.id);
  assert.equal(r.deleted_at, null);
  const live2 = await listAll(A);
  assert.ok(ids(live2.items).includes(x.id), 'back in the list');
  expectError(await A.del('/api/v1/contacts/987654321'), 404, 'not_found');
  expectError(await A.post('/api/v1/contacts/987654321/restore'), 404, 'not_found');
});

test('a trashed contact\'s phone can be reused; restoring it then answers 409', async () => {
  const p = newPhone();
  const x = await createContact(A, { phone: p.e164, first_name: 'First' });
  expectStatus(await A.del(`/api/v1/contacts/${x.id}`), 204);
  const y = expectStatus(await A.post('/api/v1/contacts', { phone: p.national, first_name: 'Second' }), 201);
  expectError(await A.post(`/api/v1/contacts/${x.id}/restore`), 409, 'already_exists');
  const g = expectStatus(await A.get(`/api/v1/contacts/${x.id}`), 200);
  assert.ok(g.deleted_at, 'still in trash');
  expectStatus(await A.del(`/api/v1/contacts/${y.id}?permanent=true`), 204);
  const r = expectStatus(await A.post(`/api/v1/contacts/${x.id}/restore`), 200);
  assert.equal(r.deleted_at, null);
});

test('DELETE ?permanent=true erases the contact and its history (live or trashed)', async () => {
  const p = newPhone();
  const x = await createContact(A, { phone: p.e164, first_name: 'Gone' });
  expectStatus(await A.del(`/api/v1/contacts/${x.id}?permanent=true`), 204);
  expectError(await A.get(`/api/v1/contacts/${x.id}`), 404, 'not_found');
  expectError(await A.get(`/api/v1/contacts/${x.id}/history`), 404, 'not_found');
  expectError(await A.post(`/api/v1/contacts/${x.id}/restore`), 404, 'not_found');
  expectError(await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'x' }), 404, 'not_found');
  const trash = await listAll(A, 'trash=true');
  assert.ok(!ids(trash.items).includes(x.id), 'not in trash');
  // the phone is free again
  const again = await createContact(A, { phone: p.national, first_name: 'Again' });
  assert.equal(again.phone, p.e164);
  // from the trash
  const t = await createContact(A, { first_name: 'FromTrash' });
  expectStatus(await A.del(`/api/v1/contacts/${t.id}`), 204);
  expectStatus(await A.del(`/api/v1/contacts/${t.id}?permanent=true`), 204);
  expectError(await A.get(`/api/v1/contacts/${t.id}`), 404, 'not_found');
});

test('history lists every change newest first with who, when and what changed', async () => {
  const me = expectStatus(await A.get('/api/v1/me'), 200);
  const x = await createContact(A, { first_name: 'Hist', last_name: 'Ory' });
  expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { first_name: 'Histo', company: 'Chronicle' }), 200);
  expectStatus(await A.patch(`/api/v1/contacts/${x.id}`, { tags: ['hist-tag'] }), 200);
  expectStatus(await A.del(`/api/v1/contacts/${x.id}`), 204);
  expectStatus(await A.post(`/api/v1/contacts/${x.id}/restore`), 200);
  const h = expectStatus(await A.get(`/api/v1/contacts/${x.id}/history`), 200);
  assert.ok(Array.isArray(h.items));
  const actions = h.items.map((i) => i.action);
  assert.ok(h.items.length >= 5, `at least 5 entries: ${actions}`);
  assert.equal(actions[0], 'restored', `newest first: ${actions}`);
  assert.equal(actions[1], 'trashed', `newest first: ${actions}`);
  assert.equal(actions[actions.length - 1], 'created', `oldest is created: ${actions}`);
  for (const i of h.items) {
    assert.equal(typeof i.id, 'number');
    assert.match(i.at, RFC3339);
    assert.equal(i.user?.id, me.user.id);
    assert.equal(i.user?.email, 'admin@acme.test');
  }
  for (let k = 1; k < h.items.length; k++) assert.ok(h.items[k - 1].at >= h.items[k].at, 'ordered newest first');
  for (const i of h.items) {
    for (const [k, v] of Object.entries(i.changes || {})) {
      assert.ok(v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v,
        `history "${i.action}" changes.${k} must be {from,to}, got ${JSON.stringify(v)}`);
    }
  }
  const upd = h.items.find((i) => i.action === 'updated' && i.changes && i.changes.first_name);
  assert.ok(upd, `an updated entry with changes.first_name: ${JSON.stringify(h.items)}`);
  assert.deepEqual(upd.changes.first_name, { from: 'Hist', to: 'Histo' });
  assert.equal(upd.changes.company?.to, 'Chronicle');
  assert.ok(!upd.changes.last_name, 'unchanged fields are not listed');
  const tagEntry = h.items.find((i) => i.action === 'tagged' || (i.changes && i.changes.tags));
  assert.ok(tagEntry, `tag change recorded: ${actions}`);
  expectError(await A.get('/api/v1/contacts/987654321/history'), 404, 'not_found');
});
