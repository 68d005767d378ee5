// Journeys: add a contact (invalid phone explained inline; a phone that already exists
// offers to open or update the existing contact), the contact drawer (all fields, formatted
// phone with type and location, tags, custom fields, consent and do-not-call, history),
// edit (stale edits explained, not lost), star, delete, trash with restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, withPage, signIn, createContact, newPhone, expectStatus, contactRow, contactRows, countLine, drawer, goTo,
  expectText, expectCount, expectAttr, expectToast, expectGone, eventually,
} from './lib.mjs';

const app = useApp({
  seed: async ({ api }) => {
    expectStatus(await api.post('/api/v1/fields', { key: 'plan', label: 'Plan', type: 'dropdown', options: ['Basic', 'Pro'] }), 201);
    expectStatus(await api.post('/api/v1/fields', { key: 'score', label: 'Lead score', type: 'integer' }), 201);
  },
});
const ADMIN = 'admin@acme.test';

async function openAdd(page) {
  await page.getByRole('button', { name: '+ Add contact' }).click();
  const dlg = page.getByRole('dialog', { name: 'Add contact' });
  await dlg.waitFor();
  return dlg;
}

async function openContact(page, name) {
  await contactRow(page, name).click();
  const d = drawer(page, name);
  await d.waitFor();
  return d;
}

test('add a contact through the dialog; it opens in the drawer and shows in the list', async (t) => {
  const phone = newPhone();
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const dlg = await openAdd(page);
    await dlg.getByLabel('First name').fill('Nadia');
    await dlg.getByLabel('Last name').fill('Added');
    await dlg.getByLabel('Phone').fill(phone.national);
    await dlg.getByLabel('Email').fill('nadia@example.com');
    await dlg.getByLabel('Company').fill('Addco');
    const tags = dlg.getByRole('combobox', { name: 'Tags', exact: true });
    await tags.fill('newbie');
    await tags.press('Enter');
    await dlg.getByLabel('Plan').selectOption('Pro');
    await dlg.getByLabel('Consent to be contacted').selectOption({ label: 'Granted' });
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    await expectToast(page, 'Added Nadia Added');
    await expectCount(page.getByRole('dialog', { name: 'Add contact' }), 0);
    const d = drawer(page, 'Nadia Added');
    await d.waitFor();
    await d.getByText(phone.e164.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1-$2-$3')).waitFor();
    await d.getByText('Addco').first().waitFor();
    await d.getByText('newbie').waitFor();
    await d.getByText('Consent: granted').waitFor();
    await d.getByRole('button', { name: 'Close' }).click();
    await contactRow(page, 'Nadia Added').waitFor();
  });
  const list = expectStatus(await app.api.get('/api/v1/contacts?q=addco'), 200);
  assert.equal(list.total, 1);
  assert.equal(list.items[0].phone, phone.e164);
  assert.equal(list.items[0].custom_fields.plan, 'Pro');
  assert.deepEqual(list.items[0].tags, ['newbie']);
});

test('an invalid phone is explained next to the Phone field', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const dlg = await openAdd(page);
    await dlg.getByLabel('First name').fill('Bad');
    const phone = dlg.getByLabel('Phone');
    await phone.fill('12345');
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    await expectAttr(phone, 'aria-invalid', 'true');
    const alert = dlg.getByRole('alert');
    await expectText(alert, /too short/i);
    // The message is tied to the field (aria-describedby), not a generic banner.
    const described = await phone.evaluate((el) => {
      const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      return ids.map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' ');
    });
    assert.match(described, /too short/i);
    // Nothing was created; the dialog stays open with what was typed.
    assert.equal(await dlg.getByLabel('First name').inputValue(), 'Bad');
    assert.equal(expectStatus(await app.api.get('/api/v1/contacts?q=Bad'), 200).total, 0);

    // Fixing it clears the error.
    await phone.fill(newPhone().national);
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    await expectToast(page, 'Added Bad');
  });
});

