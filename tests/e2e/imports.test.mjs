// Journeys: the import wizard (SPEC S6, S12.2) — upload a CSV with a messy phone column and a
// consent column, the suggested mapping, the review with its invalid rows and their reasons,
// the required consent attestation, tags, a new dial list, live progress, the summary, the
// error file, the imported contacts in the list, Undo; the import history (drafts continued
// or deleted); who is offered imports at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  useApp, withPage, signIn, newPhone, expectStatus, contactRow, contactRows, countLine, goTo,
  expectText, expectCount, expectGone, eventually,
} from './lib.mjs';

const MANAGER = 'manager@acme.test';
const AGENT = 'agent@acme.test';
const app = useApp({ users: [{ email: MANAGER, role: 'manager' }, { email: AGENT, role: 'agent' }] });

const fmtDots = (d) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`;
const fmtSpaces = (d) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
const fmtDashes = (d) => `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;

// A small CSV as a team would export it: a "Mobile" column in every format people type (and
// some that are not numbers at all), an "Opt In" consent column.
function leadsCsv(last) {
  const [ada, bea, cy, gus, hal] = [newPhone(), newPhone(), newPhone(), newPhone(), newPhone()];
  const rows = [
    ['Full Name', 'Mobile', 'Email', 'Opt In', 'Notes'],
    [`Ada ${last}`, ada.national, `ada@${last}.test`, 'yes', 'met at the fair'],     // row 2
    [`Bea ${last}`, fmtDots(bea.digits), `bea@${last}.test`, 'Yes', ''],               // row 3
    [`Cy ${last}`, fmtSpaces(cy.digits), '', 'y', ''],                                 // row 4
    [`Dee ${last}`, '12345', `dee@${last}.test`, 'yes', 'phone too short'],            // row 5: invalid_phone
    [`Eve ${last}`, '', `eve@${last}.test`, 'yes', 'no phone'],                       // row 6: missing_phone
    [`Fay ${last}`, fmtDashes(ada.digits), `fay@${last}.test`, 'yes', 'same as Ada'], // row 7: duplicate_in_file
    [`Gus ${last}`, gus.digits, `gus@${last}.test`, 'no', 'said no'],                  // row 8: no_consent
    [`Hal ${last}`, hal.national, `hal@${last}.test`, 'true', ''],                     // row 9
  ];
  const text = rows.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
  return { text, phones: { ada, bea, cy, gus, hal } };
}

// Uploads a file through the API as the manager (multipart/form-data); returns the draft import.
async function apiUpload(name, text, email = MANAGER) {
  const fd = new FormData();
  fd.append('file', new Blob([text], { type: 'text/csv' }), name);
  const res = await fetch(`${app.base}/api/v1/imports`, {
    method: 'POST', headers: { authorization: `Bearer ${app.tokens[email]}` }, body: fd,
  });
  const body = await res.text();
  assert.equal(res.status, 201, `POST /api/v1/imports (${name}) -> ${res.status} ${body}`);
  return JSON.parse(body);
}

function asManager() {
  const token = app.tokens[MANAGER];
  const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (method, p, body) => {
    const res = await fetch(app.base + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, json, text, req: `${method} ${p}` };
  };
  return { get: (p) => call('GET', p), put: (p, b) => call('PUT', p, b), post: (p, b) => call('POST', p, b ?? {}) };
}

// Runs an import to the end through the API (for the history journeys).
async function apiImport(name, text, columns, options = {}) {
  const m = asManager();
  const imp = await apiUpload(name, text);
  expectStatus(await m.put(`/api/v1/imports/${imp.id}/mapping`, {
    columns, consent_column: null,
    options: { on_duplicate: 'skip', tags: [], auto_tag: false, strict: false, default_country: 'US', list: null, ...options },
  }), 200);
  expectStatus(await m.post(`/api/v1/imports/${imp.id}/start`, { consent_attested: true }), 202);
  return eventually(async () => {
    const j = expectStatus(await m.get(`/api/v1/imports/${imp.id}`), 200);
    return j.status === 'completed' ? j : false;
  }, { timeout: 15000, message: `import ${imp.id} did not complete` });
}

