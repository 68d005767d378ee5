// Journeys: tag settings (create with description and colour, rename, merge, delete, counts),
// custom fields admin (types, options, required, visibility, order, archive, delete with
// confirmation), members and roles, API tokens (shown once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, withPage, signIn, createContact, expectStatus, client, goTo,
  expectText, expectCount, expectToast, eventually, PASSWORD, contactRow, drawer,
} from './lib.mjs';

const app = useApp();
const ADMIN = 'admin@acme.test';

// A row of a settings table, found by the exact text of one of its cells.
function rowWith(page, cellText) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: cellText, exact: true }) });
}

async function cellTexts(row) {
  return (await row.getByRole('cell').allTextContents()).map((s) => s.trim());
}

test('tags: create with description and colour, rename, merge, delete; counts are shown', async (t) => {
  for (let i = 0; i < 2; i++) await createContact(app.api, { first_name: 'Tagged', last_name: `Lead${i}`, tags: ['lead'] });
  await createContact(app.api, { first_name: 'Tagged', last_name: 'Prospect', tags: ['prospect'] });
  const both = await createContact(app.api, { first_name: 'Tagged', last_name: 'Both', tags: ['lead', 'prospect'] });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Tags');
    await eventually(async () => assert.deepEqual((await cellTexts(rowWith(page, 'lead'))).slice(0, 3), ['lead', '—', '3']) || true);
    assert.deepEqual((await cellTexts(rowWith(page, 'prospect'))).slice(0, 3), ['prospect', '—', '2']);

    // Create.
    await page.getByRole('button', { name: '+ New tag' }).click();
    let dlg = page.getByRole('dialog', { name: 'New tag' });
    await dlg.getByLabel('Label').fill('Hot');
    await dlg.getByLabel('Description').fill('Call within a day');
    await dlg.getByRole('button', { name: 'Colour #db4437' }).click();
    assert.equal(await dlg.getByRole('button', { name: 'Colour #db4437' }).getAttribute('aria-pressed'), 'true');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expectToast(page, 'Tag created');
    await eventually(async () => assert.deepEqual((await cellTexts(rowWith(page, 'Hot'))).slice(0, 3), ['Hot', 'Call within a day', '0']) || true);
    const hot = expectStatus(await app.api.get('/api/v1/tags'), 200).items.find((x) => x.label === 'Hot');
    assert.equal(hot.color, '#db4437');
    assert.equal(hot.description, 'Call within a day');

    // Rename: contacts follow.
    await page.getByRole('button', { name: 'Edit lead' }).click();
    dlg = page.getByRole('dialog', { name: 'Edit tag' });
    await dlg.getByLabel('Label').fill('leads');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expectToast(page, 'Tag saved');
    await rowWith(page, 'leads').waitFor();
    await expectCount(rowWith(page, 'lead'), 0);
    assert.ok(expectStatus(await app.api.get(`/api/v1/contacts/${both.id}`), 200).tags.includes('leads'));

    // Merge "prospect" into "leads": 4 contacts carry "leads" now (one had both).
    await page.getByRole('button', { name: 'Merge prospect' }).click();
    dlg = page.getByRole('dialog', { name: 'Merge “prospect” into…' });
    await expectText(dlg, 'Every contact tagged “prospect” (2) gets the chosen tag');
    await dlg.getByLabel('Merge into').selectOption({ label: 'leads' });
    await dlg.getByRole('button', { name: 'Merge', exact: true }).click();
    await expectToast(page, 'Tags merged');
    await expectCount(rowWith(page, 'prospect'), 0);
    await eventually(async () => assert.equal((await cellTexts(rowWith(page, 'leads')))[2], '4') || true);

    // Delete, after a confirmation that says how many contacts lose it.
    await page.getByRole('button', { name: 'Delete leads' }).click();
    dlg = page.getByRole('dialog', { name: 'Delete the tag “leads”?' });
    await expectText(dlg, 'It is removed from 4 contacts');
    await dlg.getByRole('button', { name: 'Delete tag' }).click();
    await expectToast(page, 'Tag deleted');
    await expectCount(rowWith(page, 'leads'), 0);
  });
  const got = expectStatus(await app.api.get(`/api/v1/contacts/${both.id}`), 200);
  assert.deepEqual(got.tags, []);
});

