// Journeys: the contacts list — search as you type, sortable columns, a filter panel with
// every filter, presets (save, apply, rename, delete), selection and bulk actions with a
// confirmation that says how many contacts will change, "select all matching".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, withPage, signIn, createContact, newPhone, expectStatus, contactRow, contactRows, rowNames, countLine,
  expectRowNames, expectText, expectCount, expectAttr, expectToast, eventually,
} from './lib.mjs';

const app = useApp();
const ADMIN = 'admin@acme.test';

async function search(page, text) {
  const box = page.getByRole('searchbox', { name: 'Search contacts' });
  await box.fill('');
  await box.pressSequentially(text, { delay: 40 });
}

async function openFilters(page) {
  const b = page.getByRole('button', { name: /^Filters/ });
  if ((await b.getAttribute('aria-expanded')) !== 'true') await b.click();
  const panel = page.getByRole('region', { name: 'Filters' });
  await panel.waitFor();
  return panel;
}

test('search answers as you type: rows and the count follow each keystroke', async (t) => {
  await createContact(app.api, { first_name: 'Maria', last_name: 'Quintero', company: 'Searchco' });
  await createContact(app.api, { first_name: 'Mario', last_name: 'Quist', company: 'Searchco' });
  const bob = await createContact(app.api, { first_name: 'Bob', last_name: 'Quayle', company: 'Searchco' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await contactRow(page, 'Bob Quayle').waitFor();

    const box = page.getByRole('searchbox', { name: 'Search contacts' });
    await box.pressSequentially('searchco', { delay: 30 });
    await expectText(countLine(page), '3 contacts match');

    await box.fill('');
    await box.pressSequentially('qui', { delay: 40 });
    await expectRowNames(page, ['Mario Quist', 'Maria Quintero']);
    await expectText(countLine(page), '2 contacts match');
    // One more letter, no Enter: the list narrows by itself.
    await box.press('n');
    await expectRowNames(page, ['Maria Quintero']);
    await expectText(countLine(page), '1 contact match');

    // Any part of the phone digits.
    await search(page, bob.phone.slice(-7));
    await expectRowNames(page, ['Bob Quayle']);

    // Nothing matches: an empty state says so.
    await search(page, 'zzqqxx');
    await page.getByRole('heading', { name: 'No contacts match' }).waitFor();
    await expectCount(contactRows(page), 0);

    // Clearing the box brings everyone back.
    await box.fill('');
    await contactRow(page, 'Bob Quayle').waitFor();
    await contactRow(page, 'Maria Quintero').waitFor();
  });
});

test('clicking a column header sorts the list and sets aria-sort', async (t) => {
  for (const first of ['Charlie', 'Alice', 'Bob']) {
    await createContact(app.api, { first_name: first, last_name: 'Sorter', company: 'Sortco' });
  }
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await search(page, 'sortco');
    const newest = ['Bob Sorter', 'Alice Sorter', 'Charlie Sorter'];
    await expectRowNames(page, newest);

    const nameHeader = page.getByRole('columnheader').filter({ has: page.getByRole('button', { name: 'Name', exact: true }) });
    const createdHeader = page.getByRole('columnheader').filter({ has: page.getByRole('button', { name: 'Created', exact: true }) });
    await expectAttr(nameHeader, 'aria-sort', 'none');
    await expectAttr(createdHeader, 'aria-sort', 'descending');

    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expectAttr(nameHeader, 'aria-sort', 'ascending');
    await expectAttr(createdHeader, 'aria-sort', 'none');
    await expectRowNames(page, ['Alice Sorter', 'Bob Sorter', 'Charlie Sorter']);
    assert.equal(await page.getByRole('combobox', { name: 'Sort' }).inputValue(), 'name');

    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expectAttr(nameHeader, 'aria-sort', 'descending');
    await expectRowNames(page, ['Charlie Sorter', 'Bob Sorter', 'Alice Sorter']);

    await page.getByRole('button', { name: 'Created', exact: true }).click();
    await expectAttr(createdHeader, 'aria-sort', 'ascending');
    await expectAttr(nameHeader, 'aria-sort', 'none');
    await expectRowNames(page, ['Charlie Sorter', 'Alice Sorter', 'Bob Sorter']);

    // The "Last called" column is sortable too.
    await page.getByRole('button', { name: 'Last called', exact: true }).click();
    const calledHeader = page.getByRole('columnheader').filter({ has: page.getByRole('button', { name: 'Last called', exact: true }) });
    await expectAttr(calledHeader, 'aria-sort', 'ascending');
  });
});