const wizardStep = (page, name) => page.getByRole('heading', { level: 2, name, exact: true });

// The value shown for a term of the stat cards (<dt>Imported</dt><dd>4</dd>).
// From the review step to a click on "Start import", changing nothing on the way: continue,
// attest consent, continue past tags & duplicates, reach the destination, start.
async function startFromReview(page, scope = page) {
  await scope.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByLabel(/I confirm that the contacts in this file agreed/).check();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await wizardStep(page, 'Tags & duplicates').waitFor();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await wizardStep(page, 'Destination').waitFor();
  await page.getByRole('button', { name: 'Start import' }).click();
}

async function statValue(scope, label) {
  const terms = (await scope.getByRole('term').allTextContents()).map((x) => x.trim());
  const values = (await scope.getByRole('definition').allTextContents()).map((x) => x.trim());
  const i = terms.indexOf(label);
  assert.ok(i >= 0, `no “${label}” among ${JSON.stringify(terms)}`);
  return values[i];
}
async function expectStat(scope, label, value) {
  await eventually(async () => {
    assert.equal(await statValue(scope, label), String(value), `“${label}”`);
    return true;
  });
}

test('import a messy CSV: suggested mapping, review with reasons, consent, tag and dial list, summary, error file, undo', async (t) => {
  const last = 'Importwell';
  const { text, phones } = leadsCsv(last);
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);

    // From the contacts page to the wizard.
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import contacts' }).waitFor();
    await wizardStep(page, 'Upload').waitFor();
    await page.getByRole('link', { name: 'template.csv' }).waitFor();
    await page.getByRole('link', { name: 'template.xlsx' }).waitFor();
    await page.getByLabel('Choose a file').setInputFiles({ name: 'leads-nov.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

    // Map: the suggestions come preselected — the messy "Mobile" column is the phone, "Opt In" the consent.
    await wizardStep(page, 'Map columns').waitFor();
    await page.getByText('leads-nov.csv').first().waitFor();
    const fieldOf = (col) => page.getByLabel(`Field for column ${col}`, { exact: true });
    assert.equal(await fieldOf('Mobile').inputValue(), 'phone');
    assert.equal(await fieldOf('Full Name').inputValue(), 'name');
    assert.equal(await fieldOf('Email').inputValue(), 'email');
    assert.equal(await fieldOf('Opt In').inputValue(), 'consent');
    assert.equal(await fieldOf('Notes').inputValue(), 'notes');
    const consentSelect = page.getByLabel('Consent column', { exact: true });
    assert.equal(await consentSelect.locator('option:checked').textContent(), 'Opt In');
    await page.getByRole('button', { name: 'Continue to review' }).click();

    // Review: totals, skipped by reason, and the invalid rows with their reasons.
    await wizardStep(page, 'Review').waitFor();
    const card = page.getByRole('region', { name: 'Review' });
    await expectStat(card, 'Rows', 8);
    await expectStat(card, 'Will import', 4);
    await expectStat(card, 'Will skip', 4);
    const reasons = card.getByRole('list', { name: 'Skipped rows by reason' });
    for (const r of ['Invalid phone number', 'No phone number', 'Duplicate in the file', 'No consent']) {
      await expectText(reasons.getByRole('listitem').filter({ hasText: r }), /1$/);
    }
    const table = card.getByRole('table', { name: 'Rows of the file' });
    const row = (n) => table.getByRole('row').filter({ has: page.getByRole('cell', { name: String(n), exact: true }) });
    await expectCount(table.getByRole('row'), 9);  // header + 8 rows
    await expectText(row(2), 'Ready');
    await expectText(row(5), 'Invalid phone number');
    await expectText(row(6), 'No phone number');
    await expectText(row(7), 'Duplicate in the file');
    await expectText(row(8), 'No consent');
    // Filtered by status: a bad number needs attention; only the clean rows are ready.
    await card.getByRole('button', { name: /^Needs attention \d/ }).click();
    await expectText(row(5), 'Invalid phone number');
    await expectCount(row(2), 0);
    await card.getByRole('button', { name: /^Ready \d/ }).click();
    await expectText(row(2), `Ada ${last}`);
    await expectCount(table.getByRole('row'), 5);  // header + Ada, Bea, Cy, Hal
    await expectCount(row(5), 0);

    // Strict mode re-sends the options and the review says the file would be refused.
    await card.getByLabel('Strict mode').check();
    await card.getByText(/In strict mode this file would be refused/).waitFor();
    await card.getByLabel('Strict mode').uncheck();
    await expectCount(card.getByText(/In strict mode this file would be refused/), 0);
    await card.getByRole('button', { name: 'Continue', exact: true }).click();

    // Consent: required before going on.
    await wizardStep(page, 'Consent').waitFor();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'agreed to be contacted' }).waitFor();
    await wizardStep(page, 'Consent').waitFor();
    await page.getByLabel(/I confirm that the contacts in this file agreed to be contacted/).check();
    await page.getByRole('button', { name: 'Continue', exact: true }).click();

    // Tags & duplicates.
    await wizardStep(page, 'Tags & duplicates').waitFor();
    const tagBox = page.getByLabel('Tags for every imported contact');
    await tagBox.fill('nov-leads');
    await tagBox.press('Enter');
    await page.getByRole('button', { name: 'Remove nov-leads' }).waitFor();
    assert.ok(await page.getByLabel(/Also tag them Imported-\d{4}-\d{2}/).isChecked(), 'auto-tag is on by default');
    assert.ok(await page.getByRole('radio', { name: 'Skip', exact: true }).isChecked(), 'duplicates are skipped by default');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();

    // Destination: a new dial list, its name prefilled from the file name.
    await wizardStep(page, 'Destination').waitFor();
    await page.getByRole('radio', { name: 'Contacts and a new dial list' }).check();
    assert.equal(await page.getByLabel('Dial list name').inputValue(), 'leads-nov');
    await page.getByRole('radio', { name: 'Manual dialing' }).check();
    await page.getByRole('button', { name: 'Start import' }).click();

    // Progress, then the summary.
    await wizardStep(page, 'Summary').waitFor({ timeout: 20000 });
    const summary = page.getByRole('region', { name: 'Import summary' });
    await expectStat(summary, 'Imported', 4);
    await expectStat(summary, 'Updated', 0);
    await expectStat(summary, 'Skipped', 4);
    await expectText(summary, 'leads-nov');
    await expectText(summary, '4 numbers');
    const summaryReasons = summary.getByRole('list', { name: 'Skipped rows by reason' });
    await expectText(summaryReasons.getByRole('listitem').filter({ hasText: 'No consent' }), /1$/);

    // The error file: the skipped rows as they were, plus a Reason column.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      summary.getByRole('link', { name: 'Download error file (CSV)' }).click(),
    ]);
    const errors = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = errors.trim().split(/\r?\n/);
    assert.match(lines[0], /^Full Name,Mobile,Email,Opt In,Notes,Reason$/, errors);
    assert.equal(lines.length, 5, `header + 4 skipped rows:\n${errors}`);
    for (const who of ['Dee', 'Eve', 'Fay', 'Gus']) assert.ok(errors.includes(`${who} ${last}`), `${who} in the error file:\n${errors}`);
    assert.ok(!errors.includes(`Ada ${last}`), 'imported rows are not in the error file');

    // The contacts, tagged, in the list — and in the dial list, consent recorded.
    const m = asManager();
    const tagged = expectStatus(await app.api.get('/api/v1/contacts?tag=nov-leads'), 200);
    assert.equal(tagged.total, 4);
    const ada = tagged.items.find((c) => c.phone === phones.ada.e164);
    assert.ok(ada, 'Ada imported with her E.164 number');
    assert.equal(ada.source, 'import');
    assert.equal(ada.consent.status, 'granted');
    assert.match(ada.consent.source, /attested by manager@acme\.test/);
    assert.ok(ada.tags.some((x) => /^Imported-\d{4}-\d{2}$/.test(x)), `auto tag on ${JSON.stringify(ada.tags)}`);
    const lists = expectStatus(await m.get('/api/v1/lists'), 200);
    const list = lists.items.find((l) => l.name === 'leads-nov');
    assert.ok(list, `dial list in ${JSON.stringify(lists.items)}`);
    assert.equal(list.dial_mode, 'manual');
    assert.equal(list.members, 4);

    await page.getByRole('link', { name: 'View contacts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill(last);
    await expectText(countLine(page), '4 contacts match');
    for (const who of ['Ada', 'Bea', 'Cy', 'Hal']) {
      await contactRow(page, `${who} ${last}`).getByText('nov-leads', { exact: true }).waitFor();
    }
    await expectCount(contactRow(page, `Gus ${last}`), 0);

    // The history lists it; its detail page undoes it.
    await goTo(page, 'Imports');
    const history = page.getByRole('table', { name: 'Import history' });
    const entry = history.getByRole('row').filter({ hasText: 'leads-nov.csv' });
    await expectText(entry, 'Completed');
    await entry.getByRole('link', { name: 'leads-nov.csv' }).click();
    await page.getByRole('heading', { level: 1, name: 'leads-nov.csv' }).waitFor();
    await page.getByRole('button', { name: 'Undo import…' }).click();
    const dlg = page.getByRole('dialog', { name: 'Undo this import?' });
    await expectText(dlg, 'The 4 contacts it created are erased');
    await dlg.getByRole('button', { name: 'Undo import' }).click();
    await expectGone(dlg);
    const undone = page.getByRole('region', { name: 'Undo result' });
    await expectText(undone, '4 created contacts removed');
    await expectText(undone, 'No conflicts');
    await expectText(page.getByText(/^Import #\d+ · /), 'Undone');
    await expectCount(page.getByRole('button', { name: 'Undo import…' }), 0);

    await goTo(page, 'Contacts');
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill(last);
    await page.getByRole('heading', { name: 'No contacts match' }).waitFor();
    await expectCount(contactRows(page), 0);
    assert.equal(expectStatus(await app.api.get('/api/v1/contacts?tag=nov-leads'), 200).total, 0);
  });
});

