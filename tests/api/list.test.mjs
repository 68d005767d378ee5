// GET /contacts: quick search, filters, sort, cursor pagination, parameter validation.
// Readings of docs/API.md:
// - `tag=a,b` without tag_mode means tag_mode=any.
// - `sort=name` orders by the display name "first last", ignoring case and accents (like
//   q); the sort fixture is chosen so that ordering by first name, last name or full name
//   gives the same answer.
// - `cf.KEY=…` for a key that is not a custom field of the workspace is an unknown
//   parameter (400, details.field = the parameter).
// - Dates in created_after/created_before are compared to created_at; "YYYY-MM-DD" means
//   midnight UTC of that day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, client, expectStatus, expectError, newPhone, listAll, ids,
} from './lib.mjs';

let srv, A;
const C = {}; // named contacts
let allIds = [];
let fillerIds = [];
let sortIds = [];

const sortNum = (a) => [...a].sort((x, y) => x - y);
const sameSet = (actual, expected, msg) => assert.deepEqual(sortNum(actual), sortNum(expected), msg);

before(async () => {
  srv = await startServer();
  A = client(srv.base, srv.tokenA);
  for (const f of [
    { key: 'age', label: 'Age', type: 'integer' },
    { key: 'birthday', label: 'Birthday', type: 'date' },
    { key: 'nick', label: 'Nick', type: 'text' },
    { key: 'score', label: 'Score', type: 'decimal' },
    { key: 'tier', label: 'Tier', type: 'dropdown', options: ['Bronze', 'Gold'] },
    { key: 'member', label: 'Member', type: 'checkbox' },
  ]) expectStatus(await A.post('/api/v1/fields', f), [200, 201]);

  const named = {
    jose: { first_name: 'José', last_name: 'Álvarez', company: 'Initech', state: 'Oregon', email: 'jose.alvarez@initech.test',
      tags: ['vip', 'west'], starred: true, consent: { status: 'granted', source: 'form' },
      custom_fields: { age: 34, birthday: '1990-05-01', nick: 'Pepe the Great', score: 7.5, tier: 'Gold', member: true } },
    josefina: { first_name: 'Josefina', last_name: 'Ruiz', company: 'Hooli', tags: ['vip'], do_not_call: true,
      custom_fields: { age: 51, birthday: '1973-01-15', nick: 'Fina', score: 10.25, tier: 'Bronze', member: false } },
    zoe: { first_name: 'Zoë', last_name: 'Ångström', company: 'Initech', tags: ['west'], custom_fields: { age: 18 } },
    quentin: { first_name: 'Quentin', last_name: 'Blake', email: 'qb-unique@mailbox.test', notes: 'prefers mornings' },
    marcus: { first_name: 'Marcus', last_name: 'Aurelius', phone: '+13128472956', groups: ['Romans'], department: 'Sales' },
  };
  for (const [k, body] of Object.entries(named)) {
    const res = await A.post('/api/v1/contacts', { phone: newPhone().e164, ...body });
    C[k] = expectStatus(res, 201);
  }
  const sortNames = [['Carl', 'Carter'], ['Aaron', 'Abbott'], ['Élodie', 'Eastwood'], ['Dana', 'Dixon'], ['bella', 'baker']];
  const sortRes = expectStatus(await A.post('/api/v1/contacts/bulk', {
    contacts: sortNames.map(([f, l]) => ({ phone: newPhone().e164, first_name: f, last_name: l, tags: ['sortset'] })),
  }), 200);
  assert.equal(sortRes.created, 5);
  sortIds = sortRes.ids;
  const filler = [];
  for (let i = 0; i < 25; i++) filler.push({ phone: newPhone().e164, first_name: 'Filler', last_name: `N${String(i).padStart(2, '0')}`, tags: ['filler'] });
  for (let i = 0; i < 4; i++) filler.push({ phone: newPhone().e164, first_name: 'Sam', last_name: 'Same', tags: ['filler'] });
  const fr = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: filler }), 200);
  assert.equal(fr.created, filler.length);
  fillerIds = fr.ids;
  allIds = [...Object.values(C).map((c) => c.id), ...sortIds, ...fillerIds];
});
after(async () => { await srv?.stop(); });

