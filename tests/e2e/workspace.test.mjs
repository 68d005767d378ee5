// Journey: workspace settings — the default country (a national number typed in the add
// dialog is then read in that country) and the contact limit (adding past it is refused
// with an error naming the limit). A file of its own: these settings change the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, withPage, signIn, createContact, expectStatus, goTo, drawer, expectText, expectCount, expectToast,
} from './lib.mjs';

const app = useApp();
const ADMIN = 'admin@acme.test';

test('workspace: the default country decides how a national number typed in the add dialog is read', async (t) => {
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Workspace');
    const country = page.getByLabel('Default country for phone numbers');
    assert.equal(await country.inputValue(), 'US');
    await country.selectOption({ label: 'United Kingdom (GB)' });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectToast(page, 'Workspace settings saved');
    assert.equal(expectStatus(await app.api.get('/api/v1/workspace'), 200).default_country, 'GB');

    await goTo(page, 'Contacts');
    await page.getByRole('button', { name: '+ Add contact' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add contact' });
    await dlg.getByText('numbers without + are read as GB numbers').waitFor();
    await dlg.getByLabel('First name').fill('Gwen');
    await dlg.getByLabel('Last name').fill('Britton');
    await dlg.getByLabel('Phone').fill('07911 123456');
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    const d = drawer(page, 'Gwen Britton');
    await d.waitFor();
    await d.getByText('+44 7911 123456', { exact: true }).waitFor();
    await d.getByText(/^Mobile/).waitFor();
  });
  const list = expectStatus(await app.api.get('/api/v1/contacts?q=Britton'), 200);
  assert.equal(list.items[0].phone, '+447911123456');
});

test('workspace: adding a contact past the contact limit is refused with an error naming the limit', async (t) => {
  await createContact(app.api, { first_name: 'Limit', last_name: 'Filler' });
  const count = expectStatus(await app.api.get('/api/v1/workspace'), 200).contact_count;
  const limit = count + 1;
  await withPage(t, app, async (page) => {
    await signIn(page, ADMIN);
    await goTo(page, 'Workspace');
    await page.getByText(`${count} contacts now`).waitFor();
    await page.getByLabel('Contact limit (empty = unlimited)').fill(String(limit));
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectToast(page, 'Workspace settings saved');
    assert.equal(expectStatus(await app.api.get('/api/v1/workspace'), 200).contact_limit, limit);

    await goTo(page, 'Contacts');
    // One more fits.
    await page.getByRole('button', { name: '+ Add contact' }).click();
    let dlg = page.getByRole('dialog', { name: 'Add contact' });
    await dlg.getByLabel('First name').fill('Last');
    await dlg.getByLabel('Last name').fill('Fits');
    await dlg.getByLabel('Phone').fill('+44 20 7946 0321');
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    const d = drawer(page, 'Last Fits');
    await d.waitFor();
    await d.getByRole('button', { name: 'Close' }).click();

    // The next one does not; the dialog says why and keeps what was typed.
    await page.getByRole('button', { name: '+ Add contact' }).click();
    dlg = page.getByRole('dialog', { name: 'Add contact' });
    await dlg.getByLabel('First name').fill('Too');
    await dlg.getByLabel('Last name').fill('Many');
    await dlg.getByLabel('Phone').fill('+44 20 7946 0322');
    await dlg.getByRole('button', { name: 'Add contact', exact: true }).click();
    await expectText(dlg.getByRole('alert'), `contact limit of ${limit}`);
    assert.equal(await dlg.getByLabel('First name').inputValue(), 'Too');
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await expectCount(dlg, 0);

    // Unlimited again: empty the field.
    await goTo(page, 'Workspace');
    await page.getByLabel('Contact limit (empty = unlimited)').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectToast(page, 'Workspace settings saved');
  });
  assert.equal(expectStatus(await app.api.get('/api/v1/workspace'), 200).contact_limit, 0);
  assert.equal(expectStatus(await app.api.get('/api/v1/contacts?q=Many'), 200).total, 0);
});