test('a mostly invalid phone column: the review names a better one; strict mode refusal is shown at the strict switch', async (t) => {
  const lines = ['Name,Phone,Other'];
  for (let i = 0; i < 12; i++) lines.push(`Warn${i} Column,${i % 4 ? 'n/a' : newPhone().national},${newPhone().national}`);
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    await page.goto('/imports/new');
    await page.getByLabel('Choose a file').setInputFiles({ name: 'warn.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
    await wizardStep(page, 'Map columns').waitFor();
    // The suggestion already prefers the good column; choose the bad one on purpose.
    assert.equal(await page.getByLabel('Field for column Other', { exact: true }).inputValue(), 'phone');
    await page.getByLabel('Field for column Phone', { exact: true }).selectOption('phone');
    await page.getByLabel('Field for column Other', { exact: true }).selectOption('ignore');
    await page.getByRole('button', { name: 'Continue to review' }).click();

    await wizardStep(page, 'Review').waitFor();
    const card = page.getByRole('region', { name: 'Review' });
    await expectStat(card, 'Will import', 3);
    await expectStat(card, 'Will skip', 9);
    const useOther = card.getByRole('button', { name: 'Use column “Other” for the phone' });
    await useOther.waitFor();

    // Strict mode: the server refuses to start, and the wizard says so at the strict switch.
    await card.getByLabel('Strict mode').check();
    await card.getByText(/In strict mode this file would be refused/).waitFor();
    await startFromReview(page, card);
    await wizardStep(page, 'Review').waitFor();
    await page.getByRole('alert').filter({ hasText: /strict mode: the file is refused because of row 3/ }).waitFor();
    const drafts = expectStatus(await asManager().get('/api/v1/imports'), 200).items.filter((i) => i.file_name === 'warn.csv');
    assert.equal(drafts[0].status, 'draft', 'nothing started');

    // Lenient again, and one click takes the better column: every row is ready.
    await card.getByLabel('Strict mode').uncheck();
    await useOther.click();
    await expectStat(card, 'Will import', 12);
    await expectStat(card, 'Will skip', 0);
    await expectCount(useOther, 0);
    await page.getByRole('button', { name: 'Map columns' }).click();
    await wizardStep(page, 'Map columns').waitFor();
    assert.equal(await page.getByLabel('Field for column Other', { exact: true }).inputValue(), 'phone');
    assert.equal(await page.getByLabel('Field for column Phone', { exact: true }).inputValue(), 'ignore');
  });
});