async function q(params) {
  const { items, total } = await listAll(A, params, 500);
  assert.equal(items.length, total, `total matches the items for ${params}`);
  return ids(items);
}

test('list shape: items, next_cursor, total; default limit 50', async () => {
  const j = expectStatus(await A.get('/api/v1/contacts'), 200);
  assert.ok(Array.isArray(j.items));
  assert.equal(j.total, allIds.length);
  assert.equal(j.items.length, Math.min(50, allIds.length));
  assert.ok('next_cursor' in j);
  const one = expectStatus(await A.get('/api/v1/contacts?limit=1'), 200);
  assert.equal(one.items.length, 1);
  assert.equal(one.total, allIds.length);
  assert.equal(typeof one.next_cursor, 'string');
  const big = expectStatus(await A.get('/api/v1/contacts?limit=500'), 200);
  assert.equal(big.items.length, allIds.length);
  assert.equal(big.next_cursor, null);
  sameSet(ids(big.items), allIds);
});

for (const sort of [null, 'name', '-name', 'created_at', '-created_at', 'last_called_at', '-last_called_at']) {
  test(`cursor pagination with limit=4 walks every contact once (sort=${sort ?? 'default'})`, async () => {
    const seen = [];
    let cursor = null;
    let total;
    let pages = 0;
    do {
      const params = new URLSearchParams({ tag: 'filler', limit: '4' });
      if (sort) params.set('sort', sort);
      if (cursor) params.set('cursor', cursor);
      const j = expectStatus(await A.get(`/api/v1/contacts?${params}`), 200);
      assert.ok(j.items.length <= 4);
      if (total === undefined) total = j.total;
      assert.equal(j.total, total, 'total is stable across pages');
      seen.push(...ids(j.items));
      cursor = j.next_cursor;
      pages += 1;
      assert.ok(pages < 50, 'pagination terminates');
    } while (cursor);
    assert.equal(total, fillerIds.length);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
    sameSet(seen, fillerIds, 'no gaps');
  });
}

test('sort=name / -name order by name', async () => {
  const asc = (await listAll(A, 'tag=sortset&sort=name')).items.map((c) => c.first_name);
  assert.deepEqual(asc, ['Aaron', 'bella', 'Carl', 'Dana', 'Élodie']);
  const desc = (await listAll(A, 'tag=sortset&sort=-name')).items.map((c) => c.first_name);
  assert.deepEqual(desc, ['Élodie', 'Dana', 'Carl', 'bella', 'Aaron']);
  // a name-sorted walk of the filler is ordered by last name (same first name)
  const f = (await listAll(A, 'tag=filler&sort=name', 3)).items.filter((c) => c.first_name === 'Filler').map((c) => c.last_name);
  assert.deepEqual(f, [...f].sort());
});

test('default sort is -created_at; sort=created_at is ascending', async () => {
  await new Promise((r) => setTimeout(r, 1100));
  const newest = expectStatus(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'Newest', tags: ['filler2'] }), 201);
  allIds.push(newest.id);
  const d = expectStatus(await A.get('/api/v1/contacts?limit=5'), 200);
  assert.equal(d.items[0].id, newest.id, 'newest first by default');
  const all = (await listAll(A, 'sort=-created_at', 7)).items;
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].created_at >= all[i].created_at, 'non-increasing created_at');
  const asc = (await listAll(A, 'sort=created_at', 7)).items;
  for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1].created_at <= asc[i].created_at, 'non-decreasing created_at');
  assert.equal(asc[asc.length - 1].id, newest.id);
});

test('q: accent- and case-insensitive name prefix', async () => {
  sameSet(await q('q=jose'), [C.jose.id, C.josefina.id]);
  sameSet(await q(`q=${encodeURIComponent('José')}`), [C.jose.id, C.josefina.id]);
  sameSet(await q('q=JOSE'), [C.jose.id, C.josefina.id]);
  sameSet(await q(`q=${encodeURIComponent('Jose\u0301')}`), [C.jose.id, C.josefina.id], 'decomposed (NFD) accents');
  sameSet(await q('q=josef'), [C.josefina.id]);
  sameSet(await q('q=alvarez'), [C.jose.id]);
  sameSet(await q('q=alv'), [C.jose.id]);
  sameSet(await q('q=zoe'), [C.zoe.id]);
  sameSet(await q('q=angstrom'), [C.zoe.id]);
  sameSet(await q(`q=${encodeURIComponent('ÅNGSTRÖM')}`), [C.zoe.id]);
  sameSet(await q('q=nobodyhasthisname'), []);
});