test('the filter panel has every filter; tag + starred narrows the total shown', async (t) => {
  const field = await app.api.post('/api/v1/fields', { key: 'tier', label: 'Tier', type: 'dropdown', options: ['Gold', 'Silver'] });
  expectStatus(field, 201);
  await createContact(app.api, { first_name: 'Fil', last_name: 'One', tags: ['vipfilter'], starred: true, custom_fields: { tier: 'Gold' } });
  await createContact(app.api, { first_name: 'Fil', last_name: 'Two', tags: ['vipfilter'], custom_fields: { tier: 'Silver' } });
  await createContact(app.api, { first_name: 'Fil', last_name: 'Three', starred: true });
  const all = expectStatus(await app.api.get('/api/v1/contacts?limit=1'), 200).total;
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await expectText(countLine(page), `${all} contacts`);
    const panel = await openFilters(page);
    for (const label of ['Tags', 'Match tags', 'Group', 'Department', 'Created from', 'Created before', 'Last called from',
      'Last called before', 'Calls', 'Starred', 'Do not call', 'Consent', 'Source', 'Add a custom field condition']) {
      await panel.getByLabel(label, { exact: true }).waitFor();
    }

    const tagBox = panel.getByRole('combobox', { name: 'Tags', exact: true });
    await tagBox.fill('vipfilter');
    await tagBox.press('Enter');
    await expectText(countLine(page), '2 contacts match');
    await expectRowNames(page, ['Fil Two', 'Fil One']);

    await panel.getByLabel('Starred', { exact: true }).selectOption({ label: 'Starred' });
    await expectText(countLine(page), '1 contact match');
    await expectRowNames(page, ['Fil One']);
    await page.getByRole('button', { name: 'Filters (2)' }).waitFor();

    // Remove the starred filter, add a custom-field condition instead.
    await panel.getByLabel('Starred', { exact: true }).selectOption({ label: 'All' });
    await expectText(countLine(page), '2 contacts match');
    await panel.getByLabel('Add a custom field condition').selectOption({ label: 'Tier' });
    await panel.getByRole('button', { name: 'Add condition' }).click();
    await panel.getByLabel('Condition on Tier').selectOption({ label: 'is' });
    await panel.getByLabel('Value of Tier').selectOption('Silver');
    await expectRowNames(page, ['Fil Two']);
    await expectText(countLine(page), '1 contact match');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectText(countLine(page), `${all} contacts`);
  });
});

test('each filter of the panel narrows the list: group, do-not-call, consent, source, calls, dates, tag mode', async (t) => {
  await createContact(app.api, { first_name: 'Every', last_name: 'Alpha', company: 'Filtall', groups: ['Gold club'],
    do_not_call: true, consent: { status: 'granted', source: 'form' }, tags: ['filtall-x'] });
  await createContact(app.api, { first_name: 'Every', last_name: 'Beta', company: 'Filtall', consent: { status: 'revoked' } });
  await createContact(app.api, { first_name: 'Every', last_name: 'Gamma', company: 'Filtall' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await search(page, 'filtall');
    await expectText(countLine(page), '3 contacts match');
    const panel = await openFilters(page);
    const cases = [
      ['Group', { label: 'Gold club' }, ['Every Alpha'], { label: 'Any group' }],
      ['Do not call', { label: 'On the do-not-call list' }, ['Every Alpha'], { label: 'All' }],
      ['Do not call', { label: 'Callable' }, ['Every Gamma', 'Every Beta'], { label: 'All' }],
      ['Consent', { label: 'Revoked' }, ['Every Beta'], { label: 'Any' }],
      ['Consent', { label: 'Granted' }, ['Every Alpha'], { label: 'Any' }],
      ['Source', { label: 'Added by hand' }, [], { label: 'Any' }],
      ['Source', { label: 'API' }, ['Every Gamma', 'Every Beta', 'Every Alpha'], { label: 'Any' }],
      ['Calls', { label: 'Called at least once' }, [], { label: 'Called or not' }],
    ];
    for (const [label, option, expected, reset] of cases) {
      const control = panel.getByLabel(label, { exact: true });
      await control.selectOption(option);
      await expectRowNames(page, expected, { message: `${label} = ${option.label}` });
      await control.selectOption(reset);
      await expectText(countLine(page), '3 contacts match');
    }
    for (const [label, date, expected] of [['Created from', '2000-01-01', 3], ['Created before', '2000-01-01', 0]]) {
      const input = panel.getByLabel(label, { exact: true });
      await input.fill(date);
      await expectText(countLine(page), `${expected} ${expected === 1 ? 'contact' : 'contacts'} match`);
      await input.fill('');
      await expectText(countLine(page), '3 contacts match');
    }
    // Tag mode "none of them" excludes the tagged contact.
    const tagBox = panel.getByRole('combobox', { name: 'Tags', exact: true });
    await tagBox.fill('filtall-x');
    await tagBox.press('Enter');
    await expectRowNames(page, ['Every Alpha']);
    await panel.getByLabel('Match tags').selectOption({ label: 'none of them' });
    await expectRowNames(page, ['Every Gamma', 'Every Beta']);
  });
});