test('an import that would pass the plan limit is refused at the start, with the limit named; nothing is written', async (t) => {
  const ws = expectStatus(await app.api.get('/api/v1/workspace'), 200);
  expectStatus(await app.api.patch('/api/v1/workspace', { contact_limit: ws.contact_count + 1 }), 200);
  t.after(async () => { expectStatus(await app.api.patch('/api/v1/workspace', { contact_limit: 0 }), 200); });
  const lines = ['Name,Phone'];
  for (let i = 0; i < 3; i++) lines.push(`Limit${i} Person,${newPhone().national}`);
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    await page.goto('/imports/new');
    await page.getByLabel('Choose a file').setInputFiles({ name: 'limit.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
    await wizardStep(page, 'Map columns').waitFor();
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await wizardStep(page, 'Review').waitFor();
    await expectStat(page.getByRole('region', { name: 'Review' }), 'Will import', 3);
    await startFromReview(page);
    await page.getByRole('alert').filter({ hasText: `contact limit of ${ws.contact_count + 1} leaves room for 1; nothing was imported` }).waitFor();
    await wizardStep(page, 'Destination').waitFor();
  });
  const mine = expectStatus(await app.api.get('/api/v1/imports'), 200).items.filter((i) => i.file_name === 'limit.csv');
  assert.equal(mine[0].status, 'draft', 'nothing started');
  assert.equal(expectStatus(await app.api.get('/api/v1/workspace'), 200).contact_count, ws.contact_count);
});