test('custom fields: create a dropdown with options, required and visibility; reorder; archive; delete with confirmation', async (t) => {
  expectStatus(await app.api.post('/api/v1/fields', { key: 'age', label: 'Age', type: 'integer' }), 201);
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Custom fields');
    await rowWith(page, 'Age').waitFor();

    await page.getByRole('button', { name: '+ New field' }).click();
    const dlg = page.getByRole('dialog', { name: 'New custom field' });
    await dlg.getByLabel('Label').fill('Insurance plan');
    assert.equal(await dlg.getByLabel('Key (used by the API and imports)').inputValue(), 'insurance_plan');
    await dlg.getByLabel('Type').selectOption({ label: 'Dropdown' });
    await dlg.getByLabel('Options (one per line)').fill('Gold\nSilver\nBronze');
    await dlg.getByLabel('Visible to').selectOption({ label: 'Managers and admins' });
    await dlg.getByLabel('Required on every new contact').check();
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expectToast(page, 'Field created');
    const row = rowWith(page, 'insurance_plan');  // the key cell never changes
    await eventually(async () => assert.deepEqual((await cellTexts(row)).slice(1, 6),
      ['Insurance plan', 'insurance_plan', 'Dropdown (Gold, Silver, Bronze)', 'Yes', 'Managers and admins']) || true);
    const def = expectStatus(await app.api.get('/api/v1/fields'), 200).items.find((f) => f.key === 'insurance_plan');
    assert.deepEqual(def.options, ['Gold', 'Silver', 'Bronze']);
    assert.equal(def.required, true);
    assert.equal(def.visibility, 'manager');

    // Required is enforced in the add dialog, next to the field.
    await goTo(page, 'Contacts');
    await page.getByRole('button', { name: '+ Add contact' }).click();
    const add = page.getByRole('dialog', { name: 'Add contact' });
    await add.getByLabel('Phone').fill('(212) 736-4411');
    await add.getByLabel('Insurance plan (required)').waitFor();
    await add.getByRole('button', { name: 'Add contact', exact: true }).click();
    await add.getByRole('alert').waitFor();
    await add.getByLabel('Insurance plan (required)').selectOption('Silver');
    await add.getByRole('button', { name: 'Add contact', exact: true }).click();
    await expectToast(page, 'Added');
    await drawer(page, '+1 212-736-4411').getByText('Silver', { exact: true }).waitFor();
    await drawer(page, '+1 212-736-4411').getByRole('button', { name: 'Close' }).click();

    // Order: move the new field above "Age".
    await goTo(page, 'Custom fields');
    const labels = async () => (await page.getByRole('row').all()).length
      && (await Promise.all((await page.getByRole('row').all()).slice(1).map(async (r) => (await cellTexts(r))[1])));
    await eventually(async () => assert.deepEqual(await labels(), ['Age', 'Insurance plan']) || true);
    await page.getByRole('button', { name: 'Move Insurance plan up' }).click();
    await eventually(async () => assert.deepEqual(await labels(), ['Insurance plan', 'Age']) || true);
    assert.equal(await page.getByRole('button', { name: 'Move Insurance plan up' }).isDisabled(), true);

    // Archive (data kept), then unarchive.
    await page.getByRole('button', { name: 'Archive Insurance plan' }).click();
    await expectToast(page, 'Field archived (data kept)');
    await row.getByText('archived', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Unarchive Insurance plan' }).waitFor();
    assert.equal(expectStatus(await app.api.get('/api/v1/fields?include_archived=true'), 200)
      .items.find((f) => f.key === 'insurance_plan').archived, true);
    await page.getByRole('button', { name: 'Unarchive Insurance plan' }).click();
    await page.getByRole('button', { name: 'Archive Insurance plan' }).waitFor();
    await expectCount(row.getByText('archived', { exact: true }), 0);

    // Delete: the confirmation says how many contacts have a value; Cancel keeps the field.
    await page.getByRole('button', { name: 'Delete Insurance plan' }).click();
    let confirm = page.getByRole('dialog', { name: 'Delete the field “Insurance plan”?' });
    await expectText(confirm, /Its value on 1 contacts? is erased/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expectCount(confirm, 0);
    await rowWith(page, 'insurance_plan').waitFor();
    await page.getByRole('button', { name: 'Delete Insurance plan' }).click();
    confirm = page.getByRole('dialog', { name: 'Delete the field “Insurance plan”?' });
    await confirm.getByRole('button', { name: 'Delete field and its data' }).click();
    await expectToast(page, 'Field deleted');
    await expectCount(rowWith(page, 'insurance_plan'), 0);
  });
  const keys = expectStatus(await app.api.get('/api/v1/fields?include_archived=true'), 200).items.map((f) => f.key);
  assert.deepEqual(keys, ['age']);
});