test('presets: save the current filter, apply it, rename it, delete it', async (t) => {
  await createContact(app.api, { first_name: 'Pre', last_name: 'Setone', tags: ['presettag'] });
  await createContact(app.api, { first_name: 'Pre', last_name: 'Settwo', tags: ['presettag'] });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const panel = await openFilters(page);
    const tagBox = panel.getByRole('combobox', { name: 'Tags', exact: true });
    await tagBox.fill('presettag');
    await tagBox.press('Enter');
    await expectText(countLine(page), '2 contacts match');

    // Save.
    await page.getByRole('button', { name: 'Save / manage presets' }).click();
    const dlg = page.getByRole('dialog', { name: 'Filter presets' });
    await dlg.getByLabel('Save the current filters as').fill('Preset people');
    await dlg.getByRole('button', { name: 'Save preset' }).click();
    await expectToast(page, 'Saved preset “Preset people”');
    await dlg.getByRole('listitem').filter({ hasText: 'Preset people' }).waitFor();
    await dlg.getByRole('button', { name: 'Close' }).click();
    await expectCount(page.getByRole('dialog', { name: 'Filter presets' }), 0);

    // Clear, then apply from the preset menu.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(async () => !/match/.test(await countLine(page).textContent()));
    await page.getByRole('combobox', { name: 'Preset', exact: true }).selectOption({ label: 'Preset people' });
    await expectText(countLine(page), '2 contacts match');
    await expectRowNames(page, ['Pre Settwo', 'Pre Setone']);
    await page.getByRole('region', { name: 'Filters' }).getByText('presettag').waitFor();

    // Apply from the manage dialog works too.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(async () => !/match/.test(await countLine(page).textContent()));
    await page.getByRole('button', { name: 'Save / manage presets' }).click();
    await dlg.getByRole('listitem').filter({ hasText: 'Preset people' }).getByRole('button', { name: 'Apply' }).click();
    await expectText(countLine(page), '2 contacts match');

    // Rename.
    await page.getByRole('button', { name: 'Save / manage presets' }).click();
    await dlg.getByRole('button', { name: 'Rename Preset people' }).click();
    const renameBox = dlg.getByLabel('New name for Preset people');
    await renameBox.fill('Preset folks');
    await dlg.getByRole('button', { name: 'Rename', exact: true }).click();
    await dlg.getByRole('listitem').filter({ hasText: 'Preset folks' }).waitFor();
    await expectCount(dlg.getByRole('listitem').filter({ hasText: 'Preset people' }), 0);
    const presets = expectStatus(await app.api.get('/api/v1/presets'), 200).items;
    assert.deepEqual(presets.map((p) => p.name), ['Preset folks']);

    // Delete.
    await dlg.getByRole('button', { name: 'Delete Preset folks' }).click();
    await expectToast(page, 'Deleted preset “Preset folks”');
    await dlg.getByText('No presets yet.').waitFor();
    await dlg.getByRole('button', { name: 'Close' }).click();
    await expectCount(page.getByRole('combobox', { name: 'Preset', exact: true }).getByRole('option', { name: 'Preset folks' }), 0);
  });
});