test('the import history lists imports newest first; a draft can be continued in the wizard or deleted', async (t) => {
  const p1 = newPhone();
  const p2 = newPhone();
  const done = await apiImport('history-done.csv', `Name,Phone\nHistory One,${p1.national}\nHistory Two,${p2.national}\nHistory Bad,123\n`,
    [{ index: 0, field: 'name' }, { index: 1, field: 'phone' }]);
  assert.equal(done.summary.imported, 2);
  const draft = await apiUpload('history-draft.csv', `Name,Phone\nDraft Person,${newPhone().national}\n`);
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    await goTo(page, 'Imports');
    const history = page.getByRole('table', { name: 'Import history' });
    const doneRow = history.getByRole('row').filter({ hasText: 'history-done.csv' });
    const draftRow = history.getByRole('row').filter({ hasText: 'history-draft.csv' });
    await expectText(doneRow, 'Completed');
    await expectText(draftRow, 'Draft');
    // Rows, imported, updated, skipped.
    const cells = await doneRow.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(-4), ['3', '2', '0', '1'], `row cells ${JSON.stringify(cells)}`);
    assert.ok(cells.some((c) => c.includes('manager')), `who started it: ${JSON.stringify(cells)}`);
    // Newest first: the draft was uploaded last.
    const order = await history.getByRole('row').allTextContents();
    assert.ok(order.findIndex((r) => r.includes('history-draft.csv')) < order.findIndex((r) => r.includes('history-done.csv')), order.join('\n'));

    // A completed import: its summary and error file.
    await doneRow.getByRole('link', { name: 'history-done.csv' }).click();
    await page.getByRole('heading', { level: 1, name: 'history-done.csv' }).waitFor();
    const summary = page.getByRole('region', { name: 'Import summary' });
    await expectStat(summary, 'Imported', 2);
    await expectStat(summary, 'Skipped', 1);
    const href = await summary.getByRole('link', { name: 'Download error file (CSV)' }).getAttribute('href');
    assert.equal(href, `/api/v1/imports/${done.id}/errors.csv`);
    await page.getByRole('button', { name: 'Undo import…' }).waitFor();

    // A draft: continue it in the wizard, where the file and its mapping wait.
    await page.getByRole('link', { name: '← Imports' }).click();
    await history.getByRole('link', { name: 'history-draft.csv' }).click();
    await page.getByRole('heading', { name: 'Not started yet' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Undo import…' }).count(), 0, 'nothing to undo in a draft');
    await page.getByRole('link', { name: 'Continue in the wizard' }).click();
    await wizardStep(page, 'Map columns').waitFor();
    assert.equal(await page.getByLabel('Field for column Phone', { exact: true }).inputValue(), 'phone');
    assert.equal(new URL(page.url()).pathname, `/imports/${draft.id}/continue`);

    // …or delete it.
    await page.goto(`/imports/${draft.id}`);
    await page.getByRole('button', { name: 'Delete draft' }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete this draft?' });
    await dlg.getByRole('button', { name: 'Delete draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
    await expectCount(history.getByRole('row').filter({ hasText: 'history-draft.csv' }), 0);
    await expectText(doneRow, 'Completed');
    const gone = await asManager().get(`/api/v1/imports/${draft.id}`);
    assert.equal(gone.status, 404, `the deleted draft is gone: ${gone.text}`);
  });
});

test('undo restores updated contacts and reports a contact edited since the import as a conflict', async (t) => {
  const known = newPhone();
  const fresh = newPhone();
  const existing = expectStatus(await app.api.post('/api/v1/contacts', { first_name: 'Olga', last_name: 'Before', phone: known.e164, company: 'OldCo' }), 201);
  const done = await apiImport('undo-conflict.csv', `Name,Phone,Company\nOlga Before,${known.national},NewCo\nNina Conflict,${fresh.national},FreshCo\n`,
    [{ index: 0, field: 'name' }, { index: 1, field: 'phone' }, { index: 2, field: 'company' }], { on_duplicate: 'update' });
  assert.equal(done.summary.imported, 1, JSON.stringify(done.summary));
  assert.equal(done.summary.updated, 1, JSON.stringify(done.summary));
  assert.equal(expectStatus(await app.api.get(`/api/v1/contacts/${existing.id}`), 200).company, 'NewCo');
  // Someone edits the imported contact afterwards.
  const nina = expectStatus(await app.api.get(`/api/v1/contacts?q=${fresh.digits.slice(-7)}`), 200).items[0];
  expectStatus(await app.api.patch(`/api/v1/contacts/${nina.id}`, { notes: 'called her back' }), 200);

  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    await page.goto(`/imports/${done.id}`);
    await page.getByRole('heading', { level: 1, name: 'undo-conflict.csv' }).waitFor();
    const summary = page.getByRole('region', { name: 'Import summary' });
    await expectStat(summary, 'Imported', 1);
    await expectStat(summary, 'Updated', 1);
    await page.getByRole('button', { name: 'Undo import…' }).click();
    const dlg = page.getByRole('dialog', { name: 'Undo this import?' });
    await expectText(dlg, 'the 1 it updated get their previous values back');
    await dlg.getByRole('button', { name: 'Undo import' }).click();
    const undone = page.getByRole('region', { name: 'Undo result' });
    await expectText(undone, '1 updated contact restored to their previous values');
    await expectText(undone, '1 contact was edited after the import and kept as they are');
    await expectText(undone.getByRole('listitem'), `Contact #${nina.id}`);
  });
  assert.equal(expectStatus(await app.api.get(`/api/v1/contacts/${existing.id}`), 200).company, 'OldCo', 'the updated contact is restored');
  assert.equal(expectStatus(await app.api.get(`/api/v1/contacts/${nina.id}`), 200).notes, 'called her back', 'the edited contact is kept');
});