test('q: words are ANDed', async () => {
  sameSet(await q('q=jose%20initech'), [C.jose.id]);
  sameSet(await q(`q=${encodeURIComponent('Josefina Ruiz')}`), [C.josefina.id]);
  sameSet(await q('q=jose%20hooli'), [C.josefina.id]);
  sameSet(await q('q=zoe%20hooli'), []);
});

test('q: company, state, notes and email', async () => {
  sameSet(await q('q=initech'), [C.jose.id, C.zoe.id]);
  sameSet(await q('q=Initec'), [C.jose.id, C.zoe.id]);
  sameSet(await q('q=oregon'), [C.jose.id]);
  sameSet(await q('q=mornings'), [C.quentin.id]);
  sameSet(await q('q=morn'), [C.quentin.id]);
  sameSet(await q(`q=${encodeURIComponent('qb-unique@mailbox.test')}`), [C.quentin.id]);
  sameSet(await q('q=qb-unique'), [C.quentin.id]);
});

test('q: any part of the phone digits (3 or more)', async () => {
  const all = (await listAll(A)).items;
  const expect = (digits) => all.filter((c) => c.phone.replace(/\D/g, '').includes(digits)).map((c) => c.id);
  for (const d of ['8472', '4729', '72956', '312847', '13128472956']) {
    const e = expect(d);
    assert.ok(e.includes(C.marcus.id));
    sameSet(await q(`q=${d}`), e, `q=${d}`);
  }
  // formatted input is reduced to digits
  sameSet(await q(`q=${encodeURIComponent('(312) 847-2956')}`), [C.marcus.id]);
});

test('q: a whole number written with its dialling prefix finds the stored number; parts stay as typed', async () => {
  // Workspace B reads numbers as British: 020 7946 0958 is stored as +44 20 7946 0958.
  const B = client(srv.base, srv.tokenB);
  expectStatus(await B.patch('/api/v1/workspace', { default_country: 'GB' }), 200);
  const uk = expectStatus(await B.post('/api/v1/contacts', { first_name: 'Dialled', phone: '020 7946 0958' }), 201);
  assert.equal(uk.phone, '+442079460958');
  // An American number that ends with the same ten digits.
  const us = expectStatus(await B.post('/api/v1/contacts', { first_name: 'Maine', phone: '+1 207 946 0958' }), 201);
  const inB = async (query) => ids(expectStatus(await B.get(`/api/v1/contacts?q=${encodeURIComponent(query)}`), 200).items);
  for (const typed of ['020 7946 0958', '02079460958', '0044 20 7946 0958', '+44 20 7946 0958', '00 44 (20) 7946-0958']) {
    sameSet(await inB(typed), [uk.id], `q=${typed}`);
  }
  // 2079460958 is a whole British number too (+44 20 7946 0958), and part of the American
  // one: searched as typed, it finds both.
  for (const typed of ['2079460958', '207 946 0958', '7946 0958']) {
    sameSet(await inB(typed), [uk.id, us.id], `q=${typed}`);
  }
  sameSet(await inB('+1 207 946 0958'), [us.id]);
  // A part that is no whole number is searched as typed: 020 79 is in no stored number.
  sameSet(await inB('020 79'), []);
});

test('tag filters: any, all, none, repeat and comma forms', async () => {
  sameSet(await q('tag=vip'), [C.jose.id, C.josefina.id]);
  sameSet(await q('tag=VIP'), [C.jose.id, C.josefina.id], 'tag labels match case-insensitively');
  sameSet(await q('tag=vip&tag=west&tag_mode=all'), [C.jose.id]);
  sameSet(await q('tag=vip,west&tag_mode=all'), [C.jose.id]);
  sameSet(await q('tag=vip&tag=west&tag_mode=any'), [C.jose.id, C.josefina.id, C.zoe.id]);
  sameSet(await q('tag=vip,west'), [C.jose.id, C.josefina.id, C.zoe.id]);
  sameSet(await q('tag=vip&tag=west&tag_mode=none'), allIds.filter((id) => ![C.jose.id, C.josefina.id, C.zoe.id].includes(id)));
  sameSet(await q('tag=vip&q=initech'), [C.jose.id], 'filters combine with q');
});