test('select two rows, bulk "Add tags": the confirmation says "2 contacts" and the tag appears', async (t) => {
  const a = await createContact(app.api, { first_name: 'Bulk', last_name: 'Alpha', company: 'Bulkco' });
  const b = await createContact(app.api, { first_name: 'Bulk', last_name: 'Beta', company: 'Bulkco' });
  const c = await createContact(app.api, { first_name: 'Bulk', last_name: 'Gamma', company: 'Bulkco' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await search(page, 'bulkco');
    await expectText(countLine(page), '3 contacts match');
    await page.getByRole('checkbox', { name: 'Select Bulk Alpha' }).check();
    await page.getByRole('checkbox', { name: 'Select Bulk Gamma' }).check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await expectText(bar, '2 contacts selected');

    await bar.getByRole('button', { name: 'Add tags' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add tags — 2 contacts' });
    await dlg.waitFor();
    await expectText(dlg, 'This changes 2 contacts');
    const tagBox = dlg.getByRole('combobox', { name: 'Tags', exact: true });
    await tagBox.fill('bulktagged');
    await tagBox.press('Enter');
    await dlg.getByRole('button', { name: 'Add tags (2 contacts)' }).click();
    await expectToast(page, 'Add tags: 2 contacts changed');
    await expectCount(page.getByRole('dialog', { name: 'Add tags — 2 contacts' }), 0);

    // The chip shows in the two rows, not in the third.
    await contactRow(page, 'Bulk Alpha').getByText('bulktagged').waitFor();
    await contactRow(page, 'Bulk Gamma').getByText('bulktagged').waitFor();
    await expectCount(contactRow(page, 'Bulk Beta').getByText('bulktagged'), 0);
    // The selection is cleared after the action.
    await expectCount(page.getByRole('region', { name: 'Bulk actions' }), 0);
  });
  for (const [x, tagged] of [[a, true], [b, false], [c, true]]) {
    const got = expectStatus(await app.api.get(`/api/v1/contacts/${x.id}`), 200);
    assert.equal(got.tags.includes('bulktagged'), tagged, `${got.last_name} tags ${JSON.stringify(got.tags)}`);
  }
});

test('"Select all N matching" acts on every contact matching the search, not only the loaded page', async (t) => {
  const N = 130;
  const contacts = Array.from({ length: N }, (_, i) => ({
    phone: newPhone().e164, first_name: 'Many', last_name: `Person${String(i).padStart(3, '0')}`, company: 'Massco',
  }));
  const res = expectStatus(await app.api.post('/api/v1/contacts/bulk', { contacts }), 200);
  assert.equal(res.created, N, JSON.stringify(res.errors?.slice(0, 3)));
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await search(page, 'massco');
    await expectText(countLine(page), `${N} contacts match`);
    await page.getByRole('checkbox', { name: 'Select all loaded contacts' }).check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await expectText(bar, '100 contacts selected');
    await bar.getByRole('button', { name: `Select all ${N} matching` }).click();
    await expectText(bar, `${N} contacts selected`);

    await bar.getByRole('button', { name: 'Star', exact: true }).click();
    const dlg = page.getByRole('dialog', { name: `Star — ${N} contacts` });
    await dlg.waitFor();
    await expectText(dlg, `This changes ${N} contacts — every contact matching the current search and filters`);
    await dlg.getByRole('button', { name: `Star (${N} contacts)` }).click();
    await expectToast(page, `Star: ${N} contacts changed`);
  });
  const starred = expectStatus(await app.api.get('/api/v1/contacts?q=massco&starred=true&limit=1'), 200);
  assert.equal(starred.total, N);
  const others = expectStatus(await app.api.get('/api/v1/contacts?starred=true&limit=500'), 200);
  assert.ok(others.items.every((c) => c.company === 'Massco' || c.last_name === 'One' || c.last_name === 'Three'),
    'only the matching contacts were starred');
});

test('the bulk confirmation button names the action and the count even before a tag is typed', async (t) => {
  // Until a tag is given the button is (rightly) disabled, but it must not claim "Working…"
  // while nothing runs: a user reads that as a hang.
  await createContact(app.api, { first_name: 'Idle', last_name: 'Confirm', company: 'Idleco' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await search(page, 'idleco');
    await page.getByRole('checkbox', { name: 'Select Idle Confirm' }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Add tags' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add tags — 1 contact' });
    await dlg.waitFor();
    await expectText(dlg, 'This changes 1 contact');
    const confirm = dlg.getByRole('button', { name: 'Add tags (1 contact)' });
    await confirm.waitFor({ timeout: 2000 });
    assert.equal(await confirm.isDisabled(), true, 'the confirm button waits for a tag');
  });
});

test('after a bulk action, opening a contact shows its new state', async (t) => {
  await createContact(app.api, { first_name: 'Fresh', last_name: 'After', company: 'Freshco' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await search(page, 'freshco');
    // The user looks at the contact, closes it, then tags it in bulk.
    await contactRow(page, 'Fresh After').click();
    await page.getByRole('dialog', { name: 'Fresh After' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('checkbox', { name: 'Select Fresh After' }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Add tags' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add tags — 1 contact' });
    const tagBox = dlg.getByRole('combobox', { name: 'Tags', exact: true });
    await tagBox.fill('freshtag');
    await tagBox.press('Enter');
    await dlg.getByRole('button', { name: 'Add tags (1 contact)' }).click();
    await expectToast(page, 'Add tags: 1 contact changed');
    await contactRow(page, 'Fresh After').getByText('freshtag').waitFor();

    await contactRow(page, 'Fresh After').click();
    const d = page.getByRole('dialog', { name: 'Fresh After' });
    await d.getByRole('tabpanel', { name: 'Details' }).getByText('freshtag', { exact: true }).waitFor();
  });
});