test('an admin maps a column to a new custom field and saves the mapping; the next file with those columns gets it', async (t) => {
  const header = 'Client,Tel,Referral';
  const file1 = `${header}\nCora Fields,${newPhone().national},Dr Smith\nCal Fields,${newPhone().national},Web\n`;
  const file2 = `${header}\nDora Fields,${newPhone().national},Radio\n`;
  await withPage(t, app, async (page) => {
    await signIn(page, 'admin@acme.test');
    await page.goto('/imports/new');
    // The templates download with the session cookie.
    const tpl = await page.request.get('/api/v1/imports/template.csv');
    assert.equal(tpl.status(), 200);
    assert.match(await tpl.text(), /phone/i);
    await page.getByLabel('Choose a file').setInputFiles({ name: 'referrals.csv', mimeType: 'text/csv', buffer: Buffer.from(file1) });
    await wizardStep(page, 'Map columns').waitFor();
    await page.getByLabel('Field for column Client', { exact: true }).selectOption('name');
    await page.getByLabel('Field for column Tel', { exact: true }).selectOption('phone');
    await page.getByLabel('Field for column Referral', { exact: true }).selectOption('__new');
    await page.getByLabel('New field label for column Referral').fill('Referred by');
    assert.equal(await page.getByLabel('New field key for column Referral').inputValue(), 'referred_by');
    await page.getByLabel('New field type for column Referral').selectOption({ label: 'Short text' });
    await page.getByLabel('Save this mapping as (optional)').fill('Referral sheet');
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await wizardStep(page, 'Review').waitFor();
    await page.getByRole('status').filter({ hasText: 'Mapping saved as “Referral sheet”' }).first().waitFor();
    const card = page.getByRole('region', { name: 'Review' });
    await expectText(card.getByRole('listitem').filter({ hasText: 'Referred by' }), 'referred_by');
    await startFromReview(page, card);
    await wizardStep(page, 'Summary').waitFor({ timeout: 20000 });
    await expectStat(page.getByRole('region', { name: 'Import summary' }), 'Imported', 2);
    const fields = expectStatus(await app.api.get('/api/v1/fields'), 200).items;
    assert.ok(fields.some((f) => f.key === 'referred_by' && f.label === 'Referred by'), JSON.stringify(fields));
    const cora = expectStatus(await app.api.get('/api/v1/contacts?q=Cora'), 200).items[0];
    assert.equal(cora.custom_fields.referred_by, 'Dr Smith');

    // The next file with the same columns: the saved mapping is the suggestion, and it can be applied by name.
    await page.getByRole('link', { name: 'Import another file' }).click();
    await wizardStep(page, 'Upload').waitFor();
    await page.getByLabel('Choose a file').setInputFiles({ name: 'referrals-2.csv', mimeType: 'text/csv', buffer: Buffer.from(file2) });
    await wizardStep(page, 'Map columns').waitFor();
    const tel = page.getByLabel('Field for column Tel', { exact: true });
    assert.equal(await tel.inputValue(), 'phone');
    await expectText(page.getByRole('row', { name: /Tel/ }), 'Suggested from the saved mapping “Referral sheet”');
    await tel.selectOption('ignore');
    await page.getByLabel('Saved mappings').selectOption({ label: 'Referral sheet' });
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await eventually(async () => (await tel.inputValue()) === 'phone');
    assert.equal(await page.getByLabel('Field for column Client', { exact: true }).inputValue(), 'name');
  });
});