test('custom fields: every type can be created', async (t) => {
  const types = [['Short text', 'text'], ['Long text', 'long_text'], ['Whole number', 'integer'], ['Decimal number', 'decimal'],
    ['Date', 'date'], ['Checkbox', 'checkbox']];
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Custom fields');
    for (const [label] of types) {
      await page.getByRole('button', { name: '+ New field' }).click();
      const dlg = page.getByRole('dialog', { name: 'New custom field' });
      await dlg.getByLabel('Label').fill(`T ${label}`);
      await dlg.getByLabel('Type').selectOption({ label });
      await dlg.getByRole('button', { name: 'Save' }).click();
      await expectCount(dlg, 0);
      await rowWith(page, `T ${label}`).waitFor();
    }
  });
  const got = expectStatus(await app.api.get('/api/v1/fields'), 200).items;
  for (const [label, type] of types) assert.equal(got.find((f) => f.label === `T ${label}`)?.type, type, label);
  // Leave the other tests a clean slate.
  for (const f of got) if (f.label.startsWith('T ')) expectStatus(await app.api.del(`/api/v1/fields/${f.key}?confirm=true`), 204);
});

test('members: add a member, who can then sign in; change a role; remove a member', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Members & roles');
    await rowWith(page, 'admin@acme.test').or(page.getByRole('cell').filter({ hasText: 'admin@acme.test' })).first().waitFor();

    await page.getByRole('button', { name: '+ Add member' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add member' });
    await dlg.getByLabel('Email').fill('newbie@acme.test');
    await dlg.getByLabel('Name').fill('New Bie');
    await dlg.getByLabel(/^Password/).fill('newbie password 1');
    await dlg.getByLabel('Role').selectOption({ label: 'Manager' });
    await dlg.getByRole('button', { name: 'Add member', exact: true }).click();
    await expectToast(page, 'Added newbie@acme.test');
    const role = page.getByRole('combobox', { name: 'Role of newbie@acme.test' });
    await role.waitFor();
    assert.equal(await role.inputValue(), 'manager');

    await role.selectOption({ label: 'Agent' });
    await expectToast(page, 'Updated newbie@acme.test');
    await eventually(async () => {
      const m = expectStatus(await app.api.get('/api/v1/members'), 200).items.find((x) => x.user.email === 'newbie@acme.test');
      assert.equal(m.role, 'agent');
      return true;
    });

    // The new member signs in (separate browser context) and is an agent.
    const other = await page.context().browser().newContext({ baseURL: app.base });
    try {
      const p2 = await other.newPage();
      await signIn(p2, 'newbie@acme.test', 'newbie password 1');
      await p2.getByText('agent', { exact: true }).waitFor();
      assert.equal(await p2.getByRole('link', { name: 'Members & roles' }).count(), 0);
    } finally {
      await other.close();
    }

    // The last admin cannot be demoted: the refusal is shown, the role stays.
    const mine = page.getByRole('combobox', { name: 'Role of admin@acme.test' });
    await mine.selectOption({ label: 'Agent' });
    await page.getByRole('status').filter({ hasText: 'the last admin' }).first().waitFor();
    await eventually(async () => assert.equal(await mine.inputValue(), 'admin') || true);
    const me = expectStatus(await app.api.get('/api/v1/members'), 200).items.find((x) => x.user.email === ADMIN);
    assert.equal(me.role, 'admin');

    await page.getByRole('button', { name: 'Remove newbie@acme.test' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove newbie@acme.test?' });
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    await expectToast(page, 'Removed newbie@acme.test');
    await expectCount(page.getByRole('combobox', { name: 'Role of newbie@acme.test' }), 0);
  });
});

test('API tokens: a new token is shown once, works against the API, and stops working when revoked', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'API tokens');
    await page.getByLabel('Token name').fill('Dialer sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    const dlg = page.getByRole('dialog', { name: 'Your new API token' });
    await expectText(dlg, 'it is shown only this once');
    const token = await dlg.getByLabel('Token').inputValue();
    assert.ok(token.length >= 16, `token ${JSON.stringify(token)}`);

    const res = await client(app.base, token).get('/api/v1/me');
    expectStatus(res, 200);
    assert.equal(res.json.user.email, ADMIN);

    await dlg.getByRole('button', { name: 'I have copied it' }).click();
    await expectCount(dlg, 0);
    const row = rowWith(page, 'Dialer sync');
    await row.waitFor();
    // Shown once: the secret is nowhere on the page any more, and not in the list API.
    assert.equal(await page.getByText(token).count(), 0);
    assert.ok(!(await page.content()).includes(token), 'the token is not in the page');
    assert.ok(!JSON.stringify(expectStatus(await app.api.get('/api/v1/tokens'), 200)).includes(token));

    await page.getByRole('button', { name: 'Revoke Dialer sync' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “Dialer sync”?' });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await expectToast(page, 'Token revoked');
    await expectCount(rowWith(page, 'Dialer sync'), 0);
    assert.equal((await client(app.base, token).get('/api/v1/me')).status, 401);
  });
});