test('starred, dnc, consent, group, department, source filters', async () => {
  sameSet(await q('starred=true'), [C.jose.id]);
  sameSet(await q('starred=false'), allIds.filter((id) => id !== C.jose.id));
  sameSet(await q('dnc=true'), [C.josefina.id]);
  sameSet(await q('dnc=false'), allIds.filter((id) => id !== C.josefina.id));
  sameSet(await q('consent=granted'), [C.jose.id]);
  sameSet(await q('consent=revoked'), []);
  sameSet(await q('consent=unknown'), allIds.filter((id) => id !== C.jose.id));
  sameSet(await q('group=Romans'), [C.marcus.id]);
  sameSet(await q('department=Sales'), [C.marcus.id]);
  const src = C.jose.source;
  const bySource = await q(`source=${src}`);
  assert.ok(bySource.includes(C.jose.id));
  const all = (await listAll(A)).items;
  sameSet(bySource, all.filter((c) => c.source === src).map((c) => c.id));
  sameSet(await q('source=inbound_sms'), all.filter((c) => c.source === 'inbound_sms').map((c) => c.id));
});

test('created_after / created_before and last-called filters', async () => {
  sameSet(await q('created_after=2000-01-01'), allIds);
  sameSet(await q('created_after=2000-01-01T00:00:00Z'), allIds);
  sameSet(await q('created_after=2999-01-01'), []);
  sameSet(await q('created_before=2000-01-01'), []);
  sameSet(await q('created_before=2999-12-31T00:00:00Z'), allIds);
  sameSet(await q('created_after=2000-01-01&created_before=2999-01-01&tag=vip'), [C.jose.id, C.josefina.id]);
  // YYYY-MM-DD is midnight UTC of that day
  const day = C.jose.created_at.slice(0, 10);
  sameSet(await q(`created_after=${day}&tag=vip`), [C.jose.id, C.josefina.id]);
  sameSet(await q(`created_before=${day}`), []);
  sameSet(await q('never_called=true'), allIds);
  sameSet(await q('last_called_after=2000-01-01'), []);
  sameSet(await q('last_called_before=2999-01-01'), []);
});

test('custom field filters: equals, contains, gte/lte (integer and date), empty', async () => {
  sameSet(await q('cf.age=34'), [C.jose.id]);
  sameSet(await q('cf.age.gte=30'), [C.jose.id, C.josefina.id]);
  sameSet(await q('cf.age.lte=30'), [C.zoe.id]);
  sameSet(await q('cf.age.gte=18&cf.age.lte=34'), [C.jose.id, C.zoe.id]);
  sameSet(await q('cf.age.gte=9'), [C.jose.id, C.josefina.id, C.zoe.id], 'integers compare as numbers, not text');
  sameSet(await q('cf.birthday.gte=1980-01-01'), [C.jose.id]);
  sameSet(await q('cf.birthday.lte=1980-01-01'), [C.josefina.id]);
  sameSet(await q('cf.birthday=1990-05-01'), [C.jose.id]);
  sameSet(await q('cf.nick.contains=Great'), [C.jose.id]);
  sameSet(await q('cf.nick.contains=the%20Gr'), [C.jose.id]);
  sameSet(await q('cf.nick=Fina'), [C.josefina.id]);
  sameSet(await q('cf.age.empty=false'), [C.jose.id, C.josefina.id, C.zoe.id]);
  sameSet(await q('cf.age.empty=true'), allIds.filter((id) => ![C.jose.id, C.josefina.id, C.zoe.id].includes(id)));
  sameSet(await q('cf.birthday.empty=false&tag=vip'), [C.jose.id, C.josefina.id]);
});