test('a phone that already exists offers to open the existing contact instead', async (t) => {
  const existing = await createContact(app.api, { first_name: 'Olga', last_name: 'Original' });
  const national = existing.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const dlg = await openAdd(page);
    await dlg.getByLabel('First name').fill('Someone');
    await dlg.getByLabel('Phone').fill(national);
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    const banner = dlg.getByRole('alert').filter({ hasText: 'already belongs to' });
    await expectText(banner, `${existing.phone_formatted} already belongs to Olga Original`);
    await banner.getByRole('button', { name: 'Update it with these details' }).waitFor();
    await banner.getByRole('button', { name: 'Open the existing contact' }).click();
    await expectCount(page.getByRole('dialog', { name: 'Add contact' }), 0);
    const d = drawer(page, 'Olga Original');
    await d.waitFor();
    await d.getByText(existing.phone_formatted, { exact: true }).waitFor();
  });
  // Nothing new was created.
  assert.equal(expectStatus(await app.api.get(`/api/v1/contacts?q=${existing.phone.slice(-7)}`), 200).total, 1);
});

test('a phone that already exists: "Update it with these details" updates it, and the drawer and list show the update', async (t) => {
  const existing = await createContact(app.api, { first_name: 'Uma', last_name: 'Update', tags: ['first'] });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    // The user looks at the contact first, then adds the same number with more details.
    let d = await openContact(page, 'Uma Update');
    await d.getByRole('button', { name: 'Close' }).click();
    const dlg = await openAdd(page);
    await dlg.getByLabel('Phone').fill(existing.phone);
    await dlg.getByLabel('Company').fill('Updatedco');
    const tags = dlg.getByRole('combobox', { name: 'Tags', exact: true });
    await tags.fill('second');
    await tags.press('Enter');
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    await dlg.getByRole('button', { name: 'Update it with these details' }).click();
    await expectToast(page, 'Updated Uma Update');
    const got = expectStatus(await app.api.get(`/api/v1/contacts/${existing.id}`), 200);
    assert.equal(got.company, 'Updatedco');
    assert.deepEqual([...got.tags].sort(), ['first', 'second']);

    d = drawer(page, 'Uma Update');
    await d.waitFor();
    await d.getByRole('tabpanel', { name: 'Details' }).getByText('Updatedco', { exact: true }).waitFor();
    await d.getByRole('tabpanel', { name: 'Details' }).getByText('second', { exact: true }).waitFor();
    await d.getByRole('button', { name: 'Close' }).click();
    await contactRow(page, 'Uma Update').getByText('Updatedco').waitFor();
  });
});

test('the drawer shows every field: formatted phone with type and location, tags, custom fields, consent, do-not-call', async (t) => {
  const work = newPhone();
  const c = await createContact(app.api, {
    first_name: 'Dora', last_name: 'Drawer', phone: '+447911123456', email: 'dora@example.com', company: 'Drawerco',
    street: '1 High St', city: 'London', zip: 'N1 1AA', country: 'GB', notes: 'Prefers mornings',
    tags: ['alpha', 'beta'], groups: ['Newsletter'], custom_fields: { plan: 'Basic', score: 42 },
    consent: { status: 'granted', source: 'web form' }, do_not_call: true, phones: [{ label: 'Work', number: work.e164 }],
  });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const d = await openContact(page, 'Dora Drawer');
    const details = d.getByRole('tabpanel', { name: 'Details' });
    await details.getByText(c.phone_formatted, { exact: true }).waitFor();  // "+44 7911 123456"
    assert.equal(c.phone_formatted, '+44 7911 123456');
    assert.equal(c.phone_type, 'mobile');
    await details.getByText(`Mobile · ${c.phone_location}`).waitFor();
    await details.getByText('Do not call', { exact: true }).waitFor();
    await details.getByText('Consent: granted (web form)').waitFor();
    for (const text of ['dora@example.com', 'Drawerco', '1 High St, N1 1AA London, GB', 'alpha', 'beta', 'Newsletter',
      'Prefers mornings', 'Never called']) {
      await details.getByText(text, { exact: true }).first().waitFor();
    }
    // Custom fields with their labels.
    for (const [label, value] of [['Plan', 'Basic'], ['Lead score', '42']]) {
      await details.getByRole('term').filter({ hasText: label }).waitFor();
      await details.getByRole('definition').filter({ hasText: new RegExp(`^${value}$`) }).waitFor();
    }
    // The additional phone, formatted, with its label.
    await details.getByRole('term').filter({ hasText: 'Work' }).waitFor();
    await details.getByText(work.e164.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1-$2-$3')).waitFor();

    // Escape closes the drawer.
    await page.keyboard.press('Escape');
    await expectCount(drawer(page, 'Dora Drawer'), 0);
  });
});

