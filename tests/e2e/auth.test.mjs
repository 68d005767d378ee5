// Journeys: sign in with email and password, sessions survive a reload, sign out,
// switch workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useApp, withPage, signIn, createContact, client, contactRow, contactRows, countLine, expectText, expectCount, PASSWORD,
} from './lib.mjs';

// admin@acme.test is also a manager in Globex, so it can switch between the two.
const app = useApp({ users: [{ email: 'admin@acme.test', role: 'manager', workspace: 'Globex' }] });

test('a wrong password is refused with an explanation and no session', async (t) => {
  await withPage(t, app, async (page) => {
    await page.goto('/');
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /\S/);
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});

test('sign in with email and password; the session survives a reload; sign out returns to the sign-in form', async (t) => {
  await createContact(app.api, { first_name: 'Reload', last_name: 'Person' });
  await withPage(t, app, async (page) => {
    await signIn(page, 'admin@acme.test');
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.getByText('admin@acme.test').waitFor();
    await contactRow(page, 'Reload Person').waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await contactRow(page, 'Reload Person').waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Sign in' }).count(), 0);

    // A deep link works after a reload too (the server falls back to index.html).
    await page.goto('/settings/tags');
    await page.getByRole('heading', { level: 1, name: 'Tags' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').waitFor();
    // The session is gone on the server too: a reload stays on the sign-in form.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  });
});

test('switch workspace with the "Workspace" select: the list changes', async (t) => {
  await createContact(app.api, { first_name: 'Acme', last_name: 'Only' });
  await createContact(client(app.base, app.tokenB), { first_name: 'Globex', last_name: 'Only' });
  await withPage(t, app, async (page) => {
    await signIn(page, 'admin@acme.test');
    const ws = page.getByRole('combobox', { name: 'Workspace' });
    await contactRow(page, 'Acme Only').waitFor();
    await ws.selectOption({ label: 'Globex' });
    await contactRow(page, 'Globex Only').waitFor();
    await expectCount(contactRow(page, 'Acme Only'), 0);
    await expectCount(contactRows(page), 1);
    await expectText(countLine(page), '1 contact');
    // The role shown follows the workspace (manager in Globex): no admin settings.
    await page.getByText('manager', { exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Members & roles' }).count(), 0);

    // The chosen workspace survives a reload.
    await page.reload();
    await contactRow(page, 'Globex Only').waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Workspace' }).inputValue(),
      String((await page.getByRole('option', { name: 'Globex' }).getAttribute('value'))));

    await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: 'Acme' });
    await contactRow(page, 'Acme Only').waitFor();
    await expectCount(contactRow(page, 'Globex Only'), 0);
  });
});

test('after a wrong password, a second try with the right one signs in', async (t) => {
  await withPage(t, app, async (page) => {
    await page.goto('/');
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
});

test('when the session ends elsewhere, the next action returns to the sign-in form', async (t) => {
  const email = 'leaving@acme.test';
  const added = await app.api.post('/api/v1/members', { email, password: PASSWORD, role: 'agent' });
  assert.equal(added.status, 201);
  await withPage(t, app, async (page) => {
    await signIn(page, email);
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    // The page's own first requests done: one still on its way would meet the ended session
    // before the action below does (seen on a loaded machine).
    await page.waitForLoadState('networkidle');
    // An admin removes the member while they are signed in.
    const members = await app.api.get('/api/v1/members');
    const me = members.json.items.find((m) => m.user.email === email);
    assert.equal((await app.api.del(`/api/v1/members/${me.user.id}`)).status, 204);
    await page.getByLabel('Search contacts').fill('anyone');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  });
});
