// Imports (SPEC S6, docs/API.md "Imports"): upload, mapping suggestions, review without
// writing, the job, its summary and error file, duplicate policies, consent, undo with
// conflicts, dial lists, limits, Google Sheets, and isolation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { startServer, client, expectStatus, expectError, REPO, freePort } from './lib.mjs';

const DATA = path.join(REPO, 'tests', 'data', 'import');
let srv, A, B, agent, sheet, sheetPort;

before(async () => {
  // A stand-in for Google Sheets: /spreadsheets/d/ID/export?format=csv&gid=N.
  sheetPort = await freePort();
  sheet = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/spreadsheets/d/SHEETabcdefghij/export' && u.searchParams.get('format') === 'csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(u.searchParams.get('gid') === '7' ? 'Name,Mobile\nSheet Person,(646) 555-2901\n' : 'Name,Mobile\nOther Tab,(646) 555-2902\n');
    } else if (u.pathname === '/spreadsheets/d/REDIRECTabcdef/export') {
      res.writeHead(302, { location: 'http://evil.example/steal' });
      res.end();
    } else {
      res.writeHead(404);
      res.end('no');
    }
  });
  await new Promise((r) => sheet.listen(sheetPort, '127.0.0.1', r));
  srv = await startServer({
    users: [{ email: 'agent@acme.test', role: 'agent' }, { email: 'mgr@acme.test', role: 'manager' }],
    serveArgs: ['--sheets-host', `http://127.0.0.1:${sheetPort}`, '--max-upload-mb', '1'],
  });
  A = client(srv.base, srv.tokenA);
  B = client(srv.base, srv.tokenB);
  agent = client(srv.base, srv.tokens['agent@acme.test']);
});
after(async () => {
  await srv?.stop();
  sheet?.close();
});