test('edit and save; star; mark do-not-call; history lists the changes', async (t) => {
  const c = await createContact(app.api, { first_name: 'Eddie', last_name: 'Edit', company: 'Before Inc' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const d = await openContact(page, 'Eddie Edit');
    await d.getByRole('button', { name: 'Edit' }).click();
    await d.getByLabel('Company').fill('After Inc');
    await d.getByLabel('Notes').fill('Called back on Tuesday');
    await d.getByLabel('Plan').selectOption('Pro');
    await d.getByRole('button', { name: 'Save changes' }).click();
    await expectToast(page, 'Saved');
    const details = d.getByRole('tabpanel', { name: 'Details' });
    await details.getByText('After Inc', { exact: true }).waitFor();
    await details.getByText('Called back on Tuesday').waitFor();

    // Star from the drawer; the row shows it.
    const star = d.getByRole('button', { name: 'Star', exact: true });
    await expectAttr(star, 'aria-pressed', 'false');
    await star.click();
    await expectToast(page, 'Starred');
    await expectAttr(d.getByRole('button', { name: 'Unstar' }), 'aria-pressed', 'true');

    await d.getByRole('button', { name: 'Mark do-not-call' }).click();
    await expectToast(page, 'Marked do-not-call');
    await details.getByText('Do not call', { exact: true }).waitFor();
    await d.getByRole('button', { name: 'Allow calls' }).waitFor();

    await d.getByRole('tab', { name: 'History' }).click();
    await expectAttr(d.getByRole('tab', { name: 'History' }), 'aria-selected', 'true');
    const history = d.getByRole('tabpanel', { name: 'History' });
    const entries = history.getByRole('listitem').filter({ has: page.getByRole('strong') });
    await history.getByText('created').waitFor();
    await expectText(history, 'Before Inc');
    await expectText(history, 'After Inc');
    await expectText(history, 'admin@acme.test');
    await eventually(async () => (await history.getByText(/^(updated|starred)$/).count()) >= 1);
    await d.getByRole('button', { name: 'Close' }).click();
    await contactRow(page, 'Eddie Edit').getByLabel('Starred').waitFor();
  });
  const got = expectStatus(await app.api.get(`/api/v1/contacts/${c.id}`), 200);
  assert.equal(got.company, 'After Inc');
  assert.equal(got.notes, 'Called back on Tuesday');
  assert.equal(got.custom_fields.plan, 'Pro');
  assert.equal(got.starred, true);
  assert.equal(got.do_not_call, true);
});

test('a stale edit is explained, not lost: "Apply my changes on top" keeps both changes', async (t) => {
  const c = await createContact(app.api, { first_name: 'Stella', last_name: 'Stale', company: 'Old Co' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const d = await openContact(page, 'Stella Stale');
    await d.getByRole('button', { name: 'Edit' }).click();
    await d.getByLabel('Company').fill('Mine Co');
    // Meanwhile someone else changes the contact through the API.
    expectStatus(await app.api.patch(`/api/v1/contacts/${c.id}`, { city: 'Theirtown' }), 200);
    await d.getByRole('button', { name: 'Save changes' }).click();
    const banner = d.getByRole('alert').filter({ hasText: 'Someone else changed this contact' });
    await banner.waitFor();
    await expectText(banner, 'Your edits are kept');
    assert.equal(await d.getByLabel('Company').inputValue(), 'Mine Co', 'the edit is still in the form');
    await banner.getByRole('button', { name: 'Apply my changes on top' }).click();
    await expectToast(page, 'Saved');
    const details = d.getByRole('tabpanel', { name: 'Details' });
    await details.getByText('Mine Co', { exact: true }).waitFor();
    await details.getByText('Theirtown').waitFor();
  });
  const got = expectStatus(await app.api.get(`/api/v1/contacts/${c.id}`), 200);
  assert.equal(got.company, 'Mine Co');
  assert.equal(got.city, 'Theirtown');
});