test('custom field filters on decimal, dropdown and checkbox fields', async () => {
  sameSet(await q('cf.score.gte=8'), [C.josefina.id], 'decimals compare as numbers');
  sameSet(await q('cf.score.lte=8'), [C.jose.id]);
  sameSet(await q('cf.score.gte=7.5&cf.score.lte=7.5'), [C.jose.id]);
  sameSet(await q('cf.tier=Gold'), [C.jose.id]);
  sameSet(await q('cf.member=true'), [C.jose.id]);
  // an unset checkbox may count as unchecked: only require josefina in, jose out
  const unchecked = await q('cf.member=false');
  assert.ok(unchecked.includes(C.josefina.id) && !unchecked.includes(C.jose.id), `cf.member=false: ${unchecked}`);
  expectError(await A.get('/api/v1/contacts?cf.score.gte=lots'), 400, 'invalid_argument', 'cf.score.gte');
});

test('cursor pagination stays correct while contacts are added and removed', async () => {
  const rows = [];
  for (let i = 0; i < 12; i++) rows.push({ phone: newPhone().e164, first_name: 'Walker', last_name: `W${String(i).padStart(2, '0')}`, tags: ['walk'] });
  const created = expectStatus(await A.post('/api/v1/contacts/bulk', { contacts: rows }), 200).ids;
  for (const sort of ['-created_at', 'name']) {
    const seen = [];
    let cursor = null;
    let page = 0;
    const removed = [];
    do {
      const params = new URLSearchParams({ tag: 'walk', limit: '4', sort });
      if (cursor) params.set('cursor', cursor);
      const j = expectStatus(await A.get(`/api/v1/contacts?${params}`), 200);
      seen.push(...ids(j.items));
      cursor = j.next_cursor;
      if (page === 0) {
        // new contacts arrive at the front (newest, and "Aaa" sorts first) and one
        // already-seen contact goes to the trash: an offset-based cursor would repeat or skip
        for (let k = 0; k < 2; k++) {
          const c = expectStatus(await A.post('/api/v1/contacts', { phone: newPhone().e164, first_name: 'Aaa', last_name: `New${sort}${k}`, tags: ['walk'] }), 201);
          removed.push(c.id); // excluded from the expectation below
        }
        const gone = j.items[0].id;
        expectStatus(await A.del(`/api/v1/contacts/${gone}`), 204);
        removed.push(gone);
      }
      page += 1;
      assert.ok(page < 20);
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, `no duplicates (sort=${sort}): ${seen}`);
    const expected = (await listAll(A, 'tag=walk')).items.map((c) => c.id).filter((id) => !removed.includes(id));
    for (const id of expected) assert.ok(seen.includes(id), `contact ${id} not skipped (sort=${sort})`);
    // clean up for the next round
    for (const id of removed) await A.del(`/api/v1/contacts/${id}?permanent=true`);
  }
  assert.ok(created.length === 12);
});

test('trash=true lists only trashed contacts', async () => {
  const victim = fillerIds[0];
  expectStatus(await A.del(`/api/v1/contacts/${victim}`), 204);
  sameSet(await q('trash=true'), [victim]);
  assert.ok(!(await q('tag=filler')).includes(victim));
  expectStatus(await A.post(`/api/v1/contacts/${victim}/restore`), 200);
  sameSet(await q('trash=true'), []);
});

test('unknown parameters and bad values answer 400 naming the parameter', async () => {
  const cases = [
    ['foo=bar', 'foo'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['sort=bogus', 'sort'],
    ['starred=maybe', 'starred'],
    ['dnc=2', 'dnc'],
    ['tag=vip&tag_mode=some', 'tag_mode'],
    ['consent=maybe', 'consent'],
    ['source=fax', 'source'],
    ['created_after=yesterday', 'created_after'],
    ['created_before=2024-13-45', 'created_before'],
    ['last_called_after=x', 'last_called_after'],
    ['last_called_before=x', 'last_called_before'],
    ['never_called=maybe', 'never_called'],
    ['trash=perhaps', 'trash'],
    ['cursor=garbage!!', 'cursor'],
    ['cf.age.gte=abc', 'cf.age.gte'],
    ['cf.birthday.lte=notadate', 'cf.birthday.lte'],
    ['cf.age.between=1', 'cf.age.between'],
    ['cf.age.empty=maybe', 'cf.age.empty'],
    ['cf.nosuchfield=1', 'cf.nosuchfield'],
  ];
  for (const [params, field] of cases) {
    expectError(await A.get(`/api/v1/contacts?${params}`), 400, 'invalid_argument', field);
  }
});