async function upload(c, name, bytes, as = name) {
  const form = new FormData();
  form.append('file', new Blob([bytes ?? await fs.readFile(path.join(DATA, name))]), as);
  const res = await fetch(c.base + '/api/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: form });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text, req: `POST /imports ${as}` };
}

// The suggested mapping, with overrides {index: field|null}.
function suggested(imp, overrides = {}, options = {}) {
  const columns = imp.columns.map((c) => {
    const f = c.index in overrides ? overrides[c.index] : c.suggested_field;
    return f ? { index: c.index, field: f } : { index: c.index, ignore: true };
  });
  return { columns, options: { default_country: 'US', ...options } };
}

async function waitDone(c, id) {
  for (let i = 0; i < 300; i++) {
    const r = expectStatus(await c.get(`/api/v1/imports/${id}`), 200);
    if (r.status !== 'running') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}

async function runImport(c, name, overrides = {}, options = {}, bytes) {
  const imp = expectStatus(await upload(c, name, bytes), 201);
  expectStatus(await c.put(`/api/v1/imports/${imp.id}/mapping`, suggested(imp, overrides, options)), 200);
  const review = expectStatus(await c.get(`/api/v1/imports/${imp.id}/review`), 200);
  expectStatus(await c.post(`/api/v1/imports/${imp.id}/start`, { consent_attested: true }), 202);
  return { imp, review, done: await waitDone(c, imp.id) };
}

test('good file: suggestions from headers, review, job, summary, contacts with consent and tags', async () => {
  const imp = expectStatus(await upload(A, 'good_basic.csv'), 201);
  assert.equal(imp.status, 'draft');
  assert.equal(imp.rows_total, 9);
  assert.equal(imp.delimiter, ',');
  const byHeader = Object.fromEntries(imp.columns.map((c) => [c.header, c.suggested_field]));
  assert.deepEqual(byHeader, { 'First Name': 'first_name', 'Last Name': 'last_name', Phone: 'phone', Email: 'email',
    Company: 'company', Tags: 'tags', Notes: 'notes' });
  assert.ok(imp.columns[2].sample.includes('(415) 555-2671'));
  // Review before a mapping is refused; with one, nothing is written.
  expectError(await A.get(`/api/v1/imports/${imp.id}/review`), 422, 'failed_precondition', 'mapping');
  expectStatus(await A.put(`/api/v1/imports/${imp.id}/mapping`, suggested(imp, {}, { tags: ['Spring'], auto_tag: 'Imported-test' })), 200);
  const review = expectStatus(await A.get(`/api/v1/imports/${imp.id}/review`), 200);
  assert.equal(review.rows_total, 9);
  assert.equal(review.will_create, 9);
  assert.equal(review.will_skip, 0);
  assert.equal(review.by_status.ready, 9);
  assert.equal(review.sample.length, 5);
  assert.equal(review.sample[0].phone, '+14155552671');
  const before = expectStatus(await A.get('/api/v1/contacts?limit=1'), 200).total;
  assert.equal(before, 0, 'the review wrote nothing');
  const rows = expectStatus(await A.get(`/api/v1/imports/${imp.id}/rows?offset=7&limit=5`), 200);
  assert.equal(rows.total, 9);
  assert.equal(rows.items.length, 2);
  assert.equal(rows.items[1].row_number, 10);
  assert.equal(rows.items[0].contact.notes, 'Call after 5pm.\nAsk for the "main" office, not reception.');
  // Consent must be attested.
  expectError(await A.post(`/api/v1/imports/${imp.id}/start`, {}), 400, 'invalid_argument', 'consent_attested');
  const started = expectStatus(await A.post(`/api/v1/imports/${imp.id}/start`, { consent_attested: true }), 202);
  assert.ok(['running', 'completed'].includes(started.status));
  expectError(await A.post(`/api/v1/imports/${imp.id}/start`, { consent_attested: true }), 422, 'failed_precondition');
  const done = await waitDone(A, imp.id);
  assert.equal(done.status, 'completed');
  assert.deepEqual(done.summary.skipped, {});
  assert.equal(done.summary.imported, 9);
  assert.equal(done.progress.rows_done, 9);
  assert.equal(done.consent.attested_by, 'admin@acme.test');
  const list = expectStatus(await A.get('/api/v1/contacts?q=lukasz'), 200);
  assert.equal(list.total, 1);
  const c = list.items[0];
  assert.equal(c.source, 'import');
  assert.equal(c.consent.status, 'granted');
  assert.match(c.consent.source, new RegExp(`import #${imp.id} attested by admin@acme.test`));
  assert.ok(c.tags.includes('Spring') && c.tags.includes('Imported-test'), JSON.stringify(c.tags));
  const vip = expectStatus(await A.get('/api/v1/contacts?tag=vip'), 200);
  assert.ok(vip.total >= 1);
  const history = expectStatus(await A.get('/api/v1/imports'), 200);
  assert.equal(history.items[0].id, imp.id);
  assert.equal(history.items[0].created_by, 'admin@acme.test');
});

test('messy file: every rejected row with its reason; error file re-importable; events stream', async () => {
  const { done, review } = await runImport(A, 'messy.csv');
  assert.equal(review.will_create, 8);
  assert.deepEqual(done.summary.skipped, { missing_phone: 1, invalid_phone: 5, fake_number: 2, invalid_email: 2,
    duplicate_in_file: 1, no_consent: 3 });
  assert.equal(done.summary.imported, 8);
  const res = await fetch(srv.base + done.errors_file, { headers: { authorization: `Bearer ${srv.tokenA}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/csv/);
  const text = (await res.text()).replace(/^\uFEFF/, '');
  const lines = text.trim().split(/\r\n/);
  assert.equal(lines[0], 'First Name,Last Name,Phone,Email,Consent,Notes,Reason');
  assert.equal(lines.length, 1 + 14);
  assert.ok(lines.some((l) => /row 10: the same phone number \(\+14155552690\) is on row 9/.test(l)), text);
  assert.ok(lines.some((l) => /row 16: .*looks made up/.test(l)), text);
  // The error file, fixed or not, imports on its own: its Reason column is ignored.
  const again = expectStatus(await upload(A, 'x', Buffer.from(text), 'errors.csv'), 201);
  assert.equal(again.rows_total, 14);
  assert.equal(again.columns.find((c) => c.header === 'Reason').suggested_field, '');
  // Events: progress then done.
  const ev = await fetch(`${srv.base}/api/v1/imports/${done.id}/events`, { headers: { authorization: `Bearer ${srv.tokenA}` } });
  assert.match(ev.headers.get('content-type'), /text\/event-stream/);
  const body = await ev.text();
  assert.match(body, /event: progress\ndata: \{"id":/);
  assert.match(body, /event: done\ndata: /);
});

test('rows: filtered by status with reasons and messages', async () => {
  const imp = expectStatus(await upload(A, 'messy.csv'), 201);
  expectStatus(await A.put(`/api/v1/imports/${imp.id}/mapping`, suggested(imp)), 200);
  const attention = expectStatus(await A.get(`/api/v1/imports/${imp.id}/rows?status=needs_attention&limit=50`), 200);
  assert.equal(attention.total, 9);
  const r4 = attention.items.find((r) => r.row_number === 4);
  assert.equal(r4.reason, 'invalid_phone');
  assert.match(r4.message, /column 3 \(Phone\): '12' is not a usable phone number/);
  const skip = expectStatus(await A.get(`/api/v1/imports/${imp.id}/rows?status=skip`), 200);
  // messy.csv was imported by the previous test: the 8 good rows now already exist.
  assert.ok(skip.items.some((r) => r.reason === 'already_exists' && r.existing_id > 0));
  expectError(await A.get(`/api/v1/imports/${imp.id}/rows?status=bogus`), 400, 'invalid_argument', 'status');
  expectStatus(await A.del(`/api/v1/imports/${imp.id}`), 204);
  expectError(await A.get(`/api/v1/imports/${imp.id}`), 404, 'not_found');
});

test('encodings and separators are read exactly', async () => {
  for (const [file, enc] of [['utf8_bom.csv', /UTF-8/], ['utf16le_bom.csv', /UTF-16 LE/], ['utf16be_bom.csv', /UTF-16 BE/]]) {
    const imp = expectStatus(await upload(B, file), 201);
    assert.match(imp.encoding, enc, file);
    assert.equal(imp.header[0], 'First Name', file);
    assert.equal(imp.rows_total, 6, file);
    const rows = expectStatus(await B.get(`/api/v1/imports/${imp.id}/rows?limit=10`), 200);
    assert.ok(rows.items.some((r) => r.values.some((v) => v.includes('山田'))), file);
    assert.ok(rows.items.some((r) => r.values.some((v) => v.includes('🎉'))), file);
  }
  const latin = expectStatus(await upload(B, 'latin1.csv'), 201);
  assert.equal(latin.encoding, 'Windows-1252');
  const lrows = expectStatus(await B.get(`/api/v1/imports/${latin.id}/rows`), 200);
  const cells = lrows.items.flatMap((r) => r.values);
  for (const want of ['Peña', 'Paid 50 € deposit', 'O’Brien', 'Œuvre – 1998']) assert.ok(cells.includes(want), want);
  const semi = expectStatus(await upload(B, 'semicolon.csv'), 201);
  assert.equal(semi.delimiter, ';');
  const sf = Object.fromEntries(semi.columns.map((c) => [c.header, c.suggested_field]));
  assert.equal(sf.Telefon, 'phone');
  assert.equal(sf.Vorname, 'first_name');
  assert.equal(sf.PLZ, 'zip');
  const { done } = await runImport(B, 'tab.tsv');
  assert.equal(done.delimiter, '\t');
  assert.equal(done.summary.imported, 5);
  const soren = expectStatus(await B.get('/api/v1/contacts?q=kierkegaard'), 200).items[0];
  assert.equal(soren.first_name, 'Søren');
});

test('Google Contacts, Outlook, vCard and XLSX exports map without help', async () => {
  const g = await runImport(B, 'google_contacts.csv');
  const gcols = Object.fromEntries(g.imp.columns.map((c) => [c.header, c.suggested_field]));
  assert.equal(gcols['Phone 1 - Value'], 'phone');
  assert.equal(gcols['Phone 2 - Value'], 'phones');
  assert.equal(gcols['E-mail 1 - Value'], 'email');
  assert.equal(gcols['Given Name'], 'first_name');
  assert.equal(gcols['Family Name'], 'last_name');
  assert.equal(gcols['Organization 1 - Name'], 'company');
  assert.equal(g.done.summary.skipped.missing_phone, 1);
  assert.equal(g.done.summary.imported, 6);
  const ada = expectStatus(await B.get('/api/v1/contacts?q=ada.google'), 200).items[0];
  assert.equal(ada.phone, '+14155552751');
  assert.deepEqual(ada.phones.map((p) => p.number), ['+14155552752']);
  assert.deepEqual(ada.groups, ['Friends']);
  const o = await runImport(B, 'outlook.csv');
  const ocols = Object.fromEntries(o.imp.columns.map((c) => [c.header, c.suggested_field]));
  assert.equal(ocols['Mobile Phone'], 'phone');
  assert.equal(ocols['Business Phone'], 'phones');
  assert.equal(ocols['E-mail Address'], 'email');
  assert.equal(o.done.summary.imported, 5, JSON.stringify(o.done.summary));
  const v = await runImport(B, 'contacts.vcf');
  assert.equal(v.imp.format, 'vcard');
  assert.equal(v.done.summary.imported, 4);
  assert.deepEqual(v.done.summary.skipped, { missing_phone: 1, duplicate_in_file: 1 });
  const x = await runImport(B, 'contacts.xlsx');
  assert.equal(x.imp.format, 'xlsx');
  assert.equal(x.done.summary.imported, 5);
  assert.deepEqual(x.done.summary.skipped, { invalid_email: 1 });
});

test('bad files are refused with what and where; nothing is stored', async () => {
  const noHeader = await upload(A, 'no_header.csv');
  expectError(noHeader, 400, 'invalid_argument');
  assert.match(noHeader.json.error.message, /header/);
  assert.equal(noHeader.json.error.details.row, 1);
  assert.match(expectError(await upload(A, 'header_only.csv'), 400, 'invalid_argument').message, /no rows of data/);
  assert.match(expectError(await upload(A, 'empty.csv'), 400, 'invalid_argument').message, /empty/);
  const unterminated = await upload(A, 'unterminated_quote.csv');
  expectError(unterminated, 400, 'invalid_argument');
  assert.match(unterminated.json.error.message, /row 3/);
  expectError(await upload(A, 'binary.bin', undefined, 'data.csv'), 400, 'invalid_argument');
  const big = await upload(A, 'x', Buffer.alloc(1100 * 1024, 'a'), 'big.csv');
  expectError(big, 413, 'payload_too_large');
  const form = await fetch(srv.base + '/api/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${srv.tokenA}`, 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--zz--\r\n' });
  assert.equal(form.status, 400);
});

test('mapping errors name the column; a phone column is required', async () => {
  const imp = expectStatus(await upload(A, 'good_basic.csv'), 201);
  const url = `/api/v1/imports/${imp.id}/mapping`;
  expectError(await A.put(url, { columns: [{ index: 0, field: 'first_name' }] }), 400, 'invalid_argument', 'columns');
  expectError(await A.put(url, { columns: [{ index: 2, field: 'phone' }, { index: 0, field: 'nope' }] }), 400, 'invalid_argument', 'columns[1].field');
  expectError(await A.put(url, { columns: [{ index: 2, field: 'phone' }, { index: 99, field: 'email' }] }), 400, 'invalid_argument', 'columns[1].index');
  expectError(await A.put(url, { columns: [{ index: 2, field: 'phone' }, { index: 0, field: 'cf.missing' }] }), 400, 'invalid_argument', 'columns[1].field');
  expectError(await A.put(url, { columns: [{ index: 2, field: 'phone' }], options: { on_duplicate: 'merge' } }), 400, 'invalid_argument', 'options.on_duplicate');
  expectError(await A.put(url, { columns: [{ index: 2, field: 'phone' }], options: { list: { name: 'x', dial_mode: 'robot' } } }), 400, 'invalid_argument', 'options.list.dial_mode');
  expectError(await A.put(url, { columns: [{ index: 2, field: 'phone' }], extra: 1 }), 400, 'invalid_argument', 'extra');
  const mgr = client(srv.base, srv.tokens['mgr@acme.test']);
  expectError(await mgr.put(url, { columns: [{ index: 2, field: 'phone' }, { index: 4, new_field: { key: 'biz', label: 'Biz', type: 'text' } }] }), 403, 'permission_denied', 'columns[1].new_field');
  // Saved mappings are offered for the same headers.
  expectStatus(await A.put(url, { ...suggested(imp, { 4: null }), save_as: 'Basic export' }), 200);
  const saved = expectStatus(await A.get('/api/v1/imports/mappings'), 200);
  assert.equal(saved.items[0].name, 'Basic export');
  const next = expectStatus(await upload(A, 'good_basic.csv'), 201);
  const phone = next.columns.find((c) => c.header === 'Phone');
  assert.equal(phone.reason, 'saved mapping Basic export');
  expectStatus(await A.del(`/api/v1/imports/mappings/${saved.items[0].id}`), 204);
});

test('duplicate policies: skip, update, update only empty fields, always create', async () => {
  const csv = (email, company) => Buffer.from(`Name,Phone,Email,Company\nDup Person,(617) 555-2950,${email},${company}\n`);
  const base = await runImport(A, 'x', {}, {}, csv('', 'First Co'));
  assert.equal(base.done.summary.imported, 1);
  const id = expectStatus(await A.get('/api/v1/contacts?q=6175552950'), 200).items[0].id;
  const skip = await runImport(A, 'x', {}, { on_duplicate: 'skip' }, csv('dup@example.com', 'Second Co'));
  assert.deepEqual(skip.done.summary.skipped, { already_exists: 1 });
  const empty = await runImport(A, 'x', {}, { on_duplicate: 'update_empty' }, csv('dup@example.com', 'Second Co'));
  assert.equal(empty.review.will_update, 1);
  assert.equal(empty.done.summary.updated, 1);
  let c = expectStatus(await A.get(`/api/v1/contacts/${id}`), 200);
  assert.equal(c.email, 'dup@example.com');
  assert.equal(c.company, 'First Co', 'update_empty keeps what is there');
  const upd = await runImport(A, 'x', {}, { on_duplicate: 'update', tags: ['Refreshed'] }, csv('dup@example.com', 'Second Co'));
  assert.equal(upd.done.summary.updated, 1);
  c = expectStatus(await A.get(`/api/v1/contacts/${id}`), 200);
  assert.equal(c.company, 'Second Co');
  assert.ok(c.tags.includes('Refreshed'));
  const hist = expectStatus(await A.get(`/api/v1/contacts/${id}/history`), 200);
  assert.ok(hist.items.some((h) => h.action === 'imported' && h.changes.company && h.changes.company.to === 'Second Co'), JSON.stringify(hist.items));
  const again = await runImport(A, 'x', {}, { on_duplicate: 'update' }, csv('dup@example.com', 'Second Co'));
  assert.equal(again.done.summary.unchanged, 1);
  const create = await runImport(A, 'x', {}, { on_duplicate: 'create' }, csv('other@example.com', 'Third Co'));
  assert.equal(create.done.summary.imported, 1);
  assert.equal(expectStatus(await A.get('/api/v1/contacts?q=6175552950'), 200).total, 2);
});

test('undo: created contacts erased, updated ones restored, later edits kept as conflicts', async () => {
  const seed = await runImport(A, 'x', {}, {}, Buffer.from('Name,Phone,Company\nKeep Me,(617) 555-2960,Old Co\n'));
  assert.equal(seed.done.summary.imported, 1);
  const kept = expectStatus(await A.get('/api/v1/contacts?q=6175552960'), 200).items[0];
  const csv = 'Name,Phone,Company\nKeep Me,(617) 555-2960,New Co\nNew One,(617) 555-2961,A\nNew Two,(617) 555-2962,B\nNew Three,(617) 555-2963,C\n';
  const imp = await runImport(A, 'x', {}, { on_duplicate: 'update', list: { name: 'Undo list', dial_mode: 'ai' } }, Buffer.from(csv));
  assert.equal(imp.done.summary.imported, 3);
  assert.equal(imp.done.summary.updated, 1);
  assert.equal(imp.done.summary.list.added, 4);
  const lists = expectStatus(await A.get('/api/v1/lists'), 200);
  const list = lists.items.find((l) => l.import_id === imp.imp.id);
  assert.equal(list.dial_mode, 'ai');
  assert.equal(list.members, 4);
  const members = expectStatus(await A.get(`/api/v1/lists/${list.id}/members`), 200);
  assert.equal(members.items.length, 4);
  // A later edit of one created contact: kept, reported.
  const two = expectStatus(await A.get('/api/v1/contacts?q=6175552962'), 200).items[0];
  expectStatus(await A.patch(`/api/v1/contacts/${two.id}`, { company: 'Edited later' }), 200);
  const undone = expectStatus(await A.post(`/api/v1/imports/${imp.imp.id}/undo`), 200);
  assert.equal(undone.status, 'undone');
  assert.equal(undone.undo.removed, 2);
  assert.equal(undone.undo.restored, 1);
  assert.deepEqual(undone.undo.conflicts, [{ contact_id: two.id, reason: 'edited after the import' }]);
  assert.equal(expectStatus(await A.get(`/api/v1/contacts/${kept.id}`), 200).company, 'Old Co');
  assert.equal(expectStatus(await A.get('/api/v1/contacts?q=6175552961'), 200).total, 0);
  assert.equal(expectStatus(await A.get(`/api/v1/contacts/${two.id}`), 200).company, 'Edited later');
  expectError(await A.get(`/api/v1/lists/${list.id}`), 404, 'not_found');
  expectError(await A.post(`/api/v1/imports/${imp.imp.id}/undo`), 422, 'failed_precondition');
});

test('consent column, do-not-call and the dial list; strict mode refuses a file with problems', async () => {
  const csv = 'Name,Phone,Consent,DNC\nYes Caller,(718) 555-2970,yes,\nNo Caller,(718) 555-2971,no,\nDnc Caller,(718) 555-2972,yes,yes\n';
  const r = await runImport(A, 'x', {}, { list: { name: 'Consenting', dial_mode: 'manual' } }, Buffer.from(csv));
  assert.equal(r.imp.columns[2].suggested_field, 'consent');
  assert.equal(r.imp.columns[3].suggested_field, 'do_not_call');
  assert.equal(r.done.summary.imported, 2);
  assert.deepEqual(r.done.summary.skipped, { no_consent: 1 });
  assert.equal(r.done.summary.list.added, 1, 'do-not-call contacts never join a list');
  const strict = expectStatus(await upload(A, 'messy.csv'), 201);
  expectStatus(await A.put(`/api/v1/imports/${strict.id}/mapping`, suggested(strict, {}, { strict: true })), 200);
  const review = expectStatus(await A.get(`/api/v1/imports/${strict.id}/review`), 200);
  assert.equal(review.strict_ok, false);
  const e = expectError(await A.post(`/api/v1/imports/${strict.id}/start`, { consent_attested: true }), 422, 'failed_precondition', 'options.strict');
  assert.match(e.message, /row \d+/);
});

test('plan limit: an import that would pass it is refused before anything is written; one that fits runs', async () => {
  const admin = client(srv.base, srv.tokenB);
  const ws = expectStatus(await admin.get('/api/v1/workspace'), 200);
  expectStatus(await admin.patch('/api/v1/workspace', { contact_limit: ws.contact_count + 2 }), 200);
  const csv = 'Name,Phone\nL One,(305) 555-2981\nL Two,(305) 555-2982\nL Three,(305) 555-2983\n';
  const imp = expectStatus(await upload(B, 'x', Buffer.from(csv)), 201);
  expectStatus(await B.put(`/api/v1/imports/${imp.id}/mapping`, suggested(imp)), 200);
  const e = expectError(await B.post(`/api/v1/imports/${imp.id}/start`, { consent_attested: true }), 422, 'failed_precondition');
  assert.match(e.message, new RegExp(`would add 3 contacts, but the workspace's contact limit of ${ws.contact_count + 2} leaves room for 2; nothing was imported`));
  assert.equal(e.details.limit, ws.contact_count + 2);
  assert.equal(expectStatus(await B.get(`/api/v1/imports/${imp.id}`), 200).status, 'draft');
  assert.equal(expectStatus(await admin.get('/api/v1/workspace'), 200).contact_count, ws.contact_count);
  // Room for all three: the same import starts and completes.
  expectStatus(await admin.patch('/api/v1/workspace', { contact_limit: ws.contact_count + 3 }), 200);
  expectStatus(await B.post(`/api/v1/imports/${imp.id}/start`, { consent_attested: true }), 202);
  const done = await waitDone(B, imp.id);
  assert.equal(done.status, 'completed');
  assert.equal(done.summary.imported, 3);
  expectStatus(await admin.patch('/api/v1/workspace', { contact_limit: 0 }), 200);
});

test('Google Sheets link: fetched from the allowlisted host only', async () => {
  const imp = expectStatus(await A.post('/api/v1/imports', { sheet_url: `http://127.0.0.1:${sheetPort}/spreadsheets/d/SHEETabcdefghij/edit#gid=7` }), 201);
  assert.equal(imp.rows_total, 1);
  assert.equal(imp.columns[1].suggested_field, 'phone');
  const rows = expectStatus(await A.get(`/api/v1/imports/${imp.id}/rows`), 200);
  assert.deepEqual(rows.items[0].values, ['Sheet Person', '(646) 555-2901']);
  expectError(await A.post('/api/v1/imports', { sheet_url: 'https://evil.example/spreadsheets/d/SHEETabcdefghij/edit' }), 400, 'invalid_argument', 'sheet_url');
  expectError(await A.post('/api/v1/imports', { sheet_url: 'not a link' }), 400, 'invalid_argument', 'sheet_url');
  expectError(await A.post('/api/v1/imports', { sheet_url: `http://127.0.0.1:${sheetPort}/spreadsheets/d/REDIRECTabcdef/edit` }), 400, 'invalid_argument', 'sheet_url');
  expectError(await A.post('/api/v1/imports', { sheet_url: `http://127.0.0.1:${sheetPort}/spreadsheets/d/MISSINGabcdef/edit` }), 400, 'invalid_argument', 'sheet_url');
});

test('templates carry the standard and custom fields', async () => {
  expectStatus(await A.post('/api/v1/fields', { key: 'plan', label: 'Plan', type: 'text' }), 201);
  const csv = await A.get('/api/v1/imports/template.csv');
  expectStatus(csv, 200);
  const header = csv.text.replace(/^\uFEFF/, '').split('\r\n')[0].split(',');
  assert.deepEqual(header.slice(0, 3), ['First Name', 'Last Name', 'Phone']);
  assert.ok(header.includes('Plan'));
  const xlsx = await fetch(srv.base + '/api/v1/imports/template.xlsx', { headers: { authorization: `Bearer ${srv.tokenA}` } });
  assert.equal(xlsx.status, 200);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  // The template itself imports without help.
  const imp = expectStatus(await upload(A, 'x', bytes, 'template.xlsx'), 201);
  const f = Object.fromEntries(imp.columns.map((c) => [c.header, c.suggested_field]));
  assert.equal(f.Phone, 'phone');
  assert.equal(f.Plan, 'cf.plan');
});

test('permissions and isolation', async () => {
  expectError(await upload(agent, 'good_basic.csv'), 403, 'permission_denied');
  expectError(await agent.get('/api/v1/imports'), 403, 'permission_denied');
  const mine = expectStatus(await A.get('/api/v1/imports'), 200).items[0];
  expectError(await B.get(`/api/v1/imports/${mine.id}`), 404, 'not_found');
  expectError(await B.get(`/api/v1/imports/${mine.id}/rows`), 404, 'not_found');
  expectError(await B.post(`/api/v1/imports/${mine.id}/undo`), 404, 'not_found');
  expectError(await B.get(`/api/v1/imports/${mine.id}/errors.csv`), 404, 'not_found');
  const theirs = expectStatus(await B.get('/api/v1/imports'), 200).items.map((i) => i.id);
  assert.ok(!theirs.includes(mine.id));
  const lists = expectStatus(await A.get('/api/v1/lists'), 200).items;
  if (lists.length) expectError(await B.get(`/api/v1/lists/${lists[0].id}/members`), 404, 'not_found');
});