test('delete from the drawer: the contact leaves the list and shows in the Trash as trashed', async (t) => {
  const c = await createContact(app.api, { first_name: 'Trudy', last_name: 'Trash' });
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    const d = await openContact(page, 'Trudy Trash');
    await d.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this contact?' });
    await expectText(confirm, 'Trudy Trash goes to the trash');
    await confirm.getByRole('button', { name: 'Move to trash' }).click();
    await expectToast(page, 'Moved to the trash');
    await expectCount(drawer(page, 'Trudy Trash'), 0);
    await expectCount(contactRow(page, 'Trudy Trash'), 0);
    assert.ok(expectStatus(await app.api.get(`/api/v1/contacts/${c.id}`), 200).deleted_at, 'trashed on the server');

    await goTo(page, 'Trash');
    await page.getByText(/contacts stay here for 30 days/).waitFor();
    const t2 = await openContact(page, 'Trudy Trash');
    // Opened again right away, the drawer must show it as trashed (Restore), not as live (Edit).
    await t2.getByText(/In the trash since/).waitFor();
    await t2.getByRole('button', { name: 'Restore' }).waitFor();
    assert.equal(await t2.getByRole('button', { name: 'Edit' }).count(), 0, 'no editing in the trash');
  });
});

test('Trash: open a trashed contact and restore it', async (t) => {
  const c = await createContact(app.api, { first_name: 'Rita', last_name: 'Restore' });
  expectStatus(await app.api.del(`/api/v1/contacts/${c.id}`), 204);
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await expectCount(contactRow(page, 'Rita Restore'), 0);
    await goTo(page, 'Trash');
    const d = await openContact(page, 'Rita Restore');
    await d.getByText(/In the trash since/).waitFor();
    assert.equal(await d.getByRole('button', { name: 'Edit' }).count(), 0, 'no editing in the trash');
    await d.getByRole('button', { name: 'Restore' }).click();
    await expectToast(page, 'Restored');
    await expectCount(d.getByText(/In the trash since/), 0);
    await d.getByRole('button', { name: 'Edit' }).waitFor();
    await d.getByRole('button', { name: 'Close' }).click();
    await expectCount(contactRow(page, 'Rita Restore'), 0);  // gone from the trash list

    await goTo(page, 'Contacts');
    await contactRow(page, 'Rita Restore').waitFor();
  });
  assert.equal(expectStatus(await app.api.get(`/api/v1/contacts/${c.id}`), 200).deleted_at, null);
});

test('bulk restore from the trash', async (t) => {
  const a = await createContact(app.api, { first_name: 'Bin', last_name: 'One', company: 'Binco' });
  const b = await createContact(app.api, { first_name: 'Bin', last_name: 'Two', company: 'Binco' });
  expectStatus(await app.api.post('/api/v1/contacts/actions', { action: 'delete', ids: [a.id, b.id] }), 200);
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Trash');
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('binco');
    await expectText(countLine(page), '2 contacts match');
    await page.getByRole('checkbox', { name: 'Select all loaded contacts' }).check();
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Restore' }).click();
    const dlg = page.getByRole('dialog', { name: 'Restore — 2 contacts' });
    await dlg.getByRole('button', { name: 'Restore (2 contacts)' }).click();
    await expectToast(page, 'Restore: 2 contacts changed');
    await page.getByRole('heading', { name: 'The trash is empty' }).or(page.getByRole('heading', { name: 'No contacts match' })).waitFor();
  });
  for (const x of [a, b]) assert.equal(expectStatus(await app.api.get(`/api/v1/contacts/${x.id}`), 200).deleted_at, null);
});