// The saved mapping should also remember a column that became a new custom field (as cf.KEY).
test('a saved mapping remembers a column mapped to a new custom field', async (t) => {
  const header = 'Patient,Mobile Number,Insurer';
  await withPage(t, app, async (page) => {
    await signIn(page, 'admin@acme.test');
    await page.goto('/imports/new');
    await page.getByLabel('Choose a file').setInputFiles({ name: 'ins-1.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nIna One,${newPhone().national},Acme Health\n`) });
    await wizardStep(page, 'Map columns').waitFor();
    await page.getByLabel('Field for column Insurer', { exact: true }).selectOption('__new');
    // A label and key unlike the header, so only the saved mapping can suggest the field.
    await page.getByLabel('New field label for column Insurer').fill('Health plan');
    await page.getByLabel('Save this mapping as (optional)').fill('Insurer sheet');
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await wizardStep(page, 'Review').waitFor();
    await startFromReview(page);
    await wizardStep(page, 'Summary').waitFor({ timeout: 20000 });
    await page.getByRole('link', { name: 'Import another file' }).click();
    await page.getByLabel('Choose a file').setInputFiles({ name: 'ins-2.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nIna Two,${newPhone().national},Other Health\n`) });
    await wizardStep(page, 'Map columns').waitFor();
    assert.equal(await page.getByLabel('Field for column Insurer', { exact: true }).inputValue(), 'cf.health_plan');
  });
});

test('when the live progress stream fails, the wizard polls the import and still reaches the summary', async (t) => {
  await withPage(t, app, async (page) => {
    let streams = 0;
    const polls = [];
    await page.route('**/api/v1/imports/*/events', (route) => { streams += 1; return route.abort(); });
    page.on('request', (r) => { if (/\/api\/v1\/imports\/\d+$/.test(new URL(r.url()).pathname) && r.method() === 'GET') polls.push(r.url()); });
    await signIn(page, MANAGER);
    await page.goto('/imports/new');
    const csv = `Name,Phone\nPoll One,${newPhone().national}\nPoll Two,${newPhone().national}\n`;
    await page.getByLabel('Choose a file').setInputFiles({ name: 'polling.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await wizardStep(page, 'Review').waitFor();
    await startFromReview(page);
    await wizardStep(page, 'Summary').waitFor({ timeout: 20000 });
    await expectStat(page.getByRole('region', { name: 'Import summary' }), 'Imported', 2);
    assert.ok(streams >= 1, 'the event stream was tried first');
    assert.ok(polls.length >= 1, 'then the import was polled');
  });
});

test('an upload the server refuses is explained on the upload step', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    await page.goto('/imports/new');
    await wizardStep(page, 'Upload').waitFor();
    await page.getByLabel('Choose a file').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('Name,Phone\r\n') });
    const upload = page.getByRole('group', { name: 'Upload a file' });
    const alert = upload.getByRole('alert');
    await alert.waitFor();
    assert.ok(((await alert.textContent()) ?? '').trim().length > 10, 'a message that says what is wrong');
    await wizardStep(page, 'Upload').waitFor();
    // A file type Dialbook does not read is refused before it is sent.
    await page.getByLabel('Choose a file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('x') });
    await expectText(upload.getByRole('alert'), 'photo.png');
  });
});

test('a manager is offered imports; an agent sees no Imports link and is refused the pages', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, MANAGER);
    const nav = page.getByRole('complementary', { name: 'Main' });
    await nav.getByRole('link', { name: 'Imports', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Import contacts' }).waitFor();
  });
  await withPage(t, app, async (page) => {
    await signIn(page, AGENT);
    const nav = page.getByRole('complementary', { name: 'Main' });
    await nav.getByRole('link', { name: 'Contacts', exact: true }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Imports', exact: true }).count(), 0, 'no Imports link for an agent');
    assert.equal(await page.getByRole('link', { name: 'Import contacts' }).count(), 0, 'no import button for an agent');
    for (const p of ['/imports', '/imports/new']) {
      await page.goto(p);
      await page.getByRole('alert').filter({ hasText: "You don't have access to this page" }).waitFor();
      assert.equal(await page.getByLabel('Choose a file').count(), 0);
    }
  });
  // The server agrees: an agent's token cannot list imports.
  const res = await fetch(`${app.base}/api/v1/imports`, { headers: { authorization: `Bearer ${app.tokens[AGENT]}` } });
  assert.equal(res.status, 403, `GET /api/v1/imports as an agent -> ${res.status}`);
});
